/** `systemd.units` 2.x -> 3.1 as Flatcar translates them (docs/ignition-2to3.md §4.3). */
import type { GoStruct } from '../schema';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);
/** `util.StrP` / `util.BoolP`: the zero value becomes nil. */
const strP = (s: string): string | undefined => (s === '' ? undefined : s);
const boolP = (b: boolean): boolean | undefined => (b ? true : undefined);

export interface V3Dropin {
  contents?: string;
  name: string;
}

export interface V3Unit {
  contents?: string;
  dropins: V3Dropin[] | null;
  enabled?: boolean;
  mask?: boolean;
  name: string;
}

/** `enable` (deprecated) or `enabled` true gives true; an explicit `enabled: false` then wins. */
function enabledOf(unit: GoStruct): boolean | undefined {
  const enabled = unit.enabled as boolean | undefined;
  let result: boolean | undefined = enabled === true || unit.enable === true ? true : undefined;
  if (enabled === false) result = false;
  return result;
}

/** `value`, now in `checked`. */
const marked = <T extends object>(value: T, checked: WeakSet<object>): T => (checked.add(value), value);

function translateUnit(unit: GoStruct, checked: WeakSet<object>): V3Unit {
  const dropins = list(unit.dropins).map((d): V3Dropin => marked({ contents: strP(d.contents as string), name: d.name as string }, checked));
  return marked(
    {
      contents: strP(unit.contents as string),
      dropins: dropins.length > 0 ? dropins : null,
      enabled: enabledOf(unit),
      mask: boolP(unit.mask as boolean),
      name: unit.name as string,
    },
    checked,
  );
}

/** Ignition's 3.x `config/merge` of two units: set pointers of the later one win; drop-ins merge by name. */
function mergeUnit(into: V3Unit, later: V3Unit, checked: WeakSet<object>): void {
  if (later.contents !== undefined) into.contents = later.contents;
  if (later.enabled !== undefined) into.enabled = later.enabled;
  if (later.mask !== undefined) into.mask = later.mask;
  for (const dropin of later.dropins ?? []) {
    const same = into.dropins?.find((d) => d.name === dropin.name);
    if (!same) (into.dropins ??= []).push(marked({ ...dropin }, checked));
    else if (dropin.contents !== undefined) same.contents = dropin.contents;
  }
}

/**
 * Flatcar merges duplicate unit names instead of refusing them, and emits the units in Go map
 * order (random). This port keeps each name at its first occurrence, the vectors' documented order.
 * Units and drop-ins go into `checked`: their contents are those of checked 2.x ones.
 */
export function translateUnits(units: readonly GoStruct[], checked: WeakSet<object>): V3Unit[] | null {
  const byName = new Map<string, V3Unit>();
  for (const unit of units) {
    const translated = translateUnit(unit, checked);
    const earlier = byName.get(translated.name);
    if (earlier) mergeUnit(earlier, translated, checked);
    else byName.set(translated.name, translated);
  }
  return byName.size > 0 ? [...byName.values()] : null;
}

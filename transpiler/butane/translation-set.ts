/**
 * Port of butane `translate/set.go` (TranslationSet) and the path walking of `translate/util.go`.
 * A TranslationSet records, for every output path, the input path it was produced from, so that
 * Ignition validation entries (JSON paths) can be reported at YAML positions.
 *
 * Paths carry no tag here; a set keeps its two tags (`yaml`/`json`, or merge's `parent`/`child`)
 * once, as the Go paths all share them. Entries are keyed by `pathString(to)`, as Go keys its map
 * by `ContextPath.String()` (which ignores the tag).
 */
import type { GoStruct, GoType } from '../schema';
import type { ButaneEntry } from './entry';
import { pathString, type Path } from './path';

export interface Translation {
  readonly from: Path;
  readonly to: Path;
}

export class TranslationSet {
  readonly set = new Map<string, Translation>();

  constructor(
    readonly fromTag: string,
    readonly toTag: string,
  ) {}

  /** Records that `to` was produced from `from`, replacing any earlier source of `to`. */
  addTranslation(from: Path, to: Path): void {
    this.set.set(pathString(to), { from: [...from], to: [...to] });
  }

  /** Each path maps to itself (single-element paths, as the Go helper takes strings). */
  addIdentity(...paths: readonly (string | number)[]): void {
    for (const p of paths) this.addTranslation([p], [p]);
  }

  /**
   * Every path inside `toValue` (placed at `toPrefix`), and `toPrefix` itself, comes from `common`.
   * Pass `toType` to enumerate as Go does (all struct fields, set or not); without it, only the
   * keys present in the object are walked.
   */
  addFromCommonSource(common: Path, toPrefix: Path, toValue: unknown, toType?: GoType): void {
    for (const p of allPaths(toValue, toType)) this.addTranslation(common, [...toPrefix, ...p]);
    this.addTranslation(common, toPrefix);
  }

  /** Every path inside `toValue` maps from the same relative path under `fromPrefix` (a field-for-field copy). */
  addFromCommonObject(fromPrefix: Path, toPrefix: Path, toValue: unknown, toType?: GoType): void {
    for (const p of allPaths(toValue, toType)) this.addTranslation([...fromPrefix, ...p], [...toPrefix, ...p]);
    this.addTranslation(fromPrefix, toPrefix);
  }

  /** Adds all entries of `other` to this set (in place). */
  merge(other: TranslationSet): void {
    for (const t of other.set.values()) this.addTranslation(t.from, t.to);
  }

  /** `merge` of `other` with `prefix` put before both sides of its paths. */
  mergeP(prefix: string | number, other: TranslationSet): void {
    this.mergeP2(prefix, prefix, other);
  }

  /** `merge` of `other` with distinct prefixes for the from and to sides. */
  mergeP2(fromPrefix: string | number, toPrefix: string | number, other: TranslationSet): void {
    this.merge(other.prefixPaths([fromPrefix], [toPrefix]));
  }

  /** A copy with `prefix` put before both sides of every path. */
  prefix(prefix: string | number): TranslationSet {
    return this.prefixPaths([prefix], [prefix]);
  }

  /** A copy with `fromPrefix` before every from path and `toPrefix` before every to path. */
  prefixPaths(fromPrefix: Path, toPrefix: Path): TranslationSet {
    const ret = new TranslationSet(this.fromTag, this.toTag);
    for (const t of this.set.values()) ret.addTranslation([...fromPrefix, ...t.from], [...toPrefix, ...t.to]);
    return ret;
  }

  /** The translations whose to path lies under `to`, with `to` removed from their to paths. */
  descend(to: Path): TranslationSet {
    const ret = new TranslationSet(this.fromTag, this.toTag);
    for (const t of this.set.values()) {
      if (t.to.length < to.length) continue;
      if (to.some((e, i) => t.to[i] !== e)) continue;
      ret.addTranslation(t.from, t.to.slice(to.length));
    }
    return ret;
  }

  /**
   * A copy whose to paths are further translated through `mappings` (a set from this set's to
   * side to itself); entries that no mapping names are kept as they are.
   */
  map(mappings: TranslationSet): TranslationSet {
    if (mappings.fromTag !== this.toTag || mappings.toTag !== this.toTag) {
      throw new Error(
        `mappings have incorrect tag; "${mappings.fromTag}" != "${this.toTag}" || "${mappings.toTag}" != "${this.toTag}"`,
      );
    }
    const ret = new TranslationSet(this.fromTag, this.toTag);
    ret.merge(this);
    for (const m of mappings.set.values()) {
      const key = pathString(m.from);
      const t = ret.set.get(key);
      if (t) {
        ret.set.delete(key);
        ret.addTranslation(t.from, m.to);
      }
    }
    return ret;
  }

  /** The translation that produced `to`, if any. */
  get(to: Path): Translation | undefined {
    return this.set.get(pathString(to));
  }

  /** Go's `String()`: entries sorted by their to path (for debugging and tests). */
  toString(): string {
    const lines = [...this.set.entries()].map(([k, t]) => {
      let line = `${pathString(t.from)} → ${pathString(t.to)}`;
      if (k !== pathString(t.to)) line += ` (key: ${k})`;
      return { sortKey: pathString(t.to), line };
    });
    lines.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    return `TranslationSet: ${this.fromTag} → ${this.toTag}\n` + lines.map((l) => l.line + '\n').join('');
  }
}

/**
 * butane `getAllPaths(v, tag, true)`: the relative path of every element and field inside a value,
 * children before their parent. With a type, struct fields are enumerated from the Go struct (nil
 * pointers and slices included, as Go's walk includes zero fields); without one, from the object.
 */
export function allPaths(value: unknown, type?: GoType): Path[] {
  const out: Path[] = [];
  walk(value, type, [], out);
  return out;
}

function walk(value: unknown, type: GoType | undefined, at: Path, out: Path[]): void {
  let t = type;
  while (t?.kind === 'named') t = t.elem;
  if (t) {
    switch (t.kind) {
      case 'ptr':
        if (value !== undefined && value !== null) walk(value, t.elem, at, out);
        return;
      case 'slice':
        if (Array.isArray(value)) walkArray(value, t.elem, at, out);
        return;
      case 'struct':
        for (const f of t.def.fields) {
          const fv = value === undefined || value === null ? undefined : (value as GoStruct)[f.key];
          walk(fv, f.type, [...at, f.key], out);
          out.push([...at, f.key]);
        }
        return;
      default:
        return; // primitives have no children
    }
  }
  if (Array.isArray(value)) {
    walkArray(value, undefined, at, out);
  } else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      walk(v, undefined, [...at, k], out);
      out.push([...at, k]);
    }
  }
}

function walkArray(value: readonly unknown[], elem: GoType | undefined, at: Path, out: Path[]): void {
  value.forEach((v, i) => {
    walk(v, elem, [...at, i], out);
    out.push([...at, i]);
  });
}

/** The Go type found at `path` below `type` (JSON keys and list indexes), or undefined if none. */
export function typeAtPath(type: GoType, path: Path): GoType | undefined {
  let t: GoType | undefined = type;
  for (const e of path) {
    while (t && (t.kind === 'named' || t.kind === 'ptr')) t = t.elem;
    if (!t) return undefined;
    if (t.kind === 'slice' && typeof e === 'number') t = t.elem;
    else if (t.kind === 'struct' && typeof e === 'string') t = t.def.fields.find((f) => f.key === e)?.type;
    else return undefined;
  }
  return t;
}

/** butane `prefixReport`: entries with `prefix` put before their paths. */
export function prefixEntries(entries: readonly ButaneEntry[], prefix: string | number): ButaneEntry[] {
  return entries.map((e) => ({ ...e, path: [prefix, ...e.path] }));
}

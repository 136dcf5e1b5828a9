/**
 * `validate.ValidateWithContext(res, nil)` on the translated 3.1 config (docs/ignition-2to3.md §6.2): the
 * vcontext walk calling each type's `Validate(c)` (rules-v31.ts), then the duplicate-key walk.
 * Entries carry JSON paths (`$.storage.files.0.mode`); positions are added from the marshalled bytes.
 */
import type { FieldDef, GoStruct, GoType, StructDef } from '../schema';
import { HOOKS, list, type Hook, type V3Kind, type V3Path, type V3Reporter } from './rules-v31';
import { ignitionConfigV31, V3_TYPE } from './types-v3';

export type { V3Path } from './rules-v31';

export interface V3Entry {
  readonly kind: V3Kind;
  readonly path: V3Path;
  readonly message: string;
  /** `line 1 col N` in the compact 3.1 bytes, when known. */
  readonly column?: number;
}

/** `Key()` of list elements (strings are their own key); `IgnoreDuplicates()` and `MergedKeys()`. */
const KEYS: Readonly<Record<string, (v: GoStruct) => string>> = {
  [V3_TYPE.resource]: (r) => (r.source as string | undefined) ?? '',
  [V3_TYPE.header]: (h) => h.name as string,
  [V3_TYPE.user]: (u) => u.name as string,
  [V3_TYPE.group]: (g) => g.name as string,
  [V3_TYPE.file]: (n) => n.path as string,
  [V3_TYPE.directory]: (n) => n.path as string,
  [V3_TYPE.link]: (n) => n.path as string,
  [V3_TYPE.disk]: (d) => d.device as string,
  [V3_TYPE.partition]: (p) => (p.number !== 0 ? `number:${p.number as number}` : p.label !== undefined ? `label:${p.label as string}` : ''),
  [V3_TYPE.filesystem]: (f) => f.device as string,
  [V3_TYPE.raid]: (r) => r.name as string,
  [V3_TYPE.unit]: (u) => u.name as string,
  [V3_TYPE.dropin]: (d) => d.name as string,
};
const IGNORED_DUPLICATES: Readonly<Record<string, readonly string[]>> = {
  [V3_TYPE.file]: ['append'],
  [V3_TYPE.filesystem]: ['options', 'mountOptions'],
  [V3_TYPE.raid]: ['options'],
};
const MERGED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [V3_TYPE.storage]: { directories: 'node', files: 'node', links: 'node' },
};

/** What the walk does at a struct type: its hook, its list fields (for duplicates), its fields that hold structs. */
interface StructPlan {
  readonly hook?: Hook;
  readonly lists: readonly { readonly key: string; readonly listName: string; readonly keyOf: (item: GoStruct) => string }[];
  readonly children: readonly FieldDef[];
}

const plans = new WeakMap<StructDef, StructPlan>();

const holdsStructs = (t: GoType): boolean =>
  t.kind === 'struct' || ((t.kind === 'ptr' || t.kind === 'slice' || t.kind === 'named') && holdsStructs(t.elem));
const underlying = (t: GoType): GoType => (t.kind === 'named' ? underlying(t.elem) : t);

/** The hooks by descriptor type name: Go's `NodeGroup` and `NodeUser` both have the owner check. */
const HOOKS_BY_TYPE: Readonly<Record<string, Hook>> = {
  ...HOOKS,
  'types.NodeGroup': HOOKS[V3_TYPE.nodeOwner],
  'types.NodeUser': HOOKS[V3_TYPE.nodeOwner],
};

function planOf(def: StructDef): StructPlan {
  let plan = plans.get(def);
  if (plan) return plan;
  const lists = def.fields
    .filter((f) => underlying(f.type).kind === 'slice' && !IGNORED_DUPLICATES[def.goName]?.includes(f.key))
    .map((f) => {
      const elem = underlying((underlying(f.type) as GoType & { kind: 'slice' }).elem);
      const keyOf = elem.kind === 'struct' ? KEYS[elem.def.goName] : (item: GoStruct) => item as unknown as string;
      return { key: f.key, listName: MERGED_KEYS[def.goName]?.[f.key] ?? f.key, keyOf };
    });
  plan = { hook: HOOKS_BY_TYPE[def.goName], lists, children: def.fields.filter((f) => holdsStructs(f.type)) };
  plans.set(def, plan);
  return plan;
}

/**
 * vcontext's pre-order walk, which Ignition 3.x validation runs: nil values are skipped; pointers,
 * named types and slices are walked through to their values; what is done at a named value (before
 * its underlying value) and at a struct is the subclass's. `path` is the current value's JSON path.
 */
export abstract class V3Walk implements V3Reporter {
  protected readonly path: (string | number)[] = [];

  abstract add(kind: V3Kind, message: string | undefined, ...steps: (string | number)[]): void;
  abstract checked(value: object): boolean;
  protected abstract struct(value: GoStruct, def: StructDef): void;
  protected named?(value: unknown, goName: string): void;

  value(value: unknown, type: GoType): void {
    if (value === undefined || value === null) return;
    switch (type.kind) {
      case 'named':
        this.named?.(value, type.goName);
        return this.value(value, type.elem);
      case 'ptr':
        return this.value(value, type.elem);
      case 'slice':
        (value as unknown[]).forEach((v, i) => this.at(i, v, type.elem));
        return;
      case 'struct':
        return this.struct(value as GoStruct, type.def);
    }
  }

  protected at(step: string | number, value: unknown, type: GoType): void {
    this.path.push(step);
    this.value(value, type);
    this.path.pop();
  }
}

/**
 * A struct, then its fields. Flatcar walks twice, hooks then duplicates; one walk here keeps the
 * duplicate entries apart and appends them.
 */
class Walk extends V3Walk {
  readonly entries: V3Entry[] = [];
  readonly duplicates: V3Entry[] = [];

  constructor(private readonly checkedValues: WeakSet<object>) {
    super();
  }

  add(kind: V3Kind, message: string | undefined, ...steps: (string | number)[]): void {
    if (message !== undefined) this.entries.push({ kind, path: [...this.path, ...steps], message });
  }

  checked(value: object): boolean {
    return this.checkedValues.has(value);
  }

  protected struct(value: GoStruct, def: StructDef): void {
    const plan = planOf(def);
    plan.hook?.(value, this);
    this.findDuplicates(value, plan);
    for (const f of plan.children) this.at(f.key, value[f.key], f.type);
  }

  private findDuplicates(value: GoStruct, plan: StructPlan): void {
    let seen: Map<string, Set<string>> | undefined;
    for (const { key, listName, keyOf } of plan.lists) {
      const items = list(value[key]);
      if (items.length === 0) continue;
      seen ??= new Map();
      const keys = seen.get(listName) ?? new Set<string>();
      seen.set(listName, keys);
      items.forEach((item, i) => {
        const itemKey = keyOf(item);
        if (keys.has(itemKey)) this.duplicates.push({ kind: 'error', path: [...this.path, key, i], message: 'duplicate entry defined' });
        keys.add(itemKey);
      });
    }
  }
}

/**
 * The 3.1 validation report of a Go-shaped 3.1 config, in vcontext's order. `checked`: values
 * translated from 2.x ones that passed the 2.3 rules, whose contents need no second parse.
 */
export function validateV31(config: GoStruct, checked = new WeakSet<object>()): V3Entry[] {
  const walk = new Walk(checked);
  walk.value(config, ignitionConfigV31);
  return [...walk.entries, ...walk.duplicates];
}

/** vcontext `Report.String()`: one line per entry, each ending in `\n`. */
export function renderV3Report(entries: readonly V3Entry[]): string {
  return entries
    .map((e) => {
      const at = ['$', ...e.path].join('.');
      return e.column !== undefined ? `${e.kind} at ${at}, line 1 col ${e.column}: ${e.message}\n` : `${e.kind} at ${at}: ${e.message}\n`;
    })
    .join('');
}

/**
 * `validate.ValidateWithContext(res, nil)` on the translated 3.1 config (ignition-2to3 §6.2): the
 * vcontext walk calling each type's `Validate(c)` (rules-v31.ts), then the duplicate-key walk.
 * Entries carry JSON paths (`$.storage.files.0.mode`); positions are added from the marshalled bytes.
 */
import type { GoStruct, GoType } from '../schema';
import { HOOKS, list, type Add, type V3Kind, type V3Path } from './rules-v31';
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

type Visit = (value: GoStruct, goName: string, type: GoType & { kind: 'struct' }, path: V3Path) => void;

/**
 * vcontext's pre-order walk: a struct, then its fields; nil pointers are skipped. `path` is the
 * walk's own stack of keys and indexes; each visit gets a copy.
 */
function walk(value: unknown, type: GoType, path: (string | number)[], visit: Visit): void {
  if (value === undefined || value === null) return;
  switch (type.kind) {
    case 'ptr':
    case 'named':
      return walk(value, type.elem, path, visit);
    case 'slice':
      return (value as unknown[]).forEach((v, i) => walkAt(i, v, type.elem, path, visit));
    case 'struct':
      visit(value as GoStruct, type.def.goName, type, [...path]);
      for (const f of type.def.fields) walkAt(f.key, (value as GoStruct)[f.key], f.type, path, visit);
  }
}

function walkAt(step: string | number, value: unknown, type: GoType, path: (string | number)[], visit: Visit): void {
  path.push(step);
  walk(value, type, path, visit);
  path.pop();
}

function duplicates(value: GoStruct, goName: string, type: GoType & { kind: 'struct' }, path: V3Path, add: Add): void {
  const seen = new Map<string, Set<string>>();
  for (const f of type.def.fields) {
    if (f.type.kind !== 'slice' || IGNORED_DUPLICATES[goName]?.includes(f.key)) continue;
    const listName = MERGED_KEYS[goName]?.[f.key] ?? f.key;
    const keys = seen.get(listName) ?? new Set<string>();
    seen.set(listName, keys);
    const elem = f.type.elem;
    list(value[f.key]).forEach((item, i) => {
      const key = elem.kind === 'struct' ? KEYS[elem.def.goName](item) : (item as unknown as string);
      if (keys.has(key)) add('error', [...path, f.key, i], 'duplicate entry defined');
      keys.add(key);
    });
  }
}

/** The 3.1 validation report of a Go-shaped 3.1 config, in vcontext's order. */
export function validateV31(config: GoStruct): V3Entry[] {
  const entries: V3Entry[] = [];
  const add: Add = (kind, path, message) => {
    if (message !== undefined) entries.push({ kind, path, message });
  };
  walk(config, ignitionConfigV31, [], (v, goName, _t, path) => HOOKS[goName]?.(v, path, add));
  walk(config, ignitionConfigV31, [], (v, goName, t, path) => duplicates(v, goName, t, path, add));
  return entries;
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

/**
 * Identity of Ignition 3.x list elements, as ignition's `config/v3_x/types` defines it (v2.20.0,
 * identical for specs 3.3, 3.4 and 3.5): each keyed struct's `Key()`, the list fields a struct exempts
 * from duplicate checks (`IgnoreDuplicates()`), and the lists that share one key namespace
 * (`MergedKeys()`). Both the duplicate check (`config/validate/validate.go` `ValidateDups`) and the
 * config merge (`config/merge/merge.go`) read them through `util.CallKey`.
 *
 * Structs are named by their Go type name (`types.File`); the embedded `Node`/`FileEmbedded1` of
 * files, directories and links are flattened into them, so their promoted methods are listed there.
 */
import type { GoStruct, GoType } from '../schema';

type KeyFn = (value: GoStruct) => string;

const byName: KeyFn = (v) => String(v.name ?? '');
const byPath: KeyFn = (v) => String(v.path ?? '');
const byDevice: KeyFn = (v) => String(v.device ?? '');

/** Go `Key()` of every keyed struct element type, by Go type name. */
export const KEY_FUNCTIONS: Readonly<Record<string, KeyFn>> = {
  // ignition config/v3_x/types/resource.go: a nil source keys as ''.
  'types.Resource': (v) => (v.source === undefined || v.source === null ? '' : String(v.source)),
  'types.HTTPHeader': byName,
  'types.PasswdUser': byName,
  'types.PasswdGroup': byName,
  // `Node.Key()` is promoted to the three node types (node.go).
  'types.Node': byPath,
  'types.File': byPath,
  'types.Directory': byPath,
  'types.Link': byPath,
  'types.Disk': byDevice,
  'types.Filesystem': byDevice,
  // partition.go: number when non-zero, else label, else ''.
  'types.Partition': (v) => {
    const n = v.number;
    if (n !== undefined && n !== null && n !== 0 && n !== 0n) return `number:${String(n)}`;
    if (v.label !== undefined && v.label !== null) return `label:${String(v.label)}`;
    return '';
  },
  'types.Luks': byName,
  'types.Raid': byName,
  'types.Unit': byName,
  'types.Dropin': byName,
  'types.Tang': (v) => String(v.url ?? ''),
};

/** `IgnoreDuplicates()`: Go field names of list fields that are neither dup-checked nor merged by key. */
export const IGNORE_DUPLICATES: Readonly<Record<string, readonly string[]>> = {
  // `FileEmbedded1.IgnoreDuplicates`, promoted to File.
  'types.File': ['Append'],
  'types.FileEmbedded1': ['Append'],
  'types.Filesystem': ['Options', 'MountOptions'],
  'types.Luks': ['Options'],
  'types.Raid': ['Options'],
};

/** `MergedKeys()`: Go field name -> handle; lists with the same handle share one key namespace. */
export const MERGED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'types.Storage': { Directories: 'Node', Files: 'Node', Links: 'Node' },
  'types.KernelArguments': { ShouldExist: 'KernelArgument', ShouldNotExist: 'KernelArgument' },
};

/** Whether list field `fieldName` of struct `structGoName` is exempt from key handling. */
export function ignoresDuplicates(structGoName: string, fieldName: string): boolean {
  return IGNORE_DUPLICATES[structGoName]?.includes(fieldName) ?? false;
}

/** The namespace (handle) list field `fieldName` of struct `structGoName` checks and merges keys in. */
export function keyHandle(structGoName: string, fieldName: string): string {
  return MERGED_KEYS[structGoName]?.[fieldName] ?? fieldName;
}

/** Go `util.CallKey`: a string element (any named string type) is its own key, a struct uses its `Key()`. */
export function callKey(elemType: GoType, value: unknown): string {
  let t = elemType;
  while (t.kind === 'named') t = t.elem;
  if (t.kind === 'string') return String(value);
  if (t.kind === 'struct') {
    const fn = KEY_FUNCTIONS[t.def.goName];
    if (fn) return fn(value as GoStruct);
    throw new Error(`${t.def.goName} has no Key()`);
  }
  // Go panics here too: only strings and keyed structs appear in Ignition lists.
  throw new Error(`list element of kind ${t.kind} has no key`);
}

/** Whether elements of this type have a key (`util.CallKey` would not panic). */
export function isKeyed(elemType: GoType): boolean {
  let t = elemType;
  while (t.kind === 'named') t = t.elem;
  return t.kind === 'string' || (t.kind === 'struct' && t.def.goName in KEY_FUNCTIONS);
}

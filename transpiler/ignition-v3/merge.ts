/**
 * Port of ignition v2.20.0 `config/merge/merge.go` `MergeStructTranscribe`: merges a child Ignition
 * config into a parent of the same type, and records where each output field came from.
 *
 * - non-pointer scalars take the child's value; pointers take the child's when it is non-nil;
 * - a struct that is zero on one side is taken whole from the other, else merged field by field;
 * - lists exempt by `IgnoreDuplicates` are concatenated (parent first);
 * - other lists merge by element key (keys.ts): parent order is kept, a parent element whose key the
 *   child has in the same list is merged with it there, one the child has in another list sharing its
 *   `MergedKeys` handle (files/directories/links) is dropped, then the child's new elements follow.
 *   An HTTP header whose child entry has no value is removed.
 *
 * The transcript lists children before their parents; an interior node built from both sides gets
 * two entries, parent first. Values use the Go-shaped representation of schema.ts (JSON keys; nil
 * pointers absent; nil slices absent or null, while `[]` is an empty non-nil slice as in Go).
 */
import { zeroValue, type FieldDef, type GoStruct, type GoType, type StructDef } from '../schema';
import type { Path } from '../butane/path';
import { callKey, ignoresDuplicates, keyHandle } from './keys';

export const TAG_PARENT = 'parent';
export const TAG_CHILD = 'child';
export const TAG_RESULT = 'result';

/** One transcript entry: output path `to` (tag `result`) holds what was at `from` in the parent or the child. */
export interface MergeMapping {
  readonly fromTag: typeof TAG_PARENT | typeof TAG_CHILD;
  readonly from: Path;
  readonly to: Path;
}

interface Side {
  readonly tag: MergeMapping['fromTag'];
  readonly path: Path;
}

type Transcript = MergeMapping[];

/**
 * Go embeds `Node` and an `…Embedded1` struct in files, directories and links; the descriptors
 * flatten them, but the merge treats each embedded struct as a unit (taken whole when zero on one side).
 */
const NODE_FIELDS = ['group', 'overwrite', 'path', 'user'];
const EMBEDDED_NODE_TYPES = new Set(['types.File', 'types.Directory', 'types.Link']);

/** Merges `child` into `parent`, both values of struct type `type` (e.g. `types.Config`). */
export function mergeStructTranscribe(
  parent: GoStruct,
  child: GoStruct,
  type: GoType,
): { result: GoStruct; transcript: MergeMapping[] } {
  const t = underlying(type);
  if (t.kind !== 'struct') throw new Error(`merge needs a struct type, got ${t.kind}`);
  const transcript: Transcript = [];
  const result = mergeStruct(t.def, parent, side(TAG_PARENT, []), child, side(TAG_CHILD, []), [], transcript);
  return { result, transcript };
}

const side = (tag: Side['tag'], path: Path): Side => ({ tag, path });
const at = (s: Side, e: string | number): Side => ({ tag: s.tag, path: [...s.path, e] });
const record = (transcript: Transcript, from: Side, to: Path): void => {
  transcript.push({ fromTag: from.tag, from: from.path, to });
};

function underlying(type: GoType): GoType {
  let t = type;
  while (t.kind === 'named') t = t.elem;
  return t;
}

function isNil(v: unknown): boolean {
  return v === undefined || v === null;
}

function listOf(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Go's `reflect.Value.IsZero`: nil pointers and slices (an empty non-nil slice is not zero), zero scalars, all-zero structs. */
function isZero(v: unknown, type: GoType): boolean {
  const t = underlying(type);
  switch (t.kind) {
    case 'ptr':
    case 'slice':
      return isNil(v);
    case 'struct':
      return isNil(v) || t.def.fields.every((f) => isZero((v as GoStruct)[f.key], f.type));
    default:
      return isNil(v) || v === '' || v === 0 || v === 0n || v === false;
  }
}

function fieldGroups(def: StructDef): FieldDef[][] | undefined {
  if (!EMBEDDED_NODE_TYPES.has(def.goName)) return undefined;
  const node = def.fields.filter((f) => NODE_FIELDS.includes(f.key));
  const rest = def.fields.filter((f) => !NODE_FIELDS.includes(f.key));
  return [node, rest];
}

function mergeStruct(
  def: StructDef,
  parent: GoStruct,
  pSide: Side,
  child: GoStruct,
  cSide: Side,
  rPath: Path,
  transcript: Transcript,
): GoStruct {
  const result: GoStruct = {};
  const groups = fieldGroups(def);
  if (!groups) {
    mergeFields(def, def.fields, parent, pSide, child, cSide, rPath, result, transcript);
    return result;
  }
  // Embedded structs add no path element and no transcript entry of their own.
  for (const fields of groups) {
    const zero = (v: GoStruct): boolean => fields.every((f) => isZero(v[f.key], f.type));
    if (zero(child)) copyFields(fields, parent, pSide, rPath, result, transcript);
    else if (zero(parent)) copyFields(fields, child, cSide, rPath, result, transcript);
    else mergeFields(def, fields, parent, pSide, child, cSide, rPath, result, transcript);
  }
  return result;
}

/** Two values merged field by field: the result is recorded as coming from both, parent first. */
function mergeBoth(def: StructDef, parent: GoStruct, pSide: Side, child: GoStruct, cSide: Side, rPath: Path, transcript: Transcript): GoStruct {
  const result = mergeStruct(def, parent, pSide, child, cSide, rPath, transcript);
  record(transcript, pSide, rPath);
  record(transcript, cSide, rPath);
  return result;
}

function copyFields(fields: readonly FieldDef[], from: GoStruct, s: Side, rPath: Path, result: GoStruct, transcript: Transcript): void {
  for (const f of fields) {
    const v = from[f.key];
    if (!isNil(v)) result[f.key] = clone(v);
    else if (underlying(f.type).kind !== 'ptr' && underlying(f.type).kind !== 'slice') result[f.key] = zeroValue(f.type);
    transcribe(at(s, f.key), [...rPath, f.key], v, f.type, transcript);
  }
}

interface ChildEntry {
  readonly value: unknown;
  readonly field: string;
  readonly index: number;
}

const handleKey = (handle: string, key: string): string => `${handle}\u0000${key}`;

/** ignition's `newStructInfo`: the child's keyed list elements, by handle and key (the last one wins). */
function childEntries(def: StructDef, fields: readonly FieldDef[], child: GoStruct): Map<string, ChildEntry> {
  const entries = new Map<string, ChildEntry>();
  for (const f of fields) {
    const t = underlying(f.type);
    if (t.kind !== 'slice' || ignoresDuplicates(def.goName, f.name)) continue;
    const handle = keyHandle(def.goName, f.name);
    listOf(child[f.key]).forEach((v, index) => {
      entries.set(handleKey(handle, callKey(t.elem, v)), { value: v, field: f.name, index });
    });
  }
  return entries;
}

function mergeFields(
  def: StructDef,
  fields: readonly FieldDef[],
  parent: GoStruct,
  pSide: Side,
  child: GoStruct,
  cSide: Side,
  rPath: Path,
  result: GoStruct,
  transcript: Transcript,
): void {
  const fromChild = childEntries(def, fields, child);

  for (const f of fields) {
    const pf = at(pSide, f.key);
    const cf = at(cSide, f.key);
    const rf: Path = [...rPath, f.key];
    const pv = parent[f.key];
    const cv = child[f.key];
    const t = underlying(f.type);

    switch (t.kind) {
      case 'ptr': {
        const elem = underlying(t.elem);
        if (!isNil(pv) && !isNil(cv) && elem.kind === 'struct') {
          // Spec 3.2 left a few struct pointers (ignition issue #1132); none remain in 3.3+.
          result[f.key] = mergeBoth(elem.def, pv, pf, cv, cf, rf, transcript);
        } else if (isNil(cv)) {
          if (!isNil(pv)) result[f.key] = clone(pv);
          transcribe(pf, rf, pv, f.type, transcript);
        } else {
          result[f.key] = clone(cv);
          transcribe(cf, rf, cv, f.type, transcript);
        }
        break;
      }
      case 'struct':
        if (isZero(cv, f.type)) {
          result[f.key] = isNil(pv) ? zeroValue(f.type) : clone(pv);
          transcribe(pf, rf, pv, f.type, transcript);
        } else if (isZero(pv, f.type)) {
          result[f.key] = clone(cv);
          transcribe(cf, rf, cv, f.type, transcript);
        } else {
          result[f.key] = mergeBoth(t.def, pv, pf, cv, cf, rf, transcript);
        }
        break;
      case 'slice': {
        const lists: ListPair = { elem: t.elem, parent: listOf(pv), pf, child: listOf(cv), cf, rf };
        if (lists.parent.length + lists.child.length === 0) break;
        result[f.key] = ignoresDuplicates(def.goName, f.name)
          ? concatLists(lists, transcript)
          : mergeLists(lists, f, keyHandle(def.goName, f.name), fromChild, transcript);
        break;
      }
      default: {
        const v = isNil(cv) ? zeroValue(f.type) : cv;
        result[f.key] = v;
        transcribe(cf, rf, v, f.type, transcript);
      }
    }
  }
}

/** A list field on both sides, and where the merged list goes. */
interface ListPair {
  readonly elem: GoType;
  readonly parent: readonly unknown[];
  readonly pf: Side;
  readonly child: readonly unknown[];
  readonly cf: Side;
  readonly rf: Path;
}

function concatLists({ elem, parent, pf, child, cf, rf }: ListPair, transcript: Transcript): unknown[] {
  const out: unknown[] = [];
  parent.forEach((item, i) => {
    out.push(clone(item));
    transcribe(at(pf, i), [...rf, i], item, elem, transcript);
  });
  child.forEach((item, i) => {
    out.push(clone(item));
    transcribe(at(cf, i), [...rf, parent.length + i], item, elem, transcript);
  });
  if (parent.length > 0) record(transcript, pf, rf);
  if (child.length > 0) record(transcript, cf, rf);
  return out;
}

function mergeLists(
  { elem, parent: parentList, pf, child: childList, cf, rf }: ListPair,
  f: FieldDef,
  handle: string,
  fromChild: Map<string, ChildEntry>,
  transcript: Transcript,
): unknown[] {
  const out: unknown[] = [];
  const parentKeys = new Set(parentList.map((item) => callKey(elem, item)));
  const elemType = underlying(elem);
  let itemFromParent = false;
  let itemFromChild = false;

  parentList.forEach((parentItem, i) => {
    const parentItemSide = at(pf, i);
    const resultItemPath: Path = [...rf, out.length];
    const match = fromChild.get(handleKey(handle, callKey(elem, parentItem)));
    if (!match) {
      out.push(clone(parentItem));
      transcribe(parentItemSide, resultItemPath, parentItem, elem, transcript);
      itemFromParent = true;
      return;
    }
    // A match in another list sharing the handle replaces this item there.
    if (match.field !== f.name) return;
    const childItemSide = at(cf, match.index);
    itemFromParent = true;
    itemFromChild = true;
    if (elemType.kind === 'struct') {
      if (f.name === 'HTTPHeaders' && isNil((match.value as GoStruct).value)) return;
      out.push(mergeBoth(elemType.def, parentItem as GoStruct, parentItemSide, match.value as GoStruct, childItemSide, resultItemPath, transcript));
    } else {
      out.push(match.value);
      transcribe(childItemSide, resultItemPath, match.value, elem, transcript);
    }
  });

  childList.forEach((childItem, i) => {
    if (parentKeys.has(callKey(elem, childItem))) return;
    const resultItemPath: Path = [...rf, out.length];
    out.push(clone(childItem));
    transcribe(at(cf, i), resultItemPath, childItem, elem, transcript);
    itemFromChild = true;
  });
  if (itemFromParent) record(transcript, pf, rf);
  if (itemFromChild) record(transcript, cf, rf);
  return out;
}

/**
 * ignition's `transcribe`: maps every populated leaf of a value taken whole from one side, then each
 * struct and list holding one. Returns whether anything was mapped.
 */
function transcribe(from: Side, to: Path, value: unknown, type: GoType, transcript: Transcript): boolean {
  const add = (): void => record(transcript, from, to);
  const t = underlying(type);
  switch (t.kind) {
    case 'ptr':
      if (isNil(value)) return false;
      if (underlying(t.elem).kind === 'struct') return transcribe(from, to, value, t.elem, transcript);
      add();
      return true;
    case 'struct': {
      let any = false;
      const obj = (value ?? {}) as GoStruct;
      for (const f of t.def.fields) {
        any = transcribe(at(from, f.key), [...to, f.key], obj[f.key], f.type, transcript) || any;
      }
      if (any) add();
      return any;
    }
    case 'slice': {
      let any = false;
      listOf(value).forEach((item, i) => {
        any = transcribe(at(from, i), [...to, i], item, t.elem, transcript) || any;
      });
      if (any) add();
      return any;
    }
    default:
      if (isZero(value, t)) return false;
      add();
      return true;
  }
}

/** A copy sharing nothing mutable with its source (Go copies structs by value). */
function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const out: GoStruct = {};
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

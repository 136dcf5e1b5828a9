/**
 * `decode(nodeFromValue(value), type, 'v3')` without the node tree: the yaml.v3 rules that a tree
 * built from a JSON value can reach, applied to the value directly. Reading a 2.x config is one
 * JSON parse and this walk; the tree would cost as much again and is only ever a step between.
 * Any decode error is the same `config is not valid` to Flatcar, so the first one ends the walk.
 */
import { fieldsByKey, zeroValue, type GoStruct, type GoType } from '../schema';
import { nodeFromValue, YamlError } from '../yaml';
import { floatToInt, floatToUint, V3_BOOL_WORDS } from '../yaml/decode';
import { MAX_DEPTH } from '../yaml/scanner';

/** yaml.v3 `null` into a field that is neither pointer nor slice: the field keeps its value. */
const KEEP = Symbol('keep');

class DecodeFailure extends Error {}
const fail = (): never => {
  throw new DecodeFailure();
};

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;

function base(t: GoType): GoType {
  while (t.kind === 'named') t = t.elem;
  return t;
}

/** An integer scalar (`!!int` in the tree); outside int64 and uint64 it does not resolve at all. */
function integer(i: bigint, text: string, b: GoType): unknown {
  if (i < MIN_INT64 || i > MAX_UINT64) return fail();
  if (b.kind === 'string') return text;
  if (b.kind === 'int' && i <= MAX_INT64) return Number(i);
  if (b.kind === 'uint' && i >= 0n) return Number(i);
  return fail();
}

/** A non-integer number (`!!float`): Go's float -> int conversions as go-yaml does them on amd64. */
function float(f: number, b: GoType): unknown {
  if (b.kind === 'string') return Number.isNaN(f) ? '.nan' : f === Infinity ? '.inf' : f === -Infinity ? '-.inf' : String(f);
  if (b.kind === 'int') return floatToInt(f) ?? fail();
  if (b.kind === 'uint') return floatToUint(f) ?? fail();
  return fail();
}

function scalar(v: unknown, b: GoType): unknown {
  switch (typeof v) {
    case 'string':
      if (b.kind === 'string') return v;
      return b.kind === 'bool' ? (V3_BOOL_WORDS.get(v) ?? fail()) : fail();
    case 'boolean':
      return b.kind === 'string' ? String(v) : b.kind === 'bool' ? v : fail();
    case 'bigint':
      return integer(v, v.toString(), b);
    case 'number':
      if (!Number.isInteger(v)) return float(v, b);
      return integer(BigInt(v), Math.abs(v) >= 1e21 ? BigInt(v).toString() : String(v), b);
    default:
      return fail();
  }
}

function unmarshal(v: unknown, t: GoType, cur: unknown): unknown {
  if (v === null || v === undefined) {
    const b = base(t);
    return b.kind === 'ptr' || b.kind === 'slice' ? zeroValue(t) : KEEP;
  }
  while (t.kind === 'ptr') {
    if (cur === undefined) cur = zeroValue(t.elem);
    t = t.elem;
  }
  const b = base(t);
  if (typeof v !== 'object') return scalar(v, b);
  if (Array.isArray(v)) {
    if (b.kind !== 'slice') return fail();
    const out: unknown[] = [];
    for (const item of v) {
      const d = unmarshal(item, b.elem, zeroValue(b.elem));
      if (d !== KEEP) out.push(d);
    }
    return out;
  }
  if (b.kind !== 'struct') return fail();
  const obj = cur as GoStruct;
  const fields = fieldsByKey(b.def);
  for (const key of Object.keys(v)) {
    const f = fields.get(key);
    if (!f) continue;
    const d = unmarshal((v as Record<string, unknown>)[key], f.type, obj[f.key]);
    if (d !== KEEP) obj[f.key] = d;
  }
  return obj;
}

/** True when collections nest deeper than the node tree allows (`exceeded max depth`). */
function tooDeep(root: object): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Whether `nodeFromValue` would build a tree from `value`. `textLength`: `value` is `JSON.parse`
 * output of that many characters (no cycles, no functions; only nesting can exceed the tree's
 * limits, and only in long text); undefined for any other value.
 */
export function buildsNodeTree(value: object, textLength: number | undefined): boolean {
  if (textLength !== undefined) return textLength <= 2 * MAX_DEPTH || !tooDeep(value);
  try {
    nodeFromValue(value);
    return true;
  } catch (err) {
    if (err instanceof YamlError) return false;
    throw err;
  }
}

/** The config decoded into `type`, or undefined where go-yaml reports any error. Check `buildsNodeTree` first. */
export function decodeJsonValue(value: object, type: GoType): GoStruct | undefined {
  try {
    return unmarshal(value, type, zeroValue(type)) as GoStruct;
  } catch (err) {
    if (err instanceof DecodeFailure) return undefined;
    throw err;
  }
}

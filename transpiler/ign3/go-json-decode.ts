/**
 * `json.Unmarshal(raw, &config)` on a parsed tree (json-tree.ts) into a schema.ts Go type, with
 * encoding/json's rules: scalar types are strict (a number or bool in a string field, `1.0` or
 * `1e3` in an int field are type errors), object keys match struct fields exactly or else
 * case-insensitively, members are decoded in order (so a later duplicate wins, merging into a
 * struct the earlier one filled), `null` leaves a value alone except pointers and slices (set to
 * nil), and a `null` array element is the element type's zero value. Integers keep every digit:
 * past 2^53 they are bigints. Flatcar only asks whether decoding failed, so the first type error
 * ends the walk.
 */
import { goInt, MAX_INT64, MAX_UINT64, MIN_INT64, type GoInt } from '../go/int';
import { zeroValue, type FieldDef, type GoStruct, type GoType, type StructDef } from '../schema';
import { JsonNumber, JsonObject, type JsonValue } from './json-tree';

/**
 * How keys fold: `legacy` is the encoding/json forks Ignition 0.x vendors (ASCII case, plus the
 * Kelvin sign for k and long s for s), `modern` is Go 1.21+ (`ToUpper(ToLower(r))`, which also
 * maps dotted and dotless i to I).
 */
export type KeyFolding = 'legacy' | 'modern';

/** A custom `UnmarshalJSON`: false where it returns an error for this JSON value. */
export type UnmarshalCheck = (value: JsonValue, escaped: boolean) => boolean;

export interface DecodeOptions {
  readonly folding?: KeyFolding;
  /** Types with an `UnmarshalJSON` that can refuse a value (spec 1 and 2.0 types), by identity. */
  readonly checks?: ReadonlyMap<GoType, UnmarshalCheck>;
}

class TypeError_ extends Error {}
const typeError = (): never => {
  throw new TypeError_();
};

/** `strconv.ParseInt(text, 10, 64)` / `ParseUint` of a JSON number, or a type error. */
function integer(n: JsonNumber, unsigned: boolean): GoInt {
  const text = n.text;
  if (!/^-?\d+$/.test(text)) return typeError();
  if (unsigned && text.startsWith('-')) return typeError();
  if (text.length <= 16) {
    const v = Number(text);
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
  }
  const big = BigInt(text);
  if (unsigned ? big > MAX_UINT64 : big > MAX_INT64 || big < MIN_INT64) return typeError();
  return goInt(big);
}

const KELVIN = '\u212a';
const LONG_S = '\u017f';

function foldKey(key: string, folding: KeyFolding): string {
  let out = '';
  for (const ch of key) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out += c >= 0x61 && c <= 0x7a ? String.fromCharCode(c - 0x20) : ch;
    else if (ch === KELVIN) out += 'K';
    else if (ch === LONG_S) out += 'S';
    else if (folding === 'modern' && (ch === '\u0130' || ch === '\u0131')) out += 'I';
    // any other rune folds to a non-ASCII one, which no (ASCII) field name holds
    else out += '\u0000';
  }
  return out;
}

interface FieldIndex {
  readonly exact: Map<string, FieldDef>;
  readonly folded: Map<string, FieldDef>;
}

const indexes = new WeakMap<StructDef, FieldIndex>();

function fieldIndex(def: StructDef): FieldIndex {
  let ix = indexes.get(def);
  if (!ix) {
    const exact = new Map<string, FieldDef>();
    const folded = new Map<string, FieldDef>();
    for (const f of def.fields) {
      exact.set(f.key, f);
      const k = foldKey(f.key, 'legacy');
      if (!folded.has(k)) folded.set(k, f);
    }
    ix = { exact, folded };
    indexes.set(def, ix);
  }
  return ix;
}

/** The backing array and capacity behind a decoded slice, where it has room beyond its length. */
const backings = new WeakMap<unknown[], { backing: unknown[]; cap: number }>();

class Decoder {
  constructor(private readonly folding: KeyFolding, private readonly checks: ReadonlyMap<GoType, UnmarshalCheck> | undefined) {}

  /** The slot's new value after decoding `v` into it (`cur`: its value so far). */
  value(v: JsonValue, t: GoType, cur: unknown, escaped = false): unknown {
    const check = this.checks?.get(t);
    if (check && !check(v, escaped)) typeError();
    switch (t.kind) {
      case 'named':
        return this.value(v, t.elem, cur, escaped);
      case 'ptr':
        if (v === null) return undefined;
        return this.value(v, t.elem, cur === undefined ? zeroValue(t.elem) : cur, escaped);
      case 'string':
        return typeof v === 'string' ? v : v === null ? cur : typeError();
      case 'bool':
        return typeof v === 'boolean' ? v : v === null ? cur : typeError();
      case 'int':
      case 'uint':
        return v instanceof JsonNumber ? integer(v, t.kind === 'uint') : v === null ? cur : typeError();
      case 'slice':
        if (v === null) return null;
        return Array.isArray(v) ? this.slice(v, t.elem, cur as unknown[] | null) : typeError();
      case 'struct':
        if (v === null) return cur;
        return v instanceof JsonObject ? this.struct(v, t.def, cur as GoStruct) : typeError();
    }
  }

  /**
   * Go's `array()` into a slice that may already hold values (a repeated key): elements decode
   * into the existing ones, and growing within the old capacity exposes what an earlier, longer
   * decode left there; growing past it copies only the live elements (cap + cap/2, at least 4).
   */
  slice(v: JsonValue[], elem: GoType, cur: unknown[] | null): unknown[] {
    if (v.length === 0) return [];
    const old = cur === null ? undefined : backings.get(cur);
    let backing: unknown[] = old ? old.backing : (cur ?? []);
    let cap = old ? old.cap : backing.length;
    let len = cur?.length ?? 0;
    for (let i = 0; i < v.length; i++) {
      if (i >= cap) {
        backing = backing.slice(0, len);
        cap = Math.max(cap + Math.floor(cap / 2), 4);
      }
      if (i >= len) len = i + 1;
      backing[i] = this.value(v[i], elem, i < backing.length && backing[i] !== undefined ? backing[i] : zeroValue(elem));
    }
    const out = backing.slice(0, v.length);
    if (cap > v.length) backings.set(out, { backing, cap });
    return out;
  }

  struct(v: JsonObject, def: StructDef, obj: GoStruct): GoStruct {
    const ix = fieldIndex(def);
    for (let i = 0; i < v.keys.length; i++) {
      const key = v.keys[i];
      const f = ix.exact.get(key) ?? ix.folded.get(foldKey(key, this.folding));
      if (!f) continue;
      obj[f.key] = this.value(v.values[i], f.type, obj[f.key], v.escaped?.has(i) ?? false);
    }
    return obj;
  }
}

/** The tree decoded into `type`, or undefined where encoding/json returns an error. */
export function unmarshalGo(tree: JsonValue, type: GoType, options: DecodeOptions = {}): GoStruct | undefined {
  try {
    return new Decoder(options.folding ?? 'legacy', options.checks).value(tree, type, zeroValue(type)) as GoStruct;
  } catch (err) {
    if (err instanceof TypeError_) return undefined;
    throw err;
  }
}

/**
 * `JSON.parse` output of Go's own `json.Marshal` of `type` (ct's output) decoded into `type`: its
 * keys are exact and its scalars typed, so no check is needed; the caller makes sure no integer
 * is past 2^53 (where `JSON.parse` would round).
 */
export function unmarshalMarshalled(value: unknown, type: GoType, cur?: unknown): unknown {
  switch (type.kind) {
    case 'named':
      return unmarshalMarshalled(value, type.elem, cur);
    case 'ptr':
      return value === null || value === undefined ? undefined : unmarshalMarshalled(value, type.elem);
    case 'slice':
      return Array.isArray(value) ? value.map((v) => unmarshalMarshalled(v, type.elem)) : null;
    case 'struct': {
      // decode into the zero value the parent already built, as Go does, instead of building it twice
      const obj = (cur ?? zeroValue(type)) as GoStruct;
      if (value === null || typeof value !== 'object') return obj;
      const fields = fieldIndex(type.def).exact;
      const json = value as Record<string, unknown>;
      for (const key in json) {
        const f = fields.get(key);
        if (f) obj[f.key] = unmarshalMarshalled(json[key], f.type, obj[f.key]);
      }
      return obj;
    }
    default:
      return value ?? zeroValue(type);
  }
}

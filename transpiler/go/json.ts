/**
 * Go `encoding/json` marshalling (Go 1.19) of values shaped by the descriptors in schema.ts:
 * `json.Marshal` when compact, `json.MarshalIndent(v, "", "  ")` plus the newline ct appends
 * when pretty. Encoders are compiled once per type and cached, since this runs per transpile.
 * `jsonMarshaller` serves forks that differ only in `omitempty` (Butane's clarketm/json).
 */
import type { FieldDef, GoType, StructDef } from '../schema';

/** `ind` is the current indentation for pretty output, or null for compact output. */
type Encoder = (value: unknown, ind: string | null) => string;

const INDENT = '  ';

// Anything JSON must escape, HTML-escaped characters, and surrogates (to catch lone ones).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

function escapeCharCode(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return '\\u' + c.toString(16).padStart(4, '0');
  }
}

/** A JSON string literal exactly as Go writes it (HTML-safe, U+2028/9 escaped, lone surrogates -> \ufffd). */
export function goJsonString(s: string): string {
  // Most strings need no escaping; the regex scan beats a per-char JS loop for them.
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escaped: string;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      escaped = escapeCharCode(c);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      escaped = '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      escaped = '\\ufffd';
    } else {
      continue;
    }
    out += s.slice(start, i) + escaped;
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

function encodeInt(value: unknown): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'bigint') return value.toString();
  const n = value as number;
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

const encodeString: Encoder = (v) => (v === undefined || v === null ? '""' : goJsonString(v as string));
const encodeNumber: Encoder = (v) => encodeInt(v);
const encodeBool: Encoder = (v) => (v ? 'true' : 'false');

/** `omitempty`'s test: whether field value `v` of type `type` is left out. */
export type EmptyTest = (type: GoType, v: unknown) => boolean;

/** Go's `isEmptyValue`, used by omitempty. A struct is never empty. */
export function isEmpty(type: GoType, v: unknown): boolean {
  switch (type.kind) {
    case 'string':
      return v === undefined || v === null || v === '';
    case 'int':
    case 'uint':
      return v === undefined || v === null || v === 0 || v === BigInt(0);
    case 'bool':
      return !v;
    case 'ptr':
      return v === undefined || v === null;
    case 'slice':
      return v === undefined || v === null || (v as unknown[]).length === 0;
    case 'named':
      return isEmpty(type.elem, v);
    case 'struct':
      return false;
  }
}

interface CompiledField {
  readonly key: string;
  readonly compactKey: string;
  readonly prettyKey: string;
  readonly type: GoType;
  readonly omitEmpty: boolean;
  readonly encode: Encoder;
}

/** The encoders under one `omitempty` test, one per type. */
function encoders(omitted: EmptyTest): (type: GoType) => Encoder {
  const typeCache = new WeakMap<object, Encoder>();
  const structCache = new WeakMap<StructDef, Encoder>();

  function compileField(f: FieldDef): CompiledField {
    const quoted = goJsonString(f.key);
    return {
      key: f.key,
      compactKey: quoted + ':',
      prettyKey: quoted + ': ',
      type: f.type,
      omitEmpty: f.omitEmpty === true,
      encode: encoderFor(f.type),
    };
  }

  function compileStruct(def: StructDef): Encoder {
    const cached = structCache.get(def);
    if (cached) return cached;
    // Register a forwarder first so self-referencing types terminate.
    let fields: CompiledField[] = [];
    const encode: Encoder = (v, ind) => {
      const obj = (v ?? {}) as Record<string, unknown>;
      const inner = ind === null ? null : ind + INDENT;
      let out = '';
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        const fv = obj[f.key];
        if (f.omitEmpty && omitted(f.type, fv)) continue;
        if (inner === null) {
          out += (out === '' ? '' : ',') + f.compactKey + f.encode(fv, null);
        } else {
          out += (out === '' ? '\n' : ',\n') + inner + f.prettyKey + f.encode(fv, inner);
        }
      }
      if (out === '') return '{}';
      return ind === null ? '{' + out + '}' : '{' + out + '\n' + ind + '}';
    };
    structCache.set(def, encode);
    fields = def.fields.map(compileField);
    return encode;
  }

  function compileSlice(elem: GoType): Encoder {
    let encodeElem: Encoder | undefined;
    return (v, ind) => {
      if (v === undefined || v === null) return 'null';
      const items = v as unknown[];
      if (items.length === 0) return '[]';
      encodeElem ??= encoderFor(elem);
      if (ind === null) {
        let out = '[';
        for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + encodeElem(items[i], null);
        return out + ']';
      }
      const inner = ind + INDENT;
      let out = '[';
      for (let i = 0; i < items.length; i++) out += (i === 0 ? '\n' : ',\n') + inner + encodeElem(items[i], inner);
      return out + '\n' + ind + ']';
    };
  }

  function compilePtr(elem: GoType): Encoder {
    let encodeElem: Encoder | undefined;
    return (v, ind) => {
      if (v === undefined || v === null) return 'null';
      encodeElem ??= encoderFor(elem);
      return encodeElem(v, ind);
    };
  }

  function encoderFor(type: GoType): Encoder {
    switch (type.kind) {
      case 'string':
        return encodeString;
      case 'int':
      case 'uint':
        return encodeNumber;
      case 'bool':
        return encodeBool;
      case 'struct':
        return compileStruct(type.def);
      case 'named':
        return encoderFor(type.elem);
      case 'slice':
      case 'ptr': {
        const cached = typeCache.get(type);
        if (cached) return cached;
        const enc = type.kind === 'slice' ? compileSlice(type.elem) : compilePtr(type.elem);
        typeCache.set(type, enc);
        return enc;
      }
    }
  }

  return encoderFor;
}

/**
 * A marshaller like Go's encoding/json but for its `omitempty` test (clarketm/json's also drops
 * empty structs): `json.Marshal`, or `json.MarshalIndent(v, "", "  ")` when pretty, no final newline.
 */
export function jsonMarshaller(omitEmpty: EmptyTest): (value: unknown, type: GoType, pretty: boolean) => string {
  const encoderFor = encoders(omitEmpty);
  return (value, type, pretty) => encoderFor(type)(value, pretty ? '' : null);
}

const marshal = jsonMarshaller(isEmpty);

/**
 * Marshals `value` of Go type `type` like ct does: compact = `json.Marshal`, pretty =
 * `json.MarshalIndent(v, "", "  ")` followed by "\n".
 */
export function marshalGo(value: unknown, type: GoType, pretty: boolean): string {
  return pretty ? marshal(value, type, true) + '\n' : marshal(value, type, false);
}

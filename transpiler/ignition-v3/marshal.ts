/**
 * Butane's JSON output (butane `config/util/util.go` `marshal`): `github.com/clarketm/json`, a fork of
 * Go's encoding/json whose `omitempty` also drops a struct when every field of it is empty,
 * recursively (docs/butane.md §7). Compact is `json.Marshal`, pretty is
 * `json.MarshalIndent(v, "", "  ")`; strings are HTML-escaped as in Go (go/json.ts `goJsonString`).
 * The result has no trailing newline: the CLI prints one.
 */
import { goJsonString } from '../go/json';
import type { GoType, StructDef } from '../schema';
import { ignitionType, type IgnitionVersion } from './types';

type Encoder = (value: unknown, indent: string | null) => string;

const INDENT = '  ';

const isNil = (v: unknown): boolean => v === undefined || v === null;

/** clarketm/json `isEmptyValue`: Go's rules, plus a struct is empty when all its exported fields are. */
export function isEmptyValue(type: GoType, v: unknown): boolean {
  switch (type.kind) {
    case 'string':
      return isNil(v) || v === '';
    case 'int':
    case 'uint':
      return isNil(v) || v === 0 || v === BigInt(0);
    case 'bool':
      return !v;
    case 'ptr':
      return isNil(v);
    case 'slice':
      return isNil(v) || (v as unknown[]).length === 0;
    case 'named':
      return isEmptyValue(type.elem, v);
    case 'struct': {
      if (isNil(v)) return true;
      const obj = v as Record<string, unknown>;
      return type.def.fields.every((f) => isEmptyValue(f.type, obj[f.key]));
    }
  }
}

function encodeInt(v: unknown): string {
  if (isNil(v)) return '0';
  if (typeof v === 'bigint') return v.toString();
  const n = v as number;
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

const encodeString: Encoder = (v) => goJsonString(isNil(v) ? '' : (v as string));
const encodeNumber: Encoder = (v) => encodeInt(v);
const encodeBool: Encoder = (v) => (v ? 'true' : 'false');

/** Writes `items` between `open` and `close` the way Go's encoder and `json.Indent` lay them out. */
function join(items: readonly string[], open: string, close: string, indent: string | null): string {
  if (items.length === 0) return open + close;
  if (indent === null) return open + items.join(',') + close;
  const inner = '\n' + indent + INDENT;
  return open + inner + items.join(',' + inner) + '\n' + indent + close;
}

const structEncoders = new WeakMap<StructDef, Encoder>();

function structEncoder(def: StructDef): Encoder {
  const cached = structEncoders.get(def);
  if (cached) return cached;
  const fields = def.fields.map((f) => ({ f, quoted: goJsonString(f.key), encode: lazyEncoder(f.type) }));
  const encode: Encoder = (v, indent) => {
    const obj = (v ?? {}) as Record<string, unknown>;
    const inner = indent === null ? null : indent + INDENT;
    const sep = indent === null ? ':' : ': ';
    const items: string[] = [];
    for (const { f, quoted, encode: enc } of fields) {
      const fv = obj[f.key];
      if (f.omitEmpty && isEmptyValue(f.type, fv)) continue;
      items.push(quoted + sep + enc()(fv, inner));
    }
    return join(items, '{', '}', indent);
  };
  structEncoders.set(def, encode);
  return encode;
}

/** Defers building an encoder until first use, so building one struct's encoder never recurses. */
function lazyEncoder(type: GoType): () => Encoder {
  let enc: Encoder | undefined;
  return () => (enc ??= encoderFor(type));
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
    case 'named':
      return encoderFor(type.elem);
    case 'struct':
      return structEncoder(type.def);
    case 'ptr': {
      const elem = lazyEncoder(type.elem);
      return (v, indent) => (isNil(v) ? 'null' : elem()(v, indent));
    }
    case 'slice': {
      const elem = lazyEncoder(type.elem);
      return (v, indent) => {
        if (isNil(v)) return 'null';
        const inner = indent === null ? null : indent + INDENT;
        return join(
          (v as unknown[]).map((item) => elem()(item, inner)),
          '[',
          ']',
          indent,
        );
      };
    }
  }
}

/** Marshals a value of Go type `type` as clarketm/json does (compact, or indented by two spaces). */
export function marshalGoValue(value: unknown, type: GoType, pretty: boolean): string {
  return encoderFor(type)(value, pretty ? '' : null);
}

/** Butane's output bytes for an Ignition config of spec `version`, without the final newline. */
export function marshalIgnition(config: unknown, version: IgnitionVersion, pretty: boolean): string {
  return marshalGoValue(config, ignitionType(version), pretty);
}

/**
 * Go-type descriptors. ct decodes YAML into Go structs with go-yaml and validates them with
 * Ignition's reflection walker; here the same shapes are described as data, so that one generic
 * decoder (go-yaml's rules and messages) and one generic validator (Ignition's walker) serve every
 * CLC section and every Ignition type.
 *
 * Decoded values mirror Go values:
 * - string -> string, bool -> boolean, int/uint -> number, or a bigint past 2^53 in magnitude
 *   (go/int.ts; zero values '', false, 0 when absent);
 * - ptr -> the element's value, or `undefined` for a nil pointer;
 * - slice -> an array, or `null` for a nil slice (absent key or YAML null);
 * - struct -> a plain object holding every non-pointer field under its `key`; a nil pointer field
 *   may be left out (it reads as `undefined` all the same).
 */
import type { Report } from './diagnostics';

export type GoType =
  | { readonly kind: 'string' }
  | { readonly kind: 'int' }
  | { readonly kind: 'uint' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'ptr'; readonly elem: GoType }
  | { readonly kind: 'slice'; readonly elem: GoType }
  | { readonly kind: 'struct'; readonly def: StructDef }
  /**
   * A named non-struct Go type (`type Path string`) that has its own `Validate()` method, and maybe
   * an `UnmarshalYAML` (`unmarshal`): run on the decoded underlying value when that decode gave no
   * type error, it returns the value to store or throws (a YamlError aborts the whole decode there,
   * in document order, as go-yaml's `fail(err)` does).
   */
  | {
      readonly kind: 'named';
      readonly goName: string;
      readonly elem: GoType;
      readonly validate?: (value: unknown) => Report;
      readonly unmarshal?: (value: unknown) => unknown;
    };

export interface FieldDef {
  /** Go field name (`HTTPResponseHeaders`); hooks are keyed by it, like Go's `Validate<Name>` methods. */
  readonly name: string;
  /** The struct tag for this domain: the YAML key for CLC structs, the JSON key for Ignition structs. */
  readonly key: string;
  readonly type: GoType;
  /** JSON `omitempty`: leave the key out when the value is Go's zero value (pointers: when nil). */
  readonly omitEmpty?: boolean;
  /**
   * A Go anonymous struct field that has a JSON name (Ignition 2.3's `TLS` in `Security`): JSON nests it under
   * `key` like any field, but Ignition's validator flattens its fields into the parent struct.
   */
  readonly anonymous?: boolean;
}

export interface StructDef {
  /** Go type name as go-yaml prints it in decode errors, e.g. `types.SystemdUnit`. */
  readonly goName: string;
  readonly fields: readonly FieldDef[];
  /** The struct's own `Validate()`; runs before its fields, and a fatal result stops descent. */
  readonly validate?: (value: GoStruct) => Report;
  /** `Validate<FieldName>()` hooks, run before recursing into that field, positioned at its value. */
  readonly fieldValidators?: Readonly<Record<string, (value: GoStruct) => Report>>;
  /**
   * ct's `etcd` and `flannel` embed an interface whose concrete options struct depends on the
   * decoded `version`. Given the value decoded from the fixed fields, returns that struct (or
   * undefined for none); its fields are decoded from the same mapping into the same object and
   * are walked as this struct's own fields, after the fixed ones (Go anonymous-field flattening).
   */
  readonly embedded?: (value: GoStruct) => StructDef | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GoStruct = Record<string, any>;

export const str: GoType = { kind: 'string' };
export const int: GoType = { kind: 'int' };
export const uint: GoType = { kind: 'uint' };
export const bool: GoType = { kind: 'bool' };
export const ptr = (elem: GoType): GoType => ({ kind: 'ptr', elem });
export const slice = (elem: GoType): GoType => ({ kind: 'slice', elem });
export const struct = (def: StructDef): GoType => ({ kind: 'struct', def });
export const named = (
  goName: string,
  elem: GoType,
  validate?: (value: unknown) => Report,
  unmarshal?: (value: unknown) => unknown,
): GoType => ({ kind: 'named', goName, elem, validate, unmarshal });
export const field = (name: string, key: string, type: GoType, omitEmpty = false): FieldDef => ({
  name,
  key,
  type,
  omitEmpty,
});

/**
 * The options struct a decoded etcd/flannel value holds (ct's `Options` interface field): the one
 * its version selected, or, where a repeated key's last version selects none, the one an earlier
 * occurrence left there. Recorded by the decoder; values built otherwise fall back to `embedded`.
 */
const decodedOptionsDefs = new WeakMap<GoStruct, StructDef>();

export function recordDecodedOptions(value: GoStruct, def: StructDef | undefined): void {
  if (def) decodedOptionsDefs.set(value, def);
}

/** The options struct the decoder recorded for `value`, if any. */
export function decodedOptionsDef(value: unknown): StructDef | undefined {
  return typeof value === 'object' && value !== null ? decodedOptionsDefs.get(value) : undefined;
}

/** The options struct of a value of `def` (undefined when `def` has none, or its version selects none). */
export function optionsDefOf(def: StructDef, value: GoStruct): StructDef | undefined {
  if (!def.embedded) return undefined;
  return decodedOptionsDefs.get(value) ?? def.embedded(value);
}

/** The Go zero value of a type, in the representation above. */
const fieldMaps = new WeakMap<StructDef, Map<string, FieldDef>>();
/** `def`'s fields by YAML/JSON key, built once per struct definition. */
export function fieldsByKey(def: StructDef): Map<string, FieldDef> {
  let m = fieldMaps.get(def);
  if (!m) {
    m = new Map(def.fields.map((f) => [f.key, f]));
    fieldMaps.set(def, m);
  }
  return m;
}

export function zeroValue(t: GoType): unknown {
  switch (t.kind) {
    case 'string':
      return '';
    case 'int':
    case 'uint':
      return 0;
    case 'bool':
      return false;
    case 'ptr':
      return undefined;
    case 'slice':
      return null;
    case 'named':
      return zeroValue(t.elem);
    case 'struct': {
      // Nil pointers are left out: etcd's options structs have some 70 of them, and a key per
      // field turns the object into a slow dictionary-mode one.
      const out: GoStruct = {};
      const fields = t.def.fields;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        if (f.type.kind !== 'ptr') out[f.key] = zeroValue(f.type);
      }
      return out;
    }
  }
}

/** Go's spelling of a type in messages: `int`, `[]types.User`, `*string`, `types.Config`. */
export function goTypeName(t: GoType): string {
  switch (t.kind) {
    case 'ptr':
      return `*${goTypeName(t.elem)}`;
    case 'slice':
      return `[]${goTypeName(t.elem)}`;
    case 'struct':
      return t.def.goName;
    case 'named':
      return t.goName;
    default:
      return t.kind;
  }
}

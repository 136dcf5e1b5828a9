/**
 * go-yaml's decoder (decode.go): unmarshals a node tree into a Go-typed value (schema.ts).
 * Type mismatches are collected (`yaml: unmarshal errors:`) and decoding goes on; structural
 * problems (unknown anchor, bad merge, explicit-tag mismatch) abort at once, as in go-yaml.
 */
import {
  decodedOptionsDef,
  fieldsByKey,
  type GoStruct,
  type GoType,
  goTypeName,
  recordDecodedOptions,
  type StructDef,
  zeroValue,
} from '../schema';
import { failf, type YamlFlavor, YamlError, type YamlPosition } from './errors';
import { floatToInt, floatToUint, type GoInt } from '../go/int';
import { cutBytes, goStringFromBytes } from '../go/raw-bytes';
import type { YamlNode } from './node';
import { checkUniqueKeys } from './duplicate-keys';
import { nodePath } from './node-path';
import { LONG_TAG_PREFIX, type Resolved, resolve, shortTag } from './resolve';
import { yamlWork } from './work';

const STRING: GoType = { kind: 'string' };
/** The words yaml.v3 still decodes into a Go bool (YAML 1.1 booleans, beyond true and false). */
export const V3_BOOL_WORDS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((w): [string, boolean] => [w, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w): [string, boolean] => [w, false]),
]);

/** ct's etcd/flannel `UnmarshalYAML` first decodes into `type etcdCommon Etcd`; messages name that type. */
const commonTypes = new WeakMap<StructDef, GoType>();
function commonType(def: StructDef): GoType {
  let t = commonTypes.get(def);
  if (!t) {
    const dot = def.goName.lastIndexOf('.');
    const name = def.goName.slice(dot + 1);
    const goName = `${def.goName.slice(0, dot + 1)}${name[0].toLowerCase()}${name.slice(1)}Common`;
    t = { kind: 'struct', def: { goName, fields: def.fields } };
    commonTypes.set(def, t);
  }
  return t;
}

function base(t: GoType): GoType {
  while (t.kind === 'named') t = t.elem;
  return t;
}

/** Go's `value[:7] + "..."` for values over 10 bytes: a split character leaves raw bytes (go/raw-bytes.ts). */
function clip(value: string): string {
  return Buffer.byteLength(value, 'utf8') <= 10 ? value : `${cutBytes(value, 7)}...`;
}

function decodeBase64(text: string): string {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(=|==)?$/.test(s)) failf('!!binary value contains invalid base64 data');
  // the bytes as a Go string: invalid UTF-8 stays raw (go/raw-bytes.ts)
  return goStringFromBytes(Buffer.from(s, 'base64'));
}

/**
 * Merge keys nested deeper than this (inline, or through aliases) are refused, in both dialects.
 * go-yaml has no such limit (Go's stack grows to 1 GB); the decoder recurses a few frames per
 * merge, and past about 1,200 levels it would run out of JavaScript stack. Only merges can nest
 * this deep: any other nesting is bounded by the depth of ct's config types.
 */
export const MAX_MERGE_DEPTH = 500;

function allowedAliasRatio(count: number): number {
  if (count <= 400000) return 0.99;
  if (count >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((count - 400000) / 3600000);
}

class Decoder {
  readonly errors: string[] = [];
  /** Where the first type error is, for the API's diagnostics (go-yaml prints only its line). */
  firstErrorAt?: YamlPosition;
  /** go-yaml's `good` result of the last `unmarshal` call. */
  private good = false;
  private readonly v3: boolean;
  private readonly activeAnchors = new Set<string>();
  private readonly activeAliases = new Set<YamlNode>();
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  /** The node decoding started from, and the last alias expanded from outside any alias (for the refusal's position). */
  private root: YamlNode | undefined;
  private outerAlias: YamlNode | undefined;
  private mergeDepth = 0;

  constructor(flavor: YamlFlavor) {
    this.v3 = flavor === 'v3';
  }

  unmarshal(n: YamlNode, t: GoType, cur: unknown): unknown {
    // yaml.v3's alias budget, applied to the v2 fork too (which has none): a merge-key or alias bomb
    // is refused after a few thousand decodes instead of expanding exponentially.
    this.decodeCount++;
    yamlWork.nodes++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      this.excessiveAliasing();
    }
    this.root ??= n;
    if (n.kind === 'document') {
      if (n.children.length !== 1) {
        this.good = false;
        return cur;
      }
      const v = this.unmarshal(n.children[0], t, cur);
      this.good = true;
      return v;
    }
    if (n.kind === 'alias') return this.alias(n, t, cur);
    // go-yaml's prepare(): pointers are allocated unless the node is null.
    if (!this.isPrepareNull(n)) {
      while (t.kind === 'ptr') {
        if (cur === undefined) cur = zeroValue(t.elem);
        t = t.elem;
      }
      if (t.kind === 'named' && t.unmarshal) return this.custom(n, t, t.unmarshal);
      const b = base(t);
      if (b.kind === 'struct' && b.def.embedded) return this.embedded(n, b.def, cur);
    }
    if (n.kind === 'scalar') return this.scalar(n, t, cur);
    if (n.kind === 'mapping') return this.mapping(n, t, cur);
    return this.sequence(n, t, cur);
  }

  private isPrepareNull(n: YamlNode): boolean {
    if (n.kind !== 'scalar') return false;
    if (this.v3) return n.tag === '!!null';
    // The v2 fork checks the raw text: `~`, `Null` and `NULL` still allocate pointers.
    const raw = n.explicitTag;
    if (raw === `${LONG_TAG_PREFIX}null`) return true;
    return raw === undefined && (n.value === 'null' || (n.value === '' && n.style === 'plain'));
  }

  private alias(n: YamlNode, t: GoType, cur: unknown): unknown {
    if (this.aliasDepth === 0) this.outerAlias = n;
    if (this.v3) {
      if (this.activeAliases.has(n)) failf(`anchor '${n.value}' value contains itself`);
      this.activeAliases.add(n);
      this.aliasDepth++;
      const v = this.unmarshal(n.alias as YamlNode, t, cur);
      this.aliasDepth--;
      this.activeAliases.delete(n);
      return v;
    }
    if (!n.alias) failf(`unknown anchor '${n.value}' referenced`);
    if (this.activeAnchors.has(n.value)) failf(`anchor '${n.value}' value contains itself`);
    this.activeAnchors.add(n.value);
    this.aliasDepth++;
    const v = this.unmarshal(n.alias, t, cur);
    this.aliasDepth--;
    this.activeAnchors.delete(n.value);
    return v;
  }

  /** The refusal, placed at the alias of the document (not of an anchor's value) being expanded. */
  private excessiveAliasing(): never {
    failf('document contains excessive aliasing', this.outerAlias && this.positionOf(this.outerAlias));
  }

  private positionOf(n: YamlNode): YamlPosition {
    return { line: n.line + 1, column: n.column + 1, path: this.root ? nodePath(this.root, n) : '' };
  }

  private terror(n: YamlNode, tag: string, t: GoType): void {
    let used = tag;
    if (this.v3) {
      if (n.tag !== '') used = n.tag;
    } else if (n.kind === 'scalar' && n.explicitTag !== undefined) {
      used = shortTag(n.explicitTag);
    }
    const value = used !== '!!seq' && used !== '!!map' ? ` \`${clip(n.value)}\`` : '';
    if (this.errors.length === 0) this.firstErrorAt = this.positionOf(n);
    this.errors.push(`line ${n.line + 1}: cannot unmarshal ${used}${value} into ${goTypeName(t)}`);
  }

  private resolveScalar(n: YamlNode): Resolved {
    if (this.v3) {
      if (n.tag === '!!str') return { tag: '!!str', kind: 'str', value: n.value };
      return resolve(n.tag, n.value, 'v3');
    }
    const raw = n.explicitTag;
    if (raw === undefined && n.style !== 'plain') return { tag: '!!str', kind: 'str', value: n.value };
    return resolve(raw === undefined ? '' : shortTag(raw), n.value, 'v2');
  }

  private scalar(n: YamlNode, t: GoType, cur: unknown): unknown {
    // An untagged scalar that resolved to a string (every mapping key, most values) into a string
    // field is its text, whichever flavor: compose resolved `tag` with the same rules.
    if (n.tag === '!!str' && n.explicitTag === undefined && base(t).kind === 'string') {
      this.good = true;
      return n.value;
    }
    const r = this.resolveScalar(n);
    const binary = r.tag === '!!binary' ? decodeBase64(n.value) : undefined;
    const b = base(t);
    if (r.kind === 'null') {
      if (!this.v3 || b.kind === 'ptr' || b.kind === 'slice') {
        this.good = true;
        return zeroValue(t);
      }
      this.good = false;
      return cur;
    }
    let v: unknown;
    switch (b.kind) {
      case 'string':
        v = binary ?? n.value;
        break;
      case 'int':
        v = toInt(r);
        break;
      case 'uint':
        v = toUint(r);
        break;
      case 'bool':
        if (r.kind === 'bool') v = r.value;
        else if (this.v3 && r.kind === 'str') v = V3_BOOL_WORDS.get(r.value);
        break;
    }
    if (v === undefined) {
      this.terror(n, r.tag, t);
      this.good = false;
      return cur;
    }
    this.good = true;
    return v;
  }

  private sequence(n: YamlNode, t: GoType, cur: unknown): unknown {
    const b = base(t);
    if (b.kind !== 'slice') {
      this.terror(n, '!!seq', t);
      this.good = false;
      return cur;
    }
    const out: unknown[] = [];
    const c = n.children;
    for (let i = 0; i < c.length; i++) {
      const v = this.unmarshal(c[i], b.elem, zeroValue(b.elem));
      if (this.good) out.push(v);
    }
    this.good = true;
    return out;
  }

  private mapping(n: YamlNode, t: GoType, cur: unknown): unknown {
    if (this.v3 && !this.uniqueKeys(n)) {
      this.good = false;
      return cur;
    }
    const b = base(t);
    if (b.kind !== 'struct') {
      this.terror(n, '!!map', t);
      this.good = false;
      return cur;
    }
    const obj = cur as GoStruct;
    const fields = fieldsByKey(b.def);
    const done = this.v3 ? new Set<string>() : undefined;
    const c = n.children;
    for (let i = 0; i + 1 < c.length; i += 2) {
      const k = c[i];
      if (this.isMerge(k)) {
        this.merge(c[i + 1], b, obj);
        continue;
      }
      const name = this.unmarshal(k, STRING, '') as string;
      if (!this.good) continue;
      const f = fields.get(name);
      if (!f) continue; // unknown keys are reported by the validator, not the decoder
      if (done) {
        if (done.has(f.key)) {
          if (this.errors.length === 0) this.firstErrorAt = this.positionOf(k);
          this.errors.push(`line ${k.line + 1}: field ${name} already set in type ${b.def.goName}`);
          continue;
        }
        done.add(f.key);
      }
      obj[f.key] = this.unmarshal(c[i + 1], f.type, obj[f.key]);
    }
    this.good = true;
    return obj;
  }

  /** yaml.v3 rejects a mapping whose keys repeat (same kind and text), before decoding it. */
  private uniqueKeys(n: YamlNode): boolean {
    return checkUniqueKeys(n.children, this.errors);
  }

  private isMerge(k: YamlNode): boolean {
    if (k.kind !== 'scalar' || k.value !== '<<') return false;
    if (this.v3) return k.tag === '!!merge';
    // The fork's `implicit`: a plain scalar without tag, or any scalar tagged `!`.
    const raw = k.explicitTag;
    return (raw === undefined && k.style === 'plain') || raw === '!' || raw === `${LONG_TAG_PREFIX}merge`;
  }

  private merge(v: YamlNode, t: GoType, obj: GoStruct): void {
    if (this.mergeDepth >= MAX_MERGE_DEPTH) {
      // a chain of aliases is the likely cause: refuse it as aliasing, placed at the first alias
      if (this.aliasDepth > 0) this.excessiveAliasing();
      failf(`exceeded max depth of ${MAX_MERGE_DEPTH}`, this.positionOf(v));
    }
    this.mergeDepth++;
    this.applyMerge(v, t, obj);
    this.mergeDepth--;
  }

  private applyMerge(v: YamlNode, t: GoType, obj: GoStruct): void {
    const wantMap = (): never => failf('map merge requires map or sequence of maps as the value');
    switch (v.kind) {
      case 'mapping':
        this.unmarshal(v, t, obj);
        return;
      case 'alias':
        if (v.alias && v.alias.kind !== 'mapping') wantMap();
        this.unmarshal(v, t, obj);
        return;
      case 'sequence':
        // Earlier mappings take precedence, so they are applied last.
        for (let i = v.children.length - 1; i >= 0; i--) {
          const m = v.children[i];
          if (m.kind === 'alias' ? m.alias && m.alias.kind !== 'mapping' : m.kind !== 'mapping') wantMap();
          this.unmarshal(m, t, obj);
        }
        return;
      default:
        wantMap();
    }
  }

  /**
   * go-yaml's `callUnmarshaler` for a named type's `UnmarshalYAML`: the nested decode's type errors
   * make it return false (they stay collected); otherwise the method's own error is fatal here.
   */
  private custom(n: YamlNode, t: GoType & { kind: 'named' }, hook: (value: unknown) => unknown): unknown {
    const before = this.errors.length;
    const value = this.unmarshal(n, t.elem, zeroValue(t.elem));
    if (this.errors.length > before) {
      this.good = false;
      return value;
    }
    this.good = true;
    return hook(value);
  }

  /**
   * ct's etcd/flannel `UnmarshalYAML`: decode the fixed fields into `<name>Common` (starting from
   * the current value, as `t := etcdCommon(*etcd)` does), pick the options struct from them, then
   * decode the same node into a fresh options struct that replaces the earlier options (a repeated
   * key, accepted by the v2 fork, keeps only the last occurrence's options). A type error stops
   * the sequence.
   */
  private embedded(n: YamlNode, def: StructDef, cur: unknown): unknown {
    const before = this.errors.length;
    const common = this.unmarshal(n, commonType(def), { ...(cur as GoStruct) }) as GoStruct;
    if (this.errors.length > before) {
      this.good = false;
      return cur;
    }
    const options = def.embedded?.(common);
    if (!options) {
      // no options struct for this version: the earlier one stays, as ct assigns none
      recordDecodedOptions(common, decodedOptionsDef(cur));
      this.good = true;
      return common;
    }
    const optionsType: GoType = { kind: 'struct', def: options };
    const value = this.unmarshal(n, optionsType, zeroValue(optionsType)) as GoStruct;
    if (this.errors.length > before) {
      this.good = false;
      return common;
    }
    const out: GoStruct = {};
    for (const f of def.fields) if (common[f.key] !== undefined) out[f.key] = common[f.key];
    recordDecodedOptions(out, options);
    this.good = true;
    return Object.assign(out, value);
  }
}

/** Go's int(x) for an int field, or undefined when go-yaml reports a type error. */
function toInt(r: Resolved): GoInt | undefined {
  // a uint64 past MaxInt64 does not fit: go-yaml checks `resolved <= math.MaxInt64`
  if (r.kind === 'int') return r.value;
  return r.kind === 'float' ? floatToInt(r.value) : undefined;
}

/** Go's uint(x) for a uint field (negative ints are type errors; floats wrap as on amd64). */
function toUint(r: Resolved): GoInt | undefined {
  if (r.kind === 'int') return r.value >= 0 ? r.value : undefined;
  if (r.kind === 'uint') return r.value;
  return r.kind === 'float' ? floatToUint(r.value) : undefined;
}

/** go-yaml `Unmarshal` of a parsed document into a value of `type` (the Go zero value for no document). */
export function decodeDocument(doc: YamlNode | undefined, type: GoType, flavor: YamlFlavor): unknown {
  const zero = zeroValue(type);
  if (!doc) return zero;
  const d = new Decoder(flavor);
  const value = d.unmarshal(doc, type, zero);
  if (d.errors.length > 0) throw new YamlError(`yaml: unmarshal errors:\n  ${d.errors.join('\n  ')}`, d.firstErrorAt);
  return value;
}

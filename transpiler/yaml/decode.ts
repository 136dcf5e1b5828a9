/**
 * go-yaml's decoder (decode.go): unmarshals a node tree into a Go-typed value (schema.ts).
 * Type mismatches are collected (`yaml: unmarshal errors:`) and decoding goes on; structural
 * problems (unknown anchor, bad merge, explicit-tag mismatch) abort at once, as in go-yaml.
 */
import { fieldsByKey, type GoStruct, type GoType, goTypeName, type StructDef, zeroValue } from '../schema';
import { failf, type YamlFlavor, YamlError } from './errors';
import { quoteGo } from '../go/quote';
import type { YamlNode } from './node';
import { LONG_TAG_PREFIX, type Resolved, resolve, shortTag } from './resolve';

const STRING: GoType = { kind: 'string' };
const TWO_63 = 2 ** 63;
const TWO_64 = 2n ** 64n;
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

/** Go's `value[:7] + "..."` for values over 10 bytes, cut on a character boundary. */
function clip(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= 10) return value;
  let out = '';
  let bytes = 0;
  for (const ch of value) {
    const w = Buffer.byteLength(ch, 'utf8');
    if (bytes + w > 7) break;
    out += ch;
    bytes += w;
  }
  return `${out}...`;
}

function decodeBase64(text: string): string {
  const s = text.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(=|==)?$/.test(s)) failf('!!binary value contains invalid base64 data');
  return Buffer.from(s, 'base64').toString('utf8');
}

function allowedAliasRatio(count: number): number {
  if (count <= 400000) return 0.99;
  if (count >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((count - 400000) / 3600000);
}

class Decoder {
  readonly errors: string[] = [];
  /** go-yaml's `good` result of the last `unmarshal` call. */
  private good = false;
  private readonly v3: boolean;
  private readonly activeAnchors = new Set<string>();
  private readonly activeAliases = new Set<YamlNode>();
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;

  constructor(flavor: YamlFlavor) {
    this.v3 = flavor === 'v3';
  }

  unmarshal(n: YamlNode, t: GoType, cur: unknown): unknown {
    if (this.v3) {
      this.decodeCount++;
      if (this.aliasDepth > 0) this.aliasCount++;
      if (
        this.aliasCount > 100 &&
        this.decodeCount > 1000 &&
        this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
      ) {
        failf('document contains excessive aliasing');
      }
    }
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
    const v = this.unmarshal(n.alias, t, cur);
    this.activeAnchors.delete(n.value);
    return v;
  }

  private terror(n: YamlNode, tag: string, t: GoType): void {
    let used = tag;
    if (this.v3) {
      if (n.tag !== '') used = n.tag;
    } else if (n.kind === 'scalar' && n.explicitTag !== undefined) {
      used = shortTag(n.explicitTag);
    }
    const value = used !== '!!seq' && used !== '!!map' ? ` \`${clip(n.value)}\`` : '';
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
    const c = n.children;
    const before = this.errors.length;
    for (let i = 0; i < c.length; i += 2) {
      for (let j = i + 2; j < c.length; j += 2) {
        if (c[i].kind === c[j].kind && c[i].value === c[j].value) {
          this.errors.push(`line ${c[j].line + 1}: mapping key ${quoteGo(c[j].value)} already defined at line ${c[i].line + 1}`);
        }
      }
    }
    return this.errors.length === before;
  }

  private isMerge(k: YamlNode): boolean {
    if (k.kind !== 'scalar' || k.value !== '<<') return false;
    if (this.v3) return k.tag === '!!merge';
    // The fork's `implicit`: a plain scalar without tag, or any scalar tagged `!`.
    const raw = k.explicitTag;
    return (raw === undefined && k.style === 'plain') || raw === '!' || raw === `${LONG_TAG_PREFIX}merge`;
  }

  private merge(v: YamlNode, t: GoType, obj: GoStruct): void {
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
   * ct's etcd/flannel `UnmarshalYAML`: decode the fixed fields into `<name>Common`, pick the options
   * struct from them, then decode the same node into that struct. A type error stops the sequence.
   */
  private embedded(n: YamlNode, def: StructDef, cur: unknown): unknown {
    const before = this.errors.length;
    const common = this.unmarshal(n, commonType(def), { ...(cur as GoStruct) }) as GoStruct;
    if (this.errors.length > before) {
      this.good = false;
      return cur;
    }
    const options = def.embedded?.(common);
    if (options) {
      const optionsType: GoType = { kind: 'struct', def: options };
      const value = this.unmarshal(n, optionsType, zeroValue(optionsType)) as GoStruct;
      if (this.errors.length > before) {
        this.good = false;
        return common;
      }
      Object.assign(common, value);
    }
    this.good = true;
    return common;
  }
}

/** Go's int(x) for an int field, or undefined when go-yaml reports a type error. */
function toInt(r: Resolved): number | undefined {
  if (r.kind === 'int') return Number(r.value);
  return r.kind === 'float' ? floatToInt(r.value) : undefined;
}

/** Go's uint(x) for a uint field (negative ints are type errors; floats wrap as on amd64). */
function toUint(r: Resolved): number | undefined {
  if (r.kind === 'int') return r.value >= 0n ? Number(r.value) : undefined;
  if (r.kind === 'uint') return Number(r.value);
  return r.kind === 'float' ? floatToUint(r.value) : undefined;
}

/** A float decoded into an int field, as go-yaml converts it on amd64; undefined is a type error. */
export function floatToInt(f: number): number | undefined {
  if (Number.isNaN(f) || f > TWO_63) return undefined;
  // amd64 turns out-of-range conversions into math.MinInt64.
  if (f >= TWO_63 || f < -TWO_63) return -TWO_63;
  return Math.trunc(f) + 0;
}

/** A float decoded into a uint field, wrapping as on amd64; undefined is a type error. */
export function floatToUint(f: number): number | undefined {
  if (Number.isNaN(f) || f > 2 ** 64) return undefined;
  if (f >= TWO_63) return f >= 2 ** 64 ? 0 : f;
  const i = f < -TWO_63 ? -(2n ** 63n) : BigInt(Math.trunc(f));
  return Number(i < 0n ? i + TWO_64 : i);
}

/** go-yaml `Unmarshal` of a parsed document into a value of `type` (the Go zero value for no document). */
export function decodeDocument(doc: YamlNode | undefined, type: GoType, flavor: YamlFlavor): unknown {
  const zero = zeroValue(type);
  if (!doc) return zero;
  const d = new Decoder(flavor);
  const value = d.unmarshal(doc, type, zero);
  if (d.errors.length > 0) throw new YamlError(`yaml: unmarshal errors:\n  ${d.errors.join('\n  ')}`);
  return value;
}

/**
 * Scalar tag resolution (resolve.go). v2 is the 2017 fork: YAML 1.1 booleans (`yes`, `on`, ...),
 * no timestamps. v3 keeps only `true`/`false` as booleans and recognises timestamps. Integers
 * follow Go's `strconv.ParseInt(s, 0, 64)` (Go 1.19: `0x`, `0o`, `0b`, and a leading `0` is octal).
 */
import { goInt, type GoInt, MAX_INT64, MAX_UINT64 } from '../go/int';
import { failf, type YamlFlavor } from './errors';
import { parseTimestamp } from './timestamp';

export const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

export type Resolved =
  | { readonly tag: string; readonly kind: 'null' }
  | { readonly tag: string; readonly kind: 'bool'; readonly value: boolean }
  /** A Go int (int64 range) or uint64 beyond it: a bigint only past 2^53 (go/int.ts). */
  | { readonly tag: string; readonly kind: 'int' | 'uint'; readonly value: GoInt }
  | { readonly tag: string; readonly kind: 'float'; readonly value: number }
  /** Strings, merge keys, binary (still base64) and other non-resolvable tags: the text itself. */
  | { readonly tag: string; readonly kind: 'str' | 'timestamp'; readonly value: string };

export function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? `!!${tag.slice(LONG_TAG_PREFIX.length)}` : tag;
}

const NULL: Resolved = { tag: '!!null', kind: 'null' };
const TRUE: Resolved = { tag: '!!bool', kind: 'bool', value: true };
const FALSE: Resolved = { tag: '!!bool', kind: 'bool', value: false };
const float = (value: number): Resolved => ({ tag: '!!float', kind: 'float', value });

function table(entries: [Resolved, string[]][]): Map<string, Resolved> {
  const m = new Map<string, Resolved>();
  for (const [r, words] of entries) for (const w of words) m.set(w, r);
  return m;
}

const COMMON: [Resolved, string[]][] = [
  [TRUE, ['true', 'True', 'TRUE']],
  [FALSE, ['false', 'False', 'FALSE']],
  [NULL, ['', '~', 'null', 'Null', 'NULL']],
  [float(NaN), ['.nan', '.NaN', '.NAN']],
  [float(Infinity), ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [float(-Infinity), ['-.inf', '-.Inf', '-.INF']],
  [{ tag: '!!merge', kind: 'str', value: '<<' }, ['<<']],
];
const WORDS: Record<YamlFlavor, Map<string, Resolved>> = {
  v2: table([
    ...COMMON,
    [TRUE, ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']],
    [FALSE, ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']],
  ]),
  v3: table(COMMON),
};

/** resolve.go's first-character hint: S(ign), D(igit), M(ap word), '.', or none (a plain string). */
const HINTS: string[] = new Array(128).fill('');
HINTS[0x2b] = HINTS[0x2d] = 'S';
for (let c = 0x30; c <= 0x39; c++) HINTS[c] = 'D';
HINTS[0x2e] = '.';
for (const ch of 'yYnNtTfFoO~') HINTS[ch.charCodeAt(0)] = 'M';
const hint = (c: number): string => (c < 128 ? HINTS[c] : '');

/** The fork predates yaml.v2's later float pattern: its exponent needs a sign and `1.` is no float. */
const YAML_STYLE_FLOAT: Record<YamlFlavor, RegExp> = {
  v2: /^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$/,
  v3: /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/,
};
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** A digit's value in bases up to 36; 99 for anything else. */
function digitValue(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a ? (c | 0x20) - 0x57 : 99;
}

/** Go's `strconv.ParseUint(s, 0, 64)` (underscores already removed); undefined on any error. */
function parseUint(s: string): GoInt | undefined {
  if (s.length === 0) return undefined;
  let base = 10;
  let i = 0;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1].toLowerCase() : '';
    if (p === 'b') base = 2;
    else if (p === 'o') base = 8;
    else if (p === 'x') base = 16;
    else base = 8;
    i = base === 8 && p !== 'o' ? 1 : 2;
  }
  if (s.length - i <= 13) {
    // 13 digits of any base up to 16 stay below 2^53: exact in a double, no BigInt per digit
    let v = 0;
    for (; i < s.length; i++) {
      const d = digitValue(s.charCodeAt(i));
      if (d >= base) return undefined;
      v = v * base + d;
    }
    return v;
  }
  let n = 0n;
  const b = BigInt(base);
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return undefined;
  }
  return goInt(n);
}

/** Go's `strconv.ParseInt(s, 0, 64)`. */
function parseInt64(s: string): GoInt | undefined {
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const u = parseUint(body);
  if (u === undefined) return undefined;
  if (typeof u === 'number') return neg ? 0 - u : u;
  if (neg ? u > MAX_INT64 + 1n : u > MAX_INT64) return undefined;
  return neg ? -u : u;
}

function resolvable(tag: string, flavor: YamlFlavor): boolean {
  switch (tag) {
    case '':
    case '!!str':
    case '!!bool':
    case '!!int':
    case '!!float':
    case '!!null':
      return true;
    case '!!timestamp':
      return flavor === 'v3';
  }
  return false;
}

function resolveUntyped(tag: string, value: string, flavor: YamlFlavor): Resolved {
  const h = value === '' ? 'N' : hint(value.charCodeAt(0));
  if (h !== '' && tag !== '!!str' && tag !== '!!binary') {
    const word = WORDS[flavor].get(value);
    if (word) return word;
    if (h === '.') {
      if (DOT_FLOAT.test(value)) {
        const f = Number(value);
        if (Number.isFinite(f)) return float(f);
      }
    } else if (h === 'D' || h === 'S') {
      if (flavor === 'v3' && (tag === '' || tag === '!!timestamp') && parseTimestamp(value)) {
        return { tag: '!!timestamp', kind: 'timestamp', value };
      }
      const plain = value.includes('_') ? value.replaceAll('_', '') : value;
      const i = parseInt64(plain);
      if (i !== undefined) return { tag: '!!int', kind: 'int', value: i };
      const u = parseUint(plain);
      if (u !== undefined) return { tag: '!!int', kind: 'uint', value: u };
      if (YAML_STYLE_FLOAT[flavor].test(plain)) {
        const f = Number(plain);
        if (Number.isFinite(f)) return float(f);
      }
    }
  }
  return { tag: '!!str', kind: 'str', value };
}

/**
 * go-yaml's `resolve(tag, in)` with the tag in short form ('' for an untagged plain scalar).
 * An explicit tag the text does not fit is a fatal `cannot decode` error, as in go-yaml.
 */
export function resolve(tag: string, value: string, flavor: YamlFlavor): Resolved {
  if (!resolvable(tag, flavor)) return { tag, kind: 'str', value };
  const r = resolveUntyped(tag, value, flavor);
  if (tag === '' || tag === r.tag || tag === '!!str') return r;
  // yaml.v3 converts an int or int64 to the float asked for, but not a uint64
  if (flavor === 'v3' && tag === '!!float' && r.kind === 'int') return float(Number(r.value));
  return failf(`cannot decode ${r.tag} \`${value}\` as a ${tag}`);
}

/** The tag an untagged plain scalar resolves to (the node tree's `tag`). */
export function plainTag(value: string, flavor: YamlFlavor): string {
  if (value !== '' && hint(value.charCodeAt(0)) === '') return value === '<<' ? '!!merge' : '!!str';
  return resolveUntyped('', value, flavor).tag;
}

/**
 * go-semver (github.com/coreos/go-semver): how ct reads etcd and flannel versions (the 2016 copy
 * ct v0.9.0 vendors; Flatcar's ct v0.9.4 has v0.3.0, which also checks the pre-release and metadata
 * identifiers) and how Flatcar's Ignition reads and compares 2.x config versions (v0.3.1, which
 * checks them too). Parts are int64, kept exact as bigints.
 */
import { quoteGo } from './quote';

/** A parsed semantic version (go-semver's `Version`). */
export interface Semver {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly preRelease: string;
  readonly metadata: string;
}

const INT64_MAX = (1n << 63n) - 1n;
const IDENTIFIER = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;

/** go-semver's `splitOff`: the text after the first `delim`, removed from `input`. */
function splitOff(input: string, delim: string): [rest: string, tail: string] {
  const at = input.indexOf(delim);
  return at === -1 ? [input, ''] : [input.slice(0, at), input.slice(at + delim.length)];
}

/** Go's `strings.SplitN(s, sep, n)` for n > 0. */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const at = rest.indexOf(sep);
    if (at === -1) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + sep.length);
  }
  out.push(rest);
  return out;
}

/** Go's `strconv.ParseInt(s, 10, 64)`, with its error text. */
function parseInt64(s: string): bigint | string {
  const syntax = `strconv.ParseInt: parsing ${quoteGo(s)}: invalid syntax`;
  const range = `strconv.ParseInt: parsing ${quoteGo(s)}: value out of range`;
  const negative = s.startsWith('-');
  const digits = s.startsWith('+') || negative ? s.slice(1) : s;
  if (digits === '') return syntax;
  let n = 0n;
  for (const c of digits) {
    if (c < '0' || c > '9') return syntax;
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    // ParseUint reports overflow as soon as it happens, before any later bad character.
    if (n >= 1n << 64n) return range;
  }
  if (negative ? n > INT64_MAX + 1n : n > INT64_MAX) return range;
  return negative ? -n : n;
}

/**
 * go-semver's `Version.Set`: the version, or Go's error text. `checkIdentifiers`: v0.3.0 and
 * later validate the pre-release and metadata identifiers; the 2016 copy does not.
 */
export function parseSemver(text: string, checkIdentifiers: boolean): Semver | string {
  const [withoutMeta, metadata] = splitOff(text, '+');
  const [version, preRelease] = splitOff(withoutMeta, '-');
  const dotParts = splitN(version, '.', 3);
  if (dotParts.length !== 3) return `${version} is not in dotted-tri format`;
  if (checkIdentifiers) {
    if (preRelease !== '' && !IDENTIFIER.test(preRelease)) {
      return `failed to validate pre-release: ${preRelease} is not a valid semver identifier`;
    }
    if (metadata !== '' && !IDENTIFIER.test(metadata)) {
      return `failed to validate metadata: ${metadata} is not a valid semver identifier`;
    }
  }
  const parts: bigint[] = [];
  for (const part of dotParts) {
    const n = parseInt64(part);
    if (typeof n === 'string') return n;
    parts.push(n);
  }
  return { major: parts[0], minor: parts[1], patch: parts[2], preRelease, metadata };
}

/** v0.3.x's `semver.NewVersion`: undefined where it returns an error. */
export function newVersion(text: string): Semver | undefined {
  const v = parseSemver(text, true);
  return typeof v === 'string' ? undefined : v;
}

/** A release version X.Y.Z. */
export const semver = (major: number | bigint, minor: number | bigint, patch: number | bigint): Semver => ({
  major: BigInt(major),
  minor: BigInt(minor),
  patch: BigInt(patch),
  preRelease: '',
  metadata: '',
});

/** go-semver's `String()`: `X.Y.Z[-pre][+meta]`, the numbers re-rendered in decimal. */
export function semverString(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}${v.preRelease ? `-${v.preRelease}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

/** `strconv.Atoi` of a pre-release part, or undefined when it is not an int. */
function atoi(s: string): bigint | undefined {
  const n = parseInt64(s);
  return typeof n === 'string' ? undefined : n;
}

/** go-semver's `recursivePreReleaseCompare`: ints sort before words; equal ints still compare as text. */
function comparePreRelease(a: string, b: string): number {
  if (a === '' && b !== '') return 1;
  if (b === '' && a !== '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; ; i++) {
    if (i >= as.length) return i >= bs.length ? 0 : -1;
    if (i >= bs.length) return 1;
    const [x, y] = [as[i], bs[i]];
    const [xi, yi] = [atoi(x), atoi(y)];
    if (xi !== undefined && yi === undefined) return -1;
    if (xi === undefined && yi !== undefined) return 1;
    if (xi !== undefined && yi !== undefined && xi !== yi) return xi > yi ? 1 : -1;
    if (x !== y) return x > y ? 1 : -1;
  }
}

/** `Version.Compare` (metadata is ignored). */
export function compareSemver(a: Semver, b: Semver): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return comparePreRelease(a.preRelease, b.preRelease);
}

/** `Version.LessThan` against the release X.Y.Z: on equal numbers a pre-release sorts first. */
export const semverLessThanRelease = (v: Semver, major: bigint, minor: bigint, patch: bigint): boolean =>
  compareSemver(v, semver(major, minor, patch)) < 0;

/** Go's `==` on two `semver.Version` values: every field, metadata included. */
export const sameSemver = (a: Semver, b: Semver): boolean =>
  a.major === b.major && a.minor === b.minor && a.patch === b.patch && a.preRelease === b.preRelease && a.metadata === b.metadata;

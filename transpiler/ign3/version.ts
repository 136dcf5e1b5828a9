/**
 * The Ignition version the ign3 translation produces (kept apart so that naming it loads nothing
 * else), and coreos/go-semver v0.3.1, which Flatcar's Ignition uses to read and compare 2.x
 * versions (`semver.NewVersion`, `Compare`, struct equality).
 */
export const IGNITION_VERSION_V33 = '3.3.0';

export interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly preRelease: string;
  readonly metadata: string;
}

const IDENTIFIER = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const MAX_INT64 = 2n ** 63n - 1n;

/** `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, int64 range. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > MAX_INT64 || v < -MAX_INT64 - 1n ? undefined : v;
}

/** `splitOff`: what follows the first `delim` (the input keeps what precedes it), '' when none. */
function splitOff(s: string, delim: string): [string, string] {
  const at = s.indexOf(delim);
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + 1)];
}

/** `semver.NewVersion`: undefined where it returns an error. */
export function parseSemver(version: string): SemVer | undefined {
  const [rest, metadata] = splitOff(version, '+');
  const [core, preRelease] = splitOff(rest, '-');
  // strings.SplitN(core, ".", 3): the third part keeps any further dots (and then fails ParseInt)
  const first = core.indexOf('.');
  const second = first < 0 ? -1 : core.indexOf('.', first + 1);
  if (second < 0) return undefined;
  if (preRelease !== '' && !IDENTIFIER.test(preRelease)) return undefined;
  if (metadata !== '' && !IDENTIFIER.test(metadata)) return undefined;
  const major = parseInt64(core.slice(0, first));
  const minor = major === undefined ? undefined : parseInt64(core.slice(first + 1, second));
  const patch = minor === undefined ? undefined : parseInt64(core.slice(second + 1));
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  return { major, minor, patch, preRelease, metadata };
}

export const semver = (major: number, minor: number, patch: number): SemVer => ({
  major: BigInt(major),
  minor: BigInt(minor),
  patch: BigInt(patch),
  preRelease: '',
  metadata: '',
});

/** `strconv.Atoi` of a pre-release part, or undefined when it is not an int. */
const atoi = (s: string): bigint | undefined => parseInt64(s);

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
export function compareSemver(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return comparePreRelease(a.preRelease, b.preRelease);
}

/** Go's `==` on two `semver.Version` values: every field, metadata included. */
export const sameSemver = (a: SemVer, b: SemVer): boolean =>
  a.major === b.major && a.minor === b.minor && a.patch === b.patch && a.preRelease === b.preRelease && a.metadata === b.metadata;

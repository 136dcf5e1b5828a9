/**
 * alecthomas/units `ParseBase2Bytes` as vendored by ct v0.9.0 (partition size/start, docs/ct.md §5.2):
 * `[-+]?([0-9]*(\.[0-9]*)?<unit>)+` summed in float64, with KiB/MiB/... and KB/MB/... both base 2.
 */

const BASE2_IEC = makeUnitMap('iB', 'B', 1024);
const BASE2_OLD = makeUnitMap('B', 'B', 1024);

function makeUnitMap(suffix: string, shortSuffix: string, scale: number): ReadonlyMap<string, number> {
  const m = new Map<string, number>([[shortSuffix, 1]]);
  ['K', 'M', 'G', 'T', 'P', 'E'].forEach((prefix, i) => m.set(prefix + suffix, Math.pow(scale, i + 1)));
  return m;
}

/** The library's leading-digits scan; `null` on int64 overflow. */
function leadingInt(s: string): { x: number; rest: string } | null {
  let x = BigInt(0);
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (x >= (BigInt(2) ** BigInt(63) - BigInt(10)) / BigInt(10)) return null;
    x = x * BigInt(10) + BigInt(c - 0x30);
  }
  // Go converts the int64 to float64 before using it; Number() rounds the same way.
  return { x: Number(x), rest: s.slice(i) };
}

export type ParseBytesResult = { readonly bytes: number; readonly error?: undefined } | { readonly bytes?: undefined; readonly error: string };

/** `units.ParseUnit(s, unitMap)`. */
function parseUnit(orig: string, unitMap: ReadonlyMap<string, number>): ParseBytesResult {
  const invalid = { error: 'units: invalid ' + orig };
  let s = orig;
  let f = 0;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { bytes: 0 };
  if (s === '') return invalid;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid;
    const before = s.length;
    const whole = leadingInt(s);
    if (whole === null) return invalid;
    s = whole.rest;
    let g = whole.x;
    const pre = before !== s.length;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      const fracStart = s.length;
      const frac = leadingInt(s);
      if (frac === null) return invalid;
      s = frac.rest;
      let scale = 1;
      for (let n = fracStart - s.length; n > 0; n--) scale *= 10;
      g += frac.x / scale;
      post = fracStart !== s.length;
    }
    if (!pre && !post) return invalid;
    let i = 0;
    while (i < s.length && !(s[i] === '.' || (s[i] >= '0' && s[i] <= '9'))) i++;
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = unitMap.get(u);
    if (unit === undefined) return { error: 'units: unknown unit ' + u + ' in ' + orig };
    f += g * unit;
  }
  if (neg) f = -f;
  if (f < -(2 ** 63) || f > 2 ** 63 - 1) return { error: 'units: overflow parsing unit' };
  // int64(f) truncates toward zero (normalise -0); 2^63 itself passes the check above (it is
  // float64(MaxInt64)) and converts to MinInt64 on amd64.
  return { bytes: f >= 2 ** 63 ? -(2 ** 63) : Math.trunc(f) + 0 };
}

/**
 * `units.ParseBase2Bytes(s)`: tries the KiB-style map, then the KB-style map, and reports the
 * second attempt's error (e.g. `units: unknown unit  in 2048`, `units: unknown unit XB in 10XB`).
 * The byte count is a float64-exact integer, as Go's int64 conversion of the float sum.
 */
export function parseBase2Bytes(s: string): ParseBytesResult {
  const iec = parseUnit(s, BASE2_IEC);
  return iec.error === undefined ? iec : parseUnit(s, BASE2_OLD);
}

/**
 * Go 1.19 `time.ParseDuration` and `time.Parse("15:04", s)`, as used by ct's locksmith
 * validation (docs/ct.md §5.14). Durations are exact int64 nanoseconds, hence bigint.
 */
import { utf8Bytes } from './utf8';

const LOWER_HEX = '0123456789abcdef';

/** The time package's own quoting: ASCII kept (with `"`/`\` escaped), other bytes as `\xNN`. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x80 || c < 0x20) {
      for (const b of utf8Bytes(ch)) out += '\\x' + LOWER_HEX[b >> 4] + LOWER_HEX[b & 15];
    } else {
      out += (ch === '"' || ch === '\\' ? '\\' : '') + ch;
    }
  }
  return out + '"';
}

const NS_PER: ReadonlyMap<string, bigint> = new Map([
  ['ns', BigInt(1)],
  ['us', BigInt(1000)],
  ['\u00b5s', BigInt(1000)], // micro sign
  ['\u03bcs', BigInt(1000)], // Greek mu
  ['ms', BigInt(1e6)],
  ['s', BigInt(1e9)],
  ['m', BigInt(60e9)],
  ['h', BigInt(3600e9)],
]);

const TWO_63 = BigInt(2) ** BigInt(63);
const TEN = BigInt(10);

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** Leading [0-9]* as uint64; null on overflow past 1<<63. */
function leadingInt(s: string): { x: bigint; rest: string } | null {
  let x = BigInt(0);
  let i = 0;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (x > TWO_63 / TEN) return null;
    x = x * TEN + BigInt(s.charCodeAt(i) - 0x30);
    if (x > TWO_63) return null;
  }
  return { x, rest: s.slice(i) };
}

/** Leading fraction digits; digits past uint64 precision are skipped, as in Go. */
function leadingFraction(s: string): { x: bigint; scale: number; rest: string } {
  let x = BigInt(0);
  let scale = 1;
  let overflow = false;
  let i = 0;
  for (; i < s.length && isDigit(s[i]); i++) {
    if (overflow) continue;
    if (x > (TWO_63 - BigInt(1)) / TEN) {
      overflow = true;
      continue;
    }
    const y = x * TEN + BigInt(s.charCodeAt(i) - 0x30);
    if (y > TWO_63) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  return { x, scale, rest: s.slice(i) };
}

export type ParseDurationResult = { readonly nanoseconds: bigint; readonly error?: undefined } | { readonly nanoseconds?: undefined; readonly error: string };

/** Go's `time.ParseDuration`, e.g. "1h", "2h30m", "-1.5us"; errors carry Go's text. */
export function parseDuration(orig: string): ParseDurationResult {
  const invalid = { error: 'time: invalid duration ' + timeQuote(orig) };
  let s = orig;
  let d = BigInt(0);
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { nanoseconds: BigInt(0) };
  if (s === '') return invalid;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid;
    const before = s.length;
    const whole = leadingInt(s);
    if (whole === null) return invalid;
    let v = whole.x;
    s = whole.rest;
    const pre = before !== s.length;
    let f = BigInt(0);
    let scale = 1;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      const fracStart = s.length;
      ({ x: f, scale, rest: s } = leadingFraction(s));
      post = fracStart !== s.length;
    }
    if (!pre && !post) return invalid;
    let i = 0;
    while (i < s.length && !(s[i] === '.' || isDigit(s[i]))) i++;
    if (i === 0) return { error: 'time: missing unit in duration ' + timeQuote(orig) };
    const u = s.slice(0, i);
    s = s.slice(i);
    const unit = NS_PER.get(u);
    if (unit === undefined) return { error: 'time: unknown unit ' + timeQuote(u) + ' in duration ' + timeQuote(orig) };
    if (v > TWO_63 / unit) return invalid;
    v *= unit;
    if (f > BigInt(0)) {
      // float64 arithmetic, truncated to uint64, exactly as Go does it.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) return invalid;
    }
    d += v;
    if (d > TWO_63) return invalid;
  }
  if (neg) return { nanoseconds: -d };
  if (d > TWO_63 - BigInt(1)) return invalid;
  return { nanoseconds: d };
}

export type ParseClockResult = { readonly hour: number; readonly minute: number; readonly error?: undefined } | { readonly hour?: undefined; readonly minute?: undefined; readonly error: string };

/** Go's non-fixed `getnum`: one or two digits. */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | null {
  if (!isDigit(s[0])) return null;
  if (!isDigit(s[1])) return fixed ? null : { n: s.charCodeAt(0) - 0x30, rest: s.slice(1) };
  return { n: (s.charCodeAt(0) - 0x30) * 10 + (s.charCodeAt(1) - 0x30), rest: s.slice(2) };
}

/**
 * Go's `time.Parse("15:04", s)`: hour as 1-2 digits (0-23), ":", minute as exactly 2 digits
 * (0-59), nothing after. Errors carry Go's `*time.ParseError` text.
 */
export function parseClock(value: string): ParseClockResult {
  const prefix = 'parsing time ' + timeQuote(value);
  const cannotParse = (rest: string, elem: string): ParseClockResult => ({
    error: `${prefix} as "15:04": cannot parse ${timeQuote(rest)} as ${timeQuote(elem)}`,
  });
  const hour = getnum(value, false);
  if (hour === null) return cannotParse(value, '15');
  if (hour.n >= 24) return { error: prefix + ': hour out of range' };
  if (hour.rest[0] !== ':') return cannotParse(hour.rest, ':');
  const afterColon = hour.rest.slice(1);
  const minute = getnum(afterColon, true);
  if (minute === null) return cannotParse(afterColon, '04');
  if (minute.n >= 60) return { error: prefix + ': minute out of range' };
  if (minute.rest !== '') return { error: prefix + ': extra text: ' + timeQuote(minute.rest) };
  return { hour: hour.n, minute: minute.n };
}

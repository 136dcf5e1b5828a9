/**
 * Go's `strconv.Quote` (what `%q` prints for a string). Unlike JSON quoting it uses `\a \b \f \v`,
 * `\xNN` for other control bytes and invalid UTF-8, `\u`/`\U` for non-printable runes, and keeps
 * printable non-ASCII (Unicode 13.0.0, see isprint.ts) as is.
 */
import { isPrint } from './isprint';
import { decodeRune, RUNE_ERROR } from './utf8';

const LOWER_HEX = '0123456789abcdef';

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

function hexDigits(n: number, width: number): string {
  let s = n.toString(16);
  while (s.length < width) s = '0' + s;
  return s;
}

function byteEscape(b: number): string {
  return '\\x' + LOWER_HEX[b >> 4] + LOWER_HEX[b & 0xf];
}

/** The escaped form of one valid rune inside double quotes. */
function escapeRune(r: number): string {
  if (r === 0x22 || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (isPrint(r)) return String.fromCodePoint(r);
  const named = NAMED_ESCAPES[r];
  if (named !== undefined) return named;
  if (r < 0x20 || r === 0x7f) return byteEscape(r);
  if (r < 0x10000) return '\\u' + hexDigits(r, 4);
  return '\\U' + hexDigits(r, 8);
}

/** `strconv.Quote` of a JS string (a lone surrogate is taken as U+FFFD, which Go prints raw). */
export function quoteGo(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Fast path: printable ASCII other than `"` and `\` is copied in runs.
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    let r = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        r = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        r = RUNE_ERROR;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      r = RUNE_ERROR;
    }
    out += escapeRune(r);
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** `strconv.Quote` of raw bytes: each byte of an invalid UTF-8 sequence becomes `\xNN`. */
export function quoteGoBytes(b: ArrayLike<number>): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [r, width] = decodeRune(b, i);
    if (r === RUNE_ERROR && width === 1) {
      out += byteEscape(b[i]);
    } else {
      out += escapeRune(r);
    }
    i += width;
  }
  return out + '"';
}

/**
 * Go's view of strings is bytes; these helpers move between JS strings and UTF-8 bytes and
 * decode runes exactly like Go's `unicode/utf8.DecodeRune` (invalid input -> U+FFFD, width 1).
 */

export const RUNE_ERROR = 0xfffd;

/** UTF-8 bytes of a JS string, as Go's `[]byte(s)`; a lone surrogate becomes U+FFFD. */
export function utf8Bytes(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

/** A "byte string": one char per byte (0-255), so Go byte-indexing maps onto JS indexing. */
export function toByteString(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Inverse of `toByteString`; invalid UTF-8 sequences decode to U+FFFD. */
export function fromByteString(b: string): string {
  return Buffer.from(b, 'latin1').toString('utf8');
}

/** True when every char of the string is ASCII (then JS and Go indexing agree). */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Decodes one rune at `i` like Go's `utf8.DecodeRune`: overlong forms, surrogates, values above
 * U+10FFFF and truncated sequences yield [RUNE_ERROR, 1]. Returns [rune, width]; width 0 at the end
 * (`end`, the length of `b` unless given).
 */
export function decodeRune(b: ArrayLike<number>, i: number, end = b.length): [number, number] {
  const n = end - i;
  if (n <= 0) return [RUNE_ERROR, 0];
  const b0 = b[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => k < n && b[i + k] >= lo && b[i + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    return cont(1) ? [((b0 & 0x1f) << 6) | (b[i + 1] & 0x3f), 2] : [RUNE_ERROR, 1];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // E0 needs A0..BF (no overlong); ED needs 80..9F (no surrogates).
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (!cont(1, lo, hi) || !cont(2)) return [RUNE_ERROR, 1];
    return [((b0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f), 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return [RUNE_ERROR, 1];
    const r = ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
    return [r, 4];
  }
  return [RUNE_ERROR, 1];
}

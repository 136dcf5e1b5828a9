/**
 * Go strings are bytes and may hold invalid UTF-8 (go-yaml cuts values after a byte count, so a
 * message can end in the lead byte of a split character). Such a byte 0x80-0xFF travels inside a
 * JS string as the lone surrogate U+DC80-U+DCFF (the "surrogateescape" convention); these helpers
 * make it, write it out as the one raw byte, or show it as U+FFFD to readers of a JS string.
 */

import { isUtf8 } from 'node:buffer';
import { decodeRune } from './utf8';

const RAW_BYTE_BASE = 0xdc00;
/** A raw-byte escape: U+DC80-U+DCFF not preceded by a high surrogate. */
const RAW_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;
const RAW_BYTES = /(?<![\ud800-\udbff])[\udc80-\udcff]/g;

export function isRawByte(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xdc80 || c > 0xdcff) return false;
  const before = i > 0 ? s.charCodeAt(i - 1) : 0;
  return before < 0xd800 || before > 0xdbff;
}

/** Go's `s[:n]` of the UTF-8 form of `s`: a character cut in two leaves its first bytes raw. */
export function cutBytes(s: string, n: number): string {
  let bytes = 0;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    const width = isRawByte(s, i) ? 1 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    const units = cp >= 0x10000 ? 2 : 1;
    if (bytes + width > n) {
      if (width === 1) return s.slice(0, i);
      const head = Buffer.from(s.slice(i, i + units), 'utf8');
      let out = s.slice(0, i);
      for (let k = 0; bytes + k < n; k++) out += String.fromCharCode(RAW_BYTE_BASE + head[k]);
      return out;
    }
    bytes += width;
    i += units;
  }
  return s;
}

/** Go's `string(b)`: valid UTF-8 as text, each byte of an invalid sequence kept raw. */
export function goStringFromBytes(b: Uint8Array): string {
  if (isUtf8(b)) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
  let out = '';
  for (let i = 0; i < b.length; ) {
    const [rune, width] = decodeRune(b, i);
    // a real U+FFFD is three bytes wide; a width of one means an invalid byte
    out += width === 1 && b[i] >= 0x80 ? String.fromCharCode(RAW_BYTE_BASE + b[i]) : String.fromCodePoint(rune);
    i += width;
  }
  return out;
}

/** The bytes Go writes for a string holding raw-byte escapes (plain UTF-8 when there are none). */
export function goStringBytes(s: string): Buffer {
  if (!RAW_BYTE.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (!isRawByte(s, i)) continue;
    parts.push(Buffer.from(s.slice(start, i), 'utf8'), Buffer.of(s.charCodeAt(i) - RAW_BYTE_BASE));
    start = i + 1;
  }
  parts.push(Buffer.from(s.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/** The string for JS readers: each raw byte shown as U+FFFD, as a UTF-8 decoder would. */
export function readableGoString(s: string): string {
  return RAW_BYTE.test(s) ? s.replace(RAW_BYTES, '\ufffd') : s;
}

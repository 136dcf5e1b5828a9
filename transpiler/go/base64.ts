/**
 * Go's `base64.StdEncoding.DecodeString` (padded, non-strict), with its
 * `illegal base64 data at input byte N` errors at the same offsets.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d;

const DECODE_MAP = (() => {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) m[ALPHABET.charCodeAt(i)] = i;
  return m;
})();

const corrupt = (at: number): Error => new Error(`illegal base64 data at input byte ${at}`);

const isNewline = (c: number): boolean => c === 0x0a || c === 0x0d;

/** Decodes `src`; throws with Go's CorruptInputError text at Go's offset. */
export function decodeBase64Std(src: ArrayLike<number>): Uint8Array {
  const out: number[] = [];
  let si = 0;
  // Go decodes quantum by quantum; its fast paths never change where an error is reported.
  while (si < src.length) {
    const quad = [0, 0, 0, 0];
    let dlen = 4;
    let trailingGarbageAt = -1;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        // Padding is mandatory for StdEncoding, so a short final quantum is corrupt.
        throw corrupt(si - j);
      }
      const c = src[si++];
      const v = DECODE_MAP[c];
      if (v >= 0) {
        quad[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== PAD) throw corrupt(si - 1);
      if (j < 2) throw corrupt(si - 1);
      if (j === 2) {
        // "==" is expected; the first "=" is consumed.
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) throw corrupt(src.length);
        if (src[si] !== PAD) throw corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailingGarbageAt = si;
      dlen = j;
      break;
    }
    const val = (quad[0] << 18) | (quad[1] << 12) | (quad[2] << 6) | quad[3];
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailingGarbageAt >= 0) throw corrupt(trailingGarbageAt);
  }
  return Uint8Array.from(out);
}

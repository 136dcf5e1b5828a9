/**
 * Go 1.19 compress/gzip `NewWriterLevel(w, BestCompression)`, one `Write`, `Close`, as butane
 * base/util/url.go runs it: a bare header (no name, mtime 0, XFL 2 for level 9, OS 255), the
 * level-9 deflate stream of go/flate.ts, then CRC-32 and ISIZE little-endian.
 */
import { deflateBestCompression } from './flate';

const HEADER = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as hash/crc32.ChecksumIEEE. */
export function crc32Ieee(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The gzip member Butane embeds in a `compression: gzip` data URL. */
export function goGzipBestCompression(data: Uint8Array): Uint8Array {
  const deflated = deflateBestCompression(data);
  const out = new Uint8Array(HEADER.length + deflated.length + 8);
  out.set(HEADER);
  out.set(deflated, HEADER.length);
  const trailer = new DataView(out.buffer, HEADER.length + deflated.length, 8);
  trailer.setUint32(0, crc32Ieee(data), true);
  // ISIZE is the length modulo 2^32
  trailer.setUint32(4, data.length >>> 0, true);
  return out;
}

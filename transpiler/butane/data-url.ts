/**
 * butane base/util/url.go `MakeDataURL`: the shortest of a percent-escaped, a base64 and a
 * gzip+base64 `data:` URL for inline/local contents (docs/butane.md §5.1).
 */
import { escapeDataUrl } from '../go/dataurl';

let gzip: typeof import('../go/gzip') | undefined;

/**
 * The gzip writer, loaded on first use: only contents of more than about 40 bytes are tried, and
 * building its tables at load time was a tenth of a cold `butane` run.
 */
function goGzipBestCompression(data: Uint8Array): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (gzip ??= require('../go/gzip') as typeof import('../go/gzip')).goGzipBestCompression(data);
}

export interface MadeDataUrl {
  readonly url: string;
  /**
   * `""` when the config named no compression (set explicitly so a child config cannot inherit
   * one), `"gzip"` when the gzip candidate won, and `undefined` (Go's nil) when the config's own
   * compression applies, so the caller keeps the user's field and records no translation for it.
   */
  readonly compression: string | undefined;
}

const BASE64_PREFIX = ';base64,';

/**
 * The shortest gzip candidate is `;base64,` plus 32 characters (a 23-byte member: 10-byte
 * header, 5-byte final stored block, 8-byte trailer), and it must beat the best by more than 4.
 */
const SHORTEST_GZIP_WIN = BASE64_PREFIX.length + 32 + 'gzip'.length;

/** Length of `dataurl.Escape(contents)` without building it. */
function escapedLength(contents: Uint8Array): number {
  let length = contents.length;
  for (let i = 0; i < contents.length; i++) {
    const b = contents[i];
    const unreserved =
      (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) ||
      b === 0x2d || b === 0x5f || b === 0x2e || b === 0x21 || b === 0x7e || b === 0x2a || b === 0x27 || b === 0x28 || b === 0x29;
    if (!unreserved) length += 2;
  }
  return length;
}

const base64Length = (n: number): number => 4 * Math.ceil(n / 3);

const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * `MakeDataURL(contents, currentCompression, allowCompression, false)`. Only strict `<` wins:
 * base64 must be shorter than percent, and gzip+base64 plus the 4 characters of `gzip` shorter
 * than the better of the two. A user compression (non-empty) rules out gzipping again.
 */
export function makeDataUrl(contents: Uint8Array, currentCompression: string | undefined, allowCompression: boolean): MadeDataUrl {
  const userCompressed = currentCompression !== undefined && currentCompression !== '';
  const percentLength = 1 + escapedLength(contents);
  const b64Length = BASE64_PREFIX.length + base64Length(contents.length);
  const useBase64 = b64Length < percentLength;
  const bestLength = useBase64 ? b64Length : percentLength;

  if (!userCompressed && allowCompression && bestLength > SHORTEST_GZIP_WIN) {
    const gz = goGzipBestCompression(contents);
    if (BASE64_PREFIX.length + base64Length(gz.length) + 'gzip'.length < bestLength) {
      return { url: 'data:' + BASE64_PREFIX + toBase64(gz), compression: 'gzip' };
    }
  }
  const opaque = useBase64 ? BASE64_PREFIX + toBase64(contents) : ',' + escapeDataUrl(contents);
  return { url: 'data:' + opaque, compression: userCompressed ? undefined : '' };
}

/**
 * Flatcar's patch 0013 (`config/util`): user data that is a `#cloud-config`, a `#!` script or a
 * MIME multipart message (each possibly gzipped) is no Ignition config, and `GetConfigVersion`
 * answers `ErrEmpty` so that Ignition ignores it. Such text is never valid JSON, so this is only
 * asked after a JSON syntax error.
 */
import { gunzipSync } from 'node:zlib';

/** Bounds the work a gzip bomb can cause; anything larger is treated as not gzipped. */
const MAX_GUNZIPPED = 16 * 1024 * 1024;

/** `decompressIfGzipped`. */
function decompressIfGzipped(data: Uint8Array): Uint8Array {
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) return data;
  try {
    return gunzipSync(data, { maxOutputLength: MAX_GUNZIPPED });
  } catch {
    return data;
  }
}

/** Go's `unicode.IsSpace`. */
const TRAILING_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;

/** The first line, as `strings.SplitN(string(data), "\n", 2)[0]`. */
function firstLine(data: Uint8Array): string {
  const nl = data.indexOf(0x0a);
  return Buffer.from(data.subarray(0, nl < 0 ? data.length : nl)).toString('utf8');
}

const HEADER_KEY = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * `textproto.ReadMIMEHeader` succeeding with a `Content-Type` that contains `multipart/mixed`:
 * `Key: value` lines (continuations start with a space or tab) up to an empty line.
 */
function isMultipartMime(data: Uint8Array): boolean {
  const lines = Buffer.from(data).toString('latin1').split('\n');
  if (lines.length > 0 && /^[ \t]/.test(lines[0])) return false;
  let contentType: string | undefined;
  let current: string | undefined;
  for (let i = 0; ; i++) {
    if (i === lines.length) return false; // no empty line ends the header: unexpected EOF
    const line = lines[i].replace(/\r$/, '');
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (current === 'CONTENT-TYPE' && contentType !== undefined) contentType += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !HEADER_KEY.test(line.slice(0, colon))) return false;
    current = line.slice(0, colon).toUpperCase();
    if (current === 'CONTENT-TYPE' && contentType === undefined) contentType = line.slice(colon + 1).trim();
  }
  return contentType !== undefined && contentType.includes('multipart/mixed');
}

export function isCloudConfigOrScript(raw: Uint8Array): boolean {
  const data = decompressIfGzipped(raw);
  const header = firstLine(data);
  return header.replace(TRAILING_SPACE, '') === '#cloud-config' || header.startsWith('#!') || isMultipartMime(data);
}

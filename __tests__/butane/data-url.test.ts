/**
 * makeDataUrl (butane base/util/url.go MakeDataURL) against the real Butane's output: every
 * `data:` URL Butane made in the conformance vectors is decoded (gunzipped when it chose gzip),
 * checked against dataurls.json's sha256, and must come out of makeDataUrl identical, with the
 * same `compression`.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { makeDataUrl } from '../../transpiler/butane/data-url';

const VECTORS = path.join(__dirname, '../conformance/butane');

interface DataUrlRecord {
  path: string;
  encoding: string;
  compression: string | null;
  url_length: number;
  decoded_length: number;
  decoded_sha256: string;
}

interface MadeByButane {
  vector: string;
  record: DataUrlRecord;
  url: string;
  compression: string | undefined;
}

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The bytes after `data:`'s comma: base64 or RFC 2396 %XX escapes. */
function decodeOpaque(url: string): Uint8Array {
  const body = url.slice('data:'.length);
  if (body.startsWith(';base64,')) return Buffer.from(body.slice(';base64,'.length), 'base64');
  if (!body.startsWith(',')) throw new Error(`unexpected data URL ${url.slice(0, 40)}`);
  const text = body.slice(1);
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%') {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(text.charCodeAt(i));
    }
  }
  return Uint8Array.from(out);
}

function isGzip(b: Uint8Array): boolean {
  try {
    gunzipSync(b);
    return true;
  } catch {
    return false;
  }
}

/** Every data URL in the vectors' expected.ign except those the input itself wrote as `source`. */
function butaneDataUrls(): MadeByButane[] {
  const found: MadeByButane[] = [];
  for (const vector of fs.readdirSync(VECTORS).sort()) {
    const recordsFile = path.join(VECTORS, vector, 'dataurls.json');
    if (!fs.existsSync(recordsFile)) continue;
    const config: unknown = JSON.parse(fs.readFileSync(path.join(VECTORS, vector, 'expected.ign'), 'utf8'));
    const input = fs.readFileSync(path.join(VECTORS, vector, 'input.bu'), 'utf8');
    for (const record of JSON.parse(fs.readFileSync(recordsFile, 'utf8')) as DataUrlRecord[]) {
      const keys = record.path.split('.');
      let parent = config as Record<string, unknown>;
      for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
      const url = parent[keys[keys.length - 1]] as string;
      if (input.includes(url)) continue;
      found.push({ vector, record, url, compression: parent.compression as string | undefined });
    }
  }
  return found;
}

describe('every data URL Butane made in the vectors', () => {
  const made = butaneDataUrls();

  test('covers all three encodings and a user-compressed payload', () => {
    const encodings = new Set(made.map((m) => m.record.encoding));
    expect(encodings).toEqual(new Set(['percent', 'base64', 'gzip+base64', 'gzip+percent(not-gzip-data)']));
    expect(made.length).toBeGreaterThanOrEqual(50);
  });

  test.each(made.map((m) => [`${m.vector} ${m.record.path}`, m] as const))('%s', (_name, m) => {
    const raw = decodeOpaque(m.url);
    // gzip that Butane chose itself, or a payload the user declared compressed (kept as is)
    const autoGzip = m.compression === 'gzip' && isGzip(raw);
    const payload = autoGzip ? gunzipSync(raw) : raw;
    expect(payload.length).toBe(m.record.decoded_length);
    expect(sha256(payload)).toBe(m.record.decoded_sha256);

    const userCompression = m.compression === 'gzip' && !autoGzip ? 'gzip' : undefined;
    const got = makeDataUrl(payload, userCompression, true);
    expect(got.url.length).toBe(m.record.url_length);
    expect(got.url).toBe(m.url);
    // Go returns nil for a user compression: the caller keeps the user's field
    expect(got.compression).toBe(userCompression === undefined ? m.compression : undefined);
  });
});

describe('encoding choice', () => {
  test('47 × a stays percent (gzip+4 ties the 48-character best); 48 × a gzips (vector threshold-a48)', () => {
    expect(makeDataUrl(bytes('a'.repeat(47)), undefined, true)).toEqual({ url: 'data:,' + 'a'.repeat(47), compression: '' });
    expect(makeDataUrl(bytes('a'.repeat(48)), undefined, true)).toEqual({
      url: 'data:;base64,H4sIAAAAAAAC/0okEQACAAD//1YrOKAwAAAA',
      compression: 'gzip',
    });
  });

  test('base64 replaces percent only when strictly shorter', () => {
    // five spaces: ",%20%20%20%20%20" and ";base64,ICAgICA=" are both 16 characters
    expect(makeDataUrl(bytes('     '), undefined, true)).toEqual({ url: 'data:,%20%20%20%20%20', compression: '' });
    expect(makeDataUrl(bytes('      '), undefined, true)).toEqual({ url: 'data:;base64,ICAgICAg', compression: '' });
  });

  test('RFC 2396 unreserved bytes stay literal, every other byte is upper-case %XX', () => {
    expect(makeDataUrl(bytes("az-_.!~*'()09"), undefined, true).url).toBe("data:,az-_.!~*'()09");
    expect(makeDataUrl(bytes('a/b=c'), undefined, true).url).toBe('data:,a%2Fb%3Dc');
    expect(makeDataUrl(Uint8Array.of(0xc3, 0xa9), undefined, true).url).toBe('data:,%C3%A9');
  });

  test('empty contents give data:, with an explicit empty compression', () => {
    expect(makeDataUrl(new Uint8Array(0), undefined, true)).toEqual({ url: 'data:,', compression: '' });
  });

  test('a user compression disables gzip and returns no compression of its own (vector files-user-compression)', () => {
    expect(makeDataUrl(bytes('pretend this is gzip data'), 'gzip', true)).toEqual({
      url: 'data:,pretend%20this%20is%20gzip%20data',
      compression: undefined,
    });
    const repetitive = bytes('a'.repeat(200));
    expect(makeDataUrl(repetitive, 'gzip', true)).toEqual({ url: 'data:,' + 'a'.repeat(200), compression: undefined });
  });

  test('an explicit empty compression behaves like none (vector files-user-compression)', () => {
    const zzzz = bytes('zzzz '.repeat(40));
    const expected = { url: 'data:;base64,H4sIAAAAAAAC/6qqqqpSGAYEIAAA//+vaNj1yAAAAA==', compression: 'gzip' };
    expect(makeDataUrl(zzzz, '', true)).toEqual(expected);
    expect(makeDataUrl(zzzz, undefined, true)).toEqual(expected);
  });

  test('allowCompression false never gzips but still sets compression ""', () => {
    expect(makeDataUrl(bytes('a'.repeat(200)), undefined, false)).toEqual({ url: 'data:,' + 'a'.repeat(200), compression: '' });
  });
});

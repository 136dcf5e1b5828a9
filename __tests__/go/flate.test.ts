/**
 * go/flate.ts + go/gzip.ts against Go 1.19.8's compress/gzip at BestCompression, called as butane
 * base/util/url.go calls it (one Write, then Close). flate-vectors.json holds the Go program's
 * output for inputs described by generator specs, rebuilt here:
 *   run       `length` copies of `byte`
 *   random    bytes uniform in 0..255
 *   alphabet  bytes `base` + uniform in 0..size-1
 *   words     words from WORDS, each followed by a space (a newline one time in eight)
 *   segments  pieces of at most 40 bytes (300 for copies): a run of one random byte, a copy from
 *             1..min(i, 40000) bytes back, random bytes, or words
 * The random source is mulberry32 seeded with `seed`. Outputs up to 400 bytes are given as hex
 * (and gunzipped back to check the generator); longer ones as length and sha256, with the
 * input's sha256.
 */
import { createHash } from 'crypto';
import { gunzipSync } from 'zlib';
import { deflateBestCompression } from '../../transpiler/go/flate';
import { crc32Ieee, goGzipBestCompression } from '../../transpiler/go/gzip';
import fixture from './flate-vectors.json';

interface InputSpec {
  kind: string;
  length: number;
  seed?: number;
  byte?: number;
  base?: number;
  size?: number;
}

interface FlateCase {
  input: InputSpec;
  gzipHex?: string;
  inputSha256?: string;
  gzipLength?: number;
  gzipSha256?: string;
}

const WORDS = ['the', 'config', 'storage', 'files', 'systemd', 'units', 'contents', 'inline', 'local', 'source', 'data',
  'ignition', 'butane', 'flatcar', 'mode', 'path', 'user', 'group', 'root', 'etc', 'a', 'of', 'and', 'to', 'is', 'in',
  '[Unit]', 'Description=', 'ExecStart=/usr/bin/', '[Install]', 'WantedBy=multi-user.target', '#', '0644', 'ssh-ed25519'];

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(spec: InputSpec): Uint8Array {
  const rnd = mulberry32(spec.seed ?? 0);
  const ri = (n: number): number => Math.floor(rnd() * n);
  const n = spec.length;
  const out = new Uint8Array(n);
  const words = (start: number, end: number): void => {
    for (let i = start; i < end; ) {
      const w = WORDS[ri(WORDS.length)] + (ri(8) === 0 ? '\n' : ' ');
      for (let j = 0; j < w.length && i < end; j++) out[i++] = w.charCodeAt(j);
    }
  };
  switch (spec.kind) {
    case 'run':
      out.fill(spec.byte ?? 0);
      break;
    case 'random':
      for (let i = 0; i < n; i++) out[i] = ri(256);
      break;
    case 'alphabet':
      for (let i = 0; i < n; i++) out[i] = (spec.base ?? 0) + ri(spec.size ?? 1);
      break;
    case 'words':
      words(0, n);
      break;
    case 'segments':
      for (let i = 0; i < n; ) {
        const kind = ri(4);
        const l = Math.min(n - i, 1 + ri(kind === 1 ? 300 : 40));
        if (kind === 0) {
          out.fill(ri(256), i, i + l);
        } else if (kind === 1 && i > 0) {
          const distance = 1 + ri(Math.min(i, 40000));
          for (let j = 0; j < l; j++) out[i + j] = out[i + j - distance];
        } else if (kind === 2) {
          for (let j = 0; j < l; j++) out[i + j] = ri(256);
        } else {
          words(i, i + l);
        }
        i += l;
      }
      break;
    default:
      throw new Error(`unknown generator ${spec.kind}`);
  }
  return out;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const label = (s: InputSpec): string => `${s.kind} ${JSON.stringify(s)}`;

const cases: FlateCase[] = fixture.cases;
const kinds = [...new Set(cases.map((c) => c.input.kind))];

describe('goGzipBestCompression matches Go compress/gzip level 9 byte for byte', () => {
  test('the fixture covers every generator and both block-size classes', () => {
    expect(kinds.sort()).toEqual(['alphabet', 'random', 'run', 'segments', 'words']);
    expect(cases.filter((c) => c.gzipSha256 !== undefined && c.input.length >= 300000).length).toBeGreaterThan(0);
  });

  test.each(kinds)('%s inputs', (kind) => {
    const mismatches: string[] = [];
    for (const c of cases.filter((x) => x.input.kind === kind)) {
      const input = generate(c.input);
      const got = goGzipBestCompression(input);
      if (c.gzipHex !== undefined) {
        const want = Buffer.from(c.gzipHex, 'hex');
        if (!gunzipSync(want).equals(input)) mismatches.push(`generator differs: ${label(c.input)}`);
        if (hex(got) !== c.gzipHex) mismatches.push(`${label(c.input)}: got ${hex(got)}`);
      } else {
        if (sha256(input) !== c.inputSha256) mismatches.push(`generator differs: ${label(c.input)}`);
        if (got.length !== c.gzipLength || sha256(got) !== c.gzipSha256) {
          mismatches.push(`${label(c.input)}: got ${got.length} bytes`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('gzip framing', () => {
  test('48 × a: the exact member of vector ok-flatcar-1_0-threshold-a48', () => {
    const got = goGzipBestCompression(Buffer.from('a'.repeat(48)));
    expect(Buffer.from(got).toString('base64')).toBe('H4sIAAAAAAAC/0okEQACAAD//1YrOKAwAAAA');
  });

  test('header, raw deflate body ending in the empty final stored block, CRC-32 and ISIZE', () => {
    const data = Buffer.from('hello, hello, hello world\n');
    const gz = Buffer.from(goGzipBestCompression(data));
    expect(hex(gz.subarray(0, 10))).toBe('1f8b08000000000002ff');
    const body = gz.subarray(10, gz.length - 8);
    expect(hex(body)).toBe(hex(deflateBestCompression(data)));
    expect(hex(body.subarray(body.length - 5))).toBe('010000ffff');
    expect(gz.readUInt32LE(gz.length - 8)).toBe(crc32Ieee(data));
    expect(gz.readUInt32LE(gz.length - 4)).toBe(data.length);
    expect(crc32Ieee(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('reusing the shared compressor leaves no state behind', () => {
    const small = generate({ kind: 'words', seed: 7, length: 200 });
    const first = hex(goGzipBestCompression(small));
    goGzipBestCompression(generate({ kind: 'segments', seed: 8, length: 150000 }));
    goGzipBestCompression(generate({ kind: 'words', seed: 9, length: 5000 }));
    expect(hex(goGzipBestCompression(small))).toBe(first);
  });
});

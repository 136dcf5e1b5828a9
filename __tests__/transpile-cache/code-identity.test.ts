/**
 * The transpiler's identity for the cache: the digest follows the contents exactly; the stamp
 * moves with any write, so that a cache file's recorded digest is trusted only while nothing was
 * written; and a cache trusts a matching stamp without reading the code.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryDigest, directoryIdentity, directoryStamp, type CodeIdentity } from '../../constructs/code-identity';
import { TranspileCache } from '../../constructs/transpile-cache';
import { noFiles, TEXT } from './text-codec';


let dir: string;
let code: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'code-identity-'));
  code = join(dir, 'code');
  mkdirSync(join(code, 'sub'), { recursive: true });
  writeFileSync(join(code, 'a.js'), 'one');
  writeFileSync(join(code, 'sub', 'b.js'), 'two');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the digest changes with any .js file below, and only then', () => {
  const before = directoryDigest(code);
  expect(directoryDigest(code)).toBe(before);
  writeFileSync(join(code, 'sub', 'b.js'), 'twO');
  expect(directoryDigest(code)).not.toBe(before);
  writeFileSync(join(code, 'sub', 'b.js'), 'two');
  expect(directoryDigest(code)).toBe(before);
  // declarations do not run: neither part of the digest nor of the stamp
  const stamp = directoryStamp(code);
  writeFileSync(join(code, 'a.d.ts'), 'export {};');
  expect(directoryDigest(code)).toBe(before);
  expect(directoryStamp(code)).toBe(stamp);
  writeFileSync(join(code, 'c.js'), '');
  expect(directoryDigest(code)).not.toBe(before);
});

test('the stamp moves with every write, even of the same bytes with the old times put back', () => {
  const before = directoryStamp(code);
  expect(directoryStamp(code)).toBe(before);
  const file = join(code, 'a.js');
  const old = new Date('2020-01-01T00:00:00Z');
  utimesSync(file, old, old);
  const touched = directoryStamp(code);
  expect(touched).not.toBe(before);
  writeFileSync(file, 'one');
  utimesSync(file, old, old);
  // same size, same bytes, same modification time: the change time still moved
  expect(directoryStamp(code)).not.toBe(touched);
});

/** An identity of `code` that counts how often it reads the contents. */
function countingIdentity(): CodeIdentity & { digests: number } {
  const identity = directoryIdentity(() => code);
  const counted = { digests: 0, stamp: identity.stamp, digest: () => (counted.digests++, identity.digest()) };
  return counted;
}

/** A fresh cache over `dir` looks up one key: what it gives, and how often it read the code. */
function lookUp(): { value: string; digests: number; cache: TranspileCache } {
  const identity = countingIdentity();
  const cache = new TranspileCache(dir, identity);
  const value = cache.get(['k'], noFiles, () => 'computed', TEXT);
  return { value, digests: identity.digests, cache };
}

test('a cache whose recorded stamp holds skips the digest; a write makes it read the code again', () => {
  const first = new TranspileCache(dir, countingIdentity());
  first.get(['k'], noFiles, () => 'cached', TEXT);
  first.flush();
  expect(lookUp()).toMatchObject({ value: 'cached', digests: 0 });

  // the same bytes written again: a new stamp, the same digest, so still a hit
  writeFileSync(join(code, 'a.js'), 'one');
  const rewritten = lookUp();
  expect(rewritten).toMatchObject({ value: 'cached', digests: 1 });
  // nothing new, but the new stamp is recorded
  rewritten.cache.flush();
  expect(lookUp()).toMatchObject({ value: 'cached', digests: 0 });

  // other code: a miss
  writeFileSync(join(code, 'a.js'), 'changed');
  expect(lookUp()).toMatchObject({ value: 'computed', digests: 1 });
});

/**
 * The cache across runs: hits need the same key, the same transpiler and unchanged local files;
 * a damaged file, a foreign entry or a failed write cost only the transpile.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeIdentity } from '../../constructs/code-identity';
import { MAX_ENTRIES, OLDER_ENTRIES_FLOOR, TRANSPILE_CACHE_FILE, TranspileCache, transpileCacheDir, transpileCacheEnabled, transpileCacheFileName, type ValueCodec } from '../../constructs/transpile-cache';
import { noFiles, TEXT } from './text-codec';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'transpile-cache-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A transpiler known by its digest alone (no stamp), as the cache sees it. */
const transpilerWithDigest = (digest: string): CodeIdentity => ({ stamp: () => undefined, digest: () => digest });

/** One "process": a fresh cache over `dir` whose transpiler is `id`. */
const open = (id = 'transpiler-1'): TranspileCache => new TranspileCache(dir, transpilerWithDigest(id));

function compute(counter: { calls: number }, result: string) {
  return () => {
    counter.calls++;
    return result;
  };
}

describe('TranspileCache', () => {
  test('a second run hits what the first wrote; a new key misses', () => {
    const calls = { calls: 0 };
    const first = open();
    expect(first.get(['ct', 'a'], noFiles, compute(calls, 'A'), TEXT)).toBe('A');
    expect(first.get(['ct', 'a'], noFiles, compute(calls, 'A'), TEXT)).toBe('A');
    expect(first.stats).toEqual({ hits: 1, misses: 1 });
    first.flush();

    const second = open();
    expect(second.get(['ct', 'a'], noFiles, compute(calls, 'other'), TEXT)).toBe('A');
    expect(second.get(['ct', 'b'], noFiles, compute(calls, 'B'), TEXT)).toBe('B');
    expect(second.stats).toEqual({ hits: 1, misses: 1 });
    expect(calls.calls).toBe(2);
  });

  test('another transpiler starts empty', () => {
    const first = open('old');
    first.get(['k'], noFiles, () => 'old result', TEXT);
    first.flush();
    expect(open('new').get(['k'], noFiles, () => 'new result', TEXT)).toBe('new result');
  });

  test('a damaged or foreign file is ignored, never thrown', () => {
    const first = open();
    first.get(['k'], noFiles, () => 'cached', TEXT);
    first.flush();
    const file = join(dir, TRANSPILE_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    for (const damaged of [text.replace('cached', 'cachex'), text.slice(0, text.length - 3), 'not json at all', `${text.split('\n')[0]}\n{"x": 1}`]) {
      writeFileSync(file, damaged);
      expect(open().get(['k'], noFiles, () => 'fresh', TEXT)).toBe('fresh');
    }
  });

  test('an entry of the wrong shape is recomputed', () => {
    const first = open();
    first.get(['k'], noFiles, () => 'text', TEXT);
    first.flush();
    const numbers: ValueCodec<number> = {
      encode: (value) => value,
      decode: (stored) => (typeof stored === 'number' ? stored : undefined),
    };
    expect(open().get(['k'], noFiles, () => 7, numbers)).toBe(7);
  });

  test('a changed or deleted local file misses', () => {
    const local = join(dir, 'unit.conf');
    writeFileSync(local, 'one');
    const read = (path: string): Uint8Array => readFileSync(path);
    const first = open();
    expect(first.get(['k'], read, (readFile) => Buffer.from(readFile(local)).toString(), TEXT)).toBe('one');
    first.flush();
    expect(open().get(['k'], read, () => 'recomputed', TEXT)).toBe('one');

    writeFileSync(local, 'two');
    expect(open().get(['k'], read, (readFile) => Buffer.from(readFile(local)).toString(), TEXT)).toBe('two');
    rmSync(local);
    expect(open().get(['k'], read, () => 'gone', TEXT)).toBe('gone');
  });

  test('a failure is not cached', () => {
    const first = open();
    expect(() =>
      first.get(
        ['k'],
        noFiles,
        () => {
          throw new Error('bad config');
        },
        TEXT,
      ),
    ).toThrow('bad config');
    expect(first.get(['k'], noFiles, () => 'now fine', TEXT)).toBe('now fine');
  });

  test('keys that are not plain data are computed every time', () => {
    const cache = open();
    const calls = { calls: 0 };
    cache.get([() => 1], noFiles, compute(calls, 'x'), TEXT);
    cache.get([() => 1], noFiles, compute(calls, 'x'), TEXT);
    expect(calls.calls).toBe(2);
    expect(cache.stats).toEqual({ hits: 0, misses: 0 });
  });

  test('keeps at most MAX_ENTRIES, this run first', () => {
    const first = open();
    for (let i = 0; i < MAX_ENTRIES + 5; i++) first.get([i], noFiles, () => `old ${i}`, TEXT);
    first.flush();
    const second = open();
    expect(second.get([0], noFiles, () => 'recomputed', TEXT)).toBe('old 0');
    expect(second.get([MAX_ENTRIES + 4], noFiles, () => 'evicted', TEXT)).toBe('evicted');
  });

  test('keeps as many older entries as this run used, and at least OLDER_ENTRIES_FLOOR', () => {
    const first = open();
    for (let i = 0; i < 1000; i++) first.get(['gen 1', i], noFiles, () => `one ${i}`, TEXT);
    first.flush();
    // a small run: its entry, then the most recent older ones up to the floor
    const second = open();
    second.get(['small'], noFiles, () => 'small', TEXT);
    second.flush();
    const third = open();
    expect(third.get(['small'], noFiles, () => 'recomputed', TEXT)).toBe('small');
    expect(third.get(['gen 1', OLDER_ENTRIES_FLOOR - 1], noFiles, () => 'recomputed', TEXT)).toBe(`one ${OLDER_ENTRIES_FLOOR - 1}`);
    expect(third.get(['gen 1', OLDER_ENTRIES_FLOOR], noFiles, () => 'evicted', TEXT)).toBe('evicted');
  });

  test('a stack switched between two versions finds both; a third generation drops the first', () => {
    const run = (generation: string, calls: { calls: number }) => {
      const cache = open();
      for (let i = 0; i < 300; i++) cache.get([generation, i], noFiles, compute(calls, `${generation} ${i}`), TEXT);
      cache.flush();
    };
    const calls = { calls: 0 };
    run('a', calls);
    run('b', calls);
    expect(calls.calls).toBe(600);
    run('a', calls);
    run('b', calls);
    expect(calls.calls).toBe(600);
    run('c', calls);
    run('b', calls);
    expect(calls.calls).toBe(900);
    run('a', calls);
    expect(calls.calls).toBe(1200);
  });

  test('an unwritable directory costs nothing but the cache', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the cache path a file instead
      writeFileSync(join(dir, 'blocked'), '');
      const cache = new TranspileCache(join(dir, 'blocked', 'sub'), transpilerWithDigest('id'));
      cache.get(['k'], noFiles, () => 'v', TEXT);
      expect(() => cache.flush()).not.toThrow();
      return;
    }
    chmodSync(dir, 0o500);
    const cache = open();
    cache.get(['k'], noFiles, () => 'v', TEXT);
    expect(() => cache.flush()).not.toThrow();
    chmodSync(dir, 0o700);
  });
});

describe('settings', () => {
  test('on by default, off under jest and NODE_ENV=test unless asked', () => {
    expect(transpileCacheEnabled({})).toBe(true);
    expect(transpileCacheEnabled({ JEST_WORKER_ID: '1' })).toBe(false);
    expect(transpileCacheEnabled({ NODE_ENV: 'test' })).toBe(false);
    expect(
      transpileCacheEnabled({
        JEST_WORKER_ID: '1',
        CDKTF_COREOS_TRANSPILE_CACHE: 'on',
      }),
    ).toBe(true);
    expect(transpileCacheEnabled({ CDKTF_COREOS_TRANSPILE_CACHE: 'off' })).toBe(false);
  });

  test('the directory: the variable, else node_modules/.cache of the working directory, else none', () => {
    expect(transpileCacheDir({ CDKTF_COREOS_TRANSPILE_CACHE_DIR: 'c' }, '/work')).toBe('/work/c');
    expect(transpileCacheDir({}, dir)).toBeUndefined();
    mkdirSync(join(dir, 'node_modules'));
    expect(transpileCacheDir({}, dir)).toBe(join(dir, 'node_modules', '.cache', 'cdktf-coreos'));
  });
});

test('each app has its own file', () => {
  expect(transpileCacheFileName('/project/dist/main.js')).toMatch(/^transpile-cache-[0-9a-f]{16}\.json$/);
  expect(transpileCacheFileName('/project/dist/main.js')).not.toBe(transpileCacheFileName('/project/dist/other.js'));
  expect(transpileCacheFileName(undefined)).toBe(TRANSPILE_CACHE_FILE);
  const one = new TranspileCache(dir, transpilerWithDigest('id'), transpileCacheFileName('a'));
  one.get(['k'], noFiles, () => 'from a', TEXT);
  one.flush();
  expect(new TranspileCache(dir, transpilerWithDigest('id'), transpileCacheFileName('b')).get(['k'], noFiles, () => 'b computes', TEXT)).toBe('b computes');
  expect(new TranspileCache(dir, transpilerWithDigest('id'), transpileCacheFileName('a')).get(['k'], noFiles, () => 'a computes', TEXT)).toBe('from a');
});

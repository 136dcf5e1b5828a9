/**
 * Through the cache, the transpilers' results are their own: every valid ct vector (both dialects,
 * `local:` files included) and Butane vector, read back in a second "process" (a fresh module
 * registry over the same cache file), equals a direct transpile field for field; and two synths of
 * one app are byte-identical, the second without transpiling.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { loadButaneVectors } from '../../scripts/conformance-butane';
import { DIALECTS, expectedFor, findVectorsDir, loadVectors } from '../../scripts/conformance';
import { transpileCacheFileName } from '../../constructs/transpile-cache';
import { transpile, transpileButane, type TranspileOptions } from '../../transpiler';

type CachedModule = typeof import('../../constructs/cached-transpile');
type CacheModule = typeof import('../../constructs/transpile-cache');
type InstanceModule = typeof import('../../constructs/coreos-instance');
type ImageModule = typeof import('../../constructs/image');
type GoogleModule = typeof import('../../constructs/google');

let cacheDir: string;
const saved = { ...process.env };
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'cached-transpile-'));
  process.env.CDKTF_COREOS_TRANSPILE_CACHE = 'on';
  process.env.CDKTF_COREOS_TRANSPILE_CACHE_DIR = cacheDir;
});
afterAll(() => {
  process.env = saved;
  rmSync(cacheDir, { recursive: true, force: true });
});

/** One "process": fresh modules (so a fresh process cache), flushed as at exit. */
/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules needs require() */
function run<T>(body: (modules: { cached: CachedModule; cache: CacheModule; instance: InstanceModule; image: ImageModule; google: GoogleModule }) => T): {
  result: T;
  hits: number;
  misses: number;
} {
  let out: { result: T; hits: number; misses: number } | undefined;
  jest.isolateModules(() => {
    const cache = require('../../constructs/transpile-cache') as CacheModule;
    const modules = {
      cached: require('../../constructs/cached-transpile') as CachedModule,
      cache,
      instance: require('../../constructs/coreos-instance') as InstanceModule,
      image: require('../../constructs/image') as ImageModule,
      google: require('../../constructs/google') as GoogleModule,
    };
    const result = body(modules);
    const processCache = cache.processTranspileCache(() => '');
    if (!processCache) throw new Error('the cache is off');
    processCache.flush();
    out = { result, ...processCache.stats };
  });
  return out as { result: T; hits: number; misses: number };
}
/* eslint-enable @typescript-eslint/no-require-imports */

interface Case {
  readonly name: string;
  readonly input: string;
  readonly options: TranspileOptions;
}

function ctCases(): Case[] {
  const vectorsDir = findVectorsDir(__dirname);
  return loadVectors(vectorsDir).flatMap((vector) =>
    DIALECTS.filter((dialect) => expectedFor(vector, dialect).exitCode === 0).map((dialect) => {
      const valueOf = (flag: string): string | undefined => {
        const at = vector.args.findIndex((arg) => arg.replace(/^--?/, '') === flag);
        return at >= 0 ? vector.args[at + 1] : undefined;
      };
      const filesDir = valueOf('files-dir');
      return {
        name: `${vector.name} (${dialect})`,
        input: Buffer.from(vector.input).toString('utf8'),
        options: {
          dialect,
          platform: valueOf('platform'),
          pretty: vector.args.some((arg) => /^--?pretty$/.test(arg)),
          filesDir: filesDir && resolve(vector.dir, filesDir),
        },
      };
    }),
  );
}

test('every valid ct vector reads back from the cache as transpile gives it', () => {
  const cases = ctCases();
  expect(cases.length).toBeGreaterThan(150);
  const first = run(({ cached }) => cases.map((c) => cached.cachedTranspile(c.input, c.options)));
  const second = run(({ cached }) => cases.map((c) => cached.cachedTranspile(c.input, c.options)));
  expect(first.misses).toBeGreaterThan(0);
  expect(second).toMatchObject({ misses: 0, hits: cases.length });
  cases.forEach((c, index) => {
    const direct = transpile(c.input, c.options);
    const fromCache = second.result[index];
    expect({
      name: c.name,
      json: fromCache.json,
      stderr: fromCache.stderr,
      warnings: fromCache.warnings,
      generated: fromCache.generated,
      ignition: fromCache.ignition,
    }).toEqual({
      name: c.name,
      json: direct.json,
      stderr: direct.stderr,
      warnings: direct.warnings,
      generated: direct.generated,
      ignition: direct.ignition,
    });
  });
});

test('every Butane vector that translates without a files directory reads back as transpileButane gives it', () => {
  const vectors = loadButaneVectors(join(__dirname, '..', 'conformance', 'butane'))
    .map((vector) => readFileSync(join(vector.dir, 'input.bu'), 'utf8'))
    .filter((input) => {
      try {
        transpileButane(input);
        return true;
      } catch {
        return false;
      }
    });
  expect(vectors.length).toBeGreaterThan(40);
  run(({ cached }) => vectors.map((input) => cached.cachedTranspileButane(input, {})));
  const second = run(({ cached }) => vectors.map((input) => cached.cachedTranspileButane(input, {})));
  expect(second.misses).toBe(0);
  vectors.forEach((input, index) => expect(second.result[index]).toEqual(transpileButane(input)));
});

test('two synths of one app are byte-identical, and the second transpiles nothing', () => {
  const synth = () =>
    run(({ instance, image, google }) => {
      const outdir = mkdtempSync(join(tmpdir(), 'cached-synth-'));
      try {
        const app = new App({ outdir });
        const stack = new TerraformStack(app, 'fleet');
        new google.GoogleProvider(stack, 'google', {
          project: 'p',
          region: 'us-central1',
        });
        for (let index = 0; index < 20; index++) {
          new instance.CoreOSInstance(stack, `vm-${index}`, {
            zone: 'us-central1-c',
            machineType: 'e2-small',
            image: image.Image.flatcar('stable'),
            config: index % 2 === 0 ? `passwd:\n  users:\n    - name: user${index}\n` : `variant: flatcar\nversion: 1.0.0\npasswd:\n  users:\n    - name: user${index}\n`,
          });
        }
        app.synth();
        return readFileSync(join(outdir, 'stacks', 'fleet', 'cdk.tf.json'), 'utf8');
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
  const first = synth();
  const second = synth();
  expect(first.misses).toBe(20);
  expect(second).toMatchObject({ hits: 20, misses: 0 });
  expect(second.result).toBe(first.result);
  // one file, named for this app's main module (here jest's), none under the shared default name
  expect(readdirSync(cacheDir)).toEqual([transpileCacheFileName(require.main?.filename ?? process.argv[1])]);
});

/**
 * The commands as the package ships them (`dist/bin/ct.js`, `dist/bin/butane.js`: a bundle and its
 * V8 code cache, made by `npm run build`, scripts/bundle-commands.js) against the in-process
 * `runCt`/`runButane`: the same stdout, stderr, exit code and output file, byte for byte, also
 * when the code cache does not fit. Builds nothing: without dist/bin/ it is skipped, loudly (and
 * fails under CI=true, where `npm ci` has built it).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { loadButaneVectors } from '../scripts/conformance-butane';
import { DIALECTS, findIgn3Dir, findVectorsDir, loadIgn3Cases, loadVectors, type Vector } from '../scripts/conformance';
import { runButane } from '../transpiler/butane/cli';
import { runCt } from '../transpiler/cli';

const BIN = join(__dirname, '..', 'dist', 'bin');
const COMMANDS = ['ct', 'butane'] as const;
type Command = (typeof COMMANDS)[number];
const FILES = COMMANDS.flatMap((name) => [`${name}.js`, `${name}.bundle.js`, `${name}.bundle.cache`]);
const MISSING = FILES.filter((file) => !existsSync(join(BIN, file)));

interface Outcome {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number | null;
}

/** The in-process command, as the bin would run it in `cwd`. */
function inProcess(command: Command, args: readonly string[], input: Uint8Array, cwd: string): Outcome {
  if (command === 'ct') {
    const run = runCt(args, input, cwd);
    return { stdout: Buffer.from(run.stdout), stderr: Buffer.from(run.stderrBytes), exitCode: run.exitCode };
  }
  const run = runButane(args, input, cwd);
  return { stdout: Buffer.from(run.stdout), stderr: Buffer.from(run.stderr), exitCode: run.exitCode };
}

/** Runs `node [nodeArgs] bin args` with `input` on stdin; asynchronous, so that the tests can run side by side. */
async function spawned(bin: string, args: readonly string[], input: Uint8Array, options: { cwd?: string; nodeArgs?: string[] } = {}): Promise<Outcome> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { cwd: options.cwd });
  child.stdin.end(input);
  return collect(child);
}

async function collect(child: ChildProcessWithoutNullStreams): Promise<Outcome> {
  const [stdout, stderr] = [child.stdout, child.stderr].map((stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return chunks;
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitCode };
}

/** Readable on failure, exact either way. */
function expectSame(actual: Outcome, expected: Outcome): void {
  const text = (o: Outcome) => ({ exitCode: o.exitCode, stdout: o.stdout.toString('utf8'), stderr: o.stderr.toString('utf8') });
  expect(text(actual)).toEqual(text(expected));
  expect(actual.stdout.equals(expected.stdout) && actual.stderr.equals(expected.stderr)).toBe(true);
}

const ctVectors = new Map(loadVectors(findVectorsDir(__dirname)).map((v) => [v.name, v]));
const butaneVectors = new Map(loadButaneVectors(join(__dirname, 'conformance', 'butane')).map((v) => [v.name, v]));
const unexpected = (message: string): never => {
  throw new Error(message);
};
const ctVector = (name: string): Vector => ctVectors.get(name) ?? unexpected(`no ct vector ${name}`);

/** A handful of real vectors per command: output, warnings, errors, a platform, a files directory, Ignition 3.3.0. */
const CASES: readonly { command: Command; name: string; args: readonly string[]; input: Uint8Array; cwd: string }[] = [
  ...['file-inline-unicode', 'warning-message-percent-mangling', 'err-multiple-errors-ordering'].map((name) => ({ command: 'ct' as const, name, ...ctCase(ctVector(name)) })),
  { command: 'ct', name: 'platform-openstack-adds-metadata (flatcar)', ...ctCase(ctVector('platform-openstack-adds-metadata'), ['--dialect', 'flatcar']) },
  { command: 'ct', name: 'systemd-unicode-and-html (3.3.0)', ...ctCase(ctVector('systemd-unicode-and-html'), ['--ignition-version', '3.3.0']) },
  ...['ok-flatcar-1_1-files-local-large', 'warn-flatcar-1_0-decimal-mode', 'err-unknown-variant'].map((name) => {
    const v = butaneVectors.get(name) ?? unexpected(`no butane vector ${name}`);
    return { command: 'butane' as const, name, args: [...v.args, 'input.bu'], input: new Uint8Array(), cwd: v.dir };
  }),
];

function ctCase(v: Vector, extra: readonly string[] = []) {
  return { args: [...extra, ...v.args], input: v.input, cwd: v.dir };
}

function describeWithBins(body: () => void): void {
  const name = 'the bundled commands in dist/bin';
  if (MISSING.length === 0) describe(name, body);
  else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => test('are built', () => unexpected(`missing in dist/bin: ${MISSING.join(', ')} (npm run build)`)));
  } else {
    console.warn(`\n!!! SKIPPED "${name}": ${MISSING.join(', ')} missing; run \`npm run build\` first\n`);
    describe.skip(name, body);
  }
}

describeWithBins(() => {
  // made here, not in beforeAll: concurrent tests start before hooks run
  const work = mkdtempSync(join(tmpdir(), 'command-bins-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const bin = (command: Command) => join(BIN, `${command}.js`);

  test.concurrent.each(CASES.map((c) => [`${c.command} ${c.name}`, c] as const))('%s', async (_name, c) => {
    expectSame(await spawned(bin(c.command), c.args, c.input, { cwd: c.cwd }), inProcess(c.command, c.args, c.input, c.cwd));
  });

  const noInput = new Uint8Array();
  test.concurrent.each(COMMANDS.flatMap((command) => [['--help'], ['--version'], ['--bogus'], ['--pretty', 'positional', 'extra']].map((args) => [command, args] as const)))(
    '%s %j',
    async (command, args) => {
      expectSame(await spawned(bin(command), args, noInput, { cwd: work }), inProcess(command, args, noInput, work));
    },
  );

  test.concurrent.each([
    ['ct', ['--in-file', 'missing.yaml']],
    ['ct', ['--in-file', '.']],
    ['butane', ['missing.bu']],
    ['butane', ['.']],
    ['ct', ['--out-file', 'no/such/dir/out.ign']],
    ['butane', ['-o', 'no/such/dir/out.ign']],
  ] as const)('%s %j: unreadable input, unwritable output', async (command, args) => {
    const input = Buffer.from(command === 'ct' ? 'passwd: {}\n' : 'variant: flatcar\nversion: 1.1.0\n');
    expectSame(await spawned(bin(command), args, input, { cwd: work }), inProcess(command, args, input, work));
  });

  test.concurrent.each([
    ['ct', ['--pretty', '--out-file', 'out.ign'], ctVector('file-inline-unicode').input],
    ['butane', ['--pretty', '-o', 'out.ign'], readFileSync(join(butaneVectors.get('warn-flatcar-1_0-decimal-mode')?.dir ?? '', 'input.bu'))],
  ] as const)('%s %j writes the same file', async (command, args, input) => {
    const [fromBin, own] = [join(work, `${command}-bin`), join(work, `${command}-own`)];
    mkdirSync(fromBin);
    mkdirSync(own);
    expectSame(await spawned(bin(command), args, input, { cwd: fromBin }), inProcess(command, args, input, own));
    expect(readFileSync(join(fromBin, 'out.ign')).equals(readFileSync(join(own, 'out.ign')))).toBe(true);
  });

  test.concurrent.each(COMMANDS)('%s runs as an executable (#! line, executable bit)', async (command) => {
    const run = await collect(spawn(bin(command), ['--version']));
    expect(run.stdout.toString('utf8')).toBe(command === 'ct' ? 'ct v0.9.0\n' : 'Butane v0.23.0\n');
  });

  describe('the code cache', () => {
    /** With `--profile-deserialization` (left out of V8's flag check), V8 prints a line per code cache it uses, before the command's output. */
    const profiled = async (running: Promise<Outcome>) => {
      const run = await running;
      const [v8Lines] = /^(\[[^\n]*\]\n)*/.exec(run.stdout.toString('latin1')) as RegExpExecArray;
      const sizes = [...v8Lines.matchAll(/^\[Deserializing from (\d+) bytes/gm)].map((m) => Number(m[1]));
      return { sizes, run: { ...run, stdout: run.stdout.subarray(v8Lines.length) } };
    };
    /** Node's own caches of its modules are a few kB; ours are hundreds. */
    const usedOurs = (sizes: readonly number[]) => sizes.some((size) => size > 100_000);
    const CACHE_HEADER_BYTES = 256;
    const header = (cache: Buffer) => cache.subarray(0, CACHE_HEADER_BYTES);
    const payload = (cache: Buffer) => cache.subarray(CACHE_HEADER_BYTES);
    const ct = ctVector('file-inline-unicode');
    const profile = ['--profile-deserialization'];

    test.concurrent.each(COMMANDS)('%s: used when made for this bundle and this Node', async (command) => {
      const { sizes } = await profiled(spawned(bin(command), ['--version'], noInput, { nodeArgs: profile }));
      expect(sizes).toContain(payload(readFileSync(join(BIN, `${command}.bundle.cache`))).length);
    });

    const latin1 = (edit: (text: string) => string) => (bytes: Buffer) => Buffer.from(edit(bytes.toString('latin1')), 'latin1');
    /** The id in the first line (`// cdktf-coreos ct <sha256>`) and in the cache's header, from another build. */
    const otherBuild = latin1((text) => text.replace(/(cdktf-coreos ct )[0-9a-f]/, '$1-'));

    /** ct's bundle and cache (`butane` is butane's cache), damaged; no cache when undefined. */
    const damaged: readonly [string, { bundle?: (bundle: Buffer) => Buffer; cache: (ct: Buffer, butane: Buffer) => Buffer | undefined }][] = [
      ['a cache with a garbled header', { cache: (cache) => Buffer.concat([Buffer.alloc(40, 'x'), cache.subarray(40)]) }],
      ['a truncated cache', { cache: (cache) => cache.subarray(0, cache.length >> 1) }],
      // V8 itself would take these and crash (it checks lengths and versions, not the data)
      ['a cache with flipped bits, same length', { cache: (cache) => Buffer.from(cache.map((byte, i) => (i >= 5000 && i % 997 === 0 ? byte ^ 0x55 : byte))) }],
      ['a cache made by another Node', { cache: latin1((text) => text.replace(` ${process.version} `, ' v0.0.0 ')) }],
      ['a cache made for another build of the bundle', { cache: otherBuild }],
      ['a bundle from another build', { bundle: otherBuild, cache: (cache) => cache }],
      ["another bundle's cache under the right header", { cache: (cache, butane) => Buffer.concat([header(cache), payload(butane)]) }],
      ['no cache', { cache: () => undefined }],
    ];

    test.concurrent.each(damaged)('%s: not used, same output', async (name, damage) => {
      const dir = join(work, `bin-${name.replace(/\W/g, '-')}`);
      cpSync(BIN, dir, { recursive: true });
      const cache = damage.cache(readFileSync(join(BIN, 'ct.bundle.cache')), readFileSync(join(BIN, 'butane.bundle.cache')));
      if (cache) writeFileSync(join(dir, 'ct.bundle.cache'), cache);
      else rmSync(join(dir, 'ct.bundle.cache'));
      if (damage.bundle) writeFileSync(join(dir, 'ct.bundle.js'), damage.bundle(readFileSync(join(BIN, 'ct.bundle.js'))));
      const { sizes, run } = await profiled(spawned(join(dir, 'ct.js'), ct.args, ct.input, { cwd: ct.dir, nodeArgs: profile }));
      expect(usedOurs(sizes)).toBe(false);
      expectSame(run, inProcess('ct', ct.args, ct.input, ct.dir));
    });

    test.concurrent('other V8 flags: not used, same output', async () => {
      const { sizes, run } = await profiled(spawned(bin('ct'), ct.args, ct.input, { cwd: ct.dir, nodeArgs: [...profile, '--max-old-space-size=300'] }));
      expect(usedOurs(sizes)).toBe(false);
      expectSame(run, inProcess('ct', ct.args, ct.input, ct.dir));
    });
  });

  const perl = spawnSync('perl', ['-e', '1']).status === 0;
  (perl ? test.concurrent : test.concurrent.skip)('a large output through a full non-blocking pipe (EAGAIN) arrives whole', async () => {
    // perl sets O_NONBLOCK on the pipe, as a Node process sharing it may, then becomes the bin
    const setNonBlocking = 'use Fcntl; fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die; exec @ARGV or die';
    const input = Buffer.from(`storage:\n  files:\n    - path: /big\n      filesystem: root\n      contents:\n        inline: ${'x%'.repeat(150_000)}\n`);
    const child = spawn('perl', ['-e', setNonBlocking, process.execPath, bin('ct')], { cwd: work });
    child.stdin.end(input);
    // nobody reads for a while: the pipe fills, and the bin's writes meet EAGAIN
    await new Promise((resolve) => setTimeout(resolve, 300));
    const own = inProcess('ct', [], input, work);
    expect(own.stdout.length).toBeGreaterThan(400_000);
    expectSame(await collect(child), own);
  });

  /** Every vector through the bundles' own exports (esbuild compiled them from the sources): as the modules do. */
  describe('the bundles, in process, on every vector', () => {
    const bundle = (command: Command) => {
      const file = join(BIN, `${command}.bundle.js`);
      const module = { exports: {} as { runCt: typeof runCt; runButane: typeof runButane } };
      new Script(readFileSync(file, 'latin1'), { filename: file, lineOffset: -1 }).runInThisContext()(module.exports, require, module, file, BIN);
      return module.exports;
    };

    test('ct, both dialects, and Ignition 3.3.0', () => {
      const { runCt: bundled } = bundle('ct');
      const runs: [string, readonly string[], Vector][] = [
        ...[...ctVectors.values()].flatMap((v) => DIALECTS.map((d): [string, string[], Vector] => [`${v.name} ${d}`, ['--dialect', d, ...v.args], v])),
        ...loadIgn3Cases(findIgn3Dir(__dirname), findVectorsDir(__dirname)).map((c): [string, string[], Vector] => [
          `${c.name} ${c.side} 3.3.0`,
          ['--dialect', c.dialect, '--ignition-version', '3.3.0', ...c.ct.args],
          c.ct,
        ]),
      ];
      const differ = runs.filter(([, args, v]) => JSON.stringify(bundled(args, v.input, v.dir)) !== JSON.stringify(runCt(args, v.input, v.dir)));
      expect(differ.map(([name]) => name)).toEqual([]);
      expect(runs.length).toBeGreaterThan(300);
    });

    test('butane', () => {
      const { runButane: bundled } = bundle('butane');
      const vectors = [...butaneVectors.values()];
      const differ = vectors.filter((v) => {
        const args = [...v.args, 'input.bu'];
        return JSON.stringify(bundled(args, new Uint8Array(), v.dir)) !== JSON.stringify(runButane(args, new Uint8Array(), v.dir));
      });
      expect(differ.map((v) => v.name)).toEqual([]);
      expect(vectors.length).toBeGreaterThan(100);
    });
  });
});

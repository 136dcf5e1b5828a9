/**
 * `npm run package-check`: packs the library, installs the tarball into a fresh cdktf 0.21 consumer
 * project with the newest constructs 10.x, type-checks the consumer's stack (strict, both `node10`
 * and `node16` resolution), synthesizes it and checks the instances' user-data. Every step fails
 * loudly; the last line is `package-check: N passed, M failed`.
 *
 * Run after `npm run build` (the npm script does): the tarball is packed from this checkout's
 * dist/ without running `prepare` again. Environment: `PACKAGE_CHECK_KEEP=1` keeps the temporary
 * directory; the npm cache is npm's own (`npm_config_cache` to use another).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CONSUMER_MAIN_TS,
  CONSUMER_TSCONFIG,
  CONSUMER_TSCONFIG_NODE16,
  consumerPackageJson,
  type ConsumerVersions,
  readmeExample,
} from './package-check/consumer-project';
import { checkReadmeStack, checkSynthesizedStack } from './package-check/synth-checks';
import { checkTarballFiles, type PackedFile } from './package-check/tarball-files';

const ROOT = path.resolve(__dirname, '..', '..');

class StepFailure extends Error {}

/** Runs a command; a non-zero exit is a StepFailure carrying the command's output. */
function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false' },
  });
  if (result.error) throw new StepFailure(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new StepFailure(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}:\n${output}`);
  }
  return result.stdout;
}

function step<T>(name: string, body: () => T, describe: (value: T) => string = () => ''): T {
  const start = process.hrtime.bigint();
  try {
    const value = body();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const detail = describe(value);
    console.log(`package-check: ${name} ok (${seconds.toFixed(1)} s${detail ? `, ${detail}` : ''})`);
    return value;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new StepFailure(`${name} failed: ${message}`);
  }
}

interface PackResult {
  readonly tarball: string;
  readonly files: readonly PackedFile[];
  readonly size: number;
  readonly unpackedSize: number;
}

/** What `scripts/bundle-commands.js` makes for each command: its bin, its bundle and the bundle's code cache. */
const COMMAND_FILES = ['butane', 'ct'].flatMap((name) => [`dist/bin/${name}.bundle.cache`, `dist/bin/${name}.bundle.js`, `dist/bin/${name}.js`]);

/** Checks the commands' files in the tarball; returns the others. */
function checkCommandFiles(files: readonly PackedFile[]): PackedFile[] {
  const inBin = (file: PackedFile) => file.path.startsWith('dist/bin/');
  const packed = files.filter(inBin).map((file) => file.path).sort();
  if (packed.join('\n') !== COMMAND_FILES.join('\n')) {
    throw new StepFailure(`dist/bin/ in the tarball holds ${packed.join(', ') || 'nothing'}; expected ${COMMAND_FILES.join(', ')}`);
  }
  return files.filter((file) => !inBin(file));
}

function pack(destination: string): PackResult {
  // `prepare` builds dist/ in a fresh clone; here the npm script has just built it.
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], ROOT)) as [
    { filename: string; size: number; unpackedSize: number; files: PackedFile[] },
  ];
  checkTarballFiles(ROOT, checkCommandFiles(packed.files));
  return { tarball: path.join(destination, packed.filename), files: packed.files, size: packed.size, unpackedSize: packed.unpackedSize };
}

/** Our own pins for what the consumer shares with us, and the registry's newest constructs 10.x. */
function consumerVersions(): ConsumerVersions {
  const ours = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const constructs = JSON.parse(run('npm', ['view', 'constructs@10', 'version', '--json'], ROOT)) as string | string[];
  return {
    cdktf: '0.21.0',
    constructs: [constructs].flat().at(-1) ?? '',
    providerGoogle: ours.devDependencies['@cdktf/provider-google'],
    providerTls: ours.devDependencies['@cdktf/provider-tls'],
    providerRandom: ours.devDependencies['@cdktf/provider-random'],
    typescript: ours.devDependencies.typescript,
    typesNode: ours.devDependencies['@types/node'],
  };
}

function writeConsumer(dir: string, tarball: string, versions: ConsumerVersions): void {
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), consumerPackageJson(tarball, versions));
  writeFileSync(path.join(dir, 'tsconfig.json'), CONSUMER_TSCONFIG);
  writeFileSync(path.join(dir, 'tsconfig.node16.json'), CONSUMER_TSCONFIG_NODE16);
  writeFileSync(path.join(dir, 'main.ts'), CONSUMER_MAIN_TS);
  writeFileSync(path.join(dir, 'readme-example.ts'), readmeExample(readFileSync(path.join(ROOT, 'README.md'), 'utf8')));
}

/** The README's example synthesizes as written (into `cdktf.out` of its working directory). */
function synthReadmeExample(consumer: string): void {
  const cwd = path.join(consumer, 'readme-example');
  mkdirSync(cwd);
  run('node', [path.join(consumer, 'dist', 'readme-example.js')], cwd);
  checkReadmeStack(path.join(cwd, 'cdktf.out', 'stacks', 'web', 'cdk.tf.json'));
}

/** One copy of each peer in the consumer: the package brings none of its own, and npm finds no invalid peer. */
function checkSinglePeers(dir: string, versions: ConsumerVersions): string {
  if (existsSync(path.join(dir, 'node_modules', 'cdktf-coreos', 'node_modules'))) {
    throw new StepFailure('the installed package has its own node_modules: a peer was installed twice');
  }
  for (const name of ['constructs', 'cdktf', '@cdktf/provider-google']) {
    const copies = run('npm', ['ls', name, '--all', '--parseable'], dir).split('\n').filter(Boolean);
    if (copies.length !== 1) throw new StepFailure(`${copies.length} copies of ${name} in the consumer:\n${copies.join('\n')}`);
  }
  const installed = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'constructs', 'package.json'), 'utf8')) as { version: string };
  if (installed.version !== versions.constructs) throw new StepFailure(`constructs ${installed.version} installed, ${versions.constructs} wanted`);
  return `constructs ${installed.version}`;
}

/** The package's `ct` command, installed as a bin (the bundled `dist/bin/ct.js`), transpiles a config. */
function checkCtCommand(dir: string): void {
  const bin = path.join(dir, 'node_modules', '.bin', 'ct');
  const result = spawnSync(bin, ['--platform', 'gce'], { cwd: dir, encoding: 'utf8', input: 'passwd:\n  users:\n    - name: core\n' });
  if (result.status !== 0) throw new StepFailure(`ct exited with ${result.status ?? result.error?.message}: ${result.stderr}`);
  const ignition = JSON.parse(result.stdout) as { ignition: { version: string }; passwd: { users: { name: string }[] } };
  if (ignition.ignition.version !== '2.2.0' || ignition.passwd.users[0]?.name !== 'core') {
    throw new StepFailure(`ct printed an unexpected config: ${result.stdout}`);
  }
}

/** The package's `butane` command, installed as a bin (the bundled `dist/bin/butane.js`), translates a Butane config. */
function checkButaneCommand(dir: string): void {
  const bin = path.join(dir, 'node_modules', '.bin', 'butane');
  const result = spawnSync(bin, [], { cwd: dir, encoding: 'utf8', input: 'variant: flatcar\nversion: 1.1.0\npasswd:\n  users:\n    - name: core\n' });
  if (result.status !== 0) throw new StepFailure(`butane exited with ${result.status ?? result.error?.message}: ${result.stderr}`);
  if (result.stdout !== '{"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"core"}]}}\n') {
    throw new StepFailure(`butane printed an unexpected config: ${result.stdout}`);
  }
}

const kB = (bytes: number): string => (bytes / 1024).toFixed(0);

function packageCheck(work: string): void {
  const packed = step('npm pack', () => pack(work), (p) => `${p.files.length} files, ${kB(p.size)} kB packed, ${kB(p.unpackedSize)} kB unpacked`);
  const versions = step('newest constructs 10.x', consumerVersions, (v) => v.constructs);
  const consumer = path.join(work, 'consumer');
  writeConsumer(consumer, packed.tarball, versions);
  step('npm install in a fresh consumer', () =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], consumer));
  step('one copy of each peer', () => checkSinglePeers(consumer, versions), (detail) => detail);
  const tsc = path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc');
  step('tsc --noEmit (strict, node16 resolution, exports map; main.ts, README example)', () => run('node', [tsc, '--noEmit', '-p', 'tsconfig.node16.json'], consumer));
  step('tsc (strict, node10 resolution, as cdktf init)', () => run('node', [tsc, '-p', 'tsconfig.json'], consumer));
  const outdir = path.join(consumer, 'cdktf.out');
  step('synth (instanceof across the package boundary, app.synth())', () => run('node', ['dist/main.js', outdir], consumer));
  step('synthesized instances carry user-data', () => checkSynthesizedStack(path.join(outdir, 'stacks', 'consumer', 'cdk.tf.json')), (d) => d);
  step('README example synthesizes', () => synthReadmeExample(consumer));
  step('ct command from the package', () => checkCtCommand(consumer));
  step('butane command from the package', () => checkButaneCommand(consumer));
}

function main(): number {
  const work = mkdtempSync(path.join(tmpdir(), 'package-check-'));
  chmodSync(work, 0o700);
  const start = process.hrtime.bigint();
  let failed = 0;
  try {
    packageCheck(work);
  } catch (err) {
    failed = 1;
    console.error(`package-check: ${err instanceof Error ? err.message : String(err)}`);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (process.env.PACKAGE_CHECK_KEEP) console.log(`package-check: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  if (failed && !process.env.PACKAGE_CHECK_KEEP) console.log('package-check: PACKAGE_CHECK_KEEP=1 keeps the consumer project for a look');
  console.log(`package-check: ${1 - failed} passed, ${failed} failed (${seconds.toFixed(1)} s)`);
  return failed ? 1 : 0;
}

process.exitCode = main();

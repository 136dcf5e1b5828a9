/**
 * Runs the ct conformance vectors (`__tests__/conformance/ct/`) through the same code path as
 * the `ct` command, as `ct $(cat args) < input.yaml` with the vector folder as cwd, for both
 * dialects, and compares stdout, stderr and exit code byte for byte. Then the Ignition 3.3.0
 * vectors (`__tests__/conformance/ign3/`), see `loadIgn3Cases`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Dialect } from '../transpiler/convert';
import { runCt } from '../transpiler/cli';
import { capabilities, type Capability } from '../transpiler/translators';
import { runButaneCorpus } from './conformance-butane';
import { runFuzzCorpora } from './conformance-fuzz';

export const DIALECTS: readonly Dialect[] = ['coreos', 'flatcar'];

export interface Vector {
  readonly name: string;
  readonly dir: string;
  readonly args: readonly string[];
  readonly input: Uint8Array;
}

export interface Expected {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
}

export type Verdict =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly why: string }
  | { readonly status: 'pending'; readonly needs: readonly Capability[] };

/** The vectors folder: `__tests__/conformance/ct` in the repository that holds this script. */
export function findVectorsDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, '__tests__', 'conformance', 'ct');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no __tests__/conformance/ct above ${start}`);
  }
}

/** The vector folders under `root`, sorted by name, each with its `args` file as `$(cat args)` splits it. */
export function loadVectorFolders(root: string): { name: string; dir: string; args: string[] }[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(root, name);
      return { name, dir, args: readFileSync(join(dir, 'args'), 'utf8').split(/\s+/).filter((a) => a !== '') };
    });
}

export function loadVectors(root: string): Vector[] {
  return loadVectorFolders(root).map((v) => ({ ...v, input: readFileSync(join(v.dir, 'input.yaml')) }));
}

function readOptional(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

export function expectedFor(vector: Vector, dialect: Dialect): Expected {
  const suffix = dialect === 'flatcar' ? '.flatcar' : '';
  return {
    stdout: readOptional(join(vector.dir, `expected${suffix}.ign`)),
    stderr: readOptional(join(vector.dir, `stderr${suffix}.txt`)),
    exitCode: Number(readFileSync(join(vector.dir, `exit_code${suffix}`), 'utf8').trim()),
  };
}

const SECTION_CAPABILITIES: readonly Capability[] = ['docker', 'etcd', 'flannel', 'update', 'locksmith'];
/** Platforms whose extra metadata units come from the platform translator (docs/ct.md §8.3). */
const METADATA_PLATFORMS: readonly string[] = ['openstack-metadata', 'cloudstack-configdrive'];

function topLevelKeys(input: Uint8Array): Set<string> {
  const text = Buffer.from(input).toString('utf8');
  try {
    const doc = parseAllDocuments(text, { uniqueKeys: false })[0];
    const root = doc && !Array.isArray(doc) ? (doc.toJS() as unknown) : undefined;
    if (root && typeof root === 'object' && !Array.isArray(root)) return new Set(Object.keys(root));
  } catch {
    // unparseable input: fall back to keys written at the start of a line
  }
  return new Set([...text.matchAll(/^["']?([A-Za-z_]+)["']?\s*:/gm)].map((m) => m[1]));
}

function flagValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i].replace(/^--?/, '');
    if (a === name) return args[i + 1];
    if (a.startsWith(name + '=')) return a.slice(name.length + 1);
  }
  return undefined;
}

/** The capabilities a vector exercises, from its top-level keys and its flags. */
export function requiredCapabilities(vector: Vector): Capability[] {
  const keys = topLevelKeys(vector.input);
  const needs = SECTION_CAPABILITIES.filter((c) => keys.has(c));
  const platform = flagValue(vector.args, 'platform');
  if (platform && METADATA_PLATFORMS.includes(platform)) needs.push('platform');
  if (flagValue(vector.args, 'files-dir') !== undefined) needs.push('files-dir');
  return needs;
}

export function missingCapabilities(vector: Vector): Capability[] {
  return requiredCapabilities(vector).filter((c) => !capabilities.has(c));
}

export function runVector(vector: Vector, dialect: Dialect): { stdout: Buffer; stderr: Buffer; exitCode: number } {
  const args = dialect === 'flatcar' ? ['--dialect', 'flatcar', ...vector.args] : [...vector.args];
  const run = runCt(args, vector.input, vector.dir);
  return { stdout: Buffer.from(run.stdout, 'utf8'), stderr: Buffer.from(run.stderrBytes), exitCode: run.exitCode };
}

export function judge(vector: Vector, dialect: Dialect): Verdict {
  const needs = missingCapabilities(vector);
  if (needs.length > 0) return { status: 'pending', needs };
  const expected = expectedFor(vector, dialect);
  let actual;
  try {
    actual = runVector(vector, dialect);
  } catch (err) {
    return { status: 'failed', why: `crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` };
  }
  const diffs = outputDifferences(actual, expected);
  return diffs.length === 0 ? { status: 'passed' } : { status: 'failed', why: diffs.join(', ') };
}

/** How a ct run's exit code, stdout and stderr bytes differ from the expectation; empty when they match. */
export function outputDifferences(actual: { stdout: Buffer; stderr: Buffer; exitCode: number }, expected: Expected): string[] {
  const diffs: string[] = [];
  if (actual.exitCode !== expected.exitCode) diffs.push(`exit ${actual.exitCode} != ${expected.exitCode}`);
  if (!actual.stdout.equals(expected.stdout)) diffs.push('stdout differs');
  if (!actual.stderr.equals(expected.stderr)) diffs.push('stderr differs');
  return diffs;
}

// ---------------------------------------------------------------------------------------------
// Ignition 3.3.0 vectors. Per the ign3 README, `from-2.2.0.*` is Flatcar's translation of the ct
// vector's `expected.ign` (ct v0.9.0) and `from-2.3.0.*` of its `expected.flatcar.ign` (Flatcar
// ct v0.9.4). Here each side runs end to end through the ct command: the ct vector's own args and
// input, its dialect, plus `--ignition-version 3.3.0`. Expected: stdout = `from-X.ign` (with
// `--pretty`) or `from-X.compact.ign`; stderr = ct's own stderr for that dialect followed by
// `from-X.stderr`; the exit code of `from-X.exit`, except that where Flatcar's translator panics
// (exit 2) this port refuses the config with a clear error (exit 1).

export type Ign3Side = '2.2.0' | '2.3.0';
export const IGN3_SIDES: readonly { readonly side: Ign3Side; readonly dialect: Dialect }[] = [
  { side: '2.2.0', dialect: 'coreos' },
  { side: '2.3.0', dialect: 'flatcar' },
];

export interface Ign3Case {
  readonly name: string;
  readonly side: Ign3Side;
  readonly dialect: Dialect;
  /** The ign3 vector folder. */
  readonly dir: string;
  /** The ct vector whose input and args produce the 2.x side. */
  readonly ct: Vector;
}

export interface Ign3Expected extends Expected {
  /** Flatcar's translator panics here: only the refusal is checked, not its wording. */
  readonly crash: boolean;
}

/** The ign3 vectors folder next to the ct one. */
export function findIgn3Dir(start: string = __dirname): string {
  return join(dirname(findVectorsDir(start)), 'ign3');
}

const isPretty = (args: readonly string[]): boolean => args.some((a) => /^--?pretty(=(1|t|T|true|TRUE|True))?$/.test(a));

/** One case per vector folder and side present (`from-X.exit`); `_probes` are not ct vectors. */
export function loadIgn3Cases(ign3Root: string, ctRoot: string): Ign3Case[] {
  const ctVectors = new Map(loadVectors(ctRoot).map((v) => [v.name, v]));
  const cases: Ign3Case[] = [];
  for (const name of readdirSync(ign3Root).sort()) {
    const dir = join(ign3Root, name);
    if (name.startsWith('_') || !statSync(dir).isDirectory()) continue;
    const ct = ctVectors.get(name);
    if (!ct) throw new Error(`ign3 vector ${name} has no ct vector in ${ctRoot}`);
    for (const { side, dialect } of IGN3_SIDES) {
      if (existsSync(join(dir, `from-${side}.exit`))) cases.push({ name, side, dialect, dir, ct });
    }
  }
  return cases;
}

export function expectedIgn3(c: Ign3Case): Ign3Expected {
  const exit = Number(readFileSync(join(c.dir, `from-${c.side}.exit`), 'utf8').trim());
  const output = isPretty(c.ct.args) ? `from-${c.side}.ign` : `from-${c.side}.compact.ign`;
  const ctStderr = expectedFor(c.ct, c.dialect).stderr;
  return {
    exitCode: exit === 2 ? 1 : exit,
    crash: exit === 2,
    stdout: exit === 0 ? readFileSync(join(c.dir, output)) : Buffer.alloc(0),
    stderr: Buffer.concat([ctStderr, exit === 2 ? Buffer.alloc(0) : readFileSync(join(c.dir, `from-${c.side}.stderr`))]),
  };
}

export function runIgn3Case(c: Ign3Case): { stdout: Buffer; stderr: Buffer; exitCode: number } {
  const args = ['--dialect', c.dialect, '--ignition-version', '3.3.0', ...c.ct.args];
  const run = runCt(args, c.ct.input, c.ct.dir);
  return { stdout: Buffer.from(run.stdout, 'utf8'), stderr: Buffer.from(run.stderrBytes), exitCode: run.exitCode };
}

/** Differences between a run and the expectation; empty when it conforms. */
export function ign3Differences(actual: { stdout: Buffer; stderr: Buffer; exitCode: number }, expected: Ign3Expected): string[] {
  const diffs: string[] = [];
  if (actual.exitCode !== expected.exitCode) diffs.push(`exit ${actual.exitCode} != ${expected.exitCode}`);
  if (!actual.stdout.equals(expected.stdout)) diffs.push('stdout differs');
  const stderrOk = expected.crash
    ? actual.stderr.subarray(0, expected.stderr.length).equals(expected.stderr) && /crashes/.test(actual.stderr.toString('utf8'))
    : actual.stderr.equals(expected.stderr);
  if (!stderrOk) diffs.push('stderr differs');
  return diffs;
}

/** `ignition-validate` (Debian package `ignition`), or undefined when it is not installed. */
export function findIgnitionValidate(): string | undefined {
  const probe = spawnSync('ignition-validate', ['-version'], { encoding: 'utf8' });
  return probe.error ? undefined : 'ignition-validate';
}

export interface ValidatorVerdict {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs `ignition-validate -` on a 3.3.0 config. */
export function runIgnitionValidate(binary: string, config: Uint8Array): ValidatorVerdict {
  const run = spawnSync(binary, ['-'], { input: config, encoding: 'utf8' });
  return { exitCode: run.status ?? -1, output: (run.stdout + run.stderr).trim() };
}

/** What `validate.txt` records for `ignition-validate` on the reference output of `side`, if it was validated. */
export function recordedValidation(dir: string, side: Ign3Side): ValidatorVerdict | undefined {
  const path = join(dir, 'validate.txt');
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  const header = lines.findIndex((l) => l.startsWith(`from-${side}: ignition-validate `));
  if (header < 0) return undefined;
  const exit = /exit (\d+)$/.exec(lines[header]);
  const body: string[] = [];
  for (let i = header + 1; i < lines.length && !lines[i].startsWith('from-'); i++) body.push(lines[i]);
  return { exitCode: Number(exit?.[1] ?? -1), output: body.join('\n').trim() };
}

/** ignition-validate must judge our output as it judged the reference output (validate.txt). */
export function validationDifference(c: Ign3Case, stdout: Uint8Array, binary: string): string | undefined {
  const recorded = recordedValidation(c.dir, c.side);
  if (!recorded) return undefined;
  const actual = runIgnitionValidate(binary, stdout);
  if (actual.exitCode === recorded.exitCode && actual.output === recorded.output) return undefined;
  return `ignition-validate exit ${actual.exitCode} (${actual.output || 'no output'}), reference exit ${recorded.exitCode}`;
}

export function judgeIgn3(c: Ign3Case, validator: string | undefined): Verdict {
  const needs = missingCapabilities(c.ct);
  if (needs.length > 0) return { status: 'pending', needs };
  let actual;
  try {
    actual = runIgn3Case(c);
  } catch (err) {
    return { status: 'failed', why: `crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` };
  }
  const diffs = ign3Differences(actual, expectedIgn3(c));
  if (diffs.length === 0 && actual.exitCode === 0 && validator) {
    const invalid = validationDifference(c, actual.stdout, validator);
    if (invalid) diffs.push(invalid);
  }
  return diffs.length === 0 ? { status: 'passed' } : { status: 'failed', why: diffs.join(', ') };
}

function runIgn3(ctRoot: string, failures: string[]): void {
  const ign3Root = join(dirname(ctRoot), 'ign3');
  if (!existsSync(ign3Root)) return;
  const validator = findIgnitionValidate();
  const counts = { passed: 0, failed: 0, pending: 0 };
  for (const c of loadIgn3Cases(ign3Root, ctRoot)) {
    const verdict = judgeIgn3(c, validator);
    counts[verdict.status]++;
    if (verdict.status === 'failed') failures.push(`  ign3/${c.name} (from ${c.side}): ${verdict.why.split('\n')[0]}`);
  }
  console.log(`ign3: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending`);
  if (!validator) console.log('ign3: ignition-validate not found (apt-get install ignition); outputs were not validated');
}

function main(): void {
  const root = resolve(process.argv[2] ?? findVectorsDir());
  const vectors = loadVectors(root);
  const failures: string[] = [];
  for (const dialect of DIALECTS) {
    const counts = { passed: 0, failed: 0, pending: 0 };
    for (const vector of vectors) {
      const verdict = judge(vector, dialect);
      counts[verdict.status]++;
      if (verdict.status === 'failed') failures.push(`  ${dialect}/${vector.name}: ${verdict.why.split('\n')[0]}`);
    }
    console.log(`ct/${dialect}: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending`);
  }
  runIgn3(root, failures);
  runFuzzCorpora(dirname(root), failures);
  runButaneCorpus(dirname(root), failures);
  if (failures.length > 0) console.log(`failing vectors:\n${failures.join('\n')}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (require.main === module) main();

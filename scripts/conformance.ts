/**
 * Runs the ct conformance vectors (`__tests__/conformance/ct/`) through the same code path as
 * the `ct` command, as `ct $(cat args) < input.yaml` with the vector folder as cwd, for both
 * dialects, and compares stdout, stderr and exit code byte for byte.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Dialect } from '../transpiler/convert';
import { runCt } from '../transpiler/cli';
import { capabilities, type Capability } from '../transpiler/translators';

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

export function loadVectors(root: string): Vector[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(root, name);
      // `$(cat args)`: word splitting on whitespace
      const args = readFileSync(join(dir, 'args'), 'utf8').split(/\s+/).filter((a) => a !== '');
      return { name, dir, args, input: readFileSync(join(dir, 'input.yaml')) };
    });
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
/** Platforms whose extra metadata units come from the platform translator (ct-spec 8.3). */
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
  return { stdout: Buffer.from(run.stdout, 'utf8'), stderr: Buffer.from(run.stderr, 'utf8'), exitCode: run.exitCode };
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
  const diffs: string[] = [];
  if (actual.exitCode !== expected.exitCode) diffs.push(`exit ${actual.exitCode} != ${expected.exitCode}`);
  if (!actual.stdout.equals(expected.stdout)) diffs.push('stdout differs');
  if (!actual.stderr.equals(expected.stderr)) diffs.push('stderr differs');
  return diffs.length === 0 ? { status: 'passed' } : { status: 'failed', why: diffs.join(', ') };
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
  if (failures.length > 0) console.log(`failing vectors:\n${failures.join('\n')}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (require.main === module) main();

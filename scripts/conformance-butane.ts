/**
 * Runs the Butane vectors (`__tests__/conformance/butane/`, made by Butane v0.23.0) through the
 * `butane` command's code path, as `butane $(cat args) input.bu` with the vector folder as cwd,
 * and compares exit code, stdout and stderr byte for byte (`__tests__/butane/ignition-validate.test.ts`
 * runs Debian's `ignition-validate` on the outputs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runButane } from '../transpiler/butane/cli';
import { loadVectorFolders } from './conformance';

export interface ButaneVector {
  readonly name: string;
  readonly dir: string;
  readonly args: readonly string[];
}

export interface ButaneExpected {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export function loadButaneVectors(root: string): ButaneVector[] {
  return existsSync(root) ? loadVectorFolders(root) : [];
}

export function expectedButane(v: ButaneVector): ButaneExpected {
  const read = (f: string): string => (existsSync(join(v.dir, f)) ? readFileSync(join(v.dir, f), 'utf8') : '');
  return { stdout: read('expected.ign'), stderr: read('stderr.txt'), exitCode: Number(read('exit_code').trim()) };
}

export function runButaneVector(v: ButaneVector): ButaneExpected {
  const run = runButane([...v.args, 'input.bu'], new Uint8Array(), v.dir);
  return { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode };
}

/** The first difference, described; undefined when the run matches. */
export function butaneDifference(actual: ButaneExpected, expected: ButaneExpected): string | undefined {
  if (actual.exitCode !== expected.exitCode) return `exit code ${actual.exitCode}, expected ${expected.exitCode}; stderr: ${actual.stderr.split('\n')[0]}`;
  if (actual.stderr !== expected.stderr) return `stderr differs:\n--- got\n${actual.stderr}--- expected\n${expected.stderr}`;
  if (actual.stdout !== expected.stdout) {
    let i = 0;
    while (i < actual.stdout.length && actual.stdout[i] === expected.stdout[i]) i++;
    return `stdout differs at byte ${i}: got ${JSON.stringify(actual.stdout.slice(i, i + 60))}, expected ${JSON.stringify(expected.stdout.slice(i, i + 60))}`;
  }
  return undefined;
}

/** Prints a summary line for the corpus; failing vectors go to `failures`. */
export function runButaneCorpus(conformanceRoot: string, failures: string[]): void {
  const vectors = loadButaneVectors(join(conformanceRoot, 'butane'));
  if (vectors.length === 0) return;
  let passed = 0;
  for (const v of vectors) {
    let why: string | undefined;
    try {
      why = butaneDifference(runButaneVector(v), expectedButane(v));
    } catch (err) {
      why = `threw ${(err as Error).stack ?? String(err)}`;
    }
    if (why === undefined) passed++;
    else failures.push(`  butane/${v.name}: ${why.split('\n').slice(0, 6).join('\n    ')}`);
  }
  console.log(`butane: ${passed} passed, ${vectors.length - passed} failed`);
}

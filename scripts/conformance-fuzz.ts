/**
 * The fuzz-found vectors: `__tests__/conformance/ct-fuzz/` (same layout as `ct/`, run the same
 * way) and `__tests__/conformance/ign3-fuzz/` (2.x JSON given straight to `translateToV33`).
 * Each vector gets its own line, since each stands for one root cause.
 *
 * Two ct behaviours are not copied, on purpose (README, "Where we differ from ct"):
 * - Flatcar's ct panics (exit 2, a Go stack trace) on some bad bytes: we print the YAML error
 *   that ct v0.9.0 prints for the same input, and exit 1;
 * - ct v0.9.0 accepts unbounded nesting and aliasing: we refuse both in the coreos dialect too,
 *   with the error Flatcar's ct (yaml.v3) gives.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from '../transpiler/convert';
import { Ign3TranslationError, marshalV33, translateToV33 } from '../transpiler/ign3';
import { DIALECTS, expectedFor, loadVectors, outputDifferences, runVector, type Expected, type Vector } from './conformance';

/** yaml.v3's refusals of unbounded work, which ct v0.9.0's YAML library never gives. */
const BOUNDED_WORK_REFUSAL = /^error: yaml: (exceeded max depth of \d+|document contains excessive aliasing)\n/;
const GO_PANIC = /^panic: /;

export interface FuzzExpectation extends Expected {
  /** Why this expectation is not the real tool's output; undefined where it is. */
  readonly divergence?: string;
}

/** What our `ct` must print for a ct-fuzz vector: the real binary's output, except where we differ on purpose. */
export function expectedFuzz(vector: Vector, dialect: Dialect): FuzzExpectation {
  const own = expectedFor(vector, dialect);
  const coreos = expectedFor(vector, 'coreos');
  const flatcar = expectedFor(vector, 'flatcar');
  if (dialect === 'flatcar' && own.exitCode === 2 && GO_PANIC.test(own.stderr.toString('latin1'))) {
    return { ...coreos, stdout: Buffer.alloc(0), divergence: "Flatcar's ct panics here: the YAML error instead" };
  }
  if (dialect === 'coreos' && BOUNDED_WORK_REFUSAL.test(flatcar.stderr.toString('latin1'))) {
    return { ...flatcar, divergence: 'ct v0.9.0 does unbounded work here: refused as Flatcar refuses' };
  }
  return own;
}

export function fuzzDifferences(vector: Vector, dialect: Dialect): string[] {
  const expected = expectedFuzz(vector, dialect);
  let actual;
  try {
    actual = runVector(vector, dialect);
  } catch (err) {
    return [`crashed: ${err instanceof Error ? err.message : String(err)}`];
  }
  return outputDifferences(actual, expected);
}

export interface Ign3FuzzCase {
  readonly name: string;
  readonly dir: string;
  readonly input: Buffer;
}

export interface Ign3Outcome {
  readonly exit: number;
  readonly stderr: string;
  /** Indented, plus "\n"; '' on failure. */
  readonly pretty: string;
  /** Compact; '' on failure. */
  readonly compact: string;
}

export function loadIgn3FuzzCases(root: string): Ign3FuzzCase[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => ({ name, dir: join(root, name), input: readFileSync(join(root, name, 'input.2x.ign')) }));
}

export function expectedIgn3Fuzz(c: Ign3FuzzCase): Ign3Outcome {
  const read = (file: string): string => readFileSync(join(c.dir, file), 'utf8');
  return { exit: Number(read('exit').trim()), stderr: read('stderr'), pretty: read('expected.3_3_0.ign'), compact: read('expected.3_3_0.compact.ign') };
}

/** `translateToV33` in the ign3-fuzz file conventions: the error plus "\n", or the warning report plus "\n". */
export function translateIgn3Fuzz(input: Uint8Array): Ign3Outcome {
  try {
    const t = translateToV33(input);
    return { exit: 0, stderr: t.report === '' ? '' : t.report + '\n', pretty: marshalV33(t.config, true), compact: marshalV33(t.config, false) };
  } catch (err) {
    if (!(err instanceof Ign3TranslationError)) throw err;
    return { exit: 1, stderr: err.flatcarMessage + '\n', pretty: '', compact: '' };
  }
}

export function ign3FuzzDifferences(c: Ign3FuzzCase): string[] {
  const expected = expectedIgn3Fuzz(c);
  let actual: Ign3Outcome;
  try {
    actual = translateIgn3Fuzz(c.input);
  } catch (err) {
    return [`crashed: ${err instanceof Error ? err.message : String(err)}`];
  }
  const diffs: string[] = [];
  if (actual.exit !== expected.exit) diffs.push(`exit ${actual.exit} != ${expected.exit}`);
  if (actual.stderr !== expected.stderr) diffs.push(`stderr ${JSON.stringify(actual.stderr)} != ${JSON.stringify(expected.stderr)}`);
  if (actual.pretty !== expected.pretty) diffs.push('indented output differs');
  if (actual.compact !== expected.compact) diffs.push('compact output differs');
  return diffs;
}

interface Tally {
  passed: number;
  failed: number;
}

function report(label: string, name: string, diffs: readonly string[], tally: Tally, failures: string[], note?: string): void {
  const verdict = diffs.length === 0 ? 'passed' : `FAILED: ${diffs.join(', ')}`;
  console.log(`  ${label} ${name}: ${verdict}${diffs.length === 0 && note ? ` (${note})` : ''}`);
  if (diffs.length === 0) tally.passed++;
  else {
    tally.failed++;
    failures.push(`  ${label}/${name}: ${diffs[0]}`);
  }
}

/** Runs both fuzz corpora next to `ctRoot`, a line per vector and a summary line per corpus. */
export function runFuzzCorpora(conformanceRoot: string, failures: string[]): void {
  const ctFuzzRoot = join(conformanceRoot, 'ct-fuzz');
  if (existsSync(ctFuzzRoot)) {
    const vectors = loadVectors(ctFuzzRoot);
    for (const dialect of DIALECTS) {
      const tally = { passed: 0, failed: 0 };
      for (const vector of vectors) {
        report(`ct-fuzz/${dialect}`, vector.name, fuzzDifferences(vector, dialect), tally, failures, expectedFuzz(vector, dialect).divergence);
      }
      console.log(`ct-fuzz/${dialect}: ${tally.passed} passed, ${tally.failed} failed`);
    }
  }
  const tally = { passed: 0, failed: 0 };
  for (const c of loadIgn3FuzzCases(join(conformanceRoot, 'ign3-fuzz'))) {
    report('ign3-fuzz', c.name, ign3FuzzDifferences(c), tally, failures);
  }
  console.log(`ign3-fuzz: ${tally.passed} passed, ${tally.failed} failed`);
}

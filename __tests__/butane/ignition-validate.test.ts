/**
 * Debian's `ignition-validate` (Ignition 2.14) on our Butane output, for every vector of
 * `__tests__/conformance/butane/` that our translateButane translates, against the validator runs
 * recorded in the vector's validate.txt (made on real Butane's `expected.ign`).
 *
 * - spec 3.3.0 (flatcar 1.0.0, fcos 1.4.0): must pass, rc 0; any warning it prints must be one our
 *   port reported too, and where validate.txt records a run (the vector's own or, for a `-strict`
 *   twin, the plain vector's) the output must be exactly the recorded one.
 * - spec 3.4.0 and 3.5.0 (flatcar 1.1.0, fcos 1.5.0/1.6.0): 2.14 cannot parse them; the test pins
 *   that refusal, the gap only a newer Ignition (or a boot) closes. Where validate.txt records a run
 *   on a copy relabelled `3.4.0-experimental` (2.14's draft of 3.4.0), that copy must get the
 *   recorded verdict too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runIgnitionValidate, type ValidatorVerdict } from '../../scripts/conformance';
import { loadButaneVectors, type ButaneVector } from '../../scripts/conformance-butane';
import { nodeButaneFs } from '../../transpiler/butane/files-dir';
import { translateButane } from '../../transpiler/butane/transpile';
import { validatorTest } from '../ign3/ign3-validator';

const VECTORS_DIR = join(__dirname, '..', 'conformance', 'butane');

/** What 2.14 says about any spec it does not know. */
const UNSUPPORTED: ValidatorVerdict = { exitCode: 1, output: "couldn't parse config: unsupported config version" };

interface Recorded {
  /** `ignition-validate (Ignition 2.14.0, Debian)` on expected.ign. */
  readonly debian?: ValidatorVerdict;
  /** The same on a copy relabelled 3.4.0-experimental. */
  readonly relabelled?: ValidatorVerdict;
}

/** validate.txt: a header line per run (`<validator ...>: rc=N`), then that run's output lines. */
function recorded(dir: string): Recorded {
  const file = join(dir, 'validate.txt');
  if (!existsSync(file)) return {};
  const runs: Record<string, ValidatorVerdict> = {};
  let current: { name: string; exitCode: number; lines: string[] } | undefined;
  const close = () => {
    if (current) runs[current.name] = { exitCode: current.exitCode, output: current.lines.join('\n').trim() };
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const header = /^(.*): rc=(\d+)$/.exec(line);
    if (header || line.startsWith('no output')) {
      close();
      current = header ? { name: header[1], exitCode: Number(header[2]), lines: [] } : undefined;
    } else {
      current?.lines.push(line);
    }
  }
  close();
  const relabelled = Object.keys(runs).find((name) => name.startsWith('ignition-validate on a copy relabelled 3.4.0-experimental'));
  return { debian: runs['ignition-validate (Ignition 2.14.0, Debian)'], relabelled: relabelled === undefined ? undefined : runs[relabelled] };
}

interface Translated {
  readonly vector: ButaneVector;
  /** The command's stdout: the JSON and a newline. */
  readonly output: string;
  readonly version: string;
  /** The warning messages our port reported. */
  readonly warnings: ReadonlySet<string>;
  readonly recorded: Recorded;
}

/** Our translation of the vector with its flags (`--pretty`, `-d files`), or undefined where translation fails. */
function translate(vector: ButaneVector): Translated | undefined {
  const filesDir = vector.args.includes('-d') ? vector.args[vector.args.indexOf('-d') + 1] : '';
  const outcome = translateButane(readFileSync(join(vector.dir, 'input.bu')), {
    pretty: vector.args.includes('--pretty'),
    filesDir,
    fs: nodeButaneFs(vector.dir),
  });
  if (outcome.json === undefined || outcome.ignitionVersion === undefined) return undefined;
  // `--strict` refused the output: the vector without -strict recorded the run, when it is here.
  const own = recorded(vector.dir);
  const twin = vector.name.endsWith('-strict') && !own.debian ? recorded(join(VECTORS_DIR, vector.name.replace(/-strict$/, ''))) : own;
  return {
    vector,
    output: `${outcome.json}\n`,
    version: outcome.ignitionVersion,
    warnings: new Set(outcome.entries.filter((e) => e.kind === 'warning').map((e) => e.message)),
    recorded: twin,
  };
}

const translated = loadButaneVectors(VECTORS_DIR)
  .map(translate)
  .filter((t): t is Translated => t !== undefined);
const spec33 = translated.filter((t) => t.version === '3.3.0');
const newer = translated.filter((t) => t.version !== '3.3.0');

/** `"version": "3.4.0"` of the ignition section (the first key Butane writes) relabelled, same layout otherwise. */
function relabel(output: string): string {
  const copy = output.replace(/("version":\s*)"3\.4\.0"/, '$1"3.4.0-experimental"');
  expect((JSON.parse(copy) as { ignition: { version: string } }).ignition.version).toBe('3.4.0-experimental');
  return copy;
}

describe('ignition-validate on our Butane output', () => {
  test('the corpus yields outputs of every spec', () => {
    expect(spec33.length).toBeGreaterThanOrEqual(40);
    expect(new Set(newer.map((t) => t.version))).toEqual(new Set(['3.4.0', '3.5.0']));
  });

  test('every run validate.txt records was on an output our port also produces', () => {
    const withRecord = loadButaneVectors(VECTORS_DIR).filter((v) => recorded(v.dir).debian !== undefined);
    const ours = new Set(translated.map((t) => t.vector.name));
    expect(withRecord.filter((v) => !ours.has(v.name)).map((v) => v.name)).toEqual([]);
  });

  validatorTest('the validator is the Debian Ignition 2.14 these expectations are about', (binary) => {
    expect(spawnSync(binary, ['-version'], { encoding: 'utf8' }).stdout).toMatch(/^Ignition Debian 2\.14\./);
  });

  describe('spec 3.3.0 passes', () => {
    for (const t of spec33) {
      validatorTest(t.vector.name, (binary) => {
        const verdict = runIgnitionValidate(binary, Buffer.from(t.output));
        expect(verdict.exitCode).toBe(0);
        const notOurWarnings = verdict.output
          .split('\n')
          .filter((line) => line !== '')
          .filter((line) => !t.warnings.has(/^warning at \$[^,]*, line \d+ col \d+: (.*)$/.exec(line)?.[1] ?? ''));
        expect(notOurWarnings).toEqual([]);
        if (t.recorded.debian) expect(verdict).toEqual(t.recorded.debian);
      });
    }
  });

  describe('spec 3.4.0 and 3.5.0 are refused by 2.14 (unknown version); the 3.4.0-experimental copy gets the recorded verdict', () => {
    for (const t of newer) {
      validatorTest(`${t.vector.name} (${t.version})`, (binary) => {
        expect(runIgnitionValidate(binary, Buffer.from(t.output))).toEqual(UNSUPPORTED);
        if (t.recorded.debian) expect(t.recorded.debian).toEqual(UNSUPPORTED);
        if (t.recorded.relabelled) {
          expect(runIgnitionValidate(binary, Buffer.from(relabel(t.output)))).toEqual(t.recorded.relabelled);
        }
      });
    }
  });
});

/**
 * The differential campaign's mutation classes (issue 11), run through `transpile` in both
 * dialects: no crash, a positioned TranspileError where the config is refused, and work bounded
 * by the input's size (alias bombs and deep nesting are refused early). Where no real ct
 * is at hand, two runs that must agree are compared instead:
 * - a leading byte order mark changes nothing (the YAML reader skips it);
 * - CRLF line breaks change nothing (the YAML scanner normalises them);
 * - `ignitionVersion: '3.3.0'` equals `translateToV33` of the 2.x output (ct's own output takes
 *   a shortcut past re-validation; the public translation does not).
 */
import fc from 'fast-check';
import { transpile, TranspileError, type TranspileResult } from '../../transpiler';
import type { Dialect } from '../../transpiler/convert';
import { marshalV33, translateToV33, Ign3TranslationError } from '../../transpiler/ign3';
import { fullDocument, mutate, Rng } from './clc-model';
import { aliasBomb, bomInput, boundaryIntegers, deepPastLimit, duplicateKeys } from './mutation-classes';
import { transpileProblem, workProblem } from './outcome';
import { emitYaml } from './yaml-emitter';

const SEED = Number(process.env.CT_PROPERTY_SEED ?? 20261203);
const DIALECTS: readonly Dialect[] = ['coreos', 'flatcar'];

/** The observable outcome: the JSON and warnings, or ct's stderr of the refusal. */
function outcome(input: string | Uint8Array, dialect: Dialect, ignitionVersion?: '3.3.0'): string {
  let result: TranspileResult;
  try {
    result = transpile(input, { dialect, ignitionVersion });
  } catch (err) {
    if (err instanceof TranspileError) return `error:\n${err.stderr}`;
    throw err;
  }
  return `ok:\n${result.json}\n${result.stderr}`;
}

const CLASSES = [
  { name: 'byte order marks', arbitrary: bomInput, runs: 150 },
  { name: 'duplicate keys and sections', arbitrary: () => duplicateKeys, runs: 150 },
  { name: 'integers at Go boundaries', arbitrary: () => boundaryIntegers, runs: 200 },
  { name: 'merge-key and alias bombs', arbitrary: () => aliasBomb, runs: 60 },
  { name: 'nesting past 10,000 levels', arbitrary: () => deepPastLimit, runs: 6 },
] as const;

describe.each(DIALECTS)('%s: mutation classes never crash', (dialect) => {
  for (const { name, arbitrary, runs } of CLASSES) {
    test(name, () => {
      fc.assert(
        fc.property(arbitrary(dialect), (input) => {
          const problem = transpileProblem(input, dialect) ?? workProblem(input);
          if (problem) throw new Error(problem);
        }),
        { seed: SEED, numRuns: runs },
      );
    });
  }
});

const documents = (dialect: Dialect): fc.Arbitrary<string> =>
  fc.tuple(fc.noBias(fc.integer()), fc.constantFrom(0, 0, 0.02, 0.1)).map(([seed, rate]) => {
    const rng = new Rng(seed);
    return emitYaml(mutate(fullDocument(dialect, rng), rng, rate), rng);
  });

describe.each(DIALECTS)('%s: runs that must agree', (dialect) => {
  test('a leading byte order mark changes nothing', () => {
    fc.assert(
      fc.property(documents(dialect), (text) => {
        expect(outcome('\ufeff' + text, dialect)).toBe(outcome(text, dialect));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  test('CRLF line breaks change nothing', () => {
    fc.assert(
      fc.property(
        documents(dialect).filter((text) => !text.includes('\r')),
        (text) => {
          expect(outcome(text.replace(/\n/g, '\r\n'), dialect)).toBe(outcome(text, dialect));
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  test("the 3.3.0 output equals translateToV33 of the 2.x output", () => {
    fc.assert(
      fc.property(documents(dialect), (text) => {
        let v2: TranspileResult;
        try {
          v2 = transpile(text, { dialect });
        } catch (err) {
          if (err instanceof TranspileError) return;
          throw err;
        }
        let direct: string;
        try {
          direct = `ok:\n${marshalV33(translateToV33(v2.json).config, false)}`;
        } catch (err) {
          if (!(err instanceof Ign3TranslationError)) throw err;
          direct = `error:\n${err.flatcarMessage}`;
        }
        let viaCt: string;
        try {
          viaCt = `ok:\n${transpile(text, { dialect, ignitionVersion: '3.3.0' }).json}`;
        } catch (err) {
          if (!(err instanceof TranspileError)) throw err;
          const last = err.diagnostics[err.diagnostics.length - 1];
          viaCt = `error:\n${last.message}`;
        }
        expect(viaCt).toBe(direct);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

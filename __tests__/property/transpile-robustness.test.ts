/**
 * Robustness property (issue requirement): whatever the input, `transpile` returns parseable
 * Ignition JSON or throws `TranspileError` with diagnostics and ct's stderr; never another
 * exception, never a stack overflow, never a hang: the YAML layer's work stays within a bound
 * proportional to the input (counted in work, not wall-clock). `TranspilePanic` is ct's one
 * documented crash (docs/ct.md §9: remote contents reached through an alias or merge key) and is
 * allowed only there.
 */
import fc from 'fast-check';
import type { Dialect } from '../../transpiler/convert';
import { transpileProblem, workProblem } from './outcome';
import { robustnessInput, type RobustnessInput } from './robustness-inputs';

/** Fixed, so a run is reproducible; override with CT_PROPERTY_SEED to explore. */
const SEED = Number(process.env.CT_PROPERTY_SEED ?? 20261125);
const RUNS_PER_DIALECT = 2000;

/** The outcome must be JSON or a positioned refusal, reached after work bounded by the input's size. */
function checkTranspile(input: RobustnessInput, dialect: Dialect): void {
  const problem = transpileProblem(input, dialect) ?? workProblem(input);
  if (problem) throw new Error(problem);
}

describe('transpile robustness', () => {
  it.each(['coreos', 'flatcar'] as const)('%s: any input gives JSON or a TranspileError', (dialect) => {
    fc.assert(
      fc.property(robustnessInput(dialect), (input) => checkTranspile(input, dialect)),
      { seed: SEED, numRuns: RUNS_PER_DIALECT },
    );
  });
});

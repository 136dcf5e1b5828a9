/** The issue's performance targets, judged against one run's results. */
import type { ClusterSynthResult } from './cluster-bench';
import type { CommandBenchResult } from './command-bench';
import type { SynthSizeResult } from './synth-bench';
import type { TestsBenchResult } from './tests-bench';
import { formatRatio } from './stats';
import { BUTANE_VARIANT, type TranspileVariantResult } from './transpile-bench';

export const TRANSPILE_MICROSECONDS_PER_CONFIG = 90;
/** Go `butane` v0.23.0 in-process on the shared corpus's valid configs (`--pretty`), measured as ct's 90 µs was. */
export const BUTANE_MICROSECONDS_PER_CONFIG = 860;
/** The Butane target: half of Go's figure. */
export const BUTANE_TARGET_MICROSECONDS_PER_CONFIG = BUTANE_MICROSECONDS_PER_CONFIG / 2;
/** `ct` and `butane` cold, each against `node -e 0` (median wall). */
export const COMMAND_COLD_START_RATIO = 1.25;
export const SYNTH_TARGET_INSTANCES = 1000;
export const SYNTH_OVERHEAD_RATIO = 1.25;
export const SYNTH_WALL_MS = 2000;
export const SYNTH_PEAK_RSS_MIB = 300;
export const NPM_TEST_MS = 120_000;

export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  /** Undefined when this run did not measure it (e.g. --smoke). */
  readonly pass?: boolean;
}

export interface BenchResults {
  readonly transpile: readonly TranspileVariantResult[];
  readonly command: CommandBenchResult;
  readonly synth: readonly SynthSizeResult[];
  /** Cluster stacks against plain cdktf building the same JSON (no target: the issue asks for the figures). */
  readonly clusters?: readonly ClusterSynthResult[];
  readonly tests?: TestsBenchResult;
}

const NOT_MEASURED = 'not measured';

function transpileVerdicts(results: readonly TranspileVariantResult[]): TargetVerdict[] {
  return results.map((result) => {
    const median = result.microsecondsPerConfig?.median;
    const butane = result.variant === BUTANE_VARIANT;
    const limit = butane ? BUTANE_TARGET_MICROSECONDS_PER_CONFIG : TRANSPILE_MICROSECONDS_PER_CONFIG;
    return {
      target: `transpile ${result.variant}: median ≤ ${limit} µs/config${butane ? ` (half of Go's ${BUTANE_MICROSECONDS_PER_CONFIG})` : ''}`,
      measured: median === undefined ? (result.note ?? NOT_MEASURED) : `${median.toFixed(1)} µs`,
      pass: median === undefined ? undefined : median <= limit,
    };
  });
}

function synthVerdicts(results: readonly SynthSizeResult[]): TargetVerdict[] {
  const atTarget = results.find((result) => result.instances === SYNTH_TARGET_INSTANCES);
  const wall = atTarget?.ours.wallMs.median;
  const rss = atTarget?.ours.peakRssMiB?.median;
  const n = SYNTH_TARGET_INSTANCES.toLocaleString('en-US');
  return [
    {
      target: `synth ${n}: re-synth/baseline ≤ ${SYNTH_OVERHEAD_RATIO}× (wall, CPU)`,
      measured: atTarget ? [atTarget.wallRatio, atTarget.cpuRatio].map(formatRatio).join(', ') : NOT_MEASURED,
      pass: atTarget && atTarget.wallRatio <= SYNTH_OVERHEAD_RATIO && (atTarget.cpuRatio === undefined || atTarget.cpuRatio <= SYNTH_OVERHEAD_RATIO),
    },
    { target: `synth ${n}: wall < ${SYNTH_WALL_MS / 1000} s`, measured: wall === undefined ? NOT_MEASURED : `${(wall / 1000).toFixed(2)} s`, pass: wall === undefined ? undefined : wall < SYNTH_WALL_MS },
    { target: `synth ${n}: peak RSS < ${SYNTH_PEAK_RSS_MIB} MiB`, measured: rss === undefined ? NOT_MEASURED : `${rss.toFixed(0)} MiB`, pass: rss === undefined ? undefined : rss < SYNTH_PEAK_RSS_MIB },
  ];
}

function commandVerdicts(command: CommandBenchResult): TargetVerdict[] {
  return (['ct', 'butane'] as const).map((name) => ({
    target: `${name} cold start ≤ ${COMMAND_COLD_START_RATIO}× node -e 0`,
    measured: formatRatio(command[name].ratio),
    pass: command[name].ratio <= COMMAND_COLD_START_RATIO,
  }));
}

export function judgeTargets(results: BenchResults): TargetVerdict[] {
  const tests = results.tests;
  return [
    ...transpileVerdicts(results.transpile),
    ...commandVerdicts(results.command),
    ...synthVerdicts(results.synth),
    {
      target: `npm test < ${NPM_TEST_MS / 60_000} min`,
      measured: tests ? `${(tests.wallMs / 1000).toFixed(1)} s${tests.exitCode === 0 ? '' : ` (exit ${tests.exitCode})`}` : NOT_MEASURED,
      pass: tests ? tests.wallMs < NPM_TEST_MS : undefined,
    },
  ];
}

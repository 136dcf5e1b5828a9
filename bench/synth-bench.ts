/**
 * Section 3: synth at scale. For each fleet size, our app (CoreOSInstances, transpiling) and the
 * baseline app (raw ComputeInstances with the same precomputed user-data) run in fresh child
 * processes, interleaved, measuring wall time, CPU time and peak RSS. Our app runs twice per
 * round: as a re-synth (the transpile cache holds the configs from an earlier synth: the judged
 * case) and as a first synth (the cache off: every config transpiles cold).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { TRANSPILE_CACHE_DIR_ENV, TRANSPILE_CACHE_ENV } from '../constructs/transpile-cache';
import { addCoreOSFleet } from './coreos-app';
import { measureProcess, type ProcessMeasurement } from './measure-process';
import { medianRatio, summarize, summarizeIfAll, type Summary } from './stats';

export interface SynthSideResult {
  readonly wallMs: Summary;
  readonly peakRssMiB?: Summary;
  readonly cpuMs?: Summary;
}

export interface SynthSizeResult {
  readonly instances: number;
  /** A re-synth: every config's transpile comes from the cache that an earlier synth filled. */
  readonly ours: SynthSideResult;
  /** A first synth: the transpile cache off. */
  readonly oursCold?: SynthSideResult;
  readonly baseline: SynthSideResult;
  /** Median wall time, ours over baseline. */
  readonly wallRatio: number;
  /** Median peak RSS, ours over baseline. */
  readonly rssRatio?: number;
  /** Median CPU time, ours over baseline: the overhead with less noise from other load. */
  readonly cpuRatio?: number;
  /** The same two for the first synth. */
  readonly coldWallRatio?: number;
  readonly coldCpuRatio?: number;
}

export interface SynthBenchPlan {
  readonly sizes: readonly number[];
  readonly warmupRuns: number;
  readonly runs: number;
  /** Once one size has taken this long, its runs stop (keeping at least one, even a warm-up). */
  readonly budgetMsPerSize: number;
}

/** The user-data strings our construct renders, computed once here for the baseline to carry. */
function writeBaselineUserData(instances: number, file: string): void {
  const fleet = addCoreOSFleet(new TerraformStack(new App({ outdir: join(file, '..', 'unused') }), 'precompute'), instances);
  writeFileSync(file, JSON.stringify(fleet.map((instance) => instance.userData)));
}

function sideResult(runs: readonly ProcessMeasurement[]): SynthSideResult {
  return {
    wallMs: summarize(runs.map((run) => run.wallMs)),
    peakRssMiB: summarizeIfAll(runs.map((run) => run.peakRssMiB)),
    cpuMs: summarizeIfAll(runs.map((run) => run.cpuMs)),
  };
}


function benchSize(instances: number, plan: SynthBenchPlan, scratch: string): SynthSizeResult {
  const userDataFile = join(scratch, `user-data-${instances}.json`);
  writeBaselineUserData(instances, userDataFile);
  const app = (script: string, env: Record<string, string> = {}, ...extra: string[]) => ({
    command: process.execPath,
    args: [join(__dirname, script), String(instances), join(scratch, `out-${script}`), ...extra],
    env,
  });
  const warm = app('coreos-app.js', { [TRANSPILE_CACHE_ENV]: 'on', [TRANSPILE_CACHE_DIR_ENV]: join(scratch, `cache-${instances}`) });
  const cold = app('coreos-app.js', { [TRANSPILE_CACHE_ENV]: 'off' });
  const raw = app('raw-app.js', {}, userDataFile);
  // the synth that fills the cache, as a user's earlier synth would
  measureProcess(warm, false);
  const ours: ProcessMeasurement[] = [];
  const oursCold: ProcessMeasurement[] = [];
  const baseline: ProcessMeasurement[] = [];
  let spentMs = 0;
  for (let run = 0; run < plan.warmupRuns + plan.runs; run++) {
    const round = [measureProcess(warm, true), measureProcess(cold, true), measureProcess(raw, true)];
    spentMs += round.reduce((sum, measured) => sum + measured.wallMs, 0);
    const overBudget = spentMs > plan.budgetMsPerSize;
    if (run < plan.warmupRuns && !overBudget) continue;
    ours.push(round[0]);
    oursCold.push(round[1]);
    baseline.push(round[2]);
    if (overBudget) break;
  }
  const oursResult = sideResult(ours);
  const coldResult = sideResult(oursCold);
  const baselineResult = sideResult(baseline);
  return {
    instances,
    ours: oursResult,
    oursCold: coldResult,
    baseline: baselineResult,
    wallRatio: oursResult.wallMs.median / baselineResult.wallMs.median,
    rssRatio: medianRatio(oursResult.peakRssMiB, baselineResult.peakRssMiB),
    cpuRatio: medianRatio(oursResult.cpuMs, baselineResult.cpuMs),
    coldWallRatio: coldResult.wallMs.median / baselineResult.wallMs.median,
    coldCpuRatio: medianRatio(coldResult.cpuMs, baselineResult.cpuMs),
  };
}

export function runSynthBench(plan: SynthBenchPlan): SynthSizeResult[] {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    return plan.sizes.map((instances) => benchSize(instances, plan, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

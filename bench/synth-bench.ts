/**
 * Section 3: synth at scale. For each fleet size, our app (CoreOSInstances, transpiling) and the
 * baseline app (raw ComputeInstances with the same precomputed user-data) run in fresh child
 * processes, interleaved, measuring wall time and peak RSS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
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
  readonly ours: SynthSideResult;
  readonly baseline: SynthSideResult;
  /** Median wall time, ours over baseline. */
  readonly wallRatio: number;
  /** Median peak RSS, ours over baseline. */
  readonly rssRatio?: number;
  /** Median CPU time, ours over baseline: the overhead with less noise from other load. */
  readonly cpuRatio?: number;
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
  const app = (script: string, ...extra: string[]) => ({
    command: process.execPath,
    args: [join(__dirname, script), String(instances), join(scratch, `out-${script}`), ...extra],
  });
  const ours: ProcessMeasurement[] = [];
  const baseline: ProcessMeasurement[] = [];
  let spentMs = 0;
  for (let run = 0; run < plan.warmupRuns + plan.runs; run++) {
    const ourRun = measureProcess(app('coreos-app.js'), true);
    const baselineRun = measureProcess(app('raw-app.js', userDataFile), true);
    spentMs += ourRun.wallMs + baselineRun.wallMs;
    const overBudget = spentMs > plan.budgetMsPerSize;
    if (run < plan.warmupRuns && !overBudget) continue;
    ours.push(ourRun);
    baseline.push(baselineRun);
    if (overBudget) break;
  }
  const oursResult = sideResult(ours);
  const baselineResult = sideResult(baseline);
  return {
    instances,
    ours: oursResult,
    baseline: baselineResult,
    wallRatio: oursResult.wallMs.median / baselineResult.wallMs.median,
    rssRatio: medianRatio(oursResult.peakRssMiB, baselineResult.peakRssMiB),
    cpuRatio: medianRatio(oursResult.cpuMs, baselineResult.cpuMs),
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

/**
 * Cluster synth: the default app's `kubernetes` stack, and a cluster of 5 controllers and 10
 * worker pools, each against its natural baseline, plain cdktf building the same Terraform JSON
 * (cluster-apps.ts `replay`). Fresh child processes, interleaved, as the instance synth bench:
 * ours as a re-synth (the transpile cache filled by an earlier synth) and as a first synth (cache off).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRANSPILE_CACHE_DIR_ENV, TRANSPILE_CACHE_ENV } from '../constructs/transpile-cache';
import { CLUSTER_KINDS, type ClusterKind } from './cluster-apps';
import { measureProcess, type ProcessMeasurement } from './measure-process';
import { medianRatio, summarize, summarizeIfAll, type Summary } from './stats';

export interface ClusterSynthResult {
  readonly kind: ClusterKind;
  /** Resources in the synthesized stack. */
  readonly resources: number;
  /** A re-synth: the transpile cache holds every config. */
  readonly ours: ClusterSide;
  /** A first synth: the transpile cache off. */
  readonly oursCold?: ClusterSide;
  readonly baseline: ClusterSide;
  readonly wallRatio: number;
  readonly cpuRatio?: number;
  readonly coldWallRatio?: number;
  readonly coldCpuRatio?: number;
}

interface ClusterSide {
  readonly wallMs: Summary;
  readonly cpuMs?: Summary;
}

export interface ClusterBenchPlan {
  readonly warmupRuns: number;
  readonly runs: number;
}

const app = (args: string[], env: Record<string, string> = {}) => ({ command: process.execPath, args: [join(__dirname, 'cluster-apps.js'), ...args], env });

function benchKind(kind: ClusterKind, plan: ClusterBenchPlan, scratch: string): ClusterSynthResult {
  // One synth of ours first: its output is what the baseline builds.
  const outdir = join(scratch, `out-${kind}`);
  const warmEnv = { [TRANSPILE_CACHE_ENV]: 'on', [TRANSPILE_CACHE_DIR_ENV]: join(scratch, `cache-${kind}`) };
  measureProcess(app([kind, outdir], warmEnv), false);
  const stackJson = join(scratch, `${kind}.tf.json`);
  const text = readFileSync(join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8');
  writeFileSync(stackJson, text);
  const resources = Object.values((JSON.parse(text) as { resource?: Record<string, object> }).resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
  const ours: ProcessMeasurement[] = [];
  const oursCold: ProcessMeasurement[] = [];
  const baseline: ProcessMeasurement[] = [];
  for (let run = 0; run < plan.warmupRuns + plan.runs; run++) {
    const round = [
      measureProcess(app([kind, outdir], warmEnv), true),
      measureProcess(app([kind, join(scratch, `cold-${kind}`)], { [TRANSPILE_CACHE_ENV]: 'off' }), true),
      measureProcess(app(['replay', join(scratch, `replay-${kind}`), stackJson]), true),
    ];
    if (run < plan.warmupRuns) continue;
    ours.push(round[0]);
    oursCold.push(round[1]);
    baseline.push(round[2]);
  }
  // The baseline is only a baseline if it writes the same stack (cdktf's own metadata aside).
  const withoutMetadata = (file: string) => JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), (key, value: unknown) => (key === '//' ? undefined : value));
  if (withoutMetadata(join(scratch, `replay-${kind}`, 'stacks', 'stack', 'cdk.tf.json')) !== withoutMetadata(stackJson)) {
    throw new Error(`the plain cdktf replay of ${kind} did not write the same Terraform JSON`);
  }
  const side = (runs: readonly ProcessMeasurement[]) => ({ wallMs: summarize(runs.map((r) => r.wallMs)), cpuMs: summarizeIfAll(runs.map((r) => r.cpuMs)) });
  const [oursSide, coldSide, baselineSide] = [side(ours), side(oursCold), side(baseline)];
  if (withoutMetadata(join(scratch, `cold-${kind}`, 'stacks', 'stack', 'cdk.tf.json')) !== withoutMetadata(stackJson)) {
    throw new Error(`${kind} without the transpile cache did not write the same Terraform JSON`);
  }
  return {
    kind,
    resources,
    ours: oursSide,
    oursCold: coldSide,
    baseline: baselineSide,
    wallRatio: oursSide.wallMs.median / baselineSide.wallMs.median,
    cpuRatio: medianRatio(oursSide.cpuMs, baselineSide.cpuMs),
    coldWallRatio: coldSide.wallMs.median / baselineSide.wallMs.median,
    coldCpuRatio: medianRatio(coldSide.cpuMs, baselineSide.cpuMs),
  };
}

export function runClusterBench(plan: ClusterBenchPlan): ClusterSynthResult[] {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  try {
    return CLUSTER_KINDS.map((kind) => benchKind(kind, plan, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

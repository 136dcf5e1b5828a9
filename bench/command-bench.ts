/**
 * Section 2: the `ct` command, cold, as a whole process (`node dist/transpiler/cli.js --pretty`
 * on a typical config from stdin), next to `node -e 0` measured in the same run, interleaved.
 */
import { join } from 'node:path';
import { fleetConfig } from './fleet';
import { measureProcess, type ProcessMeasurement, type ProcessSpec } from './measure-process';
import { medianRatio, summarize, summarizeIfAll, type Summary } from './stats';

export interface CommandBenchResult {
  readonly ctMs: Summary;
  readonly nodeBaselineMs: Summary;
  /** Median ct over median `node -e 0`. */
  readonly ratio: number;
  /** The same for user + system CPU time (less sensitive to load); undefined without /usr/bin/time. */
  readonly cpuRatio?: number;
}

export interface CommandBenchPlan {
  readonly warmupRuns: number;
  readonly runs: number;
}

export const CT_CLI = join(__dirname, '..', 'transpiler', 'cli.js');

export function runCommandBench(plan: CommandBenchPlan): CommandBenchResult {
  const ct: ProcessSpec = { command: process.execPath, args: [CT_CLI, '--pretty'], stdin: fleetConfig(0) };
  const bareNode: ProcessSpec = { command: process.execPath, args: ['-e', '0'] };
  const ctRuns: ProcessMeasurement[] = [];
  const nodeRuns: ProcessMeasurement[] = [];
  for (let run = 0; run < plan.warmupRuns + plan.runs; run++) {
    const ctRun = measureProcess(ct, true);
    const nodeRun = measureProcess(bareNode, true);
    if (run < plan.warmupRuns) continue;
    ctRuns.push(ctRun);
    nodeRuns.push(nodeRun);
  }
  const ctMs = summarize(ctRuns.map((run) => run.wallMs));
  const nodeBaselineMs = summarize(nodeRuns.map((run) => run.wallMs));
  const cpuRatio = medianRatio(summarizeIfAll(ctRuns.map((run) => run.cpuMs)), summarizeIfAll(nodeRuns.map((run) => run.cpuMs)));
  return { ctMs, nodeBaselineMs, ratio: ctMs.median / nodeBaselineMs.median, cpuRatio };
}

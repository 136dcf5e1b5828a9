/**
 * Section 2: the commands, cold, as whole processes through the bins the package ships
 * (`dist/bin/ct.js --pretty` and `dist/bin/butane.js --pretty`, a typical config on stdin), next to
 * `node -e 0` measured in the same run, interleaved.
 */
import { join } from 'node:path';
import { fleetConfig } from './fleet';
import { measureProcess, type ProcessMeasurement, type ProcessSpec } from './measure-process';
import { medianRatio, summarize, summarizeIfAll, type Summary } from './stats';

export interface CommandColdStart {
  readonly ms: Summary;
  /** Median over the median `node -e 0`. */
  readonly ratio: number;
  /** The same for user + system CPU time (less sensitive to load); undefined without /usr/bin/time. */
  readonly cpuRatio?: number;
}

export interface CommandBenchResult {
  readonly ct: CommandColdStart;
  readonly butane: CommandColdStart;
  readonly nodeBaselineMs: Summary;
}

export interface CommandBenchPlan {
  readonly warmupRuns: number;
  readonly runs: number;
}

const BIN = join(__dirname, '..', 'bin');

/** A typical small Flatcar Butane config: a user, a unit and a file, as `fleetConfig`'s CLC. */
const BUTANE_CONFIG = `variant: flatcar
version: 1.1.0
passwd:
  users:
    - name: core
      groups: [sudo, docker]
      ssh_authorized_keys:
        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench000000 core@bench
systemd:
  units:
    - name: hello.service
      enabled: true
      contents: |
        [Unit]
        Description=Hello
        After=network-online.target

        [Service]
        Type=oneshot
        ExecStart=/usr/bin/echo hello

        [Install]
        WantedBy=multi-user.target
storage:
  files:
    - path: /etc/hostname
      mode: 0644
      contents:
        inline: node-0
`;

function coldStart(runs: readonly ProcessMeasurement[], baseline: readonly ProcessMeasurement[]): CommandColdStart {
  const ms = summarize(runs.map((run) => run.wallMs));
  const cpuRatio = medianRatio(summarizeIfAll(runs.map((run) => run.cpuMs)), summarizeIfAll(baseline.map((run) => run.cpuMs)));
  return { ms, ratio: ms.median / summarize(baseline.map((run) => run.wallMs)).median, cpuRatio };
}

export function runCommandBench(plan: CommandBenchPlan): CommandBenchResult {
  const specs: Record<'node' | 'ct' | 'butane', ProcessSpec> = {
    node: { command: process.execPath, args: ['-e', '0'] },
    ct: { command: process.execPath, args: [join(BIN, 'ct.js'), '--pretty'], stdin: fleetConfig(0) },
    butane: { command: process.execPath, args: [join(BIN, 'butane.js'), '--pretty'], stdin: BUTANE_CONFIG },
  };
  const runs: Record<keyof typeof specs, ProcessMeasurement[]> = { node: [], ct: [], butane: [] };
  for (let round = 0; round < plan.warmupRuns + plan.runs; round++) {
    for (const name of ['node', 'ct', 'butane'] as const) {
      const run = measureProcess(specs[name], true);
      if (round >= plan.warmupRuns) runs[name].push(run);
    }
  }
  return { ct: coldStart(runs.ct, runs.node), butane: coldStart(runs.butane, runs.node), nodeBaselineMs: summarize(runs.node.map((run) => run.wallMs)) };
}

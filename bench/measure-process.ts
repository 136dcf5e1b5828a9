/**
 * Runs one child process and measures it: wall time from the parent's clock; peak RSS and CPU time
 * (user + system, less sensitive than wall time to other load on the machine) from GNU
 * `/usr/bin/time` when present, else peak RSS from the child's own report (see synth-args.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { millisecondsSince } from './stats';

const GNU_TIME = '/usr/bin/time';

export interface ProcessMeasurement {
  readonly wallMs: number;
  readonly exitCode: number | null;
  /** Undefined when neither /usr/bin/time nor the child reported it. */
  readonly peakRssMiB?: number;
  /** User + system CPU time; undefined without /usr/bin/time. */
  readonly cpuMs?: number;
}

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly stdin?: string | Buffer;
  readonly cwd?: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Keep the measurement when the process exits non-zero (e.g. failing tests). @default false */
  readonly allowFailure?: boolean;
}

export const peakRssSource = existsSync(GNU_TIME) ? '/usr/bin/time %M' : 'child process.resourceUsage().maxRSS';

/** Runs `spec` once; throws with its stderr when it exits non-zero, unless allowFailure. */
export function measureProcess(spec: ProcessSpec, withResourceUsage: boolean): ProcessMeasurement {
  const useGnuTime = withResourceUsage && existsSync(GNU_TIME);
  const scratch = useGnuTime ? mkdtempSync(join(tmpdir(), 'bench-time-')) : undefined;
  const timeFile = scratch && join(scratch, 'time.txt');
  const [command, args] = timeFile ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, spec.command, ...spec.args]] : [spec.command, spec.args];
  const start = process.hrtime.bigint();
  const env = spec.env ? { ...process.env, ...spec.env } : undefined;
  const child = spawnSync(command, args, { input: spec.stdin, cwd: spec.cwd, env, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = millisecondsSince(start);
  try {
    if (child.status !== 0 && !spec.allowFailure) {
      throw new Error(`${spec.command} ${spec.args.join(' ')} exited ${child.status ?? child.signal}: ${String(child.stderr).slice(0, 2000)}`);
    }
    const exitCode = child.status;
    if (!withResourceUsage) return { wallMs, exitCode };
    if (!timeFile) {
      const peakRssKiB = childReportedRssKiB(String(child.stdout));
      return { wallMs, exitCode, peakRssMiB: peakRssKiB === undefined ? undefined : peakRssKiB / 1024 };
    }
    const [userSeconds, systemSeconds, peakRssKiB] = lastLineNumbers(readFileSync(timeFile, 'utf8'));
    return { wallMs, exitCode, peakRssMiB: peakRssKiB / 1024, cpuMs: (userSeconds + systemSeconds) * 1000 };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** The numbers on the last line of GNU time's output (earlier lines may report a signal). */
function lastLineNumbers(text: string): number[] {
  const numbers = (text.trim().split('\n').pop() ?? '').split(/\s+/).map(Number);
  if (numbers.length !== 3 || !numbers.every(Number.isFinite)) throw new Error(`unexpected /usr/bin/time output: ${text}`);
  return numbers;
}

function childReportedRssKiB(stdout: string): number | undefined {
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(lastLine) as { peakRssKiB?: number }).peakRssKiB;
  } catch {
    return undefined;
  }
}

/**
 * Test helper: runs the real `systemd-analyze verify` over a stub root and sorts what it says.
 *
 * `systemd-analyze verify --root=DIR --man=no --generators=no UNIT...` loads the units from DIR's
 * unit directories only (nothing of the host's), creates a start job for each UNIT the way the
 * manager would, and checks each unit's ExecStart= program under DIR. Its exit status is not
 * enough: an ordering cycle that systemd can break by dropping a Wants= job is only logged
 * ("Found ordering cycle", "Job ... deleted to break ordering cycle") and the exit status stays 0.
 * So every line it prints is a finding, sorted into a kind.
 */
import { spawnSync } from 'node:child_process';
import type { StubRoot } from './stub-root';

export const SYSTEMD_ANALYZE = 'systemd-analyze';

/** Why systemd-analyze cannot run here, or undefined when it can. */
export function systemdAnalyzeUnavailable(): string | undefined {
  const run = spawnSync(SYSTEMD_ANALYZE, ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return `${SYSTEMD_ANALYZE} not found (apt-get install systemd; .ci/run installs it)`;
  return undefined;
}

/** The first line of `systemd-analyze --version`, e.g. `systemd 252 (252.39-1~deb12u2)`. */
export function systemdVersion(): string {
  return spawnSync(SYSTEMD_ANALYZE, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
}

export type FindingKind = 'cycle' | 'missing-dependency' | 'bad-directive' | 'missing-program' | 'other';

export interface VerifyResult {
  readonly command: string;
  readonly status: number | null;
  readonly output: string;
  readonly findings: readonly { readonly kind: FindingKind; readonly line: string }[];
}

/** Sorts one line of systemd-analyze's output. */
export function classify(line: string): FindingKind {
  if (/ordering cycle|Found dependency on|break (the )?cycle|order is cyclic/i.test(line)) return 'cycle';
  if (/is not executable|Command .* not found|Neither a valid executable/i.test(line)) return 'missing-program';
  if (/not found|is masked|not-found|Cannot add dependency job|Failed to create .*\/start|Failed to load/i.test(line)) return 'missing-dependency';
  if (/Unknown key|Unknown section|Unknown lvalue|Failed to parse|Invalid|Missing '='|outside of section|bad-setting|is not absolute|ignoring|Unit type .* not supported|has no .* setting/i.test(line)) return 'bad-directive';
  return 'other';
}

/** Runs verify over `units` of `root`. */
export function verify(root: StubRoot, units: readonly string[]): VerifyResult {
  const args = ['verify', `--root=${root.dir}`, '--man=no', '--generators=no', '--recursive-errors=yes', ...units];
  const run = spawnSync(SYSTEMD_ANALYZE, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', SYSTEMD_COLORS: '0', SYSTEMD_LOG_COLOR: '0', SYSTEMD_LOG_LOCATION: '0', SYSTEMD_PAGER: 'cat' },
  });
  if (run.error) throw run.error;
  const output = `${run.stdout}${run.stderr}`;
  const findings = output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .map((line) => ({ kind: classify(line), line }));
  return { command: `${SYSTEMD_ANALYZE} ${args.join(' ')}`, status: run.status, output, findings };
}

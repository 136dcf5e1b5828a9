/** Section 4: the wall time of `npm test` (one run; it is slow). */
import { measureProcess } from './measure-process';

export interface TestsBenchResult {
  readonly wallMs: number;
  readonly exitCode: number | null;
}

export function runTestsBench(projectRoot: string): TestsBenchResult {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return measureProcess({ command: npm, args: ['test', '--silent'], cwd: projectRoot, allowFailure: true }, false);
}

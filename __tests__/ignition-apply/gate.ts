/**
 * Runs a suite only where the real Ignition can: the binary is installed (Debian's `ignition`
 * package; .ci/run installs it), we are root (Ignition chowns files and runs useradd --root) and
 * may make mount namespaces (the harness gives each run its own /run).
 * Elsewhere the suite is skipped with a loud warning; in CI it fails instead, so that a missing
 * install step cannot turn the suite into silent skips.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { IGNITION_BINARY } from './harness';

/** Why the real Ignition cannot run here, or undefined when it can. */
export function ignitionUnavailable(): string | undefined {
  try {
    accessSync(IGNITION_BINARY, constants.X_OK);
  } catch {
    return `${IGNITION_BINARY} not found (apt-get install ignition)`;
  }
  if (process.getuid?.() !== 0) return 'not running as root (Ignition chowns files and runs useradd --root)';
  if (spawnSync('unshare', ['--mount', 'true']).status !== 0) return 'cannot make a mount namespace (unshare --mount true failed)';
  return undefined;
}

/** `describe` when Ignition can run; otherwise a skip with a warning, or a failing test in CI. */
export function describeWithIgnition(name: string, body: () => void): void {
  const reason = ignitionUnavailable();
  if (reason === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it('has the real Ignition to run against', () => {
        throw new Error(`CI must run the real-Ignition suite: ${reason}`);
      });
    });
  } else {
    console.warn(`SKIPPED real-Ignition suite "${name}": ${reason}`);
    describe.skip(name, body);
  }
}

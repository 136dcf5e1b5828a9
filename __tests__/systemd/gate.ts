/**
 * Runs a suite only where systemd-analyze is installed (.ci/run installs Debian's systemd).
 * Elsewhere the suite is skipped with a loud warning; in CI (CI=true) it fails instead, so that a
 * missing install step cannot turn the suite into silent skips (the house pattern of
 * __tests__/ignition-apply/gate.ts).
 */
export function describeIfAvailable(name: string, unavailable: string | undefined, body: () => void): void {
  if (unavailable === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it('has systemd-analyze to run against', () => {
        throw new Error(`CI must run "${name}": ${unavailable}`);
      });
    });
  } else {
    console.warn(`\n!!! SKIPPED "${name}": ${unavailable}\n`);
    describe.skip(name, body);
  }
}

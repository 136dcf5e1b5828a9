/**
 * Runs a suite only where its real program is installed. Elsewhere the suite is skipped with a loud
 * warning; in CI (CI=true) it fails instead, so that a missing install step in .ci/run cannot turn
 * the suite into silent skips.
 */
export function describeIfAvailable(name: string, unavailable: string | undefined, body: () => void): void {
  if (unavailable === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it('has what it runs against', () => {
        throw new Error(`CI must run "${name}": ${unavailable}`);
      });
    });
  } else {
    console.warn(`\n!!! SKIPPED "${name}": ${unavailable}\n`);
    describe.skip(name, body);
  }
}

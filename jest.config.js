/** Type-checking is `tsc --noEmit` in `npm test`; jest only transpiles (docs/cdktf.md §2.3). */

/**
 * Suites that drive whole programs for tens of seconds of CPU each (the cdktf CLI and tsc builds
 * of a copy of the project): `npm run test:e2e` runs them, and CI runs them after `npm test`.
 */
const E2E = ['<rootDir>/__tests__/app-launcher\\.test\\.ts$'];

module.exports = {
  // Jest's node environment, but cdktf's per-token stack traces skip the source-map formatter.
  testEnvironment: '<rootDir>/__tests__/node-environment.js',
  // Two workers per core: several long suites mostly wait (on etcd, on retry back-off in the fetch
  // and bootstrap scripts), and the other workers fill those waits. On 2 cores the etcd, fetch,
  // kubernetes, cluster and construct suites took 50 s with 4 workers, 63 to 66 s with 3.
  maxWorkers: 4,
  // The longest suites first, also from CI's clean cache, with the waiting ones spread out.
  testSequencer: '<rootDir>/__tests__/sequencer.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.JEST_E2E === '1' ? [] : E2E)],
  // esbuild strips the types (already a devDependency, for the commands' bundles): a cold run
  // transpiles the sources in a fraction of ts-jest's time, and failures name the right .ts lines.
  transform: {
    '^.+\\.ts$': '<rootDir>/__tests__/esbuild-transform.js',
  },
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.js'],
};

/** Type-checking is `tsc --noEmit` in `npm test`; jest only transpiles (docs/cdktf.md §2.3). */

/**
 * Suites that drive whole programs for tens of seconds of CPU each (the cdktf CLI and tsc builds
 * of a copy of the project): `npm run test:e2e` runs them, and CI runs them after `npm test`.
 */
const E2E = ['<rootDir>/__tests__/app-launcher\\.test\\.ts$'];

module.exports = {
  testEnvironment: 'node',
  // One worker per core, and one more: several suites mostly wait (on etcd, on retry back-off in
  // the fetch and bootstrap scripts), and the extra worker fills those waits with other suites.
  maxWorkers: 3,
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.JEST_E2E === '1' ? [] : E2E)],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.js'],
};

/** Type-checking is `tsc --noEmit` in `npm test`; jest only transpiles (docs/cdktf.md §2.3). */
module.exports = {
  testEnvironment: 'node',
  // jest's default is one worker fewer than the cores: on a 2-core machine, one. The suites are
  // CPU-bound and independent, so every core runs one.
  maxWorkers: '100%',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.js'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
};

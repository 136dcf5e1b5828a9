/** Type-checking is `tsc --noEmit` in `npm test`; jest only transpiles (docs/cdktf.md §2.3). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.js'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
};

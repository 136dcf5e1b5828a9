#!/usr/bin/env node
/**
 * `npm test`'s first step: `tsc --noEmit` and `eslint .` at the same time (each is single-threaded,
 * and together they took a fifth of `npm test` one after the other). Prints both outputs and fails
 * if either fails.
 *
 * Both keep what they learnt under node_modules/.cache, so that a second run rechecks only what
 * changed (about 4 s instead of 15 s on 2 cores). A fresh install (CI) starts without it and costs the
 * same as without the caches. tsc's incremental check reports exactly what a full one does;
 * ESLint's cache is keyed by each file's content and the configuration.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
const cache = path.join(__dirname, '..', 'node_modules', '.cache', 'typecheck-and-lint');
const steps = [
  ['tsc --noEmit', [bin('typescript', 'bin/tsc'), '--noEmit', '--incremental', '--tsBuildInfoFile', path.join(cache, 'tsconfig.tsbuildinfo')]],
  ['eslint .', [bin('eslint', 'bin/eslint.js'), '--cache', '--cache-strategy', 'content', '--cache-location', `${path.join(cache, 'eslint')}${path.sep}`, '.']],
];

Promise.all(
  steps.map(
    ([name, args]) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('close', (code) => resolve({ name, code, output }));
      }),
  ),
).then((results) => {
  for (const { name, code, output } of results) {
    if (output) process.stdout.write(output);
    if (code !== 0) process.stderr.write(`${name} failed (exit ${code})\n`);
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
});

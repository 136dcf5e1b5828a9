#!/usr/bin/env node
/**
 * `npm test`'s first step: `tsc --noEmit` and `eslint .` at the same time (each is single-threaded,
 * and together they took a fifth of `npm test` one after the other). Prints both outputs and fails
 * if either fails.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
const steps = [
  ['tsc --noEmit', [bin('typescript', 'bin/tsc'), '--noEmit']],
  ['eslint .', [bin('eslint', 'bin/eslint.js'), '.']],
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

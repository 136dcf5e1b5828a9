#!/usr/bin/env node
/**
 * The cdktf app command (cdktf.json): rebuilds dist/ when a source is newer than the last build,
 * then runs the app, so `cdktf synth`, `diff` and `deploy` never run a stale build.
 *
 * Plain JavaScript so that it runs before anything is compiled. The rebuild is tsc's incremental
 * build of tsconfig.build.json (only changed files are re-checked and re-emitted); the check
 * itself is one stat per source file. The build info lives in dist/, so deleting dist/ also
 * forgets it and the next run builds everything.
 *
 * Usage: node scripts/app-launcher.js [project root, default: this file's parent directory]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const outDir = path.join(root, 'dist');
const buildInfo = path.join(outDir, '.tsbuildinfo');
// Written after each successful build: sources newer than this are not in dist/ yet.
const stamp = path.join(outDir, '.app-build-stamp');
const appEntry = path.join(outDir, 'main.js');
// Mirrors tsconfig.build.json's `include`: the root's *.ts plus these folders, tests excluded.
const SOURCE_DIRS = ['constructs', 'transpiler', 'scripts', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time (ms) of the sources tsc compiles, 0 when there are none. */
function newestSourceTime() {
  let newest = 0;
  const consider = (file) => {
    newest = Math.max(newest, fs.statSync(file).mtimeMs);
  };
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) consider(full);
    }
  };
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (entry.isFile() && (entry.name.endsWith('.ts') || CONFIG_FILES.includes(entry.name))) consider(path.join(root, entry.name));
    else if (entry.isDirectory() && SOURCE_DIRS.includes(entry.name)) walk(path.join(root, entry.name));
  }
  return newest;
}

function mtimeOrZero(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function isStale() {
  if (!fs.existsSync(appEntry)) {
    // Build info without the output it describes would make tsc skip the emit.
    fs.rmSync(buildInfo, { force: true });
    return true;
  }
  // Without a stamp, dist/ came from a plain build (`npm ci` runs one): as new as its entry.
  return newestSourceTime() > (mtimeOrZero(stamp) || mtimeOrZero(appEntry));
}

function build() {
  const started = new Date();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const args = [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--incremental', '--tsBuildInfoFile', buildInfo];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`app-launcher: the build failed (tsc exit ${result.status}); dist/ was not updated\n`);
    process.exit(result.status || 1);
  }
  // Dated when the build started: a file saved while tsc ran is rebuilt next time.
  fs.writeFileSync(stamp, `${started.toISOString()}\n`);
  fs.utimesSync(stamp, started, started);
  if (process.env.APP_LAUNCHER_VERBOSE) process.stderr.write(`app-launcher: rebuilt in ${Date.now() - started.getTime()} ms\n`);
}

if (isStale()) build();
const app = require(appEntry);
if (typeof app.main !== 'function') throw new Error(`${appEntry} exports no main()`);
app.main();

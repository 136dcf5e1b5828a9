/**
 * What the packed tarball may hold: package.json, README.md, LICENSE and the built JS and
 * declarations of index.ts, constructs/ and transpiler/. Nothing else (no tests, bench, scripts,
 * app or sources), nothing stale (every built file has its source) and nothing missing.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** A file as `npm pack --json` lists it. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

const PACKAGE_FILES = ['LICENSE', 'README.md', 'package.json'];
const LIBRARY_DIRS = ['constructs', 'transpiler'];
const BUILT = /^dist\/(.+)\.(js|d\.ts)$/;

/** The TypeScript sources under `dir` (relative to root), without `.ts`. */
function sources(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')).slice(0, -'.ts'.length));
}

export function checkTarballFiles(root: string, files: readonly PackedFile[]): void {
  const modules = new Set(['index', ...LIBRARY_DIRS.flatMap((dir) => sources(root, dir))]);
  const packed = new Set(files.map((file) => file.path));
  const unexpected = [...packed].filter((file) => {
    if (PACKAGE_FILES.includes(file)) return false;
    const built = BUILT.exec(file);
    return !built || !modules.has(built[1]);
  });
  const expected = [...PACKAGE_FILES, ...[...modules].flatMap((module) => [`dist/${module}.js`, `dist/${module}.d.ts`])];
  const missing = expected.filter((file) => !packed.has(file));
  const problems = [
    ...unexpected.map((file) => `not a file of the library (or built from a deleted source): ${file}`),
    ...missing.map((file) => `missing: ${file}`),
  ];
  if (problems.length > 0) {
    throw new Error(`the tarball is wrong (a stale dist/? rm -rf dist && npm run build):\n${problems.slice(0, 30).join('\n')}`);
  }
}

/**
 * Jest's transform for the TypeScript sources: esbuild's `transformSync`, type-stripping only, as
 * ts-jest with isolatedModules did (`tsc --noEmit` in `npm test` is the type check). On a cold
 * cache (CI) ts-jest loaded TypeScript in every worker and transpiled the shared sources again and
 * again: one construct suite took 9.4 s cold with it, 6.4 s with esbuild. ts-jest also gave no
 * usable source map (tsconfig.json has sourceMap: false), so failures named wrong lines.
 *
 * The emitted JavaScript differs from tsc's in ways no test may rely on: exports are getters
 * (not writable, so `jest.spyOn` on one of our modules would fail; none does), and a
 * parameter property comes after the class's own fields in an instance's key order.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const esbuild = require('esbuild');

const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  // A separate map that Jest keeps next to its cached code and applies to stack traces, so that a
  // failure points at the .ts line; the sources are read from disk, so no copy in the map.
  sourcemap: 'external',
  sourcesContent: false,
  // `import()` as `require`, as tsc emits it for CommonJS: Jest runs without --experimental-vm-modules.
  supported: { 'dynamic-import': false },
  // tsconfig.json's settings that change the emitted code: "use strict" (strict) and ES2022 class
  // fields with define semantics (target ES2022).
  tsconfigRaw: { compilerOptions: { strict: true, target: 'ES2022', useDefineForClassFields: true } },
};

// A change of esbuild, of these options or of this file invalidates Jest's transform cache.
const TRANSFORMER_KEY = crypto
  .createHash('sha256')
  .update(esbuild.version)
  .update(fs.readFileSync(module.filename))
  .digest('hex');

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = esbuild.transformSync(sourceText, { ...OPTIONS, sourcefile: sourcePath });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash('sha256').update(TRANSFORMER_KEY).update('\0').update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};

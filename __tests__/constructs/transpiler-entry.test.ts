/**
 * The constructs use the transpiler only through its public entry, transpiler/index.ts: what they
 * need is exported there, so the transpiler's inside can change without touching a construct.
 */
import * as path from 'node:path';
import { CONSTRUCTS, ROOT, testEachConstructSource } from './construct-sources';

const TRANSPILER = path.join(ROOT, 'transpiler');

/** Every module specifier of `import ... from`, `export ... from`, `import('...')` and `require('...')`. */
function specifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((match) => match[1]);
}

/** The specifiers of a file in `dir` that reach into the transpiler past its entry. */
function transpilerInternals(dir: string, source: string): string[] {
  return specifiers(source).filter((specifier) => {
    if (!specifier.startsWith('.')) return false;
    const target = path.resolve(dir, specifier);
    const isEntry = target === TRANSPILER || target === path.join(TRANSPILER, 'index');
    return !isEntry && target.startsWith(TRANSPILER + path.sep);
  });
}

describe('constructs import the transpiler only through its entry', () => {
  test('the check sees every form of import', () => {
    const source = [
      "import { transpile } from '../transpiler';",
      "import type { IgnitionVersion } from '../transpiler/api';",
      "export { decode } from '../transpiler/yaml/index';",
      "import '../transpiler/go/json';",
      "const lazy = import('../transpiler/go/dataurl');",
      "const old = require('../transpiler/ign3');",
      "import { transpile as t } from '../transpiler/index';",
    ].join('\n');
    expect(transpilerInternals(CONSTRUCTS, source)).toEqual([
      '../transpiler/api',
      '../transpiler/yaml/index',
      '../transpiler/go/json',
      '../transpiler/go/dataurl',
      '../transpiler/ign3',
    ]);
  });

  testEachConstructSource((file, text) => transpilerInternals(path.dirname(file), text));
});

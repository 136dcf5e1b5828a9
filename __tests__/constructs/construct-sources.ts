/** The TypeScript files under constructs/, for tests that check what construct code may contain. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const CONSTRUCTS = path.join(ROOT, 'constructs');

export function constructSources(dir: string = CONSTRUCTS): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** One test per construct file, each expecting `findings` of its text to be empty (and a guard that files were found). */
export function testEachConstructSource(findings: (file: string, text: string) => readonly string[]): void {
  const files = constructSources();

  test('there are construct files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test.each(files.map((file) => [path.relative(ROOT, file), file]))('%s', (_, file) => {
    expect(findings(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
}

/** The TypeScript files under constructs/, for tests that check what construct code may contain. */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const CONSTRUCTS = path.join(ROOT, 'constructs');

export function constructSources(dir: string = CONSTRUCTS): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The Butane vectors as the YAML-side suites read them, and dispatch on their text. */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { dispatch } from '../../transpiler/butane/dispatch';
import { parseDocument } from '../../transpiler/yaml';

export const VECTORS = join(__dirname, '../conformance/butane');
export const vectorNames = readdirSync(VECTORS).filter((n) => existsSync(join(VECTORS, n, 'input.bu')));
export const read = (name: string, file: string): string => readFileSync(join(VECTORS, name, file), 'utf8');

/** Dispatch on YAML text; a syntax error is not a dispatch (the vector is then not decodable). */
export function dispatchText(input: string): ReturnType<typeof dispatch> {
  try {
    return dispatch(parseDocument(input, 'v3'));
  } catch {
    return { ok: false, error: 'syntax' };
  }
}

/**
 * CLC text -> Ignition spec 3.3.0 JSON through our transpiler (`ignitionVersion: '3.3.0'`), the
 * input the real Ignition reads: Debian's Ignition 2.14 accepts spec 3.x only.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { transpile, type TranspileOptions, type TranspileResult } from '../../transpiler';

export const CASES_DIR = path.join(__dirname, 'cases');

/** Transpiles `clc` to spec 3.3.0; warnings are allowed, errors throw. */
export function toIgnition3(clc: string, options: Omit<TranspileOptions, 'ignitionVersion'> = {}): TranspileResult {
  const result = transpile(clc, { ...options, ignitionVersion: '3.3.0' });
  const version = (result.ignition.ignition as { version?: string } | undefined)?.version;
  if (version !== '3.3.0') throw new Error(`transpile was asked for Ignition 3.3.0 and gave ${String(version)}`);
  return result;
}

/** A case's CLC text from cases/. */
export function readCase(name: string): string {
  return readFileSync(path.join(CASES_DIR, name), 'utf8');
}

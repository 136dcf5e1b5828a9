/** The `ignitionVersion` option of `transpile` and `ct --ignition-version`: the last pipeline step. */
import type { IgnitionVersion } from '../api';
import type { Dialect } from '../convert';
import type { Diagnostic } from '../diagnostics';
import { Ign3TranslationError } from './errors';
import { IGNITION_VERSION_V33 } from './version';

let loaded: typeof import('./index') | undefined;

/**
 * The 2.x -> 3.3.0 translator, loaded on first use: most runs never ask for 3.3.0, and loading it
 * would lengthen every `ct` start-up. Kept once loaded: a `require` per call costs a module lookup.
 */
function translator(): typeof import('./index') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./index') as typeof import('./index'));
}

export const IGNITION_VERSIONS: readonly IgnitionVersion[] = ['2.2.0', '2.3.0', '3.3.0'];
const OWN_VERSION: Readonly<Record<Dialect, IgnitionVersion>> = { coreos: '2.2.0', flatcar: '2.3.0' };

/** Why `version` cannot be produced by `dialect`, or undefined when it can. */
export function ignitionVersionError(dialect: Dialect, version: string | undefined): string | undefined {
  if (version === undefined || version === IGNITION_VERSION_V33 || version === OWN_VERSION[dialect]) return undefined;
  if (!IGNITION_VERSIONS.includes(version as IgnitionVersion)) return `unsupported Ignition version ${JSON.stringify(version)}: use 3.3.0 or ${OWN_VERSION[dialect]}`;
  return `Ignition version ${version} is not the ${dialect} dialect's own (${OWN_VERSION[dialect]}): use ${OWN_VERSION[dialect]} or 3.3.0`;
}

export const wantsV33 = (version: string | undefined): boolean => version === IGNITION_VERSION_V33;

const diagnostic = (severity: Diagnostic['severity'], message: string, path = ''): Diagnostic => ({ severity, message, line: 0, column: 0, path });

export type V33Output =
  | { readonly ok: true; readonly json: string; readonly stderr: string; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly stderr: string; readonly error: Diagnostic };

/**
 * ct's 2.x output through Flatcar's translation. stderr gets what Flatcar prints: its error plus
 * "\n" on failure, or its warning report plus "\n" (the vectors' `from-X.stderr` convention).
 * `validated`: `json2x` is ct's marshalled output after its validation passed, which then is not
 * repeated.
 */
export function emitV33(json2x: string, pretty: boolean, validated = false): V33Output {
  try {
    const { marshalV33, translateToV33 } = translator();
    const t = translateToV33(json2x, validated);
    const warnings = t.warnings.map((w) => diagnostic('warning', w.message, ['$', ...w.path].join('.')));
    return { ok: true, json: marshalV33(t.config, pretty), stderr: t.report === '' ? '' : t.report + '\n', warnings };
  } catch (err) {
    if (!(err instanceof Ign3TranslationError)) throw err;
    return { ok: false, stderr: err.flatcarMessage + '\n', error: diagnostic('error', err.flatcarMessage) };
  }
}

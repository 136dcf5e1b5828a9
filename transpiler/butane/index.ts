/**
 * Butane (v0.23.0, variants `flatcar` and `fcos`) as a library: `transpileButane` turns a Butane
 * config (YAML text, bytes, or a typed object) into Ignition 3 JSON, byte for byte like the Go
 * `butane` command, and returns its report as structured diagnostics.
 */
import { TranspileError, type Diagnostic, type Severity } from '../diagnostics';
import type { ButaneConfig } from './config-types';
export { isButaneConfig } from './detect';
import { pathString } from './path';
import { formatReport, type PlacedEntry } from './report';
import { translateButane } from './transpile';
import { marshalIgnition } from '../ignition-v3/marshal';
import { mergeStructTranscribe } from '../ignition-v3/merge';
import { ignitionType, type IgnitionVersion } from '../ignition-v3/types';
import { validateIgnition } from '../ignition-v3/validate';
import type { GoStruct } from '../schema';

export type { ButaneConfig } from './config-types';
export type { IgnitionVersion as ButaneIgnitionVersion } from '../ignition-v3/types';
export { SUPPORTED_SPECS as SUPPORTED_BUTANE_SPECS, type SupportedSpec as ButaneSpec } from './dispatch';

export interface ButaneTranspileOptions {
  /** `butane --pretty`: two-space indented JSON. @default false */
  readonly pretty?: boolean;
  /** `butane --strict`: any warning is fatal. @default false */
  readonly strict?: boolean;
  /** `butane --files-dir`: the directory `local`, `contents_local`, key files and `trees` are read from. @default - local files are an error */
  readonly filesDir?: string;
  /** Where the config came from (a file path), for messages. @default - none */
  readonly origin?: string;
}

export interface ButaneResult {
  /** The Ignition config as a plain object (parse of `json`). */
  readonly ignition: Record<string, unknown>;
  /** Exactly what `butane` writes to stdout, without its final newline. */
  readonly json: string;
  /** The Ignition spec the variant and version produce. */
  readonly ignitionVersion: IgnitionVersion;
  readonly variant: 'flatcar' | 'fcos';
  readonly version: string;
  /** Every warning and info of Butane's report, in its order (paths as Butane prints them, `$.storage.files.0.mode`). */
  readonly warnings: readonly Diagnostic[];
  /** Exactly what `butane` writes to stderr on success ('' when clean). */
  readonly stderr: string;
}

function diagnosticOf(e: PlacedEntry): Diagnostic {
  const severity: Severity = e.kind;
  return { severity, message: e.message, line: e.line ?? 0, column: e.column ?? 0, path: e.path.length > 0 ? pathString(e.path) : '', ...(e.unusedKey && { unknownKey: true }) };
}

/** Translates a Butane config; throws TranspileError (Butane's stderr and the diagnostics) where `butane` exits 1. */
export function transpileButane(input: string | Uint8Array | ButaneConfig, options: ButaneTranspileOptions = {}): ButaneResult {
  const outcome = translateButane(input, { pretty: options.pretty, filesDir: options.filesDir });
  const report = formatReport(outcome.entries);
  const diagnostics = outcome.entries.map(diagnosticOf);
  if (outcome.error !== undefined) {
    // a dispatch or decode failure has no report entry: it becomes the one diagnostic
    const all = diagnostics.some((d) => d.severity === 'error') ? diagnostics : [...diagnostics, { severity: 'error' as const, message: outcome.error, line: 0, column: 0, path: '' }];
    throw new TranspileError(all, `${report}Error translating config: ${outcome.error}\n`, options.origin);
  }
  if (options.strict && outcome.entries.length > 0) {
    throw new TranspileError(diagnostics, `${report}Config produced warnings and --strict was specified\n`, options.origin);
  }
  const spec = outcome.spec as NonNullable<typeof outcome.spec>;
  return {
    ignition: JSON.parse(outcome.json as string) as Record<string, unknown>,
    json: outcome.json as string,
    ignitionVersion: outcome.ignitionVersion as IgnitionVersion,
    variant: spec.variant,
    version: spec.version,
    warnings: diagnostics,
    stderr: report,
  };
}

/**
 * Ignition's own merge of a child config into a parent (`config/merge`, as Ignition applies
 * `ignition.config.merge`): lists merge by key, the child's set values win. The child's
 * `ignition.version` is ignored (the parent's spec is kept); the result is validated and marshalled
 * as Butane writes it. Both configs are plain objects as `JSON.parse` gives them.
 */
export function mergeIgnitionConfigs(parent: Record<string, unknown>, child: Record<string, unknown>, version: IgnitionVersion): { ignition: Record<string, unknown>; json: string; errors: readonly Diagnostic[] } {
  const type = ignitionType(version);
  const ignitionOfChild = { ...((child.ignition as Record<string, unknown> | undefined) ?? {}) };
  delete ignitionOfChild.version;
  const merged = mergeStructTranscribe(parent as GoStruct, { ...child, ignition: ignitionOfChild } as GoStruct, type).result;
  const errors = validateIgnition(merged, version)
    .filter((e) => e.kind === 'error')
    .map((e) => ({ severity: 'error' as const, message: e.message, line: 0, column: 0, path: pathString(e.path) }));
  const json = marshalIgnition(merged, version, false);
  return { ignition: JSON.parse(json) as Record<string, unknown>, json, errors };
}

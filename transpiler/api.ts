/** Public shapes of `transpile` (implemented in transpile.ts). */
import type { Diagnostic } from './diagnostics';
import type { Dialect } from './convert';

export interface TranspileOptions {
  /** ct `--platform`: dynamic data provider (`gce`, `ec2`, ...). @default - none */
  readonly platform?: string;
  /** ct `--strict`: any warning or info is fatal. @default false */
  readonly strict?: boolean;
  /** ct `--files-dir`: base directory for `contents.local`. @default - local contents are an error */
  readonly filesDir?: string;
  /** ct `--pretty`: two-space indented JSON with a trailing newline. @default false */
  readonly pretty?: boolean;
  /** Which ct to behave like. @default 'coreos' */
  readonly dialect?: Dialect;
  /** Where the config came from (a file path), used in error messages. @default - none */
  readonly origin?: string;
  /**
   * Ignition spec of the output. `3.3.0` translates ct's 2.x result the way Flatcar's Ignition does
   * at boot (`translateToV33`); a 2.x version must be the dialect's own.
   * @default - the dialect's own: '2.2.0' for coreos, '2.3.0' for flatcar
   */
  readonly ignitionVersion?: IgnitionVersion;
}

/** Output specs: the dialects' own 2.x versions, or 3.3.0 translated from them. */
export type IgnitionVersion = '3.3.0' | '2.2.0' | '2.3.0';

export interface TranspileResult {
  /** The Ignition config as a plain object (parse of `json`). */
  readonly ignition: Record<string, unknown>;
  /** Exactly the bytes ct writes to stdout. */
  readonly json: string;
  /** Every non-fatal diagnostic, in ct's order. */
  readonly warnings: readonly Diagnostic[];
  /** Exactly the bytes ct writes to stderr on success (warnings), '' when clean. */
  readonly stderr: string;
}

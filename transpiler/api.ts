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
  /**
   * What ct generated itself for the config's sections and `platform` (not the user's own units
   * and files), in output order, with how values are written into it. Lets a caller find and
   * interpret generated output without knowing ct's names or matching its text. Names and paths
   * are the same in a 3.3.0 output.
   */
  readonly generated: readonly GeneratedOutput[];
}

/** Something ct generated: a systemd drop-in or a storage file. */
export type GeneratedOutput = GeneratedDropin | GeneratedFile;

/**
 * How a config value is written into generated output: `raw` as given; `go-%q` inside a Go `%q`
 * quoted string (`"..."` with Go escapes); `lower-case` lower-cased, otherwise raw.
 */
export type ValueEncoding = 'raw' | 'go-%q' | 'lower-case';

/** A drop-in ct added to a unit (`systemd.units[name=unit].dropins[name=dropin]`). */
export interface GeneratedDropin {
  readonly kind: 'dropin';
  /** The CLC section (or `platform` for `--platform`) that produced it, e.g. `etcd`. */
  readonly section: string;
  /** The unit, e.g. `etcd-member.service`. */
  readonly unit: string;
  /** The drop-in's name, e.g. `20-clct-etcd-member.conf`. */
  readonly dropin: string;
  /** How the section's option values are written into the drop-in's text. */
  readonly values: ValueEncoding;
}

/** A file ct wrote (`storage.files[path=path]`), made of `KEY=value` lines. */
export interface GeneratedFile {
  readonly kind: 'file';
  /** The CLC sections whose values it holds, in line order, e.g. `['update', 'locksmith']`. */
  readonly sections: readonly string[];
  /** The file's path, e.g. `/etc/coreos/update.conf`. */
  readonly path: string;
  /** For each key the file can hold, how its value is written, and what ct checked it as (if anything). */
  readonly keys: Readonly<Record<string, GeneratedKey>>;
}

/** One `KEY=value` line of a generated file. */
export interface GeneratedKey {
  /** The CLC key the value comes from, e.g. `update.server`. */
  readonly from: string;
  /** How the value is written after `KEY=`. */
  readonly values: ValueEncoding;
  /** What ct validated the value as; a value it never saw (a stand-in) was not checked. @default - not validated */
  readonly validatedAs?: 'URL';
}

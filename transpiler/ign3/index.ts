/**
 * Ignition spec 3.3.0 from a 2.x config, exactly as Flatcar's Ignition translates 2.x at boot
 * (docs/ignition-2to3.md): `v2_4.Parse` -> `v24tov31.Translate` (empty filesystem map) ->
 * 3.1.0 bytes -> `v3_3.ParseCompatibleVersion`. Systemd units keep first-occurrence order.
 */
import { marshalGo } from '../go/json';
import type { GoStruct } from '../schema';
import { checkV24 } from './check-v24';
import { translateError } from './errors';
import { valueColumn } from './json-positions';
import { parseV2 } from './read-v2';
import { translateV24ToV31 } from './translate-v24-v31';
import { ignitionConfigV31, ignitionConfigV33 } from './types-v3';
import { upgradeV31ToV33 } from './upgrade-v31-v33';
import { renderV3Report, validateV31, type V3Entry } from './validate-v31';

export { Ign3TranslationError, type Ign3FailureKind } from './errors';
export { ignitionConfigV31, ignitionConfigV33 } from './types-v3';
export type { V3Entry, V3Path } from './validate-v31';

export { IGNITION_VERSION_V33 } from './version';

export interface V33Translation {
  /** The 3.3.0 config, Go-shaped (schema.ts representation of `ignitionConfigV33`). */
  readonly config: GoStruct;
  /** The exact compact 3.1.0 bytes Flatcar hands to its 3.x parser. */
  readonly v31Json: string;
  /** Warnings of the 3.x parse (Flatcar only logs them), positioned in `v31Json`. */
  readonly warnings: readonly V3Entry[];
  /** `warnings` as Flatcar's report prints them; '' when none. */
  readonly report: string;
}

/** `v31Json` is marshalled when first read: only warnings need it, to be positioned. */
class Translation implements V33Translation {
  constructor(
    readonly config: GoStruct,
    private readonly v31: GoStruct,
    readonly warnings: readonly V3Entry[],
    readonly report: string,
    private json?: string,
  ) {}

  get v31Json(): string {
    return (this.json ??= marshalGo(this.v31, ignitionConfigV31, false));
  }
}

/**
 * Translates a 2.x (or spec 1) Ignition config (JSON text, bytes, or the parsed JSON object) to
 * spec 3.3.0, reading it as Flatcar does (Go's JSON decoding, each version's own types and rules).
 * Throws Ign3TranslationError with Flatcar's error text where Flatcar refuses the config, and
 * with kind 'crash' where Flatcar's translator panics. `ownVersionValid`: the text is Go's JSON of
 * a config that passed the validation of the version it declares, as ct's output has (a shortcut
 * only: the result is the same).
 */
export function translateToV33(config2x: string | Uint8Array | object, ownVersionValid = false): V33Translation {
  const parsed = parseV2(config2x, ownVersionValid);
  const paths = checkV24(parsed.config, parsed.report);
  const { v31, checked } = translateV24ToV31(parsed.config, paths);
  const entries = validateV31(v31, checked);
  if (entries.some((e) => e.kind === 'error')) throw translateError(renderV3Report(entries));
  const config = upgradeV31ToV33(v31);
  if (entries.length === 0) return new Translation(config, v31, [], '');
  const v31Json = marshalGo(v31, ignitionConfigV31, false);
  const warnings = entries.map((e) => ({ ...e, column: valueColumn(v31Json, e.path) }));
  return new Translation(config, v31, warnings, renderV3Report(warnings), v31Json);
}

/** The 3.3.0 JSON like Go: `json.Marshal`, or `json.MarshalIndent(v, "", "  ")` plus "\n" when pretty. */
export function marshalV33(config: GoStruct, pretty: boolean): string {
  return marshalGo(config, ignitionConfigV33, pretty);
}

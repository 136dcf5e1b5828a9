/**
 * The report `Check2_4` prints when it refuses a config (`Invalid input config:\n` + report): the
 * 2.4 validation of flatcar/ignition v0.36.2, whose `File.ValidateMode` and
 * `Directory.ValidateMode` also warn on an unset mode (Ignition 0.x's spec 2 defaulted it; the
 * warnings were dropped only from spec 3). Only a refusal prints warnings, so they are added
 * here, where a refusal is rendered, and nowhere on the hot path.
 */
import { Report } from '../diagnostics';
import { modeRule } from '../ignition/rules';
import type { GoStruct, GoType, StructDef } from '../schema';
import { validate } from '../validate';
import { ignitionConfigV24, rebuildConfig } from './types-v2';

const UNSET_MODE_WARNINGS: Readonly<Record<string, string>> = {
  'types.File': 'permissions unset, defaulting to 0644',
  'types.Directory': 'permissions unset, defaulting to 0755',
};

/** `ValidateMode`: the illegal-mode error, then the unset-mode warning. */
function modeWithWarning(warning: string): (node: GoStruct) => Report {
  return (node) => {
    const mode = node.mode as number | undefined;
    const r = new Report();
    r.merge(modeRule(mode));
    if (mode === undefined) r.add('warning', warning);
    return r;
  };
}

/** File's and Directory's `Mode` hook replaced by the one that also warns (other definitions unchanged). */
function withModeWarning(def: StructDef): StructDef {
  const warning = UNSET_MODE_WARNINGS[def.goName];
  return warning ? { ...def, fieldValidators: { ...def.fieldValidators, Mode: modeWithWarning(warning) } } : def;
}

let reportType: GoType | undefined;

/** The text after `Invalid input config:\n`: one `<kind>: <message>` line per entry of the 2.4 report. */
export function refusalReport(config: GoStruct): string {
  reportType ??= rebuildConfig(ignitionConfigV24, withModeWarning);
  return validate(config, reportType, undefined, false).toString();
}

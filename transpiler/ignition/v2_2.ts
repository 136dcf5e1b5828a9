/** Ignition spec 2.2.0 as vendored by ct v0.9.0 (coreos/ignition v0.24.0 `config/v2_2/types`). */
import type { GoType } from '../schema';
import { buildIgnitionConfigType } from './defs';

export const IGNITION_VERSION_V22 = '2.2.0';

/** The root `types.Config` of Ignition 2.2.0, with its validation hooks. */
export const ignitionConfigV22: GoType = buildIgnitionConfigType('2.2');

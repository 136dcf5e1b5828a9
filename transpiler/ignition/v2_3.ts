/** Ignition spec 2.3.0 as vendored by Flatcar ct v0.9.4 (flatcar/ignition v0.36.2 `config/v2_3/types`). */
import type { GoType } from '../schema';
import { buildIgnitionConfigType } from './defs';

export const IGNITION_VERSION_V23 = '2.3.0';

/** The root `types.Config` of Ignition 2.3.0, with its validation hooks. */
export const ignitionConfigV23: GoType = buildIgnitionConfigType('2.3');

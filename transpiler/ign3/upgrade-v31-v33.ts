/**
 * Upstream Ignition's 3.1 -> 3.2 -> 3.3 translators on the translated config (ignition-2to3 §2):
 * only the version, the link target and raid level pointers (always set), and the new zero-value
 * fields change. Special mode bits are kept: only 3.6 masks them.
 */
import type { GoStruct } from '../schema';

/** The 3.3 config; it shares the unchanged parts with `v31`, which is left as it was. */
export function upgradeV31ToV33(v31: GoStruct): GoStruct {
  // `target` (links) and `level` (raid) become pointers to the 3.1 strings, so `""` stays present:
  // the same values here, where a pointer is its element's value
  return { ...v31, ignition: { ...v31.ignition, version: '3.3.0' }, kernelArguments: {} };
}

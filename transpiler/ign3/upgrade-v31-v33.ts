/**
 * Upstream Ignition's 3.1 -> 3.2 -> 3.3 translators on the translated config (docs/ignition-2to3.md §2):
 * only the version, the link target and raid level pointers (always set), and the new zero-value
 * fields change. Special mode bits are kept: only 3.6 masks them.
 */
import type { GoStruct } from '../schema';

/** The 3.3 config; it shares the unchanged parts with `v31`, which is left as it was. */
export function upgradeV31ToV33(v31: GoStruct): GoStruct {
  // `target` (links) and `level` (raid) become pointers to the 3.1 strings, so `""` stays present:
  // the same values here, where a pointer is its element's value
  // literals, not spreads, which cost as much as the rest of the upgrade
  const ignition = v31.ignition as GoStruct;
  return {
    ignition: { config: ignition.config, proxy: ignition.proxy, security: ignition.security, timeouts: ignition.timeouts, version: '3.3.0' },
    kernelArguments: {},
    passwd: v31.passwd,
    storage: v31.storage,
    systemd: v31.systemd,
  };
}

/**
 * Upstream Ignition's 3.1 -> 3.2 -> 3.3 translators on the translated config (ignition-2to3 §2):
 * only the version, the link target and raid level pointers (always set), and the new zero-value
 * fields change. Special mode bits are kept: only 3.6 masks them.
 */
import type { GoStruct } from '../schema';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);

export function upgradeV31ToV33(v31: GoStruct): GoStruct {
  const config = structuredClone(v31);
  config.ignition.version = '3.3.0';
  config.kernelArguments = {};
  // `target` and `level` become pointers to the 3.1 strings, so `""` stays present
  for (const link of list(config.storage.links)) link.target = link.target as string;
  for (const raid of list(config.storage.raid)) raid.level = raid.level as string;
  return config;
}

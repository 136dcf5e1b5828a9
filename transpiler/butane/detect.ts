/** Telling a Butane config from a Container Linux Config, without loading the translator. */
import { isButaneConfig as isButaneObject } from './config-types';

/** Whether a config (YAML text or an object) is a Butane config rather than a Container Linux Config: it names a `variant`. */
export function isButaneConfig(config: unknown): boolean {
  if (typeof config === 'string') return /^["']?variant["']?[ \t]*:/m.test(config);
  return isButaneObject(config);
}

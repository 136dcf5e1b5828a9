/** What the cache tests store: plain strings, and a reader for computations that read no file. */
import type { ValueCodec } from '../../constructs/transpile-cache';

export const TEXT: ValueCodec<string> = {
  encode: (value) => value,
  decode: (stored) => (typeof stored === 'string' ? stored : undefined),
};

export const noFiles = (path: string): Uint8Array => {
  throw new Error(`unexpected read of ${path}`);
};

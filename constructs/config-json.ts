/** JSON text of a typed config for scanning and messages: a `bigint` (a Go integer past 2^53) as its digits. */
export function configJson(value: unknown): string | undefined {
  // Without a replacer first: calling one for every value made this a visible share of a cluster's
  // synth. JSON.stringify refuses a bigint with a TypeError, and only then is the replacer needed.
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

/** JSON text of a typed config for scanning and messages: a `bigint` (a Go integer past 2^53) as its digits. */
export function configJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

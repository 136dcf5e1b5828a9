/**
 * Go's `url.ParseQuery` lookup, for Flatcar's s3 `versionId` check. Go 1.19 skips pairs whose key
 * holds a `;` and pairs whose key or value does not unescape.
 */
export function queryValues(rawQuery: string, key: string): string[] | undefined {
  let found: string[] | undefined;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
    if (rawKey.includes(';')) continue;
    const k = queryUnescape(rawKey);
    const v = queryUnescape(eq >= 0 ? pair.slice(eq + 1) : '');
    if (k === undefined || v === undefined || k !== key) continue;
    (found ??= []).push(v);
  }
  return found;
}

/** Go's `url.QueryUnescape` (`+` is a space); undefined on a bad `%` escape. */
function queryUnescape(s: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  const bytes = Buffer.from(s, 'utf8')
    .toString('latin1')
    .replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

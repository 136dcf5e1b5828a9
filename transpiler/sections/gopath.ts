/** Go's `path.Join` (slash paths, lexically cleaned), used for `contents.local` (docs/ct.md §5.5.3). */
import { posix } from 'node:path';

export function goPathJoin(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '');
  if (parts.length === 0) return '';
  return goPathClean(parts.join('/'));
}

/** Go's `path.Clean`: no trailing slash, `.` for an empty result. */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const cleaned = posix.normalize(p);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

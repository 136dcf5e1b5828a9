/**
 * Where a value starts in compact JSON, as vcontext reports it after `Correlate` (`line 1 col N`,
 * N = 1-based byte column of the value). Flatcar's 3.x parse warnings point into the compact 3.1
 * bytes the translator produced (docs/ignition-2to3.md §6.3).
 */
import type { V3Path } from './validate-v31';

function skipString(json: string, i: number): number {
  for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
  return i + 1;
}

/** Index just after the value starting at `i` (compact JSON: no whitespace outside strings). */
function skipValue(json: string, i: number): number {
  const c = json[i];
  if (c === '"') return skipString(json, i);
  if (c !== '{' && c !== '[') {
    while (i < json.length && !',}]'.includes(json[i])) i++;
    return i;
  }
  const close = c === '{' ? '}' : ']';
  i++;
  while (json[i] !== close) {
    if (c === '{') i = skipString(json, i) + 1;
    i = skipValue(json, i);
    if (json[i] === ',') i++;
  }
  return i + 1;
}

/** Start index of the member `key` of the object at `i`, or -1. */
function memberAt(json: string, i: number, key: string): number {
  if (json[i] !== '{') return -1;
  i++;
  while (json[i] !== '}') {
    const end = skipString(json, i);
    const name = JSON.parse(json.slice(i, end)) as string;
    if (name === key) return end + 1;
    i = skipValue(json, end + 1);
    if (json[i] === ',') i++;
  }
  return -1;
}

function elementAt(json: string, i: number, index: number): number {
  if (json[i] !== '[') return -1;
  i++;
  for (let n = 0; json[i] !== ']'; n++) {
    if (n === index) return i;
    i = skipValue(json, i);
    if (json[i] === ',') i++;
  }
  return -1;
}

/**
 * The 1-based byte column of the value at `path` in single-line `json`; for an absent path, of its
 * deepest present ancestor, as vcontext's `getDeepestNode` correlates it.
 */
export function valueColumn(json: string, path: V3Path): number {
  let i = 0;
  for (const step of path) {
    const next = typeof step === 'number' ? elementAt(json, i, step) : memberAt(json, i, step);
    if (next < 0) break;
    i = next;
  }
  return Buffer.byteLength(json.slice(0, i), 'utf8') + 1;
}

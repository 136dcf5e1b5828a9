/**
 * yaml.v3's duplicate-key check (decode.go `mapping`, with `uniqueKeys`), without its cost: Go
 * compares every pair of keys, quadratic in the keys of a mapping; here keys are grouped first.
 * The messages and their order are Go's: for each key in document order, one per later key of
 * the same kind and text.
 */
import { quoteGo } from '../go/quote';
import type { YamlNode } from './node';

/**
 * The most messages a document's decode collects, counting the ones already there. k copies of
 * one key make k(k-1)/2 messages in yaml.v3 (200,000 copies, 20 billion lines): past this, the
 * rest are left out, in both dialects. A deliberate difference from ct, for hostile input only.
 */
export const MAX_DUPLICATE_KEY_ERRORS = 10000;

/** Below this many keys the pairwise loop is cheaper than grouping. */
const PAIRWISE_KEYS = 16;

function message(first: YamlNode, again: YamlNode): string {
  return `line ${again.line + 1}: mapping key ${quoteGo(again.value)} already defined at line ${first.line + 1}`;
}

/**
 * Appends to `errors` a message for every repeated key of the mapping whose children
 * (`[k0, v0, k1, v1, ...]`) are given; returns whether there was none.
 */
export function checkUniqueKeys(children: readonly YamlNode[], errors: string[]): boolean {
  const keys = children.length >> 1;
  if (keys <= PAIRWISE_KEYS) {
    let unique = true;
    for (let i = 0; i < children.length; i += 2) {
      for (let j = i + 2; j < children.length; j += 2) {
        const a = children[i];
        const b = children[j];
        if (a.kind === b.kind && a.value === b.value) {
          unique = false;
          if (errors.length < MAX_DUPLICATE_KEY_ERRORS) errors.push(message(a, b));
        }
      }
    }
    return unique;
  }
  // the later occurrences of each key, by kind and text
  const groups = new Map<string, number[]>();
  for (let i = 0; i < children.length; i += 2) {
    const k = children[i];
    const id = `${k.kind}\0${k.value}`;
    const g = groups.get(id);
    if (g) g.push(i);
    else groups.set(id, [i]);
  }
  if (groups.size === keys) return true;
  // Go's order: for each key, its pairs with every later copy
  const seen = new Map<number[], number>();
  for (let i = 0; i < children.length && errors.length < MAX_DUPLICATE_KEY_ERRORS; i += 2) {
    const k = children[i];
    const g = groups.get(`${k.kind}\0${k.value}`) as number[];
    if (g.length === 1) continue;
    const at = (seen.get(g) ?? -1) + 1;
    seen.set(g, at);
    for (let q = at + 1; q < g.length && errors.length < MAX_DUPLICATE_KEY_ERRORS; q++) errors.push(message(k, children[g[q]]));
  }
  return false;
}

/**
 * A cheap count of the YAML layer's work, for tests that bound the work per input (counted in
 * work, not wall-clock): characters read, tokens scanned, and nodes decoded (an
 * alias's target counted again on every expansion). Each unit costs a bounded amount of time, so
 * a refusal after bounded work is a prompt refusal. Counters only grow; read `lastYamlWork()`
 * right after a `transpile()` to get the work of that call.
 *
 * What bounds it: characters and tokens are at most the input's (plus the NUL at its end); every
 * node is decoded a few times at most (an etcd or flannel section three times), and yaml.v3's alias
 * budget, applied in both dialects, stops decoding once more than 99% of more than 1,000 decodes
 * come from aliases. So `nodes` stays under about 100 times the document's own decodes (a merge
 * bomb is refused after a few thousand), and `total` under a few hundred times the input's length.
 */

/** Running totals since the process started; incremented by the scanner and the decoder. */
export const yamlWork = { chars: 0, tokens: 0, nodes: 0 };

export interface YamlWork {
  readonly chars: number;
  readonly tokens: number;
  readonly nodes: number;
  /** The sum of the three. */
  readonly total: number;
}

let mark = { chars: 0, tokens: 0, nodes: 0 };

/** Starts a new count: called when a parse begins (and by decode() for a document that was not parsed). */
export function startYamlWork(): void {
  mark = { ...yamlWork };
}

/** The work since the last parse began: that of the last `transpile()` call, once it has returned or thrown. */
export function lastYamlWork(): YamlWork {
  const chars = yamlWork.chars - mark.chars;
  const tokens = yamlWork.tokens - mark.tokens;
  const nodes = yamlWork.nodes - mark.nodes;
  return { chars, tokens, nodes, total: chars + tokens + nodes };
}

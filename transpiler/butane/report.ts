/**
 * vcontext's report as Butane prints it (docs/butane.md §9): entries correlated with the YAML
 * document (`Report.Correlate`: the deepest node along the entry's path gives the marker) and
 * printed one per line.
 */
import type { YamlNode } from '../yaml';
import type { ButaneEntry } from './entry';
import { pathString, type Path } from './path';

/** A report entry with its marker: 1-based line and column, or undefined where the document has none. */
export interface PlacedEntry extends ButaneEntry {
  readonly line?: number;
  readonly column?: number;
  /** An `Unused key` warning: a key the schema does not have (a typo, or a field of another version or variant). */
  readonly unusedKey?: boolean;
}

/** The document's root node as vcontext's yaml tree sees it (undefined for an empty document). */
export function contextRoot(doc: YamlNode | undefined): YamlNode | undefined {
  if (!doc) return undefined;
  return doc.kind === 'document' ? doc.children[0] : doc;
}

/** vcontext `tree.Get`: the node at `path`, or undefined (`ErrBadPath`). Aliases and scalars are leaves. */
function nodeAt(root: YamlNode, path: Path): YamlNode | undefined {
  let node = root;
  for (const step of path) {
    if (node.kind === 'mapping' && typeof step === 'string') {
      // the tree keeps one child per key: the last occurrence wins, as in a Go map
      let found: YamlNode | undefined;
      for (let i = 0; i + 1 < node.children.length; i += 2) if (node.children[i].value === step) found = node.children[i + 1];
      if (!found) return undefined;
      node = found;
    } else if (node.kind === 'sequence' && typeof step === 'number') {
      if (step >= node.children.length) return undefined;
      node = node.children[step];
    } else {
      return undefined;
    }
  }
  return node;
}

/** `getDeepestNode(...).GetMarker()`: pop path elements until a node exists. */
export function markerFor(root: YamlNode | undefined, path: Path): { line: number; column: number } | undefined {
  if (!root) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(root, path.slice(0, n));
    if (node) return { line: node.line + 1, column: node.column + 1 };
  }
  return undefined;
}

/** `Report.Correlate`. */
export function correlate(entries: readonly PlacedEntry[], root: YamlNode | undefined): PlacedEntry[] {
  // an entry placed already (an unused key, at its key) keeps its marker
  return entries.map((e) => (e.line !== undefined ? e : { ...e, ...markerFor(root, e.path) }));
}

/** vcontext `Entry.String()`. */
export function formatEntry(e: PlacedEntry): string {
  let at = '';
  const marker = e.line !== undefined ? `line ${e.line} col ${e.column ?? 0}` : undefined;
  if (marker !== undefined && e.path.length !== 0) at = ` at ${pathString(e.path)}, ${marker}`;
  else if (marker !== undefined) at = ` at ${marker}`;
  else if (e.path.length !== 0) at = ` at ${pathString(e.path)}`;
  return `${e.kind}${at}: ${e.message}`;
}

/** `Report.String()`. */
export function formatReport(entries: readonly PlacedEntry[]): string {
  let out = '';
  for (const e of entries) out += formatEntry(e) + '\n';
  return out;
}

export const isFatal = (entries: readonly ButaneEntry[]): boolean => entries.some((e) => e.kind === 'error');

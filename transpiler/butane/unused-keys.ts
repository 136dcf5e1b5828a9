/**
 * Butane's unused-key check (docs/butane.md §1 step 4): ignition `config/validate` `ValidateUnusedKeys`
 * run over the decoded YAML struct by vcontext's walk (`validate.ValidateCustom`), against vcontext's
 * YAML tree (`vcontext/yaml`: one node per mapping, sequence and scalar; aliases are leaves, the
 * last of repeated keys wins).
 */
import type { GoStruct, GoType, StructDef } from '../schema';
import type { YamlNode } from '../yaml';
import type { ButaneEntry } from './entry';
import { pathString, type Path } from './path';
import { contextRoot, type PlacedEntry } from './report';

/** A type without its names: Go's `reflect.Kind` of a value of `t`. */
export function underlying(t: GoType): GoType {
  while (t.kind === 'named') t = t.elem;
  return t;
}

/** The struct a value of `t` is, if it is one (pointers are not: vcontext sees them as `reflect.Ptr`). */
export function structOf(t: GoType): StructDef | undefined {
  const u = underlying(t);
  return u.kind === 'struct' ? u.def : undefined;
}

/** What vcontext's `CustomValidator` sees: one value of the walk, its Go type and its context path. */
export type Visit<E extends ButaneEntry = ButaneEntry> = (type: GoType, value: unknown, path: Path) => readonly E[];

/**
 * vcontext `validate.ValidateCustom`: `visit` on every value, then into struct fields in Go order,
 * slice elements and pointees (pointers reach `visit` both as the pointer and as the pointee).
 */
export function validateCustom<E extends ButaneEntry>(type: GoType, value: unknown, visit: Visit<E>): E[] {
  const out: E[] = [];
  const walk = (t: GoType, v: unknown, path: Path): void => {
    out.push(...visit(t, v, path));
    const u = underlying(t);
    if (u.kind === 'struct') {
      const obj = (v ?? {}) as GoStruct;
      for (const f of u.def.fields) walk(f.type, obj[f.key], [...path, f.key]);
    } else if (u.kind === 'slice') {
      if (Array.isArray(v)) v.forEach((e, i) => walk(u.elem, e, [...path, i]));
    } else if (u.kind === 'ptr') {
      if (v !== undefined && v !== null) walk(u.elem, v, path);
    }
  };
  walk(type, value, []);
  return out;
}

/** vcontext `tree.Node.Get`: the node at `path` under the tree's root, or undefined (`ErrBadPath`). */
export function contextNode(root: YamlNode, path: Path): YamlNode | undefined {
  let node = root;
  for (const step of path) {
    if (node.kind === 'mapping' && typeof step === 'string') {
      const found = mappingKeys(node).get(step);
      if (!found) return undefined;
      node = found.value;
    } else if (node.kind === 'sequence' && typeof step === 'number' && step < node.children.length) {
      node = node.children[step];
    } else {
      return undefined;
    }
  }
  return node;
}

/** A `MapNode`'s `Keys` and `Children`: by key text, the last occurrence winning as in a Go map. */
function mappingKeys(node: YamlNode): Map<string, { key: YamlNode; value: YamlNode }> {
  const out = new Map<string, { key: YamlNode; value: YamlNode }>();
  const c = node.children;
  for (let i = 0; i + 1 < c.length; i += 2) out.set(c[i].value, { key: c[i], value: c[i + 1] });
  return out;
}

const marker = (n: YamlNode): { line: number; column: number } => ({ line: n.line + 1, column: n.column + 1 });

/** Go's key order is a map's (random); ours is the keys' order in the document. */
const byPosition = (a: YamlNode, b: YamlNode): number => a.line - b.line || a.column - b.column;

/**
 * `ValidateUnusedKeys` for every struct of the decoded `value` (of `type`, decoded from `doc`), in
 * walk order. An unused key is placed at the key itself (its path ends in vcontext's `tree.Key`);
 * a struct whose node is not a mapping (`ignition: ~`) draws the context-tree warning, placed at
 * that node. Both come with the marker vcontext's `Correlate` gives them.
 */
export function unusedKeys(value: unknown, type: GoType, doc: YamlNode | undefined): PlacedEntry[] {
  const root = contextRoot(doc);
  if (!root) return [];
  return validateCustom<PlacedEntry>(type, value, (t, _v, path) => {
    const def = structOf(t);
    if (!def) return [];
    const node = contextNode(root, path);
    if (!node) return []; // not every struct has a node
    if (node.kind !== 'mapping') {
      const message =
        `context tree does not match content tree at ${pathString(path)}. ` +
        'Line and column reporting may be inconsistent. Unused keys may not be reported.';
      return [{ kind: 'warning', message, path, ...marker(node) }];
    }
    const fields = new Set(def.fields.map((f) => f.key));
    const unused = [...mappingKeys(node)].filter(([k]) => !fields.has(k)).sort(([, a], [, b]) => byPosition(a.key, b.key));
    return unused.map(([k, { key }]) => ({ kind: 'warning', message: `Unused key ${k}`, path: [...path, k], unusedKey: true, ...marker(key) }));
  });
}

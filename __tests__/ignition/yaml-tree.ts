/**
 * Test helpers: YamlNode trees with go-yaml's positions, built by hand (`mapping`, `seq`, `scalar`)
 * or from YAML text via the `yaml` package (block collections start at their first key or `-`,
 * scalars at their first character, as in go-yaml).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { AstNode } from '../../transpiler/ast';
import type { YamlNode } from '../../transpiler/yaml/node';

type Pos = readonly [line: number, column: number];

function node(kind: YamlNode['kind'], [line, column]: Pos, value: string, children: YamlNode[], tag: string): YamlNode {
  return { kind, line: line - 1, column: column - 1, tag, value, style: 'plain', flow: false, anchor: '', children };
}

/** A scalar at a 1-based position. */
export const scalar = (value: string, pos: Pos): YamlNode => node('scalar', pos, value, [], '!!str');

/** A mapping at a 1-based position (its first key's), from [key, keyPos, value] entries. */
export function mapping(pos: Pos, entries: [string, Pos, YamlNode][]): YamlNode {
  const children: YamlNode[] = [];
  for (const [key, keyPos, value] of entries) children.push(scalar(key, keyPos), value);
  return node('mapping', pos, '', children, '!!map');
}

export const seq = (pos: Pos, items: YamlNode[]): YamlNode => node('sequence', pos, '', items, '!!seq');

/** The AstNode of a hand-built root node. */
export const astOf = (root: YamlNode, tagMode: 'yaml' | 'json' = 'yaml'): AstNode =>
  AstNode.fromDocument(node('document', [1, 1], '', [root], ''), tagMode) as AstNode;

/** The AstNode of YAML text (first document). */
export function astFromYaml(text: string, tagMode: 'yaml' | 'json' = 'yaml'): AstNode {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const convert = (n: Node): YamlNode => {
    const { line, col } = lines.linePos(n.range?.[0] ?? 0);
    const pos: Pos = [line, col];
    if (isMap(n)) {
      const children: YamlNode[] = [];
      for (const item of n.items) children.push(convert(item.key as Node), convert(item.value as Node));
      return node('mapping', pos, '', children, '!!map');
    }
    if (isSeq(n)) return node('sequence', pos, '', n.items.map((i) => convert(i as Node)), '!!seq');
    if (isScalar(n)) return node('scalar', pos, n.value === null ? '' : String(n.source ?? n.value), [], '!!str');
    throw new Error('unsupported YAML node');
  };
  return astOf(convert(doc.contents as Node), tagMode);
}

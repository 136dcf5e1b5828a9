/** The YAML node tree that the go-yaml port produces (the shape of go-yaml's own `node`). */

export type YamlKind = 'document' | 'mapping' | 'sequence' | 'scalar' | 'alias';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface YamlNode {
  readonly kind: YamlKind;
  /** 0-based line of the node's first character (go-yaml's `Node.Line`; ct prints line + 1). */
  readonly line: number;
  /** 0-based column of the node's first character (go-yaml's `Node.Column`). */
  readonly column: number;
  /**
   * The node's tag after resolution, in short form: `!!str`, `!!int`, `!!bool`, `!!float`, `!!null`,
   * `!!binary`, `!!timestamp`, `!!merge`, `!!map`, `!!seq`, or an explicit custom tag as written.
   */
  readonly tag: string;
  /** Scalar text after quoting and folding are undone; '' for other kinds. */
  readonly value: string;
  /** Only meaningful for scalars; collections record whether they were written in flow style. */
  readonly style: ScalarStyle;
  readonly flow: boolean;
  /** Anchor name defined on this node ('' when none). */
  readonly anchor: string;
  /** For `alias` nodes: the anchored node it refers to. */
  readonly alias?: YamlNode;
  /** Document: [root] (empty for an empty document); mapping: [k0, v0, k1, v1, ...]; sequence: items. */
  readonly children: readonly YamlNode[];
  /**
   * The tag as written, after `%TAG`/`!!` expansion (`tag:yaml.org,2002:int`, `!foo`, `!`);
   * absent for untagged nodes. go-yaml's decoders look at it, not only at the resolved `tag`.
   */
  readonly explicitTag?: string;
}

/**
 * The AST view the validator walks: a YAML node together with the key that led to it, like ct's
 * `astyaml.YamlNode`. In `json` tag mode (used to validate the Ignition output) keys are read in
 * camelCase, so `type_guid` in the CLC matches Ignition's `typeGuid` (docs/ct.md §10.5).
 */
import type { YamlNode } from './yaml/node';

export type TagMode = 'yaml' | 'json';

/** What every view of one tree shares: the key renames made by `changeKey`, and memoised entries. */
class Tree {
  readonly renames = new Map<YamlNode, Map<string, { from: string; node: AstNode }>>();
  /** `keyValueMap()` per tag mode and mapping node (dropped for a node when `changeKey` renames in it). */
  readonly entries: Record<TagMode, Map<YamlNode, Map<string, AstNode>>> = { yaml: new Map(), json: new Map() };
}

export class AstNode {
  /** `path`, once asked for: most nodes never carry a diagnostic, so most never build it. */
  private builtPath?: string;

  constructor(
    readonly node: YamlNode,
    /** The key node that introduced this value (absent for the root and list items). */
    readonly key: YamlNode | undefined,
    /** The node this one was reached from (absent for the root), and the key text or index that led here. */
    private readonly parent: AstNode | undefined,
    private readonly step: string | number,
    readonly tagMode: TagMode = 'yaml',
    private readonly tree: Tree = new Tree(),
  ) {}

  /** The document's root node; undefined for an empty document. */
  static fromDocument(doc: YamlNode, tagMode: TagMode = 'yaml'): AstNode | undefined {
    const root = doc.kind === 'document' ? doc.children[0] : doc;
    return root ? new AstNode(root, doc, undefined, '', tagMode) : undefined;
  }

  /** The same tree read with another tag mode (ct switches to `json` before converting). */
  withTagMode(tagMode: TagMode): AstNode {
    return new AstNode(this.node, this.key, this.parent, this.step, tagMode, this.tree);
  }

  /** YAML path for messages, e.g. `storage.files[0].mode`. */
  get path(): string {
    if (this.builtPath === undefined) {
      const base = this.parent ? this.parent.path : '';
      const step = this.step;
      this.builtPath = typeof step === 'number' ? `${base}[${step}]` : base ? `${base}.${step}` : step;
    }
    return this.builtPath;
  }

  /** 1-based position of the value (ct: `ValueLineCol`). */
  get valuePosition(): { line: number; column: number } {
    return { line: this.node.line + 1, column: this.node.column + 1 };
  }

  /** 1-based position of the key (ct: `KeyLineCol`); the value's position where there is no key. */
  get keyPosition(): { line: number; column: number } {
    const k = this.key ?? this.node;
    return { line: k.line + 1, column: k.column + 1 };
  }

  sliceChild(index: number): AstNode | undefined {
    if (this.node.kind !== 'sequence' || index >= this.node.children.length) return undefined;
    return new AstNode(this.node.children[index], undefined, this, index, this.tagMode, this.tree);
  }

  /**
   * The mapping's entries by key (later duplicates win, as in a Go map), keys converted to
   * camelCase in json mode; undefined when this node is not a mapping (aliases included).
   * Built once per node and tag mode: read it, do not change it.
   */
  keyValueMap(): ReadonlyMap<string, AstNode> | undefined {
    if (this.node.kind !== 'mapping') return undefined;
    const memo = this.tree.entries[this.tagMode];
    let out = memo.get(this.node);
    if (!out) {
      out = this.buildKeyValueMap();
      memo.set(this.node, out);
    }
    return out;
  }

  private buildKeyValueMap(): Map<string, AstNode> {
    const out = new Map<string, AstNode>();
    const c = this.node.children;
    for (let i = 0; i + 1 < c.length; i += 2) {
      const keyText = c[i].value;
      const name = this.tagMode === 'json' ? snakeToCamel(keyText) : keyText;
      out.set(name, new AstNode(c[i + 1], c[i], this, keyText, this.tagMode, this.tree));
    }
    const renamed = this.tree.renames.get(this.node);
    if (renamed) {
      for (const [to, { from, node }] of renamed) {
        out.delete(from);
        out.set(to, node);
      }
    }
    return out;
  }

  /** The child at a key (mapping) or index (sequence), following a path of them. */
  child(...path: (string | number)[]): AstNode | undefined {
    let cur: AstNode | undefined = this as AstNode;
    for (const step of path) {
      if (!cur) return undefined;
      cur = typeof step === 'number' ? cur.sliceChild(step) : cur.keyValueMap()?.get(step);
    }
    return cur;
  }

  /**
   * Makes `newKey` resolve to `value` in place of `oldKey` (ct's `ChangeKey`), so that checks on
   * the Ignition output find the CLC node they came from (e.g. `contents.remote.url` read as
   * `contents.source`).
   */
  changeKey(oldKey: string, newKey: string, value: AstNode): void {
    let renamed = this.tree.renames.get(this.node);
    if (!renamed) {
      renamed = new Map();
      this.tree.renames.set(this.node, renamed);
    }
    renamed.set(newKey, { from: oldKey, node: value });
    this.tree.entries.yaml.delete(this.node);
    this.tree.entries.json.delete(this.node);
  }
}

export function snakeToCamel(key: string): string {
  if (!key.includes('_')) return key;
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

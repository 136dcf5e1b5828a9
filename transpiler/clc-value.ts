/**
 * A Container Linux Config given as YAML text, read into a plain value with the transpiler's own
 * go-yaml port (YAML 1.1 as ct reads it: `0644` is octal, `yes` is true), so that it can be merged
 * with other configs and handed back to `transpile` as a typed object.
 */
import type { ContainerLinuxConfig } from './sections';
import { parseDocument, type YamlNode } from './yaml';
import { resolve } from './yaml/resolve';

/**
 * The first YAML document of `text` as a plain object, scalars resolved as ct's YAML reader
 * resolves them (an empty document is `{}`). Throws the YAML syntax error go-yaml reports, or an
 * Error when the document is not a mapping. Nothing is checked against the CLC schema here.
 */
export function clcValueFromText(text: string): ContainerLinuxConfig {
  const document = parseDocument(text, 'v2');
  const root = document?.children[0];
  const value = root ? valueOf(root) : null;
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('a Container Linux Config must be a YAML mapping');
  return value as ContainerLinuxConfig;
}

function valueOf(node: YamlNode): unknown {
  if (node.kind === 'alias' && node.alias) return valueOf(node.alias);
  if (node.kind === 'sequence') return node.children.map(valueOf);
  if (node.kind === 'mapping') {
    const entries: [string, unknown][] = [];
    for (let i = 0; i < node.children.length; i += 2) entries.push([String(valueOf(node.children[i])), valueOf(node.children[i + 1])]);
    return Object.fromEntries(entries);
  }
  const resolved = resolve(node.tag, node.value, 'v2');
  // integers come as Go integers already: a number while safe, an exact bigint beyond 2^53
  return resolved.kind === 'null' ? null : resolved.value;
}

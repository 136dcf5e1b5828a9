/** YAML paths of nodes, for diagnostics raised where no path is tracked (the decoder's refusals). */
import type { YamlNode } from './node';

/**
 * The path of `target` under `root`, as the validator writes paths (`storage.files[0].mode`;
 * a mapping key has its entry's path), without following aliases; '' for the root or when absent.
 * A walk of the whole tree: only for an error that ends the parse.
 */
export function nodePath(root: YamlNode, target: YamlNode): string {
  const stack: { node: YamlNode; path: string }[] = [{ node: root, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: YamlNode; path: string };
    if (node === target) return path;
    const c = node.children;
    if (node.kind === 'mapping') {
      for (let i = 0; i + 1 < c.length; i += 2) {
        const step = path ? `${path}.${c[i].value}` : c[i].value;
        stack.push({ node: c[i], path: step }, { node: c[i + 1], path: step });
      }
    } else if (node.kind === 'sequence') {
      for (let i = 0; i < c.length; i++) stack.push({ node: c[i], path: `${path}[${i}]` });
    } else if (node.kind === 'document' && c.length > 0) {
      stack.push({ node: c[0], path: '' });
    }
  }
  return '';
}

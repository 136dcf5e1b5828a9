/** Builds a node tree from a plain JS value, for configs given as typed objects instead of YAML text. */
import { failf } from './errors';
import type { YamlNode } from './node';
import { plainTag } from './resolve';
import { MAX_DEPTH } from './scanner';
import { startYamlWork } from './work';

function scalar(tag: string, value: string, style: 'plain' | 'double'): YamlNode {
  return { kind: 'scalar', line: 0, column: 0, tag, value, style, flow: false, anchor: '', children: [] };
}

function collection(kind: 'sequence' | 'mapping', children: YamlNode[]): YamlNode {
  const tag = kind === 'sequence' ? '!!seq' : '!!map';
  return { kind, line: 0, column: 0, tag, value: '', style: 'plain', flow: false, anchor: '', children };
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  return Number.isInteger(n) && Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

function scalarNode(value: unknown): YamlNode {
  if (value === null || value === undefined) return scalar('!!null', 'null', 'plain');
  switch (typeof value) {
    case 'string':
      // Double-quoted, so that `yes` or `0644` stay strings.
      return scalar('!!str', value, 'double');
    case 'boolean':
      return scalar('!!bool', String(value), 'plain');
    case 'number':
    case 'bigint': {
      // The digits a reader sees, read as YAML text would be: an integer past uint64 is a float.
      const text = typeof value === 'number' ? numberText(value) : value.toString();
      return scalar(plainTag(text, 'v3'), text, 'plain');
    }
    default:
      // functions and symbols: a config error for the caller, not a crash
      return failf(`cannot represent a ${typeof value} as YAML`);
  }
}

/** A collection being built: its pending members (map keys and values alternate) and finished nodes. */
interface Frame {
  readonly source: object;
  readonly kind: 'sequence' | 'mapping';
  readonly members: unknown[];
  readonly children: YamlNode[];
}

function openFrame(source: object, onPath: Set<object>): Frame {
  if (onPath.has(source)) failf('cannot represent a cyclic value as YAML');
  // the same limit as text input, so that the phases after this one stay within the stack
  if (onPath.size >= MAX_DEPTH) failf(`exceeded max depth of ${MAX_DEPTH}`);
  onPath.add(source);
  if (Array.isArray(source)) return { source, kind: 'sequence', members: [...(source as unknown[])], children: [] };
  const members: unknown[] = [];
  for (const key of Object.keys(source)) members.push(key, (source as Record<string, unknown>)[key]);
  return { source, kind: 'mapping', members, children: [] };
}

/** Iterative, so that deep values cannot overflow the JS stack. */
function build(value: unknown): YamlNode {
  if (value === null || typeof value !== 'object') return scalarNode(value);
  const onPath = new Set<object>();
  const path: Frame[] = [openFrame(value, onPath)];
  for (;;) {
    const top = path[path.length - 1];
    if (top.children.length < top.members.length) {
      const next = top.members[top.children.length];
      if (next !== null && typeof next === 'object') path.push(openFrame(next, onPath));
      else top.children.push(scalarNode(next));
      continue;
    }
    path.pop();
    onPath.delete(top.source);
    const node = collection(top.kind, top.children);
    if (path.length === 0) return node;
    path[path.length - 1].children.push(node);
  }
}

/**
 * A document node (positions unknown: line and column 0) whose root mirrors `value`. Throws
 * YamlError for values YAML cannot hold: functions, symbols, cycles, nesting beyond MAX_DEPTH.
 */
export function nodeFromValue(value: unknown): YamlNode {
  // a typed config is a transpile of its own: its work count starts here, even if building fails
  startYamlWork();
  const root = build(value);
  return { kind: 'document', line: 0, column: 0, tag: '', value: '', style: 'plain', flow: false, anchor: '', children: [root] };
}

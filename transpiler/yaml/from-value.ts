/** Builds a node tree from a plain JS value, for configs given as typed objects instead of YAML text. */
import type { YamlNode } from './node';

function scalar(tag: string, value: string, style: 'plain' | 'double'): YamlNode {
  return { kind: 'scalar', line: 0, column: 0, tag, value, style, flow: false, anchor: '', children: [] };
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  return Number.isInteger(n) && Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

function build(value: unknown): YamlNode {
  if (value === null || value === undefined) return scalar('!!null', 'null', 'plain');
  switch (typeof value) {
    case 'string':
      // Double-quoted, so that `yes` or `0644` stay strings.
      return scalar('!!str', value, 'double');
    case 'boolean':
      return scalar('!!bool', String(value), 'plain');
    case 'number':
      return scalar(Number.isInteger(value) ? '!!int' : '!!float', numberText(value), 'plain');
    case 'bigint':
      return scalar('!!int', value.toString(), 'plain');
  }
  if (Array.isArray(value)) {
    return { kind: 'sequence', line: 0, column: 0, tag: '!!seq', value: '', style: 'plain', flow: false, anchor: '', children: value.map(build) };
  }
  if (typeof value === 'object') {
    const children: YamlNode[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) children.push(build(k), build(v));
    return { kind: 'mapping', line: 0, column: 0, tag: '!!map', value: '', style: 'plain', flow: false, anchor: '', children };
  }
  throw new TypeError(`cannot represent a ${typeof value} as YAML`);
}

/** A document node (positions unknown: line and column 0) whose root mirrors `value`. */
export function nodeFromValue(value: unknown): YamlNode {
  return { kind: 'document', line: 0, column: 0, tag: '', value: '', style: 'plain', flow: false, anchor: '', children: [build(value)] };
}

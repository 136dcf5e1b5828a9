/**
 * Writes a YamlModel as YAML text with randomly varied surface syntax (block or flow collections,
 * plain, quoted or literal scalars, odd indentation), then optionally damages the text (tabs,
 * stray indicators, `%` sequences, truncation) the way hand-edited configs go wrong.
 */
import { Rng, type YamlModel } from './clc-model';

/** Text that stays one plain scalar (it may still resolve to a number or a bool). */
const PLAIN_SAFE = /^[A-Za-z0-9/$.+_][^:#\n\t]*$/;

function quoted(text: string, rng: Rng): string {
  switch (rng.int(12)) {
    case 0:
      return `'${text.replace(/'/g, "''")}'`;
    case 1:
      return JSON.stringify(text);
    case 2:
      // plain even where YAML forbids it: what the scanner then trips over is part of the test
      return text.includes('\n') ? JSON.stringify(text) : text;
    default:
      return PLAIN_SAFE.test(text) ? text : JSON.stringify(text);
  }
}

function props(node: YamlModel): string {
  return 'anchor' in node && node.anchor ? `&${node.anchor} ` : '';
}

function flow(node: YamlModel, rng: Rng): string {
  switch (node.kind) {
    case 'alias':
    case 'merge':
      return `*${node.name}`;
    case 'scalar':
      return props(node) + (node.plain ? node.text : JSON.stringify(node.text));
    case 'seq':
      return `${props(node)}[${node.items.map((item) => flow(item, rng)).join(', ')}]`;
    case 'map':
      return `${props(node)}{${node.entries.map(([k, v]) => `${k === '<<' ? k : JSON.stringify(k)}: ${flow(v, rng)}`).join(', ')}}`;
  }
}

/** The value after `key:` or `-`: inline text, or a newline and an indented block. */
function blockValue(node: YamlModel, indent: number, rng: Rng): string {
  if (node.kind === 'alias' || node.kind === 'merge') return ` *${node.name}\n`;
  if (node.kind === 'scalar') {
    if (node.text.includes('\n') && rng.chance(0.5)) {
      const pad = ' '.repeat(indent + 2);
      return ` ${props(node)}|\n${node.text.split('\n').map((l) => pad + l).join('\n')}\n`;
    }
    return ` ${props(node)}${node.plain ? node.text : quoted(node.text, rng)}\n`;
  }
  if (rng.chance(0.15)) return ` ${flow(node, rng)}\n`;
  const empty = node.kind === 'seq' ? node.items.length === 0 : node.entries.length === 0;
  if (empty) return ` ${props(node)}${node.kind === 'seq' ? '[]' : '{}'}\n`;
  // usually two spaces deeper; sometimes one, or four
  const step = rng.chance(0.9) ? 2 : rng.pick([1, 4]);
  return ` ${props(node)}`.trimEnd() + '\n' + block(node, indent + step, rng);
}

function block(node: YamlModel, indent: number, rng: Rng): string {
  const pad = ' '.repeat(indent);
  if (node.kind === 'seq') return node.items.map((item) => `${pad}-${blockValue(item, indent, rng)}`).join('');
  if (node.kind === 'map') {
    return node.entries.map(([k, v]) => `${pad}${k === '<<' ? k : quoted(k, rng)}:${blockValue(v, indent, rng)}`).join('');
  }
  return pad + blockValue(node, indent, rng).trimStart();
}

export function emitYaml(node: YamlModel, rng: Rng): string {
  return rng.chance(0.1) ? flow(node, rng) + '\n' : block(node, 0, rng);
}

const DAMAGE = ['\t', '  ', ' ', ':', '- ', '%', '%d', '%!', '&x ', '*x', '<<: *x\n', '"', "'", '\n', '#', '{', ']', '\ufeff', '\r'];

/** A few random insertions, deletions or truncations. */
export function damage(text: string, rng: Rng): string {
  let out = text;
  const edits = 1 + rng.int(3);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = rng.int(out.length);
    switch (rng.int(4)) {
      case 0:
        out = out.slice(0, at) + rng.pick(DAMAGE) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + rng.int(4));
        break;
      case 2: {
        // re-indent one line with a tab or an odd number of spaces
        const lineStart = out.lastIndexOf('\n', at) + 1;
        out = out.slice(0, lineStart) + rng.pick(['\t', ' ', '   ']) + out.slice(lineStart);
        break;
      }
      default:
        out = out.slice(0, at);
    }
  }
  return out;
}

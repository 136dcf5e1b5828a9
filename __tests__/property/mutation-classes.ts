/**
 * The mutation classes of the differential campaign against the real `ct` binaries (issue 11):
 * byte order marks anywhere, duplicate keys and sections, integers at Go's boundaries, merge-key
 * and alias bombs, nesting past yaml.v3's limit. Each arbitrary yields YAML text.
 */
import fc from 'fast-check';
import type { Dialect } from '../../transpiler/convert';
import { fullDocument, mutate, Rng } from './clc-model';
import { emitYaml } from './yaml-emitter';

const seeds = fc.noBias(fc.integer());
const BOM = '\ufeff';

/** A whole schema document, lightly mutated, as text. */
function documentText(dialect: Dialect, seed: number, rate: number): string {
  const rng = new Rng(seed);
  return emitYaml(mutate(fullDocument(dialect, rng), rng, rate), rng);
}

/** UTF-16 with a byte order mark, as an editor on another system may save a config. */
function utf16(text: string, bigEndian: boolean): Uint8Array {
  const bytes = Buffer.from(BOM + text, 'utf16le');
  if (bigEndian) bytes.swap16();
  return bytes;
}

/** U+FEFF at the start, twice at the start, at the start of a later line, or inside a line; or UTF-16 input. */
export const bomInput = (dialect: Dialect): fc.Arbitrary<string | Uint8Array> =>
  fc.tuple(seeds, fc.constantFrom('start', 'double', 'line', 'inline', 'utf16le', 'utf16be')).map(([seed, where]) => {
    const rng = new Rng(seed);
    const text = documentText(dialect, seed, 0.02);
    const lines = text.split('\n');
    const at = rng.int(lines.length);
    switch (where) {
      case 'start':
        return BOM + text;
      case 'double':
        return BOM + BOM + text;
      case 'line':
        lines[at] = BOM + lines[at];
        return lines.join('\n');
      case 'inline': {
        const column = rng.int(lines[at].length + 1);
        lines[at] = lines[at].slice(0, column) + BOM + lines[at].slice(column);
        return lines.join('\n');
      }
      default:
        return utf16(rng.chance(0.5) ? BOM + text : text, where === 'utf16be');
    }
  });

/** Whole sections, and keys inside them, given twice (ct v0.9.0 decodes every occurrence). */
export const duplicateKeys = fc
  .tuple(
    fc.constantFrom('etcd', 'flannel', 'passwd', 'storage', 'locksmith', 'update', 'docker'),
    fc.constantFrom(
      ['version: 3.3.0', 'version: 3.3.0'],
      ['version: TRUE', 'version: 3.3.0'],
      ['version: 3.3.0', 'version: x'],
      ['name: a', 'name: b'],
      ['discovery: a', 'discovery: b'],
      ['etcd_prefix: /a', 'etcd_prefix: /b'],
      ['reboot_strategy: off', 'reboot_strategy: reboot'],
      ['group: stable', 'group: beta'],
      ['flags: [a]', 'flags: [b]'],
    ),
    fc.boolean(),
  )
  .map(([section, [first, second], sameSection]) =>
    sameSection ? `${section}:\n  ${first}\n  ${second}\n` : `${section}:\n  ${first}\n${section}:\n  ${second}\n`,
  );

const GO_BOUNDARIES = [
  2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n,
  -(2n ** 53n) - 1n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n,
];

/** Integers around 2^53, 2^63 and 2^64, in decimal, hex, octal and with underscores, in every integer field. */
export const boundaryIntegers = fc
  .tuple(fc.constantFrom(...GO_BOUNDARIES), fc.integer({ min: -3, max: 3 }), fc.constantFrom('dec', 'hex', 'oct', 'under', 'plus'))
  .map(([base, delta, form]) => {
    const n = base + BigInt(delta);
    const digits = (n < 0n ? -n : n).toString(form === 'hex' ? 16 : form === 'oct' ? 8 : 10);
    const sign = n < 0n ? '-' : form === 'plus' ? '+' : '';
    const prefix = form === 'hex' ? '0x' : form === 'oct' ? '0o' : '';
    return sign + prefix + (form === 'under' ? digits.replace(/(\d{3})(?=\d)/g, '$1_') : digits);
  })
  .chain((n) =>
    fc.constantFrom(
      `passwd:\n  users:\n    - name: core\n      uid: ${n}\n`,
      `passwd:\n  groups:\n    - name: g\n      gid: ${n}\n`,
      `storage:\n  files:\n    - path: /a\n      filesystem: root\n      mode: ${n}\n      user: {id: ${n}}\n      group: {id: ${n}}\n`,
      `storage:\n  disks:\n    - device: /dev/sda\n      partitions:\n        - number: ${n}\n          size: ${n}\n          start: ${n}\n`,
      `ignition:\n  timeouts:\n    http_total: ${n}\n    http_response_headers: ${n}\n`,
      `etcd:\n  version: 3.3.0\n  heartbeat_interval: ${n}\n  election_timeout: ${n}\n  snapshot_count: ${n}\n`,
      `locksmith:\n  window_start: Mon 04:00\n  window_length: ${n}\n`,
    ),
  );

/** `width` anchors, each merging (or aliasing) the previous one `width` times: work that doubles per level. */
export const aliasBomb = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 9 }), fc.constantFrom('merge', 'seq', 'flow'), fc.constantFrom('x-bomb', 'storage', 'passwd'))
  .map(([levels, width, shape, key]) => {
    let text = `a0: &a0 {k: v}\n`;
    for (let l = 1; l <= levels; l++) {
      const refs = Array.from({ length: width }, () => `*a${l - 1}`);
      if (shape === 'merge') text += `a${l}: &a${l}\n${refs.map((r) => `  <<: ${r}`).join('\n')}\n`;
      else if (shape === 'seq') text += `a${l}: &a${l}\n${refs.map((r) => `  - ${r}`).join('\n')}\n`;
      else text += `a${l}: &a${l} [${refs.join(', ')}]\n`;
    }
    return `${text}${key}: *a${levels}\n`;
  });

/** Nesting at and past yaml.v3's limit of 10,000 levels, flow or block. */
export const deepPastLimit = fc
  .tuple(fc.integer({ min: 9_990, max: 10_010 }), fc.constantFrom('[', '{k: ', '- '))
  .map(([depth, open]) => {
    if (open === '- ') return `x:\n${open.repeat(depth)}1\n`;
    const close = open === '[' ? ']' : '}';
    return `x: ${open.repeat(depth)}1${close.repeat(depth)}\n`;
  });

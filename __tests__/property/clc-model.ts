/**
 * A loose YAML document model for the robustness property: documents built from the real CLC
 * schema (every field present), then mutated into wrong kinds, dropped and duplicated keys,
 * anchors, aliases and merge keys. Driven by a seeded PRNG so one integer reproduces a document.
 */
import type { Dialect } from '../../transpiler/convert';
import type { GoType, StructDef } from '../../transpiler/schema';
import { configDef } from '../../transpiler/sections/config';

export type YamlModel =
  | { readonly kind: 'scalar'; readonly text: string; readonly plain?: boolean; anchor?: string }
  | { readonly kind: 'seq'; readonly items: YamlModel[]; anchor?: string }
  | { readonly kind: 'map'; readonly entries: [string, YamlModel][]; anchor?: string }
  | { readonly kind: 'alias'; readonly name: string }
  | { readonly kind: 'merge'; readonly name: string };

/** mulberry32: small, fast and good enough to pick among choices (state kept as an int32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }
  next(): number {
    const s = (this.state = (this.state + 0x6d2b79f5) | 0);
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Plausible values, so that mutated documents also reach the translators and Ignition's checks. */
const STRING_VALUES = [
  '/etc/hosts', 'etc/relative', '/dev/sda', '/dev/disk/by-label/ROOT', 'ROOT', 'ext4', 'xfs', 'swap', 'vfat', 'raid1',
  'data:,hello', 'data:;base64,aGk=', 'data:text/plain;charset=utf-8,%E2%82%AC', 'https://example.com/config.ign',
  'http://[::1', 'tftp://host/x', 's3://bucket/key', 'sha512-0123abcd', 'sha256-00', 'core', 'root', 'docker',
  'ssh-rsa AAAAB3Nza test@host', '$6$salt$hash', 'foo.service', 'bar.mount', '10-x.conf', '00-eth0.network',
  '[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n', '[Service\n', 'enable', '3.3.0', '3.0.0', '2.3.7',
  '3.5.0', '0.7.1', '0.6.0', '9.9', 'v3', 'stable', 'beta', 'alpha', 'reboot', 'etcd-lock', 'off', 'best-effort',
  'Mon 04:00', 'Thu,Fri 23:00', '1h', '30m', '{PRIVATE_IPV4}', '{PUBLIC_IPV4}', '{HOSTNAME}', 'http://{PRIVATE_IPV4}:2379',
  '10.0.0.0/16', '--selinux-enabled', '100%', '%s %d %!x %', 'ünïcödé ✓', '', ' ', 'a"b\'c', 'line1\nline2',
];

const NUMBER_TEXTS = [
  '0', '1', '-1', '420', '0644', '0o644', '0x1A4', '0b101', '1_000', '9223372036854775807', '9223372036854775808',
  '-9223372036854775809', '18446744073709551616', '123456789012345678901234567890', '1e3', '1.5', '-0.0', '6.02e+23',
  '1e400', '.inf', '-.Inf', '.nan', '0x', '0o9', '4294967296', '+12',
];

/** Scalars of every YAML kind, written plain; the emitter may quote them. */
const ODD_SCALARS = [
  '~', 'null', 'Null', 'true', 'False', 'yes', 'NO', 'on', 'y', 'tRuE', '2001-12-14t21:59:43.10-05:00', '2002-12-14',
  '!!binary aGVsbG8=', '!!str 12', '!!int x', '!!float "1"', '!!map', '!!seq', '!custom v', '!!bool maybe', '<<', '=',
  '-', '?', ':', '- -', '&', '*', '*nope', '&a', '"unterminated', "'also", '|', '>', '@at', '`tick', '#', '%YAML',
  '%!s(MISSING)', '\t', 'a\tb', '\u0000', '\u0085', '\ufeff', '\ud83d\ude00', '\ud800',
];

/** Keys whose values must parse as something specific; mostly right, so documents get further. */
const VALUES_BY_KEY: Readonly<Record<string, readonly string[]>> = {
  version: ['3.3.0', '3.0.0', '3.1.0', '3.2.0', '3.5.0', '2.3.7', '0.7.1', '0.6.0', '0.0.0'],
  path: ['/etc/hosts', '/opt/bin/x', '/', 'relative', '/a/../b'],
  filesystem: ['root', 'oem', 'missing'],
  name: ['foo.service', 'bar.mount', '00-eth0.network', 'core', 'ROOT', 'md0'],
  source: ['https://example.com/x.ign', 'data:,x', 'http://[::1'],
  format: ['ext4', 'xfs', 'swap', 'vfat', 'btrfs', 'zfs'],
  level: ['raid0', 'raid1', 'raid5', 'linear'],
  reboot_strategy: ['reboot', 'etcd-lock', 'off', 'best-effort', 'no'],
  group: ['stable', 'beta', 'core', '1000'],
};

export function scalarFor(type: GoType, rng: Rng, key = ''): YamlModel {
  const byKey = VALUES_BY_KEY[key];
  if (byKey && type.kind === 'string' && rng.chance(0.85)) return { kind: 'scalar', text: rng.pick(byKey) };
  switch (type.kind) {
    case 'int':
    case 'uint':
      return { kind: 'scalar', text: rng.chance(0.9) ? String(rng.int(1000)) : rng.pick(NUMBER_TEXTS), plain: true };
    case 'bool':
      return { kind: 'scalar', text: rng.pick(['true', 'false', 'yes', 'off']), plain: true };
    default:
      return { kind: 'scalar', text: rng.pick(STRING_VALUES) };
  }
}

/** A value of `type` with every struct field present (slices get one or two items). */
function valueFor(type: GoType, rng: Rng, depth: number, key: string): YamlModel {
  switch (type.kind) {
    case 'ptr':
    case 'named':
      return valueFor(type.elem, rng, depth, key);
    case 'slice': {
      const count = depth > 6 ? 0 : rng.chance(0.75) ? 1 : 2;
      return { kind: 'seq', items: Array.from({ length: count }, () => valueFor(type.elem, rng, depth + 1, key)) };
    }
    case 'struct':
      return structValue(type.def, rng, depth + 1);
    default:
      return scalarFor(type, rng, key);
  }
}

function structValue(def: StructDef, rng: Rng, depth: number): YamlModel {
  const entries: [string, YamlModel][] = def.fields.map((f) => [f.key, valueFor(f.type, rng, depth, f.key)]);
  const embedded = embeddedDef(def, entries);
  if (embedded) for (const f of embedded.fields) entries.push([f.key, valueFor(f.type, rng, depth, f.key)]);
  return { kind: 'map', entries };
}

/** The version-dependent option struct (etcd, flannel), chosen from the generated `version`. */
function embeddedDef(def: StructDef, entries: [string, YamlModel][]): StructDef | undefined {
  if (!def.embedded) return undefined;
  const fixed: Record<string, unknown> = {};
  for (const [key, value] of entries) fixed[key] = value.kind === 'scalar' ? value.text : undefined;
  try {
    return def.embedded(fixed);
  } catch {
    return undefined; // an unparsable version: no options, like ct
  }
}

/** A complete CLC document for the dialect. */
export function fullDocument(dialect: Dialect, rng: Rng): YamlModel {
  return structValue(configDef(dialect), rng, 0);
}

/** Any value of another YAML kind than it should be. */
function wrongValue(rng: Rng, anchors: string[]): YamlModel {
  switch (rng.int(6)) {
    case 0:
      return { kind: 'scalar', text: rng.pick(NUMBER_TEXTS), plain: rng.chance(0.8) };
    case 1:
      return { kind: 'scalar', text: rng.pick(ODD_SCALARS), plain: rng.chance(0.5) };
    case 2:
      return { kind: 'seq', items: rng.chance(0.5) ? [] : [{ kind: 'scalar', text: rng.pick(STRING_VALUES) }] };
    case 3:
      return { kind: 'map', entries: rng.chance(0.5) ? [] : [[rng.pick(['x', 'name', 'path', '1']), { kind: 'scalar', text: 'v' }]] };
    case 4:
      return anchors.length > 0 ? { kind: 'alias', name: rng.pick(anchors) } : { kind: 'scalar', text: '*undefined' };
    default:
      return { kind: 'scalar', text: rng.pick(STRING_VALUES) };
  }
}

/** Mutates in place with probability `rate` per node: wrong kinds, dropped/duplicated keys, anchors, merges. */
export function mutate(node: YamlModel, rng: Rng, rate: number, anchors: string[] = []): YamlModel {
  if (node.kind === 'alias' || node.kind === 'merge') return node;
  if (rng.chance(rate / 3)) return wrongValue(rng, anchors);
  if (rng.chance(rate / 4)) {
    node.anchor = `a${anchors.length}`;
    anchors.push(node.anchor);
  }
  if (node.kind === 'seq') {
    for (let i = 0; i < node.items.length; i++) node.items[i] = mutate(node.items[i], rng, rate, anchors);
    if (rng.chance(rate / 4)) node.items.push(wrongValue(rng, anchors));
  } else if (node.kind === 'map') {
    for (const entry of node.entries) entry[1] = mutate(entry[1], rng, rate, anchors);
    if (node.entries.length > 0 && rng.chance(rate)) node.entries.splice(rng.int(node.entries.length), 1);
    if (node.entries.length > 0 && rng.chance(rate / 3)) node.entries.push(rng.pick(node.entries));
    if (anchors.length > 0 && rng.chance(rate / 4)) node.entries.push(['<<', { kind: 'merge', name: rng.pick(anchors) }]);
    if (rng.chance(rate / 5)) node.entries.push([rng.pick(ODD_SCALARS), wrongValue(rng, anchors)]);
  }
  return node;
}

/** The model as a JS value, as a TypeScript caller would pass it (aliases resolve to their targets). */
export function toJsValue(node: YamlModel, rng: Rng, wrongRate: number, anchors = new Map<string, unknown>()): unknown {
  let value: unknown;
  switch (node.kind) {
    case 'alias':
    case 'merge':
      return anchors.get(node.name) ?? null;
    case 'scalar':
      value = rng.chance(wrongRate) ? rng.pick(WRONG_JS_VALUES)() : jsScalar(node.text);
      break;
    case 'seq':
      value = node.items.map((item) => toJsValue(item, rng, wrongRate, anchors));
      break;
    case 'map':
      value = Object.fromEntries(node.entries.map(([k, v]) => [k, toJsValue(v, rng, wrongRate, anchors)]));
      break;
  }
  if (node.anchor) anchors.set(node.anchor, value);
  return value;
}

/** JS values of the wrong type for any field: what untyped JS callers can pass. */
const WRONG_JS_VALUES: readonly (() => unknown)[] = [
  () => 12n ** 30n,
  () => NaN,
  () => -Infinity,
  () => -0,
  () => 2 ** 64,
  () => 1e-300,
  () => undefined,
  () => null,
  () => [[[]]],
  () => new Date(0),
  () => new Map([['a', 1]]),
  () => Symbol('s'),
  () => () => 1,
  () => Object.create(null) as unknown,
  () => new Uint8Array([1, 2]),
  () => ({ length: 2, 0: 'a' }),
];

function jsScalar(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

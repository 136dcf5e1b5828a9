/** fast-check arbitraries for the transpile robustness property: every kind of hostile input. */
import fc from 'fast-check';
import type { Dialect } from '../../transpiler/convert';
import { fullDocument, mutate, Rng, toJsValue } from './clc-model';
import { damage, emitYaml } from './yaml-emitter';

export type RobustnessInput = string | Uint8Array | Record<string, unknown>;

const seeds = fc.noBias(fc.integer());
/** Often no mutation at all, so that whole documents reach the translators and Ignition's checks. */
const mutationRate = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true }));

/** A complete schema document, mutated at `rate`, as text; damaged as text in a third of the cases. */
const schemaText = (dialect: Dialect): fc.Arbitrary<string> =>
  fc.tuple(seeds, mutationRate).map(([seed, rate]) => {
    const rng = new Rng(seed);
    const text = emitYaml(mutate(fullDocument(dialect, rng), rng, rate), rng);
    return rng.chance(0.33) ? damage(text, rng) : text;
  });

/** The same documents as typed objects, with wrong JS types sprinkled in. */
const schemaObject = (dialect: Dialect): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(seeds, mutationRate).map(([seed, rate]) => {
    const rng = new Rng(seed);
    const wrongJsRate = rng.chance(0.5) ? 0 : 0.01;
    const value = toJsValue(mutate(fullDocument(dialect, rng), rng, rate), rng, wrongJsRate);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  });

/** Hundreds of levels of block mappings, block sequences or flow collections, under a real key or not. */
const deepNesting = fc
  .tuple(fc.integer({ min: 50, max: 400 }), fc.constantFrom('block-map', 'block-seq', 'flow-seq', 'flow-map', 'mixed'), fc.constantFrom('', 'storage:\n  files:', 'x-unknown:', 'systemd:'))
  .map(([depth, shape, prefix]) => {
    const open = (i: number): string => {
      switch (shape) {
        case 'block-map':
          return `\n${' '.repeat(i + 2)}k:`;
        case 'block-seq':
          return `\n${' '.repeat(i + 2)}-`;
        case 'flow-seq':
          return '[';
        case 'flow-map':
          return '{k: ';
        default:
          return i % 2 === 0 ? '[' : '{k: ';
      }
    };
    const close = (i: number): string => (shape === 'flow-seq' || (shape === 'mixed' && i % 2 === 0) ? ']' : shape.startsWith('flow') || shape === 'mixed' ? '}' : '');
    let text = prefix;
    for (let i = 0; i < depth; i++) text += open(i);
    text += ' 1';
    for (let i = depth - 1; i >= 0; i--) text += close(i);
    return text + '\n';
  });

/** Integers beyond int64, long digit strings, floats and exponents, in number-typed and string-typed fields. */
const hugeNumber = fc.oneof(
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map(String),
  fc.stringMatching(/^[-+]?[0-9]{15,400}$/),
  fc.double().map(String),
  fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -5000, max: 5000 })).map(([m, e]) => `${m}e${e}`),
  fc.stringMatching(/^0[xob][0-9a-fA-F_]{1,80}$/),
);
const NUMBER_SLOTS = [
  (n: string) => `passwd:\n  groups:\n    - name: g\n      gid: ${n}\n`,
  (n: string) => `passwd:\n  users:\n    - name: u\n      create:\n        uid: ${n}\n`,
  (n: string) => `storage:\n  files:\n    - path: /a\n      filesystem: root\n      mode: ${n}\n      user:\n        id: ${n}\n`,
  (n: string) => `storage:\n  disks:\n    - device: /dev/sda\n      partitions:\n        - size: ${n}\n          start: ${n}\n          number: ${n}\n`,
  (n: string) => `ignition:\n  timeouts:\n    http_response_headers: ${n}\n    http_total: ${n}\n`,
  (n: string) => `etcd:\n  version: ${n}\n  heartbeat_interval: ${n}\n`,
  (n: string) => `flannel:\n  version: ${n}\n`,
  (n: string) => `version: ${n}\n`,
  (n: string) => `systemd:\n  units:\n    - name: ${n}\n`,
];
const numberDocument = fc.tuple(fc.constantFrom(...NUMBER_SLOTS), hugeNumber).map(([slot, n]) => slot(n));

/**
 * Random unicode text, lone surrogates and controls included. Built from code points because
 * fast-check's `binary` unit costs seconds of set-up per test file.
 */
const anyCodePoints = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff })), { maxLength: 300 })
  .map((cps) => String.fromCodePoint(...cps));

/** Remote file contents reached through anchors, aliases and merge keys: ct's one crash (docs/ct.md §9). */
const aliasedRemote = fc
  .tuple(
    fc.constantFrom(
      'contents: *c',
      'contents:\n        remote: *r',
      'contents:\n        <<: *c',
      'contents:\n        remote:\n          <<: *r',
      'contents:\n        remote:\n          url: *u',
      'contents: {inline: x, <<: *c}',
    ),
    fc.constantFrom('https://example.com/a', 'http://[::1', 'data:,x', '', 'ftp://x/y'),
  )
  .map(
    ([contents, url]) =>
      `x-anchors:\n  - &u ${JSON.stringify(url)}\n  - &r {url: *u}\n  - &c {remote: *r}\n` +
      `storage:\n  files:\n    - path: /a\n      filesystem: root\n      ${contents}\n`,
  );

/** Any hostile input for `dialect`. */
export function robustnessInput(dialect: Dialect): fc.Arbitrary<RobustnessInput> {
  return fc.oneof(
    { weight: 5, arbitrary: schemaText(dialect) },
    { weight: 2, arbitrary: schemaObject(dialect) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: anyCodePoints },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...' \t\n-:[]{}?&*!|>\'"%@`#,abc0'.split('')), maxLength: 200 }) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: numberDocument },
    { weight: 1, arbitrary: aliasedRemote },
  );
}

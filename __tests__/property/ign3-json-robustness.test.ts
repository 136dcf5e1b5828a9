/**
 * `translateToV33` on hostile 2.x JSON: the ct corpus' 2.x outputs, mutated the ways the
 * differential campaign did (retyped values, case-folded and duplicated keys, null elements, huge
 * integers, lone surrogates, odd version strings, truncation). Every input must end in a result or
 * an Ign3TranslationError, promptly: anything else thrown is a bug.
 */
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ign3TranslationError, translateToV33 } from '../../transpiler/ign3';

const SEED = Number(process.env.CT_PROPERTY_SEED ?? 20261203);
const ctRoot = join(__dirname, '..', 'conformance', 'ct');

/** The corpus' 2.x documents (both dialects' outputs), parsed. */
const corpus: unknown[] = readdirSync(ctRoot)
  .flatMap((name) => ['expected.ign', 'expected.flatcar.ign'].map((f) => join(ctRoot, name, f)))
  .filter((path) => existsSync(path) && readFileSync(path).length > 0)
  .map((path) => JSON.parse(readFileSync(path, 'utf8')) as unknown);

/** A JSON value as text, with the mutations JSON.stringify cannot express (duplicate keys, raw literals). */
type Doc = { kind: 'raw'; text: string } | { kind: 'object'; members: [string, Doc][] } | { kind: 'array'; items: Doc[] };

function toDoc(v: unknown): Doc {
  if (Array.isArray(v)) return { kind: 'array', items: v.map(toDoc) };
  if (v !== null && typeof v === 'object') return { kind: 'object', members: Object.entries(v).map(([k, x]) => [k, toDoc(x)]) };
  return { kind: 'raw', text: JSON.stringify(v) };
}

function render(d: Doc): string {
  if (d.kind === 'raw') return d.text;
  if (d.kind === 'array') return `[${d.items.map(render).join(',')}]`;
  return `{${d.members.map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`).join(',')}}`;
}

const REPLACEMENTS = [
  'null', '0', '-1', '1.0', '1e3', '0.5', 'true', 'false', '""', '"x"', '[]', '{}', '[null]', '[[]]',
  '9007199254740993', '-9223372036854775808', '9223372036854775808', '18446744073709551615', '1' + '0'.repeat(40),
  '"\\ud800"', '"a\\udc00\\ud83d\\ude00"', '"\\u0000"', '"2.3.0-experimental"', '"02.2.0"', '"2.2"', '"2.5.0"',
  '"1.0.0"', '"2.0.0"', '"2.1.0"', '"3.0.0"', '"2.4.0"', '"2.3.0+x"', '"s3://b/k?versionId="', '"data:,x"', '"relative"',
];
const VERSIONS = ['"2.0.0"', '"2.1.0"', '"2.2.0"', '"2.3.0"', '"2.4.0"', '"2.3.0-experimental"', '"02.2.0"', '""', '2', 'null'];

/** Applies one mutation at a node picked by `pick` (a walk of the tree in document order). */
function mutate(doc: Doc, choice: number, pick: number): Doc {
  let n = pick;
  const visit = (d: Doc): Doc => {
    if (n-- === 0) return apply(d, choice);
    if (d.kind === 'array') return { ...d, items: d.items.map(visit) };
    if (d.kind === 'object') return { ...d, members: d.members.map(([k, v]) => [k, visit(v)] as [string, Doc]) };
    return d;
  };
  return visit(doc);
}

function apply(d: Doc, choice: number): Doc {
  switch (choice % 6) {
    case 0:
      return { kind: 'raw', text: REPLACEMENTS[choice % REPLACEMENTS.length] };
    case 1:
      // case-fold keys (and a Kelvin sign for k)
      return d.kind === 'object' ? { ...d, members: d.members.map(([k, v]) => [choice % 2 ? k.toUpperCase() : k.replace(/k/g, '\u212a'), v]) } : d;
    case 2:
      // duplicate the first member with a replaced value
      return d.kind === 'object' && d.members.length > 0 ? { ...d, members: [...d.members, [d.members[0][0], { kind: 'raw', text: REPLACEMENTS[choice % REPLACEMENTS.length] }]] } : d;
    case 3:
      return d.kind === 'array' ? { ...d, items: [...d.items, { kind: 'raw', text: 'null' }] } : d;
    case 4:
      return { kind: 'raw', text: VERSIONS[choice % VERSIONS.length] };
    default:
      return d.kind === 'object' ? { ...d, members: d.members.filter((_, i) => i !== choice % d.members.length) } : d;
  }
}

function translateOutcome(text: string | Uint8Array): 'ok' | 'refused' {
  try {
    translateToV33(text);
    return 'ok';
  } catch (err) {
    if (err instanceof Ign3TranslationError) return 'refused';
    throw err;
  }
}

describe('translateToV33 never crashes on mutated 2.x JSON', () => {
  test('corpus documents with up to three mutations', () => {
    fc.assert(
      fc.property(
        fc.nat(corpus.length - 1),
        fc.array(fc.tuple(fc.nat(1000), fc.nat(400)), { minLength: 1, maxLength: 3 }),
        fc.nat(3),
        (index, mutations, cut) => {
          let doc = toDoc(corpus[index]);
          for (const [choice, pick] of mutations) doc = mutate(doc, choice, pick);
          let text = render(doc);
          if (cut === 0) text = text.slice(0, Math.floor(text.length / 2));
          const started = process.hrtime.bigint();
          translateOutcome(text);
          translateOutcome(Buffer.from(text, 'utf8'));
          expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
        },
      ),
      { seed: SEED, numRuns: 1500 },
    );
  });

  test('every integer field of 2.3 and 2.2 at int64 extremes', () => {
    const bigs = ['9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808', '0', '-1'];
    const docs = (n: string): string[] => [
      `{"ignition":{"version":"2.3.0","timeouts":{"httpTotal":${n},"httpResponseHeaders":${n}}}}`,
      `{"ignition":{"version":"2.3.0"},"passwd":{"users":[{"name":"u","uid":${n},"create":{"uid":${n}}}],"groups":[{"name":"g","gid":${n}}]}}`,
      `{"ignition":{"version":"2.3.0"},"storage":{"files":[{"filesystem":"root","path":"/f","mode":${n},"user":{"id":${n}},"group":{"id":${n}}}],"directories":[{"filesystem":"root","path":"/d","mode":${n}}]}}`,
      `{"ignition":{"version":"2.3.0"},"storage":{"raid":[{"name":"md","level":"raid1","devices":["/dev/a"],"spares":${n}}]}}`,
      `{"ignition":{"version":"2.3.0"},"storage":{"disks":[{"device":"/dev/a","partitions":[{"number":${n},"sizeMiB":${n},"startMiB":${n}},{"number":2,"size":${n},"start":${n}}]}]}}`,
      `{"ignition":{"version":"2.2.0"},"storage":{"disks":[{"device":"/dev/a","partitions":[{"number":${n},"size":${n},"start":${n}},{"number":1,"size":${n},"start":2048}]}]}}`,
    ];
    for (const n of bigs) for (const doc of docs(n)) expect(['ok', 'refused']).toContain(translateOutcome(doc));
  });

  test('raw bytes: invalid UTF-8 inside strings, BOMs, deep nesting', () => {
    const bad = [Buffer.from([0x22, 0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80, 0x22])];
    const inputs: Uint8Array[] = [
      Buffer.concat([Buffer.from('{"ignition":{"version":"2.3.0"},"systemd":{"units":[{"name":"a.service","contents":'), bad[0], Buffer.from('}]}}')]),
      Buffer.from('\ufeff{"ignition":{"version":"2.3.0"}}'),
      Buffer.from('['.repeat(10001) + ']'.repeat(10001)),
      Buffer.from('{"a":'.repeat(9999) + '1' + '}'.repeat(9999)),
    ];
    for (const input of inputs) expect(['ok', 'refused']).toContain(translateOutcome(input));
  });
});

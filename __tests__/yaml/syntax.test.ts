/** Syntax and reader errors: go-yaml's wording, and the line each fork prints (docs/ct.md §9). */
import { decode, parseDocument, type YamlFlavor } from '../../transpiler/yaml';
import { str, struct, field } from '../../transpiler/schema';

function parseError(input: string | Uint8Array, flavor: YamlFlavor): string | undefined {
  try {
    parseDocument(input, flavor);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** [input, v2 message, v3 message]; undefined = parses. */
const cases: [string, string | Uint8Array, string | undefined, string | undefined][] = [
  ['tab indentation', 'passwd:\n\tusers: []\n', 'yaml: line 1: found character that cannot start any token', 'yaml: line 2: found character that cannot start any token'],
  ['tab on the first line', '\tx: 1\n', 'yaml: found character that cannot start any token', 'yaml: found character that cannot start any token'],
  ['nested value on one line', 'x: 1\na: b: c\n', 'yaml: line 1: mapping values are not allowed in this context', 'yaml: line 2: mapping values are not allowed in this context'],
  ['key without colon', 'a: 1\nb\nc: 2\n', "yaml: line 2: could not find expected ':'", "yaml: line 2: could not find expected ':'"],
  // v3 falls back to the problem line (+1 for scanner errors) when the context is on line 0.
  ['unclosed single quote', "a: 'x\n", 'yaml: line 1: found unexpected end of stream', 'yaml: line 2: found unexpected end of stream'],
  ['bad escape', 'x: 1\na: "\\q"\n', 'yaml: line 1: found unknown escape character', 'yaml: line 2: found unknown escape character'],
  ['unclosed flow mapping', 'a: {b: 1\n', "yaml: line 1: did not find expected ',' or '}'", "yaml: line 1: did not find expected ',' or '}'"],
  ['dedented sequence item', 'a:\n  - 1\n - 2\n', 'yaml: line 2: did not find expected key', 'yaml: line 2: did not find expected key'],
  ['block entry after a value', 'a: - 1\n', 'yaml: block sequence entries are not allowed in this context', 'yaml: block sequence entries are not allowed in this context'],
  ['colon inside a flow plain scalar', 'x: 1\na: {b:c}\n', "yaml: line 1: found unexpected ':'", undefined],
  ['non-specific tag', 'a: ! foo\n', undefined, undefined],
  ['empty secondary tag', 'a: !! foo\n', 'yaml: did not find expected tag URI', 'yaml: did not find expected tag URI'],
  ['YAML 1.2 directive', '%YAML 1.2\n---\na: 1\n', 'yaml: found incompatible YAML document', 'yaml: found incompatible YAML document'],
  ['undefined tag handle', 'a: !e!x 1\n', 'yaml: found undefined tag handle', 'yaml: found undefined tag handle'],
  ['control character', 'a: b\x01\n', 'yaml: control characters are not allowed', 'yaml: control characters are not allowed'],
  ['invalid UTF-8', new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]), 'yaml: invalid leading UTF-8 octet', 'yaml: invalid leading UTF-8 octet'],
  ['truncated UTF-8', new Uint8Array([0x61, 0x3a, 0x20, 0xc3]), 'yaml: incomplete UTF-8 octet sequence', 'yaml: incomplete UTF-8 octet sequence'],
  ['overlong UTF-8', new Uint8Array([0x61, 0x3a, 0x20, 0xc0, 0x80]), 'yaml: invalid length of a UTF-8 sequence', 'yaml: invalid length of a UTF-8 sequence'],
  ['UTF-16 with BOM', new Uint8Array([0xff, 0xfe, 0x61, 0, 0x3a, 0, 0x20, 0, 0x62, 0]), undefined, undefined],
  ['a later document', 'a: 1\n---\nb: [\n', undefined, undefined],
  // v3 scans two tokens ahead, so it already meets the broken scalar after `---`.
  ['a broken scalar right after ---', 'a: 1\n---\n"bad\n', undefined, 'yaml: line 3: found unexpected end of stream'],
  // v2 reads the event after the first document, which must be a document start after `...`.
  ['content after an explicit document end', 'a: 1\n...\nb: 2\n', 'yaml: line 2: did not find expected <document start>', undefined],
  ['an alias before its anchor', 'a: *x\nb: &x 1\n', undefined, "yaml: unknown anchor 'x' referenced"],
];

describe.each(cases)('%s', (_name, input, v2, v3) => {
  test('v2 (ct v0.9.0)', () => expect(parseError(input, 'v2')).toBe(v2));
  test('v3 (Flatcar ct v0.9.4)', () => expect(parseError(input, 'v3')).toBe(v3));
});

describe('reader errors surface when libyaml buffers reach them (512-byte reads)', () => {
  const bad = (prefix: string): Uint8Array => new Uint8Array([...Buffer.from(prefix), 0xff, 0x0a]);
  test('a bad byte in the first read wins over an earlier syntax error', () => {
    expect(parseError(bad(`\tx\n${'#'.repeat(100)}`), 'v2')).toBe('yaml: invalid leading UTF-8 octet');
  });
  test('a bad byte far ahead loses to the syntax error found first', () => {
    expect(parseError(bad(`\tx\n${'#'.repeat(2000)}`), 'v2')).toBe('yaml: found character that cannot start any token');
    expect(parseError(bad(`a: 1\nb: 2\n\tx\n${'#'.repeat(2000)}`), 'v3')).toBe('yaml: line 2: found a tab character that violates indentation');
    // The 2017 fork's wording lacks the "s".
    expect(parseError(bad(`a: 1\nb: 2\n\tx\n${'#'.repeat(2000)}`), 'v2')).toBe('yaml: line 2: found a tab character that violate indentation');
  });
  test('a bad byte anywhere in a valid document is still found', () => {
    expect(parseError(bad(`a: 1\n#${'x'.repeat(3000)}\n`), 'v3')).toBe('yaml: invalid leading UTF-8 octet');
  });
});

describe('nesting depth limit', () => {
  // v2 has no limit in Go; here it shares v3's, worded as v3 words it (README, "Where we differ from ct").
  const deepBlockMapping = Array.from({ length: 10001 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n';
  const tooDeep = 'exceeded max depth of 10000';
  test.each([
    ['flow sequences', '['.repeat(10001), `yaml: ${tooDeep}`, `yaml: ${tooDeep}`],
    ['flow mappings', '{k: '.repeat(10001), `yaml: ${tooDeep}`, `yaml: ${tooDeep}`],
    ['block mappings', deepBlockMapping, `yaml: line 10001: ${tooDeep}`, `yaml: line 10001: ${tooDeep}`],
  ])('%s deeper than 10000 levels fail in both flavors', (_name, input, v2, v3) => {
    expect(parseError(input, 'v2')).toBe(v2);
    expect(parseError(input, 'v3')).toBe(v3);
  });
  test.each(['v2', 'v3'] as const)('%s: 10000 levels still parse', (flavor) => {
    expect(parseError(`${'['.repeat(10000)}${']'.repeat(10000)}`, flavor)).toBeUndefined();
  });
});

describe('first document only', () => {
  const t = struct({ goName: 'T', fields: [field('A', 'a', str), field('B', 'b', str)] });
  test.each(['v2', 'v3'] as const)('%s ignores later documents', (flavor) => {
    const doc = parseDocument('a: one\n---\nb: two\n', flavor);
    expect(decode(doc, t, flavor)).toEqual({ a: 'one', b: '' });
  });
  test.each(['v2', 'v3'] as const)('%s: an explicit empty document is a null root, not "no document"', (flavor) => {
    const doc = parseDocument('---\n', flavor);
    expect(doc?.children).toHaveLength(1);
    expect(doc?.children[0].tag).toBe('!!null');
  });
});

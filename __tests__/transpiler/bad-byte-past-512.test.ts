/**
 * A bad byte or control character just past a 512-byte read (issue 11, cause F). yaml.v3 reads up
 * to 512 characters ahead after a token for a line comment; Flatcar's ct (an older yaml.v3) ignores
 * the reader error raised there and then panics (exit 2, a Go stack trace): see
 * `__tests__/conformance/ct-fuzz/yaml-v3-panic-bad-byte-after-512`. We do not copy the panic: both
 * dialects print the reader error, as ct v0.9.0 (and yaml.v3 3.0.1) do, and exit 1.
 * The expected texts are libyaml's reader problems (readerc.go), checked against go-yaml v2.4.0
 * and v3.0.1 on the same sweep.
 */
import { transpileFailure } from './transpile-failure';
import { runCt } from '../../transpiler/cli';

const BAD: readonly (readonly [string, readonly number[], string])[] = [
  ['a lone continuation byte', [0x80], 'invalid leading UTF-8 octet'],
  ['0xff', [0xff], 'invalid leading UTF-8 octet'],
  ['a lead byte before a space', [0xd1, 0x20], 'invalid trailing UTF-8 octet'],
  ['an overlong sequence', [0xe0, 0x80, 0x80], 'invalid length of a UTF-8 sequence'],
  ['a surrogate', [0xed, 0xa0, 0x80], 'invalid Unicode character'],
  ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 'invalid Unicode character'],
  ['SOH', [0x01], 'control characters are not allowed'],
  ['DEL', [0x7f], 'control characters are not allowed'],
  ['ESC', [0x1b], 'control characters are not allowed'],
  ['U+0080', [0xc2, 0x80], 'control characters are not allowed'],
];

/** Text before the bad byte, padded with `n` filler characters. */
const SHAPES: readonly (readonly [string, (n: number) => string])[] = [
  ['after a nested key', (n) => `a:\n  b:${' '.repeat(n)}`],
  ['after a key', (n) => `key:${' '.repeat(n)}`],
  ['after a list item key', (n) => `- key:${' '.repeat(n)}`],
  ['after a flow key', (n) => `{key:${' '.repeat(n)}`],
  ['after a value', (n) => `a: b\nkey: v${' '.repeat(n)}`],
  ['in a line comment', (n) => `key: # ${'c'.repeat(n)}`],
  ['after a key on the next line', (n) => `key:\n${' '.repeat(n)}`],
];

const POSITIONS = [512, 1024, 1536, 2048].flatMap((base) => [-3, -2, -1, 0, 1, 2, 3].map((d) => base + d));

const stderrOf = (input: Uint8Array, dialect: 'coreos' | 'flatcar'): string => transpileFailure(input, { dialect }).stderr;

describe.each(SHAPES)('a bad byte %s, around each 512-byte read', (_shape, head) => {
  test.each(BAD)('%s: the reader error in both dialects, exit 1', (_name, bytes, problem) => {
    const expected = `error: yaml: ${problem}\nFailed to parse config\n`;
    for (const position of POSITIONS) {
      const text = Buffer.from(head(0));
      const input = Buffer.concat([Buffer.from(head(Math.max(0, position - text.length))), Buffer.from(bytes), Buffer.from(' x\n')]);
      expect([position, stderrOf(input, 'coreos')]).toEqual([position, expected]);
      expect([position, stderrOf(input, 'flatcar')]).toEqual([position, expected]);
    }
  });
});

test('a lead byte cut by the end of the input, right after a 512-byte read', () => {
  for (const position of POSITIONS) {
    const input = Buffer.concat([Buffer.from(`key:${' '.repeat(position - 4)}`), Buffer.from([0xe2, 0x82])]);
    for (const dialect of ['coreos', 'flatcar'] as const) {
      expect(stderrOf(input, dialect)).toBe('error: yaml: incomplete UTF-8 octet sequence\nFailed to parse config\n');
    }
  }
});

test('the ct command exits 1 with the YAML error where Flatcar panics', () => {
  const input = Buffer.concat([Buffer.from(`a:\n  b:${' '.repeat(505)}`), Buffer.from([0xd1, 0x20])]);
  for (const dialect of ['coreos', 'flatcar']) {
    expect(runCt(['--dialect', dialect], input, '/')).toMatchObject({
      stdout: '',
      stderr: 'error: yaml: invalid trailing UTF-8 octet\nFailed to parse config\n',
      exitCode: 1,
    });
  }
});

/**
 * U+FEFF after the start of the stream (issue 11, cause C). libyaml's `is_bom` looks at the start
 * of its decoded buffer, not at the cursor, and the scanner skips one character at column 0 while
 * it is true: a U+FEFF mid-stream is an ordinary character (it ends up in a key), and where the
 * buffer itself starts with U+FEFF (a second BOM, or UTF-16 whose first character is U+FEFF) the
 * first character of every line the scanner starts a token search on is dropped, until a refill
 * moves another character to the start. Same in both flavors. Every expectation here was checked
 * against go-yaml v2.4.0 and v3.0.1 (same reader and `is_bom` as ct's two forks).
 */
import { transpile, TranspileError } from '../../transpiler';
import { parseDocument, type YamlFlavor, type YamlNode } from '../../transpiler/yaml';

const BOM = '\ufeff';
const FLAVORS: readonly YamlFlavor[] = ['v2', 'v3'];

/** The root mapping as `key@line:column=value` entries (1-based), sequences as `[a,b]`. */
function entries(input: string | Uint8Array, flavor: YamlFlavor): string[] | string {
  let doc: YamlNode | undefined;
  try {
    doc = parseDocument(input, flavor);
  } catch (err) {
    return (err as Error).message;
  }
  const root = doc?.children[0] as YamlNode;
  const text = (n: YamlNode): string => (n.kind === 'sequence' ? `[${n.children.map(text).join(',')}]` : n.value);
  const out: string[] = [];
  for (let i = 0; i < root.children.length; i += 2) {
    const k = root.children[i];
    out.push(`${k.value}@${k.line + 1}:${k.column + 1}=${text(root.children[i + 1])}`);
  }
  return out;
}

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const b = Buffer.from(text, 'utf16le');
  if (!littleEndian) b.swap16();
  return b;
}

describe.each(FLAVORS)('%s', (flavor) => {
  test('a U+FEFF after the start is an ordinary character', () => {
    expect(entries(`a: 1\n${BOM}bb: 2\n`, flavor)).toEqual(['a@1:1=1', `${BOM}bb@2:1=2`]);
    expect(entries(`a: 1\nbb: x${BOM}y\n`, flavor)).toEqual(['a@1:1=1', `bb@2:1=x${BOM}y`]);
    expect(entries(`a: 1\n  ${BOM}\nbb: 2\n`, flavor)).toEqual([`a@1:1=1 ${BOM}`, 'bb@3:1=2']);
  });

  test('the encoding BOM alone changes nothing', () => {
    expect(entries(`${BOM}a: 1\nbb: 2\n`, flavor)).toEqual(['a@1:1=1', 'bb@2:1=2']);
  });

  test.each([
    ['simple lines', 'a: 1\nbb: 2\n', ['a@1:2=1', 'b@2:2=2']],
    ['CRLF lines', 'a: 1\r\nbb: 2\r\n', ['a@1:2=1', 'b@2:2=2']],
    ['a block sequence', 'a:\n  - x\n  - y\nbb: 2\n', ['a@1:2=[x,y]', 'b@4:2=2']],
    ['a block scalar (its lines are not token searches)', 'a: |\n  text\nbb: 2\n', ['a@1:2=text\n', 'b@3:2=2']],
    ['a flow sequence over two lines', 'a: [1,\n2]\nbb: 2\n', ['a@1:2=[1]', 'b@3:2=2']],
    ['an empty line (taken by the plain scalar before it)', 'a: 1\n\nbb: 2\n', ['a@1:2=1', 'b@3:2=2']],
    ['a line left with a one-character key', 'a: 1\n\nb: 2\n', 'yaml: line 2: did not find expected key'],
    ['a comment line', 'a: 1\n# c\nbb: 2\n', 'yaml: line 1: did not find expected key'],
  ])('after a second BOM, each line loses its first character: %s', (_name, text, expected) => {
    expect(entries(`${BOM}${BOM}${text}`, flavor)).toEqual(expected);
    expect(entries(Buffer.from(`${BOM}${BOM}${text}`), flavor)).toEqual(expected);
  });

  test('UTF-16 whose first character is U+FEFF', () => {
    const expected = ['a@1:2=1', 'b@2:2=2'];
    expect(entries(utf16(`${BOM}${BOM}a: 1\nbb: 2\n`, true), flavor)).toEqual(expected);
    expect(entries(utf16(`${BOM}${BOM}a: 1\nbb: 2\n`, false), flavor)).toEqual(expected);
  });

  test('a refill of the 512-byte buffer that starts at a U+FEFF has the same effect on the lines after', () => {
    // `k31: <U+FEFF>val` with the U+FEFF at byte 507: the scanner needs 4 characters there, the
    // buffer holds fewer, and the refill moves the U+FEFF to its start: `k32` loses its `k`.
    const lines = (pad: number): string[] =>
      Array.from({ length: 40 }, (_, i) => (i === 31 ? `k31: ${BOM}val` : `k${String(i).padStart(2, '0')}: ${'v'.repeat(i === 0 ? pad : 10)}`));
    expect(entries(lines(16).join('\n') + '\n', flavor)).toBe('yaml: line 32: did not find expected key');
    // one byte earlier, the U+FEFF is read in the first 512 bytes and stays part of the value
    expect((entries(lines(15).join('\n') + '\n', flavor) as string[])[31]).toBe(`k31@32:1=${BOM}val`);
  });
});

describe.each(['coreos', 'flatcar'] as const)('transpile, %s', (dialect) => {
  const config = 'passwd:\n  users:\n    - name: core\nstorage:\n  files: []\n';

  test('a U+FEFF at the start of a later line is part of the key (ct-fuzz/bom-mid-stream)', () => {
    const result = transpile(config.replace('storage', `${BOM}storage`), { dialect });
    expect(result.stderr).toBe(`warning at line 4, column 1\nConfig has unrecognized key: ${BOM}storage\n`);
  });

  test('after a second BOM the first character of each line is dropped', () => {
    const plain = transpile(config, { dialect });
    const doubled = transpile(`${BOM}${BOM}${config.replace('storage', 'xstorage')}`, { dialect });
    expect(doubled.json).toBe(plain.json);
    expect(doubled.stderr).toBe('');
    expect(transpile(utf16(`${BOM}${BOM}${config.replace('storage', 'xstorage')}`, true), { dialect }).json).toBe(plain.json);
  });

  test('where that breaks the indentation, it is the YAML error ct prints', () => {
    try {
      transpile(`${BOM}${BOM}a: 1\n\nb: 2\n`, { dialect });
      throw new Error('expected a TranspileError');
    } catch (err) {
      expect((err as TranspileError).stderr).toBe('error: yaml: line 2: did not find expected key\nFailed to parse config\n');
    }
  });
});

/** The node tree: values after quoting and folding, resolved tags, 0-based positions, anchors and aliases. */
import { parseDocument, type YamlFlavor, type YamlNode } from '../../transpiler/yaml';

const flavors = ['v2', 'v3'] as const;

function root(input: string | Uint8Array, flavor: YamlFlavor): YamlNode {
  const doc = parseDocument(input, flavor);
  if (!doc) throw new Error('no document');
  return doc.children[0];
}

/** The value node of `key` in a mapping. */
function get(m: YamlNode, key: string): YamlNode {
  for (let i = 0; i < m.children.length; i += 2) if (m.children[i].value === key) return m.children[i + 1];
  throw new Error(`no key ${key}`);
}

describe.each(flavors)('%s', (flavor) => {
  test('scalar styles and their values', () => {
    const m = root(
      [
        'plain: a  b',
        'multi: one',
        '  two',
        '',
        '  three',
        "single: 'it''s'",
        'double: "tab\\there \\u00e9 \\x41 \\\\"',
        'folded: >',
        '  a',
        '  b',
        '',
        '  c',
        'literal: |+',
        '  x',
        '',
        'strip: |-',
        '  y',
        '',
      ].join('\n'),
      flavor,
    );
    expect(get(m, 'plain').value).toBe('a  b');
    expect(get(m, 'multi').value).toBe('one two\nthree');
    expect(get(m, 'single')).toMatchObject({ value: "it's", style: 'single', tag: '!!str' });
    expect(get(m, 'double')).toMatchObject({ value: 'tab\there é A \\', style: 'double' });
    expect(get(m, 'folded')).toMatchObject({ value: 'a b\nc\n', style: 'folded' });
    expect(get(m, 'literal')).toMatchObject({ value: 'x\n\n', style: 'literal' });
    expect(get(m, 'strip').value).toBe('y');
  });

  test('positions are 0-based; a mapping starts at its first key, a quoted scalar at its quote', () => {
    const m = root('# head\nstorage:\n  files:\n    - path: "/x"\n      mode: 0644\n', flavor);
    expect([m.line, m.column]).toEqual([1, 0]);
    const files = get(get(m, 'storage'), 'files');
    expect([files.kind, files.line, files.column]).toEqual(['sequence', 3, 4]);
    const file = files.children[0];
    expect([file.line, file.column]).toEqual([3, 6]);
    expect([get(file, 'path').line, get(file, 'path').column]).toEqual([3, 12]);
    expect(get(file, 'mode')).toMatchObject({ tag: '!!int', value: '0644', line: 4, column: 12 });
  });

  test('CRLF line breaks, a BOM and characters outside the BMP', () => {
    const m = root('\ufeffa: "x\r\n  y"\r\nb: 😀 ok\r\nc: [😀, x]\r\n', flavor);
    expect(get(m, 'a').value).toBe('x y');
    expect(get(m, 'b').value).toBe('😀 ok');
    // Columns count characters, so the emoji is one column.
    expect(get(m, 'c').children[1]).toMatchObject({ value: 'x', line: 3, column: 7 });
  });

  test('UTF-16 input', () => {
    const text = 'a: é😀\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(get(root(bytes, flavor), 'a').value).toBe('é😀');
  });

  test('anchors, aliases and explicit tags', () => {
    const m = root('x: &a {k: v}\ny: *a\nz: !!str 12\nw: !custom 5\n', flavor);
    const target = get(m, 'x');
    expect(target.anchor).toBe('a');
    expect(get(m, 'y')).toMatchObject({ kind: 'alias', value: 'a', tag: '!!map' });
    expect(get(m, 'y').alias).toBe(target);
    expect(get(m, 'z')).toMatchObject({ tag: '!!str', explicitTag: 'tag:yaml.org,2002:str' });
    expect(get(m, 'w')).toMatchObject({ tag: '!custom', explicitTag: '!custom' });
  });

  test('flow collections', () => {
    const m = root('{"a": [1, two, {b: c}], d: e}', flavor);
    expect(m.flow).toBe(true);
    const a = get(m, 'a');
    expect(a.children.map((n) => [n.kind, n.tag, n.value])).toEqual([
      ['scalar', '!!int', '1'],
      ['scalar', '!!str', 'two'],
      ['mapping', '!!map', ''],
    ]);
  });
});

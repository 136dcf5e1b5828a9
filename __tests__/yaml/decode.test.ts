/** go-yaml's resolution and decoding rules, per fork (docs/ct.md §9). */
import { decode, nodeFromValue, parseDocument, YamlError, type YamlFlavor } from '../../transpiler/yaml';
import { plainTag, resolve } from '../../transpiler/yaml/resolve';
import { bool, field, int, ptr, slice, str, struct, uint, type GoType } from '../../transpiler/schema';
import { configType } from './fixtures';

const flavors = ['v2', 'v3'] as const;

function run(yaml: string, type: GoType, flavor: YamlFlavor): unknown {
  return decode(parseDocument(yaml, flavor), type, flavor);
}

function failure(yaml: string, type: GoType, flavor: YamlFlavor): string {
  try {
    run(yaml, type, flavor);
  } catch (e) {
    expect(e).toBeInstanceOf(YamlError);
    return (e as Error).message;
  }
  throw new Error('expected a YamlError');
}

const one = (type: GoType): GoType => struct({ goName: 'types.T', fields: [field('V', 'v', type)] });

describe('plain scalar resolution', () => {
  test.each([
    ['yes', '!!bool', '!!str'],
    ['On', '!!bool', '!!str'],
    ['n', '!!bool', '!!str'],
    ['true', '!!bool', '!!bool'],
    ['tRuE', '!!str', '!!str'],
    ['0644', '!!int', '!!int'],
    ['0o644', '!!int', '!!int'],
    ['0x1F', '!!int', '!!int'],
    ['-12', '!!int', '!!int'],
    ['1_000', '!!int', '!!int'],
    ['08', '!!float', '!!float'],
    ['1.50', '!!float', '!!float'],
    ['.5', '!!float', '!!float'],
    ['1e400', '!!str', '!!str'],
    ['1e5', '!!str', '!!float'],
    ['1e+5', '!!float', '!!float'],
    ['1.', '!!str', '!!float'],
    ['.inf', '!!float', '!!float'],
    ['~', '!!null', '!!null'],
    ['', '!!null', '!!null'],
    ['Null', '!!null', '!!null'],
    ['2001-12-14', '!!str', '!!timestamp'],
    ['2001-12-14T21:59:43.10Z', '!!str', '!!timestamp'],
    ['2001-02-30', '!!str', '!!str'],
    ['9223372036854775808', '!!int', '!!int'],
    ['18446744073709551616', '!!float', '!!float'],
    ['<<', '!!merge', '!!merge'],
    ['-', '!!str', '!!str'],
  ])('%j is %s in v2 and %s in v3', (text, v2, v3) => {
    expect(plainTag(text, 'v2')).toBe(v2);
    expect(plainTag(text, 'v3')).toBe(v3);
  });

  test('an explicit tag the text does not fit is fatal', () => {
    expect(() => resolve('!!int', 'foo', 'v2')).toThrow('yaml: cannot decode !!str `foo` as a !!int');
    expect(() => resolve('!!bool', 'yes', 'v3')).toThrow('yaml: cannot decode !!str `yes` as a !!bool');
    expect(resolve('!!float', '1', 'v3')).toEqual({ tag: '!!float', kind: 'float', value: 1 });
  });
});

describe.each(flavors)('decoding (%s)', (flavor) => {
  test('any scalar into a string keeps its source text; null gives the zero value', () => {
    const t = struct({ goName: 'types.T', fields: ['a', 'b', 'c', 'd', 'e'].map((k) => field(k, k, str)) });
    expect(run('a: 007\nb: 1.50\nc: true\nd: ~\ne: "x"\n', t, flavor)).toEqual({ a: '007', b: '1.50', c: 'true', d: '', e: 'x' });
  });

  test.each([
    ['0644', 420],
    ['0o640', 416],
    ['0x10', 16],
    ['-5', -5],
    ['1.9', 1],
    ['1e+3', 1000],
  ])('int from %s', (text, expected) => {
    expect(run(`v: ${text}\n`, one(int), flavor)).toEqual({ v: expected });
  });

  test('int errors', () => {
    expect(failure('v: 9223372036854775808\n', one(int), flavor)).toBe(
      'yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `9223372...` into int',
    );
    expect(failure('v: "0644"\n', one(int), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `0644` into int');
    expect(failure('v: .nan\n', one(int), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!float `.nan` into int');
  });

  test('negative into uint is a type error', () => {
    expect(failure('v: -1\n', one(ptr(uint)), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `-1` into uint');
    expect(run('v: 0x10\n', one(uint), flavor)).toEqual({ v: 16 });
  });

  test.each(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'])('bool %s is true', (text) => {
    expect(run(`v: ${text}\n`, one(bool), flavor)).toEqual({ v: true });
  });
  test.each(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'])('bool %s is false', (text) => {
    expect(run(`v: ${text}\n`, one(bool), flavor)).toEqual({ v: false });
  });
  test('bool errors', () => {
    expect(failure('v: maybe\n', one(bool), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `maybe` into bool');
    expect(failure('v: 1\n', one(bool), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `1` into bool');
    expect(failure('v: tRuE\n', one(bool), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `tRuE` into bool');
  });

  test('all type errors of the document are collected, in document order', () => {
    const t = struct({ goName: 'types.T', fields: [field('A', 'a', int), field('B', 'b', slice(bool)), field('C', 'c', str)] });
    expect(failure('a: x\nb: [1, true, maybe]\nc: [1]\n', t, flavor)).toBe(
      'yaml: unmarshal errors:\n' +
        '  line 1: cannot unmarshal !!str `x` into int\n' +
        '  line 2: cannot unmarshal !!int `1` into bool\n' +
        '  line 2: cannot unmarshal !!str `maybe` into bool\n' +
        '  line 3: cannot unmarshal !!seq into string',
    );
  });

  test('unknown keys are ignored', () => {
    expect(run('v: 1\nother: {x: [1]}\n', one(int), flavor)).toEqual({ v: 1 });
  });

  test('null pointers and slices', () => {
    const t = struct({ goName: 'types.T', fields: [field('P', 'p', ptr(int)), field('S', 's', slice(str))] });
    expect(run('p: null\ns:\n', t, flavor)).toEqual({ p: undefined, s: null });
    expect(run('p: 3\ns: []\n', t, flavor)).toEqual({ p: 3, s: [] });
  });

  test('aliases and merge keys decode', () => {
    const t = struct({ goName: 'types.T', fields: [field('A', 'a', int), field('B', 'b', int), field('L', 'l', slice(str))] });
    const yaml = 'base: &base {a: 1, b: 2}\nl: &l [x, y]\nv:\n  <<: [*base, {a: 9}]\n  b: 3\n';
    expect(run(yaml, struct({ goName: 'types.R', fields: [field('V', 'v', t)] }), flavor)).toEqual({ v: { a: 1, b: 3, l: null } });
    expect(run('x: &l [a, b]\nl: *l\n', t, flavor)).toEqual({ a: 0, b: 0, l: ['a', 'b'] });
  });

  test('bad merge values and self-referencing anchors are fatal', () => {
    expect(failure('<<: 1\n', one(int), flavor)).toBe('yaml: map merge requires map or sequence of maps as the value');
    expect(failure('v: &x [*x]\n', one(slice(slice(str))), flavor)).toBe("yaml: anchor 'x' value contains itself");
  });

  test('wrong kinds name the Go type', () => {
    expect(failure('- a\n', configType(flavor), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into types.Config');
    expect(failure('storage: x\n', configType(flavor), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into types.Storage');
  });

  describe('embedded options (etcd)', () => {
    test('options are decoded into the same object', () => {
      const out = run('etcd:\n  version: 3.2.0\n  name: n1\n  heartbeat_interval: 5\n', configType(flavor), flavor) as { etcd: unknown };
      expect(out.etcd).toEqual({ version: '3.2.0', name: 'n1', heartbeat_interval: 5 });
    });
    test('option type errors are reported like any other', () => {
      expect(failure('etcd:\n  version: 3.2.0\n  heartbeat_interval: fast\n', configType(flavor), flavor)).toBe(
        'yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `fast` into int',
      );
    });
    test('a fixed-field error stops before the options', () => {
      expect(failure('etcd:\n  version: [1]\n  heartbeat_interval: fast\n', configType(flavor), flavor)).toBe(
        'yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into string',
      );
    });
    test('the intermediate type is named like ct’s etcdCommon', () => {
      expect(failure('etcd: [1]\n', configType(flavor), flavor)).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into types.etcdCommon');
    });
    test('an error thrown by the hook aborts decoding, dropping collected type errors', () => {
      expect(failure('passwd: 1\netcd:\n  version: 3.0\n', configType(flavor), flavor)).toBe('3.0 is not in dotted-tri format');
    });
  });
});

describe('where the forks differ', () => {
  test('duplicate keys: v2 keeps the last value, v3 reports them', () => {
    const t = struct({ goName: 'types.T', fields: [field('Name', 'name', str)] });
    expect(run('name: a\nname: b\n', t, 'v2')).toEqual({ name: 'b' });
    expect(failure('x: 1\nname: a\nname: b\n', t, 'v3')).toBe(
      'yaml: unmarshal errors:\n  line 3: mapping key "name" already defined at line 2',
    );
  });

  test('v2 merges a repeated struct key into the same struct', () => {
    const inner = struct({ goName: 'types.S', fields: [field('A', 'a', int), field('B', 'b', int)] });
    const t = struct({ goName: 'types.T', fields: [field('S', 's', inner)] });
    expect(run('s: {a: 1}\ns: {b: 2}\n', t, 'v2')).toEqual({ s: { a: 1, b: 2 } });
  });

  test('null items: v2 keeps a zero value, v3 drops the item', () => {
    expect(run('v: [a, ~, b]\n', one(slice(str)), 'v2')).toEqual({ v: ['a', '', 'b'] });
    expect(run('v: [a, ~, b]\n', one(slice(str)), 'v3')).toEqual({ v: ['a', 'b'] });
  });

  test('v2 allocates a pointer for ~ (only null and empty count as null there)', () => {
    expect(run('v: ~\n', one(ptr(int)), 'v2')).toEqual({ v: 0 });
    expect(run('v: ~\n', one(ptr(int)), 'v3')).toEqual({ v: undefined });
  });

  test('v2 looks aliases up at decode time, so forward references work', () => {
    expect(run('v: *x\nw: &x 7\n', one(int), 'v2')).toEqual({ v: 7 });
    expect(failure('v: *x\n', one(int), 'v2')).toBe("yaml: unknown anchor 'x' referenced");
  });

  test('timestamps are strings in v2 and !!timestamp in v3', () => {
    expect(failure('v: 2001-12-14\n', one(int), 'v2')).toBe('yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `2001-12-14` into int');
    expect(failure('v: 2001-12-14\n', one(int), 'v3')).toBe(
      'yaml: unmarshal errors:\n  line 1: cannot unmarshal !!timestamp `2001-12-14` into int',
    );
  });
});

describe('nodeFromValue', () => {
  test('builds a document of typed scalars', () => {
    const doc = nodeFromValue({ name: 'yes', mode: 420, ratio: 1.5, on: true, none: null, list: ['a'] });
    const root = doc.children[0];
    expect(doc.kind).toBe('document');
    expect(root.kind).toBe('mapping');
    expect(root.children.map((n) => [n.kind, n.tag, n.value, n.line, n.column])).toEqual([
      ['scalar', '!!str', 'name', 0, 0],
      ['scalar', '!!str', 'yes', 0, 0],
      ['scalar', '!!str', 'mode', 0, 0],
      ['scalar', '!!int', '420', 0, 0],
      ['scalar', '!!str', 'ratio', 0, 0],
      ['scalar', '!!float', '1.5', 0, 0],
      ['scalar', '!!str', 'on', 0, 0],
      ['scalar', '!!bool', 'true', 0, 0],
      ['scalar', '!!str', 'none', 0, 0],
      ['scalar', '!!null', 'null', 0, 0],
      ['scalar', '!!str', 'list', 0, 0],
      ['sequence', '!!seq', '', 0, 0],
    ]);
  });

  test.each(flavors)('decodes like the equivalent YAML (%s)', (flavor) => {
    const t = struct({ goName: 'types.T', fields: [field('S', 's', str), field('M', 'm', ptr(int)), field('B', 'b', bool)] });
    expect(decode(nodeFromValue({ s: 'yes', m: 420, b: true }), t, flavor)).toEqual({ s: 'yes', m: 420, b: true });
    expect(() => decode(nodeFromValue({ m: 'x' }), t, flavor)).toThrow('line 1: cannot unmarshal !!str `x` into int');
  });

  // Found by the robustness property: these threw TypeError or RangeError instead of a config error.
  test.each([
    ['a function', { a: () => 1 }, 'yaml: cannot represent a function as YAML'],
    ['a symbol', { a: [Symbol('s')] }, 'yaml: cannot represent a symbol as YAML'],
    ['a cycle', cyclic(), 'yaml: cannot represent a cyclic value as YAML'],
    ['nesting deeper than 10000 levels', nested(10001), 'yaml: exceeded max depth of 10000'],
  ])('refuses %s with a YamlError', (_name, value, message) => {
    expect(() => nodeFromValue(value)).toThrow(new YamlError(message));
  });

  test('accepts 10000 levels and objects shared without a cycle', () => {
    const shared = { x: 1 };
    expect(() => nodeFromValue(nested(10000))).not.toThrow();
    expect(nodeFromValue({ a: shared, b: [shared, shared] }).children[0].children).toHaveLength(4);
  });
});

function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { a: [] };
  (value.a as unknown[]).push(value);
  return value;
}

/** `depth` nested objects: { k: { k: ... 1 } }. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { k: value };
  return value;
}

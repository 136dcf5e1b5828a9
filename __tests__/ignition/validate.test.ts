import { Report, type Diagnostic } from '../../transpiler/diagnostics';
import { bool, field, int, named, ptr, slice, str, struct, type GoStruct, type StructDef } from '../../transpiler/schema';
import { validate } from '../../transpiler/validate';
import { astFromYaml, astOf, mapping, scalar, seq } from './yaml-tree';

const brief = (d: Diagnostic): string => `${d.severity}@${d.line}:${d.column} ${d.message}`;
const run = (value: unknown, def: StructDef, yaml: string | undefined, unknownKeys = true): string[] =>
  validate(value, struct(def), yaml === undefined ? undefined : astFromYaml(yaml), unknownKeys).entries.map(brief);

const item: StructDef = {
  goName: 'types.Item',
  fields: [field('Name', 'name', str), field('Size', 'size', int)],
  validate: (v) => (v.name === 'bad' ? Report.of('error', 'bad item') : new Report()),
  fieldValidators: { Size: (v) => (v.size < 0 ? Report.of('error', 'negative size') : new Report()) },
};

const root: StructDef = {
  goName: 'types.Root',
  fields: [
    field('Title', 'title', str),
    field('Items', 'items', slice(struct(item))),
    field('Extra', 'extra', ptr(struct(item))),
  ],
  validate: (v) => (v.title === 'warn' ? Report.of('warning', 'root warning') : new Report()),
  fieldValidators: { Title: (v) => (v.title === '' ? Report.of('error', 'title required') : new Report()) },
};

const value = (title: string, items: GoStruct[] | null, extra?: GoStruct): GoStruct => ({ title, items, extra });

describe('validate: order and positions', () => {
  it('runs the struct Validate first, then field hooks, then recursion, in field order', () => {
    const yaml = 'title: warn\nitems:\n  - name: a\n    size: -1\n  - name: b\n';
    const out = run(value('warn', [{ name: 'a', size: -1 }, { name: 'b', size: 0 }]), root, yaml);
    expect(out).toEqual(['warning@1:1 root warning', 'error@4:11 negative size']);
  });

  it('positions a field hook at the struct node when the key is absent', () => {
    expect(run(value('', null), root, 'items: []\n')).toEqual(['error@1:1 title required']);
  });

  it('stops descending when a Validate() result is fatal', () => {
    const yaml = 'title: x\nitems:\n  - name: bad\n    size: -5\n';
    expect(run(value('x', [{ name: 'bad', size: -5 }]), root, yaml)).toEqual(['error@3:5 bad item']);
  });

  it('falls back to the slice node when the sequence has fewer items than the value', () => {
    const yaml = 'title: x\nitems:\n  - name: a\n';
    const out = run(value('x', [{ name: 'a', size: 0 }, { name: 'bad', size: 0 }]), root, yaml);
    expect(out).toEqual(['error@3:3 bad item']);
  });

  it('skips nil pointers and validates set ones at the same node', () => {
    expect(run(value('x', null, undefined), root, 'title: x\n')).toEqual([]);
    expect(run(value('x', null, { name: 'bad', size: 0 }), root, 'title: x\nextra:\n  name: bad\n')).toEqual(['error@3:3 bad item']);
  });

  it('leaves entries unpositioned without an AST', () => {
    expect(run(value('', [{ name: 'bad', size: 0 }]), root, undefined)).toEqual(['error@0:0 title required', 'error@0:0 bad item']);
  });

  it('fills Diagnostic.path from the node', () => {
    const ast = astFromYaml('title: x\nitems:\n  - name: a\n    size: -1\n');
    const [d] = validate(value('x', [{ name: 'a', size: -1 }]), struct(root), ast, false).entries;
    expect(d.path).toBe('items[0].size');
  });

  it('fills missing non-pointer fields with Go zero values before calling hooks', () => {
    expect(run({ items: null }, root, 'items: []\n')).toEqual(['error@1:1 title required']);
  });
});

describe('validate: unknown keys', () => {
  const yaml = 'title: x\nTitle: y\nbogus: 1\nitems:\n  - name: a\n    Size: 2\n';
  const val = value('x', [{ name: 'a', size: 0 }]);

  it('warns at the key position, after the struct entries, with a case-insensitive suggestion', () => {
    expect(run(val, root, yaml)).toEqual([
      'warning@6:5 Config has unrecognized key: Size',
      'info@6:5 Did you mean size instead of Size',
      'warning@2:1 Config has unrecognized key: Title',
      'info@2:1 Did you mean title instead of Title',
      'warning@3:1 Config has unrecognized key: bogus',
    ]);
  });

  it('reports nothing when unknown-key checking is off', () => {
    expect(run(val, root, yaml, false)).toEqual([]);
  });

  it('does not look for keys when the node is not a mapping', () => {
    expect(run(value('x', null), root, '- a\n')).toEqual([]);
  });

  it('puts the unknown-key path on the entry', () => {
    const [d] = validate(value('x', null), struct(root), astFromYaml('title: x\n50%off: 1\n'), true).entries;
    expect(d).toEqual({ severity: 'warning', message: 'Config has unrecognized key: 50%off', line: 2, column: 1, path: '50%off' });
  });
});

describe('validate: embedded and anonymous fields', () => {
  const options: StructDef = {
    goName: 'types.Opts',
    fields: [field('Debug', 'debug', bool), field('Level', 'level', named('types.Level', str, (v) => (v === 'x' ? Report.of('error', 'bad level') : new Report())))],
  };
  const withOptions: StructDef = {
    goName: 'types.Etcd',
    fields: [field('Version', 'version', str)],
    embedded: (v) => (v.version === '1' ? options : undefined),
    fieldValidators: { Level: () => Report.of('info', 'outer hook for Level') },
  };

  it('walks embedded option fields after the fixed ones, and judges unknown keys against them', () => {
    const yaml = 'debug: true\nlevel: x\nversion: "1"\n';
    expect(run({ version: '1', debug: true, level: 'x' }, withOptions, yaml)).toEqual(['info@2:8 outer hook for Level', 'error@2:8 bad level']);
    expect(run({ version: '2' }, withOptions, yaml)).toEqual([
      'warning@1:1 Config has unrecognized key: debug',
      'warning@2:1 Config has unrecognized key: level',
    ]);
  });

  it('flattens an anonymous field: its keys are looked up in the parent mapping', () => {
    const inner: StructDef = { goName: 'types.TLS', fields: [field('Items', 'items', slice(struct(item)))] };
    const outer: StructDef = { goName: 'types.Security', fields: [{ ...field('TLS', 'tls', struct(inner)), anonymous: true }] };
    const yaml = 'tls:\n  items:\n    - name: bad\n';
    // `items` is not a key of the outer mapping, so the error lands on the outer node.
    expect(run({ tls: { items: [{ name: 'bad', size: 0 }] } }, outer, yaml, false)).toEqual(['error@1:1 bad item']);
    const plain: StructDef = { goName: 'types.Security', fields: [field('TLS', 'tls', struct(inner))] };
    expect(run({ tls: { items: [{ name: 'bad', size: 0 }] } }, plain, yaml, false)).toEqual(['error@3:7 bad item']);
  });
});

describe('validate: hand-built nodes', () => {
  it('uses value positions for checks and key positions for unknown keys', () => {
    const tree = mapping([2, 3], [
      ['title', [2, 3], scalar('', [2, 10])],
      ['items', [3, 3], seq([4, 5], [mapping([4, 7], [['name', [4, 7], scalar('bad', [4, 13])]])])],
      ['zzz', [5, 3], scalar('1', [5, 8])],
    ]);
    const out = validate(value('', [{ name: 'bad', size: 0 }]), struct(root), astOf(tree), true).entries.map(brief);
    expect(out).toEqual(['error@2:10 title required', 'error@4:7 bad item', 'warning@5:3 Config has unrecognized key: zzz']);
  });
});

describe('validate: a CLC-style walk (phase 1, yaml tags)', () => {
  // A cut-down CLC schema: enough to reproduce the order of `unknown-keys-nested-levels`.
  const contents: StructDef = { goName: 'types.FileContents', fields: [field('Inline', 'inline', str)] };
  const file: StructDef = {
    goName: 'types.File',
    fields: [field('Filesystem', 'filesystem', str), field('Path', 'path', str), field('Mode', 'mode', ptr(int)), field('Contents', 'contents', struct(contents))],
  };
  const etcd30: StructDef = { goName: 'types.Etcd3_0', fields: [field('Name', 'name', str)] };
  const clc: StructDef = {
    goName: 'types.Config',
    fields: [
      field('Storage', 'storage', struct({ goName: 'types.Storage', fields: [field('Files', 'files', slice(struct(file)))] })),
      field('Systemd', 'systemd', struct({ goName: 'types.Systemd', fields: [field('Units', 'units', slice(str))] })),
      field('Etcd', 'etcd', ptr(struct({ goName: 'types.Etcd', fields: [field('Version', 'version', str)], embedded: () => etcd30 }))),
    ],
  };

  it('reports unknown keys depth-first in field order, each struct after its own fields', () => {
    const yaml = [
      'bogus_top: 1',
      'storage:',
      '  files:',
      '    - filesystem: root',
      '      path: /etc/x',
      '      mode: 0644',
      '      contents:',
      '        inline: x',
      '        base64: eA==',
      'systemd:',
      '  unit:',
      '    - name: a.service',
      'etcd:',
      '  version: 3.0.0',
      '  enable_v2: true',
      '',
    ].join('\n');
    const value = {
      storage: { files: [{ filesystem: 'root', path: '/etc/x', mode: 0o644, contents: { inline: 'x' } }] },
      systemd: { units: null },
      etcd: { version: '3.0.0', name: '' },
    };
    expect(run(value, clc, yaml)).toEqual([
      'warning@9:9 Config has unrecognized key: base64',
      'warning@11:3 Config has unrecognized key: unit',
      'warning@15:3 Config has unrecognized key: enable_v2',
      'warning@1:1 Config has unrecognized key: bogus_top',
    ]);
  });
});

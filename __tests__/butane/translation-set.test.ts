import { allPaths, prefixEntries, TranslationSet, typeAtPath } from '../../transpiler/butane/translation-set';
import { pathString, type Path } from '../../transpiler/butane/path';
import { ignitionConfigV33 } from '../../transpiler/ign3/types-v3';
import { ignitionType } from '../../transpiler/ignition-v3/types';
import type { GoType } from '../../transpiler/schema';

/** Like butane's set_test.go `mkTrans`: pairs of (from, to). */
function mkTrans(...paths: Path[]): TranslationSet {
  const ts = new TranslationSet('', '');
  for (let i = 0; i < paths.length; i += 2) ts.addTranslation(paths[i], paths[i + 1]);
  return ts;
}

/** The set as sorted `from → to` lines, keyed the way Go keys its map. */
function entries(ts: TranslationSet): string[] {
  return [...ts.set.entries()].map(([k, t]) => `${k} = ${pathString(t.from)} → ${pathString(t.to)}`).sort();
}

const unitType = typeAtPath(ignitionConfigV33, ['systemd', 'units', 0]) as GoType;

describe('TranslationSet (butane translate/set.go)', () => {
  // butane translate/set_test.go TestTranslationSetMap
  test('map re-targets the to side through mappings and leaves others alone', () => {
    const create = (): TranslationSet =>
      mkTrans(
        [], [],
        ['a'], ['A'],
        ['a', 0], ['A', 0],
        ['a', 0, 'b'], ['A', 0, 'B'],
        ['a', 0, 'b', 'c'], ['A', 0, 'B'],
        ['a', 0, 'b', 'd'], ['A', 0, 'B', 0],
        ['a', 0, 'b', 'e'], ['A', 0, 'B', 0, 'C'],
        ['a', 0, 'b', 'f'], ['A', 0, 'B', 0, 'D'],
        ['clobbered'], ['A', 0, 'B', 0, 'G'],
        ['a', 0, 'b', 'g'], ['A', 0, 'B', 1],
        ['a', 0, 'b', 'h'], ['A', 0, 'B', 1, 'E'],
        ['a', 0, 'b', 'i'], ['A', 0, 'B', 1, 'F'],
      );
    const ts = create();
    const result = ts.map(
      mkTrans(['A', 0, 'B', 0, 'C'], ['A', 0, 'B', 0, 'G'], ['A', 0, 'B', 0, 'D'], ['A', 0, 'H'], ['missing'], ['B']),
    );
    expect(entries(ts)).toEqual(entries(create()));
    expect(entries(result)).toEqual(
      entries(
        mkTrans(
          [], [],
          ['a'], ['A'],
          ['a', 0], ['A', 0],
          ['a', 0, 'b'], ['A', 0, 'B'],
          ['a', 0, 'b', 'c'], ['A', 0, 'B'],
          ['a', 0, 'b', 'd'], ['A', 0, 'B', 0],
          ['a', 0, 'b', 'e'], ['A', 0, 'B', 0, 'G'],
          ['a', 0, 'b', 'f'], ['A', 0, 'H'],
          ['a', 0, 'b', 'g'], ['A', 0, 'B', 1],
          ['a', 0, 'b', 'h'], ['A', 0, 'B', 1, 'E'],
          ['a', 0, 'b', 'i'], ['A', 0, 'B', 1, 'F'],
        ),
      ),
    );
  });

  test('map refuses mappings with other tags', () => {
    const ts = new TranslationSet('yaml', 'json');
    expect(() => ts.map(new TranslationSet('yaml', 'json'))).toThrow(
      'mappings have incorrect tag; "yaml" != "json" || "json" != "json"',
    );
  });

  test('a later translation to the same path replaces the earlier one', () => {
    const ts = new TranslationSet('yaml', 'json');
    ts.addTranslation(['a'], ['x', 0]);
    ts.addTranslation(['b'], ['x', 0]);
    expect(ts.get(['x', 0])?.from).toEqual(['b']);
    // number and string path elements print alike, so they share a key, as in Go.
    expect(ts.get(['x', '0'])?.from).toEqual(['b']);
  });

  test('prefix, prefixPaths, mergeP and mergeP2', () => {
    const inner = mkTrans(['inline'], ['source'], [], []);
    const underContents = ['$.contents = $.contents → $.contents', '$.contents.source = $.contents.inline → $.contents.source'];
    expect(entries(inner.prefix('contents'))).toEqual(underContents);
    expect(entries(inner.prefixPaths(['storage', 'files', 2], ['storage', 'files', 5]))).toEqual([
      '$.storage.files.5 = $.storage.files.2 → $.storage.files.5',
      '$.storage.files.5.source = $.storage.files.2.inline → $.storage.files.5.source',
    ]);
    const outer = new TranslationSet('yaml', 'json');
    outer.mergeP('contents', inner);
    outer.mergeP2('a', 'b', inner);
    expect(entries(outer)).toEqual(['$.b = $.a → $.b', '$.b.source = $.a.inline → $.b.source', ...underContents]);
  });

  test('descend keeps the subtree under a to path, made relative', () => {
    const ts = mkTrans(
      ['storage'], ['storage'],
      ['storage', 'files', 0, 'contents', 'inline'], ['storage', 'files', 0, 'contents', 'source'],
      ['storage', 'files', 0], ['storage', 'files', 0],
      ['storage', 'files', 1], ['storage', 'files', 1],
    );
    expect(entries(ts.descend(['storage', 'files', 0]))).toEqual([
      '$ = $.storage.files.0 → $',
      '$.contents.source = $.storage.files.0.contents.inline → $.contents.source',
    ]);
  });

  test('addIdentity maps each path to itself', () => {
    const ts = new TranslationSet('yaml', 'json');
    ts.addIdentity('storage', 'systemd');
    expect(entries(ts)).toEqual(['$.storage = $.storage → $.storage', '$.systemd = $.systemd → $.systemd']);
  });

  // Go's getAllPaths walks every struct field, set or not, children before their parent.
  test('addFromCommonSource with a type covers every field of the generated struct', () => {
    const ts = new TranslationSet('yaml', 'json');
    const unit = { contents: 'x', enabled: true, name: 'a.mount', dropins: [{ name: 'd.conf' }] };
    ts.addFromCommonSource(['storage', 'filesystems', 3], ['systemd', 'units', 1], unit, unitType);
    expect([...ts.set.keys()]).toEqual([
      '$.systemd.units.1.contents',
      '$.systemd.units.1.dropins.0.contents',
      '$.systemd.units.1.dropins.0.name',
      '$.systemd.units.1.dropins.0',
      '$.systemd.units.1.dropins',
      '$.systemd.units.1.enabled',
      '$.systemd.units.1.mask',
      '$.systemd.units.1.name',
      '$.systemd.units.1',
    ]);
    for (const t of ts.set.values()) expect(t.from).toEqual(['storage', 'filesystems', 3]);
  });

  test('addFromCommonSource without a type walks the keys present', () => {
    const ts = new TranslationSet('yaml', 'json');
    ts.addFromCommonSource(['grub', 'users'], ['storage'], { files: [{ path: '/boot/grub2/user.cfg' }] });
    expect([...ts.set.keys()]).toEqual([
      '$.storage.files.0.path',
      '$.storage.files.0',
      '$.storage.files',
      '$.storage',
    ]);
  });

  test('addFromCommonObject maps each field from the same relative path', () => {
    const ts = new TranslationSet('yaml', 'json');
    ts.addFromCommonObject(['boot_device', 'luks'], ['storage', 'luks', 0, 'clevis'], { tang: [{ url: 'u' }] });
    expect(entries(ts)).toEqual([
      '$.storage.luks.0.clevis = $.boot_device.luks → $.storage.luks.0.clevis',
      '$.storage.luks.0.clevis.tang = $.boot_device.luks.tang → $.storage.luks.0.clevis.tang',
      '$.storage.luks.0.clevis.tang.0 = $.boot_device.luks.tang.0 → $.storage.luks.0.clevis.tang.0',
      '$.storage.luks.0.clevis.tang.0.url = $.boot_device.luks.tang.0.url → $.storage.luks.0.clevis.tang.0.url',
    ]);
  });

  test('allPaths: nil pointers and slices name their field but have no children', () => {
    const dropinType = typeAtPath(ignitionConfigV33, ['systemd', 'units', 0, 'dropins', 0]) as GoType;
    expect(allPaths({ name: 'x.conf' }, dropinType)).toEqual([['contents'], ['name']]);
    expect(allPaths({ name: 'u.service' }, unitType).map((p) => pathString(p))).toEqual([
      '$.contents',
      '$.dropins',
      '$.enabled',
      '$.mask',
      '$.name',
    ]);
  });

  // Order checked against butane's getAllPaths run on ignition v3_4 types.File.
  test('allPaths: embedded Node fields come first and add no path element of their own', () => {
    const fileType = typeAtPath(ignitionType('3.4.0'), ['storage', 'files', 0]) as GoType;
    expect(allPaths({ path: '/a', append: [{ source: 'x' }] }, fileType).map((p) => pathString(p))).toEqual([
      '$.group.id',
      '$.group.name',
      '$.group',
      '$.overwrite',
      '$.path',
      '$.user.id',
      '$.user.name',
      '$.user',
      '$.append.0.compression',
      '$.append.0.httpHeaders',
      '$.append.0.source',
      '$.append.0.verification.hash',
      '$.append.0.verification',
      '$.append.0',
      '$.append',
      '$.contents.compression',
      '$.contents.httpHeaders',
      '$.contents.source',
      '$.contents.verification.hash',
      '$.contents.verification',
      '$.contents',
      '$.mode',
    ]);
  });

  test('toString sorts by to path', () => {
    const ts = mkTrans(['b'], ['y'], ['a'], ['x']);
    expect(ts.toString()).toBe('TranslationSet:  → \n$.a → $.x\n$.b → $.y\n');
  });

  test('prefixEntries puts the prefix before each entry path', () => {
    expect(prefixEntries([{ kind: 'error', message: 'm', path: ['x'] }], 'contents')).toEqual([
      { kind: 'error', message: 'm', path: ['contents', 'x'] },
    ]);
  });
});

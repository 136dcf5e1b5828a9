import * as fs from 'fs';
import * as path from 'path';
import { mergeStructTranscribe, type MergeMapping } from '../../transpiler/ignition-v3/merge';
import { callKey, ignoresDuplicates, isKeyed, keyHandle } from '../../transpiler/ignition-v3/keys';
import { ignitionType } from '../../transpiler/ignition-v3/types';
import { mergeTranslatedConfigs } from '../../transpiler/butane/merge-translated';
import { TranslationSet, typeAtPath } from '../../transpiler/butane/translation-set';
import { pathString, type Path } from '../../transpiler/butane/path';
import type { GoStruct, GoType } from '../../transpiler/schema';

const V33 = ignitionType('3.3.0');
const V34 = ignitionType('3.4.0');
const VECTORS = path.join(__dirname, '..', 'conformance', 'butane');

/** A transcript the way Go's `Mapping.String()` prints it (`parent:$.a → $.a`). */
const lines = (t: readonly MergeMapping[]): string[] => t.map((m) => `${m.fromTag}:${pathString(m.from)} → ${pathString(m.to)}`);
const m = (tag: 'parent' | 'child', ...p: (string | number)[]): string => `${tag}:${pathString(p)} → ${pathString(p)}`;
const mv = (tag: 'parent' | 'child', from: Path, to: Path): string => `${tag}:${pathString(from)} → ${pathString(to)}`;

/**
 * What Go's JSON encoder would leave of a value with `omitempty` everywhere (and clarketm's empty-struct
 * omission). Ignition 3 has no non-pointer booleans, so `false` is always a set pointer and stays.
 */
function pruned(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(pruned) : undefined;
  if (typeof v === 'object' && v !== null) {
    const out: GoStruct = {};
    for (const [k, x] of Object.entries(v)) {
      const p = pruned(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null || v === '' || v === 0 ? undefined : v;
}

function expectedIgn(vector: string): unknown {
  return pruned(JSON.parse(fs.readFileSync(path.join(VECTORS, vector, 'expected.ign'), 'utf8')));
}

describe('keys (ignition config/v3_x/types Key, IgnoreDuplicates, MergedKeys)', () => {
  const elem = (p: Path): GoType => typeAtPath(V34, p) as GoType;
  test('partition keys by number, else label, else nothing', () => {
    const t = elem(['storage', 'disks', 0, 'partitions', 0]);
    expect(callKey(t, { number: 3, label: 'x' })).toBe('number:3');
    expect(callKey(t, { number: 0, label: 'x' })).toBe('label:x');
    expect(callKey(t, { number: 0 })).toBe('');
  });
  test('resources key by source; string elements by value', () => {
    expect(callKey(elem(['ignition', 'config', 'merge', 0]), { source: 'https://a' })).toBe('https://a');
    expect(callKey(elem(['ignition', 'config', 'merge', 0]), {})).toBe('');
    expect(callKey(elem(['kernelArguments', 'shouldExist', 0]), 'quiet')).toBe('quiet');
  });
  test('nodes key by path, tang by url, units and dropins by name', () => {
    expect(callKey(elem(['storage', 'links', 0]), { path: '/l' })).toBe('/l');
    expect(callKey(elem(['storage', 'luks', 0, 'clevis', 'tang', 0]), { url: 'http://t' })).toBe('http://t');
    expect(callKey(elem(['systemd', 'units', 0, 'dropins', 0]), { name: 'a.conf' })).toBe('a.conf');
    expect(isKeyed(elem(['storage', 'raid', 0]))).toBe(true);
  });
  test('ignored and shared key namespaces', () => {
    expect(ignoresDuplicates('types.File', 'Append')).toBe(true);
    expect(ignoresDuplicates('types.Filesystem', 'MountOptions')).toBe(true);
    expect(ignoresDuplicates('types.Luks', 'OpenOptions')).toBe(false);
    expect(keyHandle('types.Storage', 'Links')).toBe('Node');
    expect(keyHandle('types.KernelArguments', 'ShouldNotExist')).toBe('KernelArgument');
    expect(keyHandle('types.Storage', 'Disks')).toBe('Disks');
  });
});

// Cases from ignition config/merge/merge_test.go TestMerge (expected results and transcripts are upstream's).
describe('mergeStructTranscribe (ignition config/merge/merge.go)', () => {
  test('merging empty configs is empty', () => {
    const { result, transcript } = mergeStructTranscribe({ ignition: {} }, { ignition: {} }, V34);
    expect(pruned(result)).toBeUndefined();
    expect(transcript).toEqual([]);
  });

  test('non-pointer scalars come from the child', () => {
    const { result, transcript } = mergeStructTranscribe(
      { ignition: { version: '1234' } },
      { ignition: { version: "haha this isn't validated" } },
      V34,
    );
    expect(result.ignition.version).toBe("haha this isn't validated");
    expect(lines(transcript)).toEqual([m('child', 'ignition', 'version'), m('parent', 'ignition'), m('child', 'ignition')]);
  });

  test('storage and passwd lists merge by key', () => {
    const parent = {
      storage: {
        disks: [
          { device: 'foo', wipeTable: true, partitions: [{ number: 1, label: 'label', startMiB: 4 }] },
          { device: 'bar', wipeTable: true },
        ],
        files: [
          { path: '/foo', append: [{ source: 'source1' }] },
          { path: '/bar', contents: { compression: 'gzip' } },
        ],
      },
      passwd: { users: [{ name: 'bovik', sshAuthorizedKeys: ['one', 'two'] }] },
    };
    const child = {
      storage: {
        disks: [
          { device: 'foo', wipeTable: false, partitions: [{ number: 1, label: 'labelchanged' }, { number: 2, label: 'label2' }] },
          { device: 'bar' },
          { device: 'baz', wipeTable: true },
        ],
        files: [{ path: '/foo', append: [{ source: 'source1' }, { source: 'source2' }] }],
        directories: [{ path: '/bar' }],
        links: [{ path: '/baz' }],
      },
      passwd: { users: [{ name: 'bovik', sshAuthorizedKeys: ['three', 'two'] }] },
    };
    const { result, transcript } = mergeStructTranscribe(parent, child, V34);
    expect(pruned(result)).toEqual({
      storage: {
        disks: [
          { device: 'foo', wipeTable: false, partitions: [{ number: 1, label: 'labelchanged', startMiB: 4 }, { number: 2, label: 'label2' }] },
          { device: 'bar', wipeTable: true },
          { device: 'baz', wipeTable: true },
        ],
        // The parent's /bar file gives way to the child's /bar directory (shared `Node` namespace).
        files: [{ path: '/foo', append: [{ source: 'source1' }, { source: 'source1' }, { source: 'source2' }] }],
        directories: [{ path: '/bar' }],
        links: [{ path: '/baz' }],
      },
      passwd: { users: [{ name: 'bovik', sshAuthorizedKeys: ['one', 'two', 'three'] }] },
    });
    expect(lines(transcript)).toEqual([
      m('child', 'passwd', 'users', 0, 'name'),
      m('parent', 'passwd', 'users', 0, 'sshAuthorizedKeys', 0),
      m('child', 'passwd', 'users', 0, 'sshAuthorizedKeys', 1),
      mv('child', ['passwd', 'users', 0, 'sshAuthorizedKeys', 0], ['passwd', 'users', 0, 'sshAuthorizedKeys', 2]),
      m('parent', 'passwd', 'users', 0, 'sshAuthorizedKeys'),
      m('child', 'passwd', 'users', 0, 'sshAuthorizedKeys'),
      m('parent', 'passwd', 'users', 0),
      m('child', 'passwd', 'users', 0),
      m('parent', 'passwd', 'users'),
      m('child', 'passwd', 'users'),
      m('parent', 'passwd'),
      m('child', 'passwd'),
      m('child', 'storage', 'directories', 0, 'path'),
      m('child', 'storage', 'directories', 0),
      m('child', 'storage', 'directories'),
      m('child', 'storage', 'disks', 0, 'device'),
      m('child', 'storage', 'disks', 0, 'partitions', 0, 'label'),
      m('child', 'storage', 'disks', 0, 'partitions', 0, 'number'),
      m('parent', 'storage', 'disks', 0, 'partitions', 0, 'startMiB'),
      m('parent', 'storage', 'disks', 0, 'partitions', 0),
      m('child', 'storage', 'disks', 0, 'partitions', 0),
      m('child', 'storage', 'disks', 0, 'partitions', 1, 'label'),
      m('child', 'storage', 'disks', 0, 'partitions', 1, 'number'),
      m('child', 'storage', 'disks', 0, 'partitions', 1),
      m('parent', 'storage', 'disks', 0, 'partitions'),
      m('child', 'storage', 'disks', 0, 'partitions'),
      m('child', 'storage', 'disks', 0, 'wipeTable'),
      m('parent', 'storage', 'disks', 0),
      m('child', 'storage', 'disks', 0),
      m('child', 'storage', 'disks', 1, 'device'),
      m('parent', 'storage', 'disks', 1, 'wipeTable'),
      m('parent', 'storage', 'disks', 1),
      m('child', 'storage', 'disks', 1),
      m('child', 'storage', 'disks', 2, 'device'),
      m('child', 'storage', 'disks', 2, 'wipeTable'),
      m('child', 'storage', 'disks', 2),
      m('parent', 'storage', 'disks'),
      m('child', 'storage', 'disks'),
      m('child', 'storage', 'files', 0, 'path'),
      m('parent', 'storage', 'files', 0, 'append', 0, 'source'),
      m('parent', 'storage', 'files', 0, 'append', 0),
      mv('child', ['storage', 'files', 0, 'append', 0, 'source'], ['storage', 'files', 0, 'append', 1, 'source']),
      mv('child', ['storage', 'files', 0, 'append', 0], ['storage', 'files', 0, 'append', 1]),
      mv('child', ['storage', 'files', 0, 'append', 1, 'source'], ['storage', 'files', 0, 'append', 2, 'source']),
      mv('child', ['storage', 'files', 0, 'append', 1], ['storage', 'files', 0, 'append', 2]),
      m('parent', 'storage', 'files', 0, 'append'),
      m('child', 'storage', 'files', 0, 'append'),
      m('parent', 'storage', 'files', 0),
      m('child', 'storage', 'files', 0),
      m('parent', 'storage', 'files'),
      m('child', 'storage', 'files'),
      m('child', 'storage', 'links', 0, 'path'),
      m('child', 'storage', 'links', 0),
      m('child', 'storage', 'links'),
      m('parent', 'storage'),
      m('child', 'storage'),
    ]);
  });

  test('an HTTP header without a value in the child removes the parent header', () => {
    const url = 'http://example.com/myconf.ign';
    const parent = {
      ignition: {
        config: {
          merge: [
            {
              source: url,
              httpHeaders: [
                { name: 'old-header', value: 'old-value' },
                { name: 'same-header', value: 'old-value' },
                { name: 'to-remove-header', value: 'some-value' },
              ],
            },
          ],
        },
      },
    };
    const child = {
      ignition: {
        config: {
          merge: [
            {
              source: url,
              httpHeaders: [{ name: 'to-remove-header' }, { name: 'new-header', value: 'new-value' }, { name: 'same-header', value: 'new-value' }],
            },
          ],
        },
      },
    };
    const { result, transcript } = mergeStructTranscribe(parent, child, V34);
    expect(result.ignition.config.merge[0].httpHeaders).toEqual([
      { name: 'old-header', value: 'old-value' },
      { name: 'same-header', value: 'new-value' },
      { name: 'new-header', value: 'new-value' },
    ]);
    const h = ['ignition', 'config', 'merge', 0, 'httpHeaders'];
    expect(lines(transcript)).toEqual([
      m('parent', ...h, 0, 'name'),
      m('parent', ...h, 0, 'value'),
      m('parent', ...h, 0),
      mv('child', [...h, 2, 'name'], [...h, 1, 'name']),
      mv('child', [...h, 2, 'value'], [...h, 1, 'value']),
      m('parent', ...h, 1),
      mv('child', [...h, 2], [...h, 1]),
      mv('child', [...h, 1, 'name'], [...h, 2, 'name']),
      mv('child', [...h, 1, 'value'], [...h, 2, 'value']),
      mv('child', [...h, 1], [...h, 2]),
      m('parent', ...h),
      m('child', ...h),
      m('child', 'ignition', 'config', 'merge', 0, 'source'),
      m('parent', 'ignition', 'config', 'merge', 0),
      m('child', 'ignition', 'config', 'merge', 0),
      m('parent', 'ignition', 'config', 'merge'),
      m('child', 'ignition', 'config', 'merge'),
      m('parent', 'ignition', 'config'),
      m('child', 'ignition', 'config'),
      m('parent', 'ignition'),
      m('child', 'ignition'),
    ]);
  });

  // Expected values from running ignition's merge.go (v2.20.0) on the same input.
  test('generated boot_device storage merged with user disks and tang servers', () => {
    const parent = {
      storage: {
        disks: [{ device: '/dev/sda', partitions: [{ label: 'bios-1', sizeMiB: 1 }, { label: 'root-1' }], wipeTable: true }],
        luks: [
          {
            name: 'root',
            device: '/dev/md/md-root',
            clevis: { tang: [{ url: 'https://t1', thumbprint: 'A' }, { url: 'https://t2', thumbprint: 'B' }], threshold: 2 },
          },
        ],
      },
    };
    const child = {
      ignition: { version: '3.4.0' },
      storage: {
        disks: [{ device: '/dev/sda', partitions: [{ label: 'root-1', sizeMiB: 8192 }, { label: 'var', number: 5 }] }],
        luks: [{ name: 'root', clevis: { tang: [{ url: 'https://t2', thumbprint: 'C' }] } }],
      },
    };
    const { result, transcript } = mergeStructTranscribe(parent, child, V34);
    expect(pruned(result)).toEqual({
      ignition: { version: '3.4.0' },
      storage: {
        disks: [
          {
            device: '/dev/sda',
            partitions: [{ label: 'bios-1', sizeMiB: 1 }, { label: 'root-1', sizeMiB: 8192 }, { label: 'var', number: 5 }],
            wipeTable: true,
          },
        ],
        luks: [
          {
            clevis: { tang: [{ thumbprint: 'A', url: 'https://t1' }, { thumbprint: 'C', url: 'https://t2' }], threshold: 2 },
            device: '/dev/md/md-root',
            name: 'root',
          },
        ],
      },
    });
    const p = ['storage', 'disks', 0, 'partitions'];
    const t = ['storage', 'luks', 0, 'clevis', 'tang'];
    expect(lines(transcript)).toEqual([
      m('child', 'ignition', 'version'),
      m('child', 'ignition'),
      m('child', 'storage', 'disks', 0, 'device'),
      m('parent', ...p, 0, 'label'),
      m('parent', ...p, 0, 'sizeMiB'),
      m('parent', ...p, 0),
      mv('child', [...p, 0, 'label'], [...p, 1, 'label']),
      mv('child', [...p, 0, 'sizeMiB'], [...p, 1, 'sizeMiB']),
      m('parent', ...p, 1),
      mv('child', [...p, 0], [...p, 1]),
      mv('child', [...p, 1, 'label'], [...p, 2, 'label']),
      mv('child', [...p, 1, 'number'], [...p, 2, 'number']),
      mv('child', [...p, 1], [...p, 2]),
      m('parent', ...p),
      m('child', ...p),
      m('parent', 'storage', 'disks', 0, 'wipeTable'),
      m('parent', 'storage', 'disks', 0),
      m('child', 'storage', 'disks', 0),
      m('parent', 'storage', 'disks'),
      m('child', 'storage', 'disks'),
      m('parent', ...t, 0, 'thumbprint'),
      m('parent', ...t, 0, 'url'),
      m('parent', ...t, 0),
      mv('child', [...t, 0, 'thumbprint'], [...t, 1, 'thumbprint']),
      mv('child', [...t, 0, 'url'], [...t, 1, 'url']),
      m('parent', ...t, 1),
      mv('child', [...t, 0], [...t, 1]),
      m('parent', ...t),
      m('child', ...t),
      m('parent', 'storage', 'luks', 0, 'clevis', 'threshold'),
      m('parent', 'storage', 'luks', 0, 'clevis'),
      m('child', 'storage', 'luks', 0, 'clevis'),
      m('parent', 'storage', 'luks', 0, 'device'),
      m('child', 'storage', 'luks', 0, 'name'),
      m('parent', 'storage', 'luks', 0),
      m('child', 'storage', 'luks', 0),
      m('parent', 'storage', 'luks'),
      m('child', 'storage', 'luks'),
      m('parent', 'storage'),
      m('child', 'storage'),
    ]);
  });

  test('kernel arguments share one namespace across shouldExist and shouldNotExist', () => {
    const { result } = mergeStructTranscribe(
      { kernelArguments: { shouldExist: ['quiet', 'a'], shouldNotExist: ['b'] } },
      { kernelArguments: { shouldNotExist: ['quiet'], shouldExist: ['b', 'c'] } },
      V34,
    );
    expect(result.kernelArguments).toEqual({ shouldExist: ['a', 'b', 'c'], shouldNotExist: ['quiet'] });
  });

  test('the inputs are left untouched', () => {
    const parent = { systemd: { units: [{ name: 'a.service', dropins: [{ name: 'x.conf' }] }] } };
    const before = JSON.stringify(parent);
    const { result } = mergeStructTranscribe(parent, { systemd: { units: [{ name: 'b.service' }] } }, V34);
    result.systemd.units[0].dropins[0].name = 'changed';
    expect(JSON.stringify(parent)).toBe(before);
  });
});

// Butane puts generated config first: it is the merge parent of the user's translated config (docs/butane.md §5.6-5.8).
describe('generated config as merge parent (vectors)', () => {
  const unit = (name: string, contents: string): GoStruct => ({ contents, enabled: true, name });

  test('ok-flatcar-1_0-storage-swap-mount-unit: generated swap units', () => {
    const generated = {
      ignition: {},
      systemd: {
        units: [
          unit('dev-disk-by\\x2dpartlabel-swap.swap', '# Generated by Butane\n[Swap]\nWhat=/dev/disk/by-partlabel/swap\n\n[Install]\nRequiredBy=swap.target'),
          unit('dev-vdf.swap', '# Generated by Butane\n[Swap]\nWhat=/dev/vdf\nOptions=discard,pri=10\n\n[Install]\nRequiredBy=swap.target'),
        ],
      },
    };
    const user = {
      ignition: { version: '3.3.0' },
      storage: {
        filesystems: [
          { device: '/dev/disk/by-partlabel/swap', format: 'swap', label: 'swap' },
          { device: '/dev/vdf', format: 'swap', mountOptions: ['discard', 'pri=10'] },
        ],
      },
    };
    const { result } = mergeStructTranscribe(generated, user, V33);
    expect(pruned(result)).toEqual(expectedIgn('ok-flatcar-1_0-storage-swap-mount-unit'));
  });

  test('a user unit with a generated name merges into it, in its place', () => {
    const generated = { ignition: {}, systemd: { units: [unit('var-lib-data.mount', 'generated'), unit('b.swap', 'swap')] } };
    const user = {
      ignition: { version: '3.3.0' },
      systemd: { units: [{ name: 'own.service', enabled: true }, { name: 'var-lib-data.mount', enabled: false }] },
    };
    const { result } = mergeStructTranscribe(generated, user, V33);
    expect(result.systemd.units).toEqual([
      { contents: 'generated', enabled: false, name: 'var-lib-data.mount' },
      { contents: 'swap', enabled: true, name: 'b.swap' },
      { name: 'own.service', enabled: true },
    ]);
  });

  test('ok-fcos-1_5-grub-users: generated boot filesystem and user.cfg', () => {
    const expected = JSON.parse(fs.readFileSync(path.join(VECTORS, 'ok-fcos-1_5-grub-users', 'expected.ign'), 'utf8'));
    const generated = { ignition: {}, storage: expected.storage };
    const { result } = mergeStructTranscribe(generated, { ignition: { version: '3.4.0' } }, V34);
    expect(pruned(result)).toEqual(expectedIgn('ok-fcos-1_5-grub-users'));
  });
});

describe('mergeTranslatedConfigs (butane config/util/merge.go)', () => {
  test('paths keep pointing at the YAML they came from; the child wins shared nodes', () => {
    const generated = { ignition: {}, systemd: { units: [unit('data.mount', 'generated')] } };
    const genTs = new TranslationSet('yaml', 'json');
    genTs.addFromCommonSource(['storage', 'filesystems', 0], ['systemd', 'units', 0], generated.systemd.units[0], typeAtPath(V33, ['systemd', 'units', 0]));
    genTs.addTranslation(['storage', 'filesystems'], ['systemd', 'units']);
    genTs.addTranslation(['storage', 'filesystems'], ['systemd']);

    const user = { ignition: { version: '3.3.0' }, systemd: { units: [{ name: 'data.mount', enabled: false }] } };
    const userTs = new TranslationSet('yaml', 'json');
    for (const p of [['systemd'], ['systemd', 'units'], ['systemd', 'units', 0], ['systemd', 'units', 0, 'name'], ['systemd', 'units', 0, 'enabled']]) {
      userTs.addTranslation(p, p);
    }
    userTs.addTranslation(['version'], ['ignition', 'version']);

    const { config, ts } = mergeTranslatedConfigs(generated, genTs, user, userTs, V33);
    expect(config.systemd.units).toEqual([{ contents: 'generated', enabled: false, name: 'data.mount' }]);
    const from = (...p: (string | number)[]): string | undefined => {
      const t = ts.get(p);
      return t && pathString(t.from);
    };
    expect(from('systemd', 'units', 0, 'contents')).toBe('$.storage.filesystems.0');
    expect(from('systemd', 'units', 0, 'enabled')).toBe('$.systemd.units.0.enabled');
    expect(from('systemd', 'units', 0, 'name')).toBe('$.systemd.units.0.name');
    expect(from('systemd', 'units', 0)).toBe('$.systemd.units.0');
    expect(from('systemd', 'units')).toBe('$.systemd.units');
    expect(from('systemd')).toBe('$.systemd');
    expect(from('ignition', 'version')).toBe('$.version');
    // `ignition` itself is in neither set, so it has no translation.
    expect(from('ignition')).toBeUndefined();
  });

  // warn-fcos-1_5-reserved-partition-label-strict: with no generated parent, the user's paths come through as they were.
  test('an empty parent keeps the child translations', () => {
    const user = { ignition: { version: '3.4.0' }, storage: { disks: [{ device: '/dev/disk/by-id/coreos-boot-disk', partitions: [{ label: 'root', number: 0, sizeMiB: 8192 }] }] } };
    const userTs = new TranslationSet('yaml', 'json');
    userTs.addTranslation(['storage', 'disks', 0, 'partitions', 0, 'label'], ['storage', 'disks', 0, 'partitions', 0, 'label']);
    userTs.addTranslation(['storage', 'disks', 0, 'partitions', 0, 'size_mib'], ['storage', 'disks', 0, 'partitions', 0, 'sizeMiB']);
    const { config, ts } = mergeTranslatedConfigs({ ignition: {} }, new TranslationSet('yaml', 'json'), user, userTs, V34);
    expect(pruned(config)).toEqual(pruned(user));
    expect(ts.get(['storage', 'disks', 0, 'partitions', 0, 'label'])?.from).toEqual(['storage', 'disks', 0, 'partitions', 0, 'label']);
    expect(ts.get(['storage', 'disks', 0, 'partitions', 0, 'sizeMiB'])?.from).toEqual(['storage', 'disks', 0, 'partitions', 0, 'size_mib']);
  });

  test('mismatched tags are refused', () => {
    expect(() =>
      mergeTranslatedConfigs({ ignition: {} }, new TranslationSet('yaml', 'json'), { ignition: {} }, new TranslationSet('a', 'json'), V34),
    ).toThrow('mismatched translation tags, yaml != a || json != json');
  });

  function unit(name: string, contents: string): GoStruct {
    return { contents, enabled: true, name };
  }
});

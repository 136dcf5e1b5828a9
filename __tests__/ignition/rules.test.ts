import type { Report } from '../../transpiler/diagnostics';
import { validateIgnition } from '../../transpiler/ignition';
import { diskPartitionsRule } from '../../transpiler/ignition/partitions';
import { configRule, versionRule } from '../../transpiler/ignition/root';
import * as rules from '../../transpiler/ignition/rules';
import { config, make, printed } from './builders';
import { astFromYaml } from './yaml-tree';

const texts = (r: Report): string[] => r.entries.map((e) => `${e.severity}: ${e.message}`);
const SHA512_SUM = 'a'.repeat(128);

describe('source URLs', () => {
  it.each([
    ['', undefined],
    ['https://example.com/x', undefined],
    ['HTTP://example.com/x', undefined],
    ['oem:///x', undefined],
    ['tftp://h/x', undefined],
    ['s3://bucket/key', undefined],
    ['data:,hello%20world', undefined],
    ['gopher://x', 'invalid url scheme'],
    ['/relative/path', 'invalid url scheme'],
    ['efi:///x', 'invalid url scheme'],
    ['data:text/plain;base64,@@@', 'invalid data character'],
    ['data:;base64,YQ=', 'illegal base64 data at input byte 3'],
    ['http://[::1/x', 'unable to parse url'],
  ])('2.2 %j -> %j', (source, error) => {
    expect(rules.urlError(source, '2.2')).toBe(error);
  });

  it('2.3 accepts efi and checks an s3 versionId', () => {
    expect(rules.urlError('efi:///x', '2.3')).toBeUndefined();
    expect(rules.urlError('s3://b/k?versionId=', '2.3')).toBe('invalid S3 object VersionId');
    expect(rules.urlError('s3://b/k?versionId=3', '2.3')).toBeUndefined();
    expect(rules.urlError('s3://b/k?versionId=', '2.2')).toBeUndefined();
  });

  it('file sources name the URL in 2.3 only; references never do', () => {
    expect(texts(rules.fileSourceRule('ftp://x', '2.2'))).toEqual(['error: invalid url scheme']);
    expect(texts(rules.fileSourceRule('ftp://x', '2.3'))).toEqual(['error: invalid url "ftp://x": invalid url scheme']);
    expect(texts(rules.referenceSourceRule('ftp://x', '2.3'))).toEqual(['error: invalid url scheme']);
  });
});

describe('verification hash', () => {
  it.each([
    [undefined, []],
    [`sha512-${SHA512_SUM}`, []],
    [`sha512${SHA512_SUM}`, ['error: malformed hash specifier']],
    [`sha256-${SHA512_SUM}`, ['error: unrecognized hash function']],
    ['sha512-abc', ['error: incorrect size for hash sum']],
    // Only the length of the sum is checked, not its characters.
    [`sha512-${'z'.repeat(128)}`, []],
  ])('%j', (hash, expected) => {
    expect(texts(rules.verificationRule({ hash }))).toEqual(expected);
  });
});

describe('nodes, files and links', () => {
  it('checks modes in 0..07777', () => {
    expect(texts(rules.modeRule(0o7777))).toEqual([]);
    expect(texts(rules.modeRule(-1))).toEqual(['error: illegal file mode']);
    expect(texts(rules.modeRule(undefined))).toEqual([]);
  });

  it('rejects append with overwrite, and id with name', () => {
    expect(texts(rules.appendOverwriteRule({ append: true, overwrite: true }))).toEqual(['error: cannot set both append and overwrite to true']);
    expect(texts(rules.appendOverwriteRule({ append: true, overwrite: false }))).toEqual([]);
    expect(texts(rules.nodeOwnerRule({ id: 0, name: 'core' }))).toEqual(['error: cannot set both id and name']);
    expect(texts(rules.nodeOwnerRule({ id: 0, name: '' }))).toEqual([]);
  });

  it('checks soft-link targets only (2.2)', () => {
    expect(texts(rules.linkTargetRule({ hard: false, target: 'rel' }))).toEqual(['error: path not absolute']);
    expect(texts(rules.linkTargetRule({ hard: true, target: 'rel' }))).toEqual([]);
  });

  it('reports a file append+overwrite conflict without descending into the file', () => {
    const out = config('coreos', {
      storage: { files: [make('coreos', 'storage.files', { filesystem: 'root', path: 'rel', append: true, overwrite: true, mode: 0o644 })] },
    });
    expect(printed(validateIgnition(out, 'coreos', undefined))).toBe('error: cannot set both append and overwrite to true');
  });

  it('uses Go path.Ext for unit extensions', () => {
    expect(rules.pathExt('a.d/b')).toBe('');
    expect(rules.pathExt('x.tar.gz')).toBe('.gz');
    expect(rules.pathExt('.service')).toBe('.service');
  });
});

describe('partitions and disks', () => {
  it('validates GUIDs case-insensitively and allows empty ones', () => {
    expect(texts(rules.guidRule(''))).toEqual([]);
    expect(texts(rules.guidRule('5dfbf5f4-2848-4BAC-AA5E-0D9A20B745A6'))).toEqual([]);
    expect(texts(rules.guidRule('raid_containing_root'))).toEqual(['error: doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"']);
  });

  it('limits labels to 36 bytes and warns about colons', () => {
    expect(texts(rules.partitionLabelRule('x'.repeat(36)))).toEqual([]);
    // 18 two-byte characters are 36 bytes; 19 are 38.
    expect(texts(rules.partitionLabelRule('é'.repeat(19)))).toEqual(['error: partition labels may not exceed 36 characters']);
    expect(texts(rules.partitionLabelRule(`${'y'.repeat(37)}:`))).toEqual([
      'error: partition labels may not exceed 36 characters',
      'warning: partition label will be truncated to text before the colon',
    ]);
  });

  it('detects collisions, overlap and misalignment in 2.2 sectors', () => {
    const p = (number: number, start: number, size: number) => ({ guid: '', label: '', number, start, size, typeGuid: '' });
    expect(texts(diskPartitionsRule({ partitions: [p(1, 2048, 4096), p(2, 4097, 10)] }, '2.2'))).toEqual([
      'error: partitions overlap',
      'error: partitions misaligned',
    ]);
    expect(texts(diskPartitionsRule({ partitions: [p(0, 0, 0), p(0, 0, 0)] }, '2.2'))).toEqual([]);
    // Go compares partitions by value: identical entries are never checked against each other.
    expect(texts(diskPartitionsRule({ partitions: [p(0, 2048, 10), p(0, 2048, 10)] }, '2.2'))).toEqual([]);
    expect(texts(diskPartitionsRule({ partitions: [p(3, 0, 0), p(3, 0, 0)] }, '2.2'))).toEqual(['error: partition numbers collide']);
  });

  it('never sees overlap from MiB fields in 2.3, but reports its own partition checks', () => {
    const parts = [
      { number: 1, startMiB: 1, sizeMiB: 100 },
      { number: 2, startMiB: 50, sizeMiB: 100 },
    ];
    expect(texts(diskPartitionsRule({ partitions: parts }, '2.3'))).toEqual([]);
    const out = config('flatcar', {
      storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1, start: 2048, sizeMiB: 4 }] }] },
    });
    expect(printed(validateIgnition(out, 'flatcar', undefined))).toBe(
      ['error: cannot mix MBs and sectors within a disk', 'error: cannot mix MBs and sectors within a disk'].join('\n'),
    );
  });

  it('reports 2.3 sector fields as deprecated, in field order after the GUID check', () => {
    const out = config('flatcar', { storage: { disks: [{ device: '/dev/sda', partitions: [{ guid: 'bad', size: 10, start: 2048 }] }] } });
    expect(printed(validateIgnition(out, 'flatcar', undefined))).toBe(
      [
        'error: doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"',
        'deprecated: size is deprecated; use sizeMB instead',
        'deprecated: start is deprecated; use startMB instead',
      ].join('\n'),
    );
  });

  it('requires an absolute disk device', () => {
    expect(texts(rules.diskDeviceRule({ device: '' }))).toEqual(['error: disk device is required']);
    expect(texts(rules.diskDeviceRule({ device: 'sda' }))).toEqual(['error: path not absolute']);
  });
});

describe('raid, filesystems and mounts', () => {
  it('knows raid levels and spares', () => {
    expect(texts(rules.raidLevelRule({ level: 'stripe', spares: 0 }))).toEqual([]);
    expect(texts(rules.raidLevelRule({ level: 'raid10', spares: 2 }))).toEqual([]);
    expect(texts(rules.raidLevelRule({ level: 'raid7', spares: 0 }))).toEqual(['error: unrecognized raid level']);
    expect(texts(rules.raidDevicesRule({ devices: ['a', '/b', 'c'] }))).toEqual(['error: path not absolute', 'error: path not absolute']);
  });

  it('checks devices before the level (Go field order)', () => {
    const out = config('coreos', { storage: { raid: [{ name: 'md', level: 'bogus', devices: ['rel'] }] } });
    expect(printed(validateIgnition(out, 'coreos', undefined))).toBe(['error: path not absolute', 'error: unrecognized raid level'].join('\n'));
  });

  it('checks filesystem shape and path per spec', () => {
    expect(texts(rules.filesystemRule({ mount: { create: undefined }, path: '/x' }))).toEqual(['error: filesystem has both mount and path defined']);
    expect(texts(rules.filesystemPathRule({ name: 'n', path: 'rel' }, '2.2'))).toEqual(['error: path not absolute']);
    expect(texts(rules.filesystemPathRule({ name: 'n', path: 'rel' }, '2.3'))).toEqual(['error: filesystem "n": path not absolute']);
  });

  it('limits mount labels per format, in bytes', () => {
    expect(texts(rules.mountLabelRule({ format: 'vfat', label: 'ABCDEFGHIJK' }))).toEqual([]);
    expect(texts(rules.mountLabelRule({ format: 'vfat', label: 'ABCDEFGHIJKL' }))).toEqual([
      'error: filesystem labels cannot be longer than 11 characters when using vfat',
    ]);
    expect(texts(rules.mountLabelRule({ format: 'xfs', label: 'x'.repeat(13) }))).toEqual([
      'error: filesystem labels cannot be longer than 12 characters when using xfs',
    ]);
    expect(texts(rules.mountLabelRule({ format: 'ext4', label: undefined }))).toEqual([]);
  });

  it('stops at an invalid format: no device or label checks below it', () => {
    const out = config('coreos', { storage: { filesystems: [{ name: 'f', mount: { device: 'rel', format: 'zfs', label: 'x'.repeat(300) } }] } });
    expect(printed(validateIgnition(out, 'coreos', undefined))).toBe('error: invalid filesystem format');
  });
});

describe('passwd', () => {
  it('lists every user-level field clashing with create, in Go field order', () => {
    const user = {
      create: {},
      gecos: 'g',
      groups: ['a'],
      homeDir: '/h',
      noCreateHome: true,
      noLogInit: true,
      noUserGroup: true,
      primaryGroup: 'p',
      shell: '/s',
      system: true,
      uid: 0,
    };
    expect(texts(rules.passwdUserRule(user))).toEqual([
      'warning: the create object has been deprecated in favor of user-level options',
      ...['gecos', 'groups', 'homeDir', 'noCreateHome', 'noLogInit', 'noUserGroup', 'primaryGroup', 'shell', 'system', 'uid'].map(
        (f) => `error: cannot use both the create object and the user-level ${f} field`,
      ),
    ]);
    expect(texts(rules.passwdUserRule({ create: undefined, gecos: 'g' }))).toEqual([]);
  });
});

describe('units', () => {
  const unit = (over: Record<string, unknown>) => ({ name: 'a.service', enable: false, enabled: undefined, contents: '', ...over });

  it('warns about enabled units without [Install] only when options were parsed', () => {
    const warning = 'warning: unit "a.service" is enabled, but has no install section so enable does nothing';
    expect(texts(rules.systemdUnitContentsRule(unit({ enabled: true, contents: '[Service]\nA=b\n' })))).toEqual([warning]);
    expect(texts(rules.systemdUnitContentsRule(unit({ enabled: true, contents: '[Service]\n' })))).toEqual([]);
    expect(texts(rules.systemdUnitContentsRule(unit({ enabled: true, contents: '[Install]\nWantedBy=x\n' })))).toEqual([]);
    expect(texts(rules.systemdUnitContentsRule(unit({ enabled: false, enable: false, contents: '[Service]\nA=b\n' })))).toEqual([]);
  });

  it('reports content errors before the extension, for drop-ins and networkd units', () => {
    expect(texts(rules.systemdDropinRule({ name: 'x.txt', contents: '[Service] trailing\n' }))).toEqual([
      'error: invalid unit content: found garbage after section name : [116 114 97 105 108 105 110 103]',
      'error: invalid systemd drop-in extension',
    ]);
    expect(texts(rules.networkdDropinRule({ name: 'x.conf', contents: 'Name=eth0\n' }))).toEqual([]);
    expect(texts(rules.networkdUnitRule({ name: 'x.link', contents: '[Match]\nName\n' }))).toEqual([
      'error: invalid unit content: unexpected newline encountered while parsing option name',
    ]);
  });

  it('positions unit hooks at their values in json tag mode', () => {
    const ast = astFromYaml('systemd:\n  units:\n    - name: x.bad\n      contents: "[A"\n');
    const out = config('coreos', { systemd: { units: [{ name: 'x.bad', contents: '[A' }] } });
    expect(printed(validateIgnition(out, 'coreos', ast))).toBe(
      ['error at line 4, column 17', 'invalid unit content: unable to find end of section', 'error at line 3, column 13', 'invalid systemd unit extension'].join('\n'),
    );
  });
});

describe('root checks', () => {
  it('skips nodes without a filesystem and treats root as defined', () => {
    const cfg = {
      storage: { files: [{ filesystem: '', path: '/a' }, { filesystem: 'root', path: '/b' }], links: null, directories: null, filesystems: null },
    };
    expect(texts(configRule(cfg))).toEqual([]);
  });

  it('checks the version against the spec', () => {
    expect(texts(versionRule({ version: '2.2.0' }, '2.2'))).toEqual([]);
    expect(texts(versionRule({ version: '2.3.0' }, '2.2'))).toEqual(['error: incorrect config version (too new)']);
    expect(texts(versionRule({ version: '1.0.0' }, '2.3'))).toEqual(['error: incorrect config version (too old)']);
    expect(texts(versionRule({ version: '2.3' }, '2.3'))).toEqual(["error: invalid config version (couldn't parse)"]);
  });
});

/**
 * Butane's validation of the Ignition config it generates (duplicates, then every type's Validate).
 * Expected entries come from the real programs: the stderr of Butane v0.23.0 in the conformance
 * vectors (JSON paths there are shown snake_cased, butane `config/util/util.go` `snakePath`), and
 * Debian's `ignition-validate` (Ignition 2.14.0) on hand-made 3.3.0 configs.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { ButaneEntry } from '../../transpiler/butane/entry';
import type { GoStruct } from '../../transpiler/schema';
import type { IgnitionVersion } from '../../transpiler/ignition-v3/types';
import { validateConfig, validateDuplicates, validateIgnition } from '../../transpiler/ignition-v3/validate';

const VECTORS = join(__dirname, '..', 'conformance', 'butane');

/** butane `Snake`: camelCase JSON keys as the YAML-side path prints them. */
const snake = (s: string): string => s.replace(/(MiB|[A-Z])/g, '_$1').toLowerCase();
const line = (e: ButaneEntry): string => `${e.kind} at $${e.path.map((p) => `.${typeof p === 'string' ? snake(p) : p}`).join('')}: ${e.message}`;
const jsonLine = (e: ButaneEntry): string => `${e.kind} at $${e.path.map((p) => `.${p}`).join('')}: ${e.message}`;

/** Report lines of a vector's stderr, without positions and without the final summary line. */
function stderrEntries(name: string): string[] {
  return readFileSync(join(VECTORS, name, 'stderr.txt'), 'utf8')
    .split('\n')
    .filter((l) => /^(error|warning|info) at /.test(l))
    .map((l) => l.replace(/, line \d+ col \d+:/, ':'));
}

/** Entries made by Butane itself (translation, unused keys), not by Ignition's validation. */
const BUTANE_OWN = [/: unreasonable mode would be/, /: Unused key /, /: context tree does not match/, /: incorrect partition number;/];

const vectorNames = existsSync(VECTORS) ? readdirSync(VECTORS).filter((n) => existsSync(join(VECTORS, n, 'stderr.txt'))) : [];

describe('generated configs of the vectors', () => {
  const withOutput = vectorNames.filter((n) => existsSync(join(VECTORS, n, 'expected.ign')) && readFileSync(join(VECTORS, n, 'expected.ign'), 'utf8') !== '');
  it('has vectors', () => expect(withOutput.length).toBeGreaterThan(40));
  it.each(withOutput)('%s: Ignition findings are exactly those Butane printed', (name) => {
    const config = JSON.parse(readFileSync(join(VECTORS, name, 'expected.ign'), 'utf8')) as GoStruct;
    const expected = stderrEntries(name).filter((l) => !BUTANE_OWN.some((re) => re.test(l)));
    expect(validateIgnition(config, config.ignition.version as IgnitionVersion).map(line)).toEqual(expected);
  });
});

/** What Butane generated for each `err-*` vector that failed with `config generated was invalid`. */
const GENERATED: Readonly<Record<string, { version: IgnitionVersion; config: GoStruct }>> = {
  'err-dirty-path': { version: '3.3.0', config: { storage: { directories: [{ path: '/etc/../etc/dirty/' }] } } },
  'err-dropin-bad-extension': {
    version: '3.3.0',
    config: { systemd: { units: [{ name: 'a.service', dropins: [{ name: 'override.txt', contents: '[Service]\n' }] }] } },
  },
  'err-duplicate-units': {
    version: '3.3.0',
    config: { systemd: { units: [{ name: 'a.service', mask: true }, { name: 'a.service', enabled: false }] } },
  },
  'err-duplicate-users': { version: '3.3.0', config: { passwd: { users: [{ name: 'core' }, { name: 'core' }] } } },
  'err-fcos-1_4-tang-no-thumbprint': {
    version: '3.3.0',
    config: {
      storage: {
        luks: [{ name: 'root', label: 'luks-root', device: '/dev/disk/by-partlabel/root', clevis: { tang: [{ url: 'https://tang.example.com' }] }, wipeVolume: true }],
        filesystems: [{ device: '/dev/mapper/root', format: 'xfs', label: 'root', wipeFilesystem: true }],
      },
    },
  },
  'err-fcos-1_5-clevis-custom-with-tpm2': {
    version: '3.4.0',
    config: { storage: { luks: [{ name: 'd', device: '/dev/vdb', clevis: { tpm2: true, custom: { pin: 'tpm2', config: '{}' } } }] } },
  },
  'err-flatcar-1_0-arn-source': {
    version: '3.3.0',
    config: { storage: { files: [{ path: '/etc/arn', contents: { source: 'arn:aws:s3:us-west-1:123456789012:accesspoint/test/object/some/path' } }] } },
  },
  'err-hash-unknown-function': {
    version: '3.3.0',
    config: {
      storage: { files: [{ path: '/etc/h', contents: { source: 'https://example.com/h', verification: { hash: 'md5-d41d8cd98f00b204e9800998ecf8427e' } } }] },
    },
  },
  'err-hash-wrong-size': {
    version: '3.3.0',
    config: { storage: { files: [{ path: '/etc/h', contents: { source: 'https://example.com/h', verification: { hash: 'sha256-abcdef' } } }] } },
  },
  'err-http-headers-on-inline': {
    version: '3.3.0',
    config: { storage: { files: [{ path: '/etc/hdr', contents: { source: 'data:,x', httpHeaders: [{ name: 'X-A', value: 'b' }] } }] } },
  },
  'err-link-without-target': { version: '3.3.0', config: { storage: { links: [{ path: '/etc/dangling' }] } } },
  'err-luks-name-slash': { version: '3.3.0', config: { storage: { luks: [{ name: 'bad/name', device: '/dev/vdb' }] } } },
  'err-merge-config-no-source': { version: '3.3.0', config: { ignition: { config: { merge: [{ compression: 'gzip' }] } } } },
  'err-mode-too-large': { version: '3.4.0', config: { storage: { files: [{ path: '/etc/huge-mode', mode: 0o177777 }] } } },
  'err-node-user-id-and-name': { version: '3.3.0', config: { storage: { files: [{ path: '/etc/owned', user: { id: 0, name: 'root' } }] } } },
  'err-overwrite-without-contents': { version: '3.3.0', config: { storage: { files: [{ path: '/etc/o', overwrite: true }] } } },
  'err-partition-bad-guid': {
    version: '3.3.0',
    config: { storage: { disks: [{ device: '/dev/vdb', partitions: [{ label: 'p', typeGuid: 'not-a-guid' }] }] } },
  },
  'err-raid-bad-level': { version: '3.3.0', config: { storage: { raid: [{ name: 'md0', level: 'raid7', devices: ['/dev/vdb', '/dev/vdc'] }] } } },
  'err-source-bad-scheme': { version: '3.3.0', config: { storage: { files: [{ path: '/etc/ftp', contents: { source: 'ftp://example.com/file' } }] } } },
  'err-unit-bad-contents': { version: '3.3.0', config: { systemd: { units: [{ name: 'a.service', contents: '[Service\nExecStart=/bin/true\n' }] } } },
  'err-unit-bad-extension': { version: '3.3.0', config: { systemd: { units: [{ name: 'bad.unit-type', contents: '[Unit]\n' }] } } },
  'err-unit-no-extension': { version: '3.3.0', config: { systemd: { units: [{ name: 'noext', mask: true }] } } },
  'err-verification-without-source': {
    version: '3.3.0',
    config: { storage: { files: [{ path: '/etc/v', contents: { verification: { hash: 'sha256-9202af6ce925b26ae6b25adfff0b2705147e195fa38dd58ae6ecc58ed263751f' } } }] } },
  },
};

describe('configs Butane rejected as invalid', () => {
  const invalid = vectorNames.filter((n) => readFileSync(join(VECTORS, n, 'stderr.txt'), 'utf8').trimEnd().endsWith('config generated was invalid'));
  it('covers every such vector here', () => {
    expect(invalid.filter((n) => !(n in GENERATED))).toEqual([]);
  });
  it.each(Object.keys(GENERATED).filter((n) => vectorNames.includes(n)))('%s', (name) => {
    const { version, config } = GENERATED[name];
    const full = { ...config, ignition: { version, ...((config.ignition as GoStruct | undefined) ?? {}) } };
    expect(validateIgnition(full, version).map(line)).toEqual(stderrEntries(name));
  });
});

/** ignition-validate 2.14.0 output (positions removed) for this config: Validate findings, then duplicates. */
const IGNITION_VALIDATE_314 = {
  config: {
    ignition: {
      version: '3.3.0',
      config: { merge: [{ source: 'ftp://x' }, { source: 'ftp://x' }], replace: { source: 's3://b/k?versionId=' } },
      proxy: { httpProxy: 'ftp://p', httpsProxy: 'http://p', noProxy: ['a', 'a'] },
      security: { tls: { certificateAuthorities: [{}, { source: 'data:;base64,%%%' }] } },
    },
    kernelArguments: { shouldExist: ['a'], shouldNotExist: ['a', 'b', 'b'] },
    passwd: { users: [{ name: 'u', groups: ['g', 'g'], sshAuthorizedKeys: ['k', 'k'] }], groups: [{ name: 'g' }, { name: 'g' }] },
    storage: {
      directories: [{ path: '/l/d', mode: -1 }, { path: 'rel' }, { path: '/d3' }],
      files: [
        {
          path: '/l/f',
          contents: { compression: 'xz', httpHeaders: [{ name: '' }, { name: '', value: '' }], source: 'http://x', verification: { hash: 'nodash' } },
          append: [{ source: 'http://a' }, { source: 'http://a' }],
          mode: 0o6000,
        },
        { path: '/d2', group: { id: 1, name: 'x' }, contents: { source: 'arn:aws:s3:::bucket/key' } },
        { path: '/d2' },
        { path: '/v', contents: { source: 'http://[::1' } },
        { path: '/w', contents: { source: 'data:,a b' } },
        { path: '/t', contents: { source: 'tftp://h/x', verification: { hash: 'sha512-00' } } },
        { path: '/d3' },
      ],
      links: [
        { path: '/l', target: '/x' },
        { path: '/l/sub', target: 'y', hard: true },
        { path: '/h', hard: true, target: '/d3' },
        { path: '/r', hard: true, target: '../d3' },
        { path: '/d/../x', target: '/t' },
      ],
      disks: [
        {
          device: '/dev/a',
          partitions: [
            { number: 1, startMiB: 10, sizeMiB: 10 },
            { number: 1, startMiB: 15, sizeMiB: 10, label: 'a:b' },
            { label: '0123456789012345678901234567890123456', guid: 'zz' },
            { shouldExist: false, label: 'x' },
          ],
        },
        { device: '' },
      ],
      filesystems: [
        { device: '/dev/e', format: 'ext4', label: '01234567890123456' },
        { device: '/dev/b', format: 'xfs', path: 'rel' },
        { device: '/dev/c', format: 'zfs' },
        { device: '/dev/d', format: 'vfat', label: 'abcdefghijkl' },
        { device: '/dev/x', options: ['-L', 'x'] },
        { device: '/dev/y', label: 'l' },
        { device: 'dev/z', format: 'swap', label: '0123456789abcdef', uuid: 'u' },
      ],
      luks: [
        {
          name: 'x',
          device: '/dev/a',
          label: '012345678901234567890123456789012345678901234567',
          keyFile: { source: 'ftp://k' },
          clevis: { custom: { pin: 'bad' }, tang: [{ url: 'ftp://t' }, { url: 'ftp://t', thumbprint: 't' }] },
        },
        { name: 'x' },
        { name: 'y', device: '/dev/c', clevis: { custom: { config: 'c', needsNetwork: true } } },
      ],
      raid: [{ name: 'r', level: 'raid0', spares: 1, devices: ['/dev/a', 'rel', '/dev/a'], options: ['o', 'o'] }, { name: 'r2' }, { name: 'r' }],
    },
    systemd: {
      units: [
        { name: 'a.service', enabled: true, contents: '[Unit]\nA=b\n', dropins: [{ name: 'x.conf', contents: '[Service' }, { name: 'x.conf' }, { name: 'y' }] },
        { name: 'b.service', contents: '[Unit\n' },
        { name: 'a.service' },
        { name: 'x.timer', mask: true },
        { name: 'y.servic' },
        { name: 'w.service', enabled: true, contents: '# only a comment\n' },
      ],
    },
  },
  validate: [
    'error at $.ignition.config.merge.0: invalid url scheme',
    'error at $.ignition.config.merge.1: invalid url scheme',
    'error at $.ignition.config.merge.0.source: invalid url scheme',
    'error at $.ignition.config.merge.1.source: invalid url scheme',
    'error at $.ignition.config.replace.source: invalid S3 object VersionId',
    'error at $.ignition.proxy.httpProxy: proxies must be http(s)',
    'warning at $.ignition.proxy.httpsProxy: insecure plaintext HTTP proxy specified for HTTPS resources',
    'error at $.ignition.security.tls.certificateAuthorities.0: source is required',
    'error at $.ignition.security.tls.certificateAuthorities.1: invalid data character',
    'error at $.ignition.security.tls.certificateAuthorities.1.source: invalid data character',
    'error at $.storage.directories.0: directory path includes link in config',
    'error at $.storage.files.0: file path includes link in config',
    'error at $.storage.links.1: link path includes link in config',
    'error at $.storage.links.2: hard link target is a directory',
    'error at $.storage.links.3: hard link target is a directory',
    'error at $.storage.directories.0.mode: illegal file mode',
    'warning at $.storage.directories.0.mode: setuid/setgid/sticky bits are not supported in spec versions older than 3.4.0',
    'error at $.storage.directories.1.path: path not absolute',
    'error at $.storage.disks.0.partitions.1: partition numbers collide',
    'error at $.storage.disks.0.partitions.1: partitions overlap',
    'error at $.storage.disks.0.partitions: shouldExist is false for a partition and other partition(s) has start or size 0',
    'error at $.storage.disks.0.partitions.1.label: partition label will be truncated to text before the colon',
    'error at $.storage.disks.0.partitions.2.label: partition labels may not exceed 36 characters',
    'error at $.storage.disks.0.partitions.2.guid: doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"',
    'error at $.storage.disks.0.partitions.3: shouldExist specified false with other options also specified',
    'error at $.storage.disks.1.device: disk device is required',
    'warning at $.storage.files.0.mode: setuid/setgid/sticky bits are not supported in spec versions older than 3.4.0',
    'error at $.storage.files.0.contents.compression: invalid compression method',
    "error at $.storage.files.0.contents.httpHeaders.0.name: HTTP header name can't be empty",
    "error at $.storage.files.0.contents.httpHeaders.1.name: HTTP header name can't be empty",
    'error at $.storage.files.0.contents.httpHeaders.1.value: unable to parse HTTP header',
    'error at $.storage.files.0.contents.verification.hash: malformed hash specifier',
    'error at $.storage.files.1.group: cannot set both id and name',
    'error at $.storage.files.1.contents.source: invalid url scheme',
    'error at $.storage.files.3.contents.source: unable to parse url',
    'error at $.storage.files.4.contents.source: invalid data character',
    'error at $.storage.files.5.contents.verification.hash: incorrect size for hash sum',
    'error at $.storage.filesystems.0.label: filesystem labels cannot be longer than 16 characters when using ext4',
    'error at $.storage.filesystems.1.path: path not absolute',
    'error at $.storage.filesystems.2.format: invalid filesystem format',
    'error at $.storage.filesystems.3.label: filesystem labels cannot be longer than 11 characters when using vfat',
    'error at $.storage.filesystems.4.format: format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified',
    'error at $.storage.filesystems.5.format: format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified',
    'error at $.storage.filesystems.5.label: filesystem must specify format if label is specified',
    'error at $.storage.filesystems.6.device: path not absolute',
    'error at $.storage.filesystems.6.label: filesystem labels cannot be longer than 15 characters when using swap',
    'error at $.storage.links.4.path: path is not fully simplified',
    'error at $.storage.luks.0.label: luks device labels cannot be longer than 47 characters',
    'error at $.storage.luks.0.clevis: cannot use custom clevis config with tpm2, tang, or threshold',
    'error at $.storage.luks.0.keys: invalid key-file source',
    'error at $.storage.luks.0.clevis.custom.pin: unsupported clevis pin',
    'error at $.storage.luks.0.clevis.custom.config: missing required custom clevis config',
    'error at $.storage.luks.0.clevis.tang.0.url: invalid url scheme',
    'error at $.storage.luks.0.clevis.tang.0.thumbprint: thumbprint is required',
    'error at $.storage.luks.0.clevis.tang.1.url: invalid url scheme',
    'error at $.storage.luks.0.keyFile.source: invalid url scheme',
    'error at $.storage.luks.1.device: disk device is required',
    'error at $.storage.luks.2.clevis.custom.pin: missing required custom clevis pin',
    'error at $.storage.raid.0.level: spares unsupported for linear and raid0 arrays',
    'error at $.storage.raid.0.devices.1: path not absolute',
    'error at $.storage.raid.1.level: raid level is required',
    'error at $.storage.raid.1.devices: raid devices required',
    'error at $.storage.raid.2.level: raid level is required',
    'error at $.storage.raid.2.devices: raid devices required',
    'warning at $.systemd.units.0.contents: unit "a.service" is enabled, but has no install section so enable does nothing',
    'error at $.systemd.units.0.dropins.0.contents: invalid unit content: unable to find end of section',
    'error at $.systemd.units.0.dropins.2.name: invalid systemd drop-in extension',
    'error at $.systemd.units.1.contents: invalid unit content: unable to find end of section',
    'error at $.systemd.units.4.name: invalid systemd unit extension',
    'warning at $.systemd.units.5.contents: unit "w.service" is enabled, but has no install section so enable does nothing',
  ],
  duplicates: [
    'error at $.ignition.config.merge.1: duplicate entry defined',
    'error at $.ignition.proxy.noProxy.1: duplicate entry defined',
    'error at $.kernelArguments.shouldNotExist.0: duplicate entry defined',
    'error at $.kernelArguments.shouldNotExist.2: duplicate entry defined',
    'error at $.passwd.groups.1: duplicate entry defined',
    'error at $.passwd.users.0.groups.1: duplicate entry defined',
    'error at $.passwd.users.0.sshAuthorizedKeys.1: duplicate entry defined',
    'error at $.storage.files.2: duplicate entry defined',
    'error at $.storage.files.6: duplicate entry defined',
    'error at $.storage.luks.1: duplicate entry defined',
    'error at $.storage.raid.2: duplicate entry defined',
    'error at $.storage.disks.0.partitions.1: duplicate entry defined',
    'error at $.storage.files.0.contents.httpHeaders.1: duplicate entry defined',
    'error at $.storage.luks.0.clevis.tang.1: duplicate entry defined',
    'error at $.storage.raid.0.devices.2: duplicate entry defined',
    'error at $.systemd.units.2: duplicate entry defined',
    'error at $.systemd.units.0.dropins.1: duplicate entry defined',
  ],
};

describe('spec 3.3.0 rules against ignition-validate', () => {
  const { config, validate, duplicates } = IGNITION_VALIDATE_314;
  it('reports the same Validate findings in the same order', () => {
    expect(validateConfig(config, '3.3.0').map(jsonLine)).toEqual(validate);
  });
  it('reports the same duplicates in the same order', () => {
    expect(validateDuplicates(config, '3.3.0').map(jsonLine)).toEqual(duplicates);
  });
  it('puts duplicates first in the whole report, as Butane merges them', () => {
    expect(validateIgnition(config, '3.3.0').map(jsonLine)).toEqual([...duplicates, ...validate]);
  });
});

/** Rules newer than Ignition 2.14; expected values from ignition's own `config/v3_x/types/*_test.go`. */
describe('rules checked against ignition unit tests', () => {
  const ign = (version: IgnitionVersion, rest: GoStruct): GoStruct => ({ ignition: { version }, ...rest });

  it('a node where a unit or drop-in with contents is written conflicts (config_test.go)', () => {
    const dropin = { name: 'foo.service', dropins: [{ name: 'bar.conf', contents: '[Foo]\nQux=Bar' }] };
    const at = '/etc/systemd/system/foo.service.d/bar.conf';
    const config = ign('3.4.0', {
      storage: { files: [{ path: at }], directories: [{ path: at }], links: [{ path: at, target: '/qux.conf' }] },
      systemd: { units: [dropin] },
    });
    expect(validateConfig(config, '3.4.0').map(jsonLine)).toEqual([
      'error at $.storage.files.0.path: path conflicts with systemd unit or dropin',
      'error at $.storage.directories.0.path: path conflicts with systemd unit or dropin',
      'error at $.storage.links.0.path: path conflicts with systemd unit or dropin',
    ]);
  });

  it('an enabled instance of a template without [Install] warns (systemd_test.go)', () => {
    const config = ign('3.4.0', {
      systemd: { units: [{ name: 'test@.service', contents: '[Foo]\nQux=Bar' }, { name: 'test@foo.service', enabled: true }] },
    });
    expect(validateIgnition(config, '3.4.0').map(jsonLine)).toEqual([
      'warning at $.systemd.units.1.contents: template unit "test@.service" for "test@foo.service" doesn\'t have Install section',
    ]);
  });

  it('a filesystem on a partitioned disk overwrites it (storage_test.go)', () => {
    const config = ign('3.3.0', { storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1 }] }], filesystems: [{ device: '/dev/sda' }] } });
    expect(validateIgnition(config, '3.3.0').map(jsonLine)).toEqual(['warning at $.storage.filesystems.0.device: filesystem overwrites partitioned device']);
  });

  it('a tang advertisement must be JSON from spec 3.4 on (tang_test.go)', () => {
    const luks = (advertisement: string): GoStruct => ({
      storage: { luks: [{ name: 'l', device: '/dev/sdb', clevis: { tang: [{ url: 'http://example.com', thumbprint: 'abc', advertisement }] } }] },
    });
    expect(validateIgnition(ign('3.4.0', luks('{{')), '3.4.0').map(jsonLine)).toEqual([
      'error at $.storage.luks.0.clevis.tang.0.advertisement: advertisement is not valid JSON',
    ]);
    expect(validateIgnition(ign('3.5.0', luks('{"payload": "x"}')), '3.5.0')).toEqual([]);
  });

  it('the version must be the spec the types belong to (ignition.go)', () => {
    expect(validateIgnition(ign('3.4.0', {}), '3.3.0').map(jsonLine)).toEqual(['error at $.ignition.version: unsupported config version']);
    expect(validateIgnition(ign('3.x' as IgnitionVersion, {}), '3.5.0').map(jsonLine)).toEqual([
      "error at $.ignition.version: invalid config version (couldn't parse)",
    ]);
  });

  it('3.5 refuses cex together with clevis or a key file, at the cex field (luks.go)', () => {
    const config = ign('3.5.0', {
      storage: { luks: [{ name: 'l', device: '/dev/sdb', cex: { enabled: true }, clevis: { tpm2: true }, keyFile: { source: 'https://example.com/k' } }] },
    });
    expect(validateIgnition(config, '3.5.0').map((e) => [e.kind, e.path.join('.')])).toEqual([
      ['error', 'storage.luks.0.cex'],
      ['error', 'storage.luks.0.cex'],
    ]);
  });
});

/**
 * Phase-3 checks against the real ct's stderr: for vectors whose only messages come from Ignition's
 * validation of the output, the hand-built output (what ct's converters produce for input.yaml) must
 * give exactly ct's stderr, per dialect.
 */
import type { AstNode } from '../../transpiler/ast';
import type { Dialect } from '../../transpiler/convert';
import { validateIgnition } from '../../transpiler/ignition';
import type { GoStruct } from '../../transpiler/schema';
import { config, make, printed, vectorInput, vectorStderr } from './builders';
import { astFromYaml } from './yaml-tree';

const dialects: Dialect[] = ['coreos', 'flatcar'];
const LONG_HASH_SUM = 'f'.repeat(128);

/** ct's files converter re-maps `contents.remote` onto `contents`, and `url` onto `source`. */
function remapRemote(ast: AstNode, fileIndex: number): void {
  const file = ast.child('storage', 'files', fileIndex) as AstNode;
  const remote = file.child('contents', 'remote') as AstNode;
  remote.changeKey('url', 'source', remote.child('url') as AstNode);
  file.changeKey('contents', 'contents', remote);
}

/** Flatcar defaults an empty node filesystem to `root`; upstream keeps it empty. */
const fsDefault = (d: Dialect, fs: string): string => (fs === '' && d === 'flatcar' ? 'root' : fs);

type Case = { build: (d: Dialect) => GoStruct; patch?: (ast: AstNode) => void; only?: Dialect };

const file = (d: Dialect, over: GoStruct): GoStruct =>
  make(d, 'storage.files', { mode: 0o644, contents: { source: 'data:,' }, ...over, filesystem: fsDefault(d, (over.filesystem as string) ?? '') });
const dir = (d: Dialect, over: GoStruct): GoStruct =>
  make(d, 'storage.directories', { mode: 0o755, ...over, filesystem: fsDefault(d, (over.filesystem as string) ?? '') });
const link = (d: Dialect, over: GoStruct): GoStruct =>
  make(d, 'storage.links', { ...over, filesystem: fsDefault(d, (over.filesystem as string) ?? '') });

const cases: Record<string, Case> = {
  'err-multiple-errors-ordering': {
    build: (d) =>
      config(d, {
        systemd: { units: [{ name: 'one.bad' }, { name: 'two.service', dropins: [{ name: 'no-ext' }] }] },
        storage: { files: [file(d, { filesystem: 'root', path: 'rel/one' })], directories: [dir(d, { filesystem: 'root', path: 'rel/two' })] },
      }),
  },
  'err-ca-bad-scheme': {
    build: (d) => config(d, { ignition: { security: { tls: { certificateAuthorities: [{ source: 'gopher://ca.example/ca.pem' }] } } } }),
  },
  'err-file-missing-filesystem': {
    build: (d) =>
      config(d, {
        storage: {
          files: [file(d, { path: '/etc/no-fs', contents: { source: 'data:,x' } })],
          directories: [dir(d, { path: '/var/no-fs' })],
          links: [link(d, { path: '/no-fs-link', target: '/etc/no-fs' })],
        },
      }),
  },
  'err-filesystem-relative-path': { build: (d) => config(d, { storage: { filesystems: [{ name: 'rel', path: 'mnt/rel' }] } }) },
  'err-filesystem-bad-format': {
    build: (d) => config(d, { storage: { filesystems: [{ name: 'win', mount: { device: '/dev/sdb1', format: 'ntfs' } }] } }),
  },
  'err-filesystem-create-with-options': {
    build: (d) =>
      config(d, {
        storage: {
          filesystems: [
            { name: 'conflict', mount: { device: '/dev/sdb1', format: 'ext4', wipeFilesystem: true, options: ['-F'], create: { force: true } } },
          ],
        },
      }),
  },
  'err-filesystem-no-mount-no-path': { build: (d) => config(d, { storage: { filesystems: [{ name: 'nothing' }] } }) },
  'filesystem-create-legacy': {
    build: (d) =>
      config(d, {
        storage: { filesystems: [{ name: 'legacy', mount: { device: '/dev/sdb1', format: 'xfs', create: { force: true, options: ['-m', 'crc=1'] } } }] },
      }),
  },
  'err-partition-overlap': {
    build: (d) => {
      const sized = (n: number, startMiB: number, sizeMiB: number): GoStruct =>
        d === 'flatcar' ? { number: n, startMiB, sizeMiB } : { number: n, start: startMiB * 2048, size: sizeMiB * 2048 };
      return config(d, { storage: { disks: [{ device: '/dev/sda', partitions: [sized(1, 1, 100), sized(2, 50, 100)] }] } });
    },
  },
  'err-partition-number-collision': {
    build: (d) =>
      config(d, { storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1, label: 'a' }, { number: 1, label: 'b' }] }] } }),
  },
  'disk-label-with-colon': {
    build: (d) => config(d, { storage: { disks: [{ device: '/dev/sde', partitions: [{ label: 'data:backup', number: 1 }] }] } }),
  },
  'err-disk-missing-device': { build: (d) => config(d, { storage: { disks: [{ wipeTable: true }] } }) },
  'file-nonexistent-filesystem': {
    build: (d) =>
      config(d, {
        storage: {
          files: [file(d, { filesystem: 'data', path: '/config.json', contents: { source: 'data:,%7B%7D' } })],
          directories: [dir(d, { filesystem: 'scratch', path: '/tmp-dir' })],
          links: [link(d, { filesystem: 'other', path: '/link', target: '/target' })],
        },
      }),
  },
  'err-compression-invalid': {
    build: (d) =>
      config(d, {
        storage: { files: [file(d, { filesystem: 'root', path: '/opt/bz', contents: { source: 'https://example.com/f.bz2', compression: 'bzip2' } })] },
      }),
    patch: (ast) => remapRemote(ast, 0),
  },
  'err-file-bad-data-url': {
    build: (d) =>
      config(d, {
        storage: { files: [file(d, { filesystem: 'root', path: '/etc/baddata', contents: { source: 'data:text/plain;base64,@@@not-base64@@@' } })] },
      }),
    patch: (ast) => remapRemote(ast, 0),
  },
  'err-hash-unknown-function': {
    build: (d) =>
      config(d, {
        storage: {
          files: [
            file(d, {
              filesystem: 'root',
              path: '/opt/md5',
              contents: { source: 'https://example.com/f', verification: { hash: 'md5-d41d8cd98f00b204e9800998ecf8427e' } },
            }),
          ],
        },
      }),
    patch: (ast) => remapRemote(ast, 0),
  },
  'err-hash-wrong-size': {
    build: (d) =>
      config(d, {
        storage: {
          files: [file(d, { filesystem: 'root', path: '/opt/short', contents: { source: 'https://example.com/f', verification: { hash: 'sha512-0123456789abcdef' } } })],
        },
      }),
    patch: (ast) => remapRemote(ast, 0),
  },
  'err-config-append-bad-hash': {
    build: (d) =>
      config(d, {
        ignition: {
          config: {
            append: [{ source: 'https://example.com/a.ign', verification: { hash: 'sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } }],
          },
        },
      }),
  },
  'err-mode-too-large': {
    build: (d) => config(d, { storage: { files: [file(d, { filesystem: 'root', path: '/etc/bigmode', mode: 0o10000 })] } }),
  },
  'err-user-id-and-name': {
    build: (d) => config(d, { storage: { files: [file(d, { filesystem: 'root', path: '/etc/owned', user: { id: 1000, name: 'core' } })] } }),
  },
  'err-group-id-and-name-directory': {
    build: (d) => config(d, { storage: { directories: [dir(d, { filesystem: 'root', path: '/srv/owned', group: { id: 1000, name: 'core' } })] } }),
  },
  'err-link-soft-relative-target': {
    build: (d) => config(d, { storage: { links: [link(d, { filesystem: 'root', path: '/etc/rel-link', target: '../usr/lib/thing' })] } }),
  },
  'err-raid-relative-device': {
    build: (d) => config(d, { storage: { raid: [{ name: 'md0', level: 'raid1', devices: ['sda1', '/dev/sdb1'] }] } }),
  },
  'err-raid-spares-on-raid0': {
    build: (d) => config(d, { storage: { raid: [{ name: 'md0', level: 'raid0', devices: ['/dev/sda1', '/dev/sdb1'], spares: 1 }] } }),
  },
  'err-passwd-create-with-user-fields': {
    build: (d) =>
      config(d, { passwd: { users: [{ name: 'mixed', gecos: 'top-level gecos', shell: '/bin/sh', uid: 1234, create: { gecos: 'create gecos' } }] } }),
  },
  'passwd-user-create-legacy': {
    build: (d) =>
      config(d, {
        passwd: {
          users: [
            {
              name: 'legacy',
              passwordHash: '$1$abc$def',
              create: { uid: 2000, gecos: 'Legacy User', homeDir: '/home/legacy', primaryGroup: 'users', groups: ['adm', 'wheel'], noUserGroup: true, noLogInit: true, shell: '/bin/bash' },
            },
          ],
        },
      }),
  },
  'err-unit-bad-extension': {
    build: (d) => config(d, { systemd: { units: [{ name: 'myapp.conf', contents: '[Service]\nExecStart=/bin/true\n' }] } }),
  },
  'err-unit-no-extension': { build: (d) => config(d, { systemd: { units: [{ name: 'myapp', enable: true }] } }) },
  'err-unit-invalid-contents': {
    build: (d) => config(d, { systemd: { units: [{ name: 'broken.service', contents: '[Service\nExecStart=/bin/true\n' }] } }),
  },
  'systemd-enable-and-enabled-false': {
    build: (d) => config(d, { systemd: { units: [{ name: 'both.service', enable: true, enabled: false, contents: '[Service]\nExecStart=/bin/true\n' }] } }),
  },
  'err-dropin-bad-extension': {
    build: (d) =>
      config(d, { systemd: { units: [{ name: 'docker.service', dropins: [{ name: 'override.service', contents: '[Service]\nRestart=always\n' }] }] } }),
  },
  'err-networkd-bad-extension': {
    build: (d) => config(d, { networkd: { units: [{ name: 'eth0.service', contents: '[Match]\nName=eth0\n' }] } }),
  },
  'err-networkd-line-too-long': {
    build: (d) => config(d, { networkd: { units: [{ name: 'long.network', contents: `[Match]\nName=${'a'.repeat(2100)}\n` }] } }),
  },
  'err-append-and-overwrite': {
    build: (d) =>
      config(d, {
        storage: { files: [file(d, { filesystem: 'root', path: '/etc/both', append: true, overwrite: true, contents: { source: 'data:,x' } })] },
      }),
  },
  'err-partition-bad-guid': {
    build: (d) =>
      config(d, { storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1, typeGuid: 'not-a-guid', guid: '1234' }] }] } }),
  },
  'dropin-contents-without-section': {
    build: (d) =>
      config(d, { systemd: { units: [{ name: 'ok.service', dropins: [{ name: '10-nosection.conf', contents: 'ExecStart=/bin/true\n' }] }] } }),
  },
  'systemd-unit-enable-install': {
    build: (d) =>
      config(d, {
        systemd: {
          units: [
            {
              name: 'hello.service',
              enable: true,
              contents:
                '[Unit]\nDescription=Say hello\nAfter=network-online.target\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/echo "hello world"\n\n[Install]\nWantedBy=multi-user.target\n',
            },
          ],
        },
      }),
  },
  'err-strict-deprecated-create': {
    build: (d) => config(d, { passwd: { users: [{ name: 'legacy', create: { shell: '/bin/bash' } }] } }),
  },
};

describe('validateIgnition reproduces ct stderr', () => {
  for (const [name, c] of Object.entries(cases)) {
    for (const dialect of dialects) {
      it(`${name} (${dialect})`, () => {
        const ast = astFromYaml(vectorInput(name), 'json');
        c.patch?.(ast);
        const report = validateIgnition(c.build(dialect), dialect, ast);
        expect(printed(report)).toBe(vectorStderr(name, dialect));
      });
    }
  }

  it('warning-message-percent-mangling: the root check lands on the first key after comments', () => {
    const name = 'warning-message-percent-mangling';
    for (const dialect of dialects) {
      const out = config(dialect, {
        storage: { files: [file(dialect, { filesystem: 'scratch', path: '/srv/100%done-50%sure.txt' })] },
        passwd: { users: [{ name: 'core' }] },
      });
      const report = validateIgnition(out, dialect, astFromYaml(vectorInput(name)));
      // The first printed entry is the parse-phase unknown key; the rest is phase 3.
      expect(printed(report)).toBe(vectorStderr(name, dialect).split('\n').slice(2).join('\n'));
    }
  });
});

describe('validateIgnition details', () => {
  it('accepts a full valid config', () => {
    const out = config('coreos', {
      ignition: { config: { replace: { source: 'https://example.com/x.ign', verification: { hash: `sha512-${LONG_HASH_SUM}` } } } },
      storage: { files: [file('coreos', { filesystem: 'root', path: '/a', contents: { source: 'data:,a%20b', compression: 'gzip' } })] },
      systemd: { units: [{ name: 'a.service', enabled: true, contents: '[Service]\nExecStart=/x\n[Install]\nWantedBy=multi-user.target\n' }] },
    });
    expect(validateIgnition(out, 'coreos', undefined).entries).toEqual([]);
  });

  it('without an AST every entry is unpositioned', () => {
    const out = config('coreos', { storage: { filesystems: [{ name: 'root', path: '/x' }] } });
    expect(printed(validateIgnition(out, 'coreos', undefined))).toBe('warning: Filesystem "root" shadows exising filesystem definition');
  });

  it('reports shadowed filesystems after nonexistent ones, in list order', () => {
    const out = config('flatcar', {
      storage: {
        files: [file('flatcar', { filesystem: 'nope', path: '/f' })],
        filesystems: [{ name: 'a', path: '/a' }, { name: 'a', path: '/b' }],
      },
    });
    expect(printed(validateIgnition(out, 'flatcar', undefined))).toBe(
      [
        'warning: File "/f" references nonexistent filesystem "nope". (This is ok if it is defined in a referenced config)',
        'warning: Filesystem "a" shadows exising filesystem definition',
      ].join('\n'),
    );
  });
});

/**
 * A Butane config given as a plain object (`ButaneConfig`) translates exactly as its YAML text
 * does: every successful vector without `-d`, read with the `yaml` package into an object, gives
 * Butane's own stdout; report entries of an object carry a path but no line and column.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type ScalarTag } from 'yaml';
import { isButaneConfig, type ButaneConfig, type FcosConfig, type FlatcarConfig } from '../../transpiler/butane/config-types';
import { formatReport } from '../../transpiler/butane/report';
import { translateButane } from '../../transpiler/butane/transpile';

const VECTORS = join(__dirname, '../conformance/butane');

interface Vector {
  readonly name: string;
  readonly args: readonly string[];
  readonly input: string;
  readonly expected: string;
}

/** The vectors Butane translated (exit 0) without a files directory. */
function successfulVectors(): Vector[] {
  const out: Vector[] = [];
  for (const name of readdirSync(VECTORS).sort()) {
    const dir = join(VECTORS, name);
    let exitCode: string;
    try {
      exitCode = readFileSync(join(dir, 'exit_code'), 'utf8').trim();
    } catch {
      continue; // not a vector folder
    }
    const args = readFileSync(join(dir, 'args'), 'utf8').split(/\s+/).filter((a) => a !== '');
    if (exitCode !== '0' || args.some((a) => a === '-d' || a.startsWith('-d') || a.startsWith('--files-dir'))) continue;
    out.push({ name, args, input: readFileSync(join(dir, 'input.bu'), 'utf8'), expected: readFileSync(join(dir, 'expected.ign'), 'utf8') });
  }
  return out;
}

/**
 * yaml.v3 reads a plain `0644` as YAML 1.1 octal (Go's `ParseInt(s, 0, 64)`), the `yaml` package
 * (YAML 1.2 core schema) as decimal 644. In an object the author writes `0o644`; this tag gives
 * the vectors' modes that meaning.
 */
const goOctal: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?0[0-7]+$/,
  resolve: (text: string) => parseInt(text, 8),
};

const toObject = (yamlText: string): unknown => parse(yamlText, { customTags: (tags) => [goOctal, ...tags] });

const vectors = successfulVectors();

describe('vectors given as plain objects', () => {
  it('covers the successful vectors without -d', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const object = toObject(v.input);
    expect(isButaneConfig(object)).toBe(true);
    const pretty = v.args.includes('--pretty') || v.args.includes('-p');
    const outcome = translateButane(object as object, { pretty });
    expect(outcome.error).toBeUndefined();
    expect(outcome.json).toBe(v.expected.replace(/\n$/, ''));
  });
});

describe('report entries of a typed config', () => {
  it('have a path and no line or column', () => {
    const config = {
      variant: 'flatcar',
      version: '1.0.0',
      // a 1.1-only key under 1.0.0 (Unused key), and a decimal-looking mode (validation warning)
      storage: { luks: [{ name: 'd', device: '/dev/vdb', discard: true }], files: [{ path: '/etc/x', mode: 644 }] },
    } satisfies ButaneConfig;
    const outcome = translateButane(config);
    expect(outcome.error).toBeUndefined();
    expect(outcome.entries.length).toBeGreaterThanOrEqual(2);
    for (const e of outcome.entries) {
      expect(e.path.length).toBeGreaterThan(0);
      expect(e.line).toBeUndefined();
      expect(e.column).toBeUndefined();
    }
    expect(outcome.entries.map((e) => e.path.join('.'))).toEqual(expect.arrayContaining(['storage.luks.0.discard', 'storage.files.0.mode']));
    const report = formatReport(outcome.entries);
    expect(report).toContain('warning at $.storage.luks.0.discard: Unused key discard\n');
    expect(report).toContain('warning at $.storage.files.0.mode: unreasonable mode would be reasonable if specified in octal; remember to add a leading zero\n');
    expect(report).not.toMatch(/line \d+ col/);
  });

  it('the same config as YAML has positions', () => {
    const outcome = translateButane('variant: flatcar\nversion: 1.0.0\nstorage:\n  luks:\n    - name: d\n      device: /dev/vdb\n      discard: true\n');
    expect(formatReport(outcome.entries)).toBe('warning at $.storage.luks.0.discard, line 7 col 7: Unused key discard\n');
  });

  it('an error is placed by path too', () => {
    const outcome = translateButane({ variant: 'flatcar', version: '1.0.0', storage: { links: [{ path: '/etc/l' }] } } satisfies ButaneConfig);
    expect(outcome.error).toBe('config generated was invalid');
    expect(formatReport(outcome.entries)).toBe('error at $.storage.links.0.target: link target is required\n');
  });
});

describe('hand-written ButaneConfig objects', () => {
  const expectedOf = (name: string): string => readFileSync(join(VECTORS, name, 'expected.ign'), 'utf8').replace(/\n$/, '');

  it('flatcar: special mode bits in octal (ok-flatcar-1_1-special-mode-bits)', () => {
    const config: FlatcarConfig = {
      variant: 'flatcar',
      version: '1.1.0',
      storage: {
        files: [
          { path: '/usr/local/bin/setuid-tool', mode: 0o4755, contents: { source: 'https://example.com/setuid-tool' } },
          { path: '/usr/local/bin/setgid-tool', mode: 0o2755, contents: { inline: '#!/bin/sh\n' } },
        ],
        directories: [
          { path: '/var/local/tmp', mode: 0o1777 },
          { path: '/srv/group-share', mode: 0o2775 },
        ],
      },
    };
    const outcome = translateButane(config, { pretty: true });
    expect(outcome.entries).toEqual([]);
    expect(outcome.json).toBe(expectedOf('ok-flatcar-1_1-special-mode-bits'));
  });

  it('flatcar: LUKS, a mount unit, users, units (same JSON as the YAML text)', () => {
    const config: ButaneConfig = {
      variant: 'flatcar',
      version: '1.0.0',
      ignition: { timeouts: { http_total: 0 }, proxy: { https_proxy: 'https://proxy.example.com:3128', no_proxy: ['localhost'] } },
      kernel_arguments: { should_exist: ['quiet'], should_not_exist: ['debug'] },
      passwd: {
        users: [{ name: 'core', ssh_authorized_keys: ['ssh-ed25519 AAAA core@example'], groups: ['docker'], no_create_home: false }],
        groups: [{ name: 'ops', gid: 1500 }],
      },
      storage: {
        luks: [{ name: 'secret', device: '/dev/vdb', wipe_volume: true, key_file: { inline: 'not-a-real-key' } }],
        filesystems: [{ device: '/dev/mapper/secret', format: 'ext4', path: '/var/lib/secret', with_mount_unit: true }],
        files: [{ path: '/etc/motd', mode: 0o644, overwrite: true, user: { name: 'core' }, contents: { inline: 'hello\n' } }],
        links: [{ path: '/etc/localtime', target: '/usr/share/zoneinfo/UTC' }],
      },
      systemd: {
        units: [
          { name: 'app.service', enabled: true, contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n', dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=A=1\n' }] },
          { name: 'docker.socket', mask: true },
        ],
      },
    };
    const yaml = [
      'variant: flatcar',
      'version: 1.0.0',
      'ignition: {timeouts: {http_total: 0}, proxy: {https_proxy: "https://proxy.example.com:3128", no_proxy: [localhost]}}',
      'kernel_arguments: {should_exist: [quiet], should_not_exist: [debug]}',
      'passwd:',
      '  users: [{name: core, ssh_authorized_keys: ["ssh-ed25519 AAAA core@example"], groups: [docker], no_create_home: false}]',
      '  groups: [{name: ops, gid: 1500}]',
      'storage:',
      '  luks: [{name: secret, device: /dev/vdb, wipe_volume: true, key_file: {inline: not-a-real-key}}]',
      '  filesystems: [{device: /dev/mapper/secret, format: ext4, path: /var/lib/secret, with_mount_unit: true}]',
      '  files: [{path: /etc/motd, mode: 0644, overwrite: true, user: {name: core}, contents: {inline: "hello\\n"}}]',
      '  links: [{path: /etc/localtime, target: /usr/share/zoneinfo/UTC}]',
      'systemd:',
      '  units:',
      '    - {name: app.service, enabled: true, contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n", dropins: [{name: 10-env.conf, contents: "[Service]\\nEnvironment=A=1\\n"}]}',
      '    - {name: docker.socket, mask: true}',
      '',
    ].join('\n');
    const typed = translateButane(config, { pretty: true });
    const text = translateButane(yaml, { pretty: true });
    expect(text.error).toBeUndefined();
    expect(text.entries).toEqual([]);
    expect(typed.entries).toEqual([]);
    expect(typed.json).toBe(text.json);
    const ignition = JSON.parse(typed.json ?? '{}');
    expect(ignition.ignition.version).toBe('3.3.0');
    expect(ignition.systemd.units.map((u: { name: string }) => u.name)).toEqual(['var-lib-secret.mount', 'app.service', 'docker.socket']);
    expect(ignition.storage.files[0].mode).toBe(420);
  });

  it('fcos: mirrored, encrypted boot disk (ok-fcos-1_5-boot-device-mirror-luks-tang-aarch64)', () => {
    const config: FcosConfig = {
      variant: 'fcos',
      version: '1.5.0',
      boot_device: {
        layout: 'aarch64',
        luks: {
          tang: [
            {
              url: 'https://tang1.example.com',
              thumbprint: 'REPLACE-THIS-WITH-YOUR-TANG-THUMBPRINT',
              advertisement: '{"payload": "eyJrZXlzIjogW119", "protected": "eyJhbGciOiJFUzUxMiIsImN0eSI6Imp3ay1zZXQranNvbiJ9", "signature": "AAAA"}',
            },
            { url: 'http://tang2.example.com', thumbprint: 'SECOND-THUMBPRINT' },
          ],
          threshold: 2,
          tpm2: true,
        },
        mirror: { devices: ['/dev/sda', '/dev/sdb', '/dev/sdc'] },
      },
    };
    const outcome = translateButane(config, { pretty: true });
    expect(outcome.entries).toEqual([]);
    expect(outcome.json).toBe(expectedOf('ok-fcos-1_5-boot-device-mirror-luks-tang-aarch64'));
  });

  it('fcos: GRUB users (ok-fcos-1_5-grub-users), compact and pretty', () => {
    const config: ButaneConfig = {
      variant: 'fcos',
      version: '1.5.0',
      grub: {
        users: [
          { name: 'root', password_hash: 'grub.pbkdf2.sha512.10000.AAAA.BBBB' },
          { name: 'admin', password_hash: 'grub.pbkdf2.sha512.10000.CCCC.DDDD' },
        ],
      },
    };
    const pretty = translateButane(config, { pretty: true });
    expect(pretty.json).toBe(expectedOf('ok-fcos-1_5-grub-users'));
    const compact = translateButane(config);
    expect(compact.json).toBe(JSON.stringify(JSON.parse(pretty.json ?? '')));
  });

  it('fcos 1.6: the v0_6 fields type-check and translate', () => {
    const config: FcosConfig = {
      variant: 'fcos',
      version: '1.6.0',
      storage: { luks: [{ name: 'data', device: '/dev/vdb', discard: true, open_options: ['--perf-no_read_workqueue'], wipe_volume: true }] },
    };
    const outcome = translateButane(config);
    expect(outcome.entries).toEqual([]);
    expect(JSON.parse(outcome.json ?? '{}')).toEqual({
      ignition: { version: '3.5.0' },
      storage: { luks: [{ device: '/dev/vdb', discard: true, name: 'data', openOptions: ['--perf-no_read_workqueue'], wipeVolume: true }] },
    });
  });

  it('the types refuse what no variant reads (checked by tsc)', () => {
    // @ts-expect-error flatcar has no 1.5.0
    const wrongVersion: ButaneConfig = { variant: 'flatcar', version: '1.5.0' };
    // @ts-expect-error boot_device is fcos only
    const flatcarBoot: FlatcarConfig = { variant: 'flatcar', version: '1.1.0', boot_device: { mirror: { devices: ['/dev/sda', '/dev/sdb'] } } };
    // @ts-expect-error a file needs a path
    const noPath: ButaneConfig = { variant: 'fcos', version: '1.4.0', storage: { files: [{ mode: 0o644 }] } };
    // @ts-expect-error a mode is a number
    const stringMode: ButaneConfig = { variant: 'fcos', version: '1.4.0', storage: { files: [{ path: '/etc/x', mode: '0644' }] } };
    // at run time they are just objects, and Butane says what is wrong
    expect(translateButane(wrongVersion).error).toBe('No translator exists for variant flatcar with version 1.5.0');
    expect(formatReport(translateButane(flatcarBoot).entries)).toBe('warning at $.boot_device: Unused key boot_device\n');
    expect(formatReport(translateButane(noPath).entries)).toBe('error at $.storage.files.0.path: path not specified\n');
    expect(translateButane(stringMode).error).toMatch(/cannot unmarshal !!str `0644` into int/);
  });

  it('isButaneConfig wants an object with a string variant', () => {
    expect(isButaneConfig({ variant: 'flatcar', version: '1.0.0' })).toBe(true);
    expect(isButaneConfig({ variant: 1 })).toBe(false);
    expect(isButaneConfig({ ignition: { version: '3.3.0' } })).toBe(false);
    expect(isButaneConfig(null)).toBe(false);
    expect(isButaneConfig(['variant'])).toBe(false);
    expect(isButaneConfig('variant: flatcar')).toBe(false);
  });
});

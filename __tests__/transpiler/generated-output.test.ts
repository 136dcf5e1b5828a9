/**
 * `TranspileResult.generated`: what ct generated for each section, found in the output under the
 * names it gives, in both dialects and in 3.3.0 output.
 */
import { transpile, type Dialect, type GeneratedOutput, type IgnitionVersion } from '../../transpiler';

interface Output {
  readonly systemd?: { readonly units?: readonly { readonly name: string; readonly dropins?: readonly { readonly name: string; readonly contents: string }[] }[] };
  readonly storage?: { readonly files?: readonly { readonly path: string; readonly contents: { readonly source: string } }[] };
}

const PLAIN = 'passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: [ssh-ed25519 AAAA]\n';
const ETCD = { kind: 'dropin', section: 'etcd', unit: 'etcd-member.service', dropin: '20-clct-etcd-member.conf', values: 'go-%q' };
const FLANNEL = { kind: 'dropin', section: 'flannel', unit: 'flanneld.service', dropin: '20-clct-flannel.conf', values: 'go-%q' };
const DOCKER = { kind: 'dropin', section: 'docker', unit: 'docker.service', dropin: '20-clct-docker.conf', values: 'raw' };
const updateConf = (sections: string[]) => expect.objectContaining({ kind: 'file', path: '/etc/coreos/update.conf', sections });

const SECTIONS: readonly [name: string, config: string, expected: unknown[]][] = [
  ['plain', PLAIN, []],
  ['etcd', 'etcd:\n  name: node-0\n  initial_advertise_peer_urls: http://10.0.0.1:2380\n', [ETCD]],
  ['flannel', 'flannel:\n  etcd_prefix: /coreos.com/network\n', [FLANNEL]],
  ['docker', 'docker:\n  flags: [--debug]\n', [DOCKER]],
  ['update', 'update:\n  group: Stable\n  server: https://example.com/update\n', [updateConf(['update'])]],
  ['locksmith', 'locksmith:\n  reboot_strategy: reboot\n  group: lab\n', [updateConf(['locksmith'])]],
  ['update and locksmith', 'update:\n  group: beta\nlocksmith:\n  reboot_strategy: off\n', [updateConf(['update', 'locksmith'])]],
  [
    'every section, in ct order',
    'flannel:\n  etcd_prefix: /x\netcd:\n  name: a\nlocksmith:\n  reboot_strategy: off\ndocker:\n  flags: [--debug]\n',
    [DOCKER, ETCD, FLANNEL, updateConf(['locksmith'])],
  ],
];

const VARIANTS: readonly [dialect: Dialect, ignitionVersion: IgnitionVersion | undefined][] = [
  ['coreos', undefined],
  ['flatcar', undefined],
  ['coreos', '3.3.0'],
  ['flatcar', '3.3.0'],
];

/** The output `generated` names: the drop-in in its unit, or the (last) file at its path. */
function locate(ignition: Output, output: GeneratedOutput): string | undefined {
  if (output.kind === 'dropin') {
    const units = (ignition.systemd?.units ?? []).filter((unit) => unit.name === output.unit);
    return units.flatMap((unit) => unit.dropins ?? []).find((dropin) => dropin.name === output.dropin)?.contents;
  }
  const source = (ignition.storage?.files ?? []).filter((file) => file.path === output.path).pop()?.contents.source;
  return source === undefined ? undefined : decodeURIComponent(source.replace(/^data:,/, ''));
}

describe.each(VARIANTS)('generated (%s, ignitionVersion %s)', (dialect, ignitionVersion) => {
  test.each(SECTIONS)('%s', (_, config, expected) => {
    const result = transpile(config, { dialect, ignitionVersion });
    expect(result.generated).toEqual(expected);
    for (const output of result.generated) expect(locate(result.ignition as Output, output)).toEqual(expect.any(String));
  });

  test('every line of update.conf has a described key', () => {
    const config = 'update:\n  group: Beta\n  server: https://u.example.com\nlocksmith:\n  reboot_strategy: etcd-lock\n  window_start: Mon 01:00\n  window_length: 1h\n  group: g\n  etcd_endpoints: http://e:2379\n';
    const result = transpile(config, { dialect, ignitionVersion });
    const [file] = result.generated;
    if (file?.kind !== 'file') throw new Error('no generated file');
    const text = locate(result.ignition as Output, file) ?? '';
    const lines = text.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
    expect(lines.map(([key]) => key)).toEqual(['GROUP', 'SERVER', 'REBOOT_STRATEGY', 'LOCKSMITHD_REBOOT_WINDOW_START', 'LOCKSMITHD_REBOOT_WINDOW_LENGTH', 'LOCKSMITHD_GROUP', 'LOCKSMITHD_ENDPOINT']);
    for (const [key, value] of lines) {
      const encoding = file.keys[key];
      expect(encoding).toBeDefined();
      if (encoding.values === 'go-%q') expect(value).toMatch(/^"[^"]*"$/);
      if (encoding.values === 'lower-case') expect(value).toBe(value.toLowerCase());
    }
    expect(file.keys.GROUP).toEqual({ from: 'update.group', values: 'lower-case' });
    expect(file.keys.SERVER).toEqual({ from: 'update.server', values: 'raw', validatedAs: 'URL' });
    expect(file.keys.LOCKSMITHD_GROUP).toEqual({ from: 'locksmith.group', values: 'go-%q' });
  });

  test('etcd and flannel option values are %q-quoted, docker flags raw, as declared', () => {
    const config = 'etcd:\n  name: "a b"\nflannel:\n  etcd_prefix: "/p q"\ndocker:\n  flags: ["--label=x y"]\n';
    const result = transpile(config, { dialect, ignitionVersion });
    const text = (section: string) => locate(result.ignition as Output, result.generated.find((o) => o.kind === 'dropin' && o.section === section)!);
    expect(text('etcd')).toContain('--name="a b"');
    expect(text('flannel')).toContain('--etcd-prefix="/p q"');
    expect(text('docker')).toContain('DOCKER_OPTS=--label=x y"');
  });

  test('--platform adds its coreos-metadata drop-ins (where it has them), raw', () => {
    expect(transpile(PLAIN, { dialect, ignitionVersion, platform: 'gce' }).generated).toEqual([]);
    const result = transpile(PLAIN, { dialect, ignitionVersion, platform: 'openstack-metadata' });
    expect(result.generated).toEqual([
      { kind: 'dropin', section: 'platform', unit: 'coreos-metadata.service', dropin: '20-clct-provider-override.conf', values: 'raw' },
      { kind: 'dropin', section: 'platform', unit: 'coreos-metadata-sshkeys@.service', dropin: '20-clct-provider-override.conf', values: 'raw' },
    ]);
    for (const output of result.generated) expect(locate(result.ignition as Output, output)).toContain('--provider=openstack-metadata');
  });
});

test('only Flatcar update.conf knows the download and machine-alias keys', () => {
  const keysOf = (dialect: Dialect) => {
    const [file] = transpile('update:\n  group: stable\n', { dialect }).generated;
    return file?.kind === 'file' ? Object.keys(file.keys) : [];
  };
  expect(keysOf('flatcar')).toEqual(expect.arrayContaining(['PCR_POLICY_SERVER', 'DOWNLOAD_USER', 'DOWNLOAD_PASSWORD', 'MACHINE_ALIAS']));
  expect(keysOf('coreos')).not.toContain('DOWNLOAD_USER');
});

test('a typed config reports the same as its YAML', () => {
  const typed = transpile({ etcd: { name: 'node-0' }, update: { group: 'stable' } });
  expect(typed.generated).toEqual([ETCD, updateConf(['update'])]);
});

test('a user file at the update.conf path is not reported; ct appends its own after it', () => {
  const config = 'storage:\n  files:\n    - filesystem: root\n      path: /etc/coreos/update.conf\n      mode: 0644\n      contents:\n        inline: GROUP=mine\nupdate:\n  group: stable\n';
  const result = transpile(config);
  expect(result.generated).toEqual([updateConf(['update'])]);
  const [file] = result.generated;
  expect(locate(result.ignition as Output, file)).toBe('GROUP=stable');
});

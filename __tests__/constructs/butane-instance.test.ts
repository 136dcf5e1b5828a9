/**
 * A CoreOSInstance takes a Butane config as it takes a Container Linux Config: YAML text, a file,
 * or a typed object; the variant decides the Ignition spec, and the image must boot it.
 */
import 'cdktf/lib/testing/adapters/jest';
import { AnnotationMetadataEntryType, TerraformVariable } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { Image } from '../../constructs/image';
import { transpileButane, type ButaneConfig } from '../../transpiler';
import { BASE_PROPS, construct, synthInstance, synthProps } from './synth-helpers';

const FLATCAR = Image.flatcar('stable');
const VECTORS = path.join(__dirname, '..', 'conformance', 'butane');
const USERS = 'variant: flatcar\nversion: 1.0.0\npasswd:\n  users:\n    - name: core\n      ssh_authorized_keys: [ssh-ed25519 AAAA core@example]\n';

const userDataOf = (instance: { metadata: Record<string, string> }): string => instance.metadata['user-data'];
const warningsOf = (vm: CoreOSInstance): string[] => vm.node.metadata.filter((e) => e.type === AnnotationMetadataEntryType.WARN).map((e) => String(e.data));

describe('a Butane config', () => {
  test("is recognised by its variant, and its user-data is Butane's output byte for byte", () => {
    const input = readFileSync(path.join(VECTORS, 'ok-flatcar-1_0-links', 'input.bu'), 'utf8');
    const { instance } = synthProps({ config: input, image: FLATCAR });
    expect(userDataOf(instance)).toBe(transpileButane(input).json);
  });

  test.each([
    ['flatcar', '1.0.0', '3.3.0', FLATCAR],
    ['flatcar', '1.1.0', '3.4.0', FLATCAR],
    ['fcos', '1.4.0', '3.3.0', Image.fedoraCoreOS()],
    ['fcos', '1.5.0', '3.4.0', Image.fedoraCoreOS('testing')],
    ['fcos', '1.6.0', '3.5.0', Image.fedoraCoreOS('next')],
  ])('%s %s gives Ignition %s', (variant, version, ignition, image) => {
    const { instance } = synthProps({ config: `variant: ${variant}\nversion: ${version}\n`, image });
    expect(JSON.parse(userDataOf(instance))).toEqual({ ignition: { version: ignition } });
  });

  test('as a typed object', () => {
    const config: ButaneConfig = { variant: 'flatcar', version: '1.1.0', storage: { files: [{ path: '/etc/hostname', mode: 0o644, contents: { inline: 'web-1\n' } }] } };
    const { instance } = synthProps({ config, image: FLATCAR });
    expect(JSON.parse(userDataOf(instance)).storage.files).toEqual([{ path: '/etc/hostname', mode: 420, contents: { compression: '', source: 'data:,web-1%0A' } }]);
  });

  test("from a file, whose directory holds its local files, with {{ variables }}", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'butane-'));
    try {
      mkdirSync(path.join(dir, 'keys'));
      writeFileSync(path.join(dir, 'keys', 'admin.pub'), 'ssh-ed25519 BBBB admin\r\n\r\nssh-ed25519 CCCC other');
      writeFileSync(path.join(dir, 'app.conf'), 'port=8080\n');
      const file = path.join(dir, 'node.bu');
      writeFileSync(
        file,
        'variant: flatcar\nversion: 1.1.0\npasswd:\n  users:\n    - name: core\n      ssh_authorized_keys_local: [keys/admin.pub]\nstorage:\n  files:\n    - path: /etc/app.conf\n      contents:\n        local: app.conf\n    - path: /etc/role\n      contents:\n        inline: "{{ role }}"\n',
      );
      const { instance } = synthProps({ configFile: file, configVariables: { role: 'web' }, image: FLATCAR });
      const ignition = JSON.parse(userDataOf(instance));
      expect(ignition.passwd.users[0].sshAuthorizedKeys).toEqual(['ssh-ed25519 BBBB admin', 'ssh-ed25519 CCCC other']);
      expect(ignition.storage.files.map((f: { contents: { source: string } }) => f.contents.source)).toEqual(['data:,port%3D8080%0A', 'data:,web']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown key is an error at its line and column, or with allowUnknownKeys a warning', () => {
    const typo = 'variant: flatcar\nversion: 1.0.0\npaswd:\n  users: []\n';
    expect(() => construct({ config: typo, image: FLATCAR })).toThrow(
      /^CoreOSInstance stack\/vm: inline config:3:1: error: Unused key paswd \(at \$\.paswd\); fix the key \(a typo, or a field flatcar 1\.0\.0 does not have, leaves that part of the config out\), or set allowUnknownKeys: true to accept it$/,
    );
    expect(warningsOf(construct({ config: typo, image: FLATCAR, allowUnknownKeys: true }))).toEqual(['inline config:3:1: warning: Unused key paswd (at $.paswd)']);
  });

  test("Butane's errors name file, line and column; strict makes warnings fatal", () => {
    const bad = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/x\n      contents:\n        inline: a\n        source: https://example.com/x\n';
    expect(() => construct({ config: bad, image: FLATCAR })).toThrow(
      'CoreOSInstance stack/vm: inline config:8:17: error: only one of the following can be set: inline, local, source (at $.storage.files.0.contents.source)',
    );
    const decimal = 'variant: flatcar\nversion: 1.1.0\nstorage:\n  files:\n    - path: /etc/x\n      mode: 644\n';
    expect(warningsOf(construct({ config: decimal, image: FLATCAR }))).toEqual([
      'inline config:6:13: warning: unreasonable mode would be reasonable if specified in octal; remember to add a leading zero (at $.storage.files.0.mode)',
    ]);
    expect(() => construct({ config: decimal, image: FLATCAR, strict: true })).toThrow(/strict: true makes every warning an error/);
  });

  test('the image must boot the variant', () => {
    expect(() => construct({ config: USERS })).toThrow(/image "coreos-stable" is CoreOS Container Linux, which boots Ignition spec 2 only, and a Butane config gives spec 3/);
    expect(() => construct({ config: 'variant: fcos\nversion: 1.5.0\n', image: FLATCAR })).toThrow(/is Flatcar: its Butane variant is flatcar \(version 1\.0\.0 or 1\.1\.0\), not fcos/);
    expect(() => construct({ config: USERS, image: Image.fedoraCoreOS() })).toThrow(/is Fedora CoreOS: its Butane variant is fcos \(version 1\.4\.0 to 1\.6\.0\), not flatcar/);
    expect(() => construct({ config: USERS, image: Image.custom('projects/me/global/images/mine') })).not.toThrow();
  });

  test('props that only apply to a Container Linux Config are refused', () => {
    expect(() => construct({ config: USERS, image: FLATCAR, ignitionVersion: '2.3.0' })).toThrow(/ignitionVersion 2\.3\.0 applies to Container Linux Configs; a Butane config's variant and version decide its spec/);
    expect(() => construct({ config: USERS, image: FLATCAR, ignitionVersion: '3.3.0' })).not.toThrow();
    expect(() => construct({ config: USERS, image: FLATCAR, dialect: 'flatcar' })).toThrow(/dialect chooses the ct of a Container Linux Config/);
  });

  test('an unsupported variant or version says what is supported', () => {
    expect(() => construct({ config: 'variant: fcos\nversion: 1.3.0\n', image: Image.fedoraCoreOS() })).toThrow(
      /variant fcos with version 1\.3\.0 is not supported by this Butane port; supported: flatcar 1\.0\.0, flatcar 1\.1\.0, fcos 1\.4\.0, fcos 1\.5\.0, fcos 1\.6\.0/,
    );
  });
});

describe('tokens in a Butane config', () => {
  test('stay Terraform references: in a unit, a short file (base64) and a long one (gzip, as Butane chose)', () => {
    const long = 'line of a long configuration file\n'.repeat(20);
    const { instance } = synthInstance((stack) => {
      const region = new TerraformVariable(stack, 'region', { type: 'string' }).stringValue;
      const config: ButaneConfig = {
        variant: 'flatcar',
        version: '1.0.0',
        systemd: { units: [{ name: 'app.service', contents: `[Service]\nEnvironment=REGION=${region}\n` }] },
        storage: { files: [{ path: '/etc/region', contents: { inline: region } }, { path: '/etc/long', contents: { inline: `${long}region=${region}\n` } }] },
      };
      return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, image: FLATCAR, config });
    });
    const userData = userDataOf(instance);
    expect(userData).toContain('Environment=REGION=${');
    expect(userData).toContain('"source":"data:;base64,${base64encode(var.region)}"');
    expect(userData).toMatch(/"compression":"gzip","source":"data:;base64,\$\{base64gzip\(join\("", \["line of a long/);
  });

  test('a payload Butane gzipped is found and rendered through base64gzip only when it holds a token', () => {
    const long = 'line of a long configuration file\n'.repeat(20);
    const { instance } = synthProps({ config: { variant: 'flatcar', version: '1.0.0', storage: { files: [{ path: '/etc/long', contents: { inline: long } }] } }, image: FLATCAR });
    const source = JSON.parse(userDataOf(instance)).storage.files[0].contents.source as string;
    expect(gunzipSync(Buffer.from(source.slice('data:;base64,'.length), 'base64')).toString()).toBe(long);
  });
});

describe('snippets on a Butane config', () => {
  test('are merged into its Ignition as a child config: units by name, users by name', () => {
    const vm = construct({ config: USERS + 'systemd:\n  units:\n    - name: app.service\n      enabled: true\n      contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n"\n', image: FLATCAR });
    vm.addUnit({ name: 'app.service', dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=A=1\n' }] }, 'test');
    vm.addUser({ name: 'core', groups: ['docker'] }, 'test');
    vm.addFile({ path: '/etc/added', mode: 0o600, contents: { inline: 'added\n' } }, 'test');
    const ignition = vm.ignition as { systemd: { units: object[] }; passwd: { users: object[] }; storage: { files: object[] } };
    expect(ignition.systemd.units).toEqual([
      {
        name: 'app.service',
        enabled: true,
        contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
        dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=A=1\n' }],
      },
    ]);
    expect(ignition.passwd.users).toEqual([{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA core@example'], groups: ['docker'] }]);
    // spec 2 files replace what is there: the 2 -> 3 translation says so with overwrite: true
    expect(ignition.storage.files).toEqual([{ path: '/etc/added', mode: 384, overwrite: true, contents: { source: 'data:,added%0A' } }]);
    expect((vm.ignition as { ignition: { version: string } }).ignition.version).toBe('3.3.0');
  });
});

import 'cdktf/lib/testing/adapters/jest';
import * as path from 'node:path';
import { AnnotationMetadataEntryType, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { transpile } from '../../transpiler';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { BASE_PROPS, construct, synthInstance, synthProps } from './synth-helpers';

const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);
const MINIMAL = 'passwd:\n  users:\n    - name: core\n';

function warningsOf(vm: CoreOSInstance): string[] {
  return vm.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
}

describe('CoreOSInstance config sources', () => {
  test('reads a config file and resolves contents.local next to it', () => {
    const { instance } = synthProps({ configFile: fixture('motd.yaml'), configVariables: { user: 'core', key: 'ssh-ed25519 AAAA' } });
    const ignition = JSON.parse(instance.metadata['user-data']);
    expect(ignition.storage.files[0]).toMatchObject({ path: '/etc/motd', contents: { source: 'data:,Welcome%20to%20CoreOS%0A' } });
    expect(ignition.passwd.users[0]).toMatchObject({ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA'] });
  });

  test('a config variable that is a token stays a live reference', () => {
    const { instance } = synthInstance((stack) => {
      const key = new TerraformVariable(stack, 'key', { type: 'string' });
      return new CoreOSInstance(stack, 'vm', {
        ...BASE_PROPS,
        configFile: fixture('motd.yaml'),
        configVariables: { user: 'core', key: key.stringValue },
      });
    });
    expect(instance.metadata['user-data']).toContain('"sshAuthorizedKeys":["${trimsuffix(trimprefix(jsonencode(var.key)');
  });

  test('refuses a reference without a value, naming the file position', () => {
    expect(() => construct({ configFile: fixture('motd.yaml'), configVariables: { user: 'core' } })).toThrow(
      /^CoreOSInstance stack\/vm: .*fixtures\/motd\.yaml:12:12: \{\{ key \}\} is not in configVariables \(defined: user\)$/,
    );
  });

  test('refuses a config variable that is never referenced', () => {
    expect(() => construct({ config: MINIMAL, configVariables: { typo: 'x' } })).toThrow(
      'CoreOSInstance stack/vm: configVariables typo not used in inline config (reference them as {{ name }})',
    );
  });

  test('refuses a missing config file', () => {
    expect(() => construct({ configFile: 'configs/nope.yaml' })).toThrow(
      /^CoreOSInstance stack\/vm: configFile configs\/nope\.yaml: no such file \(resolved to \/.*configs\/nope\.yaml\)$/,
    );
  });

  test('needs exactly one of config and configFile', () => {
    const both = /set exactly one of config \(Container Linux or Butane config, as text or an object\) and configFile/;
    expect(() => construct({})).toThrow(both);
    expect(() => construct({ config: MINIMAL, configFile: fixture('motd.yaml') })).toThrow(both);
  });
});

describe('CoreOSInstance config errors and warnings', () => {
  test('a config file that fails to transpile names the construct, the file and file:line:column', () => {
    const file = fixture('bad-dropin.yaml');
    const origin = path.relative(process.cwd(), file);

    let message = '';
    try {
      construct({ configFile: file });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`CoreOSInstance stack/vm: ${origin}:5:11: error: invalid systemd drop-in extension (at systemd.units[0].dropins[0])`);
  });

  test('an inline config that fails to transpile says so', () => {
    const inline = 'systemd:\n  units:\n    - name: docker.service\n      dropins:\n        - name: override.service\n';
    expect(() => construct({ config: inline })).toThrow(
      /^CoreOSInstance stack\/vm: inline config:5:11: error: invalid systemd drop-in extension/,
    );
  });

  test('transpile warnings become construct warnings with file:line:column', () => {
    const file = fixture('unknown-update-group.yaml');
    const origin = path.relative(process.cwd(), file);
    const vm = construct({ configFile: file });

    expect(warningsOf(vm)).toContainEqual(expect.stringMatching(new RegExp(`^${origin}:2:3: warning: unknown update group \\(at update`)));
    expect(transpile(MINIMAL, { platform: 'gce' }).warnings).toEqual([]);
  });

  test('the retired coreos-stable image is flagged, other images are not', () => {
    expect(warningsOf(construct({ config: MINIMAL }))).toEqual([
      expect.stringMatching(/image "coreos-stable": CoreOS Container Linux reached end of life.*Image\.flatcar\('stable'\)/),
    ]);
    expect(warningsOf(construct({ config: MINIMAL, image: 'kinvolk-public/flatcar-stable' }))).toEqual([]);
  });
});

describe('CoreOSInstance props validation', () => {
  test.each([
    [{ name: 'Bad_Name' }, 'name "Bad_Name" must be 1-63 characters of a-z, 0-9 and -'],
    [{ name: 'a'.repeat(64) }, `name "${'a'.repeat(64)}" must be 1-63 characters`],
    [{ tags: ['ok', 'Not OK'] }, 'tag "Not OK" must be 1-63 characters'],
    [{ labels: { Team: 'x' } }, 'label key "Team" must be 1-63 lower-case letters'],
    [{ labels: { team: 'Platform' } }, 'label value "Platform" (key team) must be at most 63 lower-case letters'],
    [{ metadata: { 'user-data': '{}' } }, 'metadata must not set "user-data": the config owns it (use config or configFile)'],
    [{ metadata: { 'bad key': 'x' } }, 'metadata key "bad key" must be 1-128 characters'],
    [{ bootDiskSizeGb: 0 }, 'bootDiskSizeGb must be a whole number of GB, at least 1 (got 0)'],
    [{ bootDiskSizeGb: 10.5 }, 'bootDiskSizeGb must be a whole number of GB, at least 1 (got 10.5)'],
    [{ scopes: ['cloud-platform'] }, 'scopes need serviceAccountEmail'],
  ])('refuses %j', (props, expected) => {
    expect(() => construct({ config: MINIMAL, ...props })).toThrow(`CoreOSInstance stack/vm: ${expected}`);
  });

  test('reports every problem at once', () => {
    expect(() => construct({ config: MINIMAL, name: 'X', tags: ['Y'] })).toThrow(/name "X" .*; tag "Y" /);
  });

  test('leaves token values to Terraform', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    const size = new TerraformVariable(stack, 'size', { type: 'number' }).numberValue;
    expect(() => new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: MINIMAL, name, bootDiskSizeGb: size })).not.toThrow();
  });

  test('refuses Ignition larger than a GCE metadata value', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `        # ${String(i).padStart(4, '0')} ${'x'.repeat(90)}`);
    const big = `systemd:\n  units:\n    - name: big.service\n      contents: |\n${lines.join('\n')}\n`;
    expect(() => construct({ config: big })).toThrow(
      /instance "vm": the user-data \(Ignition config\) is \d+ bytes, over 262144 bytes \(256 KiB\).*compression: gzip.*remote URL.*ignition\.config\.append/,
    );
  });
});

import 'cdktf/lib/testing/adapters/jest';
import { AnnotationMetadataEntryType, TerraformVariable } from 'cdktf';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import type { ContainerLinuxConfig } from '../../transpiler';
import { BASE_PROPS, construct, synthInstance } from './synth-helpers';

function warningsOf(vm: CoreOSInstance): string[] {
  return vm.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
}

/** Synthesizes `config(token)` with the token of a variable `value`. */
function withToken(config: (token: string) => ContainerLinuxConfig) {
  return synthInstance((stack) => {
    const value = new TerraformVariable(stack, 'value', { type: 'string' });
    return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: config(value.stringValue) });
  });
}

describe('CoreOSInstance token rendering', () => {
  test('a token in an etcd option is JSON-quoted twice, with a warning', () => {
    const { instance, construct: vm } = withToken((token) => ({ etcd: { name: token } }));
    expect(instance.metadata['user-data']).toContain(
      '--name=\\"${trimsuffix(trimprefix(jsonencode(trimsuffix(trimprefix(jsonencode(var.value), "\\""), "\\"")), "\\""), "\\"")}\\"',
    );
    expect(warningsOf(vm)).toContainEqual(expect.stringMatching(/in an option of etcd-member\.service is quoted by Terraform's jsonencode, which equals ct's Go %q only for printable ASCII/));
  });

  test('update.conf: GROUP is lower-cased by Terraform, locksmith values quoted, SERVER raw with a warning', () => {
    const { instance, construct: vm } = withToken((token) => ({ update: { group: token, server: token }, locksmith: { group: token } }));
    const userData: string = instance.metadata['user-data'];
    expect(userData).toContain('data:;base64,${base64encode(join("", ["GROUP=", lower(var.value), "\\nSERVER=", var.value, "\\nLOCKSMITHD_GROUP=\\"", trimsuffix(');
    expect(warningsOf(vm)).toEqual(
      expect.arrayContaining([expect.stringContaining('in update.server: the URL is not validated'), expect.stringMatching(/in locksmith\.\w+ is quoted/)]),
    );
  });

  test('a token in a path, a link target or a remote URL is reported as not validated', () => {
    const { construct: vm } = withToken((token) => ({
      storage: {
        files: [{ filesystem: 'root', path: `/etc/${token}`, mode: 0o644, contents: { remote: { url: `https://example.com/${token}` } } }],
        links: [{ filesystem: 'root', path: '/etc/link', target: `/opt/${token}` }],
      },
    }));
    expect(warningsOf(vm)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/in storage\.files\[0\]\.path: the path is not validated/),
        expect.stringMatching(/in storage\.files\[0\]\.contents\.source: the URL is not validated/),
        expect.stringMatching(/in storage\.links\[0\]\.target: the link target is not validated/),
      ]),
    );
  });

  test('a token in an SSH key or a unit gives no warning', () => {
    const { construct: vm } = withToken((token) => ({
      passwd: { users: [{ name: 'core', ssh_authorized_keys: [token] }] },
      systemd: { units: [{ name: 'a.service', contents: `[Service]\nEnvironment=A=${token}\n` }] },
    }));
    expect(warningsOf(vm).filter((w) => !w.includes('CoreOS Container Linux'))).toEqual([]);
  });
});

describe('CoreOSInstance user-data size', () => {
  const unitOfBytes = (kib: number) => {
    const lines = Array.from({ length: kib * 10 }, (_, i) => `        # ${String(i).padStart(5, '0')} ${'x'.repeat(92)}`);
    return `systemd:\n  units:\n    - name: big.service\n      contents: |\n${lines.join('\n')}\n`;
  };

  test('warns above 90% of the 256 KiB limit', () => {
    expect(warningsOf(construct({ config: unitOfBytes(240) }))).toContainEqual(
      expect.stringMatching(/^instance "vm": the user-data is \d+ bytes, 9\d% of 262144 bytes \(256 KiB\)/),
    );
    expect(warningsOf(construct({ config: unitOfBytes(200) })).filter((w) => w.includes('user-data is'))).toEqual([]);
  });
});

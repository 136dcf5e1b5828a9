/** addSnippet, addUnit, addFile, addUser: the merge rules, and when their errors surface. */
import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { GoogleProvider } from '../../constructs/google';
import { Image } from '../../constructs/image';
import { ClcMerge } from '../../constructs/clc-merge';
import { transpile } from '../../transpiler';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { decodeUserData, newStack, resourcesOf, synthJson, type Json } from './cluster-helpers';

const BASE = { zone: 'us-central1-c', machineType: 'e2-small' } as const;
const CORE_YAML = `passwd:
  users:
    - name: core
      ssh_authorized_keys: ["ssh-ed25519 AAAA-first core@example"]
systemd:
  units:
    - name: hello.service
      enabled: true
      contents: |
        [Service]
        ExecStart=/usr/bin/echo \${HOSTNAME}
storage:
  files:
    - path: /etc/motd
      filesystem: root
      mode: 0644
      contents:
        inline: hi
`;

function userDataOf(terraform: Json): Json {
  const [[, instance]] = resourcesOf(terraform, 'google_compute_instance');
  return decodeUserData(instance.metadata['user-data']);
}

describe('merging snippets into an instance config', () => {
  const stack = newStack();
  const vm = new CoreOSInstance(stack, 'vm', { ...BASE, config: CORE_YAML });
  vm.addUnit({ name: 'hello.service', dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=A=1\n' }] }, 'test');
  vm.addUnit({ name: 'hello.service', dropins: [{ name: '20-more.conf', contents: '[Service]\nEnvironment=B=2\n' }] });
  vm.addFile({ path: '/etc/app.conf', mode: 0o600, contents: { inline: 'key=value\n' } });
  vm.addUser({ name: 'core', ssh_authorized_keys: ['ssh-ed25519 AAAA-second core@example'], groups: ['docker'] });
  vm.addSnippet(`docker:
  flags: [--log-driver=journald]
`);
  const terraform = synthJson(stack);
  const ignition = userDataOf(terraform);

  test('drop-ins for one unit from several snippets land in that unit, after its contents', () => {
    const hello = ignition.systemd.units.filter((u: Json) => u.name === 'hello.service');
    expect(hello).toHaveLength(1);
    expect(hello[0].contents).toBe('[Service]\nExecStart=/usr/bin/echo ${HOSTNAME}\n');
    expect(hello[0].dropins.map((d: Json) => d.name)).toEqual(['10-env.conf', '20-more.conf']);
  });

  test('files append after the base config\'s, on the root filesystem by default', () => {
    expect(ignition.storage.files.map((f: Json) => [f.path, f.filesystem, f.mode])).toEqual([
      ['/etc/motd', 'root', 0o644],
      ['/etc/app.conf', 'root', 0o600],
    ]);
  });

  test('a user of the same name gains the keys and groups; lists append without repeats', () => {
    expect(ignition.passwd.users).toEqual([
      expect.objectContaining({ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA-first core@example', 'ssh-ed25519 AAAA-second core@example'], groups: ['docker'] }),
    ]);
  });

  test('the user-data is exactly what ct writes for the merged config written by hand', () => {
    const [[, instance]] = resourcesOf(terraform, 'google_compute_instance');
    const byHand = `passwd:
  users:
    - name: core
      ssh_authorized_keys: ["ssh-ed25519 AAAA-first core@example", "ssh-ed25519 AAAA-second core@example"]
      groups: [docker]
systemd:
  units:
    - name: hello.service
      enabled: true
      contents: |
        [Service]
        ExecStart=/usr/bin/echo \${HOSTNAME}
      dropins:
        - { name: 10-env.conf, contents: "[Service]\\nEnvironment=A=1\\n" }
        - { name: 20-more.conf, contents: "[Service]\\nEnvironment=B=2\\n" }
storage:
  files:
    - { path: /etc/motd, filesystem: root, mode: 0644, contents: { inline: hi } }
    - { path: /etc/app.conf, filesystem: root, mode: 0600, contents: { inline: "key=value\\n" } }
docker:
  flags: [--log-driver=journald]
`;
    expect(evaluateTerraformTemplate(instance.metadata['user-data'], {})).toBe(transpile(byHand, { platform: 'gce' }).json);
  });

  test('ignition and userData read the merged config', () => {
    expect(vm.ignition).toEqual(ignition);
    expect(decodeUserData(vm.userData)).toEqual(ignition);
  });
});

describe('merge conflicts', () => {
  test('two different contents for one unit name both origins, at the add', () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, configFile: 'configs/core.yaml', configVariables: { ssh_public_key: 'ssh-ed25519 AAAA k' } });
    vm.addUnit({ name: 'etcd.service', contents: '[Service]\nExecStart=/bin/true\n' }, 'EtcdCluster');
    expect(() => vm.addUnit({ name: 'etcd.service', contents: '[Service]\nExecStart=/bin/false\n' }, 'WorkerPool')).toThrow(
      'CoreOSInstance stack/vm: conflicting values for systemd.units["etcd.service"].contents: "addUnit() from EtcdCluster" sets "[Service]\\nExecStart=/bin/true\\n" and "addUnit() from WorkerPool" sets',
    );
  });

  test('a unit of the base config file against addUnit names the file', () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, config: CORE_YAML });
    expect(() => vm.addUnit({ name: 'hello.service', contents: 'other' }, 'EtcdCluster')).toThrow(
      /conflicting values for systemd\.units\["hello\.service"\]\.contents: "inline config" sets .* and "addUnit\(\) from EtcdCluster" sets "other"/,
    );
  });

  test('two different contents for one file path', () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, config: CORE_YAML });
    expect(() => vm.addFile({ path: '/etc/motd', contents: { inline: 'bye' } })).toThrow(
      'conflicting values for storage.files["/etc/motd"].contents.inline: "inline config" sets "hi" and "addFile()" sets "bye"',
    );
  });

  test('the same value twice is no conflict, and a failed add leaves the config as it was', () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, config: CORE_YAML });
    vm.addFile({ path: '/etc/motd', mode: 0o644, contents: { inline: 'hi' } });
    expect(() => vm.addSnippet({ etcd: { name: 'a' }, storage: { files: [{ path: '/etc/motd', filesystem: 'root', contents: { inline: 'x' } }] } })).toThrow('conflicting');
    expect(vm.ignition).not.toHaveProperty('systemd.units.1');
    expect((vm.ignition as Json).storage.files).toHaveLength(1);
  });

  test('a snippet that does not transpile fails at the add, with its origin and line', () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, config: CORE_YAML });
    expect(() => vm.addSnippet('passwd:\n  users:\n    - name: x\n      uid: nope\n', 'addSnippet() from test')).toThrow(
      /^CoreOSInstance stack\/vm: addSnippet\(\) from test:4:12: error: yaml: unmarshal errors:\n {2}line 4: cannot unmarshal !!str `nope` into int \(at passwd.users\[0\].uid\)$/,
    );
  });

  test('the rules: objects merge, scalar lists append once, keyed entries merge', () => {
    const merge = new ClcMerge();
    merge.add({ etcd: { name: 'a' }, docker: { flags: ['--x'] }, networkd: { units: [{ name: '10.network', contents: 'A' }] } }, 'one');
    merge.add({ etcd: { version: '3.3.27' }, docker: { flags: ['--x', '--y'] }, networkd: { units: [{ name: '10.network', dropins: [{ name: 'd.conf', contents: 'D' }] }] } }, 'two');
    expect(merge.config).toEqual({
      etcd: { name: 'a', version: '3.3.27' },
      docker: { flags: ['--x', '--y'] },
      networkd: { units: [{ name: '10.network', contents: 'A', dropins: [{ name: 'd.conf', contents: 'D' }] }] },
    });
    expect(() => merge.add({ etcd: { name: 'b' } }, 'three')).toThrow('conflicting values for etcd.name: "one" sets "a" and "three" sets "b"');
  });
});

describe('a snippet for a service the image lacks', () => {
  test('is refused when added, naming who added it', () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, image: Image.fedoraCoreOS('stable'), config: { variant: 'fcos', version: '1.5.0' } });
    expect(() => vm.addSnippet({ etcd: { name: 'x' } }, 'addSnippet() from EtcdCluster')).toThrow(
      'CoreOSInstance stack/vm: addSnippet() from EtcdCluster: the etcd section configures a Container Linux service that Fedora CoreOS does not have',
    );
  });
});

describe('with strict', () => {
  test("a snippet's own warning is refused when added, at the snippet's line", () => {
    const vm = new CoreOSInstance(newStack(), 'vm', { ...BASE, image: Image.flatcar('stable'), strict: true, config: {} });
    expect(() => vm.addSnippet('etcd:\n  version: 3.9.0\n', 'addSnippet() from test')).toThrow(
      'CoreOSInstance stack/vm: addSnippet() from test:2:12: warning: Etcd minor version specified is too new, ' +
        'only options available in the previous minor version will be accepted (at etcd.version)\n(strict: true makes every warning an error)',
    );
  });
});

describe('errors of the merged config fail the synth', () => {
  // Each part is fine alone; together they are over Google Cloud's metadata limit: only the merge shows it.
  const bigFile = (file: string): string => `storage:\n  files:\n    - path: ${file}\n      filesystem: root\n      contents:\n        inline: ${'a'.repeat(150_000)}\n`;
  function brokenStack(app = Testing.app()): TerraformStack {
    const stack = new TerraformStack(app, 'broken');
    new GoogleProvider(stack, 'google', {});
    const vm = new CoreOSInstance(stack, 'vm', { ...BASE, config: bigFile('/etc/one') });
    vm.addSnippet(bigFile('/etc/two'), 'addSnippet() from test');
    return stack;
  }
  const expected = /CoreOSInstance broken\/vm: instance "vm": the user-data \(Ignition config\) is \d+ bytes, over 262144 bytes/;

  test('Testing.synth(stack, true) reports it as a validation error', () => {
    expect(() => Testing.synth(brokenStack(), true)).toThrow(expected);
  });

  test('Testing.synth(stack) without validations throws it when the user-data resolves', () => {
    expect(() => Testing.synth(brokenStack())).toThrow(expected);
  });

  test('app.synth() called directly throws it', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'coreos-broken-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      brokenStack(app);
      expect(() => app.synth()).toThrow(expected);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('without snippets, a bad base config still fails at construction', () => {
    expect(() => new CoreOSInstance(newStack(), 'vm', { ...BASE, config: 'passwd: [' })).toThrow(/^CoreOSInstance stack\/vm: inline config:/);
  });
});

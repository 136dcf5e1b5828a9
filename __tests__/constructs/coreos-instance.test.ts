import 'cdktf/lib/testing/adapters/jest'; // the matchers' types
import { Testing, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { transpile } from '../../transpiler';
import { ComputeInstance } from '../../constructs/google';
import { BASE_PROPS, construct, synthInstance, synthProps } from './synth-helpers';
import { CoreOSInstance } from '../../constructs/coreos-instance';

// cdktf's matchers (toHaveResourceWithProperties, ...), registered only where they are used: loading
// cdktf in every suite's setup cost about half a second of CPU per suite.
Testing.setupJest();

const USER_CONFIG = `passwd:
  users:
    - name: core
      ssh_authorized_keys:
        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleOnly core@example
`;

describe('CoreOSInstance resource arguments', () => {
  test('renders the instance with the product defaults', () => {
    const synthesized = Testing.synthScope((stack) => new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: USER_CONFIG }));

    expect(synthesized).toHaveResourceWithProperties(ComputeInstance, {
      name: 'vm',
      zone: 'us-central1-c',
      machine_type: 'e2-small',
      boot_disk: { initialize_params: { image: 'coreos-stable' } },
      network_interface: [{ network: 'default', access_config: [{}] }],
    });
    const instance = JSON.parse(synthesized).resource.google_compute_instance;
    const args = Object.values(instance)[0] as Record<string, unknown>;
    expect(args).not.toHaveProperty('service_account');
    expect(args).not.toHaveProperty('tags');
    expect(args).not.toHaveProperty('labels');
  });

  test('puts the main resource under the id Resource', () => {
    const { construct: vm, terraform } = synthProps({ config: USER_CONFIG });
    expect(vm.instance.node.id).toBe('Resource');
    expect(Object.keys(terraform.resource.google_compute_instance)).toEqual([expect.stringMatching(/^vm_[0-9A-F]{8}$/)]);
  });

  test('passes every optional argument through', () => {
    const { instance } = synthProps({
      config: USER_CONFIG,
      name: 'etcd-0',
      image: 'kinvolk-public/flatcar-stable',
      bootDiskSizeGb: 30,
      bootDiskType: 'pd-balanced',
      network: 'vpc',
      subnetwork: 'vpc-us-central1',
      assignExternalIp: false,
      tags: ['etcd', 'ssh'],
      labels: { role: 'etcd', team: 'platform' },
      serviceAccountEmail: 'etcd@project.iam.gserviceaccount.com',
      scopes: ['logging-write'],
      metadata: { 'enable-oslogin': 'TRUE' },
    });

    expect(instance).toMatchObject({
      name: 'etcd-0',
      boot_disk: { initialize_params: { image: 'kinvolk-public/flatcar-stable', size: 30, type: 'pd-balanced' } },
      network_interface: [{ network: 'vpc', subnetwork: 'vpc-us-central1' }],
      tags: ['etcd', 'ssh'],
      labels: { role: 'etcd', team: 'platform' },
      service_account: { email: 'etcd@project.iam.gserviceaccount.com', scopes: ['logging-write'] },
      metadata: { 'enable-oslogin': 'TRUE', 'user-data': expect.any(String) },
    });
    expect(instance.network_interface[0]).not.toHaveProperty('access_config');
  });

  test('defaults the scopes to cloud-platform when a service account is given', () => {
    const { instance } = synthProps({ config: USER_CONFIG, serviceAccountEmail: 'vm@p.iam.gserviceaccount.com' });
    expect(instance.service_account).toEqual({ email: 'vm@p.iam.gserviceaccount.com', scopes: ['cloud-platform'] });
  });
});

describe('CoreOSInstance attributes', () => {
  test('exposes name, self link and addresses as Terraform references', () => {
    const { construct: vm, terraform } = synthInstance((stack) => {
      const created = new CoreOSInstance(stack, 'web', { ...BASE_PROPS, config: USER_CONFIG });
      new TerraformOutput(stack, 'self_link', { value: created.selfLink });
      new TerraformOutput(stack, 'internal_ip', { value: created.internalIp });
      new TerraformOutput(stack, 'external_ip', { value: created.externalIp });
      return created;
    });
    const address = `google_compute_instance.${Object.keys(terraform.resource.google_compute_instance)[0]}`;

    expect(vm.name).toBe('web');
    expect(terraform.output.self_link.value).toBe(`\${${address}.self_link}`);
    expect(terraform.output.internal_ip.value).toBe(`\${${address}.network_interface[0].network_ip}`);
    expect(terraform.output.external_ip.value).toBe(`\${${address}.network_interface[0].access_config[0].nat_ip}`);
  });

  test('has no external IP attribute without an external IP', () => {
    expect(construct({ config: USER_CONFIG, assignExternalIp: false }).externalIp).toBeUndefined();
  });

  test('exposes the Ignition object and the user-data string', () => {
    const vm = construct({ config: USER_CONFIG });
    const expected = transpile(USER_CONFIG, { platform: 'gce' });
    expect(vm.ignition).toEqual(expected.ignition);
    expect(vm.userData).toBe(expected.json);
  });

  test('derives a valid name from the construct path below the stack', () => {
    const { construct: vm } = synthInstance((stack) => {
      const pool = new Construct(stack, 'Workers');
      return new CoreOSInstance(pool, 'Node_0', { ...BASE_PROPS, config: USER_CONFIG });
    });
    expect(vm.name).toBe('workers-node-0');
    expect(construct({ config: USER_CONFIG }, '0-Edge').name).toBe('vm-0-edge');
    const long = construct({ config: USER_CONFIG }, 'x'.repeat(80)).name;
    expect(long).toMatch(/^x{54}-[0-9a-f]{8}$/);
  });
});

describe('CoreOSInstance user-data', () => {
  test('is the transpiled config, compact, for platform gce', () => {
    const { instance } = synthProps({ config: USER_CONFIG });
    const userData: string = instance.metadata['user-data'];

    expect(userData).toBe(transpile(USER_CONFIG, { platform: 'gce' }).json);
    expect(JSON.parse(userData).passwd.users).toEqual([
      expect.objectContaining({ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleOnly core@example'] }),
    ]);
    expect(userData).not.toContain('\n');
  });

  test('accepts a typed config object', () => {
    const { instance } = synthProps({
      config: { passwd: { users: [{ name: 'core', ssh_authorized_keys: ['ssh-ed25519 AAAA core@example'] }] } },
    });
    const users = JSON.parse(instance.metadata['user-data']).passwd.users;
    expect(users).toEqual([expect.objectContaining({ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA core@example'] })]);
  });

  test('escapes literal ${ and %{ so Terraform passes them through', () => {
    const config = `systemd:
  units:
    - name: hello.service
      enabled: true
      contents: |
        [Service]
        Environment=GREETING=hi
        ExecStart=/bin/sh -c 'echo \${GREETING} from %H, literal $\${x} and %{y} and %%{z}'
`;
    const { instance } = synthProps({ config });
    const userData: string = instance.metadata['user-data'];
    const expected = transpile(config, { platform: 'gce' }).json;

    expect(userData).toContain('$${GREETING}');
    expect(userData).toContain('%%{y}');
    expect(userData.replace(/([$%])\1\{/g, '$1{')).toBe(expected);
    expect(userData.match(/(^|[^$])\$\{/g)).toBeNull();
    expect(userData.match(/(^|[^%])%\{/g)).toBeNull();
  });

  test('is identical across two synths', () => {
    const first = Testing.synthScope((stack) => new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: USER_CONFIG }));
    const second = Testing.synthScope((stack) => new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: USER_CONFIG }));
    expect(second).toBe(first);
  });
});

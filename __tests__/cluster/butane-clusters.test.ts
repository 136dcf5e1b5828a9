/**
 * The cluster constructs on a Butane base config: WorkerPool, EtcdCluster and ContainerLinuxCluster
 * merge their Container Linux sections (etcd, its TLS and secret fetch, flannel, docker), transpiled
 * to Ignition 3.3.0 the way Flatcar translates spec 2, into the Ignition of the user's Butane config.
 */
import 'cdktf/lib/testing/adapters/jest';
import { TerraformVariable } from 'cdktf';
import { ContainerLinuxCluster, type ContainerLinuxClusterProps } from '../../constructs/container-linux-cluster';
import { DEFAULT_ETCD_VERSION, EtcdCluster, type EtcdClusterProps } from '../../constructs/etcd-cluster';
import { Image } from '../../constructs/image';
import { WorkerPool, type WorkerPoolProps } from '../../constructs/worker-pool';
import { transpileButane } from '../../transpiler';
import { decodeUserData, dropinOf, newStack, resourceNamed, resourcesOf, synthJson, withBucketStandIn, type Json } from './cluster-helpers';

/** A member's units, in order: the user's, etcd's, its data disk's, and the secret fetch's. */
const MEMBER_UNITS = ['app.service', 'etcd-member.service', 'var-lib-etcd.mount', 'fetch-secrets.service', 'fetch-secrets-refresh.service', 'fetch-secrets-refresh.timer'];

const FLATCAR = Image.flatcar('stable');
const ETCD: EtcdClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project', size: 3 };
const POOL: WorkerPoolProps = { name: 'demo-workers', region: 'us-central1' };
const CLUSTER: ContainerLinuxClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project', etcdSize: 1, workerCount: 2 };

/** The user's Butane config: a user, a unit with a drop-in, a file, a directory. */
function butane(version = '1.0.0', variant = 'flatcar'): string {
  return `variant: ${variant}
version: ${version}
passwd:
  users:
    - name: core
      ssh_authorized_keys: [ssh-ed25519 AAAA core@example]
systemd:
  units:
    - name: app.service
      enabled: true
      contents: |
        [Service]
        ExecStart=/usr/bin/sleep infinity
        [Install]
        WantedBy=multi-user.target
      dropins:
        - name: 10-env.conf
          contents: "[Service]\\nEnvironment=APP=1\\n"
storage:
  directories:
    - path: /var/lib/app
      mode: 0750
  files:
    - path: /etc/app.conf
      mode: 0644
      contents:
        inline: "port=8080\\n"
`;
}

/** What Butane writes for the config alone. */
const ALONE = (version = '1.0.0'): Json => transpileButane(butane(version)).ignition;
const unitsOf = (ignition: Json): Json[] => ignition.systemd?.units ?? [];
const unitNamed = (ignition: Json, name: string): Json => {
  const found = unitsOf(ignition).filter((unit) => unit.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};
const withoutUnits = (ignition: Json): Json => ({ ...ignition, systemd: undefined });
/** The etcd member's data disk filesystem, as Flatcar translates ct's (a spec 3 filesystem needs a path). */
const DATA_FILESYSTEM = { device: '/dev/disk/by-id/google-etcd-data', format: 'ext4', label: 'etcd-data', path: '/tmp/etcd-data-ign1' };
/** `ignition` without the etcd member's data disk filesystem. */
const withoutDataDisk = (ignition: Json): Json => {
  const { filesystems, ...storage } = ignition.storage ?? {};
  expect(filesystems).toEqual([DATA_FILESYSTEM]);
  return { ...ignition, storage };
};
/** The files every cluster node gets after the user's: the secret fetch script and etcdctl's settings. */
const CLUSTER_FILES = ['/opt/bin/fetch-secrets', '/etc/etcd/etcdctl.env', '/etc/profile.d/etcdctl.sh'];
/** A member's (of a cluster of more than one): those, and etcd-rejoin. */
const MEMBER_FILES = [...CLUSTER_FILES, '/opt/bin/etcd-rejoin'];
/** `ignition` without the cluster's files (a member's unless `expected` says), which come last: the user's storage. */
const withoutClusterFiles = (ignition: Json, expected = MEMBER_FILES): Json => {
  const files: Json[] = ignition.storage.files;
  expect(files.slice(-expected.length).map((f) => f.path)).toEqual(expected);
  return { ...ignition, storage: { ...ignition.storage, files: files.slice(0, -expected.length) } };
};
/** Without empty objects: Butane's output leaves them out (Go's omitempty), Flatcar's spec 2 -> 3 translation keeps `user: {}`. */
const withoutEmpty = (value: Json): Json =>
  Array.isArray(value)
    ? value.map(withoutEmpty)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([, v]) => !(v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0))
            .map(([k, v]) => [k, withoutEmpty(v)]),
        )
      : value;
const REQUIRES_FETCH = '[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n';
const ETCD_TLS_DROPIN = '[Service]\nEnvironment="ETCD_SSL_DIR=/etc/ssl/etcd"\n';

describe('an EtcdCluster on a Butane config', () => {
  const stack = newStack();
  const etcd = new EtcdCluster(stack, 'etcd', { ...ETCD, image: FLATCAR, config: butane() });
  // The same cluster on a Container Linux Config translated to 3.3.0: the etcd unit as Flatcar writes it.
  const clcStack = newStack();
  const clc = new EtcdCluster(clcStack, 'etcd', { ...ETCD, image: FLATCAR, ignitionVersion: '3.3.0' });
  const spec2 = new EtcdCluster(newStack(), 'etcd', { ...ETCD, image: FLATCAR });
  const terraform = synthJson(stack);
  const members = [0, 1, 2].map((i) => decodeUserData(resourceNamed(terraform, 'google_compute_instance', `demo-etcd-${i}`).metadata['user-data']));

  test('synthesizes; each member is Ignition 3.3.0: Butane\'s config plus the etcd-member unit, the secret fetch and the data disk, appended', () => {
    synthJson(clcStack);
    members.forEach((ignition, i) => {
      expect(ignition.ignition.version).toBe('3.3.0');
      // In memory the secret bucket's name is a token; the user-data has Terraform's value.
      const own = withBucketStandIn(clc.members[i].instance.ignition, clc.secretStore!.bucketName);
      const storage = { ...ALONE().storage, files: [...ALONE().storage.files, ...withoutEmpty(own.storage.files)], filesystems: [DATA_FILESYSTEM] };
      expect(ignition).toEqual({ ...ALONE(), storage, systemd: { units: [...unitsOf(ALONE()), ...unitsOf(own)] } });
      expect(unitsOf(own).map((u) => u.name)).toEqual(['etcd-member.service', 'var-lib-etcd.mount', 'fetch-secrets.service', 'fetch-secrets-refresh.service', 'fetch-secrets-refresh.timer']);
      expect(own.storage.files.map((f: Json) => f.path)).toEqual(MEMBER_FILES);
      expect(withBucketStandIn(etcd.members[i].instance.ignition, etcd.secretStore!.bucketName)).toEqual(ignition);
    });
  });

  test("the etcd-member drop-in is Flatcar's 2 -> 3 translation of ct's: enabled, the same text", () => {
    members.forEach((ignition, i) => {
      const unit = unitNamed(ignition, 'etcd-member.service');
      expect(unit).toEqual({
        name: 'etcd-member.service',
        enabled: true,
        dropins: [
          { name: '20-clct-etcd-member.conf', contents: expect.any(String) },
          { name: '30-etcd-data-disk.conf', contents: '[Unit]\nRequires=var-lib-etcd.mount\nAfter=var-lib-etcd.mount\n' },
          { name: '20-fetch-secrets.conf', contents: REQUIRES_FETCH },
          { name: '30-etcd-tls.conf', contents: ETCD_TLS_DROPIN },
          { name: '40-etcd-rejoin.conf', contents: expect.stringMatching(/^\[Service\]\nEnvironment=ETCD_INITIAL_CLUSTER_STATE=new\nEnvironmentFile=-\/run\/etcd-rejoin\.env\nExecStartPre=\/opt\/bin\/etcd-rejoin /) },
        ],
      });
      const spec2Ignition = spec2.members[i].instance.ignition;
      expect(spec2Ignition.ignition).toMatchObject({ version: '2.3.0' });
      expect(unit.dropins[0].contents).toBe(dropinOf(spec2Ignition, 'etcd-member.service', '20-clct-etcd-member.conf'));
    });
  });

  test("the user's units, drop-ins, directories and files are Butane's", () => {
    const [first] = members;
    expect(unitNamed(first, 'app.service')).toEqual(unitNamed(ALONE(), 'app.service'));
    expect(withoutClusterFiles(withoutDataDisk(first)).storage).toEqual(ALONE().storage);
    expect(withoutClusterFiles(first).storage.files).toEqual([{ path: '/etc/app.conf', mode: 0o644, contents: { compression: '', source: 'data:,port%3D8080%0A' } }]);
    expect(first.passwd).toEqual({ users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA core@example'] }] });
  });

  test('memberConfigs reads the etcd flags from the spec 3 config', () => {
    const configs = etcd.memberConfigs();
    expect(configs.map((c) => c.etcdArgs)).toEqual(clc.memberConfigs().map((c) => c.etcdArgs));
    expect(configs[0].etcdArgs).toContain('--name=demo-etcd-0');
    expect(configs[0].etcdArgs).toContain(`--initial-cluster=${etcd.initialCluster}`);
    expect(configs[0].etcdEnvironment).toEqual({ ETCD_IMAGE_TAG: `v${DEFAULT_ETCD_VERSION}`, ETCD_INITIAL_CLUSTER_STATE: 'new' });
  });

  test('flatcar 1.1.0 gives Ignition 3.4.0, with the same etcd unit merged in', () => {
    const stack11 = newStack();
    new EtcdCluster(stack11, 'etcd', { ...ETCD, image: FLATCAR, config: butane('1.1.0') });
    const member = decodeUserData(resourceNamed(synthJson(stack11), 'google_compute_instance', 'demo-etcd-0').metadata['user-data']);
    expect(member.ignition.version).toBe('3.4.0');
    expect(withoutUnits(withoutClusterFiles(withoutDataDisk(member)))).toEqual(withoutUnits(ALONE('1.1.0')));
    expect(unitsOf(member).map((u) => u.name)).toEqual(MEMBER_UNITS);
    expect(unitNamed(member, 'etcd-member.service')).toEqual(unitNamed(members[0], 'etcd-member.service'));
    for (const name of ['fetch-secrets.service', 'fetch-secrets-refresh.service', 'fetch-secrets-refresh.timer']) expect(unitNamed(member, name)).toEqual(unitNamed(members[0], name));
  });
});

describe('tokens in a cluster on a Butane config', () => {
  test('the project variable and a config variable stay Terraform references', () => {
    const stack = newStack();
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    const role = new TerraformVariable(stack, 'role', { type: 'string' });
    const config = `${butane()}    - path: /etc/role\n      contents:\n        inline: "role={{ role }}\\n"\n`;
    const projectId = project.stringValue;
    const etcd = new EtcdCluster(stack, 'etcd', { ...ETCD, size: 1, image: FLATCAR, config, configVariables: { role: role.stringValue }, project: projectId });
    const userData: string = resourceNamed(synthJson(stack), 'google_compute_instance', 'demo-etcd-0').metadata['user-data'];
    // etcd's options are %q-quoted: the project id is jsonencoded twice, inside the unit's JSON string
    expect(userData).toContain('jsonencode(trimsuffix(trimprefix(jsonencode(var.project)');
    // a file whose contents hold a token is a base64 data URL Terraform computes
    expect(userData).toContain('"source":"data:;base64,${base64encode(join("", ["role=", var.role, "\\n"]))}"');
    expect(userData).not.toMatch(/cdktftoken/);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain(`--initial-advertise-peer-urls=https://demo-etcd-0.us-central1-a.c.${projectId}.internal:2380`);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain(`--advertise-client-urls=https://demo-etcd-0.us-central1-a.c.${projectId}.internal:2379`);
    // no warning: EtcdCluster declares the project quote-safe
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
    expect(warnings).toEqual([]);
  });

  test('static internal IPs: the reserved address is a reference inside the spec 3 drop-in', () => {
    const stack = newStack();
    new EtcdCluster(stack, 'etcd', { ...ETCD, size: 1, image: FLATCAR, config: butane(), staticInternalIps: true, subnetwork: 'sub' });
    const terraform = synthJson(stack);
    const [[addressId]] = resourcesOf(terraform, 'google_compute_address');
    expect(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0').metadata['user-data']).toContain(`jsonencode(google_compute_address.${addressId}.address)`);
  });
});

describe('a WorkerPool on a Butane config', () => {
  const stack = newStack();
  const pool = new WorkerPool(stack, 'workers', { ...POOL, image: FLATCAR, config: butane('1.1.0') });
  pool.addUnit({ name: 'app.service', dropins: [{ name: '20-more.conf', contents: '[Service]\nEnvironment=MORE=1\n' }] }, 'test');
  pool.addFile({ path: '/etc/added', mode: 0o600, contents: { inline: 'added\n' } }, 'test');
  const [[, template]] = resourcesOf(synthJson(stack), 'google_compute_region_instance_template');
  const ignition = decodeUserData(template.metadata['user-data']);

  test("the template's user-data is Ignition 3.4.0: Butane's config with the snippets merged in as a child config", () => {
    expect(ignition.ignition.version).toBe('3.4.0');
    expect(pool.ignition).toEqual(ignition);
    const alone = ALONE('1.1.0');
    expect(unitsOf(ignition)).toEqual([{ ...unitNamed(alone, 'app.service'), dropins: [...unitNamed(alone, 'app.service').dropins, { name: '20-more.conf', contents: '[Service]\nEnvironment=MORE=1\n' }] }]);
    expect(ignition.storage).toEqual({
      directories: alone.storage.directories,
      files: [...alone.storage.files, { path: '/etc/added', mode: 0o600, overwrite: true, contents: { source: 'data:,added%0A' } }],
    });
    expect(ignition.passwd).toEqual(alone.passwd);
  });

  test('a Butane config on a pool without snippets is Butane\'s output byte for byte', () => {
    const plain = newStack();
    new WorkerPool(plain, 'workers', { ...POOL, image: FLATCAR, config: butane() });
    const [[, plainTemplate]] = resourcesOf(synthJson(plain), 'google_compute_region_instance_template');
    expect(plainTemplate.metadata['user-data']).toBe(transpileButane(butane()).json);
  });
});

describe('a ContainerLinuxCluster on a Butane config', () => {
  const stack = newStack();
  const cluster = new ContainerLinuxCluster(stack, 'cluster', { ...CLUSTER, image: FLATCAR, config: butane() });
  const terraform = synthJson(stack);
  const [[, template]] = resourcesOf(terraform, 'google_compute_region_instance_template');
  const worker = decodeUserData(template.metadata['user-data']);
  const member = decodeUserData(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0').metadata['user-data']);
  // The same cluster's sections on a Container Linux Config: spec 2.3.0, and a pool translated to 3.3.0.
  const clc = new ContainerLinuxCluster(newStack(), 'cluster', { ...CLUSTER, image: FLATCAR });
  const clc33 = clc.addWorkerPool('spec3', { name: 'demo-spec3', ignitionVersion: '3.3.0' });
  const clcWorker = clc.workerPools[0].ignition;

  test("workers are Ignition 3.3.0: the user's config, then the cluster's secret fetch and runtime units as Flatcar translates them", () => {
    expect(worker.ignition.version).toBe('3.3.0');
    expect(withBucketStandIn(cluster.workerPools[0].ignition, cluster.secretStore!.bucketName)).toEqual(worker);
    expect(withoutUnits(withoutClusterFiles(worker, CLUSTER_FILES))).toEqual(withoutUnits(ALONE()));
    const spec3 = withBucketStandIn(clc33.ignition, clc.secretStore!.bucketName);
    expect(unitsOf(worker)).toEqual([...unitsOf(ALONE()), ...unitsOf(spec3)]);
    expect(worker.storage.files.slice(-CLUSTER_FILES.length)).toEqual(withoutEmpty(spec3.storage.files));
    const units = ['fetch-secrets.service', 'fetch-secrets-refresh.service', 'fetch-secrets-refresh.timer', 'flannel-config.service', 'flanneld.service', 'docker.service', 'worker-health.service'];
    expect(unitsOf(worker).map((u) => u.name)).toEqual(['app.service', ...units]);
    // The refresh service has no [Install]: its timer starts it.
    expect(unitsOf(worker).filter((u) => u.enabled).map((u) => u.name)).toEqual(['app.service', ...units.filter((u) => u !== 'fetch-secrets-refresh.service')]);
    for (const name of ['flannel-config.service', 'flanneld.service']) expect(unitNamed(worker, name).dropins).toEqual([{ name: '20-fetch-secrets.conf', contents: REQUIRES_FETCH }]);
  });

  test("the runtime units and docker's drop-in are the cluster's text, as on a Container Linux Config", () => {
    for (const name of ['flannel-config.service', 'flanneld.service', 'worker-health.service']) {
      expect(unitNamed(worker, name).contents).toBe(unitNamed(clcWorker, name).contents);
    }
    expect(unitNamed(worker, 'docker.service').dropins).toEqual([{ name: '40-flannel.conf', contents: dropinOf(clcWorker, 'docker.service', '40-flannel.conf') }]);
    expect(unitNamed(worker, 'flanneld.service').contents).toContain(`--etcd-endpoints=${cluster.etcd.clientEndpoints.join(',')} `);
  });

  test('etcd members are Ignition 3.3.0 with the etcd-member drop-in and the user\'s config', () => {
    expect(member.ignition.version).toBe('3.3.0');
    expect(withoutUnits(withoutClusterFiles(withoutDataDisk(member), CLUSTER_FILES))).toEqual(withoutUnits(ALONE()));
    expect(unitsOf(member).map((u) => u.name)).toEqual(MEMBER_UNITS);
    const clcMember = clc.etcd.members[0].instance.ignition;
    expect(unitNamed(member, 'etcd-member.service').dropins).toEqual(
      ['20-clct-etcd-member.conf', '30-etcd-data-disk.conf', '20-fetch-secrets.conf', '30-etcd-tls.conf'].map((name) => ({ name, contents: dropinOf(clcMember, 'etcd-member.service', name) })),
    );
  });

  test('a project variable stays a Terraform reference in the workers\' etcd endpoints and the members\' etcd options', () => {
    const tokens = newStack();
    const project = new TerraformVariable(tokens, 'project', { type: 'string' });
    new ContainerLinuxCluster(tokens, 'cluster', { ...CLUSTER, image: FLATCAR, config: butane(), project: project.stringValue });
    const synthesized = synthJson(tokens);
    const [[, poolTemplate]] = resourcesOf(synthesized, 'google_compute_region_instance_template');
    for (const userData of [poolTemplate.metadata['user-data'], resourceNamed(synthesized, 'google_compute_instance', 'demo-etcd-0').metadata['user-data']] as string[]) {
      expect(userData).toContain('jsonencode(var.project)');
      expect(userData).not.toMatch(/cdktftoken/);
      expect(userData).toContain('"version":"3.3.0"');
    }
  });
});

describe('Fedora CoreOS', () => {
  test('an EtcdCluster with a Butane fcos config is refused: Fedora CoreOS has no etcd-member', () => {
    const build = () => new EtcdCluster(newStack(), 'etcd', { ...ETCD, size: 1, image: Image.fedoraCoreOS(), config: butane('1.5.0', 'fcos') });
    expect(build).toThrow(/^EtcdCluster stack\/etcd: image "projects\/fedora-coreos-cloud\/global\/images\/family\/fedora-coreos-stable" is Fedora CoreOS, which has no etcd-member\.service \(the Container Linux unit EtcdCluster configures\): use Image\.flatcar\('stable'\)$/);
  });

  test('so is a ContainerLinuxCluster', () => {
    expect(() => new ContainerLinuxCluster(newStack(), 'cluster', { ...CLUSTER, image: Image.fedoraCoreOS(), config: butane('1.5.0', 'fcos') })).toThrow(
      /is Fedora CoreOS, which has no etcd-member\.service/,
    );
  });

  test('a WorkerPool with a Butane fcos config runs on Fedora CoreOS', () => {
    const stack = newStack();
    const pool = new WorkerPool(stack, 'workers', { ...POOL, image: Image.fedoraCoreOS(), config: butane('1.5.0', 'fcos') });
    const [[, template]] = resourcesOf(synthJson(stack), 'google_compute_region_instance_template');
    expect(template.metadata['user-data']).toBe(transpileButane(butane('1.5.0', 'fcos')).json);
    expect((pool.ignition as Json).ignition.version).toBe('3.4.0');
  });
});

/** EtcdCluster: members, zones, names, each member's etcd drop-in, data disks, addressing, versions, validation. */
import 'cdktf/lib/testing/adapters/jest';
import { TerraformVariable } from 'cdktf';
import { ConfigChangeBehavior } from '../../constructs/config-change';
import { DEFAULT_ETCD_VERSION, EtcdCluster, EtcdMemberAddressing, type EtcdClusterProps } from '../../constructs/etcd-cluster';
import { etcdArgsFromDropin } from '../../constructs/etcd-member';
import { decodeUserData, dropinOf, newStack, resourceNamed, resourcesOf, synthJson, type Json } from './cluster-helpers';

const PROPS: EtcdClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project' };
const DNS = (i: number, zone: string): string => `demo-etcd-${i}.us-central1-${zone}.c.my-project.internal`;
const INITIAL_CLUSTER = ['a', 'b', 'c'].map((zone, i) => `demo-etcd-${i}=http://${DNS(i, zone)}:2380`).join(',');

function synthEtcd(props: Partial<EtcdClusterProps> = {}): { etcd: EtcdCluster; terraform: Json } {
  const stack = newStack();
  const etcd = new EtcdCluster(stack, 'etcd', { ...PROPS, ...props });
  return { etcd, terraform: synthJson(stack) };
}

function etcdArgsOf(instance: Json): string[] {
  return etcdArgsFromDropin(dropinOf(decodeUserData(instance.metadata['user-data']), 'etcd-member.service', '20-clct-etcd-member.conf'));
}

describe('a default etcd cluster', () => {
  const { etcd, terraform } = synthEtcd();
  const instances = [0, 1, 2].map((i) => resourceNamed(terraform, 'google_compute_instance', `demo-etcd-${i}`));

  test('has three private Flatcar members spread over zones a, b, c', () => {
    expect(instances.map((i) => i.zone)).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        machine_type: 'e2-small',
        boot_disk: { initialize_params: { image: 'projects/kinvolk-public/global/images/family/flatcar-stable' } },
        network_interface: [{ network: 'default' }],
        tags: ['demo-node', 'demo-etcd'],
      });
      expect(instance.network_interface[0]).not.toHaveProperty('access_config');
    }
    expect(etcd.members.map((m) => m.instance.node.id)).toEqual(['member-0', 'member-1', 'member-2']);
  });

  test('never replaces members for a new config or image: ignore_changes, no config hash', () => {
    for (const instance of instances) {
      expect(instance.lifecycle).toEqual({ ignore_changes: ['metadata["user-data"]', 'boot_disk[0].initialize_params[0].image'] });
    }
    expect(resourcesOf(terraform, 'terraform_data')).toEqual([]);
  });

  test('each member\'s etcd drop-in bootstraps the static cluster from internal DNS names', () => {
    instances.forEach((instance, i) => {
      const zone = ['a', 'b', 'c'][i];
      expect(etcdArgsOf(instance)).toEqual([
        `--name=demo-etcd-${i}`,
        '--listen-peer-urls=http://${COREOS_GCE_IP_LOCAL_0}:2380',
        '--listen-client-urls=http://0.0.0.0:2379',
        `--initial-advertise-peer-urls=http://${DNS(i, zone)}:2380`,
        `--initial-cluster=${INITIAL_CLUSTER}`,
        '--initial-cluster-state=new',
        `--initial-cluster-token=${etcd.initialClusterToken}`,
        '--advertise-client-urls=http://${COREOS_GCE_IP_LOCAL_0}:2379',
        '--strict-reconfig-check=true',
        '--listen-metrics-urls=http://0.0.0.0:2381',
      ]);
    });
    const dropin = dropinOf(decodeUserData(instances[0].metadata['user-data']), 'etcd-member.service', '20-clct-etcd-member.conf');
    expect(dropin).toContain(`Environment="ETCD_IMAGE_TAG=v${DEFAULT_ETCD_VERSION}"`);
    expect(dropin).toContain('Requires=coreos-metadata.service');
  });

  test('exposes names, DNS names, client endpoints and a per-cluster token', () => {
    expect(etcd.members.map((m) => m.dnsName)).toEqual([DNS(0, 'a'), DNS(1, 'b'), DNS(2, 'c')]);
    expect(etcd.clientEndpoints).toEqual([`http://${DNS(0, 'a')}:2379`, `http://${DNS(1, 'b')}:2379`, `http://${DNS(2, 'c')}:2379`]);
    expect(etcd.initialCluster).toBe(INITIAL_CLUSTER);
    expect(etcd.initialClusterToken).toMatch(/^demo-etcd-[0-9a-f]{12}$/);
    expect(synthEtcd({ clusterName: 'other' }).etcd.initialClusterToken).not.toBe(etcd.initialClusterToken.replace('demo', 'other'));
  });

  test('memberConfigs gives each member\'s Ignition, drop-in and etcd flags', () => {
    const configs = etcd.memberConfigs();
    expect(configs.map((c) => [c.name, c.zone, c.dnsName])).toEqual([
      ['demo-etcd-0', 'us-central1-a', DNS(0, 'a')],
      ['demo-etcd-1', 'us-central1-b', DNS(1, 'b')],
      ['demo-etcd-2', 'us-central1-c', DNS(2, 'c')],
    ]);
    configs.forEach((config, i) => {
      expect(config.ignition).toEqual(decodeUserData(instances[i].metadata['user-data']));
      expect(config.etcdArgs).toEqual(etcdArgsOf(instances[i]));
      expect(config.etcdEnvironment).toEqual({ ETCD_IMAGE_TAG: `v${DEFAULT_ETCD_VERSION}` });
    });
  });
});

describe('options', () => {
  test('five members wrap round the zones; more options, a base config, and REPLACE on request', () => {
    const { etcd, terraform } = synthEtcd({
      size: 5,
      zones: ['us-central1-b', 'us-central1-f'],
      etcdOptions: { heartbeat_interval: 200 },
      config: 'passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: [ssh-ed25519 AAAA k]\n',
      onConfigChange: ConfigChangeBehavior.REPLACE,
      tags: ['extra'],
    });
    expect(etcd.members.map((m) => m.zone)).toEqual(['us-central1-b', 'us-central1-f', 'us-central1-b', 'us-central1-f', 'us-central1-b']);
    const member = resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-4');
    expect(member.tags).toEqual(['demo-node', 'demo-etcd', 'extra']);
    expect(etcdArgsOf(member)).toContain('--heartbeat-interval=200');
    expect(decodeUserData(member.metadata['user-data']).passwd.users[0].name).toBe('core');
    const [[hashesId, hashes]] = resourcesOf(terraform, 'terraform_data');
    expect(hashesId).toBe('coreos_config_hashes');
    expect(hashes.input.match(/"etcd_member-\d_[0-9A-F]{8}" = "[0-9a-f]{64}"/g)).toHaveLength(5);
    expect(member.lifecycle.replace_triggered_by).toEqual([expect.stringMatching(/^terraform_data\.coreos_config_hashes\.input\["etcd_member-4_[0-9A-F]{8}"\]$/)]);
  });

  test('static internal IPs: reserved addresses, used as the instances\' IPs and in every URL', () => {
    const { etcd, terraform } = synthEtcd({ staticInternalIps: true, subnetwork: 'sub', size: 1 });
    const [[addressId, address]] = resourcesOf(terraform, 'google_compute_address');
    expect(address).toEqual({ name: 'demo-etcd-0', address_type: 'INTERNAL', region: 'us-central1', subnetwork: 'sub' });
    const reference = `google_compute_address.${addressId}.address`;
    const member = resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0');
    expect(member.network_interface[0].network_ip).toBe(`\${${reference}}`);
    expect(member.metadata['user-data']).toContain(`jsonencode(${reference})`);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain(`--initial-cluster=demo-etcd-0=${etcd.members[0].peerUrl}`);
    expect(etcd.members[0].peerUrl).toBe(`http://${etcd.members[0].internalIp}:2380`);
  });

  test('a project token becomes part of the DNS names in Terraform', () => {
    const stack = newStack();
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    new EtcdCluster(stack, 'etcd', { ...PROPS, size: 1, project: project.stringValue });
    const member = resourceNamed(synthJson(stack), 'google_compute_instance', 'demo-etcd-0');
    expect(member.metadata['user-data']).toContain('jsonencode(var.project)');
  });

  test('initialClusterState: existing makes members join a running cluster', () => {
    const { etcd } = synthEtcd({ size: 1, initialClusterState: 'existing' });
    expect(etcd.memberConfigs()[0].etcdArgs).toContain('--initial-cluster-state=existing');
  });
});

describe('data disks', () => {
  const { etcd, terraform } = synthEtcd();
  const disks = resourcesOf(terraform, 'google_compute_disk');

  test('one protected 10 GB pd-ssd per member, in its zone, attached by device name etcd-data', () => {
    expect(disks.map(([, disk]) => disk)).toEqual(
      ['a', 'b', 'c'].map((zone, i) => ({ name: `demo-etcd-${i}-data`, zone: `us-central1-${zone}`, size: 10, type: 'pd-ssd', lifecycle: { prevent_destroy: true } })),
    );
    disks.forEach(([id], i) => {
      const instance = resourceNamed(terraform, 'google_compute_instance', `demo-etcd-${i}`);
      expect(instance.attached_disk).toEqual([{ device_name: 'etcd-data', source: `\${google_compute_disk.${id}.self_link}` }]);
      // The boot disk stays the VM's own (auto_delete by default): only the data disk outlives it.
      expect(instance.boot_disk).not.toHaveProperty('auto_delete');
    });
    expect(etcd.members.map((m) => m.dataDisk.node.id)).toEqual(['disk-0', 'disk-1', 'disk-2']);
  });

  test('Ignition formats the disk only while blank, mounts it at /var/lib/etcd, and etcd-member requires the mount', () => {
    const ignition = decodeUserData(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-1').metadata['user-data']);
    expect(ignition.storage.filesystems).toEqual([{ name: 'etcd-data', mount: { device: '/dev/disk/by-id/google-etcd-data', format: 'ext4', label: 'etcd-data' } }]);
    // ct leaves out wipeFilesystem: false; Ignition's default is the same (never wipe).
    expect(ignition.storage.filesystems[0].mount).not.toHaveProperty('wipeFilesystem');
    const mount = ignition.systemd.units.find((u: Json) => u.name === 'var-lib-etcd.mount');
    expect(mount).toEqual({ name: 'var-lib-etcd.mount', contents: expect.stringContaining('What=/dev/disk/by-id/google-etcd-data\nWhere=/var/lib/etcd\nType=ext4\n') });
    expect(dropinOf(ignition, 'etcd-member.service', '30-etcd-data-disk.conf')).toBe('[Unit]\nRequires=var-lib-etcd.mount\nAfter=var-lib-etcd.mount\n');
  });

  test('size, type, labels and protection are props', () => {
    const { terraform: custom } = synthEtcd({ size: 1, dataDiskSizeGb: 50, dataDiskType: 'pd-balanced', protectDataDisks: false, labels: { team: 'infra' } });
    expect(resourcesOf(custom, 'google_compute_disk').map(([, disk]) => disk)).toEqual([
      { name: 'demo-etcd-0-data', zone: 'us-central1-a', size: 50, type: 'pd-balanced', labels: { team: 'infra' } },
    ]);
  });
});

describe('member addressing', () => {
  test('global DNS names: NAME.c.PROJECT.internal in every URL', () => {
    const { etcd } = synthEtcd({ memberAddressing: EtcdMemberAddressing.GLOBAL_DNS });
    expect(etcd.memberAddressing).toBe('global-dns');
    expect(etcd.members.map((m) => m.dnsName)).toEqual([0, 1, 2].map((i) => `demo-etcd-${i}.c.my-project.internal`));
    expect(etcd.initialCluster).toBe([0, 1, 2].map((i) => `demo-etcd-${i}=http://demo-etcd-${i}.c.my-project.internal:2380`).join(','));
    expect(etcd.clientEndpoints[2]).toBe('http://demo-etcd-2.c.my-project.internal:2379');
    expect(etcd.memberConfigs()[1].etcdArgs).toContain('--initial-advertise-peer-urls=http://demo-etcd-1.c.my-project.internal:2380');
  });

  test("the plain string works as well as the constant, and 'static-ip' equals staticInternalIps: true", () => {
    const byString = synthEtcd({ size: 1, memberAddressing: 'static-ip', subnetwork: 'sub' }).terraform;
    const byFlag = synthEtcd({ size: 1, staticInternalIps: true, subnetwork: 'sub' }).terraform;
    expect(byString).toEqual(byFlag);
    expect(synthEtcd({ size: 1, staticInternalIps: false }).etcd.memberAddressing).toBe('zonal-dns');
  });
});

describe('etcd versions and the v2 API', () => {
  const argsOf = (props: Partial<EtcdClusterProps>): string[] => synthEtcd({ size: 1, ...props }).etcd.memberConfigs()[0].etcdArgs as string[];
  const v2 = (args: string[]) => args.filter((arg) => arg.startsWith('--enable-v2'));

  test('3.5 by default, without the v2 API; enableV2Api turns it on', () => {
    expect(synthEtcd({ size: 1 }).etcd.etcdVersion).toBe(DEFAULT_ETCD_VERSION);
    expect(DEFAULT_ETCD_VERSION).toMatch(/^3\.5\.\d+$/);
    expect(v2(argsOf({}))).toEqual([]);
    expect(v2(argsOf({ enableV2Api: true }))).toEqual(['--enable-v2=true']);
    expect(v2(argsOf({ etcdVersion: '3.4.37' }))).toEqual([]);
  });

  test('etcd 3.3 serves v2 unless told not to, so the flag is explicit either way', () => {
    expect(v2(argsOf({ etcdVersion: '3.3.27' }))).toEqual(['--enable-v2=false']);
    expect(v2(argsOf({ etcdVersion: '3.3.27', enableV2Api: true }))).toEqual(['--enable-v2=true']);
  });

  test('CoreOS images (the coreos dialect, whose ct knows etcd up to 3.3) default to the last 3.3', () => {
    const { etcd } = synthEtcd({ size: 1, image: 'coreos-stable' });
    expect(etcd.etcdVersion).toBe('3.3.27');
    expect(etcd.memberConfigs()[0].etcdEnvironment).toEqual({ ETCD_IMAGE_TAG: 'v3.3.27' });
  });

  test('the health endpoint: etcd /health on the metrics listener, port 2381', () => {
    const { etcd } = synthEtcd({ size: 1 });
    expect([etcd.healthCheckPort, etcd.healthCheckPath]).toEqual([2381, '/health']);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain('--listen-metrics-urls=http://0.0.0.0:2381');
  });
});

describe('validation', () => {
  const build = (props: Partial<EtcdClusterProps>) => () => new EtcdCluster(newStack(), 'etcd', { ...PROPS, ...props });

  test.each([0, 2, 4, 11, 2.5, -1])('refuses size %s', (size) => {
    expect(build({ size })).toThrow(`EtcdCluster stack/etcd: size must be an odd number from 1 to 9, so that a majority survives a failure (got ${size})`);
  });

  test('refuses unknown and malformed regions, and zones of another region', () => {
    expect(build({ region: 'mars-central1' })).toThrow('unknown region "mars-central1"');
    expect(build({ region: 'uscentral' })).toThrow('region "uscentral" is not a Compute Engine region name');
    expect(build({ zones: ['us-east1-b'] })).toThrow('zone "us-east1-b" is not a zone of region us-central1');
    expect(build({ zones: ['us-central1-a', 'us-central1-a'] })).toThrow('zones lists us-central1-a more than once');
    expect(build({ region: 'mars-central1', zones: ['mars-central1-a'], size: 1 })).not.toThrow();
  });

  test('uses the real zones of regions without -a', () => {
    const { etcd } = synthEtcd({ region: 'us-east1' });
    expect(etcd.zones).toEqual(['us-east1-b', 'us-east1-c', 'us-east1-d']);
  });

  test('refuses etcd options it sets itself, and duplicate member names', () => {
    expect(build({ etcdOptions: { initial_cluster: 'x' } })).toThrow('etcdOptions.initial_cluster is set by EtcdCluster (bootstrap option)');
    expect(build({ etcdOptions: { version: '3.4.0' } })).toThrow('etcdOptions.version is set by EtcdCluster (use etcdVersion)');
    expect(build({ etcdOptions: { enable_v2: true } })).toThrow('etcdOptions.enable_v2 is set by EtcdCluster (use enableV2Api)');
    expect(build({ etcdOptions: { initial_cluster_state: 'existing' } })).toThrow('etcdOptions.initial_cluster_state is set by EtcdCluster (use initialClusterState)');
    expect(build({ etcdOptions: { listen_metrics_urls: 'http://0.0.0.0:9000' } })).toThrow('etcdOptions.listen_metrics_urls is set by EtcdCluster (health endpoint, port 2381)');
    expect(build({ etcdOptions: { data_dir: '/data' } })).toThrow('etcdOptions.data_dir is set by EtcdCluster (the data lives on the data disk at /var/lib/etcd)');
    const stack = newStack();
    new EtcdCluster(stack, 'one', PROPS);
    expect(() => new EtcdCluster(stack, 'two', { ...PROPS, size: 1 })).toThrow(
      'EtcdCluster stack/two: duplicate instance name "demo-etcd-0": stack/two and stack/one both use it',
    );
  });

  test('refuses etcd releases it cannot configure, and a v2 API etcd no longer has', () => {
    expect(build({ etcdVersion: '3.1.20' })).toThrow(
      'etcdVersion 3.1.20 is older than 3.3, which EtcdCluster needs for its health endpoint (--listen-metrics-urls); upgrade the cluster one minor version at a time to 3.3, then on (docs/etcd.md §5)',
    );
    expect(build({ etcdVersion: '3.5' })).toThrow(`etcdVersion must be a release known at synth, X.Y.Z such as '${DEFAULT_ETCD_VERSION}' (got "3.5")`);
    expect(build({ etcdVersion: '3.6.14', enableV2Api: true })).toThrow('enableV2Api: etcd 3.6.14 has no v2 API (removed in 3.6)');
    expect(build({ etcdVersion: '3.6.14' })).not.toThrow();
  });

  test('refuses unknown addressing and states, contradicting flags, and data disks under 10 GB', () => {
    expect(build({ memberAddressing: 'dns' as EtcdMemberAddressing })).toThrow('memberAddressing must be one of zonal-dns, global-dns, static-ip (got "dns")');
    expect(build({ memberAddressing: 'global-dns', staticInternalIps: true })).toThrow(
      "staticInternalIps: true contradicts memberAddressing: 'global-dns'; set memberAddressing only",
    );
    expect(build({ initialClusterState: 'old' as 'new' })).toThrow(`initialClusterState must be 'new' or 'existing' (got "old")`);
    expect(build({ dataDiskSizeGb: 5 })).toThrow('dataDiskSizeGb must be a whole number of GB, at least 10 (the smallest persistent disk) (got 5)');
  });
});

/** ContainerLinuxCluster: network + etcd + flannel/docker workers, wired by tags and endpoints. */
import 'cdktf/lib/testing/adapters/jest';
import { ContainerLinuxCluster, type ContainerLinuxClusterProps } from '../../constructs/container-linux-cluster';
import { etcdArgsFromDropin } from '../../constructs/etcd-member';
import { decodeUserData, dropinOf, newStack, resourceNamed, resourcesOf, synthJson, type Json } from './cluster-helpers';

const PROPS: ContainerLinuxClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project' };

function synthCluster(props: Partial<ContainerLinuxClusterProps> = {}, extend?: (cluster: ContainerLinuxCluster) => void): { cluster: ContainerLinuxCluster; terraform: Json } {
  const stack = newStack();
  const cluster = new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, ...props });
  extend?.(cluster);
  return { cluster, terraform: synthJson(stack) };
}

function portsOf(rule: Json): string[] {
  return rule.allow.flatMap((a: Json) => a.ports ?? ['all']);
}

describe('a default cluster', () => {
  const { cluster, terraform } = synthCluster({}, (c) =>
    c.addWorkerPool('spot', { name: 'demo-spot', size: 2, spot: true, machineType: 'e2-medium' }),
  );
  const templates = resourcesOf(terraform, 'google_compute_region_instance_template').map(([, t]) => t);
  const workers = templates.find((t) => t.name_prefix === 'demo-workers-');
  const spot = templates.find((t) => t.name_prefix === 'demo-spot-');

  test('composes a network, three etcd members and a pool of three workers', () => {
    expect(resourcesOf(terraform, 'google_compute_network')).toHaveLength(1);
    expect(resourcesOf(terraform, 'google_compute_instance').map(([, i]) => i.name)).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    expect(resourceNamed(terraform, 'google_compute_region_instance_group_manager', 'demo-workers').target_size).toBe(3);
    expect([cluster.network.node.id, cluster.etcd.node.id, ...cluster.workerPools.map((p) => p.node.id)]).toEqual(['network', 'etcd', 'workers', 'spot']);
  });

  test('every node is on the cluster subnetwork, tagged for the firewall rules', () => {
    for (const [, member] of resourcesOf(terraform, 'google_compute_instance')) {
      expect(member.network_interface[0].subnetwork).toMatch(/^\$\{google_compute_subnetwork\./);
      expect(member.tags).toEqual(['demo-node', 'demo-etcd']);
    }
    expect(workers.tags).toEqual(['demo-node', 'demo-worker']);
    expect(workers.network_interface[0].subnetwork).toMatch(/^\$\{google_compute_subnetwork\./);
  });

  test('workers run flannel on the cluster\'s etcd, and docker after it', () => {
    const ignition = decodeUserData(workers.metadata['user-data']);
    const flannel = dropinOf(ignition, 'flanneld.service', '20-clct-flannel.conf');
    const endpoints = cluster.etcd.clientEndpoints.join(',');
    expect(endpoints).toBe(
      'http://demo-etcd-0.us-central1-a.c.my-project.internal:2379,http://demo-etcd-1.us-central1-b.c.my-project.internal:2379,http://demo-etcd-2.us-central1-c.c.my-project.internal:2379',
    );
    expect(flannel).toContain(`--etcd-endpoints="${endpoints}"`);
    expect(flannel).not.toContain('FLANNEL_IMAGE_TAG');
    // the release is the cluster's own drop-in, after ct's: ct's flannel section would warn past 0.7
    expect(dropinOf(ignition, 'flanneld.service', '30-flannel-version.conf')).toBe('[Service]\nEnvironment="FLANNEL_IMAGE_TAG=v0.11.0"\n');
    expect(flannel).toContain('set /coreos.com/network/config "{\\"Network\\":\\"10.2.0.0/16\\",\\"Backend\\":{\\"Type\\":\\"vxlan\\"}}"');
    expect(dropinOf(ignition, 'docker.service', '40-flannel.conf')).toBe('[Unit]\nRequires=flanneld.service\nAfter=flanneld.service\n');
    expect(dropinOf(ignition, 'docker.service', '20-clct-docker.conf')).toContain('DOCKER_OPTS');
    expect(ignition.systemd.units.filter((u: Json) => u.enable).map((u: Json) => u.name)).toEqual(['docker.service', 'flanneld.service']);
  });

  test('etcd members serve the v2 API flannel needs', () => {
    const member = resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0');
    const args = etcdArgsFromDropin(dropinOf(decodeUserData(member.metadata['user-data']), 'etcd-member.service', '20-clct-etcd-member.conf'));
    expect(args).toContain('--enable-v2=true');
  });

  test('added pools get the same config, with their own settings', () => {
    expect(decodeUserData(spot.metadata['user-data'])).toEqual(decodeUserData(workers.metadata['user-data']));
    expect(spot).toMatchObject({ machine_type: 'e2-medium', scheduling: { provisioning_model: 'SPOT' } });
  });

  test('firewall: flannel VXLAN between nodes, health checks to the pools\' port, nothing internal to the internet', () => {
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-flannel')).toMatchObject({
      allow: [{ protocol: 'udp', ports: ['8472'] }],
      source_tags: ['demo-node'],
      target_tags: ['demo-node'],
    });
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-workers-health')).toMatchObject({
      allow: [{ protocol: 'tcp', ports: ['22'] }],
      source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
      target_tags: ['demo-worker'],
    });
    const rules = resourcesOf(terraform, 'google_compute_firewall').map(([, rule]) => rule);
    expect(rules.map((r) => r.name).sort()).toEqual(['demo-etcd-client', 'demo-etcd-peer', 'demo-flannel', 'demo-spot-health', 'demo-ssh', 'demo-workers-health']);
    for (const rule of rules) {
      expect({ name: rule.name, open: (rule.source_ranges ?? []).includes('0.0.0.0/0') }).toEqual({ name: rule.name, open: false });
      if (portsOf(rule).some((port) => ['2379', '2380', 'all'].includes(port))) {
        expect({ name: rule.name, ranges: rule.source_ranges }).toEqual({ name: rule.name, ranges: undefined });
      }
    }
  });
});

describe('options', () => {
  test('an adopted network, static etcd IPs, no default pool', () => {
    const { cluster, terraform } = synthCluster({
      existingNetworkName: 'vpc',
      existingSubnetworkName: 'vpc-sub',
      etcdStaticInternalIps: true,
      etcdSize: 1,
      workerCount: 0,
    });
    expect(resourcesOf(terraform, 'google_compute_network')).toEqual([]);
    expect(resourcesOf(terraform, 'google_compute_region_instance_group_manager')).toEqual([]);
    expect(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0').network_interface[0]).toMatchObject({ network: 'vpc', subnetwork: 'vpc-sub' });
    expect(resourceNamed(terraform, 'google_compute_address', 'demo-etcd-0')).toMatchObject({ subnetwork: 'vpc-sub', address_type: 'INTERNAL' });
    expect(cluster.workerPools).toEqual([]);
  });

  test('SSH open to the world is possible, with a warning', () => {
    const stack = newStack();
    new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, sshSourceRanges: ['0.0.0.0/0'], workerCount: 0, etcdSize: 1 });
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
    expect(warnings).toContain('sshSourceRanges includes 0.0.0.0/0: SSH is open to the internet; prefer IAP (35.235.240.0/20)');
  });

  test('refuses a bad or overlapping pod CIDR and an unknown region', () => {
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, podCidr: '10.2.0.0/33' })).toThrow('ContainerLinuxCluster stack/c: podCidr "10.2.0.0/33"');
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, region: 'moon-west1' })).toThrow('unknown region "moon-west1"');
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, podCidr: '10.0.0.0/8' })).toThrow(
      "podCidr 10.0.0.0/8 overlaps the subnetwork's 10.10.0.0/20: flannel's overlay needs its own range",
    );
  });
});

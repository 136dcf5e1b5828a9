/** ClusterNetwork: the VPC, NAT, and tag-scoped firewall rules; adoption; validation. */
import 'cdktf/lib/testing/adapters/jest';
import { ClusterNetwork, type ClusterNetworkProps } from '../../constructs/cluster-network';
import { newStack, resourceNamed, resourcesOf, synthJson, type Json } from './cluster-helpers';

const PROPS: ClusterNetworkProps = { clusterName: 'demo', region: 'us-central1' };

function synthNetwork(props: Partial<ClusterNetworkProps> = {}): { network: ClusterNetwork; terraform: Json } {
  const stack = newStack();
  const network = new ClusterNetwork(stack, 'network', { ...PROPS, ...props });
  return { network, terraform: synthJson(stack) };
}

describe('a new network', () => {
  const { network, terraform } = synthNetwork();

  test('is a custom-mode VPC with one regional subnetwork', () => {
    expect(resourceNamed(terraform, 'google_compute_network', 'demo')).toMatchObject({ auto_create_subnetworks: false, routing_mode: 'REGIONAL' });
    expect(resourceNamed(terraform, 'google_compute_subnetwork', 'demo-us-central1')).toMatchObject({
      region: 'us-central1',
      ip_cidr_range: '10.10.0.0/20',
      private_ip_google_access: true,
      network: expect.stringMatching(/^\$\{google_compute_network\.network_[0-9A-F]{8}\.name\}$/),
    });
    expect(network.network?.node.id).toBe('Resource');
  });

  test('has a Cloud Router with NAT for the subnetwork', () => {
    expect(resourceNamed(terraform, 'google_compute_router', 'demo-router')).toMatchObject({ region: 'us-central1' });
    expect(resourceNamed(terraform, 'google_compute_router_nat', 'demo-nat')).toMatchObject({
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: expect.stringContaining('google_compute_subnetwork.'), source_ip_ranges_to_nat: ['ALL_IP_RANGES'] }],
    });
  });

  test('admits SSH from the IAP range only, to cluster nodes', () => {
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-ssh')).toMatchObject({
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: ['22'] }],
      source_ranges: ['35.235.240.0/20'],
      target_tags: ['demo-node'],
    });
  });

  test('opens etcd peer and client ports only between the cluster\'s tags', () => {
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-etcd-peer')).toMatchObject({
      allow: [{ protocol: 'tcp', ports: ['2380'] }],
      source_tags: ['demo-etcd'],
      target_tags: ['demo-etcd'],
    });
    // Clients only from the roles that hold an etcd client certificate: members and workers, not every node.
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-etcd-client')).toEqual({
      name: 'demo-etcd-client',
      network: expect.stringMatching(/^\$\{google_compute_network\./),
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: ['2379'] }],
      source_tags: [network.etcdTag, network.workerTag],
      target_tags: ['demo-etcd'],
    });
    expect([network.etcdTag, network.workerTag]).toEqual(['demo-etcd', 'demo-worker']);
    for (const [, rule] of resourcesOf(terraform, 'google_compute_firewall')) {
      if (rule.name !== 'demo-ssh') expect(rule).not.toHaveProperty('source_ranges');
    }
  });

  test('allowHealthChecks admits only Google\'s health-check ranges', () => {
    const stack = newStack();
    const net = new ClusterNetwork(stack, 'network', PROPS);
    net.allowHealthChecks('hc', 'pool-health', 8080, net.workerTag);
    expect(resourceNamed(synthJson(stack), 'google_compute_firewall', 'demo-pool-health')).toMatchObject({
      allow: [{ protocol: 'tcp', ports: ['8080'] }],
      source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
      target_tags: ['demo-worker'],
    });
    expect(() => net.allow('open', 'open', { ports: [2379], sourceRanges: ['0.0.0.0/0'], targetTags: ['demo-etcd'] })).toThrow(
      'ClusterNetwork stack/network: rule open would open 2379 to 0.0.0.0/0',
    );
  });
});

describe('options', () => {
  test('adopts an existing network and subnetwork by name', () => {
    const { network, terraform } = synthNetwork({ existingNetworkName: 'shared-vpc', existingSubnetworkName: 'shared-us-central1' });
    expect(resourcesOf(terraform, 'google_compute_network')).toEqual([]);
    expect(resourcesOf(terraform, 'google_compute_subnetwork')).toEqual([]);
    expect(network.networkName).toBe('shared-vpc');
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-etcd-peer').network).toBe('shared-vpc');
    expect(resourceNamed(terraform, 'google_compute_router', 'demo-router').network).toBe('shared-vpc');
    expect(resourceNamed(terraform, 'google_compute_router_nat', 'demo-nat').subnetwork).toEqual([
      { name: 'shared-us-central1', source_ip_ranges_to_nat: ['ALL_IP_RANGES'] },
    ]);
  });

  test('no NAT, no SSH, another CIDR', () => {
    const { terraform } = synthNetwork({ cloudNat: false, sshSourceRanges: [], subnetCidr: '172.16.0.0/24' });
    expect(resourcesOf(terraform, 'google_compute_router')).toEqual([]);
    expect(resourcesOf(terraform, 'google_compute_router_nat')).toEqual([]);
    expect(resourcesOf(terraform, 'google_compute_firewall').map(([, r]) => r.name).sort()).toEqual(['demo-etcd-client', 'demo-etcd-peer']);
    expect(resourceNamed(terraform, 'google_compute_subnetwork', 'demo-us-central1').ip_cidr_range).toBe('172.16.0.0/24');
  });
});

describe('validation', () => {
  const build = (props: Partial<ClusterNetworkProps>) => () => new ClusterNetwork(newStack(), 'network', { ...PROPS, ...props });

  test.each([
    ['10.10.0.0', 'subnetCidr "10.10.0.0" is not an IPv4 CIDR range such as 10.10.0.0/20'],
    ['10.10.0.1/20', 'subnetCidr "10.10.0.1/20" has host bits set: the range starts at 10.10.0.0/20'],
    ['10.300.0.0/16', 'is not an IPv4 CIDR range'],
    ['10.0.0.0/30', 'must have a prefix length from /8 to /29'],
  ])('refuses the CIDR %s', (subnetCidr, message) => {
    expect(build({ subnetCidr })).toThrow(message);
  });

  test('refuses a malformed region, a bad name, half an adoption and a bad SSH range', () => {
    expect(build({ region: 'us-central' })).toThrow('region "us-central" is not a Compute Engine region name such as "us-central1"');
    expect(build({ clusterName: 'Demo_1' })).toThrow('clusterName "Demo_1" must be 1-30 characters of a-z, 0-9 and -');
    expect(build({ existingNetworkName: 'vpc' })).toThrow('set both existingNetworkName and existingSubnetworkName');
    expect(build({ existingNetworkName: 'vpc', existingSubnetworkName: 's', subnetCidr: '10.0.0.0/16' })).toThrow('subnetCidr applies to a new subnetwork only');
    expect(build({ sshSourceRanges: ['my-laptop'] })).toThrow('sshSourceRanges: "my-laptop" is not an IPv4 CIDR range');
  });

  test('two networks of one cluster name in a stack are refused', () => {
    const stack = newStack();
    new ClusterNetwork(stack, 'a', PROPS);
    expect(() => new ClusterNetwork(stack, 'b', PROPS)).toThrow('duplicate cluster network name "demo": stack/b and stack/a both use it');
  });
});

/**
 * kubernetesFirewall as Terraform JSON: every rule Typhoon's network.tf opens between nodes,
 * scoped by the controllers' and workers' tags with exact ports and protocols, for Cilium and for
 * flannel; the options; the ports agreeing with the add-ons that listen on them; and, for a whole
 * cluster's network with its API load balancer, nothing internal, no 22 and no 6443 open to
 * 0.0.0.0/0.
 */
import { ClusterNetwork, type ClusterNetworkProps } from '../../constructs/cluster-network';
import { ApiLoadBalancer } from '../../constructs/kubernetes/api-load-balancer';
import { resolveAddonOptions } from '../../constructs/kubernetes/addons/addon-options';
import { ciliumConfigMap } from '../../constructs/kubernetes/addons/cilium-config';
import { renderKubeProxy } from '../../constructs/kubernetes/addons/kube-proxy';
import {
  CILIUM_METRICS_PORTS,
  HUBBLE_PORT,
  KUBE_PROXY_METRICS_PORT,
  kubernetesFirewall,
  type KubernetesFirewallOptions,
} from '../../constructs/kubernetes/kubernetes-firewall';
import { BASE } from './addons-fixtures';
import { newStack, resourcesOf, synthJson, warningsOf, type Json } from '../cluster/cluster-helpers';

const K8S_NETWORK: ClusterNetworkProps = { clusterName: 'demo', region: 'us-central1', etcdRules: false, sshSourceRanges: [] };
const HEALTH_CHECKERS = ['35.191.0.0/16', '130.211.0.0/22'];
const CONTROLLERS = ['demo-controller'];
const WORKERS = ['demo-worker'];
const NODES = ['demo-controller', 'demo-worker'];

/** A firewall rule as the JSON has it, minus the parts every rule shares (network, direction). */
interface Rule {
  readonly name: string;
  readonly allow: { protocol: string; ports?: string[] }[];
  readonly source_tags?: string[];
  readonly source_ranges?: string[];
  readonly target_tags: string[];
}

const tcp = (name: string, ports: number[], from: string[], to: string[]): Rule => ({
  name: `demo-${name}`,
  allow: [{ protocol: 'tcp', ports: ports.map(String) }],
  source_tags: from,
  target_tags: to,
});

function synthFirewall(options: KubernetesFirewallOptions = {}, networkProps: Partial<ClusterNetworkProps> = {}) {
  const stack = newStack();
  const network = new ClusterNetwork(stack, 'network', { ...K8S_NETWORK, ...networkProps });
  const rules = kubernetesFirewall(network, options);
  return { network, rules, stack, terraform: synthJson(stack) };
}

/** Every firewall rule, sorted by name, without network and direction (checked once, below). */
function rulesOf(terraform: Json): Rule[] {
  return resourcesOf(terraform, 'google_compute_firewall')
    .map(([, rule]) => {
      const { network, direction, ...rest } = rule;
      expect([network, direction]).toEqual([expect.stringMatching(/^\$\{google_compute_network\./), 'INGRESS']);
      return rest as Rule;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const byName = (rules: Rule[]) => [...rules].sort((a, b) => a.name.localeCompare(b.name));

describe('Cilium (the default)', () => {
  const { rules, terraform } = synthFirewall();

  test('opens exactly Typhoon\'s node-to-node rules, each scoped by tags', () => {
    expect(rulesOf(terraform)).toEqual(
      byName([
        tcp('apiserver', [6443], NODES, CONTROLLERS),
        tcp('etcd', [2379, 2380], CONTROLLERS, CONTROLLERS),
        tcp('kubelet', [10250], NODES, NODES),
        { name: 'demo-cilium-vxlan', allow: [{ protocol: 'udp', ports: ['8472'] }], source_tags: NODES, target_tags: NODES },
        tcp('cilium-health', [4240], NODES, NODES),
        { name: 'demo-cilium-health-icmp', allow: [{ protocol: 'icmp' }], source_tags: NODES, target_tags: NODES },
        tcp('hubble', [4244], NODES, NODES),
        { name: 'demo-worker-health', allow: [{ protocol: 'tcp', ports: ['10256'] }], source_ranges: HEALTH_CHECKERS, target_tags: WORKERS },
        tcp('etcd-metrics', [2381], WORKERS, CONTROLLERS),
        tcp('node-exporter', [9100], WORKERS, NODES),
        tcp('cilium-metrics', [9962, 9963, 9964, 9965], WORKERS, NODES),
      ]),
    );
  });

  test('returns the rules by name', () => {
    expect(Object.keys(rules).sort()).toEqual(rulesOf(terraform).map((r) => r.name.replace(/^demo-/, '')).sort());
    expect(rules.etcd.node.path).toBe('stack/network/kubernetes-etcd');
  });

  test('no rule admits anything from a range but the health checkers\' to 10256', () => {
    const withRanges = rulesOf(terraform).filter((r) => r.source_ranges !== undefined);
    expect(withRanges.map((r) => [r.name, r.source_ranges, r.allow])).toEqual([['demo-worker-health', HEALTH_CHECKERS, [{ protocol: 'tcp', ports: ['10256'] }]]]);
  });
});

describe('flannel', () => {
  test('vxlan between nodes, kube-proxy\'s metrics and health; no Cilium port', () => {
    const { terraform } = synthFirewall({ networking: 'flannel' });
    expect(rulesOf(terraform)).toEqual(
      byName([
        tcp('apiserver', [6443], NODES, CONTROLLERS),
        tcp('etcd', [2379, 2380], CONTROLLERS, CONTROLLERS),
        tcp('kubelet', [10250], NODES, NODES),
        { name: 'demo-flannel', allow: [{ protocol: 'udp', ports: ['8472'] }], source_tags: NODES, target_tags: NODES },
        { name: 'demo-worker-health', allow: [{ protocol: 'tcp', ports: ['10256'] }], source_ranges: HEALTH_CHECKERS, target_tags: WORKERS },
        tcp('etcd-metrics', [2381], WORKERS, CONTROLLERS),
        tcp('node-exporter', [9100], WORKERS, NODES),
        tcp('kube-proxy-metrics', [10249], WORKERS, NODES),
      ]),
    );
  });
});

describe('options', () => {
  test('metricsScraping off: no metrics ports, and only the controllers reach the kubelets', () => {
    const { terraform } = synthFirewall({ metricsScraping: false });
    const rules = rulesOf(terraform);
    expect(rules.map((r) => r.name)).toEqual(
      ['apiserver', 'cilium-health', 'cilium-health-icmp', 'cilium-vxlan', 'etcd', 'hubble', 'kubelet', 'worker-health'].map((n) => `demo-${n}`),
    );
    expect(rules.find((r) => r.name === 'demo-kubelet')).toEqual(tcp('kubelet', [10250], CONTROLLERS, NODES));
  });

  test('componentMetrics: the workers reach the controller-manager and the scheduler', () => {
    const { terraform } = synthFirewall({ componentMetrics: true });
    expect(rulesOf(terraform).find((r) => r.name === 'demo-kube-metrics')).toEqual(tcp('kube-metrics', [10257, 10259], WORKERS, CONTROLLERS));
  });

  test('workerHealthChecks off: no range at all', () => {
    const { terraform } = synthFirewall({ workerHealthChecks: false });
    expect(rulesOf(terraform).filter((r) => r.name === 'demo-worker-health' || r.source_ranges)).toEqual([]);
  });

  test('tags of your own', () => {
    const { terraform } = synthFirewall({ controllerTag: 'cp', workerTag: 'pool' });
    const rules = rulesOf(terraform);
    expect(rules.find((r) => r.name === 'demo-etcd')).toEqual(tcp('etcd', [2379, 2380], ['cp'], ['cp']));
    expect(rules.find((r) => r.name === 'demo-hubble')).toEqual(tcp('hubble', [4244], ['cp', 'pool'], ['cp', 'pool']));
    expect(rules.find((r) => r.name === 'demo-worker-health')?.target_tags).toEqual(['pool']);
  });

  test('a network that still makes EtcdCluster\'s rules is warned about; etcdRules: false makes none', () => {
    const warned = synthFirewall({}, { etcdRules: undefined });
    expect(warningsOf(warned.network)).toEqual([
      "ClusterNetwork stack/network makes EtcdCluster's etcd rules, which admit workers (demo-worker) to etcd on demo-etcd; " +
        "a Kubernetes cluster's etcd is its controllers' own (rule etcd): construct the network with etcdRules: false",
    ]);
    expect(rulesOf(warned.terraform).map((r) => r.name)).toEqual(expect.arrayContaining(['demo-etcd-peer', 'demo-etcd-client']));
    const { network, terraform } = synthFirewall();
    expect(warningsOf(network)).toEqual([]);
    expect(rulesOf(terraform).map((r) => r.name)).not.toEqual(expect.arrayContaining(['demo-etcd-peer']));
    expect(rulesOf(terraform).map((r) => r.name)).not.toEqual(expect.arrayContaining(['demo-etcd-client']));
    expect([network.etcdRules, network.controllerTag]).toEqual([false, 'demo-controller']);
  });

  test('two synths give the same JSON', () => {
    expect(JSON.stringify(synthFirewall().terraform)).toBe(JSON.stringify(synthFirewall().terraform));
  });
});

describe('a whole cluster\'s network: rules of the network, the firewall and the API load balancer', () => {
  function cluster(networkProps: Partial<ClusterNetworkProps>, external?: { sourceRanges: string[] }): Rule[] {
    const stack = newStack();
    const network = new ClusterNetwork(stack, 'network', { clusterName: 'demo', region: 'us-central1', etcdRules: false, ...networkProps });
    kubernetesFirewall(network);
    new ApiLoadBalancer(stack, 'api', {
      clusterName: 'demo',
      region: 'us-central1',
      network: network.networkName,
      subnetwork: network.subnetworkName,
      controllerTag: network.controllerTag,
      controllers: [{ name: 'demo-controller-0', zone: 'us-central1-a', selfLink: 'projects/p/zones/us-central1-a/instances/demo-controller-0' }],
      external,
    });
    return byName(resourcesOf(synthJson(stack), 'google_compute_firewall').map(([, rule]) => rule as Rule));
  }
  const opens = (rule: Rule, port: string) => rule.allow.some((a) => a.protocol === 'tcp' && (a.ports ?? []).includes(port));

  test.each([
    ['by default (SSH from IAP only)', {}],
    ['without SSH', { sshSourceRanges: [] }],
  ])('%s: nothing from 0.0.0.0/0, every rule targets tags, 22 only from IAP, 6443 only from nodes and health checkers', (_, props) => {
    const rules = cluster(props);
    for (const rule of rules) {
      expect(rule.target_tags.length).toBeGreaterThan(0);
      expect(rule.source_ranges ?? []).not.toContain('0.0.0.0/0');
    }
    expect(rules.filter((r) => opens(r, '22')).map((r) => r.source_ranges)).toEqual('sshSourceRanges' in props ? [] : [['35.235.240.0/20']]);
    expect(rules.filter((r) => opens(r, '6443')).map((r) => [r.name, r.source_tags ?? r.source_ranges])).toEqual([
      ['demo-apiserver', NODES],
      ['demo-apiserver-health', HEALTH_CHECKERS],
    ]);
  });

  test('external: 6443 from its ranges too, and no other port from them', () => {
    const rules = cluster({ sshSourceRanges: [] }, { sourceRanges: ['203.0.113.0/24'] });
    const fromOffice = rules.filter((r) => (r.source_ranges ?? []).includes('203.0.113.0/24'));
    expect(fromOffice.map((r) => [r.name, r.allow, r.target_tags])).toEqual([['demo-apiserver-external', [{ protocol: 'tcp', ports: ['6443'] }], CONTROLLERS]]);
  });
});

describe('the ports agree with what listens on them', () => {
  test('Cilium: vxlan 8472, health 4240, Hubble 4244, metrics 9962-9965, kube-proxy replacement health 10256', () => {
    const data = (ciliumConfigMap(resolveAddonOptions(BASE)) as Json).data;
    expect(data['hubble-listen-address']).toBe(`:${HUBBLE_PORT}`);
    expect([data['prometheus-serve-addr'], data['operator-prometheus-serve-addr'], `:${data['proxy-prometheus-port']}`, data['hubble-metrics-server']]).toEqual(
      CILIUM_METRICS_PORTS.map((port) => `:${port}`),
    );
    expect(data['kube-proxy-replacement-healthz-bind-address']).toBe(':10256');
    expect([data['routing-mode'], data.tunnel]).toEqual(['tunnel', 'vxlan']);
  });

  test('kube-proxy (flannel): metrics 10249 on every address, health 10256', () => {
    const objects = renderKubeProxy(resolveAddonOptions({ ...BASE, networking: 'flannel' })) as Json[];
    const container = objects.find((o) => o.kind === 'DaemonSet').spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { name: 'metrics', containerPort: KUBE_PROXY_METRICS_PORT },
      { name: 'health', containerPort: 10256 },
    ]);
    expect(container.command).toContain('--metrics-bind-address=0.0.0.0');
  });
});

describe('refusals', () => {
  test('one tag for controllers and workers, a bad tag, a second application, an unknown network plugin', () => {
    const stack = newStack();
    const network = new ClusterNetwork(stack, 'network', K8S_NETWORK);
    expect(() => kubernetesFirewall(network, { workerTag: 'demo-controller' })).toThrow(
      'kubernetesFirewall on ClusterNetwork stack/network: controllerTag and workerTag are both "demo-controller": the rules for controllers only would admit workers',
    );
    expect(() => kubernetesFirewall(network, { controllerTag: 'Controllers!' })).toThrow('tag "Controllers!" must be 1-63 characters');
    expect(() => kubernetesFirewall(network, { networking: 'calico' as 'cilium' })).toThrow("networking must be 'cilium' or 'flannel' (got \"calico\")");
    kubernetesFirewall(network);
    expect(() => kubernetesFirewall(network)).toThrow('kubernetesFirewall was already applied to this network');
  });
});

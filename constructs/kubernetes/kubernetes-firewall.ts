/**
 * The firewall rules a Kubernetes cluster's nodes need between themselves, on a ClusterNetwork:
 * Typhoon's `network.tf` (poseidon/typhoon `google-cloud/fedora-coreos/kubernetes/network.tf`
 * @1955b238; the flatcar-linux copy read, @e87d5aab, is older: Calico's BGP, flannel on 4789),
 * scoped by the controllers' and workers' tags, with nothing internal open to 0.0.0.0/0. Differences from
 * Typhoon: no SSH rule (ClusterNetwork's `sshSourceRanges`), no 6443 or 80/443 from anywhere (the
 * API load balancer admits its health checkers and `external.sourceRanges`; ingress is a pool's
 * business), Cilium's metrics and the kubelet admitted from the scrapers' workers only, and Hubble
 * 4244 between nodes.
 */
import { Annotations } from 'cdktf';
import { HEALTH_CHECK_SOURCE_RANGES, ETCD_CLIENT_PORT, ETCD_PEER_PORT, type ClusterNetwork, type FirewallRuleOptions } from '../cluster-network';
import { ConstructError } from '../construct-error';
import { ETCD_METRICS_PORT } from '../etcd-cluster';
import { validateTags } from '../gce-validation';
import type { ComputeFirewall } from '../google';
import type { AddonNetworking } from './addons/addon-options';
import { CILIUM_HEALTH_PORT, CILIUM_HEALTHZ_PORT, CILIUM_VXLAN_PORT } from './addons/cilium-config';
import { FLANNEL_VXLAN_PORT } from './addons/flannel';
import { KUBE_PROXY_HEALTH_PORT } from './addons/kube-proxy';
import { API_SERVER_PORT } from './cluster-settings';

/** The kubelet's API (exec, logs, port-forward, metrics); authenticated, anonymous off (kubelet-config.ts). */
export const KUBELET_PORT = 10250;
/** Hubble's server in every Cilium agent (`hubble-listen-address` in cilium-config.ts), mutual TLS. */
export const HUBBLE_PORT = 4244;
/** Cilium's Prometheus ports: agent, operator, proxy, Hubble metrics (cilium-config.ts). */
export const CILIUM_METRICS_PORTS: readonly number[] = [9962, 9963, 9964, 9965];
/** kube-proxy's `/metrics` (`--metrics-bind-address=0.0.0.0`, port 10249, in kube-proxy.ts). */
export const KUBE_PROXY_METRICS_PORT = 10249;
/** Prometheus node-exporter on the host network, as Typhoon's prometheus add-on runs it. */
export const NODE_EXPORTER_PORT = 9100;
/** kube-controller-manager's and kube-scheduler's secure ports (`/metrics`, authenticated). */
export const CONTROLLER_MANAGER_PORT = 10257;
export const SCHEDULER_PORT = 10259;

export interface KubernetesFirewallOptions {
  /**
   * The pod network, whose node-to-node ports are opened.
   * @default 'cilium'
   */
  readonly networking?: AddonNetworking;
  /**
   * The tag every controller carries.
   * @default network.controllerTag (`<cluster>-controller`)
   */
  readonly controllerTag?: string;
  /**
   * The tag every worker carries.
   * @default network.workerTag (`<cluster>-worker`)
   */
  readonly workerTag?: string;
  /**
   * Admit a scraper on the workers (Prometheus, metrics-server; the controllers are tainted) to
   * the metrics Typhoon opens: etcd 2381 on controllers, node-exporter 9100, kube-proxy 10249
   * (flannel) or Cilium 9962-9965, and the kubelet 10250 on every node. Off, only the controllers
   * reach the kubelets (the apiserver's exec, logs and port-forward).
   * @default true
   */
  readonly metricsScraping?: boolean;
  /**
   * Admit the workers to the controller-manager's and scheduler's metrics (10257, 10259), as
   * Typhoon does. They listen on 127.0.0.1 only unless the static pods' `exposeComponentMetrics`.
   * @default false
   */
  readonly componentMetrics?: boolean;
  /**
   * Admit Google's health checkers to 10256 on the workers, where kube-proxy (flannel) or Cilium's
   * kube-proxy replacement answers: worker pools' autohealing probes it.
   * @default true
   */
  readonly workerHealthChecks?: boolean;
}

/** Who a rule admits traffic from or to. */
type Peers = 'controllers' | 'workers' | 'nodes';

/** One rule: `<cluster>-<name>`, from some peers (or Google's health checkers) to others. */
interface RuleSpec {
  readonly name: string;
  readonly protocol?: FirewallRuleOptions['protocol'];
  readonly ports?: readonly number[];
  readonly from: Peers | 'health-checkers';
  readonly to: Peers;
}

/**
 * The rules, in one list. Each rule is made on the network (`network.allow`), so it is named
 * `<cluster>-<name>`, with the construct id `kubernetes-<name>` under the network.
 */
function ruleSpecs(options: KubernetesFirewallOptions): RuleSpec[] {
  const networking = options.networking ?? 'cilium';
  const metrics = options.metricsScraping ?? true;
  const rules: RuleSpec[] = [
    // Kubelets, kube-proxy or Cilium, and pods (masqueraded to their node) through the internal
    // load balancer, which keeps the client's address, so source tags match.
    { name: 'apiserver', ports: [API_SERVER_PORT], from: 'nodes', to: 'controllers' },
    { name: 'etcd', ports: [ETCD_CLIENT_PORT, ETCD_PEER_PORT], from: 'controllers', to: 'controllers' },
    { name: 'kubelet', ports: [KUBELET_PORT], from: metrics ? 'nodes' : 'controllers', to: 'nodes' },
  ];
  if (networking === 'cilium') {
    rules.push(
      { name: 'cilium-vxlan', protocol: 'udp', ports: [CILIUM_VXLAN_PORT], from: 'nodes', to: 'nodes' },
      // Cilium's node-to-node health: HTTP on 4240 and ICMP echo.
      { name: 'cilium-health', ports: [CILIUM_HEALTH_PORT], from: 'nodes', to: 'nodes' },
      { name: 'cilium-health-icmp', protocol: 'icmp', from: 'nodes', to: 'nodes' },
      // Hubble Relay, wherever it runs, dials every agent's Hubble server at its node's address.
      { name: 'hubble', ports: [HUBBLE_PORT], from: 'nodes', to: 'nodes' },
    );
  } else {
    rules.push({ name: 'flannel', protocol: 'udp', ports: [FLANNEL_VXLAN_PORT], from: 'nodes', to: 'nodes' });
  }
  if (options.workerHealthChecks ?? true) {
    // One port for both: Cilium's kube-proxy replacement answers where kube-proxy would.
    const port = networking === 'cilium' ? CILIUM_HEALTHZ_PORT : KUBE_PROXY_HEALTH_PORT;
    rules.push({ name: 'worker-health', ports: [port], from: 'health-checkers', to: 'workers' });
  }
  if (metrics) {
    rules.push(
      { name: 'etcd-metrics', ports: [ETCD_METRICS_PORT], from: 'workers', to: 'controllers' },
      { name: 'node-exporter', ports: [NODE_EXPORTER_PORT], from: 'workers', to: 'nodes' },
      networking === 'cilium'
        ? { name: 'cilium-metrics', ports: CILIUM_METRICS_PORTS, from: 'workers', to: 'nodes' }
        : { name: 'kube-proxy-metrics', ports: [KUBE_PROXY_METRICS_PORT], from: 'workers', to: 'nodes' },
    );
  }
  if (options.componentMetrics ?? false) {
    rules.push({ name: 'kube-metrics', ports: [CONTROLLER_MANAGER_PORT, SCHEDULER_PORT], from: 'workers', to: 'controllers' });
  }
  return rules;
}

/**
 * Makes a Kubernetes cluster's node-to-node rules on `network` and returns them by name (without
 * the cluster prefix): `apiserver`, `etcd`, `kubelet`, the CNI's, `worker-health`, the metrics'.
 * Once per network. Warns when the network still makes EtcdCluster's etcd rules (`etcdRules`),
 * which admit workers to etcd.
 */
export function kubernetesFirewall(network: ClusterNetwork, options: KubernetesFirewallOptions = {}): Readonly<Record<string, ComputeFirewall>> {
  const controllerTag = options.controllerTag ?? network.controllerTag;
  const workerTag = options.workerTag ?? network.workerTag;
  const problems = validateTags([controllerTag, workerTag]);
  if (controllerTag === workerTag) problems.push(`controllerTag and workerTag are both "${controllerTag}": the rules for controllers only would admit workers`);
  const networking = options.networking ?? 'cilium';
  if (networking !== 'cilium' && networking !== 'flannel') problems.push(`networking must be 'cilium' or 'flannel' (got "${String(networking)}")`);
  if (network.node.tryFindChild('kubernetes-apiserver')) problems.push('kubernetesFirewall was already applied to this network');
  if (problems.length > 0) throw new ConstructError(network, `kubernetesFirewall on ClusterNetwork ${network.node.path}`, problems.join('; '));

  if (network.etcdRules) {
    Annotations.of(network).addWarning(
      `ClusterNetwork ${network.node.path} makes EtcdCluster's etcd rules, which admit workers (${network.workerTag}) to etcd on ${network.etcdTag}; ` +
        "a Kubernetes cluster's etcd is its controllers' own (rule etcd): construct the network with etcdRules: false",
    );
  }
  const tags: Record<Peers, string[]> = { controllers: [controllerTag], workers: [workerTag], nodes: [controllerTag, workerTag] };
  const rules: Record<string, ComputeFirewall> = {};
  for (const spec of ruleSpecs(options)) {
    const source = spec.from === 'health-checkers' ? { sourceRanges: HEALTH_CHECK_SOURCE_RANGES } : { sourceTags: tags[spec.from] };
    rules[spec.name] = network.allow(`kubernetes-${spec.name}`, spec.name, { protocol: spec.protocol, ports: spec.ports, ...source, targetTags: tags[spec.to] });
  }
  return rules;
}

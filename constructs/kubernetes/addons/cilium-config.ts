/**
 * The `cilium` ConfigMap the agent and the operator read (`--config-dir`): a vxlan tunnel,
 * cluster-pool IPAM handing each node a /24 of the pod range, the kube-proxy replacement with its
 * health on :10256, BPF masquerade, and Cilium as the only CNI config on the node. Key for key as
 * Typhoon's (poseidon/typhoon `addons/cilium/config.tf` @3412060c, which mirrors
 * terraform-render-bootstrap `resources/cilium/config.yaml`).
 */
import type { ResolvedAddonOptions } from './addon-options';
import { type KubeObject, configMap } from './kube-objects';

export const CILIUM_CONFIG_MAP = 'cilium';
/** The kube-proxy replacement's health port, the one worker autohealing probes (as kube-proxy's). */
export const CILIUM_HEALTHZ_PORT = 10256;
/** Cilium's vxlan port (its default), which the firewall opens between nodes. */
export const CILIUM_VXLAN_PORT = 8472;
/** Cilium's node-to-node health checks. */
export const CILIUM_HEALTH_PORT = 4240;

export function ciliumConfigMap(options: ResolvedAddonOptions): KubeObject {
  return configMap(CILIUM_CONFIG_MAP, {
    // Identities as CRDs in the apiserver: no etcd of Cilium's own.
    'identity-allocation-mode': 'crd',
    'cilium-endpoint-gc-interval': '5m0s',
    'nodes-gc-interval': '5m0s',
    debug: 'false',
    'enable-policy': 'default',

    'enable-metrics': 'true',
    'prometheus-serve-addr': ':9962',
    'operator-prometheus-serve-addr': ':9963',
    'proxy-prometheus-port': '9964',

    'enable-ipv4': 'true',
    'enable-ipv6': 'false',
    'enable-bpf-clock-probe': 'true',
    'enable-bpf-tproxy': 'false',
    'monitor-aggregation': 'medium',
    'monitor-aggregation-interval': '5s',
    'monitor-aggregation-flags': 'all',
    'bpf-map-dynamic-size-ratio': '0.0025',
    'bpf-policy-map-max': '16384',
    'bpf-lb-map-max': '65536',
    'preallocate-bpf-maps': 'false',
    'cluster-name': 'default',
    'cluster-id': '0',

    // Pod traffic between nodes in a vxlan tunnel: works on any VPC without routes per node.
    'routing-mode': 'tunnel',
    tunnel: 'vxlan',
    'enable-l7-proxy': 'true',
    'auto-direct-node-routes': 'false',
    'enable-xt-socket-fallback': 'true',
    'install-iptables-rules': 'true',

    // Pods reach beyond the cluster from the node's address (Cloud NAT does the rest).
    'enable-ipv4-masquerade': 'true',
    'enable-ipv6-masquerade': 'false',
    'enable-bpf-masquerade': 'true',

    // Cilium serves Services in place of kube-proxy, and its health where kube-proxy's would be.
    'kube-proxy-replacement': 'true',
    'kube-proxy-replacement-healthz-bind-address': `:${CILIUM_HEALTHZ_PORT}`,
    'enable-session-affinity': 'true',
    'bpf-lb-sock': 'true',
    'bpf-lb-external-clusterip': 'true',
    'enable-node-port': 'true',
    'enable-health-check-nodeport': 'false',
    'enable-external-ips': 'true',
    'enable-host-port': 'true',

    // Each node's pods get a /24 of the pod range, handed out by the operator.
    ipam: 'cluster-pool',
    'disable-cnp-status-updates': 'true',
    'cluster-pool-ipv4-cidr': options.podCidr,
    'cluster-pool-ipv4-mask-size': '24',

    'agent-health-port': '9876',
    'enable-health-checking': 'true',
    'enable-endpoint-health-checking': 'true',
    'enable-well-known-identities': 'false',
    'enable-remote-node-identity': 'true',

    // Hubble's server starts only once the optional hubble-server-certs Secret exists.
    'enable-hubble': 'true',
    'hubble-disable-tls': 'false',
    'hubble-listen-address': ':4244',
    'hubble-socket-path': '/var/run/cilium/hubble.sock',
    'hubble-tls-client-ca-files': '/var/lib/cilium/tls/hubble/client-ca.crt',
    'hubble-tls-cert-file': '/var/lib/cilium/tls/hubble/server.crt',
    'hubble-tls-key-file': '/var/lib/cilium/tls/hubble/server.key',
    'hubble-export-file-max-backups': '5',
    'hubble-export-file-max-size-mb': '10',
    'hubble-metrics-server': ':9965',
    'hubble-metrics': 'dns drop tcp flow port-distribution icmp httpV2',
    'enable-hubble-open-metrics': 'false',

    'enable-bandwidth-manager': 'false',
    'enable-local-redirect-policy': 'false',
    'policy-audit-mode': 'false',
    'operator-api-serve-addr': '127.0.0.1:9234',
    'enable-l2-neigh-discovery': 'true',
    'enable-k8s-terminating-endpoint': 'true',
    'enable-k8s-networkpolicy': 'true',
    'external-envoy-proxy': 'false',
    // The agent writes the CNI config only once it is ready, and removes any other.
    'write-cni-conf-when-ready': '/host/etc/cni/net.d/05-cilium.conflist',
    'cni-exclusive': 'true',
    'cni-log-file': '/var/run/cilium/cilium-cni.log',
  });
}

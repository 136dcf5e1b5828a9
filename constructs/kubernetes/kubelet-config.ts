/**
 * Every node's kubelet: its KubeletConfiguration (`/etc/kubernetes/kubelet.json`, the same file on
 * controllers and workers) and its command-line flags (what differs by role). Pure (no cdktf).
 *
 * The configuration is Typhoon's (poseidon/typhoon google-cloud/flatcar-linux/kubernetes/
 * butane/controller.yaml and workers/butane/worker.yaml @21428170; the test compares field by
 * field) plus:
 * - `containerRuntimeEndpoint` in the file (a v1beta1 field since 1.27) instead of the deprecated flag;
 * - `tlsMinVersion: VersionTLS12`, as the control plane's `--tls-min-version`.
 *
 * Not set, on purpose:
 * - `serverTLSBootstrap`: the kubelet keeps its self-signed serving certificate, as in Typhoon. A
 *   CA-signed one needs someone to approve `kubernetes.io/kubelet-serving` CSRs, which
 *   kube-controller-manager never auto-approves (the CSR only proves the node's identity, not its
 *   addresses); without an approver the kubelet would serve no TLS at all and logs/exec would fail.
 *   So the apiserver has no `--kubelet-certificate-authority` either.
 * - `seccompDefault`, `protectKernelDefaults`: stricter, but they change every workload (or need
 *   sysctls Flatcar does not set); not in Typhoon.
 */
import {
  CLUSTER_DOMAIN,
  CONTROLLER_LABEL,
  CONTROLLER_TAINT,
  DEFAULT_SERVICE_CIDR,
  KUBECONFIGS,
  KUBELET_CONFIG_FILE,
  MANIFESTS_DIR,
  PKI_FILES,
  WORKER_LABEL,
  dnsServiceIp,
} from './cluster-settings';
import { hasToken, refuseProblems } from './json-manifest';
import { serviceCidrProblems } from './static-pods';

/** Flatcar's containerd socket (Typhoon's `--container-runtime-endpoint`). */
export const CONTAINERD_ENDPOINT = 'unix:///run/containerd/containerd.sock';
/** systemd-resolved's list of upstream servers: pods must not inherit its 127.0.0.53 stub. */
export const RESOLVED_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';
/** Flexvolume plugins, in a directory Flatcar can write (its /usr is read-only). */
export const KUBELET_VOLUME_PLUGIN_DIR = '/var/lib/kubelet/volumeplugins';

export interface KubeletConfigOptions {
  /** The Services' range; cluster DNS is its 10th address. A literal IPv4 CIDR. @default '10.3.0.0/16' */
  readonly serviceCidr?: string;
  /** The cluster's DNS domain, searched by every pod. @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/**
 * The KubeletConfiguration (kubelet.config.k8s.io/v1beta1) fields we set. Field names are those of
 * kubernetes/kubernetes staging/src/k8s.io/kubelet/config/v1beta1/types.go (the test checks them
 * against that file's full list).
 */
export interface KubeletConfiguration {
  readonly apiVersion: 'kubelet.config.k8s.io/v1beta1';
  readonly kind: 'KubeletConfiguration';
  readonly authentication: {
    readonly anonymous: { readonly enabled: false };
    readonly webhook: { readonly enabled: true };
    readonly x509: { readonly clientCAFile: string };
  };
  readonly authorization: { readonly mode: 'Webhook' };
  readonly cgroupDriver: 'systemd';
  readonly clusterDNS: readonly string[];
  readonly clusterDomain: string;
  readonly containerRuntimeEndpoint: string;
  readonly healthzPort: number;
  readonly readOnlyPort: number;
  readonly resolvConf: string;
  readonly rotateCertificates: true;
  readonly serializeImagePulls: boolean;
  readonly shutdownGracePeriod: string;
  readonly shutdownGracePeriodCriticalPods: string;
  readonly staticPodPath: string;
  readonly tlsMinVersion: string;
  readonly volumePluginDir: string;
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** What is wrong with the options (empty when nothing is). */
export function kubeletConfigProblems(options: KubeletConfigOptions = {}): string[] {
  const { serviceCidr = DEFAULT_SERVICE_CIDR, clusterDomain = CLUSTER_DOMAIN } = options;
  const problems = serviceCidrProblems(serviceCidr);
  if (hasToken(clusterDomain) || !DNS_NAME.test(clusterDomain)) problems.push(`clusterDomain "${clusterDomain}" is not a literal lower-case DNS name such as ${CLUSTER_DOMAIN}`);
  return problems;
}

/** The KubeletConfiguration every node reads from KUBELET_CONFIG_FILE; throws on bad options. */
export function renderKubeletConfig(options: KubeletConfigOptions = {}): KubeletConfiguration {
  refuseProblems('renderKubeletConfig', kubeletConfigProblems(options));
  const { serviceCidr = DEFAULT_SERVICE_CIDR, clusterDomain = CLUSTER_DOMAIN } = options;
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Only the apiserver (client certificate from the cluster CA) and bearer tokens the apiserver
    // vouches for reach the kubelet's API; each request is authorized by a SubjectAccessReview.
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: PKI_FILES.ca } },
    authorization: { mode: 'Webhook' },
    // Flatcar's containerd uses the systemd cgroup driver; the two must agree.
    cgroupDriver: 'systemd',
    clusterDNS: [dnsServiceIp(serviceCidr)],
    clusterDomain,
    containerRuntimeEndpoint: CONTAINERD_ENDPOINT,
    // No unauthenticated listener at all: neither healthz (10248) nor the read-only port (10255).
    healthzPort: 0,
    readOnlyPort: 0,
    resolvConf: RESOLVED_RESOLV_CONF,
    // The client certificate from TLS bootstrap (72 h) is renewed through CSRs before it expires.
    rotateCertificates: true,
    serializeImagePulls: false,
    // Graceful node shutdown; logind's InhibitDelayMaxSec must be at least as long (45 s).
    shutdownGracePeriod: '45s',
    shutdownGracePeriodCriticalPods: '30s',
    // Controllers run the control plane from here; on workers the directory stays empty (as Typhoon).
    staticPodPath: MANIFESTS_DIR,
    tlsMinVersion: 'VersionTLS12',
    volumePluginDir: KUBELET_VOLUME_PLUGIN_DIR,
  };
}

export type NodeRole = 'controller' | 'worker';

export interface KubeletFlagsOptions {
  /** More node labels, `key=value` (or `key` for an empty value), after the role's own. @default [] */
  readonly nodeLabels?: readonly string[];
  /** More taints registered with the node, `key=value:Effect` (the value may be empty), after the role's own. @default [] */
  readonly nodeTaints?: readonly string[];
}

// Label keys and values (k8s.io/apimachinery validation: qualified names, label values).
const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const PREFIX = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const KEY = new RegExp(`^((?=[^/]{1,253}/)${PREFIX}/)?${NAME}$`);
const VALUE = new RegExp(`^(${NAME})?$`);
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

// The kubernetes.io / k8s.io labels a kubelet may set on its own Node (the kubelet refuses to start
// with any other): kubernetes/kubernetes staging/src/k8s.io/kubelet/pkg/apis/well_known_labels.go
// @8252347da8e1f933e929b8f3a104b63333896ea4 (kubeletLabels, kubeletLabelNamespaces).
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
  'node-role.kubernetes.io/worker',
  'node-role.kubernetes.io/etcd',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

function isReservedNamespace(namespace: string): boolean {
  return ['kubernetes.io', 'k8s.io'].some((domain) => namespace === domain || namespace.endsWith(`.${domain}`));
}

function labelProblems(label: string): string[] {
  const [key, value = ''] = label.split(/=(.*)/s, 2);
  const where = `nodeLabels: "${label}"`;
  if (!KEY.test(key) || !VALUE.test(value)) return [`${where} is not key=value with a valid label key and value`];
  const namespace = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const allowed = KUBELET_LABELS.has(key) || KUBELET_LABEL_NAMESPACES.some((ns) => namespace === ns || namespace.endsWith(`.${ns}`));
  if (isReservedNamespace(namespace) && !allowed) {
    return [`${where}: a kubelet may not set its own ${namespace} labels except under node.kubernetes.io/ or kubelet.kubernetes.io/ (use node.kubernetes.io/... or your own prefix)`];
  }
  return [];
}

function taintProblems(taint: string): string[] {
  const m = /^([^=:]+)=([^=:]*):([^=:]*)$/.exec(taint);
  if (!m || !KEY.test(m[1]) || !VALUE.test(m[2])) return [`nodeTaints: "${taint}" is not key=value:Effect (the value may be empty) with a valid label key and value`];
  if (!EFFECTS.includes(m[3])) return [`nodeTaints: "${taint}" has effect "${m[3]}": use one of ${EFFECTS.join(', ')}`];
  return [];
}

/** What is wrong with the labels and taints (empty when nothing is); tokens are not checked. */
export function kubeletFlagsProblems(options: KubeletFlagsOptions = {}): string[] {
  return [
    ...(options.nodeLabels ?? []).filter((label) => !hasToken(label)).flatMap(labelProblems),
    ...(options.nodeTaints ?? []).filter((taint) => !hasToken(taint)).flatMap(taintProblems),
  ];
}

/**
 * The kubelet's flags on a node of `role`, for its unit's ExecStart; throws on bad labels or taints.
 * Labels and taints go in one comma-separated flag each: `--register-with-taints` keeps only its
 * last occurrence (taintsVar.Set assigns, kubernetes/kubernetes pkg/util/taints/taints.go
 * @7c30c06e721d89056db323a3857a6b89990adf03), so repeating it, as Typhoon's worker template does
 * for several taints, would drop all but the last.
 */
export function kubeletFlags(role: NodeRole, options: KubeletFlagsOptions = {}): string[] {
  refuseProblems('kubeletFlags', kubeletFlagsProblems(options));
  // node-role.kubernetes.io/controller is not a label a kubelet may set on itself; the taint is fine.
  const labels = [role === 'controller' ? `${CONTROLLER_LABEL}=true` : `${WORKER_LABEL}=`, ...(options.nodeLabels ?? [])];
  const taints = [...(role === 'controller' ? [`${CONTROLLER_TAINT}=:NoSchedule`] : []), ...(options.nodeTaints ?? [])];
  return [
    `--bootstrap-kubeconfig=${KUBECONFIGS.bootstrap}`,
    `--config=${KUBELET_CONFIG_FILE}`,
    `--kubeconfig=${KUBECONFIGS.kubelet}`,
    `--node-labels=${labels.join(',')}`,
    ...(taints.length > 0 ? [`--register-with-taints=${taints.join(',')}`] : []),
  ];
}

/**
 * The control plane every controller runs as static pods: kube-apiserver, kube-controller-manager
 * and kube-scheduler, as Pod (v1) objects for `/etc/kubernetes/manifests/<name>.json`. Pure (no
 * cdktf); values may be cdktf token strings, passed through unchecked.
 *
 * The flag set is Typhoon's (poseidon/terraform-render-bootstrap resources/static-manifests/*.yaml
 * @e958673e, the commit Typhoon 21428170 pins; __tests__/kubernetes/static-pods.test.ts lists each
 * of its flags and what we do instead where we differ) or stricter:
 * - components reach their own apiserver at 127.0.0.1:6443 (their kubeconfigs say so), not through
 *   the load balancer;
 * - the apiserver calls kubelets with its own client certificate (apiserver-kubelet-client), not
 *   with its serving certificate in `system:masters`;
 * - `--profiling=false` and `--tls-min-version=VersionTLS12` on all three; controller-manager and
 *   scheduler serve on 127.0.0.1 only (kubeadm's choice; Typhoon serves on 0.0.0.0 for scraping);
 * - each pod mounts, read-only, exactly the files its flags name (hostPath type File): the
 *   scheduler sees only its kubeconfig, and only the controller-manager sees the CA key (all three
 *   run as the same uid and group, so mounts are what keeps them apart);
 * - non-root (65534, with the kube-pki group for the keys), no privilege escalation, no
 *   capabilities, read-only root filesystem, seccomp RuntimeDefault, system-node-critical.
 */
import { SECRETS_GENERATION_ANNOTATION, SECRETS_GENERATION_AT_BOOT } from './control-plane-restart';
import {
  API_SERVER_PORT,
  CLUSTER_DOMAIN,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  KUBECONFIGS,
  KUBE_PKI_GID,
  KUBERNETES_DIR,
  MANIFESTS_DIR,
  PKI_FILES,
  STATIC_POD_UID,
  FRONT_PROXY_CLIENT_CN,
} from './cluster-settings';
import { hasToken, refuseProblems, renderJson, textBeforeToken } from './json-manifest';
import { KUBERNETES_VERSION, componentImage } from './versions';

export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
export const CONTROL_PLANE_COMPONENTS: readonly ControlPlaneComponent[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/** Where each static pod's manifest goes on a controller. */
export const STATIC_POD_MANIFESTS: Readonly<Record<ControlPlaneComponent, string>> = {
  'kube-apiserver': `${MANIFESTS_DIR}/kube-apiserver.json`,
  'kube-controller-manager': `${MANIFESTS_DIR}/kube-controller-manager.json`,
  'kube-scheduler': `${MANIFESTS_DIR}/kube-scheduler.json`,
};

/**
 * The apiserver's authentication config when `anonymousHealthEndpoints` is on (not secret; the
 * controller's Ignition config writes it). A path of ours, not of the shared contract.
 */
export const APISERVER_AUTHENTICATION_CONFIG_FILE = `${KUBERNETES_DIR}/authentication-config.json`;

/** Paths anonymous requests may reach when `anonymousHealthEndpoints` is on, and nothing else. */
export const ANONYMOUS_HEALTH_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz'];

export interface StaticPodsOptions {
  /** etcd client URLs, `https://HOST:2379` each (HOST may be a token); joined into `--etcd-servers`. */
  readonly etcdServers: readonly string[];
  /** The Services' range (`--service-cluster-ip-range`); a literal IPv4 CIDR from /12 to /28. @default '10.3.0.0/16' */
  readonly serviceCidr?: string;
  /** The pods' range; a literal IPv4 CIDR from /8 to /24 that does not overlap `serviceCidr`. @default '10.20.0.0/14' */
  readonly podCidr?: string;
  /**
   * The controller-manager gives each node a /24 of `podCidr` (`--allocate-node-cidrs`,
   * `--cluster-cidr`): flannel needs it; Cilium's cluster-pool IPAM allocates on its own.
   * @default false
   */
  readonly allocateNodeCidrs?: boolean;
  /** The cluster's DNS domain; only names the default service-account issuer. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** `--service-account-issuer`: an https URL (may be a token). @default 'https://kubernetes.default.svc.<clusterDomain>' */
  readonly serviceAccountIssuer?: string;
  /** Kubernetes release of the three images, e.g. '1.36.2'. @default KUBERNETES_VERSION */
  readonly kubernetesVersion?: string;
  /**
   * controller-manager and scheduler serve their (authenticated) `/metrics` on every address
   * (`--bind-address=0.0.0.0`, as Typhoon) instead of 127.0.0.1 only; open 10257/10259 to the
   * scraper yourself.
   * @default false
   */
  readonly exposeComponentMetrics?: boolean;
  /**
   * Anonymous requests are allowed on /livez, /readyz and /healthz only, through an
   * AuthenticationConfiguration file (`--authentication-config`, replacing `--anonymous-auth=false`;
   * AnonymousAuthConfigurableEndpoints, GA in 1.34), so the apiserver gets a liveness probe and a
   * load balancer can check /readyz over HTTPS. The file (`renderApiServerAuthenticationConfig()`)
   * must then be written to APISERVER_AUTHENTICATION_CONFIG_FILE. When off, anonymous requests are
   * refused everywhere and the apiserver has no probe, as in Typhoon.
   * @default false
   */
  readonly anonymousHealthEndpoints?: boolean;
}

export interface HostPathVolume {
  readonly name: string;
  readonly hostPath: { readonly path: string; readonly type: 'File' };
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly: true;
}

export interface HttpsProbe {
  readonly httpGet: { readonly host: string; readonly path: string; readonly port: number; readonly scheme: 'HTTPS' };
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface StaticPodContainer {
  readonly name: ControlPlaneComponent;
  readonly image: string;
  readonly command: readonly string[];
  readonly env?: readonly { readonly name: string; readonly valueFrom: { readonly fieldRef: { readonly fieldPath: string } } }[];
  readonly livenessProbe?: HttpsProbe;
  readonly resources: { readonly requests: { readonly cpu: string } };
  readonly securityContext: {
    readonly allowPrivilegeEscalation: false;
    readonly capabilities: { readonly drop: readonly ['ALL'] };
    readonly readOnlyRootFilesystem: true;
  };
  readonly volumeMounts: readonly VolumeMount[];
}

/** A control-plane static pod, as written to its manifest. */
export interface StaticPod {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: {
    readonly name: ControlPlaneComponent;
    readonly namespace: 'kube-system';
    readonly labels: { readonly 'k8s-app': ControlPlaneComponent; readonly tier: 'control-plane' };
    /** SECRETS_GENERATION_ANNOTATION: rewritten to recreate the pod after a certificate renewal. */
    readonly annotations: { readonly [key: string]: string };
  };
  readonly spec: {
    readonly hostNetwork: true;
    readonly priorityClassName: 'system-node-critical';
    readonly securityContext: {
      readonly runAsNonRoot: true;
      readonly runAsUser: number;
      readonly runAsGroup: number;
      readonly supplementalGroups: readonly number[];
      readonly seccompProfile: { readonly type: 'RuntimeDefault' };
    };
    readonly containers: readonly [StaticPodContainer];
    readonly volumes: readonly HostPathVolume[];
  };
}

/** The `apiserver.config.k8s.io/v1` AuthenticationConfiguration that `anonymousHealthEndpoints` needs. */
export interface ApiServerAuthenticationConfig {
  readonly apiVersion: 'apiserver.config.k8s.io/v1';
  readonly kind: 'AuthenticationConfiguration';
  readonly anonymous: { readonly enabled: true; readonly conditions: readonly { readonly path: string }[] };
  readonly jwt: readonly [];
}

// Ranges: kube-apiserver refuses a service range wider than /12 ("specified --service-cluster-ip-range
// is too large; for 32-bit addresses, the mask must be >= 12"); CoreDNS takes
// its 10th address, so /28 is the narrowest. Nodes get a /24 of the pod range
// (--node-cidr-mask-size's IPv4 default), and the node IPAM allows at most 16 bits between the two.
const SERVICE_PREFIXES = { min: 12, max: 28 };
const POD_PREFIXES = { min: 8, max: 24 };
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const VERSION = /^v?\d+\.\d+\.\d+$/;

interface Ipv4Range {
  readonly first: number;
  readonly prefix: number;
}

function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
  // Go's net.ParseCIDR refuses octets with leading zeros, so we do too.
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(\d|[12]\d|3[0-2])$/.exec(cidr);
  if (!m || m.slice(1, 5).some((octet) => Number(octet) > 255)) return undefined;
  return { first: m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0), prefix: Number(m[5]) };
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * What is wrong with an IPv4 CIDR given as `what` (empty when nothing is): it must be literal,
 * well-formed, a network address, and of a prefix length from `min` to `max`.
 */
export function ipv4CidrProblems(what: string, cidr: string, prefixes: { readonly min: number; readonly max: number }): string[] {
  if (hasToken(cidr)) return [`${what} must be a literal IPv4 CIDR, not a token: addresses are computed from it at synth`];
  const range = parseIpv4Cidr(cidr);
  if (!range) return [`${what} "${cidr}" is not an IPv4 CIDR such as ${DEFAULT_SERVICE_CIDR}`];
  const size = 2 ** (32 - range.prefix);
  const network = range.first - (range.first % size);
  if (network !== range.first) return [`${what} "${cidr}" is not a network address: use ${formatIpv4(network)}/${range.prefix}`];
  if (range.prefix < prefixes.min || range.prefix > prefixes.max) return [`${what} "${cidr}" must have a prefix length from /${prefixes.min} to /${prefixes.max}`];
  return [];
}

function overlaps(a: string, b: string): boolean {
  const x = parseIpv4Cidr(a);
  const y = parseIpv4Cidr(b);
  if (!x || !y) return false;
  const prefix = Math.min(x.prefix, y.prefix);
  const size = 2 ** (32 - prefix);
  return Math.floor(x.first / size) === Math.floor(y.first / size);
}

/** What is wrong with the service range (shared with the kubelet config, whose DNS address comes from it). */
export function serviceCidrProblems(serviceCidr: string): string[] {
  return ipv4CidrProblems('serviceCidr', serviceCidr, SERVICE_PREFIXES);
}

function httpsUrlProblems(what: string, url: string, example: string, authorityOnly: boolean): string[] {
  if (hasToken(url)) {
    // Only the text before the first token is known; it must agree with https://.
    const known = textBeforeToken(url);
    return known.startsWith('https://') || 'https://'.startsWith(known) ? [] : [`${what} "${url}" must start with https://`];
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`${what} "${url}" is not a URL such as ${example}`];
  }
  if (parsed.protocol !== 'https:') return [`${what} "${url}" is not https: ${example}`];
  if (parsed.username || parsed.password || parsed.search || parsed.hash || url.includes(',')) {
    return [`${what} "${url}" must not carry credentials, a query, a fragment or a comma`];
  }
  if (authorityOnly && url.slice('https://'.length).includes('/')) return [`${what} "${url}" must be https://HOST:PORT, without a path`];
  return [];
}

/** What is wrong with the options (empty when nothing is); token values are not checked beyond their scheme. */
export function staticPodsProblems(options: StaticPodsOptions): string[] {
  const problems: string[] = [];
  const { serviceCidr = DEFAULT_SERVICE_CIDR, podCidr = DEFAULT_POD_CIDR, clusterDomain = CLUSTER_DOMAIN } = options;
  if (options.etcdServers.length === 0) problems.push('etcdServers is empty: the apiserver needs at least one etcd client URL');
  const seen = new Set<string>();
  options.etcdServers.forEach((url, i) => {
    problems.push(...httpsUrlProblems(`etcdServers[${i}]`, url, 'https://etcd0.us-central1-a.c.PROJECT.internal:2379 (the apiserver uses a client certificate)', true));
    if (seen.has(url)) problems.push(`etcdServers[${i}] "${url}" is given twice`);
    seen.add(url);
  });
  const serviceProblems = serviceCidrProblems(serviceCidr);
  const podProblems = ipv4CidrProblems('podCidr', podCidr, POD_PREFIXES);
  problems.push(...serviceProblems, ...podProblems);
  if (serviceProblems.length === 0 && podProblems.length === 0 && overlaps(serviceCidr, podCidr)) {
    problems.push(`podCidr "${podCidr}" overlaps serviceCidr "${serviceCidr}"`);
  }
  if (hasToken(clusterDomain) || !DNS_NAME.test(clusterDomain)) problems.push(`clusterDomain "${clusterDomain}" is not a literal lower-case DNS name such as ${CLUSTER_DOMAIN}`);
  if (options.serviceAccountIssuer !== undefined) {
    problems.push(...httpsUrlProblems('serviceAccountIssuer', options.serviceAccountIssuer, 'https://kubernetes.default.svc.cluster.local', false));
  }
  const version = options.kubernetesVersion ?? KUBERNETES_VERSION;
  if (!VERSION.test(version)) problems.push(`kubernetesVersion "${version}" is not a release such as ${KUBERNETES_VERSION}`);
  return problems;
}

// hostPath type File: the pod does not start until the file exists (the kubelet retries), where the
// default type would create an empty directory at a missing path and block the file's delivery.
// A file bind mount keeps the inode it was given: a file renewed by rename reaches the pod only
// when the pod restarts, so renewal must restart the pod (or rewrite its manifest).
function fileVolumes(paths: readonly string[]): { volumes: HostPathVolume[]; volumeMounts: VolumeMount[] } {
  const named = paths.map((path) => ({ path, name: volumeName(path) }));
  return {
    volumes: named.map(({ name, path }) => ({ name, hostPath: { path, type: 'File' } })),
    volumeMounts: named.map(({ name, path }) => ({ name, mountPath: path, readOnly: true })),
  };
}

/** `/etc/kubernetes/pki/etcd/ca.crt` → `pki-etcd-ca-crt` (a DNS label, as volume names must be). */
function volumeName(path: string): string {
  return path.replace(`${KUBERNETES_DIR}/`, '').replace(/[^a-z0-9]+/g, '-');
}

// Typhoon's probe timing (initialDelaySeconds and timeoutSeconds 15) with kubeadm's failureThreshold 8
// (kubernetes/kubernetes cmd/kubeadm/app/util/staticpod/utils.go@effb98eaa665a33b16634ab968c91644b99d1ba7).
function livenessProbe(port: number, path: string): HttpsProbe {
  return { httpGet: { host: '127.0.0.1', path, port, scheme: 'HTTPS' }, initialDelaySeconds: 15, timeoutSeconds: 15, failureThreshold: 8 };
}

function staticPod(component: ControlPlaneComponent, version: string, command: string[], files: readonly string[], extra: {
  cpu: string;
  env?: StaticPodContainer['env'];
  livenessProbe?: HttpsProbe;
}): StaticPod {
  const { volumes, volumeMounts } = fileVolumes(files);
  const container: StaticPodContainer = {
    name: component,
    image: componentImage(component, version),
    command: [component, ...command],
    ...(extra.env ? { env: extra.env } : {}),
    ...(extra.livenessProbe ? { livenessProbe: extra.livenessProbe } : {}),
    // kubeadm's requests (250m / 200m / 100m): the scheduler must leave room for the control plane.
    resources: { requests: { cpu: extra.cpu } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
    volumeMounts,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: component,
      namespace: 'kube-system',
      labels: { 'k8s-app': component, tier: 'control-plane' },
      annotations: { [SECRETS_GENERATION_ANNOTATION]: SECRETS_GENERATION_AT_BOOT },
    },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: STATIC_POD_UID,
        runAsGroup: STATIC_POD_UID,
        supplementalGroups: [KUBE_PKI_GID],
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes,
    },
  };
}

function apiServer(options: StaticPodsOptions, version: string): StaticPod {
  const { serviceCidr = DEFAULT_SERVICE_CIDR, clusterDomain = CLUSTER_DOMAIN, anonymousHealthEndpoints = false } = options;
  const issuer = options.serviceAccountIssuer ?? `https://kubernetes.default.svc.${clusterDomain}`;
  const files = [
    PKI_FILES.ca,
    PKI_FILES.apiServer,
    PKI_FILES.apiServerKey,
    PKI_FILES.apiServerKubeletClient,
    PKI_FILES.apiServerKubeletClientKey,
    PKI_FILES.serviceAccountPublic,
    PKI_FILES.serviceAccountKey,
    PKI_FILES.frontProxyCa,
    PKI_FILES.frontProxyClient,
    PKI_FILES.frontProxyClientKey,
    PKI_FILES.etcdCa,
    PKI_FILES.etcdClient,
    PKI_FILES.etcdClientKey,
    ...(anonymousHealthEndpoints ? [APISERVER_AUTHENTICATION_CONFIG_FILE] : []),
  ];
  const command = [
    // hostNetwork: the pod's IP is the node's, which the `kubernetes` Service's endpoints must name.
    '--advertise-address=$(POD_IP)',
    // kube-proxy and the CNI agents run privileged.
    '--allow-privileged=true',
    ...(anonymousHealthEndpoints ? [`--authentication-config=${APISERVER_AUTHENTICATION_CONFIG_FILE}`] : ['--anonymous-auth=false']),
    '--authorization-mode=Node,RBAC',
    `--client-ca-file=${PKI_FILES.ca}`,
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    `--etcd-cafile=${PKI_FILES.etcdCa}`,
    `--etcd-certfile=${PKI_FILES.etcdClient}`,
    `--etcd-keyfile=${PKI_FILES.etcdClientKey}`,
    `--etcd-servers=${options.etcdServers.join(',')}`,
    `--kubelet-client-certificate=${PKI_FILES.apiServerKubeletClient}`,
    `--kubelet-client-key=${PKI_FILES.apiServerKubeletClientKey}`,
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    '--profiling=false',
    `--proxy-client-cert-file=${PKI_FILES.frontProxyClient}`,
    `--proxy-client-key-file=${PKI_FILES.frontProxyClientKey}`,
    `--requestheader-allowed-names=${FRONT_PROXY_CLIENT_CN}`,
    `--requestheader-client-ca-file=${PKI_FILES.frontProxyCa}`,
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    `--secure-port=${API_SERVER_PORT}`,
    `--service-account-issuer=${issuer}`,
    `--service-account-key-file=${PKI_FILES.serviceAccountPublic}`,
    `--service-account-signing-key-file=${PKI_FILES.serviceAccountKey}`,
    `--service-cluster-ip-range=${serviceCidr}`,
    `--tls-cert-file=${PKI_FILES.apiServer}`,
    '--tls-min-version=VersionTLS12',
    `--tls-private-key-file=${PKI_FILES.apiServerKey}`,
  ];
  return staticPod('kube-apiserver', version, command, files, {
    cpu: '250m',
    env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
    // Without anonymous /livez the kubelet's probe (which carries no credentials) would get 401s.
    ...(anonymousHealthEndpoints ? { livenessProbe: livenessProbe(API_SERVER_PORT, '/livez') } : {}),
  });
}

function controllerManager(options: StaticPodsOptions, version: string): StaticPod {
  const { serviceCidr = DEFAULT_SERVICE_CIDR, podCidr = DEFAULT_POD_CIDR, allocateNodeCidrs = false } = options;
  const kubeconfig = KUBECONFIGS.controllerManager;
  const files = [kubeconfig, PKI_FILES.ca, PKI_FILES.caKey, PKI_FILES.serviceAccountKey];
  const command = [
    ...(allocateNodeCidrs ? ['--allocate-node-cidrs=true'] : []),
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${options.exposeComponentMetrics ? '0.0.0.0' : '127.0.0.1'}`,
    ...(allocateNodeCidrs ? [`--cluster-cidr=${podCidr}`] : []),
    `--cluster-signing-cert-file=${PKI_FILES.ca}`,
    // Kubelet client certificates live 72 h and are rotated (Typhoon's setting).
    '--cluster-signing-duration=72h',
    `--cluster-signing-key-file=${PKI_FILES.caKey}`,
    // tokencleaner deletes expired bootstrap tokens; bootstrapsigner (kubeadm's discovery) is not used.
    '--controllers=*,tokencleaner',
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=true',
    '--profiling=false',
    `--root-ca-file=${PKI_FILES.ca}`,
    `--service-account-private-key-file=${PKI_FILES.serviceAccountKey}`,
    // Node CIDRs are carved around the service range.
    ...(allocateNodeCidrs ? [`--service-cluster-ip-range=${serviceCidr}`] : []),
    '--tls-min-version=VersionTLS12',
    '--use-service-account-credentials=true',
  ];
  return staticPod('kube-controller-manager', version, command, files, { cpu: '200m', livenessProbe: livenessProbe(10257, '/healthz') });
}

function scheduler(options: StaticPodsOptions, version: string): StaticPod {
  const kubeconfig = KUBECONFIGS.scheduler;
  const command = [
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${options.exposeComponentMetrics ? '0.0.0.0' : '127.0.0.1'}`,
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=true',
    '--profiling=false',
    '--tls-min-version=VersionTLS12',
  ];
  return staticPod('kube-scheduler', version, command, [kubeconfig], { cpu: '100m', livenessProbe: livenessProbe(10259, '/healthz') });
}

/** The three control-plane pods, keyed (and ordered) by component; throws on bad options. */
export function renderStaticPods(options: StaticPodsOptions): Record<ControlPlaneComponent, StaticPod> {
  refuseProblems('renderStaticPods', staticPodsProblems(options));
  const version = options.kubernetesVersion ?? KUBERNETES_VERSION;
  return {
    'kube-apiserver': apiServer(options, version),
    'kube-controller-manager': controllerManager(options, version),
    'kube-scheduler': scheduler(options, version),
  };
}

/** The manifests as files for a controller: path under /etc/kubernetes/manifests and JSON text. */
export function renderStaticPodManifests(options: StaticPodsOptions): { path: string; contents: string }[] {
  const pods = renderStaticPods(options);
  return CONTROL_PLANE_COMPONENTS.map((component) => ({ path: STATIC_POD_MANIFESTS[component], contents: renderJson(pods[component]) }));
}

/** The file `--authentication-config` names when `anonymousHealthEndpoints` is on. */
export function renderApiServerAuthenticationConfig(): ApiServerAuthenticationConfig {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    anonymous: { enabled: true, conditions: ANONYMOUS_HEALTH_PATHS.map((path) => ({ path })) },
    jwt: [],
  };
}

/**
 * Every file a pod's flags name (each `--flag=/absolute/path`), in flag order: what must be mounted
 * into it and delivered to the controller before it can start.
 */
export function staticPodFiles(pod: StaticPod): string[] {
  const files: string[] = [];
  for (const arg of pod.spec.containers[0].command.slice(1)) {
    const value = /^--[a-z0-9-]+=(\/.*)$/.exec(arg)?.[1];
    if (value !== undefined && !files.includes(value)) files.push(value);
  }
  return files;
}

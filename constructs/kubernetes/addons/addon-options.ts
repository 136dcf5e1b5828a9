/**
 * What the add-ons are rendered from, its defaults, and the checks that refuse a bad choice before
 * anything reaches a cluster. Pure (no cdktf): strings may be cdktf tokens, checked only when literal.
 */
import { API_SERVER_PORT, CLUSTER_DOMAIN, DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR, dnsServiceIp } from '../cluster-settings';
import { hasToken, refuseProblems } from '../json-manifest';
import { CILIUM_IMAGE, CILIUM_OPERATOR_IMAGE, COREDNS_IMAGE, FLANNEL_CNI_IMAGE, FLANNEL_IMAGE, KUBERNETES_VERSION, componentImage } from '../versions';

/** The pod network: Cilium (Typhoon's default, with its kube-proxy replacement) or flannel. */
export type AddonNetworking = 'cilium' | 'flannel';

/** Which add-ons to install; each left out is one the cluster's owner brings. */
export interface AddonComponents {
  /**
   * CoreDNS, at the service range's 10th address.
   * @default true
   */
  readonly coredns?: boolean;
  /**
   * kube-proxy (ipvs). Refused with `networking: 'cilium'` (even when the owner brings Cilium,
   * `cni: false`): Cilium's kube-proxy replacement serves Services and the :10256 health port.
   * @default true with flannel, false with Cilium
   */
  readonly kubeProxy?: boolean;
  /**
   * The CNI named by `networking`.
   * @default true
   */
  readonly cni?: boolean;
}

/** The one bootstrap token every kubelet joins with (TLS bootstrap). */
export interface BootstrapTokenOptions {
  /** Token id, 6 characters `[a-z0-9]` (public: it names the Secret). May be a token string. */
  readonly id: string;
  /** Token secret, 16 characters `[a-z0-9]`. May be a token string. */
  readonly secret: string;
  /**
   * Groups the token authenticates as besides `system:bootstrappers`; each must start with
   * `system:bootstrappers:`.
   * @default none
   */
  readonly extraGroups?: readonly string[];
  /**
   * When the token stops working, RFC 3339 (the token cleaner then deletes the Secret).
   * @default never, as Typhoon's: pools created later join with the same token
   */
  readonly expiration?: string;
  /**
   * Also allow signing the `kube-public/cluster-info` ConfigMap (kubeadm-style discovery). Nodes
   * here get the CA in their bootstrap kubeconfig, so nothing needs it.
   * @default false
   */
  readonly signing?: boolean;
}

/** Images the add-ons run. */
export interface AddonImages {
  /** CoreDNS. */
  readonly coredns: string;
  /** kube-proxy (flannel clusters). */
  readonly kubeProxy: string;
  /** The Cilium agent and its init containers. */
  readonly cilium: string;
  /** The Cilium operator (`operator-generic`). */
  readonly ciliumOperator: string;
  /** flanneld. */
  readonly flannel: string;
  /** The init container that installs the CNI plugins for flannel. */
  readonly flannelCni: string;
}

export interface AddonOptions {
  /**
   * Where pods reach the apiservers before Service IPs work (kube-proxy and Cilium are what make
   * them work): the API load balancer's internal address. May be a token string.
   */
  readonly apiServerHost: string;
  /**
   * The apiservers' port at apiServerHost.
   * @default API_SERVER_PORT (6443)
   */
  readonly apiServerPort?: number;
  /** The bootstrap token the kubelets join with. */
  readonly bootstrapToken: BootstrapTokenOptions;
  /**
   * Service range, IPv4 CIDR; CoreDNS takes its 10th address.
   * @default DEFAULT_SERVICE_CIDR (10.3.0.0/16)
   */
  readonly serviceCidr?: string;
  /**
   * Pod range, IPv4 CIDR, /24 or wider (each node gets a /24 of it).
   * @default DEFAULT_POD_CIDR (10.20.0.0/14)
   */
  readonly podCidr?: string;
  /**
   * The DNS domain CoreDNS serves Services and pods under.
   * @default CLUSTER_DOMAIN (cluster.local)
   */
  readonly clusterDomain?: string;
  /**
   * The pod network.
   * @default 'cilium'
   */
  readonly networking?: AddonNetworking;
  /**
   * Add-ons to leave out.
   * @default all that fit the networking
   */
  readonly components?: AddonComponents;
  /**
   * How many controllers the cluster has: CoreDNS runs max(2, this) replicas.
   * @default 1
   */
  readonly controllerCount?: number;
  /**
   * Typhoon's `kubelet-delete` role: lets a node delete its own Node object and evict its pods
   * (NodeRestriction limits both to the node itself), for a shutdown unit that drains and
   * deregisters. Off because no unit here uses it, and it lets every node list all workloads.
   * @default false
   */
  readonly nodeSelfDelete?: boolean;
  /**
   * Images to run instead of the pinned ones.
   * @default the images of versions.ts (kube-proxy at KUBERNETES_VERSION)
   */
  readonly images?: Partial<AddonImages>;
}

/** The options with every default filled in and checked. */
export interface ResolvedAddonOptions {
  readonly apiServerHost: string;
  readonly apiServerPort: number;
  readonly bootstrapToken: BootstrapTokenOptions;
  readonly serviceCidr: string;
  readonly dnsServiceIp: string;
  readonly podCidr: string;
  readonly clusterDomain: string;
  readonly networking: AddonNetworking;
  readonly components: Required<AddonComponents>;
  readonly controllerCount: number;
  readonly nodeSelfDelete: boolean;
  readonly images: AddonImages;
}

const TOKEN_ID = /^[a-z0-9]{6}$/;
const TOKEN_SECRET = /^[a-z0-9]{16}$/;

/** Fills in the defaults and refuses what cannot work, naming every problem at once. */
export function resolveAddonOptions(options: AddonOptions): ResolvedAddonOptions {
  const problems: string[] = [];
  const serviceCidr = options.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  const podCidr = options.podCidr ?? DEFAULT_POD_CIDR;
  const networking = options.networking ?? 'cilium';
  const apiServerPort = options.apiServerPort ?? API_SERVER_PORT;
  const controllerCount = options.controllerCount ?? 1;

  if (networking !== 'cilium' && networking !== 'flannel') problems.push(`networking must be 'cilium' or 'flannel' (got "${String(networking)}")`);
  if (options.components?.kubeProxy === true && networking === 'cilium') {
    problems.push("components.kubeProxy cannot be true with networking 'cilium': Cilium's kube-proxy replacement serves Services and the :10256 health port");
  }
  if (!Number.isInteger(apiServerPort) || apiServerPort < 1 || apiServerPort > 65535) problems.push(`apiServerPort must be a port number (got ${apiServerPort})`);
  if (!Number.isInteger(controllerCount) || controllerCount < 1) problems.push(`controllerCount must be a whole number of at least 1 (got ${controllerCount})`);
  if (options.apiServerHost === '') problems.push('apiServerHost must name the API load balancer');
  problems.push(...cidrProblems(serviceCidr, podCidr));
  problems.push(...tokenProblems(options.bootstrapToken));
  refuseProblems('Kubernetes add-ons', problems);

  return {
    apiServerHost: options.apiServerHost,
    apiServerPort,
    bootstrapToken: options.bootstrapToken,
    serviceCidr,
    dnsServiceIp: dnsServiceIp(serviceCidr),
    podCidr,
    clusterDomain: options.clusterDomain ?? CLUSTER_DOMAIN,
    networking,
    components: {
      coredns: options.components?.coredns ?? true,
      kubeProxy: options.components?.kubeProxy ?? networking !== 'cilium',
      cni: options.components?.cni ?? true,
    },
    controllerCount,
    nodeSelfDelete: options.nodeSelfDelete ?? false,
    images: {
      coredns: COREDNS_IMAGE,
      kubeProxy: componentImage('kube-proxy', KUBERNETES_VERSION),
      cilium: CILIUM_IMAGE,
      ciliumOperator: CILIUM_OPERATOR_IMAGE,
      flannel: FLANNEL_IMAGE,
      flannelCni: FLANNEL_CNI_IMAGE,
      ...options.images,
    },
  };
}

function tokenProblems(token: BootstrapTokenOptions): string[] {
  const problems: string[] = [];
  if (!hasToken(token.id) && !TOKEN_ID.test(token.id)) problems.push('bootstrapToken.id must be 6 characters [a-z0-9]');
  if (!hasToken(token.secret) && !TOKEN_SECRET.test(token.secret)) problems.push('bootstrapToken.secret must be 16 characters [a-z0-9]');
  for (const group of token.extraGroups ?? []) {
    if (!hasToken(group) && !/^system:bootstrappers:[a-z0-9:-]{0,55}[a-z0-9]$/.test(group)) {
      problems.push(`bootstrapToken.extraGroups: "${group}" must start with "system:bootstrappers:"`);
    }
  }
  return problems;
}

/** Both ranges literal IPv4 CIDRs, apart, and the pod range wide enough for a /24 per node. */
function cidrProblems(serviceCidr: string, podCidr: string): string[] {
  const problems: string[] = [];
  const service = parseCidr(serviceCidr);
  const pod = parseCidr(podCidr);
  if (!service) problems.push(`serviceCidr "${serviceCidr}" must be an IPv4 CIDR such as ${DEFAULT_SERVICE_CIDR}`);
  else if (service.prefix > 28) problems.push(`serviceCidr ${serviceCidr} is too small: CoreDNS takes its 10th address`);
  if (!pod) problems.push(`podCidr "${podCidr}" must be an IPv4 CIDR such as ${DEFAULT_POD_CIDR}`);
  else if (pod.prefix > 24) problems.push(`podCidr ${podCidr} must be /24 or wider: each node takes a /24 of it`);
  if (service && pod && overlap(service, pod)) problems.push(`serviceCidr ${serviceCidr} and podCidr ${podCidr} overlap`);
  return problems;
}

interface Cidr {
  readonly start: number;
  readonly prefix: number;
}

function parseCidr(cidr: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { start: address - (address % size), prefix };
}

function overlap(a: Cidr, b: Cidr): boolean {
  const end = (c: Cidr) => c.start + 2 ** (32 - c.prefix);
  return a.start < end(b) && b.start < end(a);
}

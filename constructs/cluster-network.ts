/**
 * The network of a cluster: a custom-mode VPC with one regional subnetwork (or an existing pair,
 * adopted by name), optional Cloud Router + Cloud NAT for nodes without external IPs, and firewall
 * rules scoped by network tags. No internal port is opened to 0.0.0.0/0.
 */
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import { validateClusterName } from './gce-validation';
import { validateRegion, validateSourceRanges, validateSubnetCidr } from './gce-location';
import { claimName } from './name-registry';
import { ComputeFirewall, ComputeNetwork, ComputeRouter, ComputeRouterNat, ComputeSubnetwork } from './google';

/** Google's IAP TCP forwarding range: `gcloud compute ssh --tunnel-through-iap` connects from here. */
export const IAP_SOURCE_RANGE = '35.235.240.0/20';
/** Where Google Cloud health checks (and autohealing probes) come from. */
export const HEALTH_CHECK_SOURCE_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];
/**
 * Where the health checks of an external passthrough Network Load Balancer come from instead (the
 * three ranges Typhoon's `network.tf` admits for its ingress load balancer's checks).
 */
export const EXTERNAL_PASSTHROUGH_HEALTH_CHECK_SOURCE_RANGES: readonly string[] = ['35.191.0.0/16', '209.85.152.0/22', '209.85.204.0/22'];
export const DEFAULT_SUBNET_CIDR = '10.10.0.0/20';
export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;

export interface ClusterNetworkProps {
  /** Prefix of every resource name and network tag, e.g. `demo`. 1-30 characters of a-z, 0-9, -. */
  readonly clusterName: string;
  /** The region of the subnetwork and the router, e.g. `us-central1`. */
  readonly region: string;
  /**
   * The subnetwork's primary IPv4 range (a new network only).
   * @default '10.10.0.0/20'
   */
  readonly subnetCidr?: string;
  /**
   * Adopt this existing VPC network (by name) instead of creating one; needs existingSubnetworkName.
   * @default - a new custom-mode network named after the cluster
   */
  readonly existingNetworkName?: string;
  /**
   * The existing subnetwork (in `region`) to adopt with existingNetworkName.
   * @default - a new subnetwork `<cluster>-<region>`
   */
  readonly existingSubnetworkName?: string;
  /**
   * Create a Cloud Router with Cloud NAT, so that nodes without external IPs reach the internet
   * (image pulls for etcd, flannel and docker).
   * @default true
   */
  readonly cloudNat?: boolean;
  /**
   * Where SSH (tcp/22) to cluster nodes may come from. The default admits only Google's IAP range,
   * i.e. `gcloud compute ssh --tunnel-through-iap`; `[]` opens no SSH at all. `0.0.0.0/0` is
   * possible but warned about.
   * @default ['35.235.240.0/20'] (IAP TCP forwarding)
   */
  readonly sshSourceRanges?: readonly string[];
  /**
   * Make the rules an EtcdCluster's members need: peers 2380 between `etcdTag`, clients 2379 from
   * `etcdTag` and `workerTag`. A Kubernetes cluster turns them off: its etcd runs on the
   * controllers and only they may reach it (kubernetesFirewall).
   * @default true
   */
  readonly etcdRules?: boolean;
}

/** Ports (tcp unless said otherwise) from some tags or ranges to a target tag. */
export interface FirewallRuleOptions {
  /**
   * The IP protocol the rule admits.
   * @default 'tcp'
   */
  readonly protocol?: 'tcp' | 'udp' | 'icmp';
  /**
   * Ports or ranges (`'8000-8080'`) the rule admits.
   * @default - every port of the protocol
   */
  readonly ports?: readonly (number | string)[];
  /** Network tags of the instances the rule admits traffic to. */
  readonly targetTags: readonly string[];
  /**
   * Network tags of the instances traffic may come from. At least one of sourceTags and sourceRanges.
   * @default - sourceRanges only
   */
  readonly sourceTags?: readonly string[];
  /**
   * IPv4 ranges traffic may come from. At least one of sourceTags and sourceRanges.
   * @default - sourceTags only
   */
  readonly sourceRanges?: readonly string[];
}

/** The network tags of a cluster's nodes, by role: its firewall rules target them. */
export function clusterTags(clusterName: string): { readonly nodeTag: string; readonly etcdTag: string; readonly workerTag: string; readonly controllerTag: string } {
  return { nodeTag: `${clusterName}-node`, etcdTag: `${clusterName}-etcd`, workerTag: `${clusterName}-worker`, controllerTag: `${clusterName}-controller` };
}

/**
 * A cluster's VPC. Every node carries `nodeTag`; etcd members also `etcdTag`, workers `workerTag`,
 * a Kubernetes cluster's controllers `controllerTag`.
 * Rules made here: SSH from `sshSourceRanges` to nodes (`<cluster>-ssh`), and unless `etcdRules`
 * is false, etcd peers 2380 between members (`<cluster>-etcd-peer`) and etcd clients 2379 from
 * members and workers, the roles with an etcd client certificate, to members
 * (`<cluster>-etcd-client`). Pools add their health-check rule with `allowHealthChecks`.
 */
export class ClusterNetwork extends Construct {
  /** The network's name, for `network` arguments. */
  public readonly networkName: string;
  /** The subnetwork's name, for `subnetwork` arguments. */
  public readonly subnetworkName: string;
  public readonly region: string;
  /** Tag of every node of the cluster. */
  public readonly nodeTag: string;
  /** Tag of the etcd members. */
  public readonly etcdTag: string;
  /** Tag of the workers. */
  public readonly workerTag: string;
  /** Tag of a Kubernetes cluster's controllers (`<cluster>-controller`). */
  public readonly controllerTag: string;
  /** Whether the etcd rules of EtcdCluster were made (prop `etcdRules`). */
  public readonly etcdRules: boolean;
  /** The new network (undefined when adopted). */
  public readonly network?: ComputeNetwork;
  /** The new subnetwork (undefined when adopted). */
  public readonly subnetwork?: ComputeSubnetwork;
  /** The NAT gateway (undefined when cloudNat is false). */
  public readonly nat?: ComputeRouterNat;
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    this.refuse(propsProblems(props));
    this.clusterName = props.clusterName;
    this.region = props.region;
    ({ nodeTag: this.nodeTag, etcdTag: this.etcdTag, workerTag: this.workerTag, controllerTag: this.controllerTag } = clusterTags(props.clusterName));
    this.etcdRules = props.etcdRules ?? true;

    this.claim('cluster network', props.clusterName);
    if (props.existingNetworkName !== undefined && props.existingSubnetworkName !== undefined) {
      this.networkName = props.existingNetworkName;
      this.subnetworkName = props.existingSubnetworkName;
    } else {
      this.network = new ComputeNetwork(this, 'Resource', { name: props.clusterName, autoCreateSubnetworks: false, routingMode: 'REGIONAL' });
      this.subnetwork = new ComputeSubnetwork(this, 'Subnetwork', {
        name: `${props.clusterName}-${props.region}`,
        network: this.network.name,
        region: props.region,
        ipCidrRange: props.subnetCidr ?? DEFAULT_SUBNET_CIDR,
        // Nodes without external IPs still reach Google APIs (e.g. GCS, Artifact Registry).
        privateIpGoogleAccess: true,
      });
      this.networkName = this.network.name;
      this.subnetworkName = this.subnetwork.name;
    }

    if (props.cloudNat ?? true) {
      const router = new ComputeRouter(this, 'Router', { name: `${props.clusterName}-router`, network: this.networkName, region: props.region });
      this.nat = new ComputeRouterNat(this, 'Nat', {
        name: `${props.clusterName}-nat`,
        router: router.name,
        region: props.region,
        natIpAllocateOption: 'AUTO_ONLY',
        sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
        subnetwork: [{ name: this.subnetworkName, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      });
    }

    const sshRanges = props.sshSourceRanges ?? [IAP_SOURCE_RANGE];
    if (sshRanges.length > 0) this.rule('Ssh', 'ssh', { ports: [22], sourceRanges: sshRanges, targetTags: [this.nodeTag] });
    if (sshRanges.includes('0.0.0.0/0')) {
      Annotations.of(this).addWarning('sshSourceRanges includes 0.0.0.0/0: SSH is open to the internet; prefer IAP (35.235.240.0/20)');
    }
    if (this.etcdRules) {
      this.allow('EtcdPeer', 'etcd-peer', { ports: [ETCD_PEER_PORT], sourceTags: [this.etcdTag], targetTags: [this.etcdTag] });
      // Only the roles that hold an etcd client certificate: members (etcdctl, their own certificate) and workers (flannel).
      this.allow('EtcdClient', 'etcd-client', { ports: [ETCD_CLIENT_PORT], sourceTags: [this.etcdTag, this.workerTag], targetTags: [this.etcdTag] });
    }
  }

  /** Admits Google's health checkers to `port` on nodes tagged `targetTag` (`<cluster>-<name>`). */
  public allowHealthChecks(id: string, name: string, port: number, targetTag: string): ComputeFirewall {
    return this.allow(id, name, { ports: [port], sourceRanges: HEALTH_CHECK_SOURCE_RANGES, targetTags: [targetTag] });
  }

  /**
   * An ingress rule named `<cluster>-<name>`, e.g. for flannel's VXLAN between nodes. A source range
   * of 0.0.0.0/0 is refused here.
   */
  public allow(id: string, name: string, options: FirewallRuleOptions): ComputeFirewall {
    if ((options.sourceRanges ?? []).includes('0.0.0.0/0')) {
      this.refuse([`rule ${name} would open ${options.ports?.join(',') ?? 'every port'} to 0.0.0.0/0; make such a rule yourself, deliberately`]);
    }
    return this.rule(id, name, options);
  }

  private rule(id: string, name: string, options: FirewallRuleOptions): ComputeFirewall {
    this.claim('firewall rule', `${this.clusterName}-${name}`);
    return new ComputeFirewall(this, id, {
      name: `${this.clusterName}-${name}`,
      network: this.networkName,
      direction: 'INGRESS',
      allow: [{ protocol: options.protocol ?? 'tcp', ports: options.ports?.map(String) }],
      sourceTags: options.sourceTags ? [...options.sourceTags] : undefined,
      sourceRanges: options.sourceRanges ? [...options.sourceRanges] : undefined,
      targetTags: [...options.targetTags],
    });
  }

  private claim(kind: string, name: string): void {
    try {
      claimName(this, kind, name);
    } catch (error) {
      this.refuse([(error as Error).message]);
    }
  }

  private refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, `ClusterNetwork ${this.node.path}`, problems.join('; '));
  }
}

function propsProblems(props: ClusterNetworkProps): string[] {
  const adopting = props.existingNetworkName !== undefined || props.existingSubnetworkName !== undefined;
  return [
    ...validateClusterName(props.clusterName),
    ...validateRegion(props.region, true), // the network needs no zones
    ...(props.subnetCidr !== undefined ? validateSubnetCidr(props.subnetCidr) : []),
    ...validateSourceRanges(props.sshSourceRanges ?? [], 'sshSourceRanges'),
    ...((props.existingNetworkName === undefined) !== (props.existingSubnetworkName === undefined)
      ? ['set both existingNetworkName and existingSubnetworkName to adopt a network (a custom-mode network needs its subnetwork)']
      : []),
    ...(adopting && props.subnetCidr !== undefined ? ['subnetCidr applies to a new subnetwork only; an adopted subnetwork keeps its range'] : []),
  ];
}

/**
 * A container cluster on Container Linux: a ClusterNetwork, an EtcdCluster, and worker pools whose
 * docker runs on a flannel overlay network kept in the cluster's etcd.
 */
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { ButaneConfig, ContainerLinuxConfig } from '../transpiler';
import { ClusterNetwork, DEFAULT_SUBNET_CIDR } from './cluster-network';
import { EtcdCluster } from './etcd-cluster';
import { cidrsOverlap, defaultZones, validateRegion, validateSubnetCidr } from './gce-location';
import { Image } from './image';
import { configCheckProps, type ConfigCheckProps } from './config-check-props';
import { WorkerPool, type WorkerPoolProps } from './worker-pool';

/** flannel's VXLAN port. */
export const FLANNEL_VXLAN_PORT = 8472;
/** The last flannel release that reads its config from etcd's v2 API, as ct's flannel section does. */
export const DEFAULT_FLANNEL_VERSION = '0.11.0';

export interface ContainerLinuxClusterProps extends ConfigCheckProps {
  /** Prefix of every resource name and tag, 1-30 characters of a-z, 0-9, -. */
  readonly clusterName: string;
  /** The region, e.g. `us-central1`. */
  readonly region: string;
  /** The project id (string or token), for the etcd members' internal DNS names. */
  readonly project: string;
  /**
   * The zones the etcd members and the worker pools spread over.
   * @default - `<region>-a`, `-b`, `-c` (`-b`, `-c`, `-d` in us-east1 and europe-west1)
   */
  readonly zones?: readonly string[];
  /**
   * The config every node starts from (users, SSH keys, ...): a Container Linux Config, or Butane
   * of variant `flatcar` (the cluster's sections are merged into its Ignition).
   * @default - none beyond what the cluster adds
   */
  readonly config?: string | ContainerLinuxConfig | ButaneConfig;
  /**
   * The boot image of every node (etcd members and workers).
   * @default Image.flatcar('stable')
   */
  readonly image?: Image | string;
  /**
   * The primary IPv4 range of the cluster's subnetwork (a new network only).
   * @default '10.10.0.0/20'
   */
  readonly subnetCidr?: string;
  /**
   * Adopt this VPC network instead of creating one (with existingSubnetworkName).
   * @default - a new network
   */
  readonly existingNetworkName?: string;
  /**
   * The adopted subnetwork.
   * @default - a new subnetwork
   */
  readonly existingSubnetworkName?: string;
  /**
   * Cloud Router + NAT for nodes without external IPs.
   * @default true
   */
  readonly cloudNat?: boolean;
  /**
   * Where SSH (tcp/22) to the nodes may come from; `[]` opens no SSH at all.
   * @default ['35.235.240.0/20'] (IAP TCP forwarding)
   */
  readonly sshSourceRanges?: readonly string[];
  /**
   * Number of etcd members, odd, 1 to 9.
   * @default 3
   */
  readonly etcdSize?: number;
  /**
   * The etcd members' machine type.
   * @default 'e2-small'
   */
  readonly etcdMachineType?: string;
  /**
   * The etcd release the members run.
   * @default '3.3.27'
   */
  readonly etcdVersion?: string;
  /**
   * Bootstrap etcd from reserved internal IPs instead of internal DNS names.
   * @default false
   */
  readonly etcdStaticInternalIps?: boolean;
  /**
   * Instances in the default pool `<cluster>-workers`; 0 makes no default pool.
   * @default 3
   */
  readonly workerCount?: number;
  /**
   * The default pool's machine type.
   * @default 'e2-small'
   */
  readonly workerMachineType?: string;
  /**
   * Spot VMs for the default pool.
   * @default false
   */
  readonly workerSpot?: boolean;
  /**
   * flannel's overlay network; must not overlap the subnetwork.
   * @default '10.2.0.0/16'
   */
  readonly podCidr?: string;
  /**
   * The flannel release, set as `FLANNEL_IMAGE_TAG` in the cluster's own flanneld drop-in
   * (`30-flannel-version.conf`). ct's flannel section is given no version: its 0.6 option set
   * holds every option the cluster writes, and ct would warn about any release past 0.7.
   * @default '0.11.0'
   */
  readonly flannelVersion?: string;
}

/**
 * Pool settings when adding a pool: WorkerPoolProps but for what the cluster decides (region,
 * network, subnetwork, config). image, zones, dialect, strict and allowUnknownKeys default to the
 * cluster's; tags are added to the cluster's node and worker tags.
 */
export type ClusterWorkerPoolProps = Omit<WorkerPoolProps, 'region' | 'network' | 'subnetwork' | 'config' | 'configFile' | 'configVariables'>;

/**
 * Construct ids: `network`, `etcd`, and one id per pool (`workers` for the default pool). Every
 * worker gets the flannel and docker sections; flannel reads and writes its network in etcd.
 */
export class ContainerLinuxCluster extends Construct {
  public readonly network: ClusterNetwork;
  public readonly etcd: EtcdCluster;
  public readonly workerPools: WorkerPool[] = [];
  private readonly props: ContainerLinuxClusterProps;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: ContainerLinuxClusterProps) {
    super(scope, id);
    const podCidr = props.podCidr ?? '10.2.0.0/16';
    const problems = [...validateRegion(props.region, props.zones !== undefined), ...validateSubnetCidr(podCidr, 'podCidr')];
    // An adopted subnetwork's range is not known here.
    if (props.existingSubnetworkName === undefined && cidrsOverlap(podCidr, props.subnetCidr ?? DEFAULT_SUBNET_CIDR)) {
      problems.push(`podCidr ${podCidr} overlaps the subnetwork's ${props.subnetCidr ?? DEFAULT_SUBNET_CIDR}: flannel's overlay needs its own range`);
    }
    if (problems.length > 0) throw new ConstructError(this, `ContainerLinuxCluster ${this.node.path}`, problems.join('; '));
    this.props = props;
    this.zones = props.zones ?? defaultZones(props.region);
    this.network = new ClusterNetwork(this, 'network', {
      clusterName: props.clusterName,
      region: props.region,
      subnetCidr: props.subnetCidr,
      existingNetworkName: props.existingNetworkName,
      existingSubnetworkName: props.existingSubnetworkName,
      cloudNat: props.cloudNat,
      sshSourceRanges: props.sshSourceRanges,
    });
    this.network.allow('Flannel', 'flannel', { protocol: 'udp', ports: [FLANNEL_VXLAN_PORT], sourceTags: [this.network.nodeTag], targetTags: [this.network.nodeTag] });
    this.etcd = new EtcdCluster(this, 'etcd', {
      clusterName: props.clusterName,
      region: props.region,
      project: props.project,
      zones: this.zones,
      size: props.etcdSize,
      machineType: props.etcdMachineType,
      etcdVersion: props.etcdVersion,
      staticInternalIps: props.etcdStaticInternalIps,
      image: props.image,
      config: props.config,
      ...configCheckProps(props),
      network: this.network.networkName,
      subnetwork: this.network.subnetworkName,
    });
    const workerCount = props.workerCount ?? 3;
    if (workerCount > 0) {
      this.addWorkerPool('workers', { name: `${props.clusterName}-workers`, size: workerCount, machineType: props.workerMachineType, spot: props.workerSpot });
    }
  }

  /**
   * Adds a pool of flannel + docker workers on the cluster's network, with a firewall rule
   * `<cluster>-<id>-health` admitting health checks to its port.
   */
  public addWorkerPool(id: string, props: ClusterWorkerPoolProps): WorkerPool {
    const pool = new WorkerPool(this, id, {
      image: this.props.image,
      zones: this.zones,
      ...configCheckProps(this.props),
      ...props,
      region: this.props.region,
      network: this.network.networkName,
      subnetwork: this.network.subnetworkName,
      tags: [this.network.nodeTag, this.network.workerTag, ...(props.tags ?? [])],
      config: this.props.config,
    });
    // The etcd endpoints hold the project id (a-z, 0-9, -): quoted alike by ct and Terraform.
    pool.declareQuoteSafe(this.props.project);
    pool.addSnippet(this.workerSnippet(), `addSnippet() from ContainerLinuxCluster ${this.node.path}`);
    this.network.allowHealthChecks(`${id}-health`, `${id}-health`, pool.healthCheckPort, this.network.workerTag);
    this.workerPools.push(pool);
    return pool;
  }

  /** flannel on the cluster's etcd, and docker started after it so that containers get the overlay. */
  private workerSnippet(): ContainerLinuxConfig {
    return {
      flannel: {
        etcd_endpoints: this.etcd.clientEndpoints.join(','),
        network_config: JSON.stringify({ Network: this.props.podCidr ?? '10.2.0.0/16', Backend: { Type: 'vxlan' } }),
      },
      docker: {},
      systemd: {
        units: [
          {
            name: 'flanneld.service',
            dropins: [{ name: '30-flannel-version.conf', contents: `[Service]\nEnvironment="FLANNEL_IMAGE_TAG=v${this.props.flannelVersion ?? DEFAULT_FLANNEL_VERSION}"\n` }],
          },
          {
            name: 'docker.service',
            dropins: [{ name: '40-flannel.conf', contents: '[Unit]\nRequires=flanneld.service\nAfter=flanneld.service\n' }],
          },
        ],
      },
    };
  }
}

/**
 * A container cluster on Container Linux: a ClusterNetwork, an EtcdCluster, and worker pools whose
 * docker runs on a flannel overlay network kept in the cluster's etcd (v3 API, mutual TLS). The
 * workers' units are worker-runtime.ts's; docs/workers.md gives the design and what was checked
 * where, docs/security.md the PKI and how keys reach the nodes.
 */
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { ButaneConfig, ContainerLinuxConfig } from '../transpiler';
import { ClusterNetwork, DEFAULT_SUBNET_CIDR } from './cluster-network';
import type { EtcdPkiOptions } from './cluster-pki';
import { EtcdCluster } from './etcd-cluster';
import { CLIENT_TLS_FILES, etcdctlSnippet, hostPaths, SecretDelivery, tlsDeliverySnippet, warnKeysInUserData } from './etcd-tls';
import { cidrsOverlap, defaultZones, validateRegion, validateSubnetCidr } from './gce-location';
import { Image } from './image';
import { configCheckProps, type ConfigCheckProps } from './config-check-props';
import { WorkerPool, type WorkerPoolProps } from './worker-pool';
import { ClusterSecretStore, serviceAccountId, STORAGE_READ_SCOPE, type SecretReader } from './secret-store';
import type { ContainerLinuxConfig as ClcSnippet } from '../transpiler';
import {
  DEFAULT_FLANNEL_VERSION,
  FLANNEL_CONFIG_UNIT,
  FLANNELD_UNIT,
  flannelImage,
  flannelVersionProblems,
  healthPathProblems,
  WORKER_HEALTH_PATH,
  WORKER_HEALTH_PORT,
  workerRuntimeUnits,
} from './worker-runtime';

export { DEFAULT_FLANNEL_VERSION } from './worker-runtime';

/** The etcd client role of the workers (flanneld, flannel-config): their certificate's common name. */
export const WORKER_ETCD_ROLE = 'flannel';

/** flannel's VXLAN port (the kernel's default, which flannel's vxlan backend keeps). */
export const FLANNEL_VXLAN_PORT = 8472;

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
   * The etcd release the members run (EtcdCluster's etcdVersion).
   * @default - `DEFAULT_ETCD_VERSION` (3.5.33) on Flatcar; `LEGACY_ETCD_VERSION` (3.3.27) on CoreOS images, whose ct knows options only up to 3.3
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
   * The flannel release the workers run: the image `docker.io/flannel/flannel:v<flannelVersion>`,
   * pulled and run by containerd's `ctr` (`flanneld.service`). 0.18.1 or later: older releases read
   * their config through etcd's v2 API (docs/workers.md §1).
   * @default '0.28.9' (the newest release when this was written; docs/workers.md §1)
   */
  readonly flannelVersion?: string;
  /**
   * How the nodes' private keys (etcd members' and the workers' etcd client key) reach them:
   * CLOUD_STORAGE fetches them at boot from the cluster's bucket, each member and the workers with
   * a service account of their own that may read only their prefix; USER_DATA puts them in the
   * user-data (synth warns). docs/security.md.
   * @default SecretDelivery.CLOUD_STORAGE
   */
  readonly secretDelivery?: SecretDelivery;
  /**
   * Key algorithm, validity and early renewal of the etcd certificates.
   * @default - ECDSA P-256; CA 10 years; certificates 1 year, renewed by any apply in their last 30 days
   */
  readonly etcdPki?: EtcdPkiOptions;
}

/**
 * Pool settings when adding a pool: WorkerPoolProps but for what the cluster decides (region,
 * network, subnetwork, config). image, zones, dialect, strict and allowUnknownKeys default to the
 * cluster's; tags are added to the cluster's node and worker tags and the pool's own
 * `<name>-pool`. The health check is HTTP on the workers' runtime check: `healthCheckPort`
 * (default 9876) and `healthCheckPath` (default `/healthz`) move it (docs/workers.md §3).
 */
export type ClusterWorkerPoolProps = Omit<WorkerPoolProps, 'region' | 'network' | 'subnetwork' | 'config' | 'configFile' | 'configVariables'>;

/** The workers' share of the cluster's secrets: made with the first pool, used by every pool. */
interface WorkerSecrets {
  readonly snippet: ClcSnippet;
  readonly reader?: SecretReader;
}

/**
 * Construct ids: `network`, `secrets` (CLOUD_STORAGE), `etcd`, and one id per pool (`workers` for
 * the default pool). Every worker gets the runtime units of worker-runtime.ts: flannel (run by
 * containerd's ctr, its network and leases in etcd through the v3 API over mutual TLS), docker on
 * flannel's subnet, and a health endpoint.
 */
export class ContainerLinuxCluster extends Construct {
  public readonly network: ClusterNetwork;
  public readonly etcd: EtcdCluster;
  public readonly workerPools: WorkerPool[] = [];
  /** The bucket of the nodes' secrets (CLOUD_STORAGE only). */
  public readonly secretStore?: ClusterSecretStore;
  public readonly secretDelivery: SecretDelivery;
  private readonly props: ContainerLinuxClusterProps;
  private readonly zones: readonly string[];
  private workerSecretsMade?: WorkerSecrets;

  constructor(scope: Construct, id: string, props: ContainerLinuxClusterProps) {
    super(scope, id);
    const podCidr = props.podCidr ?? '10.2.0.0/16';
    const problems = [
      ...validateRegion(props.region, props.zones !== undefined),
      ...validateSubnetCidr(podCidr, 'podCidr'),
      ...flannelVersionProblems(props.flannelVersion ?? DEFAULT_FLANNEL_VERSION),
    ];
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
    this.secretDelivery = props.secretDelivery ?? SecretDelivery.CLOUD_STORAGE;
    if (this.secretDelivery === SecretDelivery.CLOUD_STORAGE) {
      this.secretStore = new ClusterSecretStore(this, 'secrets', { clusterName: props.clusterName, location: props.region });
    }
    this.etcd = new EtcdCluster(this, 'etcd', {
      secretDelivery: this.secretDelivery,
      secretStore: this.secretStore,
      clientRoles: [WORKER_ETCD_ROLE],
      pki: props.etcdPki,
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
   * Adds a pool of flannel + docker workers on the cluster's network, tagged `<name>-pool`, with an
   * HTTP health check on the workers' runtime check and a firewall rule `<cluster>-<id>-health`
   * admitting Google's health checkers to that port of this pool's instances only.
   */
  public addWorkerPool(id: string, props: ClusterWorkerPoolProps): WorkerPool {
    const healthCheckPort = props.healthCheckPort ?? WORKER_HEALTH_PORT;
    const healthCheckPath = props.healthCheckPath ?? WORKER_HEALTH_PATH;
    const poolTag = `${props.name}-pool`;
    const problems = healthPathProblems(healthCheckPath);
    if (this.secretStore && props.serviceAccountEmail !== undefined) {
      problems.push(
        'serviceAccountEmail: with SecretDelivery.CLOUD_STORAGE the workers run as the cluster\'s worker service account, which may read only the workers\' etcd client key; ' +
          'grant extra roles to it (workerServiceAccountEmail) instead, or use SecretDelivery.USER_DATA to bring your own',
      );
    }
    if (problems.length > 0) throw new ConstructError(this, `ContainerLinuxCluster ${this.node.path}`, `pool ${id}: ${problems.join('; ')}`);
    const secrets = this.workerSecrets();
    const pool = new WorkerPool(this, id, {
      image: this.props.image,
      zones: this.zones,
      ...configCheckProps(this.props),
      ...props,
      healthCheckPort,
      healthCheckPath,
      region: this.props.region,
      network: this.network.networkName,
      subnetwork: this.network.subnetworkName,
      tags: [this.network.nodeTag, this.network.workerTag, poolTag, ...(props.tags ?? [])],
      config: this.props.config,
      serviceAccountEmail: secrets.reader?.email ?? props.serviceAccountEmail,
      scopes: secrets.reader ? [...new Set([STORAGE_READ_SCOPE, ...(props.scopes ?? [])])] : props.scopes,
    });
    const origin = `addSnippet() from ContainerLinuxCluster ${this.node.path}`;
    pool.addSnippet(secrets.snippet, origin);
    pool.addSnippet(etcdctlSnippet(this.etcd.clientEndpoints, CLIENT_TLS_FILES), origin);
    // A new template (and so a new instance) only once the workers' grant and objects exist; the fetch retries while IAM propagates.
    if (secrets.reader && this.secretStore) pool.template.dependsOn = this.secretStore.dependsOnOf(secrets.reader);
    const units = workerRuntimeUnits({
      etcdEndpoints: this.etcd.clientEndpoints,
      etcdTls: hostPaths(CLIENT_TLS_FILES),
      podCidr: this.props.podCidr ?? '10.2.0.0/16',
      flannelVersion: this.props.flannelVersion ?? DEFAULT_FLANNEL_VERSION,
      healthPort: healthCheckPort,
      healthPath: healthCheckPath,
    });
    pool.addSnippet({ systemd: { units } }, origin);
    pool.node.addValidation({ validate: () => flannelSectionProblems(pool) });
    this.network.allowHealthChecks(`${id}-health`, `${id}-health`, healthCheckPort, poolTag);
    this.workerPools.push(pool);
    return pool;
  }

  /**
   * The workers' service account (CLOUD_STORAGE; made with the first pool): it may read only the
   * workers' prefix of the bucket. Grant it what your workloads need.
   */
  public get workerServiceAccountEmail(): string | undefined {
    return this.workerSecrets().reader?.email;
  }

  /** The workers' client certificate files, as objects under `worker/` or inline, once for every pool. */
  private workerSecrets(): WorkerSecrets {
    if (this.workerSecretsMade) return this.workerSecretsMade;
    const reader = this.secretStore?.addReader('workers', {
      accountId: serviceAccountId(this.props.clusterName, 'worker'),
      prefix: 'worker/',
      description: `${this.props.clusterName} workers: read their etcd client key from the cluster's secret bucket`,
    });
    const certificate = this.etcd.pki.client(WORKER_ETCD_ROLE);
    const snippet = tlsDeliverySnippet(
      { caPem: this.etcd.pki.caCertPem, certPem: certificate.certPem, keyPem: certificate.privateKeyPem },
      {
        delivery: this.secretDelivery,
        files: CLIENT_TLS_FILES,
        keyOwner: 'root:root',
        requiredBy: [FLANNEL_CONFIG_UNIT, FLANNELD_UNIT],
        // flannel-config is a oneshot that has written the network config to etcd already: only
        // flanneld, the daemon holding the client certificate, needs the renewed one.
        refresh: this.secretStore ? { restart: [FLANNELD_UNIT] } : undefined,
        store: this.secretStore,
        reader,
        objectId: 'worker',
      },
    );
    if (!reader) warnKeysInUserData(this, 'the workers\' etcd client key');
    this.workerSecretsMade = { snippet, reader };
    return this.workerSecretsMade;
  }

  /** The image the workers' flanneld runs, e.g. `docker.io/flannel/flannel:v0.28.9`. */
  public get flannelImage(): string {
    return flannelImage(this.props.flannelVersion ?? DEFAULT_FLANNEL_VERSION);
  }
}

/**
 * ct's `flannel` section (in the cluster's `config`) would add its drop-in to the cluster's
 * flanneld.service: flannel-wrapper through docker, and `etcdctl set`, a v2 command.
 */
function flannelSectionProblems(pool: WorkerPool): string[] {
  const dropins = pool.generated.filter((g) => g.kind === 'dropin' && g.section === 'flannel');
  return dropins.length === 0
    ? []
    : [
        `WorkerPool ${pool.node.path}: the config has a flannel section, whose drop-in (${dropins.map((d) => (d.kind === 'dropin' ? d.dropin : '')).join(', ')}) would run flannel-wrapper through docker and write its network with etcd's v2 API; ` +
          'ContainerLinuxCluster runs flannel itself (docs/workers.md §2): remove the flannel section',
      ];
}

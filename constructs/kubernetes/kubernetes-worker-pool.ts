/**
 * A pool of Kubernetes workers that joins a cluster it did not make (Typhoon's separate `workers`
 * module): in the cluster's own stack (KubernetesCluster.addWorkerPool), in another stack of the
 * same app (cdktf turns the cluster's references into outputs and remote state), or in another
 * Terraform configuration altogether, from the cluster stack's outputs.
 *
 * What a pool needs of its cluster holds no secret: the network, the workers' service account and
 * the secrets bucket. Its nodes run as that account and fetch the CA and the bootstrap kubeconfig
 * (which the cluster stored under WORKER_SECRETS_PREFIX) at boot, then join through TLS bootstrap.
 * So a pool defined elsewhere never sees the bootstrap token, and nothing secret is in metadata.
 */
import type { Construct } from 'constructs';
import type { ButaneConfig, ContainerLinuxConfig } from '../../transpiler';
import { clusterTags } from '../cluster-network';
import { ConstructError } from '../construct-error';
import { validateClusterName } from '../gce-validation';
import { Image } from '../image';
import { secretFetchSnippet, type SecretFile } from '../secret-fetch';
import { STORAGE_READ_SCOPE } from '../secret-store';
import { WorkerPool, type WorkerPoolAccelerator } from '../worker-pool';
import { KUBE_PROXY_HEALTH_PORT } from './addons';
import { DEFAULT_SERVICE_CIDR, KUBECONFIGS, PKI_FILES } from './cluster-settings';
import { nodeConfigSnippet } from './node-config';
import { KUBELET_UNIT } from './node-units';

/** Where the cluster stores what every worker fetches, and what its workers' account may read. */
export const WORKER_SECRETS_PREFIX = 'kubernetes/worker/';

/** The files each worker fetches: object names under WORKER_SECRETS_PREFIX, and where they go. */
export const WORKER_SECRET_FILES: readonly SecretFile[] = [
  { object: 'ca.crt', path: PKI_FILES.ca, mode: 0o644, owner: 'root:root' },
  { object: 'bootstrap-kubeconfig', path: KUBECONFIGS.bootstrap, mode: 0o600, owner: 'root:root' },
];

/** A pool of workers (KubernetesCluster.addWorkerPool, or KubernetesWorkerPool with its cluster). */
export interface KubernetesWorkerPoolProps {
  /** The group's name and its instances' base name, 1-36 characters; its tag is `<name>-pool`. */
  readonly name: string;
  /**
   * Number of instances.
   * @default 1
   */
  readonly size?: number;
  /**
   * Machine type.
   * @default 'e2-standard-2'
   */
  readonly machineType?: string;
  /**
   * Spot VMs.
   * @default false
   */
  readonly spot?: boolean;
  /**
   * GPUs per instance, e.g. `[{ type: 'nvidia-l4', count: 1 }]`.
   * @default - none
   */
  readonly accelerators?: readonly WorkerPoolAccelerator[];
  /**
   * Node labels, `key=value` (not in the kubernetes.io / k8s.io namespaces the kubelet may not set).
   * @default - `node.kubernetes.io/node` only
   */
  readonly nodeLabels?: readonly string[];
  /**
   * Node taints, `key=value:Effect`.
   * @default - none
   */
  readonly nodeTaints?: readonly string[];
  /**
   * Boot disk size in GB.
   * @default - the image's
   */
  readonly bootDiskSizeGb?: number;
  /**
   * Boot disk type.
   * @default - Compute Engine's default
   */
  readonly bootDiskType?: string;
  /**
   * Zones to spread over.
   * @default - the cluster's
   */
  readonly zones?: readonly string[];
  /**
   * The pool's own starting config (users, SSH keys, ...): a Container Linux Config, or Butane of
   * variant `flatcar`.
   * @default - the cluster's `config`
   */
  readonly config?: string | ContainerLinuxConfig | ButaneConfig;
}

/**
 * What a pool needs to know of its cluster. In the same app: `KubernetesCluster.reference` (it
 * works across stacks). For a cluster deployed from elsewhere: the `kubernetes` stack's outputs
 * (`network_name`, `subnetwork_name`, `worker_service_account`, `secrets_bucket`), e.g. read with
 * a `DataTerraformRemoteStateGcs`.
 */
export interface KubernetesClusterReference {
  /** The cluster's name, as a literal: the nodes' firewall tags derive from it. */
  readonly clusterName: string;
  /** The cluster's region, as a literal, e.g. `us-central1`. */
  readonly region: string;
  /** The cluster's VPC network (name or self link). */
  readonly networkName: string;
  /** The cluster's subnetwork (name or self link). */
  readonly subnetworkName: string;
  /** The workers' service account email: it may read the workers' objects in the bucket. */
  readonly workerServiceAccountEmail: string;
  /** The cluster's secrets bucket. */
  readonly secretsBucket: string;
  /**
   * The cluster's service range (the cluster DNS address is its 10th address).
   * @default '10.3.0.0/16'
   */
  readonly serviceCidr?: string;
  /**
   * The zones its nodes spread over.
   * @default - `<region>-a`, `-b`, `-c` (as KubernetesCluster)
   */
  readonly zones?: readonly string[];
  /**
   * The nodes' image.
   * @default Image.flatcar('stable')
   */
  readonly image?: Image;
  /**
   * The config every node of the cluster starts from.
   * @default - none
   */
  readonly config?: string | ContainerLinuxConfig | ButaneConfig;
}

export interface KubernetesWorkerPoolJoinProps extends KubernetesWorkerPoolProps {
  /** The cluster to join. */
  readonly cluster: KubernetesClusterReference;
}

/** The workers' fetch unit: the CA and the bootstrap kubeconfig from the bucket before the kubelet. */
export function workerSecretsSnippet(bucket: string): ContainerLinuxConfig {
  return secretFetchSnippet({ bucket, prefix: WORKER_SECRETS_PREFIX, secrets: WORKER_SECRET_FILES, requiredBy: [KUBELET_UNIT] });
}

/**
 * A regional managed instance group of workers joined to `cluster` through TLS bootstrap: tagged
 * as the cluster's workers (so the cluster's firewall admits them), running as the workers'
 * service account, with autohealing on kube-proxy's (or Cilium's) health port. Construct ids as
 * WorkerPool's.
 */
export class KubernetesWorkerPool extends WorkerPool {
  constructor(scope: Construct, id: string, props: KubernetesWorkerPoolJoinProps) {
    const cluster = props.cluster;
    const problems = referenceProblems(cluster);
    if (problems.length > 0) throw new ConstructError(scope, `KubernetesWorkerPool ${scope.node.path}/${id}`, problems.join('; '));
    const tags = clusterTags(cluster.clusterName);
    super(scope, id, {
      name: props.name,
      region: cluster.region,
      zones: props.zones ?? cluster.zones,
      size: props.size ?? 1,
      machineType: props.machineType ?? 'e2-standard-2',
      spot: props.spot,
      accelerators: props.accelerators,
      bootDiskSizeGb: props.bootDiskSizeGb,
      bootDiskType: props.bootDiskType,
      image: cluster.image ?? Image.flatcar('stable'),
      network: cluster.networkName,
      subnetwork: cluster.subnetworkName,
      // The cluster's firewall rules target its node and worker tags.
      tags: [tags.nodeTag, tags.workerTag, `${props.name}-pool`],
      serviceAccountEmail: cluster.workerServiceAccountEmail,
      scopes: [STORAGE_READ_SCOPE],
      // kube-proxy's (or Cilium's) health endpoint: autohealing replaces a node whose pod network is down.
      healthCheckPort: KUBE_PROXY_HEALTH_PORT,
      healthCheckPath: '/healthz',
      config: props.config ?? cluster.config,
    });
    const origin = `KubernetesWorkerPool ${this.node.path}`;
    this.addSnippet(workerSecretsSnippet(cluster.secretsBucket), origin);
    this.addSnippet(
      nodeConfigSnippet({
        role: 'worker',
        kubeletAfter: ['fetch-secrets.service'],
        kubelet: { serviceCidr: cluster.serviceCidr ?? DEFAULT_SERVICE_CIDR },
        labelsAndTaints: { nodeLabels: props.nodeLabels, nodeTaints: props.nodeTaints },
      }),
      origin,
    );
  }
}

/** The cluster's name makes the nodes' tags at synth, so it must be a literal. */
function referenceProblems(cluster: KubernetesClusterReference): string[] {
  return validateClusterName(cluster.clusterName, 'cluster.clusterName');
}

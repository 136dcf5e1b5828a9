/**
 * A Kubernetes cluster on Flatcar from `cdktf deploy` alone (docs/kubernetes.md): a network with
 * Typhoon's firewall scoped by tags and port 22 closed, controllers that co-locate etcd (EtcdCluster
 * with mutual TLS) with the kubelet and the static-pod control plane, an internal API load balancer
 * (external only with source ranges), a pool of workers, the whole PKI from Terraform, and every
 * secret fetched at boot from the cluster's bucket by the node's own service account. No SSH, no
 * provisioner, no key in any metadata.
 */
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterNetwork } from '../cluster-network';
import { ConstructError } from '../construct-error';
import { EtcdCluster, type MemberSecret } from '../etcd-cluster';
import { defaultZones } from '../gce-location';
import { Image } from '../image';
import type { ButaneConfig, ContainerLinuxConfig } from '../../transpiler';
import { ClusterSecretStore, serviceAccountId, STORAGE_READ_SCOPE, type SecretReader } from '../secret-store';
import { WorkerPool, type WorkerPoolAccelerator } from '../worker-pool';
import { addonObjects, KUBE_PROXY_HEALTH_PORT } from './addons';
import type { AddonComponents } from './addons/addon-options';
import { ApiLoadBalancer, type ApiExternalAccess } from './api-load-balancer';
import { BOOTSTRAP_DIR, BOOTSTRAP_UNIT, bootstrapPlan } from './bootstrap';
import {
  APISERVER_ETCD_ROLE,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  KUBE_PKI_GID,
  KUBE_PKI_GROUP,
  KUBECONFIGS,
  PKI_DIR,
  PKI_FILES,
} from './cluster-settings';
import { kubernetesFirewall } from './kubernetes-firewall';
import { KubernetesPki } from './kubernetes-pki';
import { nodeConfigSnippet } from './node-config';
import { KUBELET_UNIT } from './node-units';

/** The admin's certificate and key on controllers, for the add-on bootstrap's server-side apply. */
const ADMIN_CERT = `${PKI_DIR}/admin.crt`;
const ADMIN_KEY = `${PKI_DIR}/admin.key`;

export type KubernetesNetworking = 'cilium' | 'flannel';

/** A pool of workers (KubernetesCluster.addWorkerPool). */
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
}

export interface KubernetesClusterProps {
  /** Prefix of every resource name and tag, 1-30 characters of a-z, 0-9, -. */
  readonly clusterName: string;
  /** The region, e.g. `us-central1`. */
  readonly region: string;
  /** The project id (string or token), for the controllers' internal DNS names. */
  readonly project: string;
  /**
   * The zones the controllers and workers spread over.
   * @default - `<region>-a`, `-b`, `-c` (`-b`, `-c`, `-d` in us-east1 and europe-west1)
   */
  readonly zones?: readonly string[];
  /**
   * The nodes' image: a Flatcar channel.
   * @default Image.flatcar('stable')
   */
  readonly image?: Image;
  /**
   * Number of controllers (etcd members): 1, 3 or 5.
   * @default 1, as Typhoon
   */
  readonly controllerCount?: number;
  /**
   * The controllers' machine type.
   * @default 'e2-standard-2'
   */
  readonly controllerMachineType?: string;
  /**
   * Workers in the default pool.
   * @default 1, as Typhoon
   */
  readonly workerCount?: number;
  /**
   * The workers' machine type.
   * @default 'e2-standard-2'
   */
  readonly workerMachineType?: string;
  /**
   * The pod network.
   * @default 'cilium', as Typhoon
   */
  readonly networking?: KubernetesNetworking;
  /**
   * Pod addresses.
   * @default '10.20.0.0/14'
   */
  readonly podCidr?: string;
  /**
   * Service addresses.
   * @default '10.3.0.0/16'
   */
  readonly serviceCidr?: string;
  /**
   * Which add-ons the controllers apply once (Typhoon's `components`): CoreDNS, kube-proxy (with
   * flannel only), the CNI. Leave one out to bring your own.
   * @default - all that fit the networking
   */
  readonly components?: AddonComponents;
  /**
   * Reach the API from outside the VPC through a regional external load balancer, from these
   * ranges only.
   * @default - internal load balancer only
   */
  readonly externalApi?: ApiExternalAccess;
  /**
   * Where SSH (tcp/22) to the nodes may come from.
   * @default [] (closed): nothing here needs SSH
   */
  readonly sshSourceRanges?: readonly string[];
  /**
   * The config every node starts from (users, SSH keys, ...): a Container Linux Config, or
   * Butane of variant `flatcar`.
   * @default - none beyond what the cluster adds
   */
  readonly config?: string | ContainerLinuxConfig | ButaneConfig;
}

/**
 * Construct ids: `network`, `secrets`, `apiserver` (ApiLoadBalancer), `pki` (KubernetesPki),
 * `controllers` (EtcdCluster), `workers` (the default WorkerPool) and one id per added pool.
 */
export class KubernetesCluster extends Construct {
  public readonly network: ClusterNetwork;
  public readonly secretStore: ClusterSecretStore;
  public readonly apiLoadBalancer: ApiLoadBalancer;
  public readonly pki: KubernetesPki;
  public readonly controllers: EtcdCluster;
  public readonly workers: WorkerPool;
  /** `https://<internal load balancer>:6443`. */
  public readonly apiEndpoint: string;
  /** The admin's kubeconfig (sensitive), at the external endpoint when there is one. */
  public readonly adminKubeconfig: string;
  /** The kubelet's bootstrap kubeconfig (sensitive): for pools defined elsewhere. */
  public readonly bootstrapKubeconfig: string;
  /** Every pool, the default one (`workers`) first. */
  public readonly workerPools: WorkerPool[] = [];
  private readonly props: KubernetesClusterProps;
  private readonly zones: readonly string[];
  private readonly image: Image;
  private workerSecretsMade?: { readonly reader: SecretReader; readonly snippet: ContainerLinuxConfig };

  constructor(scope: Construct, id: string, props: KubernetesClusterProps) {
    super(scope, id);
    const controllerCount = props.controllerCount ?? 1;
    if (![1, 3, 5].includes(controllerCount)) {
      throw new ConstructError(this, `KubernetesCluster ${this.node.path}`, `controllerCount must be 1, 3 or 5, so that etcd keeps a majority (got ${controllerCount})`);
    }
    const networking = props.networking ?? 'cilium';
    const serviceCidr = props.serviceCidr ?? DEFAULT_SERVICE_CIDR;
    const podCidr = props.podCidr ?? DEFAULT_POD_CIDR;
    const zones = props.zones ?? defaultZones(props.region);
    const image = props.image ?? Image.flatcar('stable');

    this.network = new ClusterNetwork(this, 'network', { clusterName: props.clusterName, region: props.region, sshSourceRanges: props.sshSourceRanges ?? [], etcdRules: false });
    kubernetesFirewall(this.network, { networking });
    this.secretStore = new ClusterSecretStore(this, 'secrets', { clusterName: props.clusterName, location: props.region });
    this.apiLoadBalancer = new ApiLoadBalancer(this, 'apiserver', {
      clusterName: props.clusterName,
      region: props.region,
      network: this.network.networkName,
      subnetwork: this.network.subnetworkName,
      external: props.externalApi,
      controllerTag: this.network.controllerTag,
    });
    const lb = this.apiLoadBalancer;
    this.apiEndpoint = lb.endpoint;
    this.pki = new KubernetesPki(this, 'pki', { clusterName: props.clusterName, apiServerIps: [lb.internalIp, ...(lb.externalIp ? [lb.externalIp] : [])], serviceCidr });
    this.adminKubeconfig = this.pki.adminKubeconfig(lb.externalEndpoint ?? lb.endpoint);
    this.bootstrapKubeconfig = this.pki.bootstrapKubeconfig(lb.endpoint);

    const addons = bootstrapPlan(
      addonObjects({
        apiServerHost: lb.internalIp,
        bootstrapToken: { id: this.pki.bootstrapTokenId, secret: this.pki.bootstrapTokenSecret },
        serviceCidr,
        podCidr,
        networking,
        controllerCount,
        components: props.components,
      }),
    );
    const pki = this.pki;
    // Each kubeconfig once: every call makes new Terraform expressions, and a shared object has one content.
    const kubeconfigs = {
      controllerManager: pki.controllerManagerKubeconfig(),
      scheduler: pki.schedulerKubeconfig(),
      admin: pki.adminKubeconfig(),
    };
    const shared = (object: string, path: string, content: string, mode: number, owner: string): MemberSecret => ({ object, path, content, mode, owner, shared: true });
    const controllerSecrets = (cluster: EtcdCluster): MemberSecret[] => {
      const etcdClient = cluster.pki.client(APISERVER_ETCD_ROLE);
      const podKey = (object: string, path: string, content: string) => shared(object, path, content, 0o640, `root:${KUBE_PKI_GROUP}`);
      const pub = (object: string, path: string, content: string) => shared(object, path, content, 0o644, 'root:root');
      return [
        pub('kubernetes/ca.crt', PKI_FILES.ca, pki.ca.certPem),
        podKey('kubernetes/ca.key', PKI_FILES.caKey, pki.ca.privateKeyPem),
        pub('kubernetes/apiserver.crt', PKI_FILES.apiServer, pki.apiServer.certPem),
        podKey('kubernetes/apiserver.key', PKI_FILES.apiServerKey, pki.apiServer.privateKeyPem),
        pub('kubernetes/apiserver-kubelet-client.crt', PKI_FILES.apiServerKubeletClient, pki.apiServerKubeletClient.certPem),
        podKey('kubernetes/apiserver-kubelet-client.key', PKI_FILES.apiServerKubeletClientKey, pki.apiServerKubeletClient.privateKeyPem),
        pub('kubernetes/service-account.pub', PKI_FILES.serviceAccountPublic, pki.serviceAccountKey.publicKeyPem),
        podKey('kubernetes/service-account.key', PKI_FILES.serviceAccountKey, pki.serviceAccountKey.privateKeyPem),
        pub('kubernetes/front-proxy-ca.crt', PKI_FILES.frontProxyCa, pki.frontProxyCa.certPem),
        pub('kubernetes/front-proxy-client.crt', PKI_FILES.frontProxyClient, pki.frontProxyClient.certPem),
        podKey('kubernetes/front-proxy-client.key', PKI_FILES.frontProxyClientKey, pki.frontProxyClient.privateKeyPem),
        pub('kubernetes/etcd-ca.crt', PKI_FILES.etcdCa, cluster.pki.caCertPem),
        pub('kubernetes/etcd-client.crt', PKI_FILES.etcdClient, etcdClient.certPem),
        podKey('kubernetes/etcd-client.key', PKI_FILES.etcdClientKey, etcdClient.privateKeyPem),
        podKey('kubernetes/controller-manager.conf', KUBECONFIGS.controllerManager, kubeconfigs.controllerManager),
        podKey('kubernetes/scheduler.conf', KUBECONFIGS.scheduler, kubeconfigs.scheduler),
        shared('kubernetes/admin.conf', KUBECONFIGS.admin, kubeconfigs.admin, 0o600, 'root:root'),
        shared('kubernetes/admin.crt', ADMIN_CERT, pki.admin.certPem, 0o600, 'root:root'),
        shared('kubernetes/admin.key', ADMIN_KEY, pki.admin.privateKeyPem, 0o600, 'root:root'),
        // The kubelet joins through TLS bootstrap like every node.
        shared('kubernetes/bootstrap-kubeconfig', KUBECONFIGS.bootstrap, this.bootstrapKubeconfig, 0o600, 'root:root'),
        // The add-ons hold the bootstrap token: objects, not metadata.
        shared('bootstrap/plan', `${BOOTSTRAP_DIR}/plan`, addons.plan, 0o600, 'root:root'),
        ...addons.files.map((f) => shared(`bootstrap/${f.file}`, `${BOOTSTRAP_DIR}/${f.file}`, f.contents, 0o600, 'root:root')),
      ];
    };

    this.controllers = new EtcdCluster(this, 'controllers', {
      clusterName: props.clusterName,
      region: props.region,
      project: props.project,
      zones,
      size: controllerCount,
      memberNamePrefix: `${props.clusterName}-controller`,
      image,
      machineType: props.controllerMachineType ?? 'e2-standard-2',
      network: this.network.networkName,
      subnetwork: this.network.subnetworkName,
      tags: [this.network.controllerTag],
      config: props.config,
      clientRoles: [APISERVER_ETCD_ROLE],
      secretStore: this.secretStore,
      memberGroups: [{ name: KUBE_PKI_GROUP, gid: KUBE_PKI_GID }],
      memberSecrets: (_member, cluster) => controllerSecrets(cluster),
      memberSnippet: () =>
        nodeConfigSnippet({
          role: 'controller',
          kubeletAfter: ['fetch-secrets.service'],
          kubelet: { serviceCidr },
          // Each apiserver uses its own controller's etcd member (kubeadm's stacked etcd does the same).
          staticPods: { etcdServers: ['https://127.0.0.1:2379'], serviceCidr, podCidr, allocateNodeCidrs: networking === 'flannel' },
          bootstrap: { caFile: PKI_FILES.ca, certFile: ADMIN_CERT, keyFile: ADMIN_KEY },
        }),
      requiredBySecrets: [KUBELET_UNIT, BOOTSTRAP_UNIT],
    });
    for (const member of this.controllers.members) lb.addController({ name: member.name, zone: member.zone, selfLink: member.instance.selfLink });

    this.props = props;
    this.zones = zones;
    this.image = image;
    this.workers = this.addWorkerPool('workers', { name: `${props.clusterName}-workers`, size: props.workerCount ?? 1, machineType: props.workerMachineType });
  }

  /**
   * Adds a pool of workers (a regional managed instance group) that joins the cluster through TLS
   * bootstrap: its nodes run as the workers' service account and fetch the bootstrap kubeconfig from
   * the bucket. The networking DaemonSets tolerate every taint, so tainted pools get their CNI.
   */
  public addWorkerPool(id: string, pool: KubernetesWorkerPoolProps): WorkerPool {
    const props = this.props;
    const secrets = this.workerSecrets();
    const workers = new WorkerPool(this, id, {
      name: pool.name,
      region: props.region,
      zones: pool.zones ?? this.zones,
      size: pool.size ?? 1,
      machineType: pool.machineType ?? 'e2-standard-2',
      spot: pool.spot,
      accelerators: pool.accelerators,
      bootDiskSizeGb: pool.bootDiskSizeGb,
      bootDiskType: pool.bootDiskType,
      image: this.image,
      network: this.network.networkName,
      subnetwork: this.network.subnetworkName,
      tags: [this.network.nodeTag, this.network.workerTag, `${pool.name}-pool`],
      serviceAccountEmail: secrets.reader.email,
      scopes: [STORAGE_READ_SCOPE],
      // kube-proxy's (or Cilium's) health endpoint: autohealing replaces a node whose pod network is down.
      healthCheckPort: KUBE_PROXY_HEALTH_PORT,
      healthCheckPath: '/healthz',
      config: props.config,
    });
    const origin = `addWorkerPool() of KubernetesCluster ${this.node.path}`;
    workers.addSnippet(secrets.snippet, origin);
    workers.addSnippet(
      nodeConfigSnippet({
        role: 'worker',
        kubeletAfter: ['fetch-secrets.service'],
        kubelet: { serviceCidr: props.serviceCidr ?? DEFAULT_SERVICE_CIDR },
        labelsAndTaints: { nodeLabels: pool.nodeLabels, nodeTaints: pool.nodeTaints },
      }),
      origin,
    );
    // A new template (and so new instances) only once the grant and the objects exist.
    workers.template.dependsOn = this.secretStore.dependablesOf(secrets.reader).map((d) => dependable(d));
    this.workerPools.push(workers);
    return workers;
  }

  /** The workers' CA and bootstrap kubeconfig (the token), from the bucket: made once, for every pool. */
  private workerSecrets(): { readonly reader: SecretReader; readonly snippet: ContainerLinuxConfig } {
    if (this.workerSecretsMade) return this.workerSecretsMade;
    const reader = this.secretStore.addReader('workers', {
      accountId: serviceAccountId(this.props.clusterName, 'worker'),
      prefix: 'kubernetes/worker/',
      description: `${this.props.clusterName} workers: read their bootstrap kubeconfig from the cluster's secret bucket`,
    });
    const snippet = this.secretStore.fetchSnippet(
      reader,
      [
        { id: 'worker-ca-crt', object: 'ca.crt', path: PKI_FILES.ca, mode: 0o644, owner: 'root:root', content: this.pki.ca.certPem },
        { id: 'worker-bootstrap-kubeconfig', object: 'bootstrap-kubeconfig', path: KUBECONFIGS.bootstrap, mode: 0o600, owner: 'root:root', content: this.bootstrapKubeconfig },
      ],
      [KUBELET_UNIT],
    );
    this.workerSecretsMade = { reader, snippet };
    return this.workerSecretsMade;
  }
}

/**
 * A Kubernetes cluster on Flatcar from `cdktf deploy` alone (docs/kubernetes.md): a network with
 * Typhoon's firewall scoped by tags and port 22 closed, controllers that co-locate etcd (EtcdCluster
 * with mutual TLS) with the kubelet and the static-pod control plane, an internal API load balancer
 * (external only with source ranges), a pool of workers, the whole PKI from Terraform, and every
 * secret fetched at boot from the cluster's bucket by the node's own service account. No SSH, no
 * provisioner, no key in any metadata.
 */
import { Construct } from 'constructs';
import { ClusterNetwork } from '../cluster-network';
import { ConstructError } from '../construct-error';
import { EtcdCluster, type MemberSecret } from '../etcd-cluster';
import { defaultZones } from '../gce-location';
import { Image } from '../image';
import type { ButaneConfig, ContainerLinuxConfig } from '../../transpiler';
import { ClusterSecretStore, serviceAccountId, type SecretReader } from '../secret-store';
import type { WorkerPool } from '../worker-pool';
import { addonObjects } from './addons';
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
import { RESTART_CONTROL_PLANE_SCRIPT } from './control-plane-restart';
import { kubernetesFirewall } from './kubernetes-firewall';
import { KubernetesPki } from './kubernetes-pki';
import { nodeConfigSnippet } from './node-config';
import { KUBELET_UNIT } from './node-units';
import {
  KubernetesWorkerPool,
  WORKER_SECRET_FILES,
  WORKER_SECRETS_PREFIX,
  type KubernetesClusterReference,
  type KubernetesWorkerPoolProps,
} from './kubernetes-worker-pool';

/** The admin's certificate and key on controllers, for the add-on bootstrap's server-side apply. */
const ADMIN_CERT = `${PKI_DIR}/admin.crt`;
const ADMIN_KEY = `${PKI_DIR}/admin.key`;

export type KubernetesNetworking = 'cilium' | 'flannel';

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
  /** The workers' service account: it may read the workers' objects (WORKER_SECRETS_PREFIX) only. */
  public readonly workerReader: SecretReader;
  /** What a KubernetesWorkerPool needs to join this cluster, in this stack or another one of the app. */
  public readonly reference: KubernetesClusterReference;

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
      // After a renewal: etcd and the kubelet restart, the static pods are recreated (they bind
      // their files by inode); the one-time add-on bootstrap is not run again.
      secretRefresh: { restart: ['etcd-member.service', KUBELET_UNIT], command: RESTART_CONTROL_PLANE_SCRIPT },
    });
    for (const member of this.controllers.members) lb.addController({ name: member.name, zone: member.zone, selfLink: member.instance.selfLink });

    this.workerReader = this.storeWorkerSecrets(props.clusterName);
    this.reference = {
      clusterName: props.clusterName,
      region: props.region,
      networkName: this.network.networkName,
      subnetworkName: this.network.subnetworkName,
      workerServiceAccountEmail: this.workerReader.email,
      secretsBucket: this.secretStore.bucketName,
      serviceCidr,
      zones,
      image,
      config: props.config,
    };
    this.workers = this.addWorkerPool('workers', { name: `${props.clusterName}-workers`, size: props.workerCount ?? 1, machineType: props.workerMachineType });
  }

  /**
   * Adds a pool of workers (a regional managed instance group) that joins the cluster through TLS
   * bootstrap: its nodes run as the workers' service account and fetch the bootstrap kubeconfig from
   * the bucket. The networking DaemonSets tolerate every taint, so tainted pools get their CNI. For
   * a pool in another stack, make a KubernetesWorkerPool there with `cluster: this.reference`.
   */
  public addWorkerPool(id: string, pool: KubernetesWorkerPoolProps): WorkerPool {
    const workers = new KubernetesWorkerPool(this, id, { ...pool, cluster: this.reference });
    // A new template (and so new instances) only once the grant and the objects exist; a pool in
    // another stack gets the same order from the stack dependency.
    workers.template.dependsOn = this.secretStore.dependsOnOf(this.workerReader);
    this.workerPools.push(workers);
    return workers;
  }

  /** The workers' account, and the CA and bootstrap kubeconfig (the token) every pool fetches. */
  private storeWorkerSecrets(clusterName: string): SecretReader {
    const reader = this.secretStore.addReader('workers', {
      accountId: serviceAccountId(clusterName, 'worker'),
      prefix: WORKER_SECRETS_PREFIX,
      description: `${clusterName} workers: read their bootstrap kubeconfig from the cluster's secret bucket`,
    });
    const contents: Record<string, string> = { 'ca.crt': this.pki.ca.certPem, 'bootstrap-kubeconfig': this.bootstrapKubeconfig };
    for (const file of WORKER_SECRET_FILES) this.secretStore.addSecret(`worker-${file.object.replace(/\./g, '-')}`, `${WORKER_SECRETS_PREFIX}${file.object}`, contents[file.object]);
    return reader;
  }
}

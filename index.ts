/**
 * cdktf-coreos: CoreOS-style instances and clusters on Google Cloud with CDK for Terraform, and `transpile`,
 * a byte-exact TypeScript port of the Container Linux Config Transpiler (ct).
 */
export { CoreOSInstance, type CoreOSInstanceProps } from './constructs/coreos-instance';
export { ConfigChangeBehavior } from './constructs/config-change';
export {
  Image,
  ImageDistribution,
  type CoreOSChannel,
  type FedoraCoreOSStream,
  type FlatcarChannel,
} from './constructs/image';
export {
  ClusterNetwork,
  HEALTH_CHECK_SOURCE_RANGES,
  IAP_SOURCE_RANGE,
  type ClusterNetworkProps,
  type FirewallRuleOptions,
} from './constructs/cluster-network';
export {
  EtcdCluster,
  DEFAULT_ETCD_VERSION,
  LEGACY_ETCD_VERSION,
  ETCD_HEALTH_PATH,
  ETCD_METRICS_PORT,
  EtcdMemberAddressing,
  type EtcdClusterProps,
  type EtcdInitialClusterState,
  type EtcdMember,
} from './constructs/etcd-cluster';
export { etcdArgsFromDropin, etcdDropinOf, type EtcdMemberConfig } from './constructs/etcd-member';
export {
  EtcdPki,
  type EtcdPkiCertificate,
  type EtcdPkiKeyAlgorithm,
  type EtcdPkiMember,
  type EtcdPkiOptions,
  type EtcdPkiProps,
} from './constructs/cluster-pki';
export { SecretDelivery, ETCD_SSL_DIR, ETCDCTL_ENV_FILE } from './constructs/etcd-tls';
export type { SecretRefresh } from './constructs/secret-fetch';
export {
  ClusterSecretStore,
  SECRET_READER_ROLE,
  STORAGE_READ_SCOPE,
  type ClusterSecretStoreProps,
  type SecretReader,
} from './constructs/secret-store';
export { WorkerPool, type WorkerPoolAccelerator, type WorkerPoolProps } from './constructs/worker-pool';
export {
  ContainerLinuxCluster,
  DEFAULT_FLANNEL_VERSION,
  WORKER_ETCD_ROLE,
  type ClusterWorkerPoolProps,
  type ContainerLinuxClusterProps,
} from './constructs/container-linux-cluster';
export { KubernetesCluster, type KubernetesClusterProps, type KubernetesNetworking } from './constructs/kubernetes/kubernetes-cluster';
export {
  KubernetesWorkerPool,
  type KubernetesClusterReference,
  type KubernetesWorkerPoolJoinProps,
  type KubernetesWorkerPoolProps,
} from './constructs/kubernetes/kubernetes-worker-pool';
export { KubernetesPki, type KubernetesPkiKeyAlgorithm, type KubernetesPkiProps } from './constructs/kubernetes/kubernetes-pki';
export { ApiLoadBalancer, type ApiExternalAccess, type ApiLoadBalancerController, type ApiLoadBalancerProps } from './constructs/kubernetes/api-load-balancer';
export { kubernetesFirewall, type KubernetesFirewallOptions } from './constructs/kubernetes/kubernetes-firewall';
export type { AddonComponents } from './constructs/kubernetes/addons/addon-options';
export { KUBERNETES_VERSION } from './constructs/kubernetes/versions';
export { type MemberGroup, type MemberSecret } from './constructs/etcd-cluster';
export type { ClcSnippet } from './constructs/config-composition';
export { renderUserData, type RenderedUserData, type RenderUserDataOptions } from './constructs/render-user-data';
export type { ConfigCheckProps } from './constructs/config-check-props';
export type { InstanceProps } from './constructs/instance-props';
export { ConstructError } from './constructs/construct-error';
export { synthesizeApp } from './constructs/synthesize-app';
export * from './transpiler';

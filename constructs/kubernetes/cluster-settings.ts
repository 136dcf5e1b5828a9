/**
 * The fixed facts of a KubernetesCluster's nodes that every renderer shares: address ranges, the
 * API port, and where each file lives on a controller and a worker. Pure data (no cdktf).
 */

export const DEFAULT_SERVICE_CIDR = '10.3.0.0/16';
export const DEFAULT_POD_CIDR = '10.20.0.0/14';
export const CLUSTER_DOMAIN = 'cluster.local';
export const API_SERVER_PORT = 6443;
/** Controllers' own components reach their apiserver here, not through a load balancer. */
export const LOCAL_API_SERVER = `https://127.0.0.1:${API_SERVER_PORT}`;

/** The nth address of an IPv4 CIDR, e.g. (10.3.0.0/16, 10) → 10.3.0.10. */
export function nthAddress(cidr: string, n: number): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m || m.slice(1, 5).some((octet) => Number(octet) > 255) || Number(m[5]) > 32) throw new Error(`"${cidr}" is not an IPv4 CIDR such as ${DEFAULT_SERVICE_CIDR}`);
  const prefix = Number(m[5]);
  const base = m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  if (n < 1 || n >= size - 1) throw new Error(`${cidr} has no address number ${n}`);
  const network = base - (base % size);
  const value = network + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The `kubernetes` Service's address: the service range's first. */
export function apiServiceIp(serviceCidr: string): string {
  return nthAddress(serviceCidr, 1);
}

/** CoreDNS's Service address: the service range's tenth, as Typhoon and kubeadm use. */
export function dnsServiceIp(serviceCidr: string): string {
  return nthAddress(serviceCidr, 10);
}

/** Group of the keys static pods read (mode 0640): the pods run as 65534 with it as a supplemental group. */
export const KUBE_PKI_GROUP = 'kube-pki';
export const KUBE_PKI_GID = 1401;
export const STATIC_POD_UID = 65534;

export const KUBERNETES_DIR = '/etc/kubernetes';
export const PKI_DIR = `${KUBERNETES_DIR}/pki`;
export const MANIFESTS_DIR = `${KUBERNETES_DIR}/manifests`;

/** Files under PKI_DIR (controllers; workers have ca.crt only). */
export const PKI_FILES = {
  ca: `${PKI_DIR}/ca.crt`,
  caKey: `${PKI_DIR}/ca.key`,
  apiServer: `${PKI_DIR}/apiserver.crt`,
  apiServerKey: `${PKI_DIR}/apiserver.key`,
  apiServerKubeletClient: `${PKI_DIR}/apiserver-kubelet-client.crt`,
  apiServerKubeletClientKey: `${PKI_DIR}/apiserver-kubelet-client.key`,
  serviceAccountPublic: `${PKI_DIR}/service-account.pub`,
  serviceAccountKey: `${PKI_DIR}/service-account.key`,
  frontProxyCa: `${PKI_DIR}/front-proxy-ca.crt`,
  frontProxyClient: `${PKI_DIR}/front-proxy-client.crt`,
  frontProxyClientKey: `${PKI_DIR}/front-proxy-client.key`,
  etcdCa: `${PKI_DIR}/etcd/ca.crt`,
  etcdClient: `${PKI_DIR}/etcd/client.crt`,
  etcdClientKey: `${PKI_DIR}/etcd/client.key`,
} as const;

export const KUBECONFIGS = {
  controllerManager: `${KUBERNETES_DIR}/controller-manager.conf`,
  scheduler: `${KUBERNETES_DIR}/scheduler.conf`,
  admin: `${KUBERNETES_DIR}/admin.conf`,
  /** The kubelet's bootstrap-token kubeconfig (every node). */
  bootstrap: `${KUBERNETES_DIR}/bootstrap-kubeconfig`,
  /** Written by the kubelet once TLS bootstrap has given it a client certificate. */
  kubelet: '/var/lib/kubelet/kubeconfig',
} as const;

export const KUBELET_CONFIG_FILE = `${KUBERNETES_DIR}/kubelet.json`;

/** Groups and names the certificates and RBAC agree on. */
export const ADMIN_GROUP = 'cdktf-coreos:cluster-admins';
export const KUBELET_API_ADMIN_GROUP = 'cdktf-coreos:kubelet-api-admins';
export const APISERVER_KUBELET_CLIENT_CN = 'kube-apiserver-kubelet-client';
export const FRONT_PROXY_CLIENT_CN = 'front-proxy-client';
/** The etcd client role (EtcdPki clientRoles) of the apiservers. */
export const APISERVER_ETCD_ROLE = 'kube-apiserver';

export const CONTROLLER_LABEL = 'node.kubernetes.io/controller';
export const CONTROLLER_TAINT = 'node-role.kubernetes.io/controller';
export const WORKER_LABEL = 'node.kubernetes.io/node';

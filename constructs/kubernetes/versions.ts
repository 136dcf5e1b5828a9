/**
 * The Kubernetes release a KubernetesCluster runs, and the images of its components: the release
 * and images Typhoon's Google Cloud Flatcar module pins (poseidon/terraform-render-bootstrap, as
 * read for docs/kubernetes.md §1), so that a reader of Typhoon recognises them.
 */

/** Kubernetes release: v1.36.2, the patch render-bootstrap moved to after Typhoon's v1.36.1. */
export const KUBERNETES_VERSION = '1.36.2';

/** `registry.k8s.io/<component>:v<version>` for the control plane and kube-proxy. */
export function componentImage(component: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kube-proxy', version = KUBERNETES_VERSION): string {
  return `registry.k8s.io/${component}:v${version.replace(/^v/, '')}`;
}

/** The kubelet, run by containerd on each node: Typhoon's build of it (it also carries kubectl). */
export function kubeletImage(version = KUBERNETES_VERSION): string {
  return `quay.io/poseidon/kubelet:v${version.replace(/^v/, '')}`;
}

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.13.1';
export const CILIUM_IMAGE = 'quay.io/cilium/cilium:v1.18.9';
export const CILIUM_OPERATOR_IMAGE = 'quay.io/cilium/operator-generic:v1.18.9';
export const FLANNEL_IMAGE = 'docker.io/flannel/flannel:v0.27.0';
export const FLANNEL_CNI_IMAGE = 'quay.io/poseidon/flannel-cni:v0.4.2';

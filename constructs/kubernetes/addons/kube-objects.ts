/**
 * The shapes every add-on repeats (service accounts, bindings, config maps, DaemonSet
 * tolerations), as plain JSON-able objects. Pure (no cdktf): values may be cdktf token strings.
 */
/** Where every add-on object lives. */
export const ADDON_NAMESPACE = 'kube-system';

/** A Kubernetes object as the add-on renderers make it: JSON-able, keys in write order. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Toleration {
  /** The taint's key; without one, with operator Exists, every taint. */
  readonly key?: string;
  readonly operator: 'Exists';
  readonly effect?: 'NoSchedule';
}

export interface RbacSubject {
  readonly kind: 'Group' | 'User' | 'ServiceAccount';
  readonly name: string;
  readonly apiGroup?: string;
  readonly namespace?: string;
}

/**
 * A service account that mounts no token unless its pod asks (`automountServiceAccountToken: true`
 * on the pod, as Typhoon's add-ons do), so a token reaches only the pods that use it.
 */
export function serviceAccount(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ADDON_NAMESPACE }, automountServiceAccountToken: false };
}

export function groupSubject(name: string): RbacSubject {
  return { kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' };
}

export function serviceAccountSubject(name: string): RbacSubject {
  return { kind: 'ServiceAccount', name, namespace: ADDON_NAMESPACE };
}

export function clusterRoleBinding(name: string, clusterRole: string, subjects: readonly RbacSubject[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects,
  };
}

/** One rule of a ClusterRole. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

export function clusterRole(name: string, rules: readonly PolicyRule[]): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules };
}

export function configMap(name: string, data: Readonly<Record<string, string>>, labels?: Readonly<Record<string, string>>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ADDON_NAMESPACE, ...(labels ? { labels } : {}) }, data };
}

/**
 * What every add-on DaemonSet tolerates: every taint. They are the node's networking (the CNI,
 * kube-proxy), without which a node never turns Ready; Typhoon lists the taints to tolerate, so a
 * pool with a taint not on its list never gets a CNI and autohealing replaces its nodes again and
 * again. Cilium's chart and kubeadm's kube-proxy tolerate everything, as here.
 */
export function daemonSetTolerations(): Toleration[] {
  return [{ operator: 'Exists' }];
}

/** A hostPath volume. */
export function hostPathVolume(name: string, path: string, type?: 'DirectoryOrCreate' | 'FileOrCreate' | 'Directory'): Record<string, unknown> {
  return { name, hostPath: { path, ...(type ? { type } : {}) } };
}

/** An environment variable read from a pod field, e.g. `spec.nodeName`. */
export function fieldEnv(name: string, fieldPath: string): Record<string, unknown> {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } };
}

/** An environment variable read from a ConfigMap key. */
export function configMapEnv(name: string, configMapName: string, key: string, optional?: boolean): Record<string, unknown> {
  return { name, valueFrom: { configMapKeyRef: { name: configMapName, key, ...(optional === undefined ? {} : { optional }) } } };
}

/** The pod security context of every add-on pod: the runtime's default seccomp profile. */
export const RUNTIME_DEFAULT_SECCOMP = { seccompProfile: { type: 'RuntimeDefault' } } as const;

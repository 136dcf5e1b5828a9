/**
 * Cross-reference checks over a set of rendered objects, the mistakes a schema cannot see: a
 * binding to a service account that is not there, a pod that mounts a missing ConfigMap, a
 * Service whose selector matches no pod, a volume mount without its volume.
 */
import type { KubeObject } from '../../constructs/kubernetes/addons';

/** ClusterRoles the apiserver creates itself (its RBAC bootstrap policy). */
export const BUILT_IN_CLUSTER_ROLES = [
  'cluster-admin',
  'system:node-bootstrapper',
  'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
  'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
  'system:kubelet-api-admin',
  'system:node-proxier',
];

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value ?? {}) as Json;
const list = (value: unknown): Json[] => (value ?? []) as Json[];

interface PodTemplate {
  readonly owner: KubeObject;
  readonly labels: Json;
  readonly spec: Json;
}

export function referenceProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string, namespace?: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  const where = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  const templates: PodTemplate[] = objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet')
    .map((o) => ({ owner: o, labels: obj(obj(obj(obj(o.spec).template).metadata).labels), spec: obj(obj(obj(o.spec).template).spec) }));

  for (const o of objects) {
    if (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') {
      const roleRef = obj(o.roleRef);
      const role = String(roleRef.name);
      if (roleRef.kind === 'ClusterRole' && !find('ClusterRole', role) && !BUILT_IN_CLUSTER_ROLES.includes(role)) problems.push(`${where(o)}: no ClusterRole ${role}`);
      for (const subject of list(o.subjects)) {
        if (subject.kind === 'ServiceAccount' && !find('ServiceAccount', String(subject.name), String(subject.namespace))) {
          problems.push(`${where(o)}: no ServiceAccount ${String(subject.namespace)}/${String(subject.name)}`);
        }
      }
    }
    if (o.kind === 'Service') {
      const selector = obj(obj(o.spec).selector);
      const matched = templates.filter((t) => t.owner.metadata.namespace === o.metadata.namespace && matches(selector, t.labels));
      if (matched.length === 0) problems.push(`${where(o)}: its selector matches no pod template`);
      for (const port of list(obj(o.spec).ports)) {
        const target = port.targetPort ?? port.port;
        const served = matched.some((t) => containersOf(t.spec).some((c) => list(c.ports).some((p) => (p.containerPort === target || p.name === target) && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))));
        if (!served) problems.push(`${where(o)}: no matched container serves ${String(port.protocol ?? 'TCP')} ${String(target)}`);
      }
    }
  }

  for (const t of templates) {
    const ns = t.owner.metadata.namespace;
    const at = where(t.owner);
    if (!matches(obj(obj(t.owner.spec).selector).matchLabels, t.labels)) problems.push(`${at}: its selector does not match its pod labels`);
    const account = t.spec.serviceAccountName;
    if (account !== undefined && !find('ServiceAccount', String(account), ns)) problems.push(`${at}: no ServiceAccount ${String(account)}`);
    const volumes = list(t.spec.volumes);
    const sources = volumes.flatMap((v) => [v, ...list(obj(v.projected).sources)]);
    for (const source of sources) {
      if (source.configMap) problems.push(...keyProblems(at, find('ConfigMap', String(obj(source.configMap).name), ns), 'ConfigMap', obj(source.configMap)));
      if (source.secret) {
        const secret = obj(source.secret);
        problems.push(...keyProblems(at, find('Secret', String(secret.secretName ?? secret.name), ns), 'Secret', secret));
      }
    }
    for (const container of containersOf(t.spec)) {
      for (const mount of list(container.volumeMounts)) {
        if (!volumes.some((v) => v.name === mount.name)) problems.push(`${at}: ${String(container.name)} mounts undeclared volume ${String(mount.name)}`);
      }
      for (const env of list(container.env)) {
        const from = obj(env.valueFrom);
        for (const [refKind, ref] of [['ConfigMap', from.configMapKeyRef], ['Secret', from.secretKeyRef]] as const) {
          if (!ref) continue;
          const r = obj(ref);
          problems.push(...keyProblems(at, find(refKind, String(r.name), ns), refKind, { name: r.name, optional: r.optional, items: [{ key: r.key }] }));
        }
      }
    }
  }
  return problems;
}

function containersOf(spec: Json): Json[] {
  return [...list(spec.initContainers), ...list(spec.containers)];
}

function matches(selector: unknown, labels: Json): boolean {
  const entries = Object.entries(obj(selector));
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** The ConfigMap or Secret a pod reads exists and has the keys it names (unless optional). */
function keyProblems(at: string, target: KubeObject | undefined, kind: string, ref: Json): string[] {
  if (ref.optional === true) return [];
  if (!target) return [`${at}: no ${kind} ${String(ref.name ?? ref.secretName)}`];
  const data = { ...obj(target.data), ...obj(target.stringData) };
  return list(ref.items)
    .filter((item) => !(String(item.key) in data))
    .map((item) => `${at}: ${kind} ${target.metadata.name} has no key ${String(item.key)}`);
}

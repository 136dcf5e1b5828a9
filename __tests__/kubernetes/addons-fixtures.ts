/** The add-on options the add-on suites render: literal values, and the variants that matter. */
import type { AddonOptions, KubeObject } from '../../constructs/kubernetes/addons';

export const TOKEN_ID = 'abcdef';
export const TOKEN_SECRET = '0123456789abcdef';

export const BASE: AddonOptions = {
  apiServerHost: '10.0.0.2',
  bootstrapToken: { id: TOKEN_ID, secret: TOKEN_SECRET },
};

/** Named variants: the default (Cilium), flannel with kube-proxy, and every option set. */
export const VARIANTS: Readonly<Record<string, AddonOptions>> = {
  'default (cilium)': BASE,
  flannel: { ...BASE, networking: 'flannel' },
  'everything set': {
    ...BASE,
    apiServerPort: 443,
    serviceCidr: '172.16.0.0/20',
    podCidr: '10.128.0.0/16',
    clusterDomain: 'corp.example',
    controllerCount: 3,
    nodeSelfDelete: true,
    bootstrapToken: { id: TOKEN_ID, secret: TOKEN_SECRET, extraGroups: ['system:bootstrappers:pool-a'], expiration: '2030-01-01T00:00:00Z', signing: true },
  },
  'flannel, everything set': {
    ...BASE,
    networking: 'flannel',
    controllerCount: 5,
    nodeSelfDelete: true,
  },
};

export function byKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function named(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

/** A DaemonSet's or Deployment's pod spec. */
export function podSpec(workload: KubeObject): Record<string, unknown> {
  return (workload.spec as { template: { spec: Record<string, unknown> } }).template.spec;
}

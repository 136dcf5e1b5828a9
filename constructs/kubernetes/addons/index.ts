/**
 * The add-ons a KubernetesCluster applies once, from the cluster itself: bootstrap RBAC, the CNI
 * (Cilium or flannel), kube-proxy (not with Cilium) and CoreDNS, as Typhoon's
 * terraform-render-bootstrap renders them (docs/kubernetes.md). Pure (no cdktf): the options may
 * hold token strings (the bootstrap token, the API load balancer's address), passed through.
 */
import { renderJson } from '../json-manifest';
import { type AddonOptions, type ResolvedAddonOptions, resolveAddonOptions } from './addon-options';
import { renderBootstrapRbac } from './bootstrap-rbac';
import { renderCilium } from './cilium';
import { renderCoreDns } from './coredns';
import { renderFlannel } from './flannel';
import type { KubeObject } from './kube-objects';
import { renderKubeProxy } from './kube-proxy';

export * from './addon-options';
export { ADDON_NAMESPACE, type KubeObject } from './kube-objects';
export { BOOTSTRAPPERS_GROUP, IN_CLUSTER_CONFIG_MAP } from './bootstrap-rbac';
export { CILIUM_HEALTH_PORT, CILIUM_HEALTHZ_PORT, CILIUM_VXLAN_PORT } from './cilium-config';
export { FLANNEL_VXLAN_PORT } from './flannel';
export { KUBE_PROXY_HEALTH_PORT } from './kube-proxy';

export type AddonName = 'bootstrap-rbac' | 'cilium' | 'flannel' | 'kube-proxy' | 'coredns';

/** One add-on: its objects in apply order. */
export interface AddonManifest {
  readonly name: AddonName;
  readonly objects: readonly KubeObject[];
}

/** One file of `kubectl apply -f DIR -R`. */
export interface AddonFile {
  /** e.g. `10-cilium.json`: the number orders the files as kubectl reads them. */
  readonly path: string;
  /** A `v1` `List` of the add-on's objects, as JSON text (which kubectl also reads as YAML). */
  readonly content: string;
}

/**
 * The add-ons the options ask for, in apply order: bootstrap RBAC first (it carries the
 * `in-cluster` ConfigMap Cilium reads), then the CNI, kube-proxy, CoreDNS.
 */
export function renderAddons(options: AddonOptions): AddonManifest[] {
  const resolved = resolveAddonOptions(options);
  const manifests: AddonManifest[] = [{ name: 'bootstrap-rbac', objects: renderBootstrapRbac(resolved) }];
  if (resolved.components.cni) manifests.push(cni(resolved));
  if (resolved.components.kubeProxy) manifests.push({ name: 'kube-proxy', objects: renderKubeProxy(resolved) });
  if (resolved.components.coredns) manifests.push({ name: 'coredns', objects: renderCoreDns(resolved) });
  return manifests;
}

/** Every add-on object, in apply order (what the bootstrap plan takes). */
export function addonObjects(options: AddonOptions): KubeObject[] {
  return renderAddons(options).flatMap((manifest) => manifest.objects);
}

/**
 * One file per add-on for `kubectl apply -f DIR -R`: each a `v1` `List`, which kubectl flattens
 * into its items. `JSON.stringify(list, null, 2)` plus a newline, so two renders are byte-identical.
 */
export function renderAddonFiles(options: AddonOptions): AddonFile[] {
  return renderAddons(options).map((manifest) => ({
    path: `${FILE_ORDER[manifest.name]}-${manifest.name}.json`,
    content: renderJson({ apiVersion: 'v1', kind: 'List', items: manifest.objects }),
  }));
}

// Fixed per add-on, so a file keeps its name whichever add-ons are left out.
const FILE_ORDER: Readonly<Record<AddonName, string>> = { 'bootstrap-rbac': '00', cilium: '10', flannel: '10', 'kube-proxy': '20', coredns: '30' };

function cni(options: ResolvedAddonOptions): AddonManifest {
  return options.networking === 'cilium' ? { name: 'cilium', objects: renderCilium(options) } : { name: 'flannel', objects: renderFlannel(options) };
}

/**
 * Cluster synth benchmark apps, run as child processes: `node dist/bench/cluster-apps.js KIND
 * OUTDIR [STACK_JSON]`. KIND `kubernetes` is the default app's `kubernetes` stack; `kubernetes-large`
 * a cluster of 5 controllers and 10 worker pools; `replay` the natural baseline, plain cdktf
 * building the same Terraform JSON (STACK_JSON, what one of the others synthesized) from generic
 * resources, with none of this library's work: what cdktf alone costs for that stack. The replay
 * loads the provider modules of the stack's resource types, as a program written against the
 * providers would, and none of this library's modules.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- what a process loads is what is measured */
import { readFileSync } from 'node:fs';
import { App, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { reportPeakRss } from './synth-args';

export const CLUSTER_KINDS = ['kubernetes', 'kubernetes-large'] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

export const LARGE_CONTROLLERS = 5;
export const LARGE_POOLS = 10;

/** Adds the kind's stack to `app` as `stack`. */
export function addClusterStack(app: App, kind: ClusterKind): TerraformStack {
  const { KubernetesStack } = require('../main') as typeof import('../main');
  const { GoogleProvider } = require('../constructs/google') as typeof import('../constructs/google');
  const { KubernetesCluster } = require('../constructs/kubernetes/kubernetes-cluster') as typeof import('../constructs/kubernetes/kubernetes-cluster');
  if (kind === 'kubernetes') return new KubernetesStack(app, 'stack', { project: 'bench-project' });
  const stack = new TerraformStack(app, 'stack');
  new GoogleProvider(stack, 'google', { project: 'bench-project', region: 'us-central1' });
  const cluster = new KubernetesCluster(stack, 'kubernetes', { clusterName: 'bench', region: 'us-central1', project: 'bench-project', controllerCount: LARGE_CONTROLLERS, workerCount: 3 });
  // The default pool and nine more: ten in all.
  for (let i = 1; i < LARGE_POOLS; i++) {
    cluster.addWorkerPool(`pool-${i}`, { name: `bench-pool-${i}`, size: 2, nodeLabels: [`pool=${i}`], ...(i % 3 === 0 ? { spot: true } : {}) });
  }
  return stack;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PROVIDER_PACKAGES: Readonly<Record<string, string>> = { google: '@cdktf/provider-google', random: '@cdktf/provider-random', tls: '@cdktf/provider-tls' };

type ResourceClass = new (scope: TerraformStack, id: string, config: object) => TerraformResource;
type ProviderClass = new (scope: TerraformStack, id: string, config: object) => TerraformProvider;

/** The provider's class for a resource type (`google_compute_instance` → `.../lib/compute-instance`), loading its module; undefined for cdktf's own types. */
function providerClass(type: string): ResourceClass | undefined {
  const [prefix, ...rest] = type.split('_');
  const pkg = PROVIDER_PACKAGES[prefix];
  if (!pkg) return undefined;
  const path = `${pkg}/lib/${rest.join('-')}`;
  let exported: Record<string, unknown>;
  try {
    exported = require(path) as Record<string, unknown>;
  } catch {
    exported = require(`${path}-resource`) as Record<string, unknown>; // random_string's module is string-resource
  }
  const found = Object.values(exported).find((value) => typeof value === 'function' && (value as { tfResourceType?: string }).tfResourceType === type);
  if (!found) throw new Error(`no class for ${type} in ${path}`);
  return found as ResourceClass;
}

/**
 * Plain cdktf building `json` (a synthesized stack): each resource as its provider's class (as a
 * program written against the providers would build it), its arguments as overrides; data sources
 * and the rest as generic constructs and overrides.
 */
export function addReplayStack(app: App, json: Json): TerraformStack {
  const stack = new TerraformStack(app, 'stack');
  const body = (block: Json) => Object.entries(block as Record<string, unknown>).filter(([key]) => key !== '//');
  for (const [name, configs] of Object.entries((json.provider ?? {}) as Record<string, Json[]>)) {
    const exported = require(`${PROVIDER_PACKAGES[name]}/lib/provider`) as Record<string, unknown>;
    const Provider = Object.values(exported).find((value) => typeof value === 'function' && (value as { tfResourceType?: string }).tfResourceType === name) as ProviderClass;
    configs.forEach((config, index) => {
      const provider = new Provider(stack, `${name}-${index}`, {});
      for (const [key, value] of body(config)) provider.addOverride(key, value);
    });
  }
  for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Json>)) {
    const Class = providerClass(type);
    for (const [id, block] of Object.entries(byId as Record<string, Json>)) {
      const resource = Class ? new Class(stack, id, {}) : new TerraformResource(stack, id, { terraformResourceType: type });
      for (const [key, value] of body(block)) resource.addOverride(key, value);
    }
  }
  for (const [type, byId] of Object.entries((json.data ?? {}) as Record<string, Json>)) {
    for (const [id, block] of Object.entries(byId as Record<string, Json>)) {
      const data = new TerraformDataSource(stack, id, { terraformResourceType: type });
      for (const [key, value] of body(block)) data.addOverride(key, value);
    }
  }
  for (const key of ['terraform', 'variable', 'output', 'locals']) {
    if (json[key] !== undefined) stack.addOverride(key, json[key]);
  }
  return stack;
}

if (require.main === module) {
  const [kind, outdir, stackJson] = process.argv.slice(2);
  if (!outdir || !(kind === 'replay' ? stackJson : (CLUSTER_KINDS as readonly string[]).includes(kind))) {
    throw new Error(`usage: cluster-apps.js ${CLUSTER_KINDS.join('|')}|replay OUTDIR [STACK_JSON], got: ${process.argv.slice(2).join(' ')}`);
  }
  const app = new App({ outdir });
  if (kind === 'replay') addReplayStack(app, JSON.parse(readFileSync(stackJson, 'utf8')));
  else addClusterStack(app, kind as ClusterKind);
  app.synth();
  reportPeakRss();
}

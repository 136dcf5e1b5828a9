/**
 * Cluster synth benchmark apps, run as child processes: `node dist/bench/cluster-apps.js KIND
 * OUTDIR [STACK_JSON]`. KIND `kubernetes` is the default app's `kubernetes` stack; `kubernetes-large`
 * a cluster of 5 controllers and 10 worker pools; `replay` the natural baseline, plain cdktf
 * building the same Terraform JSON (STACK_JSON, what one of the others synthesized) from generic
 * resources, with none of this library's work: what cdktf alone costs for that stack.
 */
import { readFileSync } from 'node:fs';
import { App, TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import { GoogleProvider } from '../constructs/google';
import { KubernetesCluster } from '../constructs/kubernetes/kubernetes-cluster';
import { KubernetesStack } from '../main';
import { reportPeakRss } from './synth-args';

export const CLUSTER_KINDS = ['kubernetes', 'kubernetes-large'] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

export const LARGE_CONTROLLERS = 5;
export const LARGE_POOLS = 10;

/** Adds the kind's stack to `app` as `stack`. */
export function addClusterStack(app: App, kind: ClusterKind): TerraformStack {
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

/** Plain cdktf building `json` (a synthesized stack): a generic construct per resource and data source, the rest as overrides. */
export function addReplayStack(app: App, json: Json): TerraformStack {
  const stack = new TerraformStack(app, 'stack');
  const body = (block: Json) => Object.entries(block as Record<string, unknown>).filter(([key]) => key !== '//');
  for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Json>)) {
    for (const [id, block] of Object.entries(byId as Record<string, Json>)) {
      const resource = new TerraformResource(stack, id, { terraformResourceType: type });
      for (const [key, value] of body(block)) resource.addOverride(key, value);
    }
  }
  for (const [type, byId] of Object.entries((json.data ?? {}) as Record<string, Json>)) {
    for (const [id, block] of Object.entries(byId as Record<string, Json>)) {
      const data = new TerraformDataSource(stack, id, { terraformResourceType: type });
      for (const [key, value] of body(block)) data.addOverride(key, value);
    }
  }
  for (const key of ['provider', 'terraform', 'variable', 'output', 'locals']) {
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

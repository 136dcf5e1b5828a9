/**
 * Worker pools that join a cluster they did not make: in another stack of the same app (cdktf's
 * cross-stack references become outputs of the cluster's stack and a `terraform_remote_state` in
 * the pool's), and from the literal outputs of a cluster deployed from elsewhere. The real
 * Terraform reads the cluster stack's outputs through the pool stack's remote state exactly as
 * synthesized; the resulting Ignition passes ignition-validate and systemd-analyze verify.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { GoogleProvider } from '../../constructs/google';
import { KUBE_PROXY_HEALTH_PORT } from '../../constructs/kubernetes/addons';
import { KubernetesCluster } from '../../constructs/kubernetes/kubernetes-cluster';
import { KubernetesWorkerPool, WORKER_SECRET_FILES, WORKER_SECRETS_PREFIX, type KubernetesClusterReference } from '../../constructs/kubernetes/kubernetes-worker-pool';
import { runIgnitionValidate } from '../../scripts/conformance';
import { marshalV33, translateToV33 } from '../../transpiler/ign3';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { validatorTest } from '../ign3/ign3-validator';
import { systemdAnalyzeUnavailable } from '../systemd/analyze';
import { describeIfAvailable } from '../systemd/gate';
import { analyzeIgnition, problemsOf } from '../systemd/harness';
import { describeWithTerraform, TERRAFORM } from '../terraform/terraform-harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const resources = (json: Json, type: string): [string, Json][] => Object.entries(json.resource?.[type] ?? {});
// A key, the bootstrap token or a kubeconfig with credentials, as a reference or inline.
const SECRET = /private_key|random_password|PRIVATE KEY|\btls_[a-z_]+\.|client-key-data|%22token%22|"token"/;

/** The fetch unit of an Ignition config: its bucket, prefix and objects. */
function fetchUnit(ignition: Json): { bucket: string; prefix: string; objects: string[] } {
  const unit = (ignition.systemd.units as Json[]).find((u) => u.name === 'fetch-secrets.service')?.contents as string;
  const exec = /^ExecStart=(.*)$/m.exec(unit.replace(/\\\n/g, ' '))?.[1].trim().split(/\s+/) ?? [];
  return {
    bucket: /Environment=FETCH_SECRETS_BUCKET=(.*)/.exec(unit)?.[1] ?? '',
    prefix: /Environment=FETCH_SECRETS_PREFIX=(.*)/.exec(unit)?.[1] ?? '',
    objects: exec.slice(1).filter((_, i) => i % 4 === 0),
  };
}

function validIgnition(binary: string, ignition: Json): void {
  const json33 = marshalV33(translateToV33(JSON.stringify(ignition)).config, false);
  expect(runIgnitionValidate(binary, Buffer.from(json33))).toEqual({ exitCode: 0, output: '' });
}

describe('a pool in another stack of the app', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'k8s-pools-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  const clusterStack = new TerraformStack(app, 'kubernetes');
  new GoogleProvider(clusterStack, 'google', { project: 'proof-project' });
  const cluster = new KubernetesCluster(clusterStack, 'k8s', { clusterName: 'demo', region: 'us-central1', project: 'proof-project' });
  const poolStack = new TerraformStack(app, 'pools');
  new GoogleProvider(poolStack, 'google', { project: 'proof-project' });
  const gpu = new KubernetesWorkerPool(poolStack, 'gpu', { name: 'demo-gpu', size: 2, accelerators: [{ type: 'nvidia-l4', count: 1 }], nodeTaints: ['gpu=true:NoSchedule'], cluster: cluster.reference });
  app.synth();
  const read = (file: string): string => readFileSync(path.join(outdir, file), 'utf8');
  const clusterText = read('stacks/kubernetes/cdk.tf.json');
  const poolText = read('stacks/pools/cdk.tf.json');
  const clusterJson = JSON.parse(clusterText);
  const poolJson = JSON.parse(poolText);
  const template = poolJson.resource.google_compute_region_instance_template[gpu.template.friendlyUniqueId];
  const crossStackOutputs = Object.entries(clusterJson.output as Record<string, { value: string; sensitive?: boolean }>).filter(([name]) => name.startsWith('cross-stack-output-'));

  test('the pool stack depends on the cluster stack, which it reads through one remote state', () => {
    const manifest = JSON.parse(read('manifest.json'));
    expect(manifest.stacks.pools.dependencies).toEqual(['kubernetes']);
    expect(Object.keys(poolJson.data.terraform_remote_state)).toHaveLength(1);
  });

  test('it reads only the network, the subnetwork, the workers\' account and the bucket: no key, token or kubeconfig crosses', () => {
    expect(crossStackOutputs.map(([, o]) => o.value.replace(/\.[A-Za-z0-9_-]+\./, '.*.')).sort()).toEqual([
      '${google_compute_network.*.name}',
      '${google_compute_subnetwork.*.name}',
      '${google_service_account.*.email}',
      '${google_storage_bucket.*.name}',
    ]);
    expect(poolText).not.toMatch(SECRET);
    expect(poolText).not.toMatch(/"provisioner"|"connection"/);
  });

  test('its nodes carry the cluster\'s worker tags, which the cluster\'s rules admit, and its own', () => {
    expect(template.tags).toEqual(['demo-node', 'demo-worker', 'demo-gpu-pool']);
    const health = resources(clusterJson, 'google_compute_firewall').find(([, r]) => r.name === 'demo-worker-health')?.[1];
    expect(health.target_tags).toEqual(['demo-worker']);
    expect(health.allow[0].ports).toEqual([String(KUBE_PROXY_HEALTH_PORT)]);
    const hc = resources(poolJson, 'google_compute_health_check')[0][1];
    expect(hc.http_health_check).toEqual({ port: KUBE_PROXY_HEALTH_PORT, request_path: '/healthz' });
  });

  test('the cluster stored every object a worker fetches, under the prefix only the workers\' account may read', () => {
    const objects = resources(clusterJson, 'google_storage_bucket_object').map(([, o]) => o.name as string);
    for (const file of WORKER_SECRET_FILES) expect(objects).toContain(`${WORKER_SECRETS_PREFIX}${file.object}`);
    const grants = resources(clusterJson, 'google_storage_bucket_iam_member').filter(([, g]) => g.condition.expression.endsWith(`/objects/${WORKER_SECRETS_PREFIX}")`));
    expect(grants.map(([, g]) => g.member)).toEqual([`serviceAccount:\${google_service_account.${cluster.workerReader.serviceAccount.friendlyUniqueId}.email}`]);
  });

  describeWithTerraform('the real Terraform, reading the cluster stack\'s outputs through the pool stack\'s remote state', () => {
    const standIns: Record<string, string> = {
      google_compute_network: 'demo-network',
      google_compute_subnetwork: 'demo-subnetwork',
      google_service_account: 'demo-worker@proof-project.iam.gserviceaccount.com',
      google_storage_bucket: 'demo-secrets-0a1b2c3d',
    };
    let applied: Record<string, string> = {};
    let ignition: Json;
    beforeAll(() => {
      applied = applyAcrossStacks(
        crossStackOutputs.map(([name, o]) => ({ name, value: standIns[/^\$\{([a-z_]+)\./.exec(o.value)?.[1] ?? ''] })),
        poolJson.data.terraform_remote_state,
        {
          user_data: template.metadata['user-data'],
          service_account: template.service_account.email,
          network: template.network_interface[0].network,
          subnetwork: template.network_interface[0].subnetwork,
        },
      );
      ignition = JSON.parse(applied.user_data);
    });

    test('the pool runs as the workers\' account in the cluster\'s network, and fetches from the cluster\'s bucket', () => {
      expect([applied.service_account, applied.network, applied.subnetwork]).toEqual([standIns.google_service_account, 'demo-network', 'demo-subnetwork']);
      expect(fetchUnit(ignition)).toEqual({ bucket: 'demo-secrets-0a1b2c3d', prefix: WORKER_SECRETS_PREFIX, objects: WORKER_SECRET_FILES.map((f) => f.object) });
    });

    validatorTest('its Ignition passes ignition-validate', (binary) => validIgnition(binary, ignition));

    describeIfAvailable('its units under systemd-analyze verify', systemdAnalyzeUnavailable(), () => {
      test('no cycle, no missing dependency, program or directive', () => {
        expect(problemsOf(analyzeIgnition(ignition))).toEqual([]);
      });
    });
  });
});

describe('a pool joining a cluster deployed from elsewhere, by its outputs', () => {
  const reference: KubernetesClusterReference = {
    clusterName: 'yavin',
    region: 'europe-west4',
    networkName: 'yavin-network',
    subnetworkName: 'yavin-subnetwork',
    workerServiceAccountEmail: 'yavin-worker@other-project.iam.gserviceaccount.com',
    secretsBucket: 'yavin-secrets-9f8e7d6c',
  };
  const stack = new TerraformStack(Testing.app(), 'pools');
  new GoogleProvider(stack, 'google', { project: 'other-project' });
  const pool = new KubernetesWorkerPool(stack, 'big', { name: 'yavin-big', machineType: 'n2-standard-8', nodeLabels: ['size=big'], bootDiskSizeGb: 100, cluster: reference });
  const json = JSON.parse(Testing.synth(stack));
  const template = json.resource.google_compute_region_instance_template[pool.template.friendlyUniqueId];
  const ignition = JSON.parse(evaluateTerraformTemplate(template.metadata['user-data'], {}));

  test('the group spreads over the region\'s zones, runs as the given account with the storage read scope only, in the given network', () => {
    expect(json.resource.google_compute_region_instance_group_manager[pool.instanceGroupManager.friendlyUniqueId].distribution_policy_zones).toEqual(['europe-west4-a', 'europe-west4-b', 'europe-west4-c']);
    expect(template.service_account).toEqual({ email: reference.workerServiceAccountEmail, scopes: ['https://www.googleapis.com/auth/devstorage.read_only'] });
    expect(template.network_interface).toEqual([{ network: 'yavin-network', subnetwork: 'yavin-subnetwork' }]);
    expect(template.tags).toEqual(['yavin-node', 'yavin-worker', 'yavin-big-pool']);
  });

  test('its kubelet fetches the CA and the bootstrap kubeconfig from the bucket, and registers its labels', () => {
    expect(fetchUnit(ignition)).toEqual({ bucket: 'yavin-secrets-9f8e7d6c', prefix: WORKER_SECRETS_PREFIX, objects: ['ca.crt', 'bootstrap-kubeconfig'] });
    const kubelet = (ignition.systemd.units as Json[]).find((u) => u.name === 'kubelet.service' && u.contents)?.contents as string;
    expect(kubelet).toContain('--node-labels=node.kubernetes.io/node=,size=big');
    expect(JSON.stringify(json)).not.toMatch(SECRET);
  });

  validatorTest('its Ignition passes ignition-validate', (binary) => validIgnition(binary, ignition));

  test('refuses a cluster name it cannot make tags from', () => {
    const bad = new TerraformStack(Testing.app(), 'bad');
    const name = new TerraformVariable(bad, 'name', { type: 'string' }).stringValue;
    expect(() => new KubernetesWorkerPool(bad, 'p', { name: 'pool', cluster: { ...reference, clusterName: name } })).toThrow(
      /^KubernetesWorkerPool bad\/p: cluster\.clusterName must be a literal string/,
    );
    expect(() => new KubernetesWorkerPool(bad, 'q', { name: 'pool', cluster: { ...reference, clusterName: 'Yavin_1' } })).toThrow(/cluster\.clusterName "Yavin_1" must be 1-\d+ characters/);
  });
});

/**
 * Applies a stand-in of the cluster stack (its cross-stack outputs, as literals) with a local
 * state, then the pool stack's remote state block, unchanged but for the state's path, with one
 * output per expression; returns the outputs as Terraform computed them.
 */
function applyAcrossStacks(outputs: readonly { name: string; value: string }[], remoteState: Json, expressions: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-cross-stack-'));
  try {
    const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'empty.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    writeFileSync(path.join(dir, 'empty.tfrc'), '');
    const run = (cwd: string, ...args: string[]) => execFileSync(TERRAFORM, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const apply = (name: string, config: object): string => {
      const cwd = path.join(dir, name);
      mkdirSync(cwd);
      writeFileSync(path.join(cwd, 'main.tf.json'), JSON.stringify(config));
      run(cwd, 'init', '-input=false', '-no-color');
      run(cwd, 'apply', '-auto-approve', '-input=false', '-no-color', '-lock=false');
      return run(cwd, 'output', '-json', '-no-color');
    };
    apply('cluster', { output: Object.fromEntries(outputs.map((o) => [o.name, { value: o.value, sensitive: true }])) });
    const [[id, block]] = Object.entries(remoteState as Record<string, Json>);
    const data = { terraform_remote_state: { [id]: { ...block, config: { path: path.join(dir, 'cluster', 'terraform.tfstate') } } } };
    const output = Object.fromEntries(Object.entries(expressions).map(([name, value]) => [name, { value, sensitive: true }]));
    const values = JSON.parse(apply('pool', { data, output })) as Record<string, { value: string }>;
    return Object.fromEntries(Object.entries(values).map(([name, o]) => [name, o.value]));
  } catch (error) {
    const failed = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`terraform failed in ${dir}: ${failed.stderr || failed.stdout || failed.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

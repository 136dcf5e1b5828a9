/**
 * The composed KubernetesCluster, read from its synthesized Terraform JSON: no SSH, provisioner or
 * connection anywhere; no private key, token or kubeconfig in any instance's or template's
 * metadata; nothing opened to 0.0.0.0/0 (22 closed); one service account per role reading only
 * its prefixes; every file a node's fetch unit installs exists as an object under a prefix the
 * node may read; and the controllers' and workers' configs, as Terraform would write them, pass
 * the real systemd-analyze and ignition-validate.
 */
import { TerraformStack, Testing } from 'cdktf';
import { GoogleProvider } from '../../constructs/google';
import { KubernetesCluster, type KubernetesClusterProps } from '../../constructs/kubernetes/kubernetes-cluster';
import { runIgnitionValidate } from '../../scripts/conformance';
import { marshalV33, translateToV33 } from '../../transpiler/ign3';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { validatorTest } from '../ign3/ign3-validator';
import { systemdAnalyzeUnavailable } from '../systemd/analyze';
import { describeIfAvailable } from '../systemd/gate';
import { analyzeIgnition, problemsOf } from '../systemd/harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function synth(props: Partial<KubernetesClusterProps> = {}): { cluster: KubernetesCluster; json: Json; text: string } {
  const stack = new TerraformStack(Testing.app(), 'kubernetes');
  new GoogleProvider(stack, 'google', { project: 'proof-project' });
  const cluster = new KubernetesCluster(stack, 'k8s', { clusterName: 'demo', region: 'us-central1', project: 'proof-project', controllerCount: 3, workerCount: 2, ...props });
  const text = Testing.synth(stack, true);
  return { cluster, json: JSON.parse(text), text };
}

const resources = (json: Json, type: string): [string, Json][] => Object.entries(json.resource?.[type] ?? {});
const vms = (json: Json): [string, Json][] => [...resources(json, 'google_compute_instance'), ...resources(json, 'google_compute_region_instance_template')];

/** The fetch unit's `OBJECT PATH MODE OWNER` groups and its prefix, from a node's evaluated Ignition. */
function fetchedObjects(ignition: Json): string[] {
  const unit = (ignition.systemd.units as Json[]).find((u) => u.name === 'fetch-secrets.service')?.contents as string;
  const prefix = /Environment=FETCH_SECRETS_PREFIX=(.*)/.exec(unit)?.[1] ?? '';
  const exec = /^ExecStart=(.*)$/m.exec(unit.replace(/\\\n/g, ' '))?.[1].trim().split(/\s+/) ?? [];
  return exec.slice(1).filter((_, i) => i % 4 === 0).map((object) => `${prefix}${object}`);
}

describe('a KubernetesCluster with 3 controllers and 2 workers', () => {
  const { cluster, json, text } = synth();
  const ignitions = vms(json).map(([id, r]) => ({ id, ignition: JSON.parse(evaluateTerraformTemplate(r.metadata['user-data'], {})) as Json }));

  test('has no provisioner and no connection block, and nothing else that would need SSH', () => {
    expect(text).not.toMatch(/"provisioner"|"connection"|null_resource/);
  });

  test('no instance or template metadata holds or references a key, a token or a kubeconfig', () => {
    for (const [, r] of vms(json)) {
      for (const value of Object.values(r.metadata) as string[]) expect(value).not.toMatch(/private_key_pem|random_password|PRIVATE KEY|%22kind%22%3A%20%22Config%22/);
    }
  });

  test('no firewall rule admits 0.0.0.0/0, and none opens 22', () => {
    for (const [, rule] of resources(json, 'google_compute_firewall')) {
      expect(rule.source_ranges ?? []).not.toContain('0.0.0.0/0');
      for (const allow of rule.allow) expect(allow.ports ?? []).not.toContain('22');
    }
  });

  test('one service account per controller and one for the workers, with the storage read scope only; no project-level role', () => {
    expect(resources(json, 'google_service_account').map(([, a]) => a.account_id).sort()).toEqual(['demo-controller-0', 'demo-controller-1', 'demo-controller-2', 'demo-worker']);
    for (const [, r] of vms(json)) expect(r.service_account.scopes).toEqual(['https://www.googleapis.com/auth/devstorage.read_only']);
    expect(Object.keys(json.resource).filter((type) => type.includes('iam')).sort()).toEqual(['google_storage_bucket_iam_member']);
  });

  test('every file a node fetches is an object under a prefix its account may read', () => {
    const objects = new Set(resources(json, 'google_storage_bucket_object').map(([, o]) => o.name as string));
    const grants = resources(json, 'google_storage_bucket_iam_member').map(([, g]) => ({ member: g.member as string, prefix: /objects\/(.+)"\)$/.exec(g.condition.expression)?.[1] ?? '' }));
    for (const [id, r] of vms(json)) {
      const ignition = ignitions.find((i) => i.id === id)?.ignition;
      const email = `serviceAccount:${r.service_account.email}`;
      const mine = grants.filter((g) => g.member === email).map((g) => g.prefix);
      const fetched = fetchedObjects(ignition);
      expect(fetched.length).toBeGreaterThan(0);
      expect(fetched.filter((object) => !objects.has(object))).toEqual([]);
      expect(fetched.filter((object) => !mine.some((prefix) => object.startsWith(prefix)))).toEqual([]);
    }
  });

  test('renewed certificates reach running nodes: controllers restart etcd and the kubelet and recreate their static pods, workers restart the kubelet', () => {
    const refreshOf = (ignition: Json) => {
      const unit = (ignition.systemd.units as Json[]).find((u) => u.name === 'fetch-secrets-refresh.service')?.contents as string;
      const files = (ignition.storage.files as Json[]).map((f) => f.path as string);
      return { restart: /FETCH_SECRETS_RESTART=([^"]*)"/.exec(unit)?.[1], command: /FETCH_SECRETS_ON_CHANGE=(.*)/.exec(unit)?.[1], commandShipped: files };
    };
    const controller = refreshOf(ignitions.find((i) => i.id.includes('controllers_member-0'))?.ignition);
    const worker = refreshOf(ignitions.find((i) => !i.id.includes('controllers_member'))?.ignition);
    expect([controller.restart, controller.command]).toEqual(['etcd-member.service kubelet.service', '/opt/bin/restart-control-plane']);
    expect(controller.commandShipped).toContain('/opt/bin/restart-control-plane');
    expect([worker.restart, worker.command]).toEqual(['kubelet.service', '']);
  });

  test('controllers sit behind the internal load balancer, one instance group per zone', () => {
    expect(resources(json, 'google_compute_instance_group')).toHaveLength(3);
    expect(resources(json, 'google_compute_forwarding_rule').map(([, f]) => [f.load_balancing_scheme, f.ports])).toEqual([['INTERNAL', ['6443']]]);
    expect(cluster.apiEndpoint).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}:6443$/);
  });

  test('two synths are byte-identical', () => {
    expect(synth().text).toBe(text);
  });

  describeIfAvailable('the nodes\' units under systemd-analyze verify', systemdAnalyzeUnavailable(), () => {
    test('a controller and a worker: no cycle, no missing dependency, program or directive', () => {
      const controller = ignitions.find((i) => i.id.includes('controllers_member-0'))?.ignition;
      const worker = ignitions.find((i) => !i.id.includes('controllers_member'))?.ignition;
      expect(problemsOf(analyzeIgnition(controller))).toEqual([]);
      expect(problemsOf(analyzeIgnition(worker))).toEqual([]);
    });
  });

  validatorTest('a controller\'s and a worker\'s Ignition pass ignition-validate', (binary) => {
    for (const { ignition } of [ignitions[0], ignitions[ignitions.length - 1]]) {
      const json33 = marshalV33(translateToV33(JSON.stringify(ignition)).config, false);
      expect(runIgnitionValidate(binary, Buffer.from(json33))).toEqual({ exitCode: 0, output: '' });
    }
  });
});

test('refuses a controller count without a majority', () => {
  expect(() => synth({ controllerCount: 2 })).toThrow(/controllerCount must be 1, 3 or 5, so that etcd keeps a majority \(got 2\)/);
});

describe('addWorkerPool', () => {
  const stack = new TerraformStack(Testing.app(), 'pools');
  new GoogleProvider(stack, 'google', { project: 'proof-project' });
  const cluster = new KubernetesCluster(stack, 'k8s', { clusterName: 'demo', region: 'us-central1', project: 'proof-project' });
  const gpu = cluster.addWorkerPool('gpu', {
    name: 'demo-gpu',
    size: 2,
    machineType: 'g2-standard-8',
    spot: true,
    accelerators: [{ type: 'nvidia-l4', count: 1 }],
    nodeLabels: ['gpu=true'],
    nodeTaints: ['gpu=true:NoSchedule'],
  });
  const json = JSON.parse(Testing.synth(stack, true));
  const template = json.resource.google_compute_region_instance_template[gpu.template.friendlyUniqueId];
  const defaultTemplate = json.resource.google_compute_region_instance_template[cluster.workers.template.friendlyUniqueId];

  test('a GPU pool: accelerators, Spot that stops, no live migration, its own tag', () => {
    expect(template.guest_accelerator).toEqual([{ type: 'nvidia-l4', count: 1 }]);
    expect(template.scheduling).toEqual({ provisioning_model: 'SPOT', preemptible: true, automatic_restart: false, instance_termination_action: 'STOP', on_host_maintenance: 'TERMINATE' });
    expect(template.tags).toEqual(['demo-node', 'demo-worker', 'demo-gpu-pool']);
    expect(cluster.workerPools.map((p) => p.name)).toEqual(['demo-workers', 'demo-gpu']);
  });

  test('its kubelet registers the labels and the taint; it shares the workers\' account, objects and grant', () => {
    const ignition = JSON.parse(evaluateTerraformTemplate(template.metadata['user-data'], {}));
    const kubelet = (ignition.systemd.units as Json[]).find((u) => u.name === 'kubelet.service' && u.contents)?.contents as string;
    expect(kubelet).toContain('--node-labels=node.kubernetes.io/node=,gpu=true');
    expect(kubelet).toContain('--register-with-taints=gpu=true:NoSchedule');
    expect(template.service_account).toEqual(defaultTemplate.service_account);
    expect(template.depends_on).toEqual(defaultTemplate.depends_on);
    expect(Object.keys(json.resource.google_service_account)).toHaveLength(2);
  });

  test('refuses what Compute Engine would', () => {
    expect(() => cluster.addWorkerPool('bad', { name: 'demo-bad', accelerators: [{ type: 'NVIDIA L4', count: 0 }] })).toThrow(
      /accelerators\[0\]\.type "NVIDIA L4" is not an accelerator type such as "nvidia-l4".*accelerators\[0\]\.count must be a whole number, at least 1 \(got 0\)/,
    );
  });
});

test('components leave out exactly their add-on from what the controllers apply', () => {
  const objectNames = (props: Partial<KubernetesClusterProps>) =>
    Object.values(synth(props).json.resource.google_storage_bucket_object as Record<string, Json>)
      .map((o) => o.name as string)
      .filter((name) => name.includes('/bootstrap/0'));
  const all = objectNames({});
  const withoutDns = objectNames({ components: { coredns: false } });
  expect(all.some((n) => n.includes('coredns'))).toBe(true);
  expect(withoutDns.some((n) => n.includes('coredns'))).toBe(false);
  expect(withoutDns.length).toBeLessThan(all.length);
  expect(() => synth({ components: { kubeProxy: true } })).toThrow(/kube-proxy/);
});

import 'cdktf/lib/testing/adapters/jest'; // the matchers' types
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { transpile } from '../transpiler';
import { ComputeInstance, GoogleProvider } from '../constructs/google';
import { addStacks, ClusterStack, CoreOSStack, KubernetesStack, projectRoot } from '../main';
import { evaluateTerraformTemplate } from './constructs/evaluate-terraform-template';

// cdktf's matchers (toHaveResourceWithProperties, ...), registered only where they are used: loading
// cdktf in every suite's setup cost about half a second of CPU per suite.
Testing.setupJest();

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlyAnExampleKeyForTests adrian@example';

function synthDefaultApp(): string {
  return Testing.synth(new CoreOSStack(Testing.app(), 'coreos'), true);
}

describe('the default app', () => {
  const synthesized = synthDefaultApp();
  const terraform = JSON.parse(synthesized);
  const instance = Object.values(terraform.resource.google_compute_instance)[0] as Record<string, never>;

  test('configures the Google provider from Terraform variables only', () => {
    expect(synthesized).toHaveProviderWithProperties(GoogleProvider, { project: '${var.project}', region: '${var.region}' });
    expect(terraform.provider.google[0]).not.toHaveProperty('credentials');
    expect(terraform.variable.project).toEqual(expect.objectContaining({ type: 'string' }));
    expect(terraform.variable.project).not.toHaveProperty('default');
    expect(terraform.variable.region).toEqual(expect.objectContaining({ type: 'string', default: 'us-central1' }));
  });

  test('takes the SSH key from a variable with no default', () => {
    expect(terraform.variable.ssh_public_key).toEqual(expect.objectContaining({ type: 'string' }));
    expect(terraform.variable.ssh_public_key).not.toHaveProperty('default');
    expect(synthesized).not.toMatch(/ssh-(ed25519|rsa|dss) AAAA/);
  });

  test('reproduces the original instance', () => {
    expect(Object.keys(terraform.resource.google_compute_instance)).toEqual([expect.stringMatching(/^us-central1-c--f1-micro_[0-9A-F]{8}$/)]);
    expect(synthesized).toHaveResourceWithProperties(ComputeInstance, {
      name: 'us-central1-c--f1-micro',
      machine_type: 'f1-micro',
      zone: 'us-central1-c',
      boot_disk: { initialize_params: { image: 'coreos-stable' } },
      network_interface: [{ network: 'default', access_config: [{}] }],
    });
  });

  test('outputs the instance name and external IP', () => {
    const address = `google_compute_instance.${Object.keys(terraform.resource.google_compute_instance)[0]}`;
    expect(terraform.output.instance_name.value).toBe('us-central1-c--f1-micro');
    expect(terraform.output.external_ip.value).toBe(`\${${address}.network_interface[0].access_config[0].nat_ip}`);
  });

  test('user-data is exactly ct output for configs/core.yaml with the key filled in by Terraform', () => {
    const userData: string = (instance.metadata as Record<string, string>)['user-data'];
    expect(userData).toContain('jsonencode(var.ssh_public_key)');

    const applied = evaluateTerraformTemplate(userData, { ssh_public_key: EXAMPLE_KEY });
    const configWithKeyInline = readFileSync(path.join(ROOT, 'configs', 'core.yaml'), 'utf8').replaceAll('{{ ssh_public_key }}', EXAMPLE_KEY);
    expect(applied).toBe(transpile(configWithKeyInline, { platform: 'gce' }).json);
    expect(JSON.parse(applied).passwd.users).toEqual([
      expect.objectContaining({ name: 'adrian', groups: ['sudo', 'docker'], sshAuthorizedKeys: [EXAMPLE_KEY] }),
    ]);
  });

  test('synthesizes the same JSON twice', () => {
    expect(synthDefaultApp()).toBe(synthesized);
  });

  test('two App synths into two directories write byte-identical stacks', () => {
    const synthInto = (): Map<string, Buffer> => {
      const outdir = mkdtempSync(path.join(tmpdir(), 'coreos-synth-'));
      try {
        const app = new App({ outdir, stackTraces: false });
        new CoreOSStack(app, 'coreos');
        app.synth();
        // cdk.tf.json names its outdir in the local backend's path; compare with that swapped out.
        return new Map(filesBelow(outdir).map((file) => [file, Buffer.from(readFileSync(path.join(outdir, file), 'utf8').replaceAll(outdir, '<outdir>'))]));
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    };
    const first = synthInto();
    const second = synthInto();
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(first.has(path.join('stacks', 'coreos', 'cdk.tf.json'))).toBe(true);
    for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file) as Buffer) }).toEqual({ file, same: true });
  });
});

function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix))
    .sort()
    .flatMap((name) => (statSync(path.join(dir, prefix, name)).isDirectory() ? filesBelow(dir, path.join(prefix, name)) : [path.join(prefix, name)]));
}

describe('projectRoot', () => {
  test('finds cdktf.json from the source tree and from dist/', () => {
    expect(projectRoot(ROOT)).toBe(ROOT);
    expect(projectRoot(path.join(ROOT, 'dist'))).toBe(ROOT);
    expect(projectRoot(path.join(ROOT, 'dist', 'constructs'))).toBe(ROOT);
  });

  test('says where it looked when there is no cdktf.json', () => {
    expect(() => projectRoot('/')).toThrow('no cdktf.json in / or above');
  });
});

describe('the cluster stack', () => {
  const synthesized = Testing.synth(new ClusterStack(Testing.app(), 'cluster'), true);
  const terraform = JSON.parse(synthesized);
  const members = Object.values(terraform.resource.google_compute_instance) as Record<string, never>[];

  test('takes the project and the SSH key from variables, the region is us-central1', () => {
    expect(synthesized).toHaveProviderWithProperties(GoogleProvider, { project: '${var.project}', region: 'us-central1' });
    expect(Object.keys(terraform.variable).sort()).toEqual(['project', 'ssh_public_key']);
    expect(synthesized).not.toMatch(/ssh-(ed25519|rsa|dss) AAAA/);
  });

  test('builds three etcd members and a regional pool of three workers', () => {
    expect(members.map((m) => [m.name, m.zone])).toEqual([
      ['demo-etcd-0', 'us-central1-a'],
      ['demo-etcd-1', 'us-central1-b'],
      ['demo-etcd-2', 'us-central1-c'],
    ]);
    const groups = Object.values(terraform.resource.google_compute_region_instance_group_manager) as Record<string, unknown>[];
    expect(groups).toEqual([expect.objectContaining({ name: 'demo-workers', target_size: 3 })]);
  });

  test('outputs member names, internal IPs, DNS names, client endpoints, the secrets bucket, the CA certificate and the worker group', () => {
    const addresses = Object.keys(terraform.resource.google_compute_instance).map((id) => `google_compute_instance.${id}`);
    expect(terraform.output.etcd_member_names.value).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    expect(terraform.output.etcd_internal_ips.value).toEqual(addresses.map((a) => `\${${a}.network_interface[0].network_ip}`));
    expect(terraform.output.etcd_dns_names.value).toEqual([
      'demo-etcd-0.us-central1-a.c.${var.project}.internal',
      'demo-etcd-1.us-central1-b.c.${var.project}.internal',
      'demo-etcd-2.us-central1-c.c.${var.project}.internal',
    ]);
    expect(terraform.output.etcd_client_endpoints.value).toBe(
      '${join(",", ["https://demo-etcd-0.us-central1-a.c.${var.project}.internal:2379", "https://demo-etcd-1.us-central1-b.c.${var.project}.internal:2379", "https://demo-etcd-2.us-central1-c.c.${var.project}.internal:2379"])}',
    );
    const [bucketId] = Object.keys(terraform.resource.google_storage_bucket);
    expect(terraform.output.secrets_bucket.value).toBe(`\${google_storage_bucket.${bucketId}.name}`);
    // The CA's certificate only: public, for clients; its key stays in Terraform state.
    const [caId] = Object.keys(terraform.resource.tls_self_signed_cert);
    expect(terraform.output.etcd_ca_certificate.value).toBe(`\${tls_self_signed_cert.${caId}.cert_pem}`);
    expect(JSON.stringify(terraform.output)).not.toContain('private_key');
    expect(terraform.output.worker_instance_group.value).toMatch(/^\$\{google_compute_region_instance_group_manager\.cluster_workers_[0-9A-F]{8}\.instance_group\}$/);
  });

  test('with a literal project, each member\'s user-data holds the key and its etcd bootstrap over mutual TLS', () => {
    const stack = new ClusterStack(Testing.app(), 'cluster', { project: 'my-project' });
    const configs = stack.cluster.etcd.memberConfigs();
    const literal = JSON.parse(Testing.synth(stack));
    const instances = Object.values(literal.resource.google_compute_instance) as { name: string; metadata: Record<string, string> }[];
    instances.forEach((instance, i) => {
      const ignition = JSON.parse(evaluateTerraformTemplate(instance.metadata['user-data'], { ssh_public_key: EXAMPLE_KEY }));
      expect(ignition.passwd.users).toEqual([expect.objectContaining({ name: 'core', sshAuthorizedKeys: [EXAMPLE_KEY] })]);
      expect(configs[i].etcdArgs).toContain(`--name=${instance.name}`);
      expect(configs[i].etcdArgs).toContain(
        '--initial-cluster=demo-etcd-0=https://demo-etcd-0.us-central1-a.c.my-project.internal:2380,demo-etcd-1=https://demo-etcd-1.us-central1-b.c.my-project.internal:2380,demo-etcd-2=https://demo-etcd-2.us-central1-c.c.my-project.internal:2380',
      );
      expect(configs[i].etcdArgs).toEqual(expect.arrayContaining(['--client-cert-auth=true', '--peer-client-cert-auth=true']));
      // The key is fetched at boot from the cluster's bucket, so the member's unit for it is there.
      expect(ignition.systemd.units.map((u: { name: string }) => u.name)).toContain('fetch-secrets.service');
    });
  });

  test('the default app is secure by default: its own CA, keys delivered from a bucket, each node with its own account', () => {
    // The PKI and the bucket's name need the tls and random providers, pinned like the Google one.
    expect(terraform.terraform.required_providers).toEqual({
      google: expect.objectContaining({ source: 'google' }),
      tls: { source: 'hashicorp/tls', version: expect.any(String) },
      random: { source: 'hashicorp/random', version: expect.any(String) },
    });
    expect(Object.keys(terraform.resource.tls_self_signed_cert)).toHaveLength(1);
    expect(Object.keys(terraform.resource.google_storage_bucket)).toHaveLength(1);
    const accounts = Object.values(terraform.resource.google_service_account) as { account_id: string }[];
    expect(accounts.map((a) => a.account_id)).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2', 'demo-worker']);
    for (const member of members) expect((member.service_account as { scopes: string[] }).scopes).toEqual(['https://www.googleapis.com/auth/devstorage.read_only']);
  });
});

describe('the kubernetes stack', () => {
  const stack = new KubernetesStack(Testing.app(), 'kubernetes', { project: 'proof-project' });
  const json = JSON.parse(Testing.synth(stack));

  test('outputs the admin and bootstrap kubeconfigs as sensitive, the API endpoint, the network, the worker group, and what a pool defined elsewhere needs', () => {
    expect(Object.keys(json.output).sort()).toEqual([
      'api_endpoint',
      'kubeconfig_admin',
      'kubeconfig_bootstrap',
      'network_name',
      'network_self_link',
      'secrets_bucket',
      'subnetwork_name',
      'worker_instance_group',
      'worker_service_account',
    ]);
    expect(Object.entries(json.output).filter(([, o]) => (o as { sensitive?: boolean }).sensitive).map(([name]) => name).sort()).toEqual(['kubeconfig_admin', 'kubeconfig_bootstrap']);
    expect(json.output.worker_service_account.value).toMatch(/^\$\{google_service_account\.[A-Za-z0-9_-]+\.email\}$/);
    expect(json.output.secrets_bucket.value).toMatch(/^\$\{google_storage_bucket\.[A-Za-z0-9_-]+\.name\}$/);
    expect(json.output.api_endpoint.value).toMatch(/^https:\/\/\$\{google_compute_address\.[A-Za-z0-9_-]+\.address\}:6443$/);
  });

  test('one controller and one worker, as Typhoon\'s defaults; no SSH rule', () => {
    expect(Object.values(json.resource.google_compute_instance).map((i: any) => i.name)).toEqual(['yavin-controller-0']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.values(json.resource.google_compute_region_instance_group_manager).map((g: any) => g.target_size)).toEqual([1]); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.values(json.resource.google_compute_firewall).map((r: any) => r.name)).not.toContain('yavin-ssh'); // eslint-disable-line @typescript-eslint/no-explicit-any
  });
});

describe('the app', () => {
  test('synthesizes both stacks with one warning only, the retired image, naming the fix', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'coreos-app-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      addStacks(app, {});
      app.synth();
      const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      const annotations = (stack: string): { level: string; message: string }[] => manifest.stacks[stack].annotations;
      expect(Object.keys(manifest.stacks).sort()).toEqual(['cluster', 'coreos', 'kubernetes']);
      // the product's original image is retired: the warning says what to use instead
      expect(annotations('coreos')).toEqual([{ constructPath: 'coreos/us-central1-c--f1-micro', level: '@cdktf/warn', message: expect.stringContaining("image: Image.flatcar('stable')") }]);
      expect(annotations('cluster')).toEqual([]);
      expect(annotations('kubernetes')).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('refuses, at plan, a project that is not a project id (the etcd options quote it)', () => {
    for (const stack of addStacks(Testing.app(), {})) {
      const variable = JSON.parse(Testing.synth(stack)).variable.project;
      expect(variable.validation).toEqual([
        { condition: '${can(regex("^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.project))}', error_message: expect.stringContaining('Google Cloud project ID') },
      ]);
    }
  });

  function synthApp(env: NodeJS.ProcessEnv): Map<string, string> {
    const outdir = mkdtempSync(path.join(tmpdir(), 'coreos-app-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      addStacks(app, env);
      app.synth();
      return new Map(['coreos', 'cluster', 'kubernetes'].map((stack) => [stack, readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')]));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('synthesizes both stacks with local state by default, and GCS state when TF_STATE_BUCKET is set', () => {
    const local = synthApp({});
    expect([...local.keys()]).toEqual(['coreos', 'cluster', 'kubernetes']);
    for (const json of local.values()) expect(Object.keys(JSON.parse(json).terraform.backend)).toEqual(['local']);
    const gcs = synthApp({ TF_STATE_BUCKET: 'my-state' });
    expect(JSON.parse(gcs.get('coreos') as string).terraform.backend).toEqual({ gcs: { bucket: 'my-state', prefix: 'cdktf-coreos/coreos' } });
    expect(JSON.parse(gcs.get('cluster') as string).terraform.backend).toEqual({ gcs: { bucket: 'my-state', prefix: 'cdktf-coreos/cluster' } });
  });
});

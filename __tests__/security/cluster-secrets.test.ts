/**
 * The secure defaults of issue 15, read from the synthesized Terraform JSON of the default app's
 * `cluster` stack: TLS etcd, a bucket with uniform access and public access prevention, one
 * service account per role that may read only its prefix, nothing secret in any metadata, and
 * firewall rules scoped to the roles that hold certificates. Also the opt-in USER_DATA delivery and
 * the refusals that keep the two from mixing.
 */
import { App, Testing, TerraformStack } from 'cdktf';
import { ClusterStack } from '../../main';
import { EtcdCluster, SecretDelivery } from '../../constructs/etcd-cluster';
import { ContainerLinuxCluster } from '../../constructs/container-linux-cluster';
import { ClusterSecretStore, SECRET_READER_ROLE, serviceAccountId, STORAGE_READ_SCOPE } from '../../constructs/secret-store';
import { GoogleProvider } from '../../constructs/google';
import { FETCH_SECRETS_UNIT } from '../../constructs/secret-fetch';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const REGION = 'us-central1';

function synthCluster(): { stack: ClusterStack; json: Json } {
  const stack = new ClusterStack(Testing.app(), 'cluster', { project: 'proof-project' });
  return { stack, json: JSON.parse(Testing.synth(stack, true)) };
}

function resources(json: Json, type: string): [string, Json][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** `${TYPE.ID.ATTR}` → [TYPE, ID, ATTR]. */
function reference(text: string): [string, string, string] {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(text);
  if (!m) throw new Error(`not a single reference: ${text}`);
  return [m[1], m[2], m[3]];
}

/** Every metadata value of every VM and template, as text. */
function allMetadata(json: Json): string[] {
  return [...resources(json, 'google_compute_instance'), ...resources(json, 'google_compute_region_instance_template')].flatMap(([, r]) => Object.values(r.metadata ?? {}) as string[]);
}

describe('the default cluster stack', () => {
  const { stack, json } = synthCluster();
  const members = stack.cluster.etcd.members;

  test('has one bucket: uniform bucket-level access, public access prevention enforced, versioning, old versions deleted after 7 days', () => {
    const buckets = resources(json, 'google_storage_bucket');
    expect(buckets).toHaveLength(1);
    const [, bucket] = buckets[0];
    expect(bucket).toMatchObject({
      location: REGION,
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: true },
      force_destroy: true,
      lifecycle_rule: [{ action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 7, with_state: 'ARCHIVED' } }],
    });
    // A random suffix: bucket names are global, and a guessable one can be taken first.
    const [type, id, attribute] = reference(bucket.name);
    expect([type, attribute]).toEqual(['random_id', 'hex']);
    expect(json.resource.random_id[id]).toEqual({ byte_length: 4, prefix: 'demo-secrets-' });
  });

  test('gives each etcd member and the workers a service account of their own, with read access to their prefix only', () => {
    const accounts = resources(json, 'google_service_account').map(([, a]) => a.account_id).sort();
    expect(accounts).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2', 'demo-worker']);
    const grants = resources(json, 'google_storage_bucket_iam_member').map(([, g]) => g);
    expect(grants).toHaveLength(4);
    const bucketName = `google_storage_bucket.${resources(json, 'google_storage_bucket')[0][0]}.name`;
    const prefixes = grants.map((g) => {
      expect(g.role).toBe(SECRET_READER_ROLE);
      expect(g.bucket).toBe(`\${google_storage_bucket.${resources(json, 'google_storage_bucket')[0][0]}.name}`);
      expect(g.member).toMatch(/^serviceAccount:\$\{google_service_account\.[A-Za-z0-9_-]+\.email\}$/);
      const m = /^resource\.name\.startsWith\("projects\/_\/buckets\/\$\{(.+)\}\/objects\/(.+)"\)$/.exec(g.condition.expression);
      expect(m?.[1]).toBe(bucketName);
      return m?.[2];
    });
    expect(prefixes.sort()).toEqual(['etcd/demo-etcd-0/', 'etcd/demo-etcd-1/', 'etcd/demo-etcd-2/', 'worker/']);
    // No grant on the project, no other IAM resource.
    expect(Object.keys(json.resource).filter((type) => type.includes('iam')).sort()).toEqual(['google_storage_bucket_iam_member']);
  });

  test('each member runs as its own account with the storage read scope only, after its grant and objects exist', () => {
    const grants = Object.fromEntries(resources(json, 'google_storage_bucket_iam_member').map(([id, g]) => [g.condition.expression.match(/objects\/(.+)"\)$/)[1], { id, g }]));
    for (const member of members) {
      const instance = json.resource.google_compute_instance[member.instance.instance.friendlyUniqueId];
      const { id, g } = grants[`etcd/${member.name}/`];
      expect(instance.service_account).toEqual({ email: g.member.replace('serviceAccount:', ''), scopes: [STORAGE_READ_SCOPE] });
      const objects = resources(json, 'google_storage_bucket_object').filter(([, o]) => o.name.startsWith(`etcd/${member.name}/`));
      expect(objects.map(([, o]) => o.name.slice(`etcd/${member.name}/`.length)).sort()).toEqual(['ca.pem', 'server-key.pem', 'server.pem']);
      expect([...instance.depends_on].sort()).toEqual([`google_storage_bucket_iam_member.${id}`, ...objects.map(([oid]) => `google_storage_bucket_object.${oid}`)].sort());
    }
    const [, template] = resources(json, 'google_compute_region_instance_template')[0];
    const workerGrant = grants['worker/'];
    expect(template.service_account).toEqual({ email: workerGrant.g.member.replace('serviceAccount:', ''), scopes: [STORAGE_READ_SCOPE] });
    expect(template.depends_on).toContain(`google_storage_bucket_iam_member.${workerGrant.id}`);
  });

  test('the objects hold each member\'s own key and certificate, and the workers\' client key (role flannel)', () => {
    const objects = Object.fromEntries(resources(json, 'google_storage_bucket_object').map(([, o]) => [o.name, o.content]));
    const keyOf = (name: string) => `\${tls_private_key.${name}.private_key_pem}`;
    const pki = stack.cluster.etcd.pki;
    for (const member of members) {
      const certificate = pki.member(member.name);
      expect(objects[`etcd/${member.name}/server-key.pem`]).toBe(keyOf(certificate.key.friendlyUniqueId));
      expect(objects[`etcd/${member.name}/server.pem`]).toBe(`\${tls_locally_signed_cert.${certificate.certificate.friendlyUniqueId}.cert_pem}`);
      expect(objects[`etcd/${member.name}/ca.pem`]).toBe(`\${tls_self_signed_cert.${pki.caCertificate.friendlyUniqueId}.cert_pem}`);
    }
    expect(objects['worker/client-key.pem']).toBe(keyOf(pki.client('flannel').key.friendlyUniqueId));
    expect(Object.keys(objects)).toHaveLength(3 * 3 + 3);
    // The CA's key goes nowhere but the state.
    expect(Object.values(objects)).not.toContain(keyOf(pki.caKey.friendlyUniqueId));
  });

  test('no private key, and no reference to one, in any instance\'s or template\'s metadata', () => {
    const metadata = allMetadata(json);
    expect(metadata.length).toBeGreaterThanOrEqual(4);
    for (const value of metadata) {
      expect(value).not.toMatch(/private_key_pem|PRIVATE KEY|tls_private_key/);
      expect(value).toContain(FETCH_SECRETS_UNIT);
    }
  });

  test('etcd listens and advertises https only, demands client certificates on both ports; the endpoints output is https', () => {
    for (const member of stack.cluster.etcd.memberConfigs()) {
      const args = member.etcdArgs.join(' ');
      expect(args).toContain('--client-cert-auth');
      expect(args).toContain('--peer-client-cert-auth');
      expect(args).not.toMatch(/--(listen-peer|listen-client|advertise-client|initial-advertise-peer)-urls=http:/);
      expect(args).not.toContain('--enable-v2');
    }
    expect(json.output.etcd_client_endpoints.value).toMatch(/^\$\{join\(",", \["https:\/\/demo-etcd-0\./);
  });

  test('firewall: 2380 between members, 2379 from members and workers only, nothing internal from 0.0.0.0/0, SSH from IAP only', () => {
    const rules = Object.fromEntries(resources(json, 'google_compute_firewall').map(([, r]) => [r.name, r]));
    expect(rules['demo-etcd-peer']).toMatchObject({ allow: [{ protocol: 'tcp', ports: ['2380'] }], source_tags: ['demo-etcd'], target_tags: ['demo-etcd'] });
    expect(rules['demo-etcd-client']).toMatchObject({ allow: [{ protocol: 'tcp', ports: ['2379'] }], source_tags: ['demo-etcd', 'demo-worker'], target_tags: ['demo-etcd'] });
    expect(rules['demo-ssh']).toMatchObject({ source_ranges: ['35.235.240.0/20'] });
    for (const rule of Object.values(rules) as Json[]) expect(rule.source_ranges ?? []).not.toContain('0.0.0.0/0');
  });

  test('synthesizes twice to the same bytes', () => {
    expect(JSON.stringify(synthCluster().json)).toBe(JSON.stringify(json));
  });
});

describe('SecretDelivery.USER_DATA, the opt-in for projects without buckets', () => {
  function build(delivery: SecretDelivery): { app: App; stack: TerraformStack; cluster: ContainerLinuxCluster; json: Json } {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'user-data');
    new GoogleProvider(stack, 'google', { project: 'proof-project' });
    const cluster = new ContainerLinuxCluster(stack, 'cluster', { clusterName: 'demo', region: REGION, project: 'proof-project', secretDelivery: delivery, workerCount: 1, etcdSize: 1 });
    return { app, stack, cluster, json: JSON.parse(Testing.synth(stack, true)) };
  }

  test('puts the keys inline, makes no bucket and no service account, and warns what that exposes', () => {
    const { stack, json } = build(SecretDelivery.USER_DATA);
    expect(json.resource.google_storage_bucket).toBeUndefined();
    expect(json.resource.google_service_account).toBeUndefined();
    expect(json.resource.random_id).toBeUndefined();
    const metadata = allMetadata(json);
    for (const value of metadata) {
      expect(value).toContain('private_key_pem');
      expect(value).not.toContain(FETCH_SECRETS_UNIT);
    }
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) expect(warning).toMatch(/^secretDelivery USER_DATA puts the (etcd members' private keys|workers' etcd client key) in the instances' user-data: anyone who may read the instances .*compute\.instances\.get.* metadata server/);
  });

  test('the default warns about nothing', () => {
    const { stack } = build(SecretDelivery.CLOUD_STORAGE);
    expect(stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn'))).toEqual([]);
  });
});

describe('refusals', () => {
  const base = { clusterName: 'demo', region: REGION, project: 'proof-project', size: 1 };
  const stack = () => new TerraformStack(Testing.app(), 's');

  test('a service account of the user\'s with the bucket: each member needs its own, which may read its key only', () => {
    expect(() => new EtcdCluster(stack(), 'etcd', { ...base, serviceAccountEmail: 'me@proof-project.iam.gserviceaccount.com' })).toThrow(
      /serviceAccountEmail: with SecretDelivery.CLOUD_STORAGE each member runs as a service account EtcdCluster makes.*SecretDelivery.USER_DATA to bring your own/,
    );
    expect(() => new EtcdCluster(stack(), 'etcd', { ...base, serviceAccountEmail: 'me@proof-project.iam.gserviceaccount.com', secretDelivery: SecretDelivery.USER_DATA })).not.toThrow();
  });

  test('a pool with its own service account in a cluster that delivers from the bucket', () => {
    const s = stack();
    const cluster = new ContainerLinuxCluster(s, 'cluster', { clusterName: 'demo', region: REGION, project: 'proof-project', workerCount: 0, etcdSize: 1 });
    expect(() => cluster.addWorkerPool('gpu', { name: 'demo-gpu', serviceAccountEmail: 'me@proof-project.iam.gserviceaccount.com' })).toThrow(/pool gpu: serviceAccountEmail: .*workerServiceAccountEmail/);
  });

  test('TLS options in etcdOptions: EtcdCluster sets them', () => {
    expect(() => new EtcdCluster(stack(), 'etcd', { ...base, etcdOptions: { cert_file: '/x.pem', client_cert_auth: false } })).toThrow(
      /etcdOptions.cert_file is set by EtcdCluster \(mutual TLS with the cluster's PKI\).*etcdOptions.client_cert_auth is set by EtcdCluster/,
    );
  });

  test('a secret store with USER_DATA, and a delivery that does not exist', () => {
    const s = stack();
    const store = new ClusterSecretStore(s, 'store', { clusterName: 'demo', location: REGION });
    expect(() => new EtcdCluster(s, 'etcd', { ...base, secretStore: store, secretDelivery: SecretDelivery.USER_DATA })).toThrow(/secretStore is for SecretDelivery.CLOUD_STORAGE/);
    expect(() => new EtcdCluster(stack(), 'etcd', { ...base, secretDelivery: 'ssh' as SecretDelivery })).toThrow(/secretDelivery must be SecretDelivery.CLOUD_STORAGE or SecretDelivery.USER_DATA \(got "ssh"\)/);
  });

  test('the store refuses overlapping prefixes, an object twice, and a retention that is no whole number of days', () => {
    const s = stack();
    const store = new ClusterSecretStore(s, 'store', { clusterName: 'demo', location: REGION });
    store.addReader('a', { accountId: 'demo-a-reader', prefix: 'etcd/', description: 'a' });
    expect(() => store.addReader('b', { accountId: 'demo-b-reader', prefix: 'etcd/demo-etcd-0/', description: 'b' })).toThrow(/prefix "etcd\/demo-etcd-0\/" overlaps "etcd\/"/);
    expect(() => store.addReader('c', { accountId: 'x', prefix: 'other', description: 'c' })).toThrow(/service account id "x" must be 6-30.*prefix "other" must be segments/);
    store.addSecret('one', 'etcd/ca.pem', 'pem');
    expect(() => store.addSecret('two', 'etcd/ca.pem', 'pem')).toThrow(/object "etcd\/ca.pem" is added twice/);
    expect(() => new ClusterSecretStore(stack(), 'store', { clusterName: 'demo', location: REGION, noncurrentVersionDays: 0.5 })).toThrow(/noncurrentVersionDays must be a whole number of days, at least 1 \(got 0.5\)/);
  });
});

describe('service account ids', () => {
  const VALID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

  test('are `<cluster>-<role>` when that fits, and stay valid and distinct for the longest cluster names', () => {
    expect(serviceAccountId('demo', 'etcd-0')).toBe('demo-etcd-0');
    expect(serviceAccountId('a', 'etcd-0')).toBe('a-etcd-0');
    const long = ['a'.repeat(30), `${'a'.repeat(29)}b`, `${'a'.repeat(25)}-${'b'.repeat(4)}`];
    for (const role of ['etcd-0', 'etcd-8', 'worker']) {
      const ids = long.map((name) => serviceAccountId(name, role));
      for (const id of ids) {
        expect(id).toMatch(VALID);
        expect(id.endsWith(`-${role}`)).toBe(true);
      }
      expect(new Set(ids).size).toBe(ids.length);
    }
    for (let n = 1; n <= 30; n++) expect(serviceAccountId('c'.repeat(n), 'worker')).toMatch(VALID);
  });
});

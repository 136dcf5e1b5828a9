/**
 * Real Terraform (offline, no providers) computes the user-data of an etcd member and of a worker
 * of the default app's cluster (ClusterStack, project `proof-project`), with stand-ins for the
 * values known only at apply (the secret bucket's name; with SecretDelivery.USER_DATA the tls
 * provider's certificates and keys), and must give exactly what our evaluator
 * (evaluate-terraform-template.ts, which the other cluster suites trust) gives for the same values:
 * the bucket name lands in fetch-secrets.service, the `${...}` of the shell script survive as
 * written, and the PEMs decode byte for byte from their data URLs.
 */
import { Testing } from 'cdktf';
import { ContainerLinuxCluster } from '../../constructs/container-linux-cluster';
import { SecretDelivery } from '../../constructs/etcd-tls';
import { FETCH_SECRETS_SCRIPT, FETCH_SECRETS_SH, FETCH_SECRETS_UNIT } from '../../constructs/secret-fetch';
import { ClusterStack } from '../../main';
import { decodeDataUrl } from '../../transpiler/go/dataurl';
import { newStack, resourcesOf, synthJson, type Json } from '../cluster/cluster-helpers';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { applyWithTerraform, describeWithTerraform, resourceReferences, type LiftedCase } from './terraform-harness';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProofKey core@laptop';
// Not the evaluator's default stand-in, so that the value is known to come from here.
const BUCKET = 'demo-secrets-9f8e7d6c';

/** A PEM block like the tls provider's: 64-column base64 lines (with `+` and `/`), a final newline. */
function pem(label: string, seed: number): string {
  const body = Buffer.from(Array.from({ length: 120 }, (_, i) => (i * 73 + seed) & 0xff)).toString('base64');
  return `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)?.join('\n')}\n-----END ${label}-----\n`;
}
const CA_PEM = pem('CERTIFICATE', 1);
const CERT_PEM = pem('CERTIFICATE', 2);
const KEY_PEM = pem('EC PRIVATE KEY', 3);

/** The stand-ins, by `TYPE.ATTRIBUTE`: what evaluateTerraformTemplate takes, and what each reference of that type gets in Terraform. */
const STAND_INS: Readonly<Record<string, string>> = {
  'google_storage_bucket.name': BUCKET,
  'tls_self_signed_cert.cert_pem': CA_PEM,
  'tls_locally_signed_cert.cert_pem': CERT_PEM,
  'tls_private_key.private_key_pem': KEY_PEM,
};

interface Case {
  readonly lifted: LiftedCase;
  /** What our evaluator makes of the same user-data and values. */
  readonly evaluated: string;
}

function liftedCase(name: string, userData: string, variables: Record<string, string>): Case {
  const attributes = Object.fromEntries(
    resourceReferences(userData).map((reference) => {
      const [type, , attribute] = reference.split('.');
      const value = STAND_INS[`${type}.${attribute}`];
      if (value === undefined) throw new Error(`case ${name}: no stand-in for ${reference}`);
      return [reference, value];
    }),
  );
  return { lifted: { name, userData, variables, attributes }, evaluated: evaluateTerraformTemplate(userData, { ...variables, ...STAND_INS }) };
}

/** The first member's and the default pool's user-data. */
function userDataOf(terraform: Json, cluster: ContainerLinuxCluster): { member: string; worker: string } {
  const member = resourcesOf(terraform, 'google_compute_instance').find(([, i]) => i.name === cluster.etcd.members[0].name)?.[1];
  const worker = resourcesOf(terraform, 'google_compute_region_instance_template').find(([, t]) => t.name_prefix === `${cluster.workerPools[0].name}-`)?.[1];
  if (!member || !worker) throw new Error('no member instance or worker template');
  return { member: member.metadata['user-data'], worker: worker.metadata['user-data'] };
}

function cases(): Case[] {
  const stack = new ClusterStack(Testing.app(), 'cluster', { project: 'proof-project' });
  const fetched = userDataOf(JSON.parse(Testing.synth(stack)), stack.cluster);
  const inlineStack = newStack();
  const inline = new ContainerLinuxCluster(inlineStack, 'cluster', {
    clusterName: 'demo',
    region: 'us-central1',
    project: 'proof-project',
    etcdSize: 1,
    workerCount: 1,
    secretDelivery: SecretDelivery.USER_DATA,
  });
  const inlined = userDataOf(synthJson(inlineStack), inline);
  return [
    liftedCase('fetched_member', fetched.member, { ssh_public_key: SSH_KEY }),
    liftedCase('fetched_worker', fetched.worker, { ssh_public_key: SSH_KEY }),
    liftedCase('inline_member', inlined.member, {}),
    liftedCase('inline_worker', inlined.worker, {}),
  ];
}

/** The bytes of a file's `data:` source in an Ignition 2.x config. */
function fileBytes(ignition: Json, filePath: string): { bytes: string; file: Json } {
  const file = (ignition.storage?.files ?? []).find((f: Json) => f.path === filePath);
  if (!file) throw new Error(`no file ${filePath}`);
  const decoded = decodeDataUrl(file.contents.source);
  if (!decoded.dataUrl) throw new Error(`${filePath}: not a data URL: ${decoded.error}`);
  return { bytes: Buffer.from(decoded.dataUrl.data).toString('utf8'), file };
}

describeWithTerraform('cluster user-data with etcd TLS through real Terraform', () => {
  let all: Case[];
  let computed: Record<string, string>;
  beforeAll(() => {
    all = cases();
    computed = applyWithTerraform(all.map((c) => c.lifted));
  });
  const byName = (name: string) => all.find((c) => c.lifted.name === name) as Case;
  const ignitionOf = (name: string): Json => JSON.parse(computed[name]);

  test('every case references what it should: the bucket with CLOUD_STORAGE, the tls resources with USER_DATA', () => {
    const types = (name: string) => resourceReferences(byName(name).lifted.userData).map((r) => r.replace(/\..*\./, '.')).sort();
    expect(types('fetched_member')).toEqual(['google_storage_bucket.name']);
    expect(types('fetched_worker')).toEqual(['google_storage_bucket.name']);
    const tls = ['tls_locally_signed_cert.cert_pem', 'tls_private_key.private_key_pem', 'tls_self_signed_cert.cert_pem'];
    expect(types('inline_member')).toEqual(tls);
    expect(types('inline_worker')).toEqual(tls);
  });

  test.each(['fetched_member', 'fetched_worker', 'inline_member', 'inline_worker'])('%s: Terraform gives exactly the Ignition our evaluator gives', (name) => {
    expect(computed[name]).toBe(byName(name).evaluated);
    expect(ignitionOf(name).ignition.version).toBe('2.3.0');
  });

  test.each(['fetched_member', 'fetched_worker'])('%s: the bucket name lands in fetch-secrets.service, and the script\'s ${...} survive', (name) => {
    const unit = ignitionOf(name).systemd.units.find((u: Json) => u.name === FETCH_SECRETS_UNIT && u.contents !== undefined);
    expect(unit.contents.split('\n')).toContain(`Environment=FETCH_SECRETS_BUCKET=${BUCKET}`);
    const script = fileBytes(ignitionOf(name), FETCH_SECRETS_SCRIPT);
    expect(script.bytes).toBe(FETCH_SECRETS_SH);
    expect(script.bytes).toContain('bucket=${FETCH_SECRETS_BUCKET:?FETCH_SECRETS_BUCKET is not set}');
    expect(script.file.mode).toBe(0o755);
  });

  test.each([
    { name: 'inline_member', cert: 'server.pem', key: 'server-key.pem', keyOwner: 'etcd' },
    { name: 'inline_worker', cert: 'client.pem', key: 'client-key.pem', keyOwner: 'root' },
  ])('$name: the CA, certificate and key decode byte for byte from their data URLs', ({ name, cert, key, keyOwner }) => {
    const ignition = ignitionOf(name);
    const files = [
      { path: '/etc/ssl/etcd/ca.pem', pem: CA_PEM, mode: 0o644, owner: 'root' },
      { path: `/etc/ssl/etcd/${cert}`, pem: CERT_PEM, mode: 0o644, owner: 'root' },
      { path: `/etc/ssl/etcd/${key}`, pem: KEY_PEM, mode: 0o600, owner: keyOwner },
    ];
    for (const expected of files) {
      const { bytes, file } = fileBytes(ignition, expected.path);
      expect({ path: expected.path, bytes, mode: file.mode, user: file.user, group: file.group }).toEqual({
        path: expected.path,
        bytes: expected.pem,
        mode: expected.mode,
        user: { name: expected.owner },
        group: { name: expected.owner },
      });
    }
    expect(ignition.systemd.units.filter((u: Json) => u.name === FETCH_SECRETS_UNIT)).toEqual([]);
    expect((ignition.storage.files as Json[]).map((f) => f.path)).not.toContain(FETCH_SECRETS_SCRIPT);
  });
});

/**
 * EtcdCluster's hooks for services co-located with etcd (e.g. Kubernetes controllers):
 * memberNamePrefix (names end to end), memberSecrets (per member and shared, one fetch per node,
 * a second conditioned grant for the shared prefix), memberGroups, memberSnippet,
 * requiredBySecrets and secretRefresh. The real fetch script installs a member's etcd and shared files from two
 * prefixes in one run, against loopback fakes of the metadata server and the Cloud Storage JSON API.
 */
import 'cdktf/lib/testing/adapters/jest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGcp } from '../secret-fetch/fake-gcp';
import { TerraformVariable, type TerraformStack } from 'cdktf';
import { EtcdCluster, memberRole, SecretDelivery, type EtcdClusterProps, type MemberSecret } from '../../constructs/etcd-cluster';
import { FETCH_SECRETS_SCRIPT, FETCH_SECRETS_SH } from '../../constructs/secret-fetch';
import { ClusterSecretStore, SECRET_READER_ROLE, serviceAccountId } from '../../constructs/secret-store';
import { runIgnitionValidate } from '../../scripts/conformance';
import { marshalV33, translateToV33 } from '../../transpiler/ign3';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { parseUnitFile } from '../etcd-cluster/systemd-exec';
import { validatorTest } from '../ign3/ign3-validator';
import { describeWithIgnition } from '../ignition-apply/gate';
import { applyIgnition, type IgnitionRun } from '../ignition-apply/harness';
import { ScratchRoot } from '../ignition-apply/inspect';
import { systemdAnalyzeUnavailable } from '../systemd/analyze';
import { describeIfAvailable } from '../systemd/gate';
import { analyzeIgnition, problemsOf } from '../systemd/harness';
import { ETC_UNITS } from '../systemd/stub-root';
import { describeOrderings, loadUnits } from '../systemd/unit-graph';
import { decodeUserData, dropinOf, fileOf, newStack, resourceNamed, resourcesOf, synthJson, type Json } from './cluster-helpers';

const PROPS: EtcdClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project', memberNamePrefix: 'demo-controller' };
const ZONES = ['a', 'b', 'c'];
const NAMES = [0, 1, 2].map((i) => `demo-controller-${i}`);
const DNS = (i: number): string => `${NAMES[i]}.us-central1-${ZONES[i]}.c.my-project.internal`;
/** The stand-in decodeUserData gives a secret bucket's name (APPLY_TIME_VALUES). */
const BUCKET = 'demo-secrets-0a1b2c3d';
const SHARED = 'etcd/demo-controller-shared/';
const CA_KEY = '-----BEGIN RSA PRIVATE KEY-----\nKUBERNETES CA\n-----END RSA PRIVATE KEY-----\n';

function synth(props: Partial<EtcdClusterProps> = {}, build?: (stack: TerraformStack) => Partial<EtcdClusterProps>): { etcd: EtcdCluster; terraform: Json } {
  const stack = newStack();
  const etcd = new EtcdCluster(stack, 'etcd', { ...PROPS, ...build?.(stack), ...props });
  return { etcd, terraform: synthJson(stack) };
}

const ignitionOf = (terraform: Json, name: string, variables: Record<string, string> = {}): Json =>
  decodeUserData(resourceNamed(terraform, 'google_compute_instance', name).metadata['user-data'], variables);

/** The one unit named `name` that has contents (ct writes drop-ins of a unit as further entries). */
function unitContents(ignition: Json, name: string): string {
  const found = (ignition.systemd?.units ?? []).filter((u: Json) => u.name === name && u.contents !== undefined);
  expect(found).toHaveLength(1);
  return found[0].contents;
}

/** ExecStart= of fetch-secrets.service (or the refresh unit) as words (its continuation lines joined), and its Environment=. */
function fetchUnitOf(ignition: Json, unit = 'fetch-secrets.service'): { args: string[]; env: Record<string, string>; before: string[] } {
  const assignments = parseUnitFile(unitContents(ignition, unit));
  const exec = assignments.find((a) => a.key === 'ExecStart')?.value.split(/\s+/) ?? [];
  expect(exec[0]).toBe(FETCH_SECRETS_SCRIPT);
  const assignment = (value: string) => value.replace(/^"(.*)"$/, '$1');
  const env = Object.fromEntries(
    assignments.filter((a) => a.key === 'Environment').map((a) => assignment(a.value)).map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]),
  );
  return { args: exec.slice(1), env, before: assignments.filter((a) => a.key === 'Before').map((a) => a.value) };
}

/** Kubernetes-like secrets: a key per member, the CA key and certificate shared (the CA key a Terraform variable). */
function kubernetesSecrets(caKey: string) {
  return ({ name }: { name: string }): MemberSecret[] => [
    { object: 'kubernetes/apiserver.key', path: '/etc/kubernetes/pki/apiserver.key', mode: 0o640, owner: 'root:kube-pki', content: `apiserver key of ${name}\n` },
    { object: 'kubernetes/ca.key', path: '/etc/kubernetes/pki/ca.key', mode: 0o600, owner: 'root:root', content: caKey, shared: true },
    { object: 'kubernetes/ca.crt', path: '/etc/kubernetes/pki/ca.crt', mode: 0o644, owner: 'root:root', content: 'kubernetes ca certificate\n', shared: true },
  ];
}

function withSecrets(stack: TerraformStack): Partial<EtcdClusterProps> {
  const caKey = new TerraformVariable(stack, 'kubernetes_ca_key', { type: 'string', sensitive: true });
  return { memberSecrets: kubernetesSecrets(caKey.stringValue), memberGroups: [{ name: 'kube-pki', gid: 600 }] };
}

describe('memberNamePrefix', () => {
  const { etcd, terraform } = synth();

  test('names the instances, data disks, DNS names and etcd members, and keeps the cluster tags', () => {
    expect(etcd.memberNamePrefix).toBe('demo-controller');
    expect(etcd.members.map((m) => m.name)).toEqual(NAMES);
    expect(resourcesOf(terraform, 'google_compute_instance').map(([, i]) => [i.name, i.zone, i.tags])).toEqual(
      NAMES.map((name, i) => [name, `us-central1-${ZONES[i]}`, ['demo-node', 'demo-etcd']]),
    );
    expect(resourcesOf(terraform, 'google_compute_disk').map(([, d]) => d.name)).toEqual(NAMES.map((n) => `${n}-data`));
    expect(etcd.members.map((m) => m.dnsName)).toEqual([0, 1, 2].map(DNS));
    expect(etcd.initialCluster).toBe(NAMES.map((n, i) => `${n}=https://${DNS(i)}:2380`).join(','));
    expect(etcd.memberConfigs()[1].etcdArgs).toEqual(expect.arrayContaining([`--name=${NAMES[1]}`, `--advertise-client-urls=https://${DNS(1)}:2379`]));
  });

  test('names the certificates: common name and DNS SAN of each member', () => {
    const requests = resourcesOf(terraform, 'tls_cert_request').map(([, r]) => [r.subject[0].common_name, r.dns_names]);
    expect(requests).toEqual(NAMES.map((n, i) => [n, [DNS(i), 'localhost']]));
  });

  test('names the objects, the fetch prefix, the service accounts and their grants', () => {
    expect(resourcesOf(terraform, 'google_storage_bucket_object').map(([, o]) => o.name).sort()).toEqual(
      NAMES.flatMap((n) => ['ca.pem', 'server-key.pem', 'server.pem'].map((f) => `etcd/${n}/${f}`)),
    );
    expect(resourcesOf(terraform, 'google_service_account').map(([, a]) => a.account_id)).toEqual(['demo-controller-0', 'demo-controller-1', 'demo-controller-2']);
    expect(etcd.members.map((m) => m.secretReader?.prefix)).toEqual(NAMES.map((n) => `etcd/${n}/`));
    expect(resourcesOf(terraform, 'google_storage_bucket_iam_member').map(([, g]) => g.condition.title)).toEqual(NAMES.map((n) => `etcd/${n}/ only`));
    NAMES.forEach((name) => {
      const { args, env } = fetchUnitOf(ignitionOf(terraform, name));
      expect(env.FETCH_SECRETS_PREFIX).toBe(`etcd/${name}/`);
      expect(args.filter((_, k) => k % 4 === 0)).toEqual(['ca.pem', 'server.pem', 'server-key.pem']);
    });
    expect(etcd.sharedSecretPrefix).toBe(SHARED);
  });

  test('service account roles come from the prefix\'s tail, stay valid and distinct for long prefixes', () => {
    expect(memberRole('demo', 'demo-etcd', 0)).toBe('etcd-0');
    expect(memberRole('demo', 'demo-controller', 2)).toBe('controller-2');
    expect(memberRole('demo', 'kube-ctl', 1)).toBe('kube-ctl-1');
    const cluster = 'a'.repeat(30);
    const prefixes = [`${cluster}-controller`, `${cluster}-${'c'.repeat(25)}`, `${cluster}-${'c'.repeat(24)}d`, 'x'.repeat(56)];
    const ids = prefixes.flatMap((prefix) => [0, 8].map((i) => serviceAccountId(cluster, memberRole(cluster, prefix, i))));
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(new Set(ids).size).toBe(ids.length);
    // The longest prefix synthesizes: its disks' names are 63 characters.
    const { terraform: longest } = synth({ clusterName: cluster, memberNamePrefix: `${cluster}-${'c'.repeat(25)}`, size: 1 });
    expect(resourcesOf(longest, 'google_compute_disk')[0][1].name).toHaveLength(63);
  });

  test('the name registry holds the members\' instances, disks and service accounts', () => {
    const stack = newStack();
    new EtcdCluster(stack, 'one', PROPS);
    // The default prefix does not collide with it.
    new EtcdCluster(stack, 'etcd', { ...PROPS, memberNamePrefix: undefined, size: 1 });
    expect(() => new EtcdCluster(stack, 'two', { ...PROPS, clusterName: 'other', size: 1 })).toThrow(
      'EtcdCluster stack/two: duplicate instance name "demo-controller-0": stack/two and stack/one both use it',
    );
    // Other instance and disk names, but the same tail of the same cluster name: the same account ids.
    expect(() => new EtcdCluster(stack, 'three', { ...PROPS, memberNamePrefix: 'controller', size: 1 })).toThrow(
      'EtcdCluster stack/three: duplicate service account name "demo-controller-0": stack/three and stack/one both use it',
    );
  });

  test.each(['Demo-controller', '1controller', 'demo-controller-', 'demo_controller', 'x'.repeat(57), ''])('refuses the prefix "%s"', (prefix) => {
    expect(() => new EtcdCluster(newStack(), 'etcd', { ...PROPS, memberNamePrefix: prefix })).toThrow(
      `EtcdCluster stack/etcd: memberNamePrefix "${prefix}" must be a literal of 1-56 characters of a-z, 0-9 and -, starting with a letter and not ending with - ` +
        '(members are <prefix>-<i>, their data disks <prefix>-<i>-data, at most 63 characters), e.g. "demo-controller"',
    );
  });
});

describe('memberSecrets with CLOUD_STORAGE', () => {
  const { etcd, terraform } = synth({}, withSecrets);
  const bucketRef = `\${google_storage_bucket.${resourcesOf(terraform, 'google_storage_bucket')[0][0]}.name}`;
  const objects = resourcesOf(terraform, 'google_storage_bucket_object');
  const objectNamed = (name: string) => objects.filter(([, o]) => o.name === name);

  test('shared secrets are one object each under the shared prefix; per-member ones one per member under its prefix', () => {
    expect(objectNamed(`${SHARED}kubernetes/ca.key`).map(([, o]) => o.content)).toEqual(['${var.kubernetes_ca_key}']);
    expect(objectNamed(`${SHARED}kubernetes/ca.crt`).map(([, o]) => o.content)).toEqual(['kubernetes ca certificate\n']);
    NAMES.forEach((name) => expect(objectNamed(`etcd/${name}/kubernetes/apiserver.key`).map(([, o]) => o.content)).toEqual([`apiserver key of ${name}\n`]));
    // 3 etcd files and 1 own secret per member, 2 shared.
    expect(objects).toHaveLength(3 * 4 + 2);
    for (const [, object] of objects) expect(object.bucket).toBe(bucketRef);
  });

  test('each member\'s account has two grants, conditioned on its own prefix and on the shared one', () => {
    const grants = resourcesOf(terraform, 'google_storage_bucket_iam_member');
    expect(grants).toHaveLength(6);
    const accounts = resourcesOf(terraform, 'google_service_account');
    accounts.forEach(([accountId], i) => {
      const mine = grants.filter(([, g]) => g.member === `serviceAccount:\${google_service_account.${accountId}.email}`).map(([, g]) => g)
        .sort((x, y) => x.condition.title.localeCompare(y.condition.title));
      const condition = (prefix: string) => ({
        title: `${prefix} only`,
        description: `Objects under ${prefix}`,
        expression: `resource.name.startsWith("projects/_/buckets/${bucketRef}/objects/${prefix}")`,
      });
      expect(mine).toEqual([
        { bucket: bucketRef, role: SECRET_READER_ROLE, member: expect.any(String), condition: condition(`etcd/${NAMES[i]}/`) },
        { bucket: bucketRef, role: SECRET_READER_ROLE, member: expect.any(String), condition: condition(SHARED) },
      ]);
    });
  });

  test('each member depends on both its grants, its own objects and the shared ones, and no other member\'s', () => {
    const grants = resourcesOf(terraform, 'google_storage_bucket_iam_member');
    const accounts = resourcesOf(terraform, 'google_service_account');
    NAMES.forEach((name, i) => {
      const instance = resourceNamed(terraform, 'google_compute_instance', name);
      const myGrants = grants.filter(([, g]) => g.member.includes(`.${accounts[i][0]}.`)).map(([id]) => `google_storage_bucket_iam_member.${id}`);
      const myObjects = objects.filter(([, o]) => o.name.startsWith(`etcd/${name}/`) || o.name.startsWith(SHARED)).map(([id]) => `google_storage_bucket_object.${id}`);
      expect(myGrants).toHaveLength(2);
      expect(myObjects).toHaveLength(6);
      expect([...instance.depends_on].sort()).toEqual([...myGrants, ...myObjects].sort());
    });
  });

  test('one fetch-secrets.service per node installs the etcd files and the extra ones, each with its mode and owner', () => {
    NAMES.forEach((name) => {
      const ignition = ignitionOf(terraform, name);
      const { args, env } = fetchUnitOf(ignition);
      // Two prefixes: no FETCH_SECRETS_PREFIX, whole object names.
      expect([env.FETCH_SECRETS_BUCKET, env.FETCH_SECRETS_PREFIX]).toEqual([BUCKET, '']);
      expect(args).toEqual([
        ...[`etcd/${name}/ca.pem`, '/etc/ssl/etcd/ca.pem', '0644', 'root:root'],
        ...[`etcd/${name}/server.pem`, '/etc/ssl/etcd/server.pem', '0644', 'root:root'],
        ...[`etcd/${name}/server-key.pem`, '/etc/ssl/etcd/server-key.pem', '0600', 'etcd:etcd'],
        ...[`etcd/${name}/kubernetes/apiserver.key`, '/etc/kubernetes/pki/apiserver.key', '0640', 'root:kube-pki'],
        ...[`${SHARED}kubernetes/ca.key`, '/etc/kubernetes/pki/ca.key', '0600', 'root:root'],
        ...[`${SHARED}kubernetes/ca.crt`, '/etc/kubernetes/pki/ca.crt', '0644', 'root:root'],
      ]);
      expect(ignition.systemd.units.filter((u: Json) => u.name === 'fetch-secrets.service' && u.contents !== undefined)).toHaveLength(1);
      expect(fileOf(ignition, '/opt/bin/fetch-secrets').text).toBe(FETCH_SECRETS_SH);
      // No secret in the user-data.
      expect(resourceNamed(terraform, 'google_compute_instance', name).metadata['user-data']).not.toMatch(/kubernetes_ca_key|apiserver key of/);
    });
  });

  test('memberGroups are in every member\'s passwd, so that the fetch can chown to them', () => {
    for (const name of NAMES) expect(ignitionOf(terraform, name).passwd.groups).toEqual([{ name: 'kube-pki', gid: 600 }]);
  });

  test('members with only their own secrets keep their prefix and one grant', () => {
    const own = synth({ size: 1, memberSecrets: (m) => kubernetesSecrets('')(m).filter((s) => !s.shared) });
    expect(resourcesOf(own.terraform, 'google_storage_bucket_iam_member')).toHaveLength(1);
    const { args, env } = fetchUnitOf(ignitionOf(own.terraform, NAMES[0]));
    expect(env.FETCH_SECRETS_PREFIX).toBe(`etcd/${NAMES[0]}/`);
    expect(args.slice(12)).toEqual(['kubernetes/apiserver.key', '/etc/kubernetes/pki/apiserver.key', '0640', 'root:kube-pki']);
    expect(own.terraform.resource.google_compute_instance[resourcesOf(own.terraform, 'google_compute_instance')[0][0]].depends_on).toHaveLength(5);
  });

  test('exposes the store\'s view: each reader may read its prefix and the shared one', () => {
    expect(etcd.members.map((m) => etcd.secretStore?.prefixesOf(m.secretReader!))).toEqual(NAMES.map((n) => [`etcd/${n}/`, SHARED]));
  });
});

describe('memberSecrets with USER_DATA', () => {
  test('every file is inline, with its mode and owner; the groups are there too; no bucket, no fetch', () => {
    const { terraform } = synth({ secretDelivery: SecretDelivery.USER_DATA, requiredBySecrets: ['kubelet.service'] }, withSecrets);
    for (const type of ['google_storage_bucket', 'google_storage_bucket_object', 'google_storage_bucket_iam_member', 'google_service_account']) expect(resourcesOf(terraform, type)).toEqual([]);
    NAMES.forEach((name) => {
      const ignition = ignitionOf(terraform, name, { kubernetes_ca_key: CA_KEY });
      const file = (p: string) => {
        const { file: f, text } = fileOf(ignition, p);
        return [f.mode, `${f.user.name}:${f.group.name}`, text];
      };
      expect(file('/etc/kubernetes/pki/apiserver.key')).toEqual([0o640, 'root:kube-pki', `apiserver key of ${name}\n`]);
      expect(file('/etc/kubernetes/pki/ca.key')).toEqual([0o600, 'root:root', CA_KEY]);
      expect(file('/etc/kubernetes/pki/ca.crt')).toEqual([0o644, 'root:root', 'kubernetes ca certificate\n']);
      expect(file('/etc/ssl/etcd/server-key.pem')).toEqual([0o600, 'etcd:etcd', expect.stringMatching(/PRIVATE KEY/)]);
      expect(ignition.passwd.groups).toEqual([{ name: 'kube-pki', gid: 600 }]);
      expect(JSON.stringify(ignition)).not.toContain('fetch-secrets');
    });
  });

  test('numeric owners become ids', () => {
    const { terraform } = synth({
      size: 1,
      secretDelivery: SecretDelivery.USER_DATA,
      memberSecrets: () => [{ object: 'x.key', path: '/etc/x.key', mode: 0o600, owner: '0:600', content: 'x' }],
    });
    const { file } = fileOf(ignitionOf(terraform, NAMES[0]), '/etc/x.key');
    expect([file.user, file.group]).toEqual([{ id: 0 }, { id: 600 }]);
  });
});

describe('memberSnippet and requiredBySecrets', () => {
  const KUBELET = '[Unit]\nDescription=kubelet (test stand-in)\nAfter=etcd-member.service\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n';
  const { terraform } = synth({
    requiredBySecrets: ['kubelet.service', 'etcd-member.service'],
    memberSnippet: ({ name, index, zone, dnsName }) => ({
      systemd: { units: [{ name: 'kubelet.service', enabled: true, contents: KUBELET }] },
      storage: { files: [{ filesystem: 'root', path: '/etc/kubernetes/member.env', mode: 0o644, contents: { inline: `NAME=${name}\nINDEX=${index}\nZONE=${zone}\nDNS=${dnsName}\n` } }] },
    }),
  });

  test('the snippet\'s units and files land in each member, made for that member', () => {
    NAMES.forEach((name, i) => {
      const ignition = ignitionOf(terraform, name);
      expect(unitContents(ignition, 'kubelet.service')).toBe(KUBELET);
      expect(fileOf(ignition, '/etc/kubernetes/member.env').text).toBe(`NAME=${name}\nINDEX=${i}\nZONE=us-central1-${ZONES[i]}\nDNS=${DNS(i)}\n`);
    });
  });

  test('kubelet.service and etcd-member.service (once) require fetch-secrets.service, which orders itself before both', () => {
    const ignition = ignitionOf(terraform, NAMES[0]);
    for (const unit of ['kubelet.service', 'etcd-member.service']) {
      expect(dropinOf(ignition, unit, '20-fetch-secrets.conf')).toBe('[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n');
    }
    expect(fetchUnitOf(ignition).before).toEqual(['etcd-member.service kubelet.service']);
  });

  test('by default the refresh restarts etcd-member.service and the units of requiredBySecrets (once each), and runs no command', () => {
    const ignition = ignitionOf(terraform, NAMES[0]);
    const refresh = fetchUnitOf(ignition, 'fetch-secrets-refresh.service');
    expect(refresh.env).toMatchObject({ FETCH_SECRETS_MODE: 'refresh', FETCH_SECRETS_RESTART: 'etcd-member.service kubelet.service', FETCH_SECRETS_ON_CHANGE: '' });
    expect(refresh.args).toEqual(fetchUnitOf(ignition).args);
  });

  test('the graph as the harness reads it: fetch-secrets.service before kubelet.service, by both ends', () => {
    const analysis = analyzeIgnition(ignitionOf(terraform, NAMES[0]), { keepRoot: true, runVerify: false });
    try {
      expect(problemsOf(analysis)).toEqual([]);
      expect(loadUnits(analysis.root.dir).get('kubelet.service')?.dependencies.filter((d) => d.key === 'Requires').map((d) => [d.unit, d.origin])).toEqual([
        ['fetch-secrets.service', expect.stringMatching(new RegExp(`^${ETC_UNITS}/kubelet\\.service\\.d/20-fetch-secrets\\.conf:\\d+$`))],
      ]);
      expect(describeOrderings(analysis.root, 'kubelet.service', ['fetch-secrets.service', 'kubelet.service'])).toEqual(
        expect.arrayContaining([expect.stringMatching(/^fetch-secrets\.service before kubelet\.service: kubelet\.service: After=fetch-secrets\.service /)]),
      );
    } finally {
      analysis.root.cleanup();
    }
  });

  test('a conflict with EtcdCluster\'s own config names the hook', () => {
    expect(() =>
      new EtcdCluster(newStack(), 'etcd', {
        ...PROPS,
        size: 1,
        memberSnippet: () => ({ storage: { files: [{ filesystem: 'root', path: '/etc/etcd/etcdctl.env', mode: 0o644, contents: { inline: 'mine\n' } }] } }),
      }),
    ).toThrow(/memberSnippet\(\) of EtcdCluster stack\/etcd for demo-controller-0/);
  });
});

describe('secretRefresh', () => {
  test('restart and command reach every member\'s refresh unit, and nothing else', () => {
    const secretRefresh = { restart: ['kubelet.service'], command: '/opt/bin/restart-static-pods' };
    const { terraform } = synth({ requiredBySecrets: ['kubelet.service'], secretRefresh });
    const plain = ignitionOf(synth({ requiredBySecrets: ['kubelet.service'] }).terraform, NAMES[0]);
    NAMES.forEach((name) => {
      const ignition = ignitionOf(terraform, name);
      expect(fetchUnitOf(ignition, 'fetch-secrets-refresh.service').env).toMatchObject({
        FETCH_SECRETS_RESTART: 'kubelet.service',
        FETCH_SECRETS_ON_CHANGE: '/opt/bin/restart-static-pods',
      });
      // The boot fetch is as without secretRefresh.
      expect(fetchUnitOf(ignition).env).toEqual({ ...fetchUnitOf(plain).env, FETCH_SECRETS_PREFIX: `etcd/${name}/` });
    });
    // An empty list restarts nothing.
    const none = ignitionOf(synth({ size: 1, secretRefresh: { restart: [] } }).terraform, NAMES[0]);
    expect(fetchUnitOf(none, 'fetch-secrets-refresh.service').env).toMatchObject({ FETCH_SECRETS_RESTART: '', FETCH_SECRETS_ON_CHANGE: '' });
  });

  test('bad unit names and commands are refused, naming the prop', () => {
    const build = (secretRefresh: EtcdClusterProps['secretRefresh']) => () => new EtcdCluster(newStack(), 'etcd', { ...PROPS, size: 1, secretRefresh });
    expect(build({ restart: ['kubelet'] })).toThrow('EtcdCluster stack/etcd: secretRefresh.restart: "kubelet" is not a unit name such as "etcd-member.service"');
    expect(build({ restart: ['fetch-secrets-refresh.service'] })).toThrow('secretRefresh.restart: fetch-secrets-refresh.service is the fetch\'s own unit');
    expect(build({ command: 'restart-pods' })).toThrow(
      'secretRefresh.command "restart-pods" must be an absolute path, without "." or ".." segments, of letters, digits, ".", "_", "@", "+" and "-"',
    );
  });

  test('refused with USER_DATA: there is no fetch, and only a replaced member gets renewed files', () => {
    expect(() => new EtcdCluster(newStack(), 'etcd', { ...PROPS, size: 1, secretDelivery: SecretDelivery.USER_DATA, secretRefresh: { restart: ['etcd-member.service'] } })).toThrow(
      'EtcdCluster stack/etcd: secretRefresh is for SecretDelivery.CLOUD_STORAGE: with USER_DATA there is no fetch to refresh, and a renewed certificate reaches a member only when it is replaced (terraform apply -replace)',
    );
    // Without it, USER_DATA members have no refresh units.
    const ignition = ignitionOf(synth({ size: 1, secretDelivery: SecretDelivery.USER_DATA }).terraform, NAMES[0]);
    expect((ignition.systemd?.units ?? []).filter((u: Json) => String(u.name).startsWith('fetch-secrets'))).toEqual([]);
  });
});

describeIfAvailable('a member with the hooks under systemd-analyze verify', systemdAnalyzeUnavailable(), () => {
  test('verifies with exit status 0 and says nothing', () => {
    const { terraform } = synth(
      {
        size: 1,
        requiredBySecrets: ['kubelet.service'],
        memberSnippet: () => ({ systemd: { units: [{ name: 'kubelet.service', enabled: true, contents: '[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' }] } }),
      },
      withSecrets,
    );
    expect(problemsOf(analyzeIgnition(ignitionOf(terraform, NAMES[0])))).toEqual([]);
  });
});

/** Member 0's config as its VM boots it: evaluated user-data (Ignition 2.3.0), translated to 3.3.0 as Flatcar does. */
function bootConfig(terraform: Json): string {
  const evaluated = evaluateTerraformTemplate(resourceNamed(terraform, 'google_compute_instance', NAMES[0]).metadata['user-data'], { kubernetes_ca_key: CA_KEY });
  return marshalV33(translateToV33(evaluated).config, false);
}

describe.each([SecretDelivery.CLOUD_STORAGE, SecretDelivery.USER_DATA])('a member with every hook, %s, under ignition-validate', (secretDelivery) => {
  validatorTest('is valid, without warnings', (binary) => {
    // The snippet as CLC text, the other form a ClcSnippet takes.
    const kubelet = ['systemd:', '  units:', '    - name: kubelet.service', '      enabled: true', '      contents: |', '        [Service]', '        ExecStart=/usr/bin/true', '        [Install]', '        WantedBy=multi-user.target', ''].join('\n');
    const { terraform } = synth({ size: 1, secretDelivery, requiredBySecrets: ['kubelet.service'], memberSnippet: () => kubelet }, withSecrets);
    expect(runIgnitionValidate(binary, Buffer.from(bootConfig(terraform)))).toEqual({ exitCode: 0, output: '' });
  });
});

describeWithIgnition('real Ignition applies a USER_DATA member with memberGroups and memberSecrets', () => {
  let run: IgnitionRun | undefined;
  let root: ScratchRoot;
  beforeAll(async () => {
    run = await applyIgnition(bootConfig(synth({ size: 1, secretDelivery: SecretDelivery.USER_DATA }, withSecrets).terraform));
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  it('makes the group, then owns the files by it: chown to a group Flatcar lacks works', () => {
    expect(root.entry('/etc/group', 'kube-pki')).toEqual(['kube-pki', 'x', '600', '']);
    expect(root.node('/etc/kubernetes/pki/apiserver.key')).toMatchObject({ type: 'file', mode: 0o640, uid: 0, gid: 600 });
    expect(root.text('/etc/kubernetes/pki/apiserver.key')).toBe(`apiserver key of ${NAMES[0]}\n`);
    expect(root.node('/etc/kubernetes/pki/ca.key')).toMatchObject({ type: 'file', mode: 0o600, uid: 0, gid: 0 });
    expect(root.text('/etc/kubernetes/pki/ca.key')).toBe(CA_KEY);
    expect(root.node('/etc/ssl/etcd/server-key.pem')).toMatchObject({ type: 'file', mode: 0o600, uid: 232, gid: 232 });
  });
});

describe('validation of the hooks', () => {
  const build = (props: Partial<EtcdClusterProps>) => () => new EtcdCluster(newStack(), 'etcd', { ...PROPS, size: 3, ...props });
  const secret = (more: Partial<MemberSecret> = {}): MemberSecret => ({ object: 'k/a.key', path: '/etc/k/a.key', mode: 0o600, owner: 'root:root', content: 'a', ...more });

  test('a shared secret must have one content for every member', () => {
    expect(build({ memberSecrets: ({ index }) => [secret({ shared: true, content: `key ${index}` })] })).toThrow(
      'EtcdCluster stack/etcd: memberSecrets of demo-controller-1: shared secret "k/a.key" has other content than for demo-controller-0; ' +
        'a shared secret is one object for every member (leave shared out to give each member its own); memberSecrets of demo-controller-2: shared secret "k/a.key"',
    );
  });

  test('objects and paths once, beside the etcd files; paths, modes and owners the fetch can install', () => {
    expect(build({ memberSecrets: () => [secret({ object: 'ca.pem' })] })).toThrow(
      'memberSecrets of demo-controller-0: object "ca.pem" is one of the member\'s etcd files (ca.pem, server.pem, server-key.pem): name it otherwise',
    );
    expect(build({ memberSecrets: () => [secret(), secret({ path: '/etc/k/b.key' })] })).toThrow('memberSecrets of demo-controller-0: object "k/a.key" is given twice');
    expect(build({ memberSecrets: () => [secret({ path: '/etc/ssl/etcd/server-key.pem' })] })).toThrow(
      'memberSecrets of demo-controller-0: secret "k/a.key": path "/etc/ssl/etcd/server-key.pem" is given twice',
    );
    expect(build({ memberSecrets: () => [secret({ path: '/usr/lib/a.key' })] })).toThrow('path "/usr/lib/a.key" is under /usr, which is read-only on Flatcar');
    expect(build({ memberSecrets: () => [secret({ owner: 'root' })] })).toThrow('owner "root" must be "user:group", by name or numeric id');
    expect(build({ memberSecrets: () => [secret({ mode: 0o10000 })] })).toThrow('mode 4096 is not a permission');
    expect(build({ memberSecrets: () => [secret({ object: '/abs' })] })).toThrow('secret "/abs": object names may hold only');
  });

  test('groups with names and ids, each once; units that can require the fetch', () => {
    expect(build({ memberGroups: [{ name: 'Kube', gid: 600 }] })).toThrow('memberGroups: "Kube" is not a group name');
    expect(build({ memberGroups: [{ name: 'kube', gid: 0 }] })).toThrow('memberGroups: gid 0 of "kube" must be a whole number from 1 to 4294967294');
    expect(build({ memberGroups: [{ name: 'kube', gid: 600 }, { name: 'kube', gid: 601 }, { name: 'pki', gid: 600 }] })).toThrow(
      'memberGroups: "kube" is given twice; memberGroups: gid 600 is given twice',
    );
    expect(build({ requiredBySecrets: ['kubelet'] })).toThrow('requiredBySecrets: "kubelet" is not a unit name such as "etcd-member.service"');
    expect(build({ requiredBySecrets: ['fetch-secrets.service'] })).toThrow('requiredBySecrets: fetch-secrets.service cannot require itself');
  });
});

describe('ClusterSecretStore.grant', () => {
  const store = () => new ClusterSecretStore(newStack(), 'store', { clusterName: 'demo', location: 'us-central1' });
  const reader = (s: ClusterSecretStore, id: string, prefix: string) => s.addReader(id, { accountId: `demo-${id}`, prefix, description: id });

  test('shares one prefix among readers, each with its own conditioned grant', () => {
    const s = store();
    const [a, b] = [reader(s, 'reader-a', 'own/a/'), reader(s, 'reader-b', 'own/b/')];
    const grants = [s.grant(a, 'shared/'), s.grant(b, 'shared/')];
    expect(grants.map((g) => g.node.id)).toEqual(['reader-a-grant-shared', 'reader-b-grant-shared']);
    expect(s.prefixesOf(a)).toEqual(['own/a/', 'shared/']);
    const shared = s.addSecret('one', 'shared/x', 'x');
    s.addSecret('two', 'own/b/y', 'y');
    const dependables = s.dependablesOf(a);
    expect(dependables).toHaveLength(3);
    [a.grant, grants[0], shared].forEach((d, k) => expect(dependables[k]).toBe(d));
  });

  test('keeps readers\' own prefixes their own', () => {
    const s = store();
    const [a, b] = [reader(s, 'reader-a', 'own/a/'), reader(s, 'reader-b', 'own/b/')];
    s.grant(a, 'shared/');
    expect(() => s.grant(a, 'own/')).toThrow('shared prefix "own/" overlaps "own/a/", a reader\'s own: share a prefix apart from every reader\'s; shared prefix "own/" overlaps "own/b/"');
    expect(() => s.grant(a, 'own/b/')).toThrow('shared prefix "own/b/" overlaps "own/b/", a reader\'s own');
    expect(() => s.grant(b, 'shared/inner/')).toThrow('shared prefix "shared/inner/" overlaps "shared/": share the same prefix, or one apart from it');
    expect(() => s.grant(a, 'shared/')).toThrow('the reader of "own/a/" is granted "shared/" twice');
    expect(() => reader(s, 'reader-c', 'shared/c/')).toThrow('prefix "shared/c/" overlaps "shared/", which is shared: each reader needs a prefix of its own');
    expect(() => s.grant(reader(store(), 'stranger', 'other/'), 'shared/')).toThrow('grant: the reader of "other/" is not this store\'s (add it with addReader)');
    expect(() => s.grant(a, 'shared')).toThrow('prefix "shared" must be segments');
  });
});

// --- The real fetch script, a member's etcd and shared files from two prefixes in one run. ---

describe('the real fetch script on a member with shared secrets', () => {
  const fake = new FakeGcp(BUCKET);
  let work: string;
  beforeAll(async () => {
    await fake.start();
    work = mkdtempSync(path.join(tmpdir(), 'etcd-hooks-fetch-'));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('installs the etcd files from the member\'s prefix and the shared ones from the shared prefix, in one run', async () => {
    const { terraform } = synth({}, withSecrets);
    const ignition = ignitionOf(terraform, NAMES[1]);
    const { args, env } = fetchUnitOf(ignition);
    const objects = args.filter((_, k) => k % 4 === 0);
    for (const object of objects) fake.put(object, `bytes of ${object}\n`);
    // Another member's object is there too, and is not fetched.
    fake.put(`etcd/${NAMES[0]}/server-key.pem`, 'not mine');
    const root = path.join(work, 'root');
    mkdirSync(root);
    const script = path.join(work, 'fetch-secrets');
    writeFileSync(script, fileOf(ignition, FETCH_SECRETS_SCRIPT).text, { mode: 0o755 });
    // The owners (etcd, kube-pki) are the node's; here the files go to whoever runs the test.
    const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
    const runArgs = args.map((a, k) => (k % 4 === 3 ? owner : a));
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        'sh',
        [script, ...runArgs],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, FETCH_SECRETS_DEADLINE: '10', FETCH_SECRETS_ROOT: root, GCE_METADATA_URL: fake.url, GCS_API_URL: fake.url }, timeout: 30_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
      );
    });
    expect(run).toEqual({ code: 0, stderr: expect.stringContaining('installed 6 secret(s)') });
    for (let k = 0; k < args.length; k += 4) {
      const [object, target, mode] = args.slice(k, k + 3);
      expect([target, readFileSync(path.join(root, target), 'utf8'), (statSync(path.join(root, target)).mode & 0o7777).toString(8).padStart(4, '0')]).toEqual([
        target,
        `bytes of ${object}\n`,
        mode,
      ]);
    }
    expect(new Set(fake.requests.map((l) => l.split(' ')[1].split('/').slice(0, 2).join('/')))).toEqual(new Set([`etcd/${NAMES[1]}`, SHARED.slice(0, -1)]));
    expect(fake.requests).toHaveLength(2 * 6);
    // No temporary file left beside the targets.
    const left = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(root, f)).isFile());
    expect(left.sort()).toEqual(args.filter((_, k) => k % 4 === 1).map((p) => p.slice(1)).sort());
  });
});

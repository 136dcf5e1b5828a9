/**
 * The TLS files of a cluster's nodes, through the real programs: an etcd member's and a worker's
 * Ignition (the default app's ClusterStack, project `proof-project`, user-data evaluated with a
 * stand-in bucket name) pass `ignition-validate` and are applied by the real Ignition to a
 * Flatcar-like root. With SecretDelivery.CLOUD_STORAGE (the default) no key is in the config: the
 * node gets /opt/bin/fetch-secrets, fetch-secrets.service (enabled) and the drop-ins that make its
 * units wait for it, fetch-secrets-refresh.service and its timer (enabled into timers.target), and
 * /etc/ssl/etcd stays empty until boot. With USER_DATA the three files are
 * in the config, with their modes and owners, and there is no fetch unit.
 *
 * The clusters' configs are Ignition 2.3.0; Flatcar translates them to 3.x at boot and so do we
 * (translateToV33, docs/ignition-2to3.md): Debian's Ignition and ignition-validate read 3.x only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { runIgnitionValidate } from '../../scripts/conformance';
import { ContainerLinuxCluster } from '../../constructs/container-linux-cluster';
import { etcdTlsDropin, ETCDCTL_PROFILE, SecretDelivery } from '../../constructs/etcd-tls';
import { FETCH_SECRETS_SH, requiresFetchDropin } from '../../constructs/secret-fetch';
import { ClusterStack } from '../../main';
import { marshalV33, translateToV33 } from '../../transpiler/ign3';
import { newStack, resourcesOf, synthJson, type Json } from '../cluster/cluster-helpers';
import { APPLY_TIME_VALUES, evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';
import { validatorTest } from '../ign3/ign3-validator';
import { describeIfAvailable } from '../systemd/gate';
import { describeWithIgnition } from './gate';
import { applyIgnition, type IgnitionRun } from './harness';
import { ScratchRoot } from './inspect';

const UNITS = '/etc/systemd/system';
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProofKey core@laptop';
const BUCKET = APPLY_TIME_VALUES['google_storage_bucket.name'];
const ETCD_UID = 232; // Flatcar's etcd user and group (flatcar-root.ts)
const ENDPOINTS = ['a', 'b', 'c'].map((zone, i) => `https://demo-etcd-${i}.us-central1-${zone}.c.proof-project.internal:2379`).join(',');

/** A node's config as its VM boots it: evaluated user-data, translated to 3.3.0 as Flatcar does. */
interface NodeConfig {
  readonly userData: string;
  /** The 3.3.0 JSON Ignition reads. */
  readonly json: string;
}

function nodeConfig(userData: string, variables: Record<string, string> = {}): NodeConfig {
  const evaluated = evaluateTerraformTemplate(userData, variables);
  const version = (JSON.parse(evaluated) as Json).ignition.version;
  if (version !== '2.3.0') throw new Error(`expected the clusters' Ignition 2.3.0, got ${version}`);
  return { userData, json: marshalV33(translateToV33(evaluated).config, false) };
}

/** The first etcd member's and the default pool's configs of a synthesized stack. */
function memberAndWorker(terraform: Json, cluster: ContainerLinuxCluster, variables: Record<string, string> = {}): { member: NodeConfig; worker: NodeConfig } {
  const member = resourcesOf(terraform, 'google_compute_instance').find(([, i]) => i.name === cluster.etcd.members[0].name)?.[1];
  const worker = resourcesOf(terraform, 'google_compute_region_instance_template').find(([, t]) => t.name_prefix === `${cluster.workerPools[0].name}-`)?.[1];
  if (!member || !worker) throw new Error('no member instance or worker template');
  return { member: nodeConfig(member.metadata['user-data'], variables), worker: nodeConfig(worker.metadata['user-data'], variables) };
}

let fetched: { member: NodeConfig; worker: NodeConfig } | undefined;
/** The default app's cluster (CLOUD_STORAGE). */
function cloudStorageNodes(): { member: NodeConfig; worker: NodeConfig } {
  if (fetched === undefined) {
    const stack = new ClusterStack(Testing.app(), 'cluster', { project: 'proof-project' });
    fetched = memberAndWorker(JSON.parse(Testing.synth(stack)), stack.cluster, { ssh_public_key: SSH_KEY });
  }
  return fetched;
}

let inline: { member: NodeConfig; worker: NodeConfig } | undefined;
/** A cluster with the keys in the user-data; the certificates and keys are APPLY_TIME_VALUES' PEM stand-ins. */
function userDataNodes(): { member: NodeConfig; worker: NodeConfig } {
  if (inline === undefined) {
    const stack = newStack();
    const cluster = new ContainerLinuxCluster(stack, 'cluster', {
      clusterName: 'demo',
      region: 'us-central1',
      project: 'proof-project',
      etcdSize: 3,
      workerCount: 1,
      secretDelivery: SecretDelivery.USER_DATA,
    });
    inline = memberAndWorker(synthJson(stack), cluster);
  }
  return inline;
}

const NODES = [
  { delivery: 'CLOUD_STORAGE', node: 'etcd member', config: () => cloudStorageNodes().member },
  { delivery: 'CLOUD_STORAGE', node: 'worker', config: () => cloudStorageNodes().worker },
  { delivery: 'USER_DATA', node: 'etcd member', config: () => userDataNodes().member },
  { delivery: 'USER_DATA', node: 'worker', config: () => userDataNodes().worker },
];

describe('cluster nodes\' Ignition with etcd TLS under ignition-validate', () => {
  describe.each(NODES)('$delivery: the $node', ({ config }) => {
    validatorTest('is valid, without warnings', (binary) => {
      expect(runIgnitionValidate(binary, Buffer.from(config().json))).toEqual({ exitCode: 0, output: '' });
    });
  });
});

/** What every node of the cluster gets: etcdctl's environment and the login-shell script that reads it. */
function expectEtcdctlFiles(root: ScratchRoot, cert: string, key: string): void {
  expect(root.text('/etc/etcd/etcdctl.env')).toBe(
    `ETCDCTL_API=3\nETCDCTL_ENDPOINTS=${ENDPOINTS}\nETCDCTL_CACERT=/etc/ssl/etcd/ca.pem\nETCDCTL_CERT=/etc/ssl/etcd/${cert}\nETCDCTL_KEY=/etc/ssl/etcd/${key}\n`,
  );
  expect(root.node('/etc/etcd/etcdctl.env')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
  expect(root.text('/etc/profile.d/etcdctl.sh')).toBe(ETCDCTL_PROFILE);
  expect(root.node('/etc/profile.d/etcdctl.sh')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
}

/** The lines of Ignition's preset file (a Go map: the order varies from run to run). */
const presetLines = (root: ScratchRoot) => root.text('/etc/systemd/system-preset/20-ignition.preset').trimEnd().split('\n').sort();

describeWithIgnition('real Ignition applies cluster nodes with SecretDelivery.CLOUD_STORAGE (the default)', () => {
  const runs: { member?: IgnitionRun; worker?: IgnitionRun } = {};
  let member: ScratchRoot;
  let worker: ScratchRoot;
  beforeAll(async () => {
    runs.member = await applyIgnition(cloudStorageNodes().member.json);
    runs.worker = await applyIgnition(cloudStorageNodes().worker.json);
    member = new ScratchRoot(runs.member.root);
    worker = new ScratchRoot(runs.worker.root);
  });
  afterAll(() => {
    runs.member?.cleanup();
    runs.worker?.cleanup();
  });

  it('puts no key in the user-data: no tls_* value in the metadata, nothing in /etc/ssl/etcd', () => {
    for (const { userData } of [cloudStorageNodes().member, cloudStorageNodes().worker]) {
      expect(userData).not.toMatch(/tls_|PRIVATE KEY|CERTIFICATE/);
    }
    expect(existsSync(member.at('/etc/ssl/etcd'))).toBe(false);
    expect(existsSync(worker.at('/etc/ssl/etcd'))).toBe(false);
  });

  it('installs /opt/bin/fetch-secrets, root\'s, 0755, the script of secret-fetch.ts byte for byte', () => {
    for (const root of [member, worker]) {
      expect(root.text('/opt/bin/fetch-secrets')).toBe(FETCH_SECRETS_SH);
      expect(root.node('/opt/bin/fetch-secrets')).toMatchObject({ type: 'file', mode: 0o755, uid: 0, gid: 0 });
    }
  });

  it('writes fetch-secrets.service with the bucket, each node\'s prefix and files, before the units that need them', () => {
    const unit = (root: ScratchRoot) => root.text(`${UNITS}/fetch-secrets.service`);
    expect(unit(member)).toContain('\nBefore=etcd-member.service\n');
    expect(unit(member)).toContain(`\nEnvironment=FETCH_SECRETS_BUCKET=${BUCKET}\nEnvironment=FETCH_SECRETS_PREFIX=etcd/demo-etcd-0/\n`);
    expect(unit(member)).toContain(
      '\nExecStart=/opt/bin/fetch-secrets \\\n  ca.pem /etc/ssl/etcd/ca.pem 0644 root:root \\\n  server.pem /etc/ssl/etcd/server.pem 0644 root:root \\\n  server-key.pem /etc/ssl/etcd/server-key.pem 0600 etcd:etcd\n',
    );
    expect(unit(worker)).toContain('\nBefore=flannel-config.service flanneld.service\n');
    expect(unit(worker)).toContain(`\nEnvironment=FETCH_SECRETS_BUCKET=${BUCKET}\nEnvironment=FETCH_SECRETS_PREFIX=worker/\n`);
    expect(unit(worker)).toContain(
      '\nExecStart=/opt/bin/fetch-secrets \\\n  ca.pem /etc/ssl/etcd/ca.pem 0644 root:root \\\n  client.pem /etc/ssl/etcd/client.pem 0644 root:root \\\n  client-key.pem /etc/ssl/etcd/client-key.pem 0600 root:root\n',
    );
    for (const root of [member, worker]) {
      expect(unit(root)).toMatch(/\[Install\]\nWantedBy=multi-user\.target\n$/);
      expect(root.node(`${UNITS}/fetch-secrets.service`)).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
    }
  });

  it('enables fetch-secrets.service and the refresh timer, not the refresh service, through Ignition\'s preset', () => {
    expect(presetLines(member)).toEqual(expect.arrayContaining(['enable fetch-secrets.service', 'enable fetch-secrets-refresh.timer', 'enable etcd-member.service']));
    expect(presetLines(worker)).toEqual(
      expect.arrayContaining(['enable fetch-secrets.service', 'enable fetch-secrets-refresh.timer', 'enable flannel-config.service', 'enable flanneld.service']),
    );
    for (const root of [member, worker]) expect(presetLines(root).filter((line) => line.includes('fetch-secrets-refresh.service'))).toEqual([]);
  });

  it('writes the refresh service (the boot unit\'s script, files and environment, in refresh mode) and its timer', () => {
    const refresh = (root: ScratchRoot) => root.text(`${UNITS}/fetch-secrets-refresh.service`);
    const boot = (root: ScratchRoot) => root.text(`${UNITS}/fetch-secrets.service`);
    for (const [root, restart] of [
      [member, 'etcd-member.service'],
      [worker, 'flanneld.service'],
    ] as const) {
      expect(refresh(root)).toContain('\nAfter=fetch-secrets.service network-online.target\n');
      expect(refresh(root)).toContain(`\nEnvironment=FETCH_SECRETS_MODE=refresh\nEnvironment="FETCH_SECRETS_RESTART=${restart}"\nEnvironment=FETCH_SECRETS_ON_CHANGE=\n`);
      const execStart = (unit: string) => unit.slice(unit.indexOf('\nExecStart=')).split('\n\n')[0].trimEnd();
      expect(execStart(refresh(root))).toBe(execStart(boot(root)));
      expect(refresh(root)).toContain(`\nEnvironment=FETCH_SECRETS_BUCKET=${BUCKET}\n`);
      expect(root.text(`${UNITS}/fetch-secrets-refresh.timer`)).toMatch(/\n\[Timer\]\nOnBootSec=1h\nOnUnitActiveSec=12h\nRandomizedDelaySec=1h\n\n\[Install\]\nWantedBy=timers\.target\n$/);
    }
  });

  describeIfAvailable('the preset, applied as systemd does at first boot', systemctlUnavailable(), () => {
    it('makes the multi-user.target.wants link of fetch-secrets.service and the timers.target.wants link of the refresh timer (and none where the image\'s "disable *" rules)', () => {
      for (const root of [member, worker]) {
        const links = applyPreset(root, {
          'fetch-secrets.service': 'multi-user.target',
          'fetch-secrets-refresh.timer': 'timers.target',
          'fetch-secrets-refresh.service': 'multi-user.target',
          'unlisted.service': 'multi-user.target',
        });
        expect(links).toEqual({
          'fetch-secrets.service': `${UNITS}/fetch-secrets.service`,
          'fetch-secrets-refresh.timer': `${UNITS}/fetch-secrets-refresh.timer`,
          // No [Install]: nothing to link; the timer starts it.
          'fetch-secrets-refresh.service': undefined,
          'unlisted.service': undefined,
        });
      }
    });
  });

  it('makes the member\'s etcd wait for the files and read them from /etc/ssl/etcd', () => {
    const dropins = `${UNITS}/etcd-member.service.d`;
    expect(member.list(dropins)).toEqual(expect.arrayContaining(['20-fetch-secrets.conf', '30-etcd-tls.conf']));
    expect(member.text(`${dropins}/20-fetch-secrets.conf`)).toBe(requiresFetchDropin());
    expect(member.text(`${dropins}/20-fetch-secrets.conf`)).toBe('[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n');
    expect(member.text(`${dropins}/30-etcd-tls.conf`)).toBe(etcdTlsDropin());
    expect(member.text(`${dropins}/30-etcd-tls.conf`)).toBe('[Service]\nEnvironment="ETCD_SSL_DIR=/etc/ssl/etcd"\n');
  });

  it('makes the worker\'s flannel units wait for the files', () => {
    for (const unit of ['flannel-config.service', 'flanneld.service']) {
      expect(worker.list(`${UNITS}/${unit}.d`)).toEqual(['20-fetch-secrets.conf']);
      expect(worker.text(`${UNITS}/${unit}.d/20-fetch-secrets.conf`)).toBe('[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n');
    }
    expect(worker.text(`${UNITS}/flannel-config.service`)).toContain('\nEnvironmentFile=/etc/etcd/etcdctl.env\n');
  });

  it('gives every node etcdctl\'s environment for its own certificate', () => {
    expectEtcdctlFiles(member, 'server.pem', 'server-key.pem');
    expectEtcdctlFiles(worker, 'client.pem', 'client-key.pem');
  });
});

describeWithIgnition('real Ignition applies cluster nodes with SecretDelivery.USER_DATA', () => {
  const runs: { member?: IgnitionRun; worker?: IgnitionRun } = {};
  let member: ScratchRoot;
  let worker: ScratchRoot;
  beforeAll(async () => {
    runs.member = await applyIgnition(userDataNodes().member.json);
    runs.worker = await applyIgnition(userDataNodes().worker.json);
    member = new ScratchRoot(runs.member.root);
    worker = new ScratchRoot(runs.worker.root);
  });
  afterAll(() => {
    runs.member?.cleanup();
    runs.worker?.cleanup();
  });

  const CA = APPLY_TIME_VALUES['tls_self_signed_cert.cert_pem'];
  const CERT = APPLY_TIME_VALUES['tls_locally_signed_cert.cert_pem'];
  const KEY = APPLY_TIME_VALUES['tls_private_key.private_key_pem'];

  it('writes the member\'s CA, certificate and key; the key 0600 and etcd\'s, for etcd-wrapper\'s etcd user', () => {
    expect(member.list('/etc/ssl/etcd')).toEqual(['ca.pem', 'server-key.pem', 'server.pem']);
    expect(member.text('/etc/ssl/etcd/ca.pem')).toBe(CA);
    expect(member.text('/etc/ssl/etcd/server.pem')).toBe(CERT);
    expect(member.text('/etc/ssl/etcd/server-key.pem')).toBe(KEY);
    expect(member.node('/etc/ssl/etcd/ca.pem')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
    expect(member.node('/etc/ssl/etcd/server.pem')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
    expect(member.node('/etc/ssl/etcd/server-key.pem')).toMatchObject({ type: 'file', mode: 0o600, uid: ETCD_UID, gid: ETCD_UID });
  });

  it('writes the worker\'s CA, client certificate and key; the key 0600 and root\'s', () => {
    expect(worker.list('/etc/ssl/etcd')).toEqual(['ca.pem', 'client-key.pem', 'client.pem']);
    expect(worker.text('/etc/ssl/etcd/ca.pem')).toBe(CA);
    expect(worker.text('/etc/ssl/etcd/client.pem')).toBe(CERT);
    expect(worker.text('/etc/ssl/etcd/client-key.pem')).toBe(KEY);
    expect(worker.node('/etc/ssl/etcd/client-key.pem')).toMatchObject({ type: 'file', mode: 0o600, uid: 0, gid: 0 });
  });

  it('has no fetch unit, script or drop-in; etcd still reads /etc/ssl/etcd', () => {
    for (const root of [member, worker]) {
      expect(existsSync(root.at('/opt/bin/fetch-secrets'))).toBe(false);
      expect(existsSync(root.at(`${UNITS}/fetch-secrets.service`))).toBe(false);
      expect(existsSync(root.at(`${UNITS}/fetch-secrets-refresh.service`))).toBe(false);
      expect(existsSync(root.at(`${UNITS}/fetch-secrets-refresh.timer`))).toBe(false);
      expect(presetLines(root).filter((line) => line.includes('fetch-secrets'))).toEqual([]);
    }
    expect(member.list(`${UNITS}/etcd-member.service.d`)).not.toContain('20-fetch-secrets.conf');
    expect(member.text(`${UNITS}/etcd-member.service.d/30-etcd-tls.conf`)).toBe(etcdTlsDropin());
    for (const unit of ['flannel-config.service', 'flanneld.service']) expect(existsSync(worker.at(`${UNITS}/${unit}.d/20-fetch-secrets.conf`))).toBe(false);
  });

  it('gives every node etcdctl\'s environment for its own certificate', () => {
    expectEtcdctlFiles(member, 'server.pem', 'server-key.pem');
    expectEtcdctlFiles(worker, 'client.pem', 'client-key.pem');
  });
});

/** Why `systemctl --root` cannot run here, or undefined. */
function systemctlUnavailable(): string | undefined {
  const run = spawnSync('systemctl', ['--version'], { encoding: 'utf8' });
  return run.error || run.status !== 0 ? 'systemctl not found (apt-get install systemd; .ci/run installs it)' : undefined;
}

/**
 * `systemctl --root=ROOT preset UNIT...` over the scratch root, with the image's default preset
 * (systemd's `99-default.preset`: `disable *`) so that only Ignition's preset can enable a unit.
 * Returns where each unit's link in its target's .wants (given with the unit) points, if it made one.
 */
function applyPreset(root: ScratchRoot, targets: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const units = Object.keys(targets);
  const vendor = root.at('/usr/lib/systemd/system-preset');
  mkdirSync(vendor, { recursive: true });
  writeFileSync(path.join(vendor, '99-default.preset'), 'disable *\n');
  writeFileSync(root.at(`${UNITS}/unlisted.service`), '[Service]\nExecStart=/usr/bin/true\n[Install]\nWantedBy=multi-user.target\n');
  const run = spawnSync('systemctl', [`--root=${root.dir}`, 'preset', ...units], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
  if (run.status !== 0) throw new Error(`systemctl preset failed (${run.status}): ${run.stderr}`);
  return Object.fromEntries(
    units.map((unit) => {
      const wants = `${UNITS}/${targets[unit]}.wants`;
      return [unit, existsSync(root.at(wants)) && root.list(wants).includes(unit) ? root.linkTarget(`${wants}/${unit}`) : undefined];
    }),
  );
}

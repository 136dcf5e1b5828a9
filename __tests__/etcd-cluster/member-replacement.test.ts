/**
 * Proof with a real etcd that a member survives the loss of its VM, on the flags EtcdCluster
 * synthesizes (read from the user-data the way systemd reads the drop-in, as in cluster.test.ts):
 *
 * 1. VM replaced, data disk kept (the data dir stays): the member restarts on the same flags and
 *    rejoins as itself, same ID and peer URL, with the writes it missed.
 * 2. Data disk lost (the data dir is wiped): the same flags (`--initial-cluster-state=new`) make
 *    etcd refuse to bootstrap the member again; the documented sequence (docs/etcd.md §4.3) of
 *    `member remove`, `member add` and the flags of `initialClusterState: 'existing'` brings it
 *    back as a new member, new ID, same name and peer URL, with the cluster's data.
 *
 * 3. The same loss without any hand work: every member's etcd-member.service runs etcd-rejoin
 *    (ExecStartPre, constructs/etcd-rejoin.ts) with the arguments its drop-in gives; on a blank
 *    disk it removes and re-adds the member (or adds it when it is no longer listed) and leaves
 *    ETCD_INITIAL_CLUSTER_STATE=existing for etcd, which then rejoins with the cluster's data.
 *    With data, or with no other member answering (the first bootstrap), it changes nothing.
 *
 * And etcd's own /health on the metrics listener (plain http): healthy in the cluster, failing on a
 * member that has lost its quorum. Debian's etcd 3.4 runs the flags synthesized for etcd 3.5:
 * EtcdCluster only uses flags that both releases have, with the same meaning. Peers and clients
 * speak mutual TLS with certificates minted to the stack's tls_* resources, as in cluster.test.ts;
 * etcdctl runs as on member 0, with the files its etcdctl.env names.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ETCD_REJOIN_SCRIPT, ETCD_REJOIN_SH } from '../../constructs/etcd-rejoin';
import {
  clientFilesOf,
  etcdctlEnvironment,
  etcdEnvironment,
  etcdRejoinArgv,
  etcdTlsUnavailable,
  provisionClusterTls,
  startRenderedMembers,
  writeLocalEtcdctlEnv,
  type NodeFiles,
} from './cluster-tls';
import { describeIfAvailable } from './gate';
import { etcdInvocation, etcdMemberDropins, flagValue, type MemberMachine } from './etcd-member';
import { hostMappingHere, httpGet, LocalCluster, type HostMapping } from './local-cluster';
import { synthesizedEtcdCluster, type RenderedMember } from './member-configs';
import { parseEnvironmentFile } from './systemd-exec';

const IPS = ['127.0.0.21', '127.0.0.22', '127.0.0.23'];
const HEALTH_DEADLINE_MS = 20_000;

/** GET `url` (the metrics listener, plain http): status and body; rejects when there is no answer. */
async function get(url: string): Promise<{ status: number; body: string }> {
  const result = await httpGet(url);
  if (result.status === undefined) throw new Error(`GET ${url}: ${result.error}`);
  return { status: result.status, body: result.body ?? '' };
}

/** Polls `probe` until it returns a value, for at most `deadlineMs`; the last error otherwise. */
async function eventually<T>(deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last: unknown = 'no answer';
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not within ${deadlineMs} ms: ${last instanceof Error ? last.message : String(last)}`);
}

describeIfAvailable('replacing etcd members of a mutual-TLS cluster, with and without their data disks', etcdTlsUnavailable(), () => {
  const hostMapping: HostMapping = hostMappingHere();
  let dir = '';
  let fresh: RenderedMember[] = [];
  let machines: MemberMachine[] = [];
  let newFlags: string[][] = [];
  let existingFlags: string[][] = [];
  let newEnv: Record<string, string>[] = [];
  let existingEnv: Record<string, string>[] = [];
  let rejoinArgv: string[][] = [];
  let rejoinScript = '';
  let ctlEnvFiles: string[] = [];
  let cluster: LocalCluster;
  const firstIds = new Map<string, string>();

  const name = (i: number) => machines[i].name;
  /** A peer URL as etcdctl hands it to etcd: the DNS name, or its address where names are rewritten. */
  const peerUrl = (i: number) => (hostMapping === 'hosts' ? fresh[i].peerUrl : cluster.mapNames(fresh[i].peerUrl));
  const idsByName = async (via: number) => new Map((await cluster.memberList(cluster.clientEndpoint(name(via)))).map((m) => [m.name, m.id]));
  const readLocally = (i: number, key: string) =>
    eventually(10_000, async () => {
      const out = await cluster.etcdctl(['--endpoints', cluster.clientEndpoint(name(i)), 'get', key, '--print-value-only', '--consistency=s']);
      return out.trim() === '' ? undefined : out.trim();
    });

  beforeAll(() => {
    const synthesized = synthesizedEtcdCluster({ clusterName: 'repl' });
    fresh = synthesized.members;
    const joining = synthesizedEtcdCluster({ clusterName: 'repl', initialClusterState: 'existing' }).members;
    machines = fresh.map((m, i) => ({ name: m.name, dnsName: m.dnsName, ip: IPS[i] }));
    dir = mkdtempSync(path.join(tmpdir(), 'etcd-replacement-'));
    // Both stacks' members fetch the same objects; a replacement VM gets the same files again.
    const pki = provisionClusterTls(synthesized, fresh, dir, hostMapping === 'rewrite' ? new Map(machines.map((m) => [m.name, m.ip])) : new Map());
    const node = (i: number) => pki.nodes.get(fresh[i].name) as NodeFiles;
    const freshInvocations = fresh.map((m, i) => etcdInvocation(etcdMemberDropins(m.ignition), machines[i]));
    const joiningInvocations = joining.map((m, i) => etcdInvocation(etcdMemberDropins(m.ignition), machines[i]));
    newFlags = freshInvocations.map((inv) => [...inv.args]);
    existingFlags = joiningInvocations.map((inv) => [...inv.args]);
    newEnv = freshInvocations.map(etcdEnvironment);
    existingEnv = joiningInvocations.map(etcdEnvironment);
    rejoinArgv = fresh.map((m, i) => etcdRejoinArgv(m.ignition, machines[i]));
    rejoinScript = path.join(dir, 'etcd-rejoin');
    writeFileSync(rejoinScript, ETCD_REJOIN_SH, { mode: 0o755 });
    ctlEnvFiles = fresh.map((m, i) => writeLocalEtcdctlEnv(m.ignition, node(i), path.join(dir, `etcdctl-${i}.env`)));
    const client = clientFilesOf(etcdctlEnvironment(fresh[0].ignition, '/etc/etcd/etcdctl.env'), node(0));
    ({ cluster } = startRenderedMembers(fresh, machines, pki.nodes, { hostMapping, client, args: (i) => newFlags[i] }));
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test("initialClusterState: 'existing' changes one setting of etcd's environment and nothing else (no flag, so that etcd-rejoin can override it)", () => {
    newFlags.forEach((flags, i) => {
      expect(flagValue(flags, 'initial-cluster-state')).toBeUndefined();
      expect(existingFlags[i]).toEqual(flags);
      expect(newEnv[i].ETCD_INITIAL_CLUSTER_STATE).toBe('new');
      expect(existingEnv[i]).toEqual({ ...newEnv[i], ETCD_INITIAL_CLUSTER_STATE: 'existing' });
    });
  });

  test('etcd-member runs etcd-rejoin before etcd with its name, its peer URL and the other members\' client URLs', () => {
    rejoinArgv.forEach((argv, i) => {
      expect(argv).toEqual([ETCD_REJOIN_SCRIPT, name(i), fresh[i].peerUrl, ...fresh.filter((_, j) => j !== i).map((m) => m.clientUrl)]);
    });
  });

  test(`the cluster forms, and each member's /health on its metrics listener (port 2381) says healthy`, async () => {
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    for (let i = 0; i < 3; i++) {
      expect(cluster.healthUrl(name(i))).toBe(`http://${IPS[i]}:2381/health`);
      const health = await get(cluster.healthUrl(name(i)));
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ health: 'true' });
    }
    for (const [member, id] of await idsByName(0)) firstIds.set(member, id);
    expect([...firstIds.keys()].sort()).toEqual([name(0), name(1), name(2)]);
  }, HEALTH_DEADLINE_MS + 10_000);

  test('(1) a member whose VM is replaced with its disk rejoins as itself, and catches up on what it missed', async () => {
    await cluster.kill(name(1));
    // The other two keep the quorum (after electing a new leader, if it was the leader).
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const missed = `written while ${name(1)} was down`;
    const put = await eventually(10_000, () => cluster.etcdctl(['--endpoints', cluster.clientEndpoint(name(0)), 'put', '/proof/missed', missed]));
    expect(put.trim()).toBe('OK');

    // The new VM: the same synthesized flags, the same data dir (its data disk).
    cluster.restart(name(1), newFlags[1], { wipeData: false });
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const members = await cluster.memberList(cluster.clientEndpoint(name(2)));
    expect(members.find((m) => m.name === name(1))).toMatchObject({ id: firstIds.get(name(1)), started: true, peerURLs: [peerUrl(1)] });
    expect(members).toHaveLength(3);
    expect(await readLocally(1, '/proof/missed')).toBe(missed);
  }, HEALTH_DEADLINE_MS + 20_000);

  test('(2a) a member whose disk is lost does not start on the same flags: etcd will not bootstrap it twice', async () => {
    await cluster.kill(name(2));
    cluster.restart(name(2), newFlags[2], { wipeData: true });
    const { exit, log } = await cluster.waitExit(name(2), 20_000);
    expect(exit).toMatch(/^exit [1-9]/);
    expect(log).toMatch(/has already been bootstrapped/);
    // The other two still hold the quorum.
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
  }, 50_000);

  test("(2b) member remove, member add, and the flags of initialClusterState: 'existing' bring it back as a new member", async () => {
    const via = cluster.clientEndpoint(name(0));
    const oldId = firstIds.get(name(2)) as string;
    // With strict_reconfig_check, etcd answers "unhealthy cluster" until the leader has been
    // connected to every member for 5 s (member 1 restarted just now): repeat, as docs/etcd.md says.
    await eventually(15_000, () => cluster.etcdctl(['--endpoints', via, 'member', 'remove', oldId]));
    const added = await eventually(15_000, () => cluster.etcdctl(['--endpoints', via, 'member', 'add', name(2), `--peer-urls=${peerUrl(2)}`]));
    expect(added).toMatch(/ETCD_INITIAL_CLUSTER_STATE="existing"/);

    // The new VM on a new, blank disk, with the synthesized flags of initialClusterState: 'existing'.
    cluster.restart(name(2), existingFlags[2], { wipeData: true, env: existingEnv[2] });
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const members = await cluster.memberList(via);
    const rejoined = members.find((m) => m.name === name(2));
    expect(rejoined).toMatchObject({ started: true, peerURLs: [peerUrl(2)] });
    expect(rejoined?.id).not.toBe(oldId);
    expect(members.map((m) => m.name).sort()).toEqual([name(0), name(1), name(2)]);
    expect(await readLocally(2, '/proof/missed')).toBe(`written while ${name(1)} was down`);
  }, HEALTH_DEADLINE_MS + 20_000);

  /**
   * etcd-member's start on a member's new VM: its ExecStartPre (etcd-rejoin, on the blank data dir
   * `dataDir`) then etcd, with the environment systemd would give it after reading the file the
   * script may have left (EnvironmentFile= overrides Environment=).
   */
  const startAsService = async (i: number, dataDir: string): Promise<{ status: number | null; log: string; state: string }> => {
    const envFile = path.join(dir, `rejoin-${i}.env`);
    const run = await cluster.run(['sh', rejoinScript, ...rejoinArgv[i].slice(1)], {
      env: { ETCD_REJOIN_DATA_DIR: dataDir, ETCD_REJOIN_ENV_FILE: envFile, ETCD_REJOIN_ETCDCTL_ENV: ctlEnvFiles[i] },
      timeoutMs: 40_000,
    });
    const written = existsSync(envFile) ? Object.fromEntries(parseEnvironmentFile(readFileSync(envFile, 'utf8'))) : {};
    if (run.status === 0) cluster.restart(name(i), newFlags[i], { wipeData: true, env: { ...newEnv[i], ...written } });
    return { status: run.status, log: run.stderr, state: written.ETCD_INITIAL_CLUSTER_STATE ?? newEnv[i].ETCD_INITIAL_CLUSTER_STATE };
  };

  test('(3a) with etcd-rejoin, a member whose disk is lost is removed, added back and rejoins with the data, by itself', async () => {
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const oldId = (await idsByName(0)).get(name(1)) as string;
    await cluster.kill(name(1));
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const blank = mkdtempSync(path.join(dir, 'blank-'));
    // With strict reconfig checks the others may refuse a reconfiguration for a few seconds: the
    // service would fail and systemd start it again, as this loop does.
    const logs: string[] = [];
    const started = await eventually(30_000, async () => {
      const result = await startAsService(1, blank);
      logs.push(result.log);
      return result.status === 0 ? result : undefined;
    });
    expect(logs[0]).toMatch(new RegExp(`${name(1)} \\(${oldId}\\) is a member but its data is gone: removing it and adding it back`));
    expect(started.state).toBe('existing');
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const rejoined = (await cluster.memberList(cluster.clientEndpoint(name(0)))).find((m) => m.name === name(1));
    expect(rejoined).toMatchObject({ started: true, peerURLs: [peerUrl(1)] });
    expect(rejoined?.id).not.toBe(oldId);
    expect(await readLocally(1, '/proof/missed')).toBe(`written while ${name(1)} was down`);
  }, 120_000);

  test('(3b) a member someone removed is added back; a member with data, or with nobody to ask, starts as configured', async () => {
    const id = (await idsByName(0)).get(name(1)) as string;
    await cluster.kill(name(1));
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    await eventually(15_000, () => cluster.etcdctl(['--endpoints', cluster.clientEndpoint(name(0)), 'member', 'remove', id]));
    const logs: string[] = [];
    const started = await eventually(30_000, async () => {
      const result = await startAsService(1, mkdtempSync(path.join(dir, 'blank-')));
      logs.push(result.log);
      return result.status === 0 ? result : undefined;
    });
    expect(logs[0]).toContain(`${name(1)} (${fresh[1].peerUrl}) is not a member: adding it`);
    expect(started.state).toBe('existing');
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    expect((await cluster.memberList(cluster.clientEndpoint(name(2)))).filter((m) => m.started).map((m) => m.name).sort()).toEqual([name(0), name(1), name(2)]);

    // With data: nothing asked, nothing written.
    const withData = mkdtempSync(path.join(dir, 'data-'));
    mkdirSync(path.join(withData, 'member'));
    const envFile = path.join(dir, 'untouched.env');
    const kept = await cluster.run(['sh', rejoinScript, ...rejoinArgv[0].slice(1)], { env: { ETCD_REJOIN_DATA_DIR: withData, ETCD_REJOIN_ENV_FILE: envFile, ETCD_REJOIN_ETCDCTL_ENV: ctlEnvFiles[0] } });
    expect([kept.status, kept.stderr, existsSync(envFile)]).toEqual([0, '', false]);
    // The first bootstrap: nobody answers yet.
    const alone = await cluster.run(['sh', rejoinScript, name(0), fresh[0].peerUrl, 'https://127.0.0.99:2379'], {
      env: { ETCD_REJOIN_DATA_DIR: mkdtempSync(path.join(dir, 'blank-')), ETCD_REJOIN_ENV_FILE: envFile, ETCD_REJOIN_ETCDCTL_ENV: ctlEnvFiles[0] },
      timeoutMs: 40_000,
    });
    expect(alone.status).toBe(0);
    expect(alone.stderr).toMatch(/no other member answers .*: starting as configured/);
    expect(existsSync(envFile)).toBe(false);
  }, 120_000);

  test('/health fails on a member that has lost its quorum; the others come back with their data and it heals', async () => {
    const before = await idsByName(2);
    await cluster.kill(name(0));
    await cluster.kill(name(1));
    const unhealthy = await eventually(15_000, async () => {
      const health = await get(cluster.healthUrl(name(2)));
      return health.status === 503 ? health : undefined;
    });
    expect(JSON.parse(unhealthy.body)).toMatchObject({ health: 'false' });

    cluster.restart(name(0), newFlags[0], { wipeData: false });
    cluster.restart(name(1), newFlags[1], { wipeData: false });
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    for (let i = 0; i < 3; i++) expect((await get(cluster.healthUrl(name(i)))).status).toBe(200);
    const ids = await idsByName(2);
    expect([ids.get(name(0)), ids.get(name(1))]).toEqual([before.get(name(0)), before.get(name(1))]);
  }, HEALTH_DEADLINE_MS + 30_000);
});

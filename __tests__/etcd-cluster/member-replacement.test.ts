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
 * And etcd's own /health on the metrics listener (plain http): healthy in the cluster, failing on a
 * member that has lost its quorum. Debian's etcd 3.4 runs the flags synthesized for etcd 3.5:
 * EtcdCluster only uses flags that both releases have, with the same meaning. Peers and clients
 * speak mutual TLS with certificates minted to the stack's tls_* resources, as in cluster.test.ts;
 * etcdctl runs as on member 0, with the files its etcdctl.env names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clientFilesOf, etcdctlEnvironment, etcdTlsUnavailable, provisionClusterTls, startRenderedMembers, type NodeFiles } from './cluster-tls';
import { describeIfAvailable } from './gate';
import { etcdInvocation, etcdMemberDropins, flagValue, type MemberMachine } from './etcd-member';
import { hostMappingHere, httpGet, LocalCluster, type HostMapping } from './local-cluster';
import { synthesizedEtcdCluster, type RenderedMember } from './member-configs';

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
    newFlags = fresh.map((m, i) => [...etcdInvocation(etcdMemberDropins(m.ignition), machines[i]).args]);
    existingFlags = joining.map((m, i) => [...etcdInvocation(etcdMemberDropins(m.ignition), machines[i]).args]);
    const client = clientFilesOf(etcdctlEnvironment(fresh[0].ignition, '/etc/etcd/etcdctl.env'), node(0));
    ({ cluster } = startRenderedMembers(fresh, machines, pki.nodes, { hostMapping, client, args: (i) => newFlags[i] }));
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test("initialClusterState: 'existing' changes one flag and nothing else", () => {
    newFlags.forEach((flags, i) => {
      expect(flagValue(flags, 'initial-cluster-state')).toBe('new');
      expect(existingFlags[i]).toEqual(flags.map((f) => (f === '--initial-cluster-state=new' ? '--initial-cluster-state=existing' : f)));
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
    cluster.restart(name(2), existingFlags[2], { wipeData: true });
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
    const members = await cluster.memberList(via);
    const rejoined = members.find((m) => m.name === name(2));
    expect(rejoined).toMatchObject({ started: true, peerURLs: [peerUrl(2)] });
    expect(rejoined?.id).not.toBe(oldId);
    expect(members.map((m) => m.name).sort()).toEqual([name(0), name(1), name(2)]);
    expect(await readLocally(2, '/proof/missed')).toBe(`written while ${name(1)} was down`);
  }, HEALTH_DEADLINE_MS + 20_000);

  test('/health fails on a member that has lost its quorum; the others come back with their data and it heals', async () => {
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
    expect([ids.get(name(0)), ids.get(name(1))]).toEqual([firstIds.get(name(0)), firstIds.get(name(1))]);
  }, HEALTH_DEADLINE_MS + 30_000);
});

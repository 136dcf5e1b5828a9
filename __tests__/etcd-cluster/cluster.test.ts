/**
 * Proof with a real etcd: the etcd members' configs from the synthesized `cluster` stack (main.ts),
 * read the way systemd reads them, start a working etcd cluster. Debian's etcd 3.4 (etcd-server,
 * etcd-client) runs once per member on 127.0.0.11-13 with the member's own flags; the members'
 * internal DNS names resolve to those addresses (a private /etc/hosts per process) and
 * {PRIVATE_IPV4} (`${COREOS_GCE_IP_LOCAL_0}` from /run/metadata/coreos) is the member's address.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describeIfAvailable } from './gate';
import { etcdInvocation, flagValue, type EtcdInvocation, type MemberMachine } from './etcd-member';
import { bindWildcardTo, etcdUnavailable, LocalCluster, type HostMapping } from './local-cluster';
import { synthesizedMembers, TEST_VARIABLES, type RenderedMember } from './member-configs';

const HEALTH_DEADLINE_MS = 20_000;
const WILDCARDS = ['0.0.0.0', '[::]'];

/** Hosts of a comma-separated URL list. */
const hostsOf = (urls: string | undefined) => (urls ?? '').split(',').map((u) => new URL(u).host.replace(/:\d+$/, ''));

describeIfAvailable('a three-member etcd cluster from the synthesized cluster stack', etcdUnavailable(), () => {
  let source = '';
  let members: RenderedMember[] = [];
  let machines: MemberMachine[] = [];
  let invocations: EtcdInvocation[] = [];
  let hostMapping: HostMapping = 'hosts';
  let cluster: LocalCluster | undefined;
  const etcHosts = readFileSync('/etc/hosts', 'utf8');

  beforeAll(() => {
    ({ source, members } = synthesizedMembers());
    machines = members.map((m, i) => ({ name: m.name, dnsName: m.dnsName, ip: `127.0.0.${11 + i}` }));
    invocations = members.map((m, i) => etcdInvocation(m.dropin, machines[i]));
    cluster = LocalCluster.startMachines(machines, (i) => invocations[i].args);
    hostMapping = cluster.hostMapping;
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 15_000);

  test('three members with distinct names and zones, and zonal internal DNS names in the test project', () => {
    expect(source).toMatch(/ClusterStack/);
    expect(members).toHaveLength(3);
    expect(new Set(members.map((m) => m.name)).size).toBe(3);
    expect(new Set(members.map((m) => m.zone)).size).toBe(3);
    for (const m of members) expect(m.dnsName).toBe(`${m.name}.${m.zone}.c.${TEST_VARIABLES.project}.internal`);
  });

  test("the cluster construct's own view (memberConfigs) matches what Terraform sends", () => {
    for (const m of members) expect(m.hook.dropin).toBe(m.dropin);
  });

  test('systemd would pass each member its name, its address for {PRIVATE_IPV4} and every member by DNS name', () => {
    const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    invocations.forEach((inv, i) => {
      const machine = machines[i];
      const member = members[i];
      expect(inv.warnings).toEqual([]);
      expect(flagValue(inv.args, 'name')).toBe(machine.name);
      expect(member.peerUrl).toBe(`http://${machine.dnsName}:2380`);
      expect(flagValue(inv.args, 'initial-cluster')).toBe(initialCluster);
      // etcd requires its advertised peer URLs to match its own initial-cluster entry (after DNS).
      expect(flagValue(inv.args, 'initial-advertise-peer-urls')).toBe(member.peerUrl);
      expect(flagValue(inv.args, 'advertise-client-urls')).toBe(`http://${machine.ip}:2379`);
      for (const flag of ['listen-peer-urls', 'listen-client-urls']) {
        for (const host of hostsOf(flagValue(inv.args, flag))) expect([machine.ip, ...WILDCARDS]).toContain(host);
      }
      expect(flagValue(inv.args, 'initial-cluster-state')).toBe('new');
      // Nothing left for a shell or systemd to expand, and no quotes left over.
      for (const arg of inv.args) expect(arg).not.toMatch(/[$"'%\\]/);
    });
    // One token for all, or the members would refuse each other.
    expect(new Set(invocations.map((inv) => flagValue(inv.args, 'initial-cluster-token'))).size).toBe(1);
  });

  test("the hook's etcdArgs agree with systemd's reading once the metadata is filled in", () => {
    members.forEach((m, i) => {
      const fromHook = m.hook.etcdArgs.map((arg) => arg.split('${COREOS_GCE_IP_LOCAL_0}').join(machines[i].ip));
      expect(fromHook).toEqual(invocations[i].args);
    });
  });

  test(`every endpoint becomes healthy (within ${HEALTH_DEADLINE_MS / 1000} s)`, async () => {
    const c = cluster as LocalCluster;
    const health = await c.waitHealthy(HEALTH_DEADLINE_MS);
    expect([...health].sort()).toEqual(c.clientEndpoints().map((endpoint) => [endpoint, true]));
  }, HEALTH_DEADLINE_MS + 5_000);

  test('member list shows the three expected names with their peer and client URLs', async () => {
    const c = cluster as LocalCluster;
    const out = await c.etcdctl(['--endpoints', c.clientEndpoints()[1], 'member', 'list', '--write-out=json']);
    const list = JSON.parse(out) as { members: { name: string; peerURLs: string[]; clientURLs: string[] }[] };
    const seen = list.members.map((m) => ({ name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs }));
    // A statically bootstrapped member's peer URLs are its initial-cluster entry (the DNS name);
    // its client URLs are what it advertises ({PRIVATE_IPV4}).
    const expected = members.map((m, i) => ({
      name: m.name,
      peerURLs: [hostMapping === 'hosts' ? m.peerUrl : c.mapNames(m.peerUrl)],
      clientURLs: [`http://${machines[i].ip}:2379`],
    }));
    expect(seen.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected);
  }, 10_000);

  test('a key written through the first member is read through the third', async () => {
    const c = cluster as LocalCluster;
    const [first, , third] = c.clientEndpoints();
    const value = `written via ${first} at ${process.hrtime.bigint()}`;
    expect((await c.etcdctl(['--endpoints', first, 'put', '/proof/key', value])).trim()).toBe('OK');
    const read = await c.etcdctl(['--endpoints', third, 'get', '/proof/key', '--print-value-only', '--consistency=l']);
    expect(read.trim()).toBe(value);
  }, 10_000);

  test("the host's own /etc/hosts is untouched: the members' names resolve only inside the etcd processes", () => {
    expect(readFileSync('/etc/hosts', 'utf8')).toBe(etcHosts);
    for (const m of machines) expect(spawnSync('getent', ['hosts', m.dnsName]).status).not.toBe(0);
  });

  test('the members ran with the flags systemd would pass, except a local --data-dir and wildcard listen addresses', () => {
    const c = cluster as LocalCluster;
    machines.forEach((m, i) => {
      const started = c.argsOf(m.name);
      const given = invocations[i].args;
      expect(started).toHaveLength(given.length);
      started.forEach((arg, k) => {
        if (arg.startsWith('--data-dir=')) expect(given[k]).toMatch(/^--data-dir=/);
        else expect(arg).toBe(bindWildcardTo(hostMapping === 'hosts' ? given[k] : c.mapNames(given[k]), m.ip));
      });
    });
  });
});

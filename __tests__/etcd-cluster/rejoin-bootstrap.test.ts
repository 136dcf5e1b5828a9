/**
 * etcd-rejoin at a cluster's first boot, with a real etcd: every member runs it before etcd (its
 * ExecStartPre), and the machines come up one after the other. The first two find nobody to ask
 * (no member list without a quorum) and bootstrap as configured (`new`); the third finds itself
 * listed by the initial cluster without client URLs (it has never run) and joins as `existing`.
 * The cluster forms with the members the initial cluster names: the script never removes or adds
 * anyone at a first boot.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ETCD_REJOIN_SH } from '../../constructs/etcd-rejoin';
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
import { etcdInvocation, etcdMemberDropins, etcdWrapperSslMount, type MemberMachine } from './etcd-member';
import { hostMappingHere, type LocalCluster } from './local-cluster';
import { synthesizedEtcdCluster } from './member-configs';
import { parseEnvironmentFile } from './systemd-exec';

const IPS = ['127.0.0.31', '127.0.0.32', '127.0.0.33'];

describeIfAvailable('etcd-rejoin when a cluster first boots, its machines one after the other', etcdTlsUnavailable(), () => {
  const hostMapping = hostMappingHere();
  let dir = '';
  let cluster: LocalCluster;
  const states: string[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    const synthesized = synthesizedEtcdCluster({ clusterName: 'boot' });
    const members = synthesized.members;
    const machines: MemberMachine[] = members.map((m, i) => ({ name: m.name, dnsName: m.dnsName, ip: IPS[i] }));
    dir = mkdtempSync(path.join(tmpdir(), 'etcd-rejoin-boot-'));
    const pki = provisionClusterTls(synthesized, members, dir, hostMapping === 'rewrite' ? new Map(machines.map((m) => [m.name, m.ip])) : new Map());
    const node = (i: number) => pki.nodes.get(members[i].name) as NodeFiles;
    const script = path.join(dir, 'etcd-rejoin');
    writeFileSync(script, ETCD_REJOIN_SH, { mode: 0o755 });
    const invocations = members.map((m, i) => etcdInvocation(etcdMemberDropins(m.ignition), machines[i]));
    const client = clientFilesOf(etcdctlEnvironment(members[0].ignition, '/etc/etcd/etcdctl.env'), node(0));

    /** etcd-member's start on machine i: its ExecStartPre, then etcd with what the script left. */
    const start = async (i: number, starter: (env: Record<string, string>) => void, run: LocalCluster['run']) => {
      const ctlEnv = writeLocalEtcdctlEnv(members[i].ignition, node(i), path.join(dir, `etcdctl-${i}.env`));
      const envFile = path.join(dir, `rejoin-${i}.env`);
      const result = await run(['sh', script, ...etcdRejoinArgv(members[i].ignition, machines[i]).slice(1)], {
        env: { ETCD_REJOIN_DATA_DIR: mkdtempSync(path.join(dir, 'blank-')), ETCD_REJOIN_ENV_FILE: envFile, ETCD_REJOIN_ETCDCTL_ENV: ctlEnv },
        timeoutMs: 40_000,
      });
      if (result.status !== 0) throw new Error(`etcd-rejoin on ${members[i].name} exited ${result.status}: ${result.stderr}`);
      logs.push(result.stderr);
      const written = existsSync(envFile) ? Object.fromEntries(parseEnvironmentFile(readFileSync(envFile, 'utf8'))) : {};
      const env = { ...etcdEnvironment(invocations[i]), ...written };
      states.push(env.ETCD_INITIAL_CLUSTER_STATE);
      starter(env);
    };

    // Machine 0 boots first. Its script runs before anything listens: run it through a throwaway
    // LocalCluster-free shell, then start it as the cluster's first member.
    const others = new Map(machines.slice(1).map((m): [string, string] => [m.dnsName, m.ip]));
    let first: Record<string, string> = {};
    await start(0, (env) => (first = env), async (argv, options) => {
      const { execFile } = await import('node:child_process');
      return new Promise((resolve) =>
        execFile(argv[0], argv.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options?.env }, timeout: options?.timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) =>
          resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        ),
      );
    });
    ({ cluster } = startRenderedMembers([members[0]], [machines[0]], pki.nodes, { hostMapping, client, otherHosts: others }));
    // (startRenderedMembers gives member 0 its configured environment; the script left none.)
    expect(first).toEqual(etcdEnvironment(invocations[0]));
    for (const i of [1, 2]) {
      await start(i, (env) => cluster.startMember({ name: members[i].name, ip: IPS[i], args: invocations[i].args, mounts: [etcdWrapperSslMount(invocations[i], node(i).root)], env }), (argv, options) =>
        cluster.run(argv, options),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test('the first machines bootstrap as configured until there is a quorum to ask; the last joins as a member that has never run', () => {
    // Machine 0: nobody listens. Machine 1: machine 0 alone has no quorum, so no member list.
    for (const i of [0, 1]) {
      expect(states[i]).toBe('new');
      expect(logs[i]).toMatch(/no other member answers .*: starting as configured/);
    }
    // Machine 2: the two list it (the initial cluster names it) without client URLs.
    expect(states[2]).toBe('existing');
    expect(logs[2]).toMatch(/boot-etcd-2 \([0-9a-f]+\) is listed but has never run: joining/);
    expect(logs.join('')).not.toMatch(/removing|adding/);
  });

  test('the three form one healthy cluster, every member started under its name', async () => {
    await cluster.waitHealthy(30_000);
    const members = await cluster.memberList(cluster.clientEndpoints()[0]);
    expect(members.map((m) => [m.name, m.started])).toEqual(expect.arrayContaining([['boot-etcd-0', true], ['boot-etcd-1', true], ['boot-etcd-2', true]]));
    expect(members).toHaveLength(3);
  }, 40_000);
});

/**
 * Proof with a real etcd that the workers' flannel-config.service writes flannel's network config:
 * the `cluster` stack of main.ts is synthesized, its three etcd members run Debian's etcd 3.4 on
 * their rendered flags with mutual TLS (as in cluster.test.ts, on 127.0.0.61-63), and the exact
 * argv and environment systemd would run for the worker's unit (ExecStart, and the
 * EnvironmentFile /etc/etcd/etcdctl.env as the worker's Ignition writes it) run in a private mount
 * namespace where the members' DNS names resolve and /etc/ssl holds the worker's fetched files
 * (etc/ssl/etcd: the CA, the `flannel` client certificate and its key).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { transpile } from '../../transpiler';
import { clientFilesOf, etcdTlsUnavailable, ignitionFileText, provisionClusterTls, startRenderedMembers, type NodeFiles } from './cluster-tls';
import { describeIfAvailable } from './gate';
import type { MemberMachine } from './etcd-member';
import { canMapHosts, ETCDCTL_BINARY, LocalCluster, type ReadOnlyMount, type RunResult } from './local-cluster';
import { synthesizedMembers, type Json, type RenderedMember } from './member-configs';
import { parseUnitFile, serviceCommands } from './systemd-exec';
import { evaluateTemplate } from './terraform-template';

const IPS = ['127.0.0.61', '127.0.0.62', '127.0.0.63'];
const UNIT = 'flannel-config.service';
const CONFIG_KEY = '/coreos.com/network/config';
const HEALTH_DEADLINE_MS = 20_000;


/** The texts systemd reads for a unit: its contents (or `base`), then its drop-ins. */
function unitFiles(ignition: Json, name: string, base?: string): { name: string; text: string }[] {
  const units = (ignition.systemd?.units ?? []).filter((u: Json) => u.name === name);
  if (units.length === 0) throw new Error(`no ${name} in the Ignition config`);
  const main = units.find((u: Json) => u.contents !== undefined)?.contents ?? base;
  const dropins = units.flatMap((u: Json) => u.dropins ?? []).map((d: Json) => ({ name: d.name, text: d.contents as string }));
  return [...(main === undefined ? [] : [{ name, text: main as string }]), ...dropins];
}

/** `--flag=value` words of argv with the values `shorter` gives instead. */
const withValues = (argv: readonly string[], shorter: Readonly<Record<string, string>>) =>
  argv.map((a) => {
    const flag = /^--([a-z-]+)=/.exec(a)?.[1];
    return flag !== undefined && flag in shorter ? `--${flag}=${shorter[flag]}` : a;
  });

const privateMountsUnavailable = () => (canMapHosts() ? undefined : 'not root, or unshare --mount fails: no private /etc/hosts and /etc/ssl for the exact command');

describeIfAvailable("flannel-config.service's command against a real etcd with mutual TLS (Debian's etcd 3.4)", etcdTlsUnavailable() ?? privateMountsUnavailable(), () => {
  let dir = '';
  let members: RenderedMember[] = [];
  let machines: MemberMachine[] = [];
  let worker: Json;
  let workerFiles: NodeFiles;
  let workerMounts: ReadOnlyMount[] = [];
  let unit: { name: string; text: string }[] = [];
  let put: { argv: string[]; env: Record<string, string> };
  let cluster: LocalCluster | undefined;

  /** Runs argv as systemd would on the worker: exactly `env`, the worker's /etc/ssl, the members' names. */
  const onWorker = (argv: readonly string[], env: Record<string, string>, timeoutMs = 20_000): Promise<RunResult> =>
    (cluster as LocalCluster).run(argv, { env, mounts: workerMounts, timeoutMs });

  beforeAll(async () => {
    const synthesized = synthesizedMembers();
    members = synthesized.members;
    const templates: Json[] = Object.values(synthesized.terraform.resource?.google_compute_region_instance_template ?? {});
    if (templates.length !== 1) throw new Error(`expected the default pool's one instance template, got ${templates.length}`);
    worker = JSON.parse(evaluateTemplate(templates[0].metadata['user-data'], synthesized.references));
    machines = members.map((m, i) => ({ name: m.name, dnsName: m.dnsName, ip: IPS[i] }));
    dir = mkdtempSync(path.join(tmpdir(), 'flannel-config-'));
    const pki = provisionClusterTls(synthesized, [...members, { name: 'worker', ignition: worker }], dir);
    workerFiles = pki.nodes.get('worker') as NodeFiles;
    workerMounts = [{ source: path.join(workerFiles.root, 'etc/ssl'), target: '/etc/ssl' }];
    // systemd reads the EnvironmentFile from the worker's disk, where Ignition wrote it from the user-data.
    unit = unitFiles(worker, UNIT);
    const [command] = serviceCommands(unit, 'ExecStart', (file) => ignitionFileText(worker, file));
    put = { argv: command.argv, env: Object.fromEntries(command.env) };
    // etcdctl() below presents the worker's files, as its etcdctl.env names them.
    ({ cluster } = startRenderedMembers(members, machines, pki.nodes, { hostMapping: 'hosts', client: clientFilesOf(new Map(Object.entries(put.env)), workerFiles) }));
    await cluster.waitHealthy(HEALTH_DEADLINE_MS);
  }, HEALTH_DEADLINE_MS + 30_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test("the command takes its endpoints and the workers' client certificate from etcdctl.env, which names the files the worker fetches", () => {
    expect(put.argv.slice(0, 5)).toEqual([ETCDCTL_BINARY, '--dial-timeout=5s', '--command-timeout=10s', 'put', CONFIG_KEY]);
    expect(put.env).toMatchObject({ ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: members.map((m) => m.clientUrl).join(',') });
    for (const variable of ['ETCDCTL_CACERT', 'ETCDCTL_CERT', 'ETCDCTL_KEY']) expect(workerFiles.files.has(put.env[variable])).toBe(true);
    const cert = workerFiles.secrets.find((s) => s.path === put.env.ETCDCTL_CERT);
    expect(cert?.source).toMatch(/^tls_locally_signed_cert\..*client-flannel-cert.*\.cert_pem$/);
  });

  test("the exact argv and environment systemd would run put the key, twice (idempotent), and flannel's key reads back", async () => {
    for (let i = 0; i < 2; i++) {
      const result = await onWorker(put.argv, put.env);
      expect({ status: result.status, out: result.stdout.trim(), err: result.stderr }).toEqual({ status: 0, out: 'OK', err: '' });
    }
    const value = await (cluster as LocalCluster).etcdctl(['get', CONFIG_KEY, '--print-value-only', `--endpoints=${put.env.ETCDCTL_ENDPOINTS}`]);
    expect(JSON.parse(value)).toEqual({ Network: '10.2.0.0/16', Backend: { Type: 'vxlan' } });
    // A v2 client (flannel before 0.18, ct's `etcdctl set`) gets nothing from an etcd with the v2 API off
    // (3.4's default): the error flannel 0.11 logs as "Couldn't fetch network config".
    const v2Files = ['--ca-file', put.env.ETCDCTL_CACERT, '--cert-file', put.env.ETCDCTL_CERT, '--key-file', put.env.ETCDCTL_KEY];
    const v2 = await onWorker([ETCDCTL_BINARY, `--endpoints=${put.env.ETCDCTL_ENDPOINTS}`, ...v2Files, 'get', CONFIG_KEY], { ETCDCTL_API: '2' });
    expect({ status: v2.status, out: v2.stdout }).toEqual({ status: 4, out: '' });
    expect(v2.stderr).toContain('client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint');
  }, 30_000);

  test('without the client certificate, the same command is refused', async () => {
    const { ETCDCTL_CERT: _cert, ETCDCTL_KEY: _key, ...withoutCertificate } = put.env;
    const result = await onWorker(withValues(put.argv, { 'dial-timeout': '1s', 'command-timeout': '1s' }), withoutCertificate);
    expect(result.status).not.toBe(0);
    await (cluster as LocalCluster).waitForLog(members[0].name, /rejected connection .*client didn't provide a certificate/);
  }, 15_000);

  test("the old design's command, ct's flannel ExecStartPre (`etcdctl set`), fails here: etcdctl 3.4+ speaks v3 unless told otherwise", async () => {
    const old = transpile(`flannel:\n  etcd_endpoints: ${members[0].clientUrl}\n  network_config: '{"Network":"10.2.0.0/16","Backend":{"Type":"vxlan"}}'\n`, {
      platform: 'gce',
      dialect: 'flatcar',
    });
    const [set] = serviceCommands(unitFiles(old.ignition, 'flanneld.service', '[Service]\nExecStart=/usr/lib/flatcar/flannel-wrapper $FLANNEL_OPTS\n'), 'ExecStartPre', () => undefined);
    expect(set.argv.slice(2, 4)).toEqual(['set', CONFIG_KEY]);
    const result = await onWorker(set.argv, Object.fromEntries(set.env));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('unknown command "set"');
  });

  test('it fails, and systemd retries it every 5 s, while etcd cannot be reached', async () => {
    const service = unit.flatMap((f) => parseUnitFile(f.text)).filter((a) => a.section === 'Service');
    expect(service.filter((a) => a.key === 'Restart' || a.key === 'RestartSec').map((a) => `${a.key}=${a.value}`)).toEqual(['Restart=on-failure', 'RestartSec=5']);
    const c = cluster as LocalCluster;
    for (const m of members) await c.kill(m.name);
    // Shorter timeouts than the unit's 5 s and 10 s keep the test quick; nothing else changes.
    const unreachable = withValues(put.argv, { 'dial-timeout': '1s', 'command-timeout': '1s' });
    expect(unreachable.slice(3)).toEqual(put.argv.slice(3));
    const result = await onWorker(unreachable, put.env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/context deadline exceeded|connection refused/);
  }, 20_000);
});

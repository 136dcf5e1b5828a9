/**
 * Proof with a real etcd: the etcd members' configs from the synthesized `cluster` stack (main.ts),
 * read the way systemd reads them, start a working etcd cluster with mutual TLS. Debian's etcd 3.4
 * (etcd-server, etcd-client) runs once per member on 127.0.0.11-13 with the member's own flags;
 * the members' internal DNS names resolve to those addresses (a private /etc/hosts per process),
 * {PRIVATE_IPV4} (`${COREOS_GCE_IP_LOCAL_0}` from /run/metadata/coreos) is the member's address,
 * and each member's certificate and key are the ones openssl minted to the stack's tls_* resources,
 * at the paths its fetch-secrets.service installs them, mounted where etcd-wrapper mounts them.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { certificateFacts, mintFromAnotherCa, plannedFacts, type MintedCert } from '../etcd-tls/openssl-from-tls';
import { clientFilesOf, etcdctlEnvironment, etcdTlsUnavailable, provisionClusterTls, startRenderedMembers, type ClusterTls, type NodeFiles } from './cluster-tls';
import { describeIfAvailable } from './gate';
import { ETCD_WRAPPER_SSL_MOUNT, etcdWrapperSslMount, flagValue, type EtcdInvocation, type MemberMachine } from './etcd-member';
import { bindWildcardTo, ETCDCTL_BINARY, hostMappingHere, httpGet, LocalCluster, peerRequest, rewriteMounted, type ClientFiles, type HostMapping } from './local-cluster';
import { synthesizedMembers, TEST_VARIABLES, type RenderedMember } from './member-configs';

const HEALTH_DEADLINE_MS = 20_000;
const WILDCARDS = ['0.0.0.0', '[::]'];
/** etcdctl's settings on every node (docs/security.md §4). */
const ETCDCTL_ENV_FILE = '/etc/etcd/etcdctl.env';
/** The workers' client role (ContainerLinuxCluster). */
const WORKER_ROLE = 'flannel';
/** A machine of the network that is no member. */
const OUTSIDER = { name: 'outsider.c.proof-project.internal', ip: '127.0.0.19' };
const TLS_PATH_FLAGS = ['cert-file', 'key-file', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file'];

/** Hosts of a comma-separated URL list. */
const hostsOf = (urls: string | undefined) => (urls ?? '').split(',').map((u) => new URL(u).host.replace(/:\d+$/, ''));

describeIfAvailable('a three-member etcd cluster with mutual TLS from the synthesized cluster stack', etcdTlsUnavailable(), () => {
  const etcHosts = readFileSync('/etc/hosts', 'utf8');
  const hostMapping: HostMapping = hostMappingHere();
  const extraSans = hostMapping === 'rewrite' ? ' (names rewritten to addresses here, so each member certificate also names its address)' : '';
  let dir = '';
  let source = '';
  let members: RenderedMember[] = [];
  let machines: MemberMachine[] = [];
  let invocations: EtcdInvocation[] = [];
  let pki: ClusterTls;
  let cluster: LocalCluster | undefined;
  let onMember0: ClientFiles;
  let stranger: MintedCert;

  const node = (i: number) => pki.nodes.get(members[i].name) as NodeFiles;
  const minted = (commonName: string) => pki.minted.get(commonName) as MintedCert;
  const pem = (file: string) => readFileSync(file, 'utf8');
  const worker = () => ({ ca: pem(pki.caFile), cert: pem(minted(WORKER_ROLE).certFile), key: pem(minted(WORKER_ROLE).keyFile) });

  beforeAll(() => {
    const synthesized = synthesizedMembers();
    ({ source, members } = synthesized);
    machines = members.map((m, i) => ({ name: m.name, dnsName: m.dnsName, ip: `127.0.0.${11 + i}` }));
    dir = mkdtempSync(path.join(tmpdir(), 'etcd-cluster-tls-'));
    pki = provisionClusterTls(synthesized, members, dir, hostMapping === 'rewrite' ? new Map(machines.map((m) => [m.name, m.ip])) : new Map());
    mkdirSync(path.join(dir, 'stranger'));
    stranger = mintFromAnotherCa(pki.plan, WORKER_ROLE, path.join(dir, 'stranger'));
    // etcdctl as on member 0 (`sudo -i etcdctl`): its etcdctl.env's files.
    onMember0 = clientFilesOf(etcdctlEnvironment(members[0].ignition, ETCDCTL_ENV_FILE), node(0));
    ({ cluster, invocations } = startRenderedMembers(members, machines, pki.nodes, { hostMapping, client: onMember0, otherHosts: new Map([[OUTSIDER.name, OUTSIDER.ip]]) }));
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
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

  test('systemd would pass each member its name, its address for {PRIVATE_IPV4} and every member by DNS name, over https', () => {
    const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    invocations.forEach((inv, i) => {
      const machine = machines[i];
      const member = members[i];
      expect(inv.warnings).toEqual([]);
      expect(flagValue(inv.args, 'name')).toBe(machine.name);
      expect(member.peerUrl).toBe(`https://${machine.dnsName}:2380`);
      expect(flagValue(inv.args, 'initial-cluster')).toBe(initialCluster);
      // etcd requires its advertised peer URLs to match its own initial-cluster entry (after DNS).
      expect(flagValue(inv.args, 'initial-advertise-peer-urls')).toBe(member.peerUrl);
      // Clients verify the host they dial: the name the certificate carries, not the bare address.
      expect(flagValue(inv.args, 'advertise-client-urls')).toBe(`https://${machine.dnsName}:2379`);
      expect(member.clientUrl).toBe(`https://${machine.dnsName}:2379`);
      for (const flag of ['listen-peer-urls', 'listen-client-urls']) {
        expect(flagValue(inv.args, flag)).toMatch(/^https:\/\//);
        for (const host of hostsOf(flagValue(inv.args, flag))) expect([machine.ip, ...WILDCARDS]).toContain(host);
      }
      expect(flagValue(inv.args, 'listen-metrics-urls')).toMatch(/^http:\/\/[^,]+:2381$/);
      expect([flagValue(inv.args, 'client-cert-auth'), flagValue(inv.args, 'peer-client-cert-auth')]).toEqual(['true', 'true']);
      // The state is etcd's environment, which etcd-rejoin may override (a flag would win over it).
      expect([flagValue(inv.args, 'initial-cluster-state'), inv.environment.get('ETCD_INITIAL_CLUSTER_STATE')]).toEqual([undefined, 'new']);
      // Nothing left for a shell or systemd to expand, and no quotes left over.
      for (const arg of inv.args) expect(arg).not.toMatch(/[$"'%\\]/);
    });
    // One token for all, or the members would refuse each other.
    expect(new Set(invocations.map((inv) => flagValue(inv.args, 'initial-cluster-token'))).size).toBe(1);
  });

  test("each member's TLS flags name, through etcd-wrapper's mount of ETCD_SSL_DIR, what its fetch-secrets installs: its own certificate and key, and the cluster CA", () => {
    invocations.forEach((inv, i) => {
      const mount = etcdWrapperSslMount(inv, '');
      expect(mount.target).toBe(ETCD_WRAPPER_SSL_MOUNT);
      const sourceOf = (flag: string) => {
        const inContainer = flagValue(inv.args, flag) as string;
        expect(inContainer.startsWith(`${ETCD_WRAPPER_SSL_MOUNT}/`)).toBe(true);
        const onHost = rewriteMounted(inContainer, [mount]);
        const secret = node(i).secrets.find((s) => s.path === onHost);
        if (!secret) throw new Error(`--${flag}=${inContainer} is ${onHost} on the host, which fetch-secrets does not install`);
        return secret.source;
      };
      const own = minted(members[i].name).cert;
      for (const flag of ['cert-file', 'peer-cert-file']) expect(sourceOf(flag)).toBe(`${own.address}.cert_pem`);
      for (const flag of ['key-file', 'peer-key-file']) expect(sourceOf(flag)).toBe(`${own.key.address}.private_key_pem`);
      for (const flag of ['trusted-ca-file', 'peer-trusted-ca-file']) expect(sourceOf(flag)).toBe(`${pki.plan.cas[0].address}.cert_pem`);
      // The key is the etcd user's alone.
      expect(node(i).secrets.find((s) => s.source.endsWith('.private_key_pem'))?.mode).toBe(0o600);
    });
  });

  test(`openssl minted what the tls resources say: subjects, SANs, key usages, extended key usages, CA flag, validity${extraSans}`, () => {
    expect([...pki.minted.keys()].sort()).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2', 'demo-etcd-ca', WORKER_ROLE]);
    const ca = new X509Certificate(readFileSync(pki.caFile));
    for (const { cert, certFile } of pki.minted.values()) {
      expect(certificateFacts(certFile)).toEqual(plannedFacts(cert));
      expect(new X509Certificate(readFileSync(certFile)).checkIssued(ca)).toBe(true);
    }
    machines.forEach((m) => {
      const { cert } = minted(m.name);
      expect([cert.dnsNames, cert.ipAddresses]).toEqual([[m.dnsName, 'localhost'], hostMapping === 'rewrite' ? ['127.0.0.1', m.ip] : ['127.0.0.1']]);
    });
  });

  test("the hook's etcdArgs agree with systemd's reading once the metadata is filled in", () => {
    members.forEach((m, i) => {
      const fromHook = m.hook.etcdArgs.map((arg) => arg.split('${COREOS_GCE_IP_LOCAL_0}').join(machines[i].ip));
      expect(fromHook).toEqual(invocations[i].args);
    });
  });

  test(`every endpoint becomes healthy over TLS (within ${HEALTH_DEADLINE_MS / 1000} s)`, async () => {
    const c = cluster as LocalCluster;
    const health = await c.waitHealthy(HEALTH_DEADLINE_MS);
    expect([...health].sort()).toEqual(c.clientEndpoints().map((endpoint) => [endpoint, true]));
    expect(c.clientEndpoints()).toEqual(members.map((m) => (hostMapping === 'hosts' ? m.clientUrl : c.mapNames(m.clientUrl))));
  }, HEALTH_DEADLINE_MS + 5_000);

  test('member list shows the three expected names with their https peer and client URLs', async () => {
    const c = cluster as LocalCluster;
    const out = await c.etcdctl(['--endpoints', c.clientEndpoints()[1], 'member', 'list', '--write-out=json']);
    const list = JSON.parse(out) as { members: { name: string; peerURLs: string[]; clientURLs: string[] }[] };
    const seen = list.members.map((m) => ({ name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs }));
    const mapped = (url: string) => (hostMapping === 'hosts' ? url : c.mapNames(url));
    const expected = members.map((m) => ({ name: m.name, peerURLs: [mapped(m.peerUrl)], clientURLs: [mapped(m.clientUrl)] }));
    expect(seen.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected);
  }, 10_000);

  test("a key written by etcdctl as on member 0 (its rendered etcdctl.env, no flags) is read with the workers' certificate through member 2", async () => {
    const c = cluster as LocalCluster;
    const environment = Object.fromEntries(etcdctlEnvironment(members[0].ignition, ETCDCTL_ENV_FILE));
    expect(environment.ETCDCTL_ENDPOINTS).toBe(members.map((m) => m.clientUrl).join(','));
    const value = `written on ${members[0].name} at ${process.hrtime.bigint()}`;
    // The member's /etc/ssl (its fetched files in etc/ssl/etcd) is mounted at /etc/ssl.
    const put = await c.run([ETCDCTL_BINARY, 'put', '/proof/key', value], { env: environment, mounts: [{ source: path.join(node(0).root, 'etc/ssl'), target: '/etc/ssl' }] });
    expect({ status: put.status, out: put.stdout.trim(), err: put.stderr }).toEqual({ status: 0, out: 'OK', err: '' });
    const workerFiles = ['--cacert', pki.caFile, '--cert', minted(WORKER_ROLE).certFile, '--key', minted(WORKER_ROLE).keyFile];
    const read = await c.etcdctl(['--endpoints', c.clientEndpoints()[2], ...workerFiles, 'get', '/proof/key', '--print-value-only', '--consistency=l']);
    expect(read.trim()).toBe(value);
    // Node's own client, verifying the name in the URL against the certificate.
    const version = await httpGet(`${c.clientEndpoints()[1]}/version`, { ...worker(), lookup: c.lookup });
    expect(version.status).toBe(200);
    expect(JSON.parse(version.body ?? '{}')).toMatchObject({ etcdserver: expect.stringMatching(/^3\.4\./) });
  }, 15_000);

  test('a client without a certificate is refused', async () => {
    const c = cluster as LocalCluster;
    const endpoint = c.clientEndpoints()[0];
    await expect(c.etcdctl(['--endpoints', endpoint, '--dial-timeout=500ms', '--command-timeout=500ms', '--cacert', pki.caFile, 'get', '/proof/key'])).rejects.toThrow();
    const version = await httpGet(`${endpoint}/version`, { ca: worker().ca, lookup: c.lookup });
    // etcd requires and verifies a client certificate: the handshake fails.
    expect(version.status).toBeUndefined();
    expect(version.error).toMatch(/ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/);
    await c.waitForLog(members[0].name, /rejected connection .*client didn't provide a certificate/);
  }, 15_000);

  test("a client with a certificate for the workers' role from another CA is refused", async () => {
    const c = cluster as LocalCluster;
    const endpoint = c.clientEndpoints()[0];
    expect(new X509Certificate(readFileSync(stranger.certFile)).subject).toBe(`O=stranger\nCN=${WORKER_ROLE}`);
    const flags = ['--cacert', pki.caFile, '--cert', stranger.certFile, '--key', stranger.keyFile];
    await expect(c.etcdctl(['--endpoints', endpoint, '--dial-timeout=500ms', '--command-timeout=500ms', ...flags, 'get', '/proof/key'])).rejects.toThrow();
    const version = await httpGet(`${endpoint}/version`, { ca: worker().ca, cert: pem(stranger.certFile), key: pem(stranger.keyFile), lookup: c.lookup });
    expect(version.status).toBeUndefined();
    expect(version.error).toMatch(/ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/);
    await c.waitForLog(members[0].name, /rejected connection .*certificate signed by unknown authority/);
  }, 15_000);

  test('plain http to the client port is refused', async () => {
    const c = cluster as LocalCluster;
    const plain = c.clientEndpoints()[0].replace(/^https:/, 'http:');
    await expect(c.etcdctl(['--endpoints', plain, '--dial-timeout=500ms', '--command-timeout=500ms', 'get', '/proof/key'])).rejects.toThrow();
    const version = await httpGet(`${plain}/version`, { lookup: c.lookup });
    // etcd's listener speaks only TLS: the plain request is no handshake, and the connection is dropped.
    expect(version.status).toBeUndefined();
    expect(version.error).toMatch(/ECONNRESET|socket hang up/);
    await c.waitForLog(members[0].name, /rejected connection .*first record does not look like a TLS handshake/);
  }, 15_000);

  (hostMapping === 'hosts' ? test : test.skip)(
    "the peer port checks a member's certificate against the caller's address by name: from the member's own address it is taken, from another machine's refused",
    async () => {
      const c = cluster as LocalCluster;
      // Here members dial each other from 127.0.0.1 (loopback's source address), which their
      // certificates name; on GCE they dial from their internal IPs, which only their DNS names give.
      const asMember1 = { ca: pem(pki.caFile), cert: pem(node(1).files.get('/etc/ssl/etcd/server.pem') as string), key: pem(node(1).files.get('/etc/ssl/etcd/server-key.pem') as string) };
      const target = { ...asMember1, servername: machines[0].dnsName };
      expect(await peerRequest(machines[0].ip, { ...target, localAddress: machines[1].ip })).toMatch(/^HTTP\/1\.1 /);
      expect(await peerRequest(machines[0].ip, { ...target, localAddress: OUTSIDER.ip })).toBe('closed after ""');
      const line = await c.waitForLog(members[0].name, new RegExp(`rejected connection from "${OUTSIDER.ip.replace(/\./g, '\\.')}:`));
      expect(line).toContain(`does not match any of DNSNames [\\"${machines[1].dnsName}\\" \\"localhost\\"]`);
    },
    10_000,
  );

  test("the host's own /etc/hosts is untouched: the members' names resolve only inside the etcd processes", () => {
    expect(readFileSync('/etc/hosts', 'utf8')).toBe(etcHosts);
    for (const m of machines) expect(spawnSync('getent', ['hosts', m.dnsName]).status).not.toBe(0);
  });

  test(`the members ran with the flags systemd would pass, except a local --data-dir and wildcard listen addresses${hostMapping === 'rewrite' ? ', names and TLS paths rewritten' : ''}`, () => {
    const c = cluster as LocalCluster;
    machines.forEach((m, i) => {
      const started = c.argsOf(m.name);
      const given = invocations[i].args;
      const mounts = [etcdWrapperSslMount(invocations[i], node(i).root)];
      expect(started).toHaveLength(given.length);
      started.forEach((arg, k) => {
        if (arg.startsWith('--data-dir=')) expect(given[k]).toMatch(/^--data-dir=/);
        else expect(arg).toBe(bindWildcardTo(hostMapping === 'hosts' ? given[k] : rewriteMounted(c.mapNames(given[k]), mounts), m.ip));
      });
      if (hostMapping === 'hosts') for (const flag of TLS_PATH_FLAGS) expect(flagValue(started, flag)).toBe(flagValue(given, flag));
    });
  });
});

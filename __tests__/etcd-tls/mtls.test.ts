/**
 * Proof with a real etcd, for EtcdMemberAddressing.STATIC_IP: an EtcdCluster whose members are
 * reached by reserved internal IPs (127.0.0.71-73 stand in for the addresses Terraform reserves)
 * is synthesized, and Debian's etcd 3.4 runs on each member's rendered flags (read as systemd reads
 * its drop-ins, as in __tests__/etcd-cluster/cluster.test.ts) with certificates openssl minted to
 * exactly what the stack's tls_* resources say (openssl-from-tls.ts reads them from the Terraform
 * JSON, so the two cannot drift). Clients and peers dial the addresses, which the member
 * certificates carry as IP SANs; etcd refuses clients without a certificate, with one from another
 * CA, and over plain HTTP, and checks a peer's certificate against the address it comes from.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EtcdMemberAddressing } from '../../constructs/etcd-cluster';
import { etcdTlsUnavailable, provisionClusterTls, startRenderedMembers, type ClusterTls } from '../etcd-cluster/cluster-tls';
import { describeIfAvailable } from '../etcd-cluster/gate';
import { etcdWrapperSslMount, flagValue, type EtcdInvocation, type MemberMachine } from '../etcd-cluster/etcd-member';
import { hostMappingHere, httpGet, LocalCluster, peerRequest, type HostMapping } from '../etcd-cluster/local-cluster';
import { synthesizedEtcdCluster, type RenderedMember } from '../etcd-cluster/member-configs';
import { certificateFacts, mintFromAnotherCa, plannedFacts, type MintedCert } from './openssl-from-tls';
import { CLIENT_ROLES } from './pki-stack';

const IPS = ['127.0.0.71', '127.0.0.72', '127.0.0.73'];
/** A machine of the network that is no member. */
const OUTSIDER = { name: 'outsider.c.proof-project.internal', ip: '127.0.0.79' };
const HEALTH_DEADLINE_MS = 15_000;
const ROLE = CLIENT_ROLES[0];

describeIfAvailable('etcd with mutual TLS from a synthesized EtcdCluster on reserved addresses (STATIC_IP)', etcdTlsUnavailable(), () => {
  const hostMapping: HostMapping = hostMappingHere();
  let dir = '';
  let members: RenderedMember[] = [];
  let machines: MemberMachine[] = [];
  let invocations: EtcdInvocation[] = [];
  let pki: ClusterTls;
  let stranger: MintedCert;
  let cluster: LocalCluster | undefined;
  const minted = (cn: string) => {
    const m = pki.minted.get(cn);
    if (!m) throw new Error(`no minted certificate for ${cn}`);
    return m;
  };
  const pem = (file: string) => readFileSync(file, 'utf8');
  const roleFiles = (cn: string) => ['--cacert', pki.caFile, '--cert', minted(cn).certFile, '--key', minted(cn).keyFile];
  const roleTls = (cn: string) => ({ ca: pem(pki.caFile), cert: pem(minted(cn).certFile), key: pem(minted(cn).keyFile) });
  const endpoints = IPS.map((ip) => `https://${ip}:2379`);

  beforeAll(() => {
    const synthesized = synthesizedEtcdCluster({ clusterName: 'demo', memberAddressing: EtcdMemberAddressing.STATIC_IP, clientRoles: [...CLIENT_ROLES] }, IPS);
    members = synthesized.members;
    machines = members.map((m, i) => ({ name: m.name, dnsName: m.dnsName, ip: IPS[i] }));
    dir = mkdtempSync(path.join(tmpdir(), 'etcd-tls-'));
    pki = provisionClusterTls(synthesized, members, dir);
    mkdirSync(path.join(dir, 'stranger'));
    stranger = mintFromAnotherCa(pki.plan, ROLE, path.join(dir, 'stranger'));
    ({ cluster, invocations } = startRenderedMembers(members, machines, pki.nodes, {
      hostMapping,
      client: { ca: pki.caFile, cert: minted(ROLE).certFile, key: minted(ROLE).keyFile },
      otherHosts: new Map([[OUTSIDER.name, OUTSIDER.ip]]),
    }));
  }, 30_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test('openssl minted what the tls resources say: subjects, SANs (the reserved addresses), key usages, extended key usages, CA flag, validity', () => {
    expect([...pki.minted.keys()].sort()).toEqual([...CLIENT_ROLES, ...members.map((m) => m.name), 'demo-etcd-ca'].sort());
    const ca = new X509Certificate(readFileSync(pki.caFile));
    for (const { cert, certFile } of pki.minted.values()) {
      const facts = certificateFacts(certFile);
      expect(facts).toEqual(plannedFacts(cert));
      expect(facts.key).toBe('ec prime256v1');
      expect(new X509Certificate(readFileSync(certFile)).checkIssued(ca)).toBe(true);
    }
    machines.forEach((m) => expect([minted(m.name).cert.dnsNames, minted(m.name).cert.ipAddresses]).toEqual([[m.dnsName, 'localhost'], [m.ip, '127.0.0.1']]));
    for (const role of CLIENT_ROLES) expect([minted(role).cert.dnsNames, minted(role).cert.ipAddresses, minted(role).cert.allowedUses]).toEqual([[], [], ['digital_signature', 'client_auth']]);
  });

  test('systemd would pass each member https URLs on its reserved address, and TLS files in the directory etcd-wrapper mounts', () => {
    const initialCluster = machines.map((m) => `${m.name}=https://${m.ip}:2380`).join(',');
    invocations.forEach((inv, i) => {
      expect(inv.warnings).toEqual([]);
      expect(flagValue(inv.args, 'initial-cluster')).toBe(initialCluster);
      expect(flagValue(inv.args, 'initial-advertise-peer-urls')).toBe(`https://${IPS[i]}:2380`);
      expect(flagValue(inv.args, 'listen-peer-urls')).toBe(`https://${IPS[i]}:2380`);
      expect(flagValue(inv.args, 'advertise-client-urls')).toBe(endpoints[i]);
      expect(members[i].clientUrl).toBe(endpoints[i]);
      const mount = etcdWrapperSslMount(inv, '');
      for (const flag of ['cert-file', 'key-file', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file']) {
        expect(flagValue(inv.args, flag)?.startsWith(`${mount.target}/`)).toBe(true);
      }
    });
  });

  test(`the three members form a cluster over https peer URLs and serve https (within ${HEALTH_DEADLINE_MS / 1000} s)`, async () => {
    const c = cluster as LocalCluster;
    const health = await c.waitHealthy(HEALTH_DEADLINE_MS);
    expect([...health.keys()].sort()).toEqual(endpoints);
    const list = JSON.parse(await c.etcdctl(['--endpoints', endpoints[1], 'member', 'list', '--write-out=json'])) as {
      members: { name: string; peerURLs: string[]; clientURLs: string[] }[];
    };
    expect(list.members.map((m) => [m.name, m.peerURLs, m.clientURLs]).sort()).toEqual(machines.map((m, i) => [m.name, [`https://${m.ip}:2380`], [endpoints[i]]]));
  }, HEALTH_DEADLINE_MS + 10_000);

  test('a client with one role certificate writes through one member, one with the other reads through another', async () => {
    const c = cluster as LocalCluster;
    const value = `mtls proof ${process.hrtime.bigint()}`;
    expect((await c.etcdctl(['--endpoints', endpoints[0], ...roleFiles(ROLE), 'put', '/proof/tls', value])).trim()).toBe('OK');
    const read = await c.etcdctl(['--endpoints', endpoints[2], ...roleFiles(CLIENT_ROLES[1]), 'get', '/proof/tls', '--print-value-only', '--consistency=l']);
    expect(read.trim()).toBe(value);
    const version = await httpGet(`${endpoints[1]}/version`, roleTls(ROLE));
    expect(version.status).toBe(200);
    expect(JSON.parse(version.body ?? '{}')).toMatchObject({ etcdserver: expect.stringMatching(/^3\.4\./) });
  }, 15_000);

  test('clients without a certificate, with one from another CA, or over plain http are refused', async () => {
    const c = cluster as LocalCluster;
    const name = members[0].name;
    const none = await httpGet(`${endpoints[0]}/version`, { ca: pem(pki.caFile) });
    expect(none.status).toBeUndefined();
    expect(none.error).toMatch(/ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/);
    await c.waitForLog(name, /rejected connection .*client didn't provide a certificate/);
    expect(new X509Certificate(readFileSync(stranger.certFile)).subject).toBe(`O=stranger\nCN=${ROLE}`);
    const other = await httpGet(`${endpoints[0]}/version`, { ca: pem(pki.caFile), cert: pem(stranger.certFile), key: pem(stranger.keyFile) });
    expect(other.status).toBeUndefined();
    expect(other.error).toMatch(/ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/);
    await c.waitForLog(name, /rejected connection .*certificate signed by unknown authority/);
    const plain = await httpGet(`http://${IPS[0]}:2379/version`);
    // etcd's listener speaks only TLS: the plain request is no handshake, and the connection is dropped.
    expect(plain.status).toBeUndefined();
    expect(plain.error).toMatch(/ECONNRESET|socket hang up/);
    await c.waitForLog(name, /rejected connection .*first record does not look like a TLS handshake/);
  }, 15_000);

  test('the peer port, too, wants a certificate from the cluster CA', async () => {
    const ca = pem(pki.caFile);
    const member = { cert: pem(minted(members[1].name).certFile), key: pem(minted(members[1].name).keyFile) };
    expect(await peerRequest(IPS[0], { ca, ...member })).toMatch(/^HTTP\/1\.1 /);
    expect(await peerRequest(IPS[0], { ca })).toMatch(/^error ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/);
    expect(await peerRequest(IPS[0], { ca, cert: pem(stranger.certFile), key: pem(stranger.keyFile) })).toMatch(/^error ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/);
    // A limit worth knowing (docs/security.md): as with kubeadm's single etcd CA, the peer port takes any certificate of
    // the CA with client_auth, a client role's too (no SANs, so etcd's peer SAN check does not apply).
    const role = { cert: pem(minted(ROLE).certFile), key: pem(minted(ROLE).keyFile) };
    expect(await peerRequest(IPS[0], { ca, ...role })).toMatch(/^HTTP\/1\.1 /);
  }, 15_000);

  // Without a private /etc/hosts, etcd would ask the host's DNS about the outsider's address.
  (hostMapping === 'hosts' ? test : test.skip)(
    "a member's certificate is taken on the peer port from the member's reserved address, refused from another machine's",
    async () => {
      const c = cluster as LocalCluster;
      const asMember1 = { ca: pem(pki.caFile), cert: pem(minted(members[1].name).certFile), key: pem(minted(members[1].name).keyFile) };
      expect(await peerRequest(IPS[0], { ...asMember1, localAddress: IPS[1] })).toMatch(/^HTTP\/1\.1 /);
      expect(await peerRequest(IPS[0], { ...asMember1, localAddress: OUTSIDER.ip })).toBe('closed after ""');
      const line = await c.waitForLog(members[0].name, new RegExp(`rejected connection from "${OUTSIDER.ip.replace(/\./g, '\\.')}:`));
      expect(line).toContain('does not match any of DNSNames');
    },
    10_000,
  );
});

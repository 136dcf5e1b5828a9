/**
 * Proof with a real etcd: certificates minted by openssl to exactly what the synthesized tls_*
 * resources of EtcdPki say (read from the Terraform JSON by openssl-from-tls.ts, so the two cannot
 * drift) make Debian's etcd 3.4 form a three-member cluster with mutual TLS on peer and client
 * URLs; and etcd refuses clients without a certificate, with one from another CA, and over plain
 * HTTP. Members run on 127.0.0.71-73, reached by peers through their DNS names (a private
 * /etc/hosts per process where the host allows; LocalCluster) and by clients through their IPs,
 * which are the static-IP SANs here.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import * as tls from 'node:tls';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeIfAvailable } from '../etcd-cluster/gate';
import { canMapHosts, ETCDCTL_BINARY, etcdUnavailable, LocalCluster } from '../etcd-cluster/local-cluster';
import { extensionText, mint, OPENSSL_BINARY, tlsPlan, type MintedCert, type PlannedCert, type TlsPlan } from './openssl-from-tls';
import { CLIENT_ROLES, demoMembers, synthesizePki } from './pki-stack';
import type { EtcdPkiDescription } from '../../constructs/cluster-pki';

const IPS = ['127.0.0.71', '127.0.0.72', '127.0.0.73'];
const HEALTH_DEADLINE_MS = 15_000;
const ROLE = CLIENT_ROLES[0];

function unavailable(): string | undefined {
  try {
    accessSync(OPENSSL_BINARY, constants.X_OK);
  } catch {
    return etcdUnavailable() ?? `${OPENSSL_BINARY} not found or not executable (apt-get install openssl)`;
  }
  return etcdUnavailable();
}

/** etcdctl (v3) with its own environment; resolves with stdout, rejects with its output. */
function etcdctl(args: readonly string[], timeoutMs = 6000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      ETCDCTL_BINARY,
      ['--dial-timeout=2s', '--command-timeout=3s', ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ETCDCTL_API: '3' }, timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => (error ? reject(new Error(`etcdctl ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout)),
    );
  });
}

/** The outcome of one TLS handshake followed by `GET /version`: the status and body, or the error. */
function getVersion(url: string, options: { ca?: string; cert?: string; key?: string }): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { ...options, agent: false, timeout: 4000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: `${e.code ?? ''} ${e.message}` }));
  });
}

/** A bare TLS handshake to a peer port (with a request, so that the server's verdict on our certificate arrives). */
function peerHandshake(host: string, port: number, options: { ca: string; cert?: string; key?: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, ...options, servername: undefined, timeout: 4000 }, () => {
      socket.write('GET /version HTTP/1.1\r\nHost: peer\r\nConnection: close\r\n\r\n');
    });
    let data = '';
    socket.on('data', (c: Buffer) => {
      data += c.toString('utf8');
      if (data.includes('\r\n')) {
        resolve(data.split('\r\n')[0]);
        socket.destroy();
      }
    });
    socket.on('end', () => resolve(`closed after ${JSON.stringify(data)}`));
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? ''} ${e.message}`));
  });
}

describeIfAvailable('etcd with mutual TLS from the synthesized EtcdPki', unavailable(), () => {
  const members = demoMembers(IPS);
  let dir = '';
  let plan: TlsPlan;
  let description: EtcdPkiDescription;
  let minted: Map<string, MintedCert>;
  let strangers: Map<string, MintedCert>;
  let cluster: LocalCluster | undefined;
  let caFile = '';
  const files = (cn: string) => {
    const m = minted.get(cn);
    if (!m) throw new Error(`no minted certificate for ${cn}`);
    return m;
  };
  const clientFlags = (cn: string) => ['--cacert', caFile, '--cert', files(cn).certFile, '--key', files(cn).keyFile];
  const endpoints = IPS.map((ip) => `https://${ip}:2379`);

  beforeAll(() => {
    const synthesized = synthesizePki({ members });
    description = synthesized.pki.description;
    plan = tlsPlan(synthesized.json);
    dir = mkdtempSync(path.join(tmpdir(), 'etcd-tls-'));
    mkdirSync(path.join(dir, 'pki'));
    mkdirSync(path.join(dir, 'stranger'));
    minted = mint(plan, path.join(dir, 'pki'));
    // Another CA, and a certificate for the same role from it: the same plan with its CA renamed.
    const other = (c: PlannedCert): PlannedCert => ({ ...c, subject: { ...c.subject, organization: 'stranger' } });
    strangers = mint({ cas: plan.cas.map(other), leaves: plan.leaves.filter((l) => l.subject.common_name === ROLE).map(other) }, path.join(dir, 'stranger'));
    caFile = files('demo-etcd-ca').certFile;
    const initialCluster = members.map((m) => `${m.name}=https://${m.dnsName}:2380`).join(',');
    cluster = LocalCluster.start(
      members.map((m, i) => ({
        name: m.name,
        ip: IPS[i],
        args: [
          `--name=${m.name}`,
          '--data-dir=/var/lib/etcd',
          `--listen-peer-urls=https://${IPS[i]}:2380`,
          `--initial-advertise-peer-urls=https://${m.dnsName}:2380`,
          `--listen-client-urls=https://${IPS[i]}:2379`,
          `--advertise-client-urls=https://${IPS[i]}:2379`,
          `--listen-metrics-urls=http://${IPS[i]}:2381`,
          `--initial-cluster=${initialCluster}`,
          '--initial-cluster-token=demo-etcd-tls-proof',
          '--initial-cluster-state=new',
          '--client-cert-auth',
          `--trusted-ca-file=${caFile}`,
          `--cert-file=${files(m.name).certFile}`,
          `--key-file=${files(m.name).keyFile}`,
          '--peer-client-cert-auth',
          `--peer-trusted-ca-file=${caFile}`,
          `--peer-cert-file=${files(m.name).certFile}`,
          `--peer-key-file=${files(m.name).keyFile}`,
        ],
      })),
      new Map(members.map((m, i) => [m.dnsName, IPS[i]])),
      canMapHosts() ? 'hosts' : 'rewrite',
    );
  }, 20_000);

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test('openssl minted what the tls resources say: subjects, SANs, key usages, extended key usages, CA flag, validity', () => {
    expect(minted.size).toBe(6);
    for (const { cert, certFile } of minted.values()) {
      const x = new X509Certificate(readFileSync(certFile));
      expect(x.subject.split('\n')).toEqual([`O=${cert.subject.organization}`, `CN=${cert.subject.common_name}`]);
      expect(x.ca).toBe(cert.isCa);
      expect(x.publicKey.asymmetricKeyType).toBe('ec');
      expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      const san = [...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((ip) => `IP Address:${ip}`)].join(', ');
      expect(x.subjectAltName).toBe(san === '' ? undefined : san);
      const eku = { server_auth: '1.3.6.1.5.5.7.3.1', client_auth: '1.3.6.1.5.5.7.3.2' } as Record<string, string>;
      expect((x.keyUsage ?? []).sort()).toEqual(cert.allowedUses.filter((u) => u in eku).map((u) => eku[u]).sort());
      const ku = { digital_signature: 'Digital Signature', key_encipherment: 'Key Encipherment', cert_signing: 'Certificate Sign', crl_signing: 'CRL Sign' } as Record<string, string>;
      expect(extensionText(certFile, 'keyUsage')).toBe(cert.allowedUses.filter((u) => u in ku).map((u) => ku[u]).join(', '));
      expect((Date.parse(x.validTo) - Date.parse(x.validFrom)) / 3_600_000).toBe(cert.validityHours);
      if (cert.issuer !== undefined) expect(x.verify(new X509Certificate(readFileSync(caFile)).publicKey)).toBe(true);
    }
  });

  test('and that is what the PKI construct describes', () => {
    for (const d of [...description.members, ...description.clients]) {
      const { cert } = files(d.name);
      expect([cert.dnsNames, cert.ipAddresses, cert.allowedUses, cert.validityHours]).toEqual([d.dnsNames, d.ipAddresses, d.allowedUses, d.validityHours]);
    }
    expect(description.members.map((m) => m.ipAddresses)).toEqual(IPS.map((ip) => [ip, '127.0.0.1']));
  });

  test(`the three members form a cluster over https peer URLs and serve https (within ${HEALTH_DEADLINE_MS / 1000} s)`, async () => {
    const c = cluster as LocalCluster;
    const until = Date.now() + HEALTH_DEADLINE_MS;
    let last = '';
    for (;;) {
      try {
        const out = await etcdctl(['--endpoints', endpoints.join(','), ...clientFlags(ROLE), 'endpoint', 'health', '--write-out=json']);
        const report = JSON.parse(out) as { endpoint: string; health: boolean }[];
        if (report.length === 3 && report.every((e) => e.health)) break;
        last = out;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > until) throw new Error(`not healthy: ${last}\n${members.map((m) => `--- ${m.name}\n${c.logOf(m.name).split('\n').slice(-10).join('\n')}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const list = JSON.parse(await etcdctl(['--endpoints', endpoints[1], ...clientFlags(ROLE), 'member', 'list', '--write-out=json'])) as {
      members: { name: string; peerURLs: string[]; clientURLs: string[] }[];
    };
    const peerUrl = (m: (typeof members)[number]) => (c.hostMapping === 'hosts' ? `https://${m.dnsName}:2380` : c.mapNames(`https://${m.dnsName}:2380`));
    expect(list.members.map((m) => [m.name, m.peerURLs, m.clientURLs]).sort()).toEqual(members.map((m, i) => [m.name, [peerUrl(m)], [endpoints[i]]]));
  }, HEALTH_DEADLINE_MS + 10_000);

  test('a client with the role certificate writes through one member and reads through another', async () => {
    const value = `mtls proof ${process.hrtime.bigint()}`;
    expect((await etcdctl(['--endpoints', endpoints[0], ...clientFlags(ROLE), 'put', '/proof/tls', value])).trim()).toBe('OK');
    const read = await etcdctl(['--endpoints', endpoints[2], ...clientFlags(CLIENT_ROLES[1]), 'get', '/proof/tls', '--print-value-only', '--consistency=l']);
    expect(read.trim()).toBe(value);
    const version = await getVersion(`${endpoints[1]}/version`, { ca: readFileSync(caFile, 'utf8'), cert: readFileSync(files(ROLE).certFile, 'utf8'), key: readFileSync(files(ROLE).keyFile, 'utf8') });
    expect(version.status).toBe(200);
    expect(JSON.parse(version.body ?? '{}')).toMatchObject({ etcdserver: expect.stringMatching(/^3\.4\./) });
  }, 15_000);

  test('a client without a certificate is refused', async () => {
    await expect(etcdctl(['--endpoints', endpoints[0], '--dial-timeout=1s', '--command-timeout=1s', '--cacert', caFile, 'get', '/proof/tls'])).rejects.toThrow();
    const version = await getVersion(`${endpoints[0]}/version`, { ca: readFileSync(caFile, 'utf8') });
    expect(version.status).toBeUndefined();
    // etcd requires and verifies a client certificate: the handshake fails.
    expect(version.error).toMatch(/ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED/);
  }, 15_000);

  test('a client with a certificate from another CA is refused', async () => {
    const stranger = strangers.get(ROLE) as MintedCert;
    expect(new X509Certificate(readFileSync(stranger.certFile)).subject).toBe(`O=stranger\nCN=${ROLE}`);
    await expect(etcdctl(['--endpoints', endpoints[0], '--dial-timeout=1s', '--command-timeout=1s', '--cacert', caFile, '--cert', stranger.certFile, '--key', stranger.keyFile, 'get', '/proof/tls'])).rejects.toThrow();
    const version = await getVersion(`${endpoints[0]}/version`, {
      ca: readFileSync(caFile, 'utf8'),
      cert: readFileSync(stranger.certFile, 'utf8'),
      key: readFileSync(stranger.keyFile, 'utf8'),
    });
    expect(version.status).toBeUndefined();
    expect(version.error).toMatch(/ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/);
    expect(cluster?.logOf(members[0].name)).toMatch(/certificate signed by unknown authority/);
  }, 15_000);

  test('plain http to the client port is refused', async () => {
    await expect(etcdctl(['--endpoints', `http://${IPS[0]}:2379`, '--dial-timeout=1s', '--command-timeout=1s', 'get', '/proof/tls'])).rejects.toThrow();
    const version = await getVersion(`http://${IPS[0]}:2379/version`, {});
    // etcd's listener speaks only TLS: the plain request is no handshake, and the connection is dropped.
    expect(version.status).toBeUndefined();
    expect(version.error).toMatch(/ECONNRESET|socket hang up/);
    expect(cluster?.logOf(members[0].name)).toMatch(/first record does not look like a TLS handshake/);
  }, 15_000);

  test('the peer port, too, wants a certificate from the cluster CA', async () => {
    const ca = readFileSync(caFile, 'utf8');
    const member = { cert: readFileSync(files(members[1].name).certFile, 'utf8'), key: readFileSync(files(members[1].name).keyFile, 'utf8') };
    const stranger = strangers.get(ROLE) as MintedCert;
    expect(await peerHandshake(IPS[0], 2380, { ca, ...member })).toMatch(/^HTTP\/1\.1 /);
    expect(await peerHandshake(IPS[0], 2380, { ca })).toMatch(/^error ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/);
    expect(await peerHandshake(IPS[0], 2380, { ca, cert: readFileSync(stranger.certFile, 'utf8'), key: readFileSync(stranger.keyFile, 'utf8') })).toMatch(
      /^error ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE/,
    );
    // A limit worth knowing: as with kubeadm's single etcd CA, the peer port takes any certificate of
    // the CA with client_auth, a client role's too (no SANs, so etcd's peer SAN check does not apply).
    const role = { cert: readFileSync(files(ROLE).certFile, 'utf8'), key: readFileSync(files(ROLE).keyFile, 'utf8') };
    expect(await peerHandshake(IPS[0], 2380, { ca, ...role })).toMatch(/^HTTP\/1\.1 /);
  }, 15_000);
});

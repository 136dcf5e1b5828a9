/**
 * The Kubernetes PKI, minted by openssl from the synthesized tls_* resources (openssl-from-tls.ts
 * reads the Terraform JSON, so the two cannot drift), in real TLS handshakes. A Node HTTPS server
 * on loopback plays the apiserver's authentication: its serving certificate is the minted one, it
 * requests a client certificate and verifies it against the cluster CA for client use (as the
 * apiserver does: `tls.RequestClientCert`, then its x509 authenticator), takes a bootstrap token
 * otherwise, and answers 401 to anything else (anonymous auth off). The kubeconfigs are the
 * stack's own outputs with Terraform's references replaced by the minted files, so a wrong CA, a
 * certificate paired with another's key or a missing SAN fails a handshake here.
 *
 * The socket always goes to 127.0.0.1; the server's certificate is checked against the host the
 * kubeconfig names (Node's own checkServerIdentity; for DNS names, by resolving them to loopback).
 */
import { execFile } from 'node:child_process';
import { randomInt, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as https from 'node:https';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { ADMIN_GROUP, APISERVER_KUBELET_CLIENT_CN, FRONT_PROXY_CLIENT_CN, KUBELET_API_ADMIN_GROUP } from '../../constructs/kubernetes/cluster-settings';
import { ADMIN_USER, APISERVER_CN, CONTROLLER_MANAGER_USER, SCHEDULER_USER, SYSTEM_MASTERS } from '../../constructs/kubernetes/kubernetes-pki';
import { certificateFacts, mint, mintFromAnotherCa, OPENSSL_BINARY, plannedFacts, tlsPlan, type MintedCert, type TlsPlan } from '../etcd-tls/openssl-from-tls';
import { DEMO, KUBECONFIG_OUTPUTS, synthesizeKubernetesPki, type KubeconfigOutput } from './kubernetes-pki-stack';

const KUBECTL = '/usr/bin/kubectl';
const CA_CN = 'demo-kubernetes-ca';
const FRONT_PROXY_CA_CN = 'demo-front-proxy-ca';
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const execFileAsync = promisify(execFile);

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string; 'tls-server-name'?: string } }[];
  users: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
  contexts: unknown[];
  'current-context': string;
}
interface Identity {
  readonly username: string;
  readonly groups: readonly string[];
}
interface Answer {
  readonly status: number;
  readonly identity?: Identity;
}

const decode = (data: string | undefined) => (data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8'));
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** What Terraform would put where the synthesized kubeconfig has `${base64encode(...)}` and `${random_password...result}`. */
function applyKubeconfig(text: string, files: ReadonlyMap<string, string>, passwords: ReadonlyMap<string, string>): string {
  const applied = text
    .replace(/\$\{base64encode\(([a-z_]+\.[^.}()]+\.[a-z_]+)\)\}/g, (_m, ref: string) => {
      const file = files.get(ref);
      if (file === undefined) throw new Error(`no minted file for ${ref}`);
      return readFileSync(file).toString('base64');
    })
    .replace(/\$\{(random_password\.[^.}]+)\.result\}/g, (_m, address: string) => {
      const value = passwords.get(address);
      if (value === undefined) throw new Error(`no value for ${address}`);
      return value;
    });
  if (applied.includes('${')) throw new Error(`a reference was left unresolved: ${applied}`);
  return applied;
}

/** The identity the apiserver's authenticators would give the request, or undefined (401). */
function authenticate(req: IncomingMessage, token: string): Identity | undefined {
  const socket = req.socket as tls.TLSSocket;
  const peer = socket.getPeerCertificate();
  if (peer && peer.subject) {
    if (!socket.authorized) return undefined;
    const o = peer.subject.O as string | string[] | undefined;
    return { username: peer.subject.CN as string, groups: [...(o === undefined ? [] : [o].flat()), 'system:authenticated'] };
  }
  const bearer = /^Bearer ([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(req.headers.authorization ?? '');
  if (bearer && `${bearer[1]}.${bearer[2]}` === token) return { username: `system:bootstrap:${bearer[1]}`, groups: ['system:bootstrappers', 'system:authenticated'] };
  return undefined;
}

function listen(server: https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

describe('the Kubernetes PKI in TLS handshakes, minted by openssl from the synthesized resources', () => {
  const { json, kubeconfigs: synthesized } = synthesizeKubernetesPki();
  const plan: TlsPlan = tlsPlan(json);
  let dir = '';
  let minted = new Map<string, MintedCert>();
  let stranger: MintedCert;
  const kubeconfigs = new Map<KubeconfigOutput, Kubeconfig>();
  const kubeconfigTexts = new Map<KubeconfigOutput, string>();
  let token = '';
  let apiServer: https.Server;
  let aggregatedServer: https.Server;
  let apiPort = 0;
  let aggregatedPort = 0;
  const pem = (cn: string, which: 'certFile' | 'keyFile' = 'certFile') => {
    const m = minted.get(cn);
    if (!m) throw new Error(`nothing minted for ${cn}`);
    return readFileSync(m[which], 'utf8');
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubernetes-pki-'));
    minted = mint(plan, dir);
    mkdirSync(path.join(dir, 'stranger'));
    stranger = mintFromAnotherCa(plan, ADMIN_USER, path.join(dir, 'stranger'));

    const files = new Map<string, string>();
    for (const m of minted.values()) {
      files.set(`${m.cert.address}.cert_pem`, m.certFile);
      files.set(`${m.cert.key.address}.private_key_pem`, m.keyFile);
    }
    // Terraform's random_password, as configured: `length` characters of a-z and 0-9.
    const passwords = new Map<string, string>();
    for (const [name, r] of Object.entries((json.resource as Record<string, Record<string, { length: number }>>).random_password)) {
      passwords.set(`random_password.${name}`, Array.from({ length: r.length }, () => alphabet[randomInt(alphabet.length)]).join(''));
    }
    for (const name of KUBECONFIG_OUTPUTS) {
      const text = applyKubeconfig(synthesized[name], files, passwords);
      kubeconfigTexts.set(name, text);
      kubeconfigs.set(name, JSON.parse(text) as Kubeconfig);
    }
    token = kubeconfigs.get('bootstrap-kubeconfig')?.users[0].user.token ?? '';

    const serve = (clientCa: string, authenticateFor: (req: IncomingMessage) => Identity | undefined) =>
      https.createServer({ cert: pem(APISERVER_CN), key: pem(APISERVER_CN, 'keyFile'), ca: [clientCa], requestCert: true, rejectUnauthorized: false }, (req, res) => {
        req.resume();
        const identity = authenticateFor(req);
        res.setHeader('content-type', 'application/json');
        if (!identity) {
          res.writeHead(401).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
        } else if (req.url === WHOAMI && req.method === 'POST') {
          res.writeHead(201).end(JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: identity } }));
        } else {
          res.writeHead(404).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
        }
      });
    apiServer = serve(pem(CA_CN), (req) => authenticate(req, token));
    // An aggregated API server: it trusts the front-proxy CA only, and only its client CN (--requestheader-allowed-names).
    aggregatedServer = serve(pem(FRONT_PROXY_CA_CN), (req) => {
      const socket = req.socket as tls.TLSSocket;
      const cn = socket.getPeerCertificate()?.subject?.CN;
      return socket.authorized && cn === FRONT_PROXY_CLIENT_CN ? { username: String(req.headers['x-remote-user']), groups: [] } : undefined;
    });
    [apiPort, aggregatedPort] = await Promise.all([listen(apiServer), listen(aggregatedServer)]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([apiServer, aggregatedServer].map((s) => new Promise((resolve) => (s ? s.close(resolve) : resolve(undefined)))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One request as a kubeconfig's user, to 127.0.0.1:`port`, checking the server as `host` (default: the kubeconfig's). */
  function request(
    config: Kubeconfig,
    options: { port?: number; host?: string; ca?: string; client?: { cert: string; key: string }; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const cluster = config.clusters[0].cluster;
    const host = options.host ?? new URL(cluster.server).hostname;
    const user = config.users[0].user;
    const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host);
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          method: 'POST',
          path: WHOAMI,
          port: options.port ?? apiPort,
          agent: false,
          ca: options.ca ?? decode(cluster['certificate-authority-data']),
          cert: options.client?.cert ?? decode(user['client-certificate-data']),
          key: options.client?.key ?? decode(user['client-key-data']),
          headers: { ...(user.token ? { authorization: `Bearer ${user.token}` } : {}), ...options.headers },
          ...(isIp
            ? // An address: the socket goes to loopback, the certificate is checked for the kubeconfig's address.
              { host: '127.0.0.1', checkServerIdentity: (_h: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(host, cert) }
            : // A name: it resolves to loopback, and Node checks the certificate for it (and sends it as SNI).
              {
                host,
                lookup: ((_name: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
                  opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
              }),
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, identity: res.statusCode === 201 ? (JSON.parse(body).status.userInfo as Identity) : undefined }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
  }
  const config = (name: KubeconfigOutput) => kubeconfigs.get(name) as Kubeconfig;

  test('openssl minted what the tls resources say: subjects, SANs, key usages, extended key usages, CA flag, validity', () => {
    expect([...minted.keys()].sort()).toEqual([ADMIN_USER, APISERVER_CN, APISERVER_KUBELET_CLIENT_CN, CA_CN, CONTROLLER_MANAGER_USER, FRONT_PROXY_CA_CN, FRONT_PROXY_CLIENT_CN, SCHEDULER_USER].sort());
    const cas: Record<string, X509Certificate> = { [CA_CN]: new X509Certificate(pem(CA_CN)), [FRONT_PROXY_CA_CN]: new X509Certificate(pem(FRONT_PROXY_CA_CN)) };
    for (const { cert, certFile } of minted.values()) {
      expect(certificateFacts(certFile)).toEqual(plannedFacts(cert));
      const issuer = plan.cas.find((c) => c.address === (cert.issuer ?? cert.address))?.subject.common_name as string;
      expect(new X509Certificate(readFileSync(certFile)).checkIssued(cas[issuer])).toBe(true);
    }
  });

  test('openssl verify: the serving certificate is for servers only, every other leaf for clients only, each under its own CA', async () => {
    const verify = async (purpose: string, caCn: string, cn: string) => {
      try {
        await execFileAsync(OPENSSL_BINARY, ['verify', '-purpose', purpose, '-CAfile', minted.get(caCn)?.certFile as string, minted.get(cn)?.certFile as string]);
        return 'OK';
      } catch {
        return 'refused';
      }
    };
    const rows = [
      [APISERVER_CN, CA_CN, 'OK', 'refused'],
      [APISERVER_KUBELET_CLIENT_CN, CA_CN, 'refused', 'OK'],
      [CONTROLLER_MANAGER_USER, CA_CN, 'refused', 'OK'],
      [SCHEDULER_USER, CA_CN, 'refused', 'OK'],
      [ADMIN_USER, CA_CN, 'refused', 'OK'],
      [FRONT_PROXY_CLIENT_CN, FRONT_PROXY_CA_CN, 'refused', 'OK'],
    ];
    const got = await Promise.all(rows.map(async ([cn, ca]) => [cn, ca, await verify('sslserver', ca, cn), await verify('sslclient', ca, cn)]));
    expect(got).toEqual(rows);
    expect(await verify('sslclient', CA_CN, FRONT_PROXY_CLIENT_CN)).toBe('refused');
    expect(await verify('sslclient', FRONT_PROXY_CA_CN, ADMIN_USER)).toBe('refused');
  });

  // Every name and address by which the apiserver is reached: the certificate's own check, and a handshake under that name.
  test.each([
    ['127.0.0.1', 'ip'],
    ['localhost', 'dns'],
    [DEMO.internalLbIp, 'ip'],
    [DEMO.externalLbIp, 'ip'],
    [DEMO.externalName, 'dns'],
    ['10.3.0.1', 'ip'],
    ['kubernetes', 'dns'],
    ['kubernetes.default', 'dns'],
    ['kubernetes.default.svc', 'dns'],
    ['kubernetes.default.svc.cluster.local', 'dns'],
  ])('the apiserver answers as %s (%s SAN): checkHost/checkIP and a handshake as the admin', async (name, kind) => {
    const x = new X509Certificate(pem(APISERVER_CN));
    expect(kind === 'ip' ? x.checkIP(name) : x.checkHost(name)).toBe(name);
    expect(await request(config('admin-kubeconfig'), { host: name })).toEqual({ status: 201, identity: { username: ADMIN_USER, groups: [ADMIN_GROUP, 'system:authenticated'] } });
  });

  test('a name or address the certificate does not carry is refused by the client', async () => {
    const x = new X509Certificate(pem(APISERVER_CN));
    expect([x.checkHost('kubernetes.default.svc.cluster.example'), x.checkHost('evil.example.com'), x.checkIP('10.3.0.2'), x.checkIP('10.128.0.101')]).toEqual([undefined, undefined, undefined, undefined]);
    await expect(request(config('admin-kubeconfig'), { host: 'evil.example.com' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    await expect(request(config('admin-kubeconfig'), { host: '10.3.0.2' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  test.each([
    ['controller-manager-kubeconfig', CONTROLLER_MANAGER_USER, []],
    ['scheduler-kubeconfig', SCHEDULER_USER, []],
    ['admin-kubeconfig', ADMIN_USER, [ADMIN_GROUP]],
    ['admin-kubeconfig-external', ADMIN_USER, [ADMIN_GROUP]],
  ] as const)('%s, as the stack renders it, authenticates as %s', async (name, username, groups) => {
    const answer = await request(config(name));
    expect(answer).toEqual({ status: 201, identity: { username, groups: [...groups, 'system:authenticated'] } });
    expect(answer.identity?.groups).not.toContain(SYSTEM_MASTERS);
  });

  test('the bootstrap kubeconfig, through the internal load balancer\'s address, authenticates as a bootstrapper by its token', async () => {
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(config('bootstrap-kubeconfig').clusters[0].cluster.server).toBe(`https://${DEMO.internalLbIp}:6443`);
    expect(await request(config('bootstrap-kubeconfig'))).toEqual({ status: 201, identity: { username: `system:bootstrap:${token.slice(0, 6)}`, groups: ['system:bootstrappers', 'system:authenticated'] } });
  });

  test('the apiserver -> kubelet client certificate chains to the cluster CA, the kubelets\' clientCAFile', async () => {
    const admin = config('admin-kubeconfig');
    expect(await request(admin, { client: { cert: pem(APISERVER_KUBELET_CLIENT_CN), key: pem(APISERVER_KUBELET_CLIENT_CN, 'keyFile') } })).toEqual({
      status: 201,
      identity: { username: APISERVER_KUBELET_CLIENT_CN, groups: [KUBELET_API_ADMIN_GROUP, 'system:authenticated'] },
    });
  });

  test('refused with 401: no credentials, a certificate from another CA, the front-proxy client or the serving certificate as a user, a wrong token', async () => {
    const admin = config('admin-kubeconfig');
    const none = { ...admin, users: [{ name: 'nobody', user: {} }] };
    expect(await request(none)).toEqual({ status: 401 });
    expect(await request(admin, { client: { cert: readFileSync(stranger.certFile, 'utf8'), key: readFileSync(stranger.keyFile, 'utf8') } })).toEqual({ status: 401 });
    expect(await request(admin, { client: { cert: pem(FRONT_PROXY_CLIENT_CN), key: pem(FRONT_PROXY_CLIENT_CN, 'keyFile') } })).toEqual({ status: 401 });
    // No client_auth: unlike Typhoon's, whose serving certificate is also a system:masters client.
    expect(await request(admin, { client: { cert: pem(APISERVER_CN), key: pem(APISERVER_CN, 'keyFile') } })).toEqual({ status: 401 });
    const wrongToken = { ...admin, users: [{ name: 'x', user: { token: `${token.slice(0, 7)}${'0'.repeat(16)}` } }] };
    expect(await request(wrongToken)).toEqual({ status: 401 });
  });

  test('a kubeconfig client refuses a server whose certificate its CA did not sign', async () => {
    // Node's server sends the cluster CA along (OpenSSL builds the chain from its store): trusted by nobody here.
    await expect(request(config('admin-kubeconfig'), { ca: pem(FRONT_PROXY_CA_CN) })).rejects.toMatchObject({
      code: expect.stringMatching(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/),
    });
  });

  test('a client certificate cannot serve: a server presenting the admin certificate is refused for its purpose', async () => {
    const impostor = https.createServer({ cert: pem(ADMIN_USER), key: pem(ADMIN_USER, 'keyFile') }, (_req, res) => res.end());
    const port = await listen(impostor);
    try {
      // The admin certificate has no SAN at all, so check the purpose without a name.
      const reached = new Promise((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: pem(CA_CN), checkServerIdentity: () => undefined }, () => resolve(socket.authorized));
        socket.on('error', reject);
      });
      await expect(reached).rejects.toMatchObject({ code: 'INVALID_PURPOSE' });
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });

  test('an aggregated API server trusting the front-proxy CA takes the front-proxy client, and no user certificate', async () => {
    const admin = config('admin-kubeconfig');
    const asProxy = { cert: pem(FRONT_PROXY_CLIENT_CN), key: pem(FRONT_PROXY_CLIENT_CN, 'keyFile') };
    expect(await request(admin, { port: aggregatedPort, client: asProxy, headers: { 'x-remote-user': 'alice' } })).toEqual({ status: 201, identity: { username: 'alice', groups: [] } });
    expect(await request(admin, { port: aggregatedPort })).toEqual({ status: 401 });
  });

  const describeWithKubectl = existsSync(KUBECTL) ? describe : describe.skip;
  if (!existsSync(KUBECTL)) console.warn(`${KUBECTL} is absent: kubectl's reading of the kubeconfigs and its handshakes are skipped`);

  describeWithKubectl('kubectl (Go TLS and client-go) with the same kubeconfigs', () => {
    const kubectl = async (file: string, ...args: string[]) => (await execFileAsync(KUBECTL, ['--kubeconfig', file, ...args], { encoding: 'utf8' })).stdout;
    /** The kubeconfig with its server moved to the loopback port; `tls-server-name` keeps the certificate checked for the original host. */
    const pointedHere = (name: KubeconfigOutput) => {
      const copy = JSON.parse(kubeconfigTexts.get(name) as string) as Kubeconfig;
      const host = new URL(copy.clusters[0].cluster.server).hostname;
      copy.clusters[0].cluster.server = `https://127.0.0.1:${apiPort}`;
      if (host !== '127.0.0.1') copy.clusters[0].cluster['tls-server-name'] = host;
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(copy, null, 2));
      return file;
    };

    test.each(KUBECONFIG_OUTPUTS)('%s: `config view --raw` reads it back unchanged', async (name) => {
      const file = path.join(dir, `${name}.as-rendered.json`);
      writeFileSync(file, kubeconfigTexts.get(name) as string);
      expect(JSON.parse(await kubectl(file, 'config', 'view', '--raw', '-o', 'json'))).toEqual({ ...config(name), preferences: {} });
    });

    test.each([
      ['controller-manager-kubeconfig', CONTROLLER_MANAGER_USER, []],
      ['scheduler-kubeconfig', SCHEDULER_USER, []],
      ['admin-kubeconfig', ADMIN_USER, [ADMIN_GROUP]],
      ['admin-kubeconfig-external', ADMIN_USER, [ADMIN_GROUP]],
      ['bootstrap-kubeconfig', 'system:bootstrap:', ['system:bootstrappers']],
    ] as const)('%s: `kubectl auth whoami` completes the handshake and is %s', async (name, username, groups) => {
      const review = JSON.parse(await kubectl(pointedHere(name), 'auth', 'whoami', '-o', 'json'));
      expect(review.status.userInfo.username.startsWith(username)).toBe(true);
      expect(review.status.userInfo.groups).toEqual([...groups, 'system:authenticated']);
    });

    test('kubectl refuses the apiserver under a name its certificate does not carry', async () => {
      const file = pointedHere('admin-kubeconfig');
      const copy = JSON.parse(readFileSync(file, 'utf8')) as Kubeconfig;
      copy.clusters[0].cluster['tls-server-name'] = 'evil.example.com';
      writeFileSync(file, JSON.stringify(copy));
      await expect(kubectl(file, 'auth', 'whoami', '-o', 'json')).rejects.toMatchObject({ stderr: expect.stringContaining('x509: certificate is valid for') });
    });
  });
});

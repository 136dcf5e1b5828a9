/**
 * renderKubeconfig: the exact document (key order, names, base64 fields through the caller's
 * function, tokens as they are), Terraform references passed through untouched, the refusals, and
 * kubectl's own reading of the result where a kubectl is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { kubeconfigObject, renderKubeconfig, type KubeconfigOptions } from '../../constructs/kubernetes/kubeconfig';

const KUBECTL = '/usr/bin/kubectl';
const marked = (s: string) => `b64(${s})`;
const realBase64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const CA_PEM = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n';
const KEY_PEM = '-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n';

const certificateOptions = (overrides: Partial<KubeconfigOptions> = {}): KubeconfigOptions => ({
  clusterName: 'demo',
  server: 'https://127.0.0.1:6443',
  caCertPem: CA_PEM,
  user: { clientCertPem: CERT_PEM, clientKeyPem: KEY_PEM },
  base64: marked,
  ...overrides,
});
const tokenOptions = (overrides: Partial<KubeconfigOptions> = {}): KubeconfigOptions =>
  certificateOptions({ server: 'https://10.128.0.100:6443', user: { token: 'abcdef.0123456789abcdef' }, userName: 'kubelet-bootstrap', ...overrides });

describe('renderKubeconfig', () => {
  test('a certificate user: one cluster, user and context, the PEMs base64-encoded by the given function, in this key order', () => {
    const text = renderKubeconfig(certificateOptions({ userName: 'system:kube-scheduler' }));
    expect(text).toBe(
      [
        '{',
        '  "apiVersion": "v1",',
        '  "kind": "Config",',
        '  "clusters": [',
        '    {',
        '      "name": "demo",',
        '      "cluster": {',
        '        "server": "https://127.0.0.1:6443",',
        `        "certificate-authority-data": ${JSON.stringify(marked(CA_PEM))}`,
        '      }',
        '    }',
        '  ],',
        '  "users": [',
        '    {',
        '      "name": "system:kube-scheduler",',
        '      "user": {',
        `        "client-certificate-data": ${JSON.stringify(marked(CERT_PEM))},`,
        `        "client-key-data": ${JSON.stringify(marked(KEY_PEM))}`,
        '      }',
        '    }',
        '  ],',
        '  "contexts": [',
        '    {',
        '      "name": "demo",',
        '      "context": {',
        '        "cluster": "demo",',
        '        "user": "system:kube-scheduler"',
        '      }',
        '    }',
        '  ],',
        '  "current-context": "demo"',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('a token user: the token as it is (no base64), the CA still encoded', () => {
    expect(kubeconfigObject(tokenOptions())).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'demo', cluster: { server: 'https://10.128.0.100:6443', 'certificate-authority-data': marked(CA_PEM) } }],
      users: [{ name: 'kubelet-bootstrap', user: { token: 'abcdef.0123456789abcdef' } }],
      contexts: [{ name: 'demo', context: { cluster: 'demo', user: 'kubelet-bootstrap' } }],
      'current-context': 'demo',
    });
  });

  test('the user and context are named after the cluster unless named, so merged kubeconfigs of two clusters keep apart', () => {
    const config = kubeconfigObject(certificateOptions({ clusterName: 'prod' })) as { users: { name: string }[]; contexts: unknown[] };
    expect(config.users[0].name).toBe('prod');
    expect(config.contexts).toEqual([{ name: 'prod', context: { cluster: 'prod', user: 'prod' } }]);
    const named = kubeconfigObject(certificateOptions({ userName: 'ops', contextName: 'ops@prod' })) as { contexts: unknown[]; 'current-context': string };
    expect(named.contexts).toEqual([{ name: 'ops@prod', context: { cluster: 'demo', user: 'ops' } }]);
    expect(named['current-context']).toBe('ops@prod');
  });

  test('two renders of the same input are byte-identical; the text is JSON ending in a newline', () => {
    const a = renderKubeconfig(certificateOptions());
    expect(renderKubeconfig(certificateOptions())).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
    expect(JSON.parse(a)).toEqual(kubeconfigObject(certificateOptions()));
  });

  test('cdktf tokens and Terraform references pass through untouched, in the server too', () => {
    const text = renderKubeconfig(
      certificateOptions({
        server: 'https://${TfToken[TOKEN.7]}:6443',
        caCertPem: '${TfToken[TOKEN.1]}',
        user: { clientCertPem: '${TfToken[TOKEN.2]}', clientKeyPem: '${TfToken[TOKEN.3]}' },
        base64: (s) => `\${base64encode(${s})}`,
      }),
    );
    const config = JSON.parse(text);
    expect(config.clusters[0].cluster).toEqual({ server: 'https://${TfToken[TOKEN.7]}:6443', 'certificate-authority-data': '${base64encode(${TfToken[TOKEN.1]})}' });
    expect(config.users[0].user).toEqual({ 'client-certificate-data': '${base64encode(${TfToken[TOKEN.2]})}', 'client-key-data': '${base64encode(${TfToken[TOKEN.3]})}' });
    expect(renderKubeconfig(tokenOptions({ server: '${TfToken[TOKEN.9]}' }))).toContain('"server": "${TfToken[TOKEN.9]}"');
  });

  test.each([
    ['server "http://127.0.0.1:6443" must be an https:// URL such as https://10.0.0.2:6443: the apiserver serves TLS only', certificateOptions({ server: 'http://127.0.0.1:6443' })],
    ['server "127.0.0.1:6443" must be an https:// URL', certificateOptions({ server: '127.0.0.1:6443' })],
    ['server "https://" must be an https:// URL', certificateOptions({ server: 'https://' })],
    ['clusterName is empty', certificateOptions({ clusterName: '' })],
    ['userName is empty', certificateOptions({ userName: ' ' })],
    ['caCertPem is empty', certificateOptions({ caCertPem: '' })],
    ['user.token is empty', tokenOptions({ user: { token: '' } })],
    ['user.clientKeyPem is empty', certificateOptions({ user: { clientCertPem: CERT_PEM, clientKeyPem: '' } })],
    ['user has both a token and a client certificate: give one', tokenOptions({ user: { token: 'abcdef.0123456789abcdef', clientCertPem: CERT_PEM } as never })],
  ])('refused: %s', (message, options) => {
    expect(() => renderKubeconfig(options)).toThrow(message);
    expect(() => renderKubeconfig(options)).toThrow(/^kubeconfig for cluster "[^"]*": /);
  });
});

// The google-cloud-cli kubectl dispatcher or Debian's kubernetes-client: either reads kubeconfigs offline.
const describeWithKubectl = existsSync(KUBECTL) ? describe : describe.skip;
if (!existsSync(KUBECTL)) console.warn(`${KUBECTL} is absent: kubectl's reading of the kubeconfigs is skipped`);

describeWithKubectl('kubectl reads the kubeconfigs', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const kubectl = (file: string, ...args: string[]) => execFileSync(KUBECTL, ['--kubeconfig', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  test.each([
    ['a certificate user', certificateOptions({ base64: realBase64, userName: 'system:kube-controller-manager' })],
    ['a token user', tokenOptions({ base64: realBase64 })],
  ])('%s: `config view --raw` gives back the document, and the decoded data is the PEMs', (name, options) => {
    const file = path.join(dir, `${name.replace(/ /g, '-')}.json`);
    writeFileSync(file, renderKubeconfig(options));
    const viewed = JSON.parse(kubectl(file, 'config', 'view', '--raw', '-o', 'json'));
    expect(viewed).toEqual({ ...kubeconfigObject(options), preferences: {} });
    expect(kubectl(file, 'config', 'current-context').trim()).toBe('demo');
    const flat = JSON.parse(kubectl(file, 'config', 'view', '--raw', '--minify', '--flatten', '-o', 'json'));
    expect(Buffer.from(flat.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(CA_PEM);
    if ('clientCertPem' in options.user) {
      expect(Buffer.from(flat.users[0].user['client-certificate-data'], 'base64').toString()).toBe(CERT_PEM);
      expect(Buffer.from(flat.users[0].user['client-key-data'], 'base64').toString()).toBe(KEY_PEM);
    }
  });

  test('without --raw, kubectl hides the key and the token: it reads them as credentials', () => {
    const file = path.join(dir, 'redacted.json');
    writeFileSync(file, renderKubeconfig(certificateOptions({ base64: realBase64 })));
    const viewed = JSON.parse(kubectl(file, 'config', 'view', '-o', 'json'));
    expect(viewed.users[0].user['client-key-data']).toBe('DATA+OMITTED');
    writeFileSync(file, renderKubeconfig(tokenOptions({ base64: realBase64 })));
    expect(JSON.parse(kubectl(file, 'config', 'view', '-o', 'json')).users[0].user.token).toBe('REDACTED');
  });
});

/**
 * KubernetesPki as Terraform JSON: the certificate graph every component needs (subjects, SANs,
 * usages, CA flags, issuers), read from the synthesized tls_* resources through the openssl
 * translator of the etcd work, so that a missing SAN or a wrong issuer fails here and not in a
 * cluster; the service-account key, the bootstrap token, the kubeconfigs' references, and the
 * errors.
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Testing, Token, Tokenization } from 'cdktf';
import { EtcdPki } from '../../constructs/cluster-pki';
import {
  ADMIN_GROUP,
  APISERVER_KUBELET_CLIENT_CN,
  FRONT_PROXY_CLIENT_CN,
  KUBELET_API_ADMIN_GROUP,
  LOCAL_API_SERVER,
} from '../../constructs/kubernetes/cluster-settings';
import { ADMIN_USER, APISERVER_CN, CONTROLLER_MANAGER_USER, KubernetesPki, SCHEDULER_USER, SYSTEM_MASTERS, type KubernetesPkiProps } from '../../constructs/kubernetes/kubernetes-pki';
import { tlsPlan, type PlannedCert } from '../etcd-tls/openssl-from-tls';
import { DEMO, demoPkiProps, EXTERNAL_API_SERVER, INTERNAL_API_SERVER, synthesizeKubernetesPki, type KubeconfigOutput } from './kubernetes-pki-stack';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const resourcesOf = (json: Record<string, unknown>) => json.resource as Resources;
const CA = 'demo-kubernetes-ca';
const FRONT_PROXY_CA = 'demo-front-proxy-ca';

describe('the certificate graph of the demo cluster', () => {
  const { pki, json, kubeconfigs } = synthesizeKubernetesPki();
  const resources = resourcesOf(json);
  const plan = tlsPlan(json);
  const byCn = (cn: string): PlannedCert => {
    const found = [...plan.cas, ...plan.leaves].filter((c) => c.subject.common_name === cn);
    if (found.length !== 1) throw new Error(`${found.length} certificates with CN ${cn}`);
    return found[0];
  };

  test('two CAs and six leaf certificates, each with a key of its own, plus the service-account key', () => {
    expect(plan.cas.map((c) => c.subject.common_name).sort()).toEqual([CA, FRONT_PROXY_CA].sort());
    expect(plan.leaves).toHaveLength(6);
    const certKeys = [...plan.cas, ...plan.leaves].map((c) => c.key.address);
    expect(new Set(certKeys).size).toBe(8);
    expect(Object.keys(resources.tls_private_key)).toHaveLength(9);
  });

  test('both CAs: self-signed, CA, cert and CRL signing only, 10 years, not renewed by a routine apply', () => {
    for (const cn of [CA, FRONT_PROXY_CA]) {
      expect(byCn(cn).issuer).toBeUndefined();
      expect(byCn(cn)).toMatchObject({ isCa: true, allowedUses: ['cert_signing', 'crl_signing'], validityHours: 87600, earlyRenewalHours: 0, setSubjectKeyId: true });
      expect(byCn(cn).subject).toEqual({ common_name: cn, organization: 'demo' });
    }
  });

  // Who needs each certificate, and what it must be for them to accept it.
  test.each([
    ['apiserver serving (--tls-cert-file): nodes, pods, users', { common_name: APISERVER_CN }, CA, ['digital_signature', 'server_auth']],
    ['apiserver -> kubelet client (--kubelet-client-certificate): the kubelet trusts the cluster CA', { common_name: APISERVER_KUBELET_CLIENT_CN, organization: KUBELET_API_ADMIN_GROUP }, CA, ['digital_signature', 'client_auth']],
    ['controller-manager.conf', { common_name: CONTROLLER_MANAGER_USER }, CA, ['digital_signature', 'client_auth']],
    ['scheduler.conf', { common_name: SCHEDULER_USER }, CA, ['digital_signature', 'client_auth']],
    ['admin.conf: a revocable group, bound to cluster-admin', { common_name: ADMIN_USER, organization: ADMIN_GROUP }, CA, ['digital_signature', 'client_auth']],
    ['front-proxy client (--proxy-client-cert-file): aggregated API servers trust the front-proxy CA', { common_name: FRONT_PROXY_CLIENT_CN }, FRONT_PROXY_CA, ['digital_signature', 'client_auth']],
  ])('%s', (_who, subject, issuerCn, uses) => {
    const cert = byCn(subject.common_name);
    expect(cert.subject).toEqual(subject);
    expect(cert.issuer).toBe(byCn(issuerCn).address);
    expect(cert.allowedUses).toEqual(uses);
    expect(cert).toMatchObject({ isCa: false, validityHours: 8760, earlyRenewalHours: 720, setSubjectKeyId: true });
    if (cert.allowedUses.includes('client_auth')) expect([cert.dnsNames, cert.ipAddresses]).toEqual([[], []]);
  });

  // Every name and address by which something reaches the apiserver, and who uses it.
  test.each([
    ['workers, Cilium and the bootstrap kubeconfig, through the internal load balancer', 'ip', DEMO.internalLbIp],
    ['users, through the external load balancer', 'ip', DEMO.externalLbIp],
    ['users, by the external name', 'dns', DEMO.externalName],
    ['pods, through the kubernetes Service address', 'ip', '10.3.0.1'],
    ['pods, by kubernetes', 'dns', 'kubernetes'],
    ['pods, by kubernetes.default', 'dns', 'kubernetes.default'],
    ['pods, by kubernetes.default.svc', 'dns', 'kubernetes.default.svc'],
    ['pods, by kubernetes.default.svc.cluster.local', 'dns', 'kubernetes.default.svc.cluster.local'],
    ['the controller-manager, the scheduler and the kubelet on a controller (LOCAL_API_SERVER)', 'ip', '127.0.0.1'],
    ['kubectl on a controller, by localhost', 'dns', 'localhost'],
  ])('the apiserver certificate names %s: %s %s', (_who, kind, name) => {
    const cert = byCn(APISERVER_CN);
    expect(kind === 'ip' ? cert.ipAddresses : cert.dnsNames).toContain(name);
  });

  test('the apiserver certificate names nothing else, each once', () => {
    const cert = byCn(APISERVER_CN);
    expect(cert.dnsNames).toEqual(['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost', DEMO.externalName]);
    expect(cert.ipAddresses).toEqual([DEMO.internalLbIp, DEMO.externalLbIp, '10.3.0.1', '127.0.0.1']);
  });

  test('no certificate is in system:masters, and no leaf is a CA or can sign', () => {
    const organizations = [...Object.values(resources.tls_cert_request), ...Object.values(resources.tls_self_signed_cert)].flatMap((r) =>
      (r.subject as Record<string, string>[]).map((s) => s.organization),
    );
    expect(organizations).not.toContain(SYSTEM_MASTERS);
    expect(JSON.stringify(json)).not.toContain(SYSTEM_MASTERS);
    for (const leaf of plan.leaves) {
      expect(leaf.isCa).toBe(false);
      expect(leaf.allowedUses).not.toContain('cert_signing');
    }
  });

  test('the serving certificate is no client, and no client certificate can serve', () => {
    expect(byCn(APISERVER_CN).allowedUses).not.toContain('client_auth');
    for (const leaf of plan.leaves.filter((c) => c.subject.common_name !== APISERVER_CN)) expect(leaf.allowedUses).not.toContain('server_auth');
  });

  test('every certificate key is ECDSA P-256; the service-account key is RSA 2048, signed nothing and is no certificate', () => {
    for (const cert of [...plan.cas, ...plan.leaves]) expect(cert.key).toMatchObject({ algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    const certKeys = new Set([...plan.cas, ...plan.leaves].map((c) => c.key.address));
    const others = Object.entries(resources.tls_private_key).filter(([name]) => !certKeys.has(`tls_private_key.${name}`));
    expect(others).toEqual([[expect.stringMatching(/^kubernetes-pki_service-account-key_[0-9A-F]+$/), { algorithm: 'RSA', rsa_bits: 2048 }]]);
    expect(JSON.stringify(resources.tls_cert_request)).not.toContain(others[0][0]);
  });

  test('the bootstrap token: two random_passwords of 6 and 16 lower-case letters and digits', () => {
    expect(Object.entries(resources.random_password).map(([name, r]) => [name.replace(/_[0-9A-F]+$/, ''), r])).toEqual([
      ['kubernetes-pki_bootstrap-token-id', { length: 6, lower: true, numeric: true, special: false, upper: false }],
      ['kubernetes-pki_bootstrap-token-secret', { length: 16, lower: true, numeric: true, special: false, upper: false }],
    ]);
    expect(json.provider).toEqual({ random: [{}], tls: [{}] });
  });

  test('the token, its id and secret, the SA key pair and the PEMs are Terraform references', () => {
    const stack = TerraformStack.of(pki);
    const resolve = (t: string) => {
      expect(Token.isUnresolved(t)).toBe(true);
      return Tokenization.resolve(t, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }) as string;
    };
    expect(resolve(pki.bootstrapToken)).toMatch(/^\$\{random_password\.kubernetes-pki_bootstrap-token-id_[0-9A-F]+\.result\}\.\$\{random_password\.kubernetes-pki_bootstrap-token-secret_[0-9A-F]+\.result\}$/);
    expect(resolve(pki.bootstrapTokenId)).toMatch(/^\$\{random_password\.kubernetes-pki_bootstrap-token-id_[0-9A-F]+\.result\}$/);
    expect(resolve(pki.bootstrapTokenSecret)).toMatch(/^\$\{random_password\.kubernetes-pki_bootstrap-token-secret_[0-9A-F]+\.result\}$/);
    expect(resolve(pki.serviceAccountKey.privateKeyPem)).toMatch(/^\$\{tls_private_key\.kubernetes-pki_service-account-key_[0-9A-F]+\.private_key_pem\}$/);
    expect(resolve(pki.serviceAccountKey.publicKeyPem)).toMatch(/^\$\{tls_private_key\.kubernetes-pki_service-account-key_[0-9A-F]+\.public_key_pem\}$/);
    expect(resolve(pki.ca.certPem)).toBe(`\${${byCn(CA).address}.cert_pem}`);
    expect(resolve(pki.ca.privateKeyPem)).toBe(`\${${byCn(CA).key.address}.private_key_pem}`);
    expect(resolve(pki.frontProxyCa.certPem)).toBe(`\${${byCn(FRONT_PROXY_CA).address}.cert_pem}`);
    expect(resolve(pki.apiServer.certPem)).toBe(`\${${byCn(APISERVER_CN).address}.cert_pem}`);
    expect(resolve(pki.apiServer.privateKeyPem)).toBe(`\${${byCn(APISERVER_CN).key.address}.private_key_pem}`);
    expect(resolve(pki.frontProxyClient.certPem)).toBe(`\${${byCn(FRONT_PROXY_CLIENT_CN).address}.cert_pem}`);
  });

  test('the plain description says what the JSON says', () => {
    const d = pki.description;
    const planned = (cn: string) => {
      const c = byCn(cn);
      return { subject: c.subject, dns: c.dnsNames, ip: c.ipAddresses, uses: c.allowedUses, isCa: c.isCa, issuer: c.issuer && [...plan.cas].find((ca) => ca.address === c.issuer)?.subject.common_name, v: c.validityHours, e: c.earlyRenewalHours };
    };
    const described = (c: KubernetesPki['description']['ca']) => ({
      subject: { common_name: c.subject.commonName, ...(c.subject.organization === undefined ? {} : { organization: c.subject.organization }) },
      dns: c.dnsNames,
      ip: c.ipAddresses,
      uses: c.allowedUses,
      isCa: c.isCa,
      issuer: c.issuer && { ca: d.ca, frontProxyCa: d.frontProxyCa }[c.issuer].subject.commonName,
      v: c.validityHours,
      e: c.earlyRenewalHours,
    });
    for (const c of [d.ca, d.frontProxyCa, ...Object.values(d.certificates)]) expect(described(c)).toEqual(planned(c.subject.commonName));
    expect(d.serviceAccountKey).toEqual({ algorithm: 'RSA' });
    expect(d.bootstrapToken).toEqual({ idLength: 6, secretLength: 16, characters: 'a-z0-9' });
  });

  describe('the kubeconfigs point at the right server, the cluster CA and one certificate with its own key', () => {
    const refOf = (field: string) => {
      const m = /^\$\{base64encode\(([a-z_]+\.[^.}]+)\.([a-z_]+)\)\}$/.exec(field);
      if (!m) throw new Error(`not a base64encode of a reference: ${field}`);
      return { address: m[1], attribute: m[2] };
    };
    const parse = (name: KubeconfigOutput) => JSON.parse(kubeconfigs[name]) as {
      clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { name: string; user: Record<string, string> }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
      'current-context': string;
    };

    test.each([
      ['controller-manager-kubeconfig', LOCAL_API_SERVER, CONTROLLER_MANAGER_USER, undefined],
      ['scheduler-kubeconfig', LOCAL_API_SERVER, SCHEDULER_USER, undefined],
      ['admin-kubeconfig', LOCAL_API_SERVER, ADMIN_USER, ADMIN_GROUP],
      ['admin-kubeconfig-external', EXTERNAL_API_SERVER, ADMIN_USER, ADMIN_GROUP],
    ] as const)('%s: %s as %s', (name, server, cn, organization) => {
      const config = parse(name);
      expect(config.clusters).toEqual([{ name: 'demo', cluster: { server, 'certificate-authority-data': `\${base64encode(${byCn(CA).address}.cert_pem)}` } }]);
      expect(config.users).toHaveLength(1);
      const cert = refOf(config.users[0].user['client-certificate-data']);
      const key = refOf(config.users[0].user['client-key-data']);
      const planned = plan.leaves.find((c) => c.address === cert.address);
      expect(cert.attribute).toBe('cert_pem');
      expect(planned?.subject).toEqual({ common_name: cn, ...(organization ? { organization } : {}) });
      expect(planned?.subject.organization).not.toBe(SYSTEM_MASTERS);
      expect(key).toEqual({ address: planned?.key.address, attribute: 'private_key_pem' });
      expect(config.contexts).toEqual([{ name: 'demo', context: { cluster: 'demo', user: config.users[0].name } }]);
      expect(config['current-context']).toBe('demo');
    });

    test('the bootstrap kubeconfig: the internal load balancer, the cluster CA, the token and no certificate', () => {
      const config = parse('bootstrap-kubeconfig');
      expect(config.clusters[0].cluster).toEqual({ server: INTERNAL_API_SERVER, 'certificate-authority-data': `\${base64encode(${byCn(CA).address}.cert_pem)}` });
      expect(config.users).toEqual([
        { name: 'kubelet-bootstrap', user: { token: expect.stringMatching(/^\$\{random_password\.kubernetes-pki_bootstrap-token-id_[0-9A-F]+\.result\}\.\$\{random_password\.kubernetes-pki_bootstrap-token-secret_[0-9A-F]+\.result\}$/) } },
      ]);
    });

    test('the outputs are sensitive and the user names differ per role', () => {
      const outputs = json.output as Record<string, { sensitive: boolean }>;
      for (const o of Object.values(outputs)) expect(o.sensitive).toBe(true);
      expect(['controller-manager-kubeconfig', 'scheduler-kubeconfig', 'admin-kubeconfig', 'bootstrap-kubeconfig'].map((n) => parse(n as KubeconfigOutput).users[0].name)).toEqual([
        CONTROLLER_MANAGER_USER,
        SCHEDULER_USER,
        'demo-admin',
        'kubelet-bootstrap',
      ]);
    });
  });
});

describe('KubernetesPki options', () => {
  test('RSA: every certificate key is 2048 bits, and the serving certificate may encipher keys', () => {
    const { json } = synthesizeKubernetesPki({ keyAlgorithm: 'RSA' });
    const plan = tlsPlan(json);
    for (const cert of [...plan.cas, ...plan.leaves]) expect(cert.key).toMatchObject({ algorithm: 'RSA', rsaBits: 2048 });
    expect(plan.leaves.find((c) => c.subject.common_name === APISERVER_CN)?.allowedUses).toEqual(['digital_signature', 'key_encipherment', 'server_auth']);
  });

  test('an ECDSA service-account key (tokens signed ES256)', () => {
    const { json, pki } = synthesizeKubernetesPki({ serviceAccountKeyAlgorithm: 'ECDSA' });
    const saKey = Object.entries(resourcesOf(json).tls_private_key).find(([name]) => name.startsWith('kubernetes-pki_service-account-key_'));
    expect(saKey?.[1]).toEqual({ algorithm: 'ECDSA', ecdsa_curve: 'P256' });
    expect(pki.serviceAccountKey.algorithm).toBe('ECDSA');
  });

  test('validity and early renewal come from the props', () => {
    const plan = tlsPlan(synthesizeKubernetesPki({ caValidityHours: 20 * 8760, caEarlyRenewalHours: 8760, certValidityHours: 2160, earlyRenewalHours: 336 }).json);
    for (const ca of plan.cas) expect(ca).toMatchObject({ validityHours: 175200, earlyRenewalHours: 8760 });
    for (const leaf of plan.leaves) expect(leaf).toMatchObject({ validityHours: 2160, earlyRenewalHours: 336 });
  });

  test('another service range moves the service address SAN; no external name means the built-in names only', () => {
    const plan = tlsPlan(synthesizeKubernetesPki({ serviceCidr: '172.16.0.0/20', apiServerDnsNames: undefined }).json);
    const cert = plan.leaves.find((c) => c.subject.common_name === APISERVER_CN);
    expect(cert?.ipAddresses).toEqual([DEMO.internalLbIp, DEMO.externalLbIp, '172.16.0.1', '127.0.0.1']);
    expect(cert?.dnsNames).toEqual(['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost']);
  });

  test('load balancer addresses and names known only at apply stay Terraform references; repeated SANs are written once', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const ilb = new TerraformVariable(stack, 'ilb', { type: 'string' });
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    new KubernetesPki(stack, 'pki', { clusterName: 'demo', apiServerIps: [ilb.stringValue, '127.0.0.1'], apiServerDnsNames: [`api.${name.stringValue}.example.com`, 'localhost'] });
    const csr = Object.entries(resourcesOf(JSON.parse(Testing.synth(stack)) as Record<string, unknown>).tls_cert_request).find(([n]) => n.startsWith('pki_apiserver-csr'))?.[1];
    expect(csr?.ip_addresses).toEqual(['${var.ilb}', '127.0.0.1', '10.3.0.1']);
    expect(csr?.dns_names).toEqual(['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost', 'api.${var.name}.example.com']);
  });

  test('with an EtcdPki in the same stack, one tls provider and one random provider', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new EtcdPki(stack, 'etcd-pki', { clusterName: 'demo', members: [{ name: 'demo-etcd-0', dnsName: 'demo-etcd-0.us-central1-a.c.p.internal' }] });
    new KubernetesPki(stack, 'pki', demoPkiProps());
    new KubernetesPki(stack, 'pki2', demoPkiProps({ clusterName: 'other' }));
    expect((JSON.parse(Testing.synth(stack)) as { provider: Record<string, unknown[]> }).provider).toEqual({ random: [{}], tls: [{}] });
  });

  test('the kubeconfig helpers refuse a server that is not https', () => {
    const { pki } = synthesizeKubernetesPki();
    expect(() => pki.adminKubeconfig('http://10.128.0.100:6443')).toThrow(
      /^KubernetesPki kubernetes-pki-stack\/kubernetes-pki: kubeconfig for cluster "demo": server "http:\/\/10.128.0.100:6443" must be an https:\/\/ URL/,
    );
    expect(() => pki.bootstrapKubeconfig('10.128.0.100:6443')).toThrow('must be an https:// URL such as https://10.0.0.2:6443');
  });
});

describe('KubernetesPki errors say what is wrong and what to do', () => {
  const refuse = (props: Partial<KubernetesPkiProps>) => () => synthesizeKubernetesPki(props);

  test.each([
    [{ clusterName: 'Demo Cluster' }, 'clusterName "Demo Cluster" must be 1-63 characters of a-z, 0-9'],
    [{ apiServerIps: ['10.128.0.300'] }, 'apiServerIps[0] "10.128.0.300" is not an IPv4 address: give the API load balancer\'s address'],
    [{ apiServerDnsNames: ['k8s example'] }, 'apiServerDnsNames[0] "k8s example" is not a DNS name (e.g. k8s.example.com)'],
    [{ apiServerIps: [], apiServerDnsNames: [] }, "apiServerIps and apiServerDnsNames are both empty: give the API load balancer's address (or name)"],
    [{ serviceCidr: '10.3.0.0' }, 'serviceCidr: "10.3.0.0" is not an IPv4 CIDR such as 10.3.0.0/16'],
    [{ serviceCidr: '10.3.0.0/32' }, 'serviceCidr: 10.3.0.0/32 has no address number 1'],
    [{ keyAlgorithm: 'DSA' as never }, `keyAlgorithm must be 'ECDSA' or 'RSA' (got "DSA")`],
    [{ serviceAccountKeyAlgorithm: 'HS256' as never }, `serviceAccountKeyAlgorithm must be 'ECDSA' or 'RSA' (got "HS256")`],
    [{ caValidityHours: 1.5 }, 'caValidityHours must be a whole number of hours, at least 1 (got 1.5)'],
    [{ certValidityHours: 0 }, 'certValidityHours must be a whole number of hours, at least 1 (got 0)'],
    [{ earlyRenewalHours: -1 }, 'earlyRenewalHours must be a whole number of hours, at least 0 (got -1)'],
    [{ certValidityHours: 100_000 }, 'certValidityHours (100000) exceeds caValidityHours (87600): a certificate cannot be trusted longer than its CA'],
    [{ earlyRenewalHours: 8760 }, 'earlyRenewalHours (8760) must be less than certValidityHours (8760), or every apply would replace every certificate'],
    [{ caEarlyRenewalHours: 87600 }, 'caEarlyRenewalHours (87600) must be less than caValidityHours (87600)'],
  ])('%j', (props, message) => {
    expect(refuse(props)).toThrow(message);
    expect(refuse(props)).toThrow(/^KubernetesPki kubernetes-pki-stack\/kubernetes-pki: /);
  });

  test('every problem is reported at once', () => {
    expect(refuse({ clusterName: 'A', keyAlgorithm: 'DSA' as never, earlyRenewalHours: 9000 })).toThrow(
      /clusterName "A" must be .*; keyAlgorithm must be 'ECDSA' or 'RSA' \(got "DSA"\); earlyRenewalHours \(9000\) must be less than certValidityHours \(8760\)/,
    );
  });

  test('the cluster name and the service range must be literals', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const v = new TerraformVariable(stack, 'v', { type: 'string' });
    expect(() => new KubernetesPki(stack, 'pki', { ...demoPkiProps(), clusterName: v.stringValue })).toThrow('clusterName must be a literal, not a token');
    expect(() => new KubernetesPki(stack, 'pki2', { ...demoPkiProps(), serviceCidr: v.stringValue })).toThrow("serviceCidr must be a literal, not a token (its first address, the kubernetes Service's, is computed at synth)");
  });
});

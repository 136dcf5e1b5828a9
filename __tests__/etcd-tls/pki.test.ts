/**
 * EtcdPki as Terraform JSON: the tls_* resources of a synthesized PKI for the demo cluster's three
 * members and two client roles (algorithms, subjects, SANs, usages, validity, early renewal), read
 * both raw and through the openssl translator that mtls.test.ts mints from, the errors, and what a
 * missing provider package (a required peer) says.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Testing, Token, Tokenization } from 'cdktf';
import { CA_USES, CLIENT_USES, DEFAULT_CA_VALIDITY_HOURS, DEFAULT_CERT_VALIDITY_HOURS, DEFAULT_EARLY_RENEWAL_HOURS, EtcdPki, MEMBER_USES } from '../../constructs/cluster-pki';
import { TlsProvider } from '../../constructs/pki-providers';
import { opensslExtensions, tlsPlan } from './openssl-from-tls';
import { CLIENT_ROLES, demoMembers, PROJECT, synthesizePki } from './pki-stack';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const resourcesOf = (json: Record<string, unknown>) => json.resource as Resources;

describe('the synthesized PKI of three members and two client roles', () => {
  const { pki, json } = synthesizePki();
  const resources = resourcesOf(json);
  const plan = tlsPlan(json);
  const members = demoMembers();

  test('one CA, three member and two client certificates, each with a key of its own', () => {
    expect(Object.keys(resources).sort()).toEqual(['tls_cert_request', 'tls_locally_signed_cert', 'tls_private_key', 'tls_self_signed_cert']);
    expect(Object.keys(resources.tls_private_key)).toHaveLength(6);
    expect(Object.keys(resources.tls_self_signed_cert)).toHaveLength(1);
    expect(Object.keys(resources.tls_cert_request)).toHaveLength(5);
    expect(Object.keys(resources.tls_locally_signed_cert)).toHaveLength(5);
    const keys = [...plan.cas, ...plan.leaves].map((c) => c.key.address);
    expect(new Set(keys).size).toBe(6);
  });

  test('every key is ECDSA P-256', () => {
    for (const key of Object.values(resources.tls_private_key)) expect(key).toEqual({ algorithm: 'ECDSA', ecdsa_curve: 'P256' });
  });

  test('the tls provider is declared and pinned to the bindings\' version', () => {
    expect(json.provider).toEqual({ tls: [{}] });
    expect((json.terraform as { required_providers: Record<string, unknown> }).required_providers.tls).toEqual({ source: 'hashicorp/tls', version: '4.1.0' });
  });

  test('the CA: self-signed, a CA, cert and CRL signing only, 10 years, no early renewal', () => {
    const [ca] = Object.values(resources.tls_self_signed_cert);
    expect(ca).toEqual({
      private_key_pem: expect.stringMatching(/^\$\{tls_private_key\.etcd-pki_ca-key_[0-9A-F]+\.private_key_pem\}$/),
      subject: [{ common_name: 'demo-etcd-ca', organization: 'demo' }],
      is_ca_certificate: true,
      set_subject_key_id: true,
      allowed_uses: ['cert_signing', 'crl_signing'],
      validity_period_hours: 87600,
      early_renewal_hours: 0,
    });
  });

  test('each member: its name as CN, its DNS name, localhost and 127.0.0.1 as SANs, server and client auth, 1 year renewed in the last 30 days', () => {
    const memberCerts = plan.leaves.filter((c) => c.allowedUses.includes('server_auth'));
    expect(memberCerts.map((c) => c.subject)).toEqual(members.map((m) => ({ common_name: m.name, organization: 'demo' })));
    memberCerts.forEach((cert, i) => {
      expect(cert.dnsNames).toEqual([`demo-etcd-${i}.us-central1-${'abc'[i]}.c.${PROJECT}.internal`, 'localhost']);
      expect(cert.ipAddresses).toEqual(['127.0.0.1']);
      expect(cert.allowedUses).toEqual(['digital_signature', 'key_encipherment', 'server_auth', 'client_auth']);
      expect(cert).toMatchObject({ isCa: false, setSubjectKeyId: true, validityHours: 8760, earlyRenewalHours: 720, issuer: plan.cas[0].address });
    });
  });

  test('each client role: the role as CN, no SANs, client auth only', () => {
    const clientCerts = plan.leaves.filter((c) => !c.allowedUses.includes('server_auth'));
    expect(clientCerts.map((c) => c.subject.common_name).sort()).toEqual([...CLIENT_ROLES].sort());
    for (const cert of clientCerts) {
      expect(cert.dnsNames).toEqual([]);
      expect(cert.ipAddresses).toEqual([]);
      expect(cert.allowedUses).toEqual(['digital_signature', 'client_auth']);
      expect(cert).toMatchObject({ isCa: false, validityHours: 8760, earlyRenewalHours: 720, issuer: plan.cas[0].address });
    }
  });

  test('the plain description says what the JSON says', () => {
    const d = pki.description;
    expect(d.ca).toMatchObject({ subject: { commonName: 'demo-etcd-ca', organization: 'demo' }, allowedUses: CA_USES, isCa: true, validityHours: DEFAULT_CA_VALIDITY_HOURS });
    const fromJson = (cn: string) => plan.leaves.find((c) => c.subject.common_name === cn);
    for (const m of [...d.members, ...d.clients]) {
      const cert = fromJson(m.name);
      expect(cert).toBeDefined();
      expect({ cn: m.subject.commonName, o: m.subject.organization, dns: m.dnsNames, ip: m.ipAddresses, uses: m.allowedUses, v: m.validityHours, e: m.earlyRenewalHours }).toEqual({
        cn: cert?.subject.common_name,
        o: cert?.subject.organization,
        dns: cert?.dnsNames,
        ip: cert?.ipAddresses,
        uses: cert?.allowedUses,
        v: cert?.validityHours,
        e: cert?.earlyRenewalHours,
      });
    }
    expect(d.members.map((m) => m.allowedUses)).toEqual([MEMBER_USES, MEMBER_USES, MEMBER_USES]);
    expect(d.clients.map((c) => c.allowedUses)).toEqual([CLIENT_USES, CLIENT_USES]);
    expect([DEFAULT_CERT_VALIDITY_HOURS, DEFAULT_EARLY_RENEWAL_HOURS]).toEqual([8760, 720]);
  });

  test('the PEMs are Terraform references to cert_pem and private_key_pem', () => {
    const stack = TerraformStack.of(pki);
    const tokens = [pki.caCertPem, pki.member('demo-etcd-1').certPem, pki.member('demo-etcd-1').privateKeyPem, pki.client('flannel').certPem];
    const resolved = tokens.map((t) => {
      expect(Token.isUnresolved(t)).toBe(true);
      return Tokenization.resolve(t, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }) as string;
    });
    expect(resolved[0]).toMatch(/^\$\{tls_self_signed_cert\.etcd-pki_ca_[0-9A-F]+\.cert_pem\}$/);
    expect(resolved[1]).toMatch(/^\$\{tls_locally_signed_cert\.etcd-pki_member-demo-etcd-1-cert_[0-9A-F]+\.cert_pem\}$/);
    expect(resolved[2]).toMatch(/^\$\{tls_private_key\.etcd-pki_member-demo-etcd-1-key_[0-9A-F]+\.private_key_pem\}$/);
    expect(resolved[3]).toMatch(/^\$\{tls_locally_signed_cert\.etcd-pki_client-flannel-cert_[0-9A-F]+\.cert_pem\}$/);
  });

  test('the translator turns the member resources into the openssl extensions etcd needs', () => {
    const member = plan.leaves.find((c) => c.subject.common_name === 'demo-etcd-0');
    expect(member && opensslExtensions(member)).toContain(
      [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        'extendedKeyUsage = serverAuth, clientAuth',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        `subjectAltName = DNS:demo-etcd-0.us-central1-a.c.${PROJECT}.internal, DNS:localhost, IP:127.0.0.1`,
      ].join('\n'),
    );
  });
});

describe('EtcdPki options', () => {
  test('RSA keys are 2048 bits', () => {
    const { json } = synthesizePki({ keyAlgorithm: 'RSA' });
    for (const key of Object.values(resourcesOf(json).tls_private_key)) expect(key).toEqual({ algorithm: 'RSA', rsa_bits: 2048 });
  });

  test('validity and early renewal come from the props', () => {
    const { json } = synthesizePki({ caValidityHours: 20 * 8760, caEarlyRenewalHours: 8760, certValidityHours: 2160, earlyRenewalHours: 336 });
    const plan = tlsPlan(json);
    expect(plan.cas[0]).toMatchObject({ validityHours: 175200, earlyRenewalHours: 8760 });
    for (const leaf of plan.leaves) expect(leaf).toMatchObject({ validityHours: 2160, earlyRenewalHours: 336 });
  });

  test('a static IP, literal or token, is a SAN before 127.0.0.1; no client roles means members only', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const ip = new TerraformVariable(stack, 'ip1', { type: 'string' });
    const [m0, m1] = demoMembers(['10.128.0.10', ip.stringValue]);
    new EtcdPki(stack, 'pki', { clusterName: 'demo', members: [m0, m1, demoMembers()[2]] });
    const csrs = Object.values(resourcesOf(JSON.parse(Testing.synth(stack)) as Record<string, unknown>).tls_cert_request);
    expect(csrs.map((c) => c.ip_addresses)).toEqual([['10.128.0.10', '127.0.0.1'], ['${var.ip1}', '127.0.0.1'], ['127.0.0.1']]);
  });

  test('a DNS name with a project variable in it stays a Terraform reference', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    new EtcdPki(stack, 'pki', { clusterName: 'demo', members: [{ name: 'demo-etcd-0', dnsName: `demo-etcd-0.us-central1-a.c.${project.stringValue}.internal` }] });
    const [csr] = Object.values(resourcesOf(JSON.parse(Testing.synth(stack)) as Record<string, unknown>).tls_cert_request);
    expect(csr.dns_names).toEqual(['demo-etcd-0.us-central1-a.c.${var.project}.internal', 'localhost']);
  });

  test("the stack's own tls provider is used, not doubled", () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new TlsProvider(stack, 'mine', {});
    new EtcdPki(stack, 'pki', { clusterName: 'demo', members: demoMembers() });
    new EtcdPki(stack, 'pki2', { clusterName: 'other', members: demoMembers() });
    expect((JSON.parse(Testing.synth(stack)) as { provider: { tls: unknown[] } }).provider.tls).toHaveLength(1);
  });

  test('member() and client() name what exists when asked for what does not', () => {
    const { pki } = synthesizePki();
    expect(() => pki.member('demo-etcd-7')).toThrow('has no member "demo-etcd-7" (members: demo-etcd-0, demo-etcd-1, demo-etcd-2)');
    expect(() => pki.client('admin')).toThrow('has no client role "admin" (roles: kube-apiserver, flannel); add it to clientRoles');
  });
});

describe('EtcdPki errors say what is wrong and what to do', () => {
  const refuse = (props: Parameters<typeof synthesizePki>[0]) => () => synthesizePki(props);

  test.each([
    [{ members: [] }, 'members is empty: give every etcd member (e.g. EtcdCluster.members)'],
    [{ members: [...demoMembers(), demoMembers()[0]] }, 'member "demo-etcd-0" is listed twice: member names must be unique'],
    [{ members: demoMembers(['10.0.0.1', 'ten', '10.0.0.3']) }, 'members[1].ipAddress "ten" is not an IPv4 address: give the member\'s internal IP, or leave it out'],
    [{ members: [{ name: 'demo-etcd-0', dnsName: 'not a name' }] }, 'members[0].dnsName "not a name" is not a DNS name'],
    [{ clientRoles: ['Kube API'] }, 'clientRoles[0] "Kube API" must be 1-63 characters of a-z, 0-9'],
    [{ clientRoles: ['flannel', 'flannel'] }, 'client role "flannel" is listed twice'],
    [{ keyAlgorithm: 'DSA' as never }, `keyAlgorithm must be 'ECDSA' or 'RSA' (got "DSA")`],
    [{ certValidityHours: 0 }, 'certValidityHours must be a whole number of hours, at least 1 (got 0)'],
    [{ certValidityHours: 100_000 }, 'certValidityHours (100000) exceeds caValidityHours (87600): a certificate cannot be trusted longer than its CA'],
    [{ earlyRenewalHours: 8760 }, 'earlyRenewalHours (8760) must be less than certValidityHours (8760), or every apply would replace every certificate'],
    [{ caEarlyRenewalHours: 87600 }, 'caEarlyRenewalHours (87600) must be less than caValidityHours (87600)'],
  ])('%j', (props, message) => {
    expect(refuse(props)).toThrow(message);
    expect(refuse(props)).toThrow(/^EtcdPki pki-stack\/etcd-pki: /);
  });

  test('names that become construct ids must be literals', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const v = new TerraformVariable(stack, 'role', { type: 'string' });
    expect(() => new EtcdPki(stack, 'pki', { clusterName: 'demo', members: demoMembers(), clientRoles: [v.stringValue] })).toThrow(
      'clientRoles[0] must be a literal, not a token',
    );
  });
});

describe('@cdktf/provider-tls and @cdktf/provider-random are required peers of the cluster constructs', () => {
  /** Loads `load` in a fresh module registry in which `pkg`'s modules cannot be found. */
  function withoutPackage(pkg: string, libs: readonly string[], load: () => void): void {
    jest.isolateModules(() => {
      for (const lib of libs) {
        jest.doMock(`${pkg}/lib/${lib}`, () => {
          throw new Error(`Cannot find module '${pkg}/lib/${lib}'`);
        });
      }
      load();
    });
    for (const lib of libs) jest.dontMock(`${pkg}/lib/${lib}`);
  }

  test('package.json names both as peer dependencies, none of them optional, at the versions the message names', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.peerDependencies).toMatchObject({ '@cdktf/provider-tls': '^11.0.1', '@cdktf/provider-random': '^12.0.1' });
    for (const name of ['@cdktf/provider-tls', '@cdktf/provider-random']) expect(pkg.peerDependenciesMeta?.[name]?.optional).not.toBe(true);
  });

  test('without @cdktf/provider-tls, the Google door still loads and creating a PKI fails, saying what to install', () => {
    withoutPackage('@cdktf/provider-tls', ['private-key', 'provider', 'self-signed-cert', 'cert-request', 'locally-signed-cert'], () => {
      /* eslint-disable @typescript-eslint/no-require-imports -- a fresh module registry with the package missing */
      const google = require('../../constructs/google') as typeof import('../../constructs/google');
      const { EtcdPki: IsolatedPki } = require('../../constructs/cluster-pki') as typeof import('../../constructs/cluster-pki');
      const cdktf = require('cdktf') as typeof import('cdktf');
      /* eslint-enable @typescript-eslint/no-require-imports */
      // A plain CoreOSInstance needs neither package: the loaders are lazy.
      expect(typeof google.ComputeInstance).toBe('function');
      const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 's');
      expect(() => new IsolatedPki(stack, 'pki', { clusterName: 'demo', members: demoMembers() })).toThrow(
        /^the cluster constructs need the peer dependency @cdktf\/provider-tls: install it \(npm install @cdktf\/provider-tls@\^11\.0\.1\)\. Cannot find module '@cdktf\/provider-tls\/lib\/[a-z-]+'$/,
      );
    });
  });

  test('without @cdktf/provider-random, creating a secret store fails, saying what to install', () => {
    withoutPackage('@cdktf/provider-random', ['id', 'provider'], () => {
      /* eslint-disable @typescript-eslint/no-require-imports -- a fresh module registry with the package missing */
      const { ClusterSecretStore } = require('../../constructs/secret-store') as typeof import('../../constructs/secret-store');
      const cdktf = require('cdktf') as typeof import('cdktf');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 's');
      expect(() => new ClusterSecretStore(stack, 'secrets', { clusterName: 'demo', location: 'us-central1' })).toThrow(
        /^the cluster constructs need the peer dependency @cdktf\/provider-random: install it \(npm install @cdktf\/provider-random@\^12\.0\.1\)\. Cannot find module '@cdktf\/provider-random\/lib\/[a-z-]+'$/,
      );
    });
  });
});

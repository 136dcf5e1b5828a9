/**
 * Test helper: the `tls_*` resources of a synthesized stack, read from its Terraform JSON, and the
 * same certificates minted with the openssl CLI. Each `tls_locally_signed_cert` is followed through
 * its references (`cert_request_pem` -> `tls_cert_request` -> `private_key_pem` -> `tls_private_key`,
 * `ca_cert_pem` -> `tls_self_signed_cert`), and its attributes become an openssl key, subject and
 * extension section: what the tls provider would put into the certificate (Go's crypto/x509 marks
 * basicConstraints and keyUsage critical, and derives the authority key id from the CA's subject
 * key id). Anything the translator does not know is an error, so the two cannot drift apart silently.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const OPENSSL_BINARY = '/usr/bin/openssl';

type Json = Record<string, unknown>;

export interface PlannedKey {
  readonly address: string;
  readonly algorithm: 'ECDSA' | 'RSA';
  readonly ecdsaCurve?: string;
  readonly rsaBits?: number;
}

/** One certificate as the tls resources describe it. */
export interface PlannedCert {
  /** The certificate resource: `tls_self_signed_cert.X` or `tls_locally_signed_cert.X`. */
  readonly address: string;
  readonly key: PlannedKey;
  /** `subject` block, tls provider attribute names (common_name, organization, ...). */
  readonly subject: Readonly<Record<string, string>>;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly allowedUses: readonly string[];
  readonly isCa: boolean;
  readonly setSubjectKeyId: boolean;
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
  /** The signing CA's address; undefined for a self-signed certificate. */
  readonly issuer?: string;
}

export interface TlsPlan {
  readonly cas: readonly PlannedCert[];
  readonly leaves: readonly PlannedCert[];
}

/** `${type.name.attribute}` -> [type, name, attribute]. */
function reference(value: unknown, expectType: string, expectAttribute: string, where: string): string {
  const m = typeof value === 'string' ? /^\$\{(tls_[a-z_]+)\.([^.}]+)\.([a-z_]+)\}$/.exec(value) : null;
  if (!m || m[1] !== expectType || m[3] !== expectAttribute) {
    throw new Error(`${where}: expected a reference to ${expectType}.*.${expectAttribute}, got ${JSON.stringify(value)}`);
  }
  return `${m[1]}.${m[2]}`;
}

function literalStrings(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  for (const v of value) {
    if (typeof v !== 'string' || v.includes('${')) throw new Error(`${where}: ${JSON.stringify(v)} is not a literal string; openssl needs the value Terraform would use`);
  }
  return value as string[];
}

function subjectOf(value: unknown, where: string): Record<string, string> {
  const blocks = value as Json[] | undefined;
  if (!Array.isArray(blocks) || blocks.length !== 1) throw new Error(`${where}: expected one subject block, got ${JSON.stringify(value)}`);
  const subject: Record<string, string> = {};
  for (const [k, v] of Object.entries(blocks[0])) {
    if (typeof v !== 'string') throw new Error(`${where}.subject.${k}: not a string`);
    subject[k] = v;
  }
  return subject;
}

function hours(value: unknown, where: string, fallback?: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${where}: expected whole hours, got ${JSON.stringify(value)}`);
  return v;
}

/** Every certificate of the stack's Terraform JSON, CAs (self-signed) and leaves (locally signed). */
export function tlsPlan(stackJson: Json): TlsPlan {
  const resources = (stackJson.resource ?? {}) as Record<string, Record<string, Json>>;
  const of = (type: string) => resources[type] ?? {};
  const keys = new Map(
    Object.entries(of('tls_private_key')).map(([name, r]) => {
      const address = `tls_private_key.${name}`;
      if (r.algorithm !== 'ECDSA' && r.algorithm !== 'RSA') throw new Error(`${address}: algorithm ${JSON.stringify(r.algorithm)} is not translated`);
      const key: PlannedKey =
        r.algorithm === 'ECDSA'
          ? { address, algorithm: 'ECDSA', ecdsaCurve: (r.ecdsa_curve as string | undefined) ?? 'P224' }
          : { address, algorithm: 'RSA', rsaBits: (r.rsa_bits as number | undefined) ?? 2048 };
      return [address, key];
    }),
  );
  const keyOf = (value: unknown, where: string) => {
    const key = keys.get(reference(value, 'tls_private_key', 'private_key_pem', where));
    if (!key) throw new Error(`${where}: no such tls_private_key`);
    return key;
  };
  const known = new Set(['tls_private_key', 'tls_self_signed_cert', 'tls_cert_request', 'tls_locally_signed_cert']);
  for (const type of Object.keys(resources)) if (type.startsWith('tls_') && !known.has(type)) throw new Error(`${type} is not translated`);

  const cas = Object.entries(of('tls_self_signed_cert')).map(([name, r]): PlannedCert => {
    const address = `tls_self_signed_cert.${name}`;
    return {
      address,
      key: keyOf(r.private_key_pem, `${address}.private_key_pem`),
      subject: subjectOf(r.subject, address),
      dnsNames: literalStrings(r.dns_names, `${address}.dns_names`),
      ipAddresses: literalStrings(r.ip_addresses, `${address}.ip_addresses`),
      allowedUses: literalStrings(r.allowed_uses, `${address}.allowed_uses`),
      isCa: r.is_ca_certificate === true,
      setSubjectKeyId: r.set_subject_key_id === true,
      validityHours: hours(r.validity_period_hours, `${address}.validity_period_hours`),
      earlyRenewalHours: hours(r.early_renewal_hours, `${address}.early_renewal_hours`, 0),
    };
  });
  const requests = of('tls_cert_request');
  const leaves = Object.entries(of('tls_locally_signed_cert')).map(([name, r]): PlannedCert => {
    const address = `tls_locally_signed_cert.${name}`;
    const csrAddress = reference(r.cert_request_pem, 'tls_cert_request', 'cert_request_pem', `${address}.cert_request_pem`);
    const csr = requests[csrAddress.slice('tls_cert_request.'.length)];
    if (!csr) throw new Error(`${address}: no ${csrAddress}`);
    const issuer = reference(r.ca_cert_pem, 'tls_self_signed_cert', 'cert_pem', `${address}.ca_cert_pem`);
    const ca = cas.find((c) => c.address === issuer);
    if (!ca) throw new Error(`${address}: no ${issuer}`);
    if (keyOf(r.ca_private_key_pem, `${address}.ca_private_key_pem`).address !== ca.key.address) throw new Error(`${address}: signed with a key that is not ${issuer}'s`);
    return {
      address,
      key: keyOf(csr.private_key_pem, `${csrAddress}.private_key_pem`),
      subject: subjectOf(csr.subject, csrAddress),
      dnsNames: literalStrings(csr.dns_names, `${csrAddress}.dns_names`),
      ipAddresses: literalStrings(csr.ip_addresses, `${csrAddress}.ip_addresses`),
      allowedUses: literalStrings(r.allowed_uses, `${address}.allowed_uses`),
      isCa: r.is_ca_certificate === true,
      setSubjectKeyId: r.set_subject_key_id === true,
      validityHours: hours(r.validity_period_hours, `${address}.validity_period_hours`),
      earlyRenewalHours: hours(r.early_renewal_hours, `${address}.early_renewal_hours`, 0),
      issuer,
    };
  });
  return { cas, leaves };
}

/** tls provider `allowed_uses` -> openssl keyUsage / extendedKeyUsage names. */
const KEY_USAGES: Readonly<Record<string, string>> = {
  digital_signature: 'digitalSignature',
  content_commitment: 'nonRepudiation',
  key_encipherment: 'keyEncipherment',
  data_encipherment: 'dataEncipherment',
  key_agreement: 'keyAgreement',
  cert_signing: 'keyCertSign',
  crl_signing: 'cRLSign',
  encipher_only: 'encipherOnly',
  decipher_only: 'decipherOnly',
};
const EXTENDED_KEY_USAGES: Readonly<Record<string, string>> = {
  server_auth: 'serverAuth',
  client_auth: 'clientAuth',
  code_signing: 'codeSigning',
  email_protection: 'emailProtection',
  timestamping: 'timeStamping',
  ocsp_signing: 'OCSPSigning',
};

/** Subject attributes in the order Go writes them (pkix.Name.ToRDNSequence). */
const SUBJECT_FIELDS: readonly (readonly [string, string])[] = [
  ['country', 'C'],
  ['province', 'ST'],
  ['locality', 'L'],
  ['organization', 'O'],
  ['organizational_unit', 'OU'],
  ['common_name', 'CN'],
];

/** The subject as openssl's `-subj`. */
export function opensslSubject(subject: Readonly<Record<string, string>>): string {
  for (const k of Object.keys(subject)) if (!SUBJECT_FIELDS.some(([field]) => field === k)) throw new Error(`subject.${k} is not translated`);
  return SUBJECT_FIELDS.filter(([field]) => subject[field] !== undefined)
    .map(([field, short]) => {
      const value = subject[field];
      if (/[/=,+\\]/.test(value)) throw new Error(`subject.${field} "${value}" has characters the translator does not escape`);
      return `/${short}=${value}`;
    })
    .join('');
}

/** The openssl extension section `[ext]` for a certificate. */
export function opensslExtensions(cert: PlannedCert): string {
  const ku = cert.allowedUses.filter((u) => u in KEY_USAGES).map((u) => KEY_USAGES[u]);
  const eku = cert.allowedUses.filter((u) => u in EXTENDED_KEY_USAGES).map((u) => EXTENDED_KEY_USAGES[u]);
  const unknown = cert.allowedUses.filter((u) => !(u in KEY_USAGES) && !(u in EXTENDED_KEY_USAGES));
  if (unknown.length > 0) throw new Error(`${cert.address}: allowed_uses ${unknown.join(', ')} not translated`);
  const san = [...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((ip) => `IP:${ip}`)];
  return [
    // For `openssl req`, which wants a distinguished_name section even with -subj.
    '[req]',
    'distinguished_name = dn',
    '[dn]',
    '[ext]',
    `basicConstraints = critical, CA:${cert.isCa ? 'TRUE' : 'FALSE'}`,
    ...(ku.length > 0 ? [`keyUsage = critical, ${ku.join(', ')}`] : []),
    ...(eku.length > 0 ? [`extendedKeyUsage = ${eku.join(', ')}`] : []),
    `subjectKeyIdentifier = ${cert.setSubjectKeyId ? 'hash' : 'none'}`,
    `authorityKeyIdentifier = ${cert.issuer === undefined ? 'none' : 'keyid'}`,
    ...(san.length > 0 ? [`subjectAltName = ${san.join(', ')}`] : []),
    '',
  ].join('\n');
}

const CURVES: Readonly<Record<string, string>> = { P224: 'secp224r1', P256: 'prime256v1', P384: 'secp384r1', P521: 'secp521r1' };

const openssl = (args: readonly string[]) => execFileSync(OPENSSL_BINARY, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Days for openssl's `-days`: the validity must be whole days. */
function days(cert: PlannedCert): string {
  if (cert.validityHours % 24 !== 0) throw new Error(`${cert.address}: validity_period_hours ${cert.validityHours} is not whole days, which openssl -days needs`);
  return String(cert.validityHours / 24);
}

/** A key as the tls provider writes `private_key_pem`: SEC 1 for ECDSA, PKCS#1 for RSA. */
function mintKey(key: PlannedKey, file: string): void {
  if (key.algorithm === 'ECDSA') {
    const curve = CURVES[key.ecdsaCurve ?? ''];
    if (!curve) throw new Error(`${key.address}: curve ${key.ecdsaCurve} not translated`);
    openssl(['ecparam', '-name', curve, '-genkey', '-noout', '-out', file]);
  } else {
    openssl(['genrsa', '-traditional', '-out', file, String(key.rsaBits)]);
  }
}

export interface MintedCert {
  readonly cert: PlannedCert;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Key and certificate files for every planned certificate, under `dir`; keyed by the certificate's common name. */
export function mint(plan: TlsPlan, dir: string): Map<string, MintedCert> {
  const minted = new Map<string, MintedCert>();
  const byAddress = new Map<string, MintedCert>();
  const fileName = (cert: PlannedCert) => (cert.subject.common_name ?? cert.address).replace(/[^a-zA-Z0-9._-]/g, '_');
  for (const cert of [...plan.cas, ...plan.leaves]) {
    const base = path.join(dir, fileName(cert));
    const out: MintedCert = { cert, certFile: `${base}.pem`, keyFile: `${base}-key.pem` };
    const extFile = `${base}.cnf`;
    writeFileSync(extFile, opensslExtensions(cert));
    mintKey(cert.key, out.keyFile);
    const subj = opensslSubject(cert.subject);
    if (cert.issuer === undefined) {
      openssl(['req', '-x509', '-new', '-sha256', '-key', out.keyFile, '-subj', subj, '-days', days(cert), '-config', extFile, '-extensions', 'ext', '-out', out.certFile]);
    } else {
      const ca = byAddress.get(cert.issuer);
      if (!ca) throw new Error(`${cert.address}: its CA ${cert.issuer} was not minted`);
      const csrFile = `${base}.csr`;
      // The request carries only the subject: like tls_locally_signed_cert, the extensions are the signer's.
      openssl(['req', '-new', '-sha256', '-key', out.keyFile, '-subj', subj, '-config', extFile, '-out', csrFile]);
      openssl(['x509', '-req', '-sha256', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${randomSerial()}`, '-days', days(cert), '-extfile', extFile, '-extensions', 'ext', '-out', out.certFile]);
    }
    minted.set(cert.subject.common_name ?? cert.address, out);
    byAddress.set(cert.address, out);
  }
  return minted;
}

function randomSerial(): string {
  // 128 random bits, as the tls provider draws its serial numbers; the top bit clear keeps it positive.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

/** A certificate as far as the plan decides it, in one comparable shape (certificateFacts, plannedFacts). */
export interface CertificateFacts {
  /** Subject attributes in order, `O=demo`, `CN=demo-etcd-0`. */
  readonly subject: readonly string[];
  readonly isCa: boolean;
  /** `ec prime256v1`, `rsa 2048`. */
  readonly key: string;
  /** `DNS:a, IP Address:127.0.0.1` (as Node prints it), or undefined. */
  readonly subjectAltName?: string;
  /** Key usage names as openssl prints them, and whether the extension is critical. */
  readonly keyUsage: readonly string[];
  readonly keyUsageCritical: boolean;
  /** Extended key usage OIDs, sorted. */
  readonly extendedKeyUsage: readonly string[];
  readonly validityHours: number;
}

/** openssl's names of the key usages, in the bit order it prints them. */
const KEY_USAGE_TEXT: readonly (readonly [string, string])[] = [
  ['digitalSignature', 'Digital Signature'],
  ['nonRepudiation', 'Non Repudiation'],
  ['keyEncipherment', 'Key Encipherment'],
  ['dataEncipherment', 'Data Encipherment'],
  ['keyAgreement', 'Key Agreement'],
  ['keyCertSign', 'Certificate Sign'],
  ['cRLSign', 'CRL Sign'],
  ['encipherOnly', 'Encipher Only'],
  ['decipherOnly', 'Decipher Only'],
];
const EXTENDED_KEY_USAGE_OIDS: Readonly<Record<string, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
};

/** What the plan says a certificate must be. */
export function plannedFacts(cert: PlannedCert): CertificateFacts {
  const ku = new Set(cert.allowedUses.map((u) => KEY_USAGES[u]).filter(Boolean));
  const san = [...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((ip) => `IP Address:${ip}`)].join(', ');
  return {
    subject: SUBJECT_FIELDS.filter(([field]) => cert.subject[field] !== undefined).map(([field, short]) => `${short}=${cert.subject[field]}`),
    isCa: cert.isCa,
    key: cert.key.algorithm === 'ECDSA' ? `ec ${CURVES[cert.key.ecdsaCurve ?? '']}` : `rsa ${cert.key.rsaBits}`,
    subjectAltName: san === '' ? undefined : san,
    keyUsage: KEY_USAGE_TEXT.filter(([name]) => ku.has(name)).map(([, text]) => text),
    keyUsageCritical: ku.size > 0,
    extendedKeyUsage: cert.allowedUses
      .map((u) => EXTENDED_KEY_USAGES[u])
      .filter(Boolean)
      .map((name) => EXTENDED_KEY_USAGE_OIDS[name])
      .sort(),
    validityHours: cert.validityHours,
  };
}

/** What a certificate file says, read by Node's X509Certificate and openssl. */
export function certificateFacts(certFile: string): CertificateFacts {
  const x = new X509Certificate(readFileSync(certFile));
  const details = x.publicKey.asymmetricKeyDetails;
  const [kuHeader = '', ...kuLines] = openssl(['x509', '-in', certFile, '-noout', '-ext', 'keyUsage']).split('\n');
  const kuText = kuLines.map((l) => l.trim()).filter(Boolean).join('\n');
  return {
    subject: x.subject.split('\n'),
    isCa: x.ca,
    key: x.publicKey.asymmetricKeyType === 'ec' ? `ec ${details?.namedCurve}` : `${x.publicKey.asymmetricKeyType} ${details?.modulusLength}`,
    subjectAltName: x.subjectAltName,
    keyUsage: kuText === '' ? [] : kuText.split(', '),
    keyUsageCritical: /critical/.test(kuHeader),
    extendedKeyUsage: [...(x.keyUsage ?? [])].sort(),
    validityHours: (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 3_600_000,
  };
}

/**
 * The certificate of `commonName` as another CA would issue it: the same plan with the CA's (and
 * the leaf's) organization changed, so a fresh CA key signs it. For refusal tests.
 */
export function mintFromAnotherCa(plan: TlsPlan, commonName: string, dir: string): MintedCert {
  const other = (c: PlannedCert): PlannedCert => ({ ...c, subject: { ...c.subject, organization: 'stranger' } });
  const leaves = plan.leaves.filter((l) => l.subject.common_name === commonName);
  if (leaves.length !== 1) throw new Error(`no single certificate for ${commonName} in the plan`);
  const minted = mint({ cas: plan.cas.map(other), leaves: leaves.map(other) }, dir);
  return minted.get(commonName) as MintedCert;
}

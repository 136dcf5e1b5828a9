/**
 * Test helper: a node's TLS files as the node would have them once fetch-secrets.service has run,
 * followed from the synthesized stack rather than assumed: the unit's ExecStart names each object
 * and the path it is installed at; the stack's `google_storage_bucket_object` of that name holds
 * one `tls_*` attribute; openssl-from-tls.ts minted that certificate or key. The files are copied
 * into a stand-in root directory with the modes the unit gives them (owners are not reproduced).
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { MintedCert, TlsPlan } from '../etcd-tls/openssl-from-tls';
import { execService, loadService } from './systemd-exec';
import { evaluateTemplate } from './terraform-template';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const FETCH_SECRETS_UNIT = 'fetch-secrets.service';

/** One file fetch-secrets installs: where, from which object, and the tls_* attribute the object holds. */
export interface FetchedSecret {
  /** The path on the node, e.g. `/etc/ssl/etcd/server.pem`. */
  readonly path: string;
  /** The object's full name, e.g. `etcd/demo-etcd-0/server.pem`. */
  readonly object: string;
  readonly mode: number;
  /** `tls_locally_signed_cert.NAME.cert_pem`, `tls_self_signed_cert.NAME.cert_pem` or `tls_private_key.NAME.private_key_pem`. */
  readonly source: string;
}

/** The files a node's fetch-secrets.service installs, each traced to the tls_* attribute it holds. */
export function fetchedSecrets(ignition: Json, terraform: Json, references: Readonly<Record<string, string>>): FetchedSecret[] {
  const unit = (ignition.systemd?.units ?? []).find((u: Json) => u.name === FETCH_SECRETS_UNIT && typeof u.contents === 'string');
  if (!unit) throw new Error(`no ${FETCH_SECRETS_UNIT} in the node's Ignition: are its keys delivered from the bucket (SecretDelivery.CLOUD_STORAGE)?`);
  const exec = execService(loadService({ name: FETCH_SECRETS_UNIT }, [{ name: FETCH_SECRETS_UNIT, text: unit.contents }]), () => undefined);
  const [command] = exec.commands;
  const bucket = exec.environment.get('FETCH_SECRETS_BUCKET');
  const prefix = exec.environment.get('FETCH_SECRETS_PREFIX') ?? '';
  const words = command.argv.slice(1);
  if (bucket === undefined || exec.commands.length !== 1 || words.length === 0 || words.length % 4 !== 0) {
    throw new Error(`${FETCH_SECRETS_UNIT}: expected one ExecStart of OBJECT PATH MODE OWNER groups and FETCH_SECRETS_BUCKET, got ${JSON.stringify(command.argv)}`);
  }
  const objects: Json[] = Object.values(terraform.resource?.google_storage_bucket_object ?? {});
  const secrets: FetchedSecret[] = [];
  for (let i = 0; i < words.length; i += 4) {
    const [object, target, mode] = words.slice(i, i + 3);
    const name = `${prefix}${object}`;
    const stored = objects.filter((o) => evaluateTemplate(o.name, references) === name && evaluateTemplate(o.bucket, references) === bucket);
    if (stored.length !== 1) throw new Error(`${FETCH_SECRETS_UNIT} fetches ${bucket}/${name}, which ${stored.length === 0 ? 'no' : 'more than one'} google_storage_bucket_object holds`);
    const source = /^\$\{(tls_[a-z_]+\.[^.}]+\.(?:cert_pem|private_key_pem))\}$/.exec(stored[0].content)?.[1];
    if (!source) throw new Error(`object ${name}: content ${JSON.stringify(stored[0].content)} is not one tls_* certificate or key`);
    secrets.push({ path: target, object: name, mode: parseInt(mode, 8), source });
  }
  return secrets;
}

/** The minted file for a tls_* attribute reference (`TYPE.NAME.cert_pem` or `tls_private_key.NAME.private_key_pem`). */
export function mintedFile(source: string, minted: ReadonlyMap<string, MintedCert>): string {
  const [type, name, attribute] = source.split('.');
  const address = `${type}.${name}`;
  for (const m of minted.values()) {
    if (attribute === 'cert_pem' && m.cert.address === address) return m.certFile;
    if (attribute === 'private_key_pem' && m.cert.key.address === address) return m.keyFile;
  }
  throw new Error(`nothing minted for ${source}`);
}

/** Copies each secret's minted file to `root` + its path; returns node path -> local file. */
export function installSecrets(secrets: readonly FetchedSecret[], minted: ReadonlyMap<string, MintedCert>, root: string): Map<string, string> {
  const installed = new Map<string, string>();
  for (const secret of secrets) {
    const local = path.join(root, secret.path);
    mkdirSync(path.dirname(local), { recursive: true });
    copyFileSync(mintedFile(secret.source, minted), local);
    chmodSync(local, secret.mode);
    installed.set(secret.path, local);
  }
  return installed;
}

/**
 * The stack's Terraform JSON with the strings Terraform evaluates before the tls provider sees
 * them (SANs: `${var.project}` in a DNS name, a reserved address's IP) evaluated with the test's
 * values, so that tlsPlan reads literals.
 */
export function tlsResourcesAsApplied(terraform: Json, references: Readonly<Record<string, string>>): Json {
  const copy = JSON.parse(JSON.stringify(terraform));
  for (const type of ['tls_cert_request', 'tls_self_signed_cert']) {
    for (const resource of Object.values<Json>(copy.resource?.[type] ?? {})) {
      for (const field of ['dns_names', 'ip_addresses']) {
        if (Array.isArray(resource[field])) resource[field] = resource[field].map((s: string) => evaluateTemplate(s, references));
      }
    }
  }
  return copy;
}

/**
 * The plan with extra IP SANs on the certificates of the given common names (member name -> its
 * loopback address): for hosts that cannot resolve the members' DNS names privately, where the
 * names are rewritten to addresses and the certificates must name those addresses too.
 */
export function withExtraIpSans(plan: TlsPlan, extra: ReadonlyMap<string, string>): TlsPlan {
  return {
    cas: plan.cas,
    leaves: plan.leaves.map((leaf) => {
      const ip = extra.get(leaf.subject.common_name);
      return ip === undefined ? leaf : { ...leaf, ipAddresses: [...leaf.ipAddresses, ip] };
    }),
  };
}

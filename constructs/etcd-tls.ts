/**
 * Mutual TLS for a cluster's etcd (docs/security.md): where each node keeps its certificate files,
 * the etcd options that use them, the environment etcdctl reads, and how the files get onto the
 * node: fetched from the cluster's bucket at boot (secret-fetch.ts), or, when asked, inline in
 * the user-data.
 *
 * Flatcar's etcd-wrapper runs etcd in a container as the `etcd` user and mounts the host's
 * `$ETCD_SSL_DIR` read-only at `/etc/ssl/certs`: the files live in /etc/ssl/etcd on the host, and
 * etcd's options name them by their path in the container.
 */
import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import type { ContainerLinuxConfig, EtcdConfig, FileConfig } from '../transpiler';
import type { SecretRefresh } from './secret-fetch';
import type { ClusterSecretStore, SecretReader } from './secret-store';

/** How a node's private keys reach it. */
export enum SecretDelivery {
  /**
   * From the cluster's Cloud Storage bucket at boot, with the node's own service account, which
   * may read only its prefix (ClusterSecretStore). Nothing secret is in the metadata.
   */
  CLOUD_STORAGE = 'cloud-storage',
  /**
   * Inline in the user-data, for projects where buckets cannot be made. Anyone who may read the
   * instance (`compute.instances.get`, e.g. roles/compute.viewer) and any process on the node that
   * reaches the metadata server can read the keys: synth warns.
   */
  USER_DATA = 'user-data',
}

/** The host directory of a node's etcd certificates and keys. */
export const ETCD_SSL_DIR = '/etc/ssl/etcd';
/** Where etcd-wrapper mounts ETCD_SSL_DIR inside etcd's container. */
export const ETCD_CONTAINER_SSL_DIR = '/etc/ssl/certs';
/** etcdctl's settings on a node (ETCDCTL_* variables; no secret in it): `EnvironmentFile=` for units, sourced by login shells. */
export const ETCDCTL_ENV_FILE = '/etc/etcd/etcdctl.env';
export const ETCDCTL_PROFILE_SCRIPT = '/etc/profile.d/etcdctl.sh';
/** The drop-in of etcd-member.service that points etcd-wrapper at ETCD_SSL_DIR. */
export const ETCD_TLS_DROPIN = '30-etcd-tls.conf';
/** etcd-wrapper's user (uid 232 on Flatcar and Container Linux): it must read the member's key. */
export const ETCD_USER = 'etcd';

/** A node's three files: the CA certificate, its certificate and its key. */
export interface TlsFileNames {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}
export const MEMBER_TLS_FILES: TlsFileNames = { ca: 'ca.pem', cert: 'server.pem', key: 'server-key.pem' };
export const CLIENT_TLS_FILES: TlsFileNames = { ca: 'ca.pem', cert: 'client.pem', key: 'client-key.pem' };

/** `/etc/ssl/etcd/<file>` for each file. */
export function hostPaths(files: TlsFileNames): TlsFileNames {
  return { ca: `${ETCD_SSL_DIR}/${files.ca}`, cert: `${ETCD_SSL_DIR}/${files.cert}`, key: `${ETCD_SSL_DIR}/${files.key}` };
}

/**
 * etcd's TLS options (ct's etcd section): the member's one certificate serves clients and peers
 * and is its client certificate towards peers; both sides demand a certificate from the CA.
 */
export function etcdTlsOptions(): EtcdConfig {
  const file = (name: string) => `${ETCD_CONTAINER_SSL_DIR}/${name}`;
  return {
    cert_file: file(MEMBER_TLS_FILES.cert),
    key_file: file(MEMBER_TLS_FILES.key),
    trusted_ca_file: file(MEMBER_TLS_FILES.ca),
    client_cert_auth: true,
    peer_cert_file: file(MEMBER_TLS_FILES.cert),
    peer_key_file: file(MEMBER_TLS_FILES.key),
    peer_trusted_ca_file: file(MEMBER_TLS_FILES.ca),
    peer_client_cert_auth: true,
  };
}

export function etcdTlsDropin(): string {
  return `[Service]\nEnvironment="ETCD_SSL_DIR=${ETCD_SSL_DIR}"\n`;
}

/** ETCDCTL_* for etcdctl (v3 API) with a node's certificate; flags given as well would conflict. */
export function etcdctlEnvironment(endpoints: readonly string[], files: TlsFileNames): string {
  const paths = hostPaths(files);
  return `ETCDCTL_API=3\nETCDCTL_ENDPOINTS=${endpoints.join(',')}\nETCDCTL_CACERT=${paths.ca}\nETCDCTL_CERT=${paths.cert}\nETCDCTL_KEY=${paths.key}\n`;
}

/** Login shells get the environment: `sudo -i etcdctl member list` works as is (the key is readable by root and etcd only). */
export const ETCDCTL_PROFILE = `# etcdctl with this node's certificate (cdktf-coreos, etcd-tls.ts)\nif [ -r ${ETCDCTL_ENV_FILE} ]; then set -a; . ${ETCDCTL_ENV_FILE}; set +a; fi\n`;

/** The non-secret files every node of the cluster gets: etcdctl's environment and the profile script. */
export function etcdctlSnippet(endpoints: readonly string[], files: TlsFileNames): ContainerLinuxConfig {
  return {
    storage: {
      files: [
        { filesystem: 'root', path: ETCDCTL_ENV_FILE, mode: 0o644, contents: { inline: etcdctlEnvironment(endpoints, files) } },
        { filesystem: 'root', path: ETCDCTL_PROFILE_SCRIPT, mode: 0o644, contents: { inline: ETCDCTL_PROFILE } },
      ],
    },
  };
}

/** One secret of a node: its contents (a Terraform reference) and where it goes. */
export interface NodeTlsMaterial {
  /** `cert_pem` of the CA. */
  readonly caPem: string;
  /** `cert_pem` of the node's certificate. */
  readonly certPem: string;
  /** `private_key_pem` of the node's key. */
  readonly keyPem: string;
}

export interface TlsDeliveryOptions {
  /** From the bucket at boot, or inline in the user-data. */
  readonly delivery: SecretDelivery;
  /** File names in ETCD_SSL_DIR. */
  readonly files: TlsFileNames;
  /** Owner of the key (`user:group`); certificates are root's and world-readable. */
  readonly keyOwner: string;
  /** Units that must start only once the files are in place. */
  readonly requiredBy: readonly string[];
  /**
   * The store the objects go to (CLOUD_STORAGE only).
   * @default - none: USER_DATA
   */
  readonly store?: ClusterSecretStore;
  /**
   * The node's service account and prefix in the store (CLOUD_STORAGE only).
   * @default - none: USER_DATA
   */
  readonly reader?: SecretReader;
  /** Construct id prefix of the objects, e.g. `member-0`. */
  readonly objectId: string;
  /**
   * Files beyond the three TLS files, installed with them (the same fetch, or inline).
   * @default - none
   */
  readonly extraFiles?: readonly ExtraSecretFile[];
  /**
   * What the fetch's twice-daily refresh does when a file changed in the bucket (CLOUD_STORAGE
   * only: with USER_DATA nothing re-reads the files, and a renewed certificate needs a new instance).
   * @default - restart the units of `requiredBy` that are running
   */
  readonly refresh?: SecretRefresh;
}

/** A secret file beyond a node's TLS files, e.g. a Kubernetes key on a controller that runs etcd. */
export interface ExtraSecretFile {
  /** Object name under its prefix, e.g. `kubernetes/apiserver.key`. */
  readonly object: string;
  /** Absolute path on the node. */
  readonly path: string;
  /** Permission bits, e.g. `0o640`. */
  readonly mode: number;
  /** `user:group`, by name or numeric id. */
  readonly owner: string;
  /** The contents: a Terraform reference or a literal. */
  readonly content: string;
  /**
   * A prefix granted to the node's reader besides its own (ClusterSecretStore.grant), where the
   * object already is, made once for several nodes.
   * @default - the reader's own prefix: the object is made here, with construct id `<objectId>-secret-<object>`
   */
  readonly storedUnder?: string;
}

/**
 * The snippet that puts a node's three files in ETCD_SSL_DIR, and its `extraFiles`. With
 * CLOUD_STORAGE the files become objects under the reader's prefix (an extra file with
 * `storedUnder` is already stored there) and the node gets one fetch-secrets.service for all of
 * them, which the `requiredBy` units require, and the refresh timer that brings renewed files and
 * restarts what `refresh` says; with USER_DATA they are inline files, and `refresh` is refused.
 */
export function tlsDeliverySnippet(material: NodeTlsMaterial, options: TlsDeliveryOptions): ContainerLinuxConfig {
  const tlsFiles = [
    { name: options.files.ca, content: material.caPem, mode: 0o644, owner: 'root:root' },
    { name: options.files.cert, content: material.certPem, mode: 0o644, owner: 'root:root' },
    { name: options.files.key, content: material.keyPem, mode: 0o600, owner: options.keyOwner },
  ];
  const extraFiles = options.extraFiles ?? [];
  if (options.delivery === SecretDelivery.USER_DATA) {
    if (options.refresh !== undefined) throw new Error('refresh is for CLOUD_STORAGE delivery: with USER_DATA the files are in the user-data, and only a new instance gets renewed ones');
    const inline = (f: { path: string; mode: number; owner: string; content: string }): FileConfig => {
      const [user, group] = f.owner.split(':');
      return { filesystem: 'root', path: f.path, mode: f.mode, user: ownerOf(user), group: ownerOf(group), contents: { inline: f.content } };
    };
    return { storage: { files: [...tlsFiles.map((f) => inline({ ...f, path: `${ETCD_SSL_DIR}/${f.name}` })), ...extraFiles.map(inline)] } };
  }
  const { store, reader } = options;
  if (!store || !reader) throw new Error('CLOUD_STORAGE delivery needs the secret store and the node\'s reader');
  return store.fetchSnippet(
    reader,
    [
      ...tlsFiles.map((f) => ({ ...f, id: `${options.objectId}-${f.name.replace(/\.pem$/, '')}`, object: f.name, path: `${ETCD_SSL_DIR}/${f.name}` })),
      ...extraFiles.map((f) => ({ ...f, id: `${options.objectId}-secret-${f.object}` })),
    ],
    options.requiredBy,
    options.refresh,
  );
}

/** A file's user or group for Ignition: by id when numeric, else by name. */
function ownerOf(part: string): { id: number } | { name: string } {
  return /^[0-9]+$/.test(part) ? { id: Number(part) } : { name: part };
}

/** The synth warning of USER_DATA delivery, once per construct. */
export function warnKeysInUserData(scope: Construct, what: string): void {
  Annotations.of(scope).addWarning(
    `secretDelivery USER_DATA puts ${what} in the instances' user-data: anyone who may read the instances or their template (compute.instances.get, ` +
      'e.g. roles/compute.viewer) and any process on a node that reaches the metadata server can read them. ' +
      'Use SecretDelivery.CLOUD_STORAGE (the default) unless buckets cannot be made (docs/security.md §3)',
  );
}

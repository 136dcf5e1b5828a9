/**
 * Where a cluster's secrets live between `terraform apply` and boot (docs/security.md): one Cloud
 * Storage bucket per cluster, one object per secret, and one service account per node role that
 * may read only its own prefix. Nodes fetch their objects at boot with secret-fetch.ts; nothing
 * secret goes into instance metadata.
 *
 * The bucket: uniform bucket-level access (IAM only, no object ACLs), public access prevention
 * enforced, versioning on with old versions deleted after `noncurrentVersionDays` (a rotated key
 * can be rolled back for a week, and does not linger), and a random suffix, since bucket names are
 * global and a guessable one can be taken first by someone else.
 */
import { createHash } from 'node:crypto';
import { dependable, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import { ServiceAccount, StorageBucket, StorageBucketIamMember, StorageBucketObject } from './google';
import type { ContainerLinuxConfig } from '../transpiler';
import { ensureProvider } from './pki-common';
import { secretFetchSnippet, type SecretRefresh } from './secret-fetch';
import { RandomId, RandomProvider } from './pki-providers';

/** The scope a node needs to read its objects, and no more (its IAM grant narrows it to a prefix). */
export const STORAGE_READ_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';
/** The role each reader gets on the bucket, conditioned on its prefix: object get (and list, which the condition leaves useless). */
export const SECRET_READER_ROLE = 'roles/storage.objectViewer';
export const DEFAULT_NONCURRENT_VERSION_DAYS = 7;

export interface ClusterSecretStoreProps {
  /** The cluster's name: the bucket is `<clusterName>-secrets-<8 random hex digits>`. */
  readonly clusterName: string;
  /** The bucket's location, e.g. the cluster's region `us-central1` (nodes read it in-region). */
  readonly location: string;
  /**
   * Days an overwritten or deleted version of an object is kept before it is deleted.
   * @default 7: time to roll a rotation back, short enough that replaced keys do not linger
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Let `terraform destroy` delete the bucket with its objects. Every object is made from
   * Terraform state, so nothing is lost that an apply cannot write again.
   * @default true
   */
  readonly forceDestroy?: boolean;
  /**
   * Labels of the bucket.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

/** A file a node fetches from the store: its object (stored here unless `storedUnder` says where it already is) and where it goes. */
export interface StoredSecretFile {
  /** Construct id of its object. */
  readonly id: string;
  /** Object name, relative to the reader's prefix, or to `storedUnder`. */
  readonly object: string;
  /** Absolute path on the node. */
  readonly path: string;
  /** Permission bits, e.g. `0o600`. */
  readonly mode: number;
  /** `user:group`, by name or numeric id. */
  readonly owner: string;
  /** The contents (a Terraform reference or a literal). */
  readonly content: string;
  /**
   * The prefix the object is already stored under (a shared one the reader was granted).
   * @default - stored here, under the reader's prefix
   */
  readonly storedUnder?: string;
}

/** A role's service account and its conditioned grant. */
export interface SecretReader {
  /** The prefix it may read, e.g. `etcd/demo-etcd-0/`. */
  readonly prefix: string;
  /** The service account's email, for an instance's `service_account`. */
  readonly email: string;
  readonly serviceAccount: ServiceAccount;
  /** The bucket IAM member granting SECRET_READER_ROLE on the prefix only. */
  readonly grant: StorageBucketIamMember;
}

const ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const PREFIX = /^([a-z0-9][a-z0-9._-]*\/)+$/;
const OBJECT = /^[A-Za-z0-9._~-][A-Za-z0-9._~/-]*$/;

/**
 * A service account id (6-30 of a-z, 0-9, -) for `<clusterName>-<role>`: as is when it fits, else the
 * cluster name cut short and followed by 4 hex digits of its hash, so that two long names still differ.
 */
export function serviceAccountId(clusterName: string, role: string): string {
  const plain = `${clusterName}-${role}`;
  if (plain.length <= 30) return plain.length >= 6 ? plain : `${plain}-sa`.padEnd(6, '0');
  const hash = createHash('sha256').update(clusterName).digest('hex').slice(0, 4);
  return `${clusterName.slice(0, 30 - role.length - 6).replace(/-+$/, '')}-${hash}-${role}`;
}

/**
 * Construct ids: `bucket-suffix` (random_id), `bucket`, `<id>-account` and `<id>-grant` per reader,
 * `<id>-grant-<prefix>` per shared prefix granted to it, and the ids given to addSecret. Adds a random provider to the stack unless it has one.
 */
export class ClusterSecretStore extends Construct {
  public readonly bucket: StorageBucket;
  /** The bucket's name (a Terraform reference: it ends in a random suffix). */
  public readonly bucketName: string;
  private readonly objects: { readonly name: string; readonly object: StorageBucketObject }[] = [];
  private readonly readers: { readonly id: string; readonly reader: SecretReader }[] = [];
  /** Grants beyond each reader's own prefix (grant()): prefixes several readers may share. */
  private readonly sharedGrants: { readonly reader: SecretReader; readonly prefix: string; readonly grant: StorageBucketIamMember }[] = [];
  private readonly dependableTokens = new Map<ITerraformDependable, string>();

  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    const days = props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
    if (!Token.isUnresolved(days) && (!Number.isInteger(days) || days < 1)) {
      throw new ConstructError(this, `ClusterSecretStore ${this.node.path}`, `noncurrentVersionDays must be a whole number of days, at least 1 (got ${days})`);
    }
    ensureProvider(this, 'random', (stack) => new RandomProvider(stack, 'random-provider'));
    const suffix = new RandomId(this, 'bucket-suffix', { byteLength: 4, prefix: `${props.clusterName}-secrets-` });
    this.bucket = new StorageBucket(this, 'bucket', {
      name: suffix.hex,
      location: props.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      lifecycleRule: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: days, withState: 'ARCHIVED' } }],
      forceDestroy: props.forceDestroy ?? true,
      labels: props.labels ? { ...props.labels } : undefined,
    });
    this.bucketName = this.bucket.name;
  }

  /**
   * A service account `accountId` that may read the objects under `prefix` and nothing else: the
   * grant's IAM condition names the prefix (conditions need uniform bucket-level access, which the
   * bucket has). No project-level role is granted.
   */
  public addReader(id: string, options: { readonly accountId: string; readonly prefix: string; readonly description: string }): SecretReader {
    const problems = [
      ...(ACCOUNT_ID.test(options.accountId) ? [] : [`service account id "${options.accountId}" must be 6-30 characters of a-z, 0-9 and -, starting with a letter`]),
      ...prefixProblems(options.prefix),
      ...this.readers.filter(({ reader: r }) => overlap(options.prefix, r.prefix)).map(({ reader: r }) => `prefix "${options.prefix}" overlaps "${r.prefix}": each reader needs a prefix of its own`),
      ...this.sharedPrefixes()
        .filter((shared) => overlap(options.prefix, shared))
        .map((shared) => `prefix "${options.prefix}" overlaps "${shared}", which is shared: each reader needs a prefix of its own`),
    ];
    if (problems.length > 0) throw new ConstructError(this, `ClusterSecretStore ${this.node.path}`, problems.join('; '));
    const serviceAccount = new ServiceAccount(this, `${id}-account`, { accountId: options.accountId, displayName: options.description.slice(0, 100) });
    const grant = this.readGrant(`${id}-grant`, serviceAccount.email, options.prefix);
    const reader = { prefix: options.prefix, email: serviceAccount.email, serviceAccount, grant };
    this.readers.push({ id, reader });
    return reader;
  }

  /**
   * Lets `reader` read the objects under `prefix` too, a prefix several readers share (e.g. a key
   * every etcd member needs, stored once): a second conditioned grant for the same account, with
   * construct id `<reader id>-grant-<prefix>`. A shared prefix may not reach into any reader's own
   * prefix, nor nest in another shared one, so that what a reader's own prefix holds stays its own.
   */
  public grant(reader: SecretReader, prefix: string): StorageBucketIamMember {
    const entry = this.readers.find((r) => r.reader === reader);
    const problems = [
      ...(entry ? [] : [`grant: the reader of "${reader.prefix}" is not this store's (add it with addReader)`]),
      ...prefixProblems(prefix),
      ...this.readers.filter(({ reader: r }) => overlap(prefix, r.prefix)).map(({ reader: r }) => `shared prefix "${prefix}" overlaps "${r.prefix}", a reader's own: share a prefix apart from every reader's`),
      ...this.sharedPrefixes()
        .filter((shared) => shared !== prefix && overlap(prefix, shared))
        .map((shared) => `shared prefix "${prefix}" overlaps "${shared}": share the same prefix, or one apart from it`),
      ...(this.sharedGrants.some((g) => g.reader === reader && g.prefix === prefix) ? [`the reader of "${reader.prefix}" is granted "${prefix}" twice`] : []),
    ];
    if (!entry || problems.length > 0) throw new ConstructError(this, `ClusterSecretStore ${this.node.path}`, problems.join('; '));
    const grant = this.readGrant(`${entry.id}-grant-${prefix.replace(/\/$/, '')}`, reader.email, prefix);
    this.sharedGrants.push({ reader, prefix, grant });
    return grant;
  }

  /** The prefixes `reader` may read: its own, then those granted to it. */
  public prefixesOf(reader: SecretReader): string[] {
    return [reader.prefix, ...this.sharedGrants.filter((g) => g.reader === reader).map((g) => g.prefix)];
  }

  /** An object `name` holding `content` (a Terraform reference such as a key's `private_key_pem`). */
  public addSecret(id: string, name: string, content: string): StorageBucketObject {
    if (!OBJECT.test(name)) throw new ConstructError(this, `ClusterSecretStore ${this.node.path}`, `object name "${name}" may hold only letters, digits, ".", "_", "~", "-" and "/"`);
    if (this.objects.some((o) => o.name === name)) throw new ConstructError(this, `ClusterSecretStore ${this.node.path}`, `object "${name}" is added twice`);
    // Stored as given (no Content-Encoding), so that the fetch script's size check holds.
    const object = new StorageBucketObject(this, id, { bucket: this.bucketName, name, content, contentType: 'application/x-pem-file' });
    this.objects.push({ name, object });
    return object;
  }

  /**
   * Stores the files (each under the reader's prefix, unless already stored under a shared one)
   * and returns the node's fetch unit that installs them before `requiredBy`, with the refresh
   * timer that re-fetches them twice a day and does what `refresh` says when one changed
   * (secret-fetch.ts; by default it restarts the running units of `requiredBy`).
   */
  public fetchSnippet(reader: SecretReader, files: readonly StoredSecretFile[], requiredBy: readonly string[], refresh?: SecretRefresh): ContainerLinuxConfig {
    const entries = files.map((f) => {
      if (f.storedUnder === undefined) this.addSecret(f.id, `${reader.prefix}${f.object}`, f.content);
      return { prefix: f.storedUnder ?? reader.prefix, object: f.object, path: f.path, mode: f.mode, owner: f.owner };
    });
    // The script takes one prefix: the node's own, or none and whole object names when it reads from two.
    const prefix = entries.every((e) => e.prefix === reader.prefix) ? reader.prefix : '';
    const secrets = entries.map((e) => ({ object: prefix === '' ? `${e.prefix}${e.object}` : e.object, path: e.path, mode: e.mode, owner: e.owner }));
    return secretFetchSnippet({ bucket: this.bucketName, prefix, secrets, requiredBy, refresh });
  }

  /** The reader's grants and the objects under its prefixes: what a node reading them should be created after. */
  public dependablesOf(reader: SecretReader): ITerraformDependable[] {
    const prefixes = this.prefixesOf(reader);
    return [
      reader.grant,
      ...this.sharedGrants.filter((g) => g.reader === reader).map((g) => g.grant),
      ...this.objects.filter((o) => prefixes.some((prefix) => o.name.startsWith(prefix))).map((o) => o.object),
    ];
  }

  /**
   * dependablesOf as `depends_on` entries. One token per resource however many nodes wait for it:
   * cdktf captures a full stack trace for each token made, and a cluster's nodes wait for the same
   * few dozen grants and objects.
   */
  public dependsOnOf(reader: SecretReader): string[] {
    return this.dependablesOf(reader).map((d) => {
      let token = this.dependableTokens.get(d);
      if (token === undefined) this.dependableTokens.set(d, (token = dependable(d)));
      return token;
    });
  }

  private sharedPrefixes(): string[] {
    return [...new Set(this.sharedGrants.map((g) => g.prefix))];
  }

  /** SECRET_READER_ROLE for `email`, conditioned on `prefix` (conditions need uniform bucket-level access, which the bucket has). */
  private readGrant(id: string, email: string, prefix: string): StorageBucketIamMember {
    return new StorageBucketIamMember(this, id, {
      bucket: this.bucketName,
      role: SECRET_READER_ROLE,
      member: `serviceAccount:${email}`,
      condition: {
        title: `${prefix} only`,
        description: `Objects under ${prefix}`,
        expression: `resource.name.startsWith("projects/_/buckets/${this.bucketName}/objects/${prefix}")`,
      },
    });
  }
}

function prefixProblems(prefix: string): string[] {
  return PREFIX.test(prefix) ? [] : [`prefix "${prefix}" must be segments of a-z, 0-9, ".", "_", "-", each ending in "/"`];
}

/** One prefix holds the other (or they are equal): a grant on either reaches objects of the other. */
function overlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

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
import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import { ServiceAccount, StorageBucket, StorageBucketIamMember, StorageBucketObject } from './google';
import { ensureProvider } from './pki-common';
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
 * and the ids given to addSecret. Adds a random provider to the stack unless it has one.
 */
export class ClusterSecretStore extends Construct {
  public readonly bucket: StorageBucket;
  /** The bucket's name (a Terraform reference: it ends in a random suffix). */
  public readonly bucketName: string;
  private readonly objects: { readonly name: string; readonly object: StorageBucketObject }[] = [];
  private readonly readers: SecretReader[] = [];

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
      ...(PREFIX.test(options.prefix) ? [] : [`prefix "${options.prefix}" must be segments of a-z, 0-9, ".", "_", "-", each ending in "/"`]),
      ...this.readers.filter((r) => options.prefix.startsWith(r.prefix) || r.prefix.startsWith(options.prefix)).map((r) => `prefix "${options.prefix}" overlaps "${r.prefix}": each reader needs a prefix of its own`),
    ];
    if (problems.length > 0) throw new ConstructError(this, `ClusterSecretStore ${this.node.path}`, problems.join('; '));
    const serviceAccount = new ServiceAccount(this, `${id}-account`, { accountId: options.accountId, displayName: options.description.slice(0, 100) });
    const grant = new StorageBucketIamMember(this, `${id}-grant`, {
      bucket: this.bucketName,
      role: SECRET_READER_ROLE,
      member: `serviceAccount:${serviceAccount.email}`,
      condition: {
        title: `${options.prefix} only`,
        description: `Objects under ${options.prefix}`,
        expression: `resource.name.startsWith("projects/_/buckets/${this.bucketName}/objects/${options.prefix}")`,
      },
    });
    const reader = { prefix: options.prefix, email: serviceAccount.email, serviceAccount, grant };
    this.readers.push(reader);
    return reader;
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

  /** The grant and the objects under `prefix`: what a node reading it should be created after. */
  public dependablesOf(reader: SecretReader): ITerraformDependable[] {
    return [reader.grant, ...this.objects.filter((o) => o.name.startsWith(reader.prefix)).map((o) => o.object)];
  }
}

/**
 * Compute Engine's naming rules, checked at construction time so that a bad value fails at synth
 * rather than at `terraform apply`. Values that are tokens are left to Terraform.
 */
import { createHash } from 'node:crypto';
import { Token } from 'cdktf';

// RFC 1035 label: instance names and network tags.
const RFC1035_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const METADATA_KEY = /^[a-zA-Z0-9_-]{1,128}$/;
const MAX_NAME_LENGTH = 63;

/** GCE's limit on one metadata value (docs/gce.md §2). */
const MAX_METADATA_VALUE_BYTES = 256 * 1024;

const known = (value: string): boolean => !Token.isUnresolved(value);

/** An instance name derived from construct ids: lower-cased, invalid runs as `-`, hashed if long. */
export function instanceNameFromIds(ids: readonly string[]): string {
  let name = ids
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+$/, '');
  if (!/^[a-z]/.test(name)) name = `vm-${name}`.replace(/-+$/, '');
  if (name.length > MAX_NAME_LENGTH) {
    const hash = createHash('sha256').update(ids.join('/')).digest('hex').slice(0, 8);
    name = `${name.slice(0, MAX_NAME_LENGTH - 9).replace(/-+$/, '')}-${hash}`;
  }
  return name;
}

export function validateInstanceName(name: string): string[] {
  return known(name) && !RFC1035_NAME.test(name)
    ? [`name "${name}" must be 1-63 characters of a-z, 0-9 and -, start with a letter and not end with -`]
    : [];
}

export function validateTags(tags: readonly string[]): string[] {
  return tags
    .filter((tag) => known(tag) && !RFC1035_NAME.test(tag))
    .map((tag) => `tag "${tag}" must be 1-63 characters of a-z, 0-9 and -, start with a letter and not end with -`);
}

export function validateLabels(labels: { readonly [key: string]: string }): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (known(key) && !LABEL_KEY.test(key)) {
      problems.push(`label key "${key}" must be 1-63 lower-case letters, digits, _ or -, starting with a letter`);
    }
    if (known(value) && !LABEL_VALUE.test(value)) {
      problems.push(`label value "${value}" (key ${key}) must be at most 63 lower-case letters, digits, _ or -`);
    }
  }
  return problems;
}

export function validateMetadataKeys(metadata: { readonly [key: string]: string }): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(metadata)) {
    if (key === 'user-data') {
      problems.push('metadata must not set "user-data": the config owns it (use config or configFile)');
    } else if (known(key) && !METADATA_KEY.test(key)) {
      problems.push(`metadata key "${key}" must be 1-128 characters of a-z, A-Z, 0-9, _ and -`);
    }
  }
  return problems;
}

export function validateDiskSize(sizeGb: number | undefined): string[] {
  if (sizeGb === undefined || Token.isUnresolved(sizeGb)) return [];
  return Number.isInteger(sizeGb) && sizeGb >= 1 ? [] : [`bootDiskSizeGb must be a whole number of GB, at least 1 (got ${sizeGb})`];
}

/** Above this share of the limit, synth warns that the user-data is close to it. */
const NEAR_LIMIT_SHARE = 0.9;

/**
 * The user-data must fit one metadata value. An error when it does not, a warning when it is close;
 * Terraform values are counted at their placeholder's length, so the real size may be larger.
 */
export function checkUserDataSize(instanceName: string, bytes: number): { error?: string; warning?: string } {
  const limit = `${MAX_METADATA_VALUE_BYTES} bytes (256 KiB), Google Cloud's limit for one metadata value`;
  if (bytes > MAX_METADATA_VALUE_BYTES) {
    return {
      error:
        `instance "${instanceName}": the user-data (Ignition config) is ${bytes} bytes, over ${limit}; ` +
        'make it smaller: gzip large file contents (contents.remote.url with a data: URL and compression: gzip), ' +
        'fetch files from a remote URL (contents.remote.url, e.g. a GCS object), ' +
        'or move part of the config to a remote config merged with ignition.config.append',
    };
  }
  if (bytes > MAX_METADATA_VALUE_BYTES * NEAR_LIMIT_SHARE) {
    const percent = Math.floor((bytes / MAX_METADATA_VALUE_BYTES) * 100);
    return { warning: `instance "${instanceName}": the user-data is ${bytes} bytes, ${percent}% of ${limit}; Terraform values add to it` };
  }
  return {};
}

/** Cluster names prefix every resource name (`<cluster>-etcd-0`, `<cluster>-workers-`): short, RFC 1035. */
const MAX_CLUSTER_NAME_LENGTH = 30;

export function validateClusterName(name: string, what = 'clusterName', maxLength = MAX_CLUSTER_NAME_LENGTH): string[] {
  if (!known(name)) return [`${what} must be a literal string: resource names and DNS names are built from it at synth`];
  return RFC1035_NAME.test(name) && name.length <= maxLength
    ? []
    : [`${what} "${name}" must be 1-${maxLength} characters of a-z, 0-9 and -, start with a letter and not end with -`];
}

/**
 * The `Validate(c)` methods of spec 3.1 types (coreos/ignition v2 `config/v3_1/types`, with
 * Flatcar's `oem` URLs and Ignition 2.24's special-mode-bits warning) that a translated 2.x config
 * can reach (docs/ignition-2to3.md §6.2), keyed by Go type name. Each reports through a `V3Reporter`, at
 * JSON paths.
 */
import { parseUrl } from '../go/url';
import { urlError } from '../ignition/rules';
import type { GoStruct } from '../schema';
import { goPathClean, goPathJoin } from '../sections/gopath';
import { configHook, dropinHook, systemdHook, unitHook } from './rules-v31-systemd';
import { V3_TYPE } from './types-v3';

export type V3Path = readonly (string | number)[];
export type V3Kind = 'error' | 'warning';

/** Where a hook reports: the walk's current value, and what the 2.x checks already proved of it. */
export interface V3Reporter {
  /** Adds an entry at the current value's path plus `steps`; an undefined message adds nothing. */
  add(kind: V3Kind, message: string | undefined, ...steps: (string | number)[]): void;
  /** True for a value translated from a 2.x one that passed the 2.3 rules (translate-v24-v31.ts). */
  checked(value: object): boolean;
}
export type Hook = (value: GoStruct, r: V3Reporter) => void;

export const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);
const nilOrEmpty = (s: unknown): boolean => s === undefined || s === '';

/** `validatePath`. */
function pathError(p: string): string | undefined {
  if (p === '') return 'path not specified';
  if (!p.startsWith('/')) return 'path not absolute';
  return goPathClean(p) !== p ? 'path is not fully simplified' : undefined;
}

const modeError = (m: number | undefined): string | undefined => (m !== undefined && (m < 0 || m > 0o7777) ? 'illegal file mode' : undefined);
/** Ignition 2.24's warning for specs below 3.6 (§6.3). */
const specialBitsWarning = (m: number | undefined): string | undefined =>
  m !== undefined && (m & 0o7000) !== 0 ? 'setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0' : undefined;

const GUID = /^(|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;
const guidError = (g: string | undefined): string | undefined =>
  g === undefined || GUID.test(g) ? undefined : `doesn't match the form "01234567-89AB-CDEF-EDCB-A98765432101"`;

function hashError(hash: string | undefined): string | undefined {
  if (hash === undefined) return undefined;
  const dash = hash.indexOf('-');
  if (dash < 0) return 'malformed hash specifier';
  if (hash.slice(0, dash) !== 'sha512') return 'unrecognized hash function';
  return Buffer.byteLength(hash.slice(dash + 1)) !== 128 ? 'incorrect size for hash sum' : undefined;
}

/**
 * `validateURL` of a resource's source. A checked source passed the 2.3 rules, under which the
 * 3.1 ones differ only in refusing `efi` (rules.ts `urlError`): no need to decode data URLs again.
 */
function sourceError(res: GoStruct, r: V3Reporter): string | undefined {
  const source = res.source as string | undefined;
  if (nilOrEmpty(source)) return undefined;
  if (r.checked(res)) return /^[eE][fF][iI]:/.test(source as string) ? 'invalid url scheme' : undefined;
  return urlError(source as string, '3.1');
}

const resourceHook: Hook = (res, r) => {
  const compression = res.compression as string | undefined;
  if (compression !== undefined && compression !== '' && compression !== 'gzip') r.add('error', 'invalid compression method', 'compression');
  r.add('error', hashError((res.verification as GoStruct).hash as string | undefined), 'verification', 'hash');
  r.add('error', sourceError(res, r), 'source');
  r.add('error', headersSchemeError(res), 'httpHeaders');
};

/** `validateSchemeForHTTPHeaders`: headers only go with an http(s) source. */
function headersSchemeError(res: GoStruct): string | undefined {
  if (list(res.httpHeaders).length === 0) return undefined;
  const source = res.source as string | undefined;
  if (nilOrEmpty(source)) return 'unable to parse url';
  const { url } = parseUrl(source as string);
  if (!url) return 'unable to parse url';
  return url.scheme === 'http' || url.scheme === 'https' ? undefined : 'cannot use HTTP headers with this source scheme';
}

function extentEnd(p: GoStruct): number {
  return p.sizeMiB === 0 ? (p.startMiB as number) : (p.startMiB as number) + (p.sizeMiB as number) - 1;
}

/** `partitionsOverlap`: index of the first partition found overlapping, or -1. */
function overlappingPartition(parts: readonly GoStruct[]): number {
  const placed = (p: GoStruct): boolean => p.startMiB !== undefined && p.sizeMiB !== undefined && p.startMiB !== 0;
  for (const p of parts) {
    if (!placed(p)) continue;
    for (let i = 0; i < parts.length; i++) {
      const o = parts[i];
      if (!placed(o) || o === p) continue;
      const [ps, pe, os, oe] = [p.startMiB as number, extentEnd(p), o.startMiB as number, extentEnd(o)];
      if ((ps >= os && ps <= oe) || (pe >= os && pe <= oe) || (ps < os && pe > oe)) return i;
    }
  }
  return -1;
}

const diskHook: Hook = (disk, r) => {
  const device = disk.device as string;
  if (device === '') return r.add('error', 'disk device is required', 'device');
  r.add('error', pathError(device), 'device');
  const parts = list(disk.partitions);
  const numbers = new Map<number, number[]>();
  parts.forEach((p, i) => p.number !== 0 && numbers.set(p.number as number, [...(numbers.get(p.number as number) ?? []), i]));
  // Go ranges over a map here; with one collision the index is deterministic
  const collision = [...numbers.values()].find((idx) => idx.length > 1);
  if (collision) r.add('error', 'partition numbers collide', 'partitions', collision[1]);
  const overlap = overlappingPartition(parts);
  if (overlap >= 0) r.add('error', 'partitions overlap', 'partitions', overlap);
  if (parts.some((p) => p.shouldExist === false) && parts.some((p) => p.number === 0)) {
    r.add('error', 'shouldExist is false for a partition and other partition(s) has start or size 0', 'partitions');
  }
  const labels = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    const label = parts[i].label as string | undefined;
    if (label === undefined) continue;
    if (labels.has(label)) {
      r.add('error', 'cannot use the same partition label twice', 'partitions', i);
      break;
    }
    labels.add(label);
  }
};

const partitionHook: Hook = (p, r) => {
  const label = p.label as string | undefined;
  const others = label !== undefined || !nilOrEmpty(p.typeGuid) || !nilOrEmpty(p.guid) || p.startMiB !== undefined || p.sizeMiB !== undefined;
  if (p.shouldExist === false && others) r.add('error', 'shouldExist specified false with other options also specified');
  if (p.number === 0 && label === undefined) r.add('error', 'a partition number >= 1 or a label must be specified');
  if (label !== undefined) {
    if (Buffer.byteLength(label) > 36) r.add('error', 'partition labels may not exceed 36 characters', 'label');
    else if (label.includes(':')) r.add('error', 'partition label will be truncated to text before the colon', 'label');
  }
  r.add('error', guidError(p.guid as string | undefined), 'guid');
  r.add('error', guidError(p.typeGuid as string | undefined), 'typeGuid');
};

const RAID_LEVELS_WITHOUT_SPARES = ['linear', 'raid0', '0', 'stripe'];
const RAID_LEVELS = ['raid1', '1', 'mirror', 'raid4', '4', 'raid5', '5', 'raid6', '6', 'raid10', '10'];

const raidHook: Hook = (raid, r) => {
  const level = raid.level as string;
  let levelError: string | undefined;
  if (RAID_LEVELS_WITHOUT_SPARES.includes(level)) {
    if (raid.spares !== undefined && raid.spares !== 0) levelError = 'spares unsupported for linear and raid0 arrays';
  } else if (!RAID_LEVELS.includes(level)) {
    levelError = 'unrecognized raid level';
  }
  r.add('error', levelError, 'level');
  if (list(raid.devices).length === 0) r.add('error', 'raid devices required', 'devices');
};

const FORMATS = ['ext4', 'btrfs', 'xfs', 'swap', 'vfat'];
const LABEL_LIMITS: Readonly<Record<string, number>> = { ext4: 16, btrfs: 256, xfs: 12, swap: 15, vfat: 11 };

function formatError(fs: GoStruct): string | undefined {
  if (nilOrEmpty(fs.format)) {
    const others = !nilOrEmpty(fs.path) || !nilOrEmpty(fs.label) || !nilOrEmpty(fs.uuid) || fs.wipeFilesystem === true || list(fs.options).length > 0;
    return others ? 'format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions are specified' : undefined;
  }
  return FORMATS.includes(fs.format as string) ? undefined : 'invalid filesystem format';
}

function fsLabelError(fs: GoStruct): string | undefined {
  const label = fs.label as string | undefined;
  if (nilOrEmpty(label)) return undefined;
  if (nilOrEmpty(fs.format)) return 'filesystem must specify format if label is specified';
  const limit = LABEL_LIMITS[fs.format as string];
  return limit !== undefined && Buffer.byteLength(label as string) > limit
    ? `filesystem labels cannot be longer than ${limit} characters when using ${fs.format as string}`
    : undefined;
}

const filesystemHook: Hook = (fs, r) => {
  r.add('error', nilOrEmpty(fs.path) ? undefined : pathError(fs.path as string), 'path');
  r.add('error', pathError(fs.device as string), 'device');
  r.add('error', formatError(fs), 'format');
  r.add('error', fsLabelError(fs), 'label');
};

/** Hard links take their owner from the target: each owner field set on one is ignored, with a warning. */
function hardLinkOwnerWarnings(link: GoStruct, i: number, r: V3Reporter): void {
  for (const owner of ['user', 'group']) {
    const o = (link[owner] ?? {}) as GoStruct;
    if (o.id !== undefined) r.add('warning', 'user/group ignored for hard link', 'links', i, owner, 'id');
    if (o.name !== undefined) r.add('warning', 'user/group ignored for hard link', 'links', i, owner, 'name');
  }
}

/** A filesystem on a whole declared disk: its partitions, or a table wipe, are overwritten. */
function filesystemOnDiskWarnings(s: GoStruct, r: V3Reporter): void {
  const filesystems = list(s.filesystems);
  if (filesystems.length === 0) return;
  // Go fills a map by device: the last disk of a device wins
  const disks = new Map(list(s.disks).map((d) => [d.device as string, d]));
  filesystems.forEach((fs, i) => {
    const disk = disks.get(fs.device as string);
    if (!disk) return;
    if (list(disk.partitions).length > 0) r.add('warning', 'filesystem overwrites partitioned device', 'filesystems', i, 'device');
    else if (fs.wipeFilesystem !== true && disk.wipeTable === true) {
      r.add('warning', 'device matches disk with wipeTable enabled; filesystem will be wiped', 'filesystems', i, 'device');
    }
  });
}

/**
 * `Storage.Validate`: nothing may live under a declared link; hard links may not target a
 * directory and ignore owners; filesystems on declared disks.
 */
const storageHook: Hook = (s, r) => {
  const links = list(s.links);
  const under = (p: string, l: GoStruct): boolean => p.startsWith((l.path as string) + '/');
  list(s.directories).forEach((d, i) => links.forEach((l) => under(d.path as string, l) && r.add('error', 'directory path includes link in config', 'directories', i)));
  list(s.files).forEach((f, i) => links.forEach((l) => under(f.path as string, l) && r.add('error', 'file path includes link in config', 'files', i)));
  links.forEach((l1, i) => {
    links.forEach((l2) => under(l1.path as string, l2) && r.add('error', 'link path includes link in config', 'links', i));
    if (l1.hard !== true) return;
    let target = goPathClean(l1.target as string);
    if (!target.startsWith('/')) target = goPathJoin(l1.path as string, l1.target as string);
    list(s.directories).forEach((d) => target === d.path && r.add('error', 'hard link target is a directory', 'links', i));
    hardLinkOwnerWarnings(l1, i, r);
  });
  filesystemOnDiskWarnings(s, r);
};

const nodeHook: Hook = (n, r) => r.add('error', pathError(n.path as string), 'path');
const withMode: Hook = (n, r) => {
  nodeHook(n, r);
  r.add('error', modeError(n.mode as number | undefined), 'mode');
  r.add('warning', specialBitsWarning(n.mode as number | undefined), 'mode');
};
const fileHook: Hook = (f, r) => {
  withMode(f, r);
  if (f.overwrite === true && f.contents.source === undefined) r.add('error', 'overwrite must be false if source is unspecified', 'overwrite');
};

/** `validateProxyURL`: http(s) only; a plain-http proxy for HTTPS resources is a warning. */
function proxyUrlCheck(value: unknown, key: string, httpOk: boolean, r: V3Reporter): void {
  if (typeof value !== 'string') return;
  const { url } = parseUrl(value);
  if (!url) return r.add('error', 'unable to parse url', key);
  if (url.scheme !== 'http' && url.scheme !== 'https') return r.add('error', 'proxies must be http(s)', key);
  if (url.scheme === 'http' && !httpOk) r.add('warning', 'insecure plaintext HTTP proxy specified for HTTPS resources', key);
}

const proxyHook: Hook = (p, r) => {
  proxyUrlCheck(p.httpProxy, 'httpProxy', true, r);
  proxyUrlCheck(p.httpsProxy, 'httpsProxy', false, r);
};

export const HOOKS: Readonly<Record<string, Hook>> = {
  [V3_TYPE.config]: configHook,
  'types.Ignition': (i, r) => r.add('error', i.version === '3.1.0' ? undefined : 'unsupported config version', 'version'),
  // merge entries and CAs need a source, config replace does not (§4.1)
  [V3_TYPE.ignitionConfig]: (c, r) => list(c.merge).forEach((res, i) => nilOrEmpty(res.source) && r.add('error', 'source is required', 'merge', i)),
  [V3_TYPE.tls]: (t, r) =>
    list(t.certificateAuthorities).forEach((res, i) => nilOrEmpty(res.source) && r.add('error', 'source is required', 'certificateAuthorities', i)),
  [V3_TYPE.proxy]: proxyHook,
  [V3_TYPE.resource]: resourceHook,
  [V3_TYPE.header]: (h, r) => r.add('error', h.name === '' ? "HTTP header name can't be empty" : undefined, 'name'),
  [V3_TYPE.storage]: storageHook,
  [V3_TYPE.file]: fileHook,
  [V3_TYPE.directory]: withMode,
  [V3_TYPE.link]: nodeHook,
  [V3_TYPE.nodeOwner]: (o, r) => r.add('error', o.id !== undefined && !nilOrEmpty(o.name) ? 'cannot set both id and name' : undefined),
  [V3_TYPE.disk]: diskHook,
  [V3_TYPE.partition]: partitionHook,
  [V3_TYPE.raid]: raidHook,
  [V3_TYPE.filesystem]: filesystemHook,
  [V3_TYPE.systemd]: systemdHook,
  [V3_TYPE.unit]: unitHook,
  [V3_TYPE.dropin]: dropinHook,
};


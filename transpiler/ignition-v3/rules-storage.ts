/**
 * `Validate` methods of the storage types of ignition v2.20.0 `config/v3_{3,4,5}/types` (storage.go,
 * node.go, file.go, directory.go, mode.go, path.go, filesystem.go, luks.go, clevis.go, tang.go,
 * cex.go, raid.go, device.go), keyed by Go type name. Messages are `config/shared/errors`'.
 * Disks, partitions and node owners check exactly as spec 3.1 does, so ign3/rules-v31.ts serves them.
 */
import { goPathClean, goPathJoin } from '../sections/gopath';
import type { GoStruct } from '../schema';
import { HOOKS as V31_HOOKS, list, type Hook } from '../ign3/rules-v31';
import { V3_TYPE } from '../ign3/types-v3';
import type { IgnitionVersion } from './types';
import { ERR_INVALID_SCHEME, ERR_INVALID_URL, urlErrorNilOk, urlScheme } from './url';

const nilOrEmpty = (s: unknown): boolean => s === undefined || s === null || s === '';
const notEmpty = (s: unknown): boolean => !nilOrEmpty(s);
const isNil = (v: unknown): boolean => v === undefined || v === null;
const isTrue = (b: unknown): boolean => b === true;
/** Go `len(s)` of a string: its UTF-8 byte count. */
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `validatePath`. */
export function pathError(p: string): string | undefined {
  if (p === '') return 'path not specified';
  if (!p.startsWith('/')) return 'path not absolute';
  return goPathClean(p) !== p ? 'path is not fully simplified' : undefined;
}

const pathErrorNilOk = (p: unknown): string | undefined => (nilOrEmpty(p) ? undefined : pathError(p as string));

const modeError = (m: unknown): string | undefined =>
  !isNil(m) && ((m as number) < 0 || (m as number) > 0o7777) ? 'illegal file mode' : undefined;

/** 3.3's `validateModeSpecialBits` (Go truncates to uint32 before masking). */
function specialBitsWarning(m: unknown): string | undefined {
  if (isNil(m)) return undefined;
  const bits = Number(BigInt.asUintN(32, BigInt(m as number)) & 0o7000n);
  return bits !== 0 ? 'setuid/setgid/sticky bits are not supported in spec versions older than 3.4.0' : undefined;
}

const nodeHook: Hook = (n, r) => r.add('error', pathError(n.path as string), 'path');

function modeHooks(version: IgnitionVersion): { file: Hook; directory: Hook } {
  const withMode: Hook = (n, r) => {
    nodeHook(n, r);
    r.add('error', modeError(n.mode), 'mode');
    if (version === '3.3.0') r.add('warning', specialBitsWarning(n.mode), 'mode');
  };
  const file: Hook = (f, r) => {
    withMode(f, r);
    const overwriteWithoutSource = isTrue(f.overwrite) && isNil((f.contents as GoStruct | undefined)?.source);
    r.add('error', overwriteWithoutSource ? 'overwrite must be false if source is unspecified' : undefined, 'overwrite');
  };
  return { file, directory: withMode };
}

/** `Storage.validateLinks`: links under links, missing targets, hard links to directories or with owners. */
function linkChecks(s: GoStruct, r: Parameters<Hook>[1]): void {
  const links = list(s.links);
  links.forEach((l1, i) => {
    for (const l2 of links) {
      if ((l1.path as string).startsWith(`${l2.path as string}/`)) r.add('error', 'link path includes link in config', 'links', i);
    }
    if (nilOrEmpty(l1.target)) {
      r.add('error', 'link target is required', 'links', i, 'target');
      return;
    }
    if (!isTrue(l1.hard)) return;
    let target = goPathClean(l1.target as string);
    if (!target.startsWith('/')) target = goPathJoin(l1.path as string, l1.target as string);
    for (const d of list(s.directories)) {
      if (target === d.path) r.add('error', 'hard link target is a directory', 'links', i);
    }
    for (const owner of ['user', 'group']) {
      const o = (l1[owner] ?? {}) as GoStruct;
      for (const key of ['id', 'name']) {
        if (!isNil(o[key])) r.add('warning', 'user/group ignored for hard link', 'links', i, owner, key);
      }
    }
  });
}

/** `Storage.validateFilesystems`: a filesystem on a whole declared disk. */
function filesystemOnDiskChecks(s: GoStruct, r: Parameters<Hook>[1]): void {
  // Go fills a map by device: the last disk of a device wins
  const disks = new Map(list(s.disks).map((d) => [d.device as string, d]));
  list(s.filesystems).forEach((fs, i) => {
    const disk = disks.get(fs.device as string);
    if (!disk) return;
    if (list(disk.partitions).length > 0) r.add('warning', 'filesystem overwrites partitioned device', 'filesystems', i, 'device');
    else if (!isTrue(fs.wipeFilesystem) && isTrue(disk.wipeTable)) {
      r.add('warning', 'device matches disk with wipeTable enabled; filesystem will be wiped', 'filesystems', i, 'device');
    }
  });
}

/** `Storage.Validate`: nothing may live under a declared link, then links and filesystems. */
const storageHook: Hook = (s, r) => {
  const links = list(s.links);
  const linksAbove = (p: unknown): number => links.filter((l) => (p as string).startsWith(`${l.path as string}/`)).length;
  list(s.directories).forEach((d, i) => {
    for (let n = linksAbove(d.path); n > 0; n--) r.add('error', 'directory path includes link in config', 'directories', i);
  });
  list(s.files).forEach((f, i) => {
    for (let n = linksAbove(f.path); n > 0; n--) r.add('error', 'file path includes link in config', 'files', i);
  });
  linkChecks(s, r);
  filesystemOnDiskChecks(s, r);
};

const FORMATS = ['ext4', 'btrfs', 'xfs', 'swap', 'vfat', 'none'];
const LABEL_LIMITS: Readonly<Record<string, number>> = { ext4: 16, btrfs: 256, xfs: 12, swap: 15, vfat: 11 };

function formatError(fs: GoStruct): string | undefined {
  if (nilOrEmpty(fs.format)) {
    const others =
      notEmpty(fs.path) || notEmpty(fs.label) || notEmpty(fs.uuid) || isTrue(fs.wipeFilesystem) || list(fs.mountOptions).length > 0 || list(fs.options).length > 0;
    return others ? 'format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified' : undefined;
  }
  return FORMATS.includes(fs.format as string) ? undefined : 'invalid filesystem format';
}

function fsLabelError(fs: GoStruct): string | undefined {
  if (nilOrEmpty(fs.label)) return undefined;
  if (nilOrEmpty(fs.format)) return 'filesystem must specify format if label is specified';
  const format = fs.format as string;
  const limit = LABEL_LIMITS[format];
  return limit !== undefined && byteLength(fs.label as string) > limit
    ? `filesystem labels cannot be longer than ${limit} characters when using ${format}`
    : undefined;
}

const filesystemHook: Hook = (fs, r) => {
  r.add('error', pathErrorNilOk(fs.path), 'path');
  r.add('error', pathError(fs.device as string), 'device');
  r.add('error', formatError(fs), 'format');
  r.add('error', fsLabelError(fs), 'label');
};

const clevisIsPresent = (c: GoStruct): boolean =>
  notEmpty((c.custom as GoStruct | undefined)?.pin) || list(c.tang).length > 0 || isTrue(c.tpm2) || (!isNil(c.threshold) && c.threshold !== 0);

function luksHook(version: IgnitionVersion): Hook {
  return (l, r) => {
    if ((l.name as string).includes('/')) r.add('error', 'device names cannot contain slashes', 'name');
    const label = l.label as string | undefined;
    r.add('error', notEmpty(label) && byteLength(label as string) > 47 ? 'luks device labels cannot be longer than 47 characters' : undefined, 'label');
    r.add('error', nilOrEmpty(l.device) ? 'disk device is required' : pathError(l.device as string), 'device');
    const clevis = (l.clevis ?? {}) as GoStruct;
    const withOthers = list(clevis.tang).length > 0 || isTrue(clevis.tpm2) || (!isNil(clevis.threshold) && clevis.threshold !== 0);
    if (notEmpty((clevis.custom as GoStruct | undefined)?.pin) && withOthers) {
      r.add('error', 'cannot use custom clevis config with tpm2, tang, or threshold', 'clevis');
    }
    const keySource = (l.keyFile as GoStruct | undefined)?.source;
    if (urlErrorNilOk(keySource, version) !== undefined) r.add('error', 'invalid key-file source', 'keys');
    if (version !== '3.5.0' || !isTrue((l.cex as GoStruct | undefined)?.enabled)) return;
    // ignition 3.5 luks.go; these two texts could not be checked against the v2.20.0 sources
    if (clevisIsPresent(clevis)) r.add('error', 'cannot use cex with clevis', 'cex');
    if (notEmpty(keySource)) r.add('error', 'cannot use key file with cex', 'cex');
  };
}

const clevisCustomHook: Hook = (cu, r) => {
  if (nilOrEmpty(cu.pin) && nilOrEmpty(cu.config) && !isTrue(cu.needsNetwork)) return;
  if (notEmpty(cu.pin)) {
    r.add('error', ['tpm2', 'tang', 'sss'].includes(cu.pin as string) ? undefined : 'unsupported clevis pin', 'pin');
  } else {
    r.add('error', 'missing required custom clevis pin', 'pin');
  }
  r.add('error', nilOrEmpty(cu.config) ? 'missing required custom clevis config' : undefined, 'config');
};

/** Go's `json.Unmarshal` into `any` succeeds (JSON.parse, plus Go's refusal of numbers past float64). */
function isGoJson(s: string): boolean {
  try {
    let finite = true;
    JSON.parse(s, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) finite = false;
      return v;
    });
    return finite;
  } catch {
    return false;
  }
}

function tangHook(version: IgnitionVersion): Hook {
  return (t, r) => {
    const scheme = urlScheme(t.url as string);
    r.add('error', scheme === undefined ? ERR_INVALID_URL : scheme === 'http' || scheme === 'https' ? undefined : ERR_INVALID_SCHEME, 'url');
    if (nilOrEmpty(t.thumbprint)) r.add('error', 'thumbprint is required', 'thumbprint');
    if (version !== '3.3.0' && notEmpty(t.advertisement) && !isGoJson(t.advertisement as string)) {
      r.add('error', 'advertisement is not valid JSON', 'advertisement');
    }
  };
}

const RAID_LEVELS = ['raid1', '1', 'mirror', 'raid4', '4', 'raid5', '5', 'raid6', '6', 'raid10', '10'];

function raidLevelError(raid: GoStruct): string | undefined {
  if (nilOrEmpty(raid.level)) return 'raid level is required';
  const level = raid.level as string;
  if (['linear', 'raid0', '0', 'stripe'].includes(level)) {
    return !isNil(raid.spares) && raid.spares !== 0 ? 'spares unsupported for linear and raid0 arrays' : undefined;
  }
  return RAID_LEVELS.includes(level) ? undefined : 'unrecognized raid level';
}

const raidHook: Hook = (raid, r) => {
  r.add('error', raidLevelError(raid), 'level');
  if (list(raid.devices).length === 0) r.add('error', 'raid devices required', 'devices');
};

/** The storage hooks of spec `version`. */
export function storageHooks(version: IgnitionVersion): Record<string, Hook> {
  const { file, directory } = modeHooks(version);
  return {
    'types.Storage': storageHook,
    'types.File': file,
    'types.Directory': directory,
    // Link has no Validate of its own: Node's is promoted
    'types.Link': nodeHook,
    'types.NodeUser': V31_HOOKS[V3_TYPE.nodeOwner],
    'types.NodeGroup': V31_HOOKS[V3_TYPE.nodeOwner],
    'types.Disk': V31_HOOKS[V3_TYPE.disk],
    'types.Partition': V31_HOOKS[V3_TYPE.partition],
    'types.Filesystem': filesystemHook,
    'types.Luks': luksHook(version),
    'types.ClevisCustom': clevisCustomHook,
    'types.Tang': tangHook(version),
    'types.Raid': raidHook,
    // a `types.Device` (raid member) is a string whose own Validate checks it as a path
    'types.Device': (d, r) => r.add('error', pathError(d as unknown as string)),
  };
}

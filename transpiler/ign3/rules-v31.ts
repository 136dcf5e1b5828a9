/**
 * The `Validate(c)` methods of spec 3.1 types (coreos/ignition v2 `config/v3_1/types`, with
 * Flatcar's `oem` URLs and Ignition 2.24's special-mode-bits warning) that a translated 2.x config
 * can reach (ignition-2to3 §6.2), keyed by Go type name. Each reports through `add` at a JSON path.
 */
import { pathExt, urlError } from '../ignition/rules';
import { installSectionWarning, validateUnitContent } from '../go/systemd-unit';
import type { GoStruct } from '../schema';
import { goPathClean } from '../sections/gopath';
import { V3_TYPE } from './types-v3';

export type V3Path = readonly (string | number)[];
export type V3Kind = 'error' | 'warning';

export type Add = (kind: V3Kind, path: V3Path, message: string | undefined) => void;
export type Hook = (value: GoStruct, path: V3Path, add: Add) => void;

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

const resourceHook: Hook = (res, path, add) => {
  const compression = res.compression as string | undefined;
  if (compression !== undefined && compression !== '' && compression !== 'gzip') add('error', [...path, 'compression'], 'invalid compression method');
  add('error', [...path, 'verification', 'hash'], hashError((res.verification as GoStruct).hash as string | undefined));
  add('error', [...path, 'source'], nilOrEmpty(res.source) ? undefined : urlError(res.source as string, '3.1'));
};

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

const diskHook: Hook = (disk, path, add) => {
  const device = disk.device as string;
  if (device === '') return add('error', [...path, 'device'], 'disk device is required');
  add('error', [...path, 'device'], pathError(device));
  const parts = list(disk.partitions);
  const numbers = new Map<number, number[]>();
  parts.forEach((p, i) => p.number !== 0 && numbers.set(p.number as number, [...(numbers.get(p.number as number) ?? []), i]));
  // Go ranges over a map here; with one collision the index is deterministic
  const collision = [...numbers.values()].find((idx) => idx.length > 1);
  if (collision) add('error', [...path, 'partitions', collision[1]], 'partition numbers collide');
  const overlap = overlappingPartition(parts);
  if (overlap >= 0) add('error', [...path, 'partitions', overlap], 'partitions overlap');
  if (parts.some((p) => p.shouldExist === false) && parts.some((p) => p.number === 0)) {
    add('error', [...path, 'partitions'], 'shouldExist is false for a partition and other partition(s) has start or size 0');
  }
  const labels = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    const label = parts[i].label as string | undefined;
    if (label === undefined) continue;
    if (labels.has(label)) {
      add('error', [...path, 'partitions', i], 'cannot use the same partition label twice');
      break;
    }
    labels.add(label);
  }
};

const partitionHook: Hook = (p, path, add) => {
  const label = p.label as string | undefined;
  const others = label !== undefined || !nilOrEmpty(p.typeGuid) || !nilOrEmpty(p.guid) || p.startMiB !== undefined || p.sizeMiB !== undefined;
  if (p.shouldExist === false && others) add('error', path, 'shouldExist specified false with other options also specified');
  if (p.number === 0 && label === undefined) add('error', path, 'a partition number >= 1 or a label must be specified');
  if (label !== undefined) {
    if (Buffer.byteLength(label) > 36) add('error', [...path, 'label'], 'partition labels may not exceed 36 characters');
    else if (label.includes(':')) add('error', [...path, 'label'], 'partition label will be truncated to text before the colon');
  }
  add('error', [...path, 'guid'], guidError(p.guid as string | undefined));
  add('error', [...path, 'typeGuid'], guidError(p.typeGuid as string | undefined));
};

const RAID_LEVELS_WITHOUT_SPARES = ['linear', 'raid0', '0', 'stripe'];
const RAID_LEVELS = ['raid1', '1', 'mirror', 'raid4', '4', 'raid5', '5', 'raid6', '6', 'raid10', '10'];

const raidHook: Hook = (raid, path, add) => {
  const level = raid.level as string;
  let levelError: string | undefined;
  if (RAID_LEVELS_WITHOUT_SPARES.includes(level)) {
    if (raid.spares !== undefined && raid.spares !== 0) levelError = 'spares unsupported for linear and raid0 arrays';
  } else if (!RAID_LEVELS.includes(level)) {
    levelError = 'unrecognized raid level';
  }
  add('error', [...path, 'level'], levelError);
  if (list(raid.devices).length === 0) add('error', [...path, 'devices'], 'raid devices required');
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

const filesystemHook: Hook = (fs, path, add) => {
  add('error', [...path, 'path'], nilOrEmpty(fs.path) ? undefined : pathError(fs.path as string));
  add('error', [...path, 'device'], pathError(fs.device as string));
  add('error', [...path, 'format'], formatError(fs));
  add('error', [...path, 'label'], fsLabelError(fs));
};

/** `Storage.Validate`: nothing may live under a declared link; hard links may not target a directory. */
const storageHook: Hook = (s, path, add) => {
  const links = list(s.links);
  const under = (p: string, l: GoStruct): boolean => p.startsWith((l.path as string) + '/');
  list(s.directories).forEach((d, i) => links.forEach((l) => under(d.path as string, l) && add('error', [...path, 'directories', i], 'directory path includes link in config')));
  list(s.files).forEach((f, i) => links.forEach((l) => under(f.path as string, l) && add('error', [...path, 'files', i], 'file path includes link in config')));
  links.forEach((l1, i) => {
    links.forEach((l2) => under(l1.path as string, l2) && add('error', [...path, 'links', i], 'link path includes link in config'));
    if (l1.hard !== true) return;
    let target = goPathClean(l1.target as string);
    if (!target.startsWith('/')) target = goPathClean(`${l1.path as string}/${l1.target as string}`);
    list(s.directories).forEach((d) => target === d.path && add('error', [...path, 'links', i], 'hard link target is a directory'));
  });
};

const nodeHook: Hook = (n, path, add) => add('error', [...path, 'path'], pathError(n.path as string));
const withMode: Hook = (n, path, add) => {
  nodeHook(n, path, add);
  add('error', [...path, 'mode'], modeError(n.mode as number | undefined));
  add('warning', [...path, 'mode'], specialBitsWarning(n.mode as number | undefined));
};
const fileHook: Hook = (f, path, add) => {
  withMode(f, path, add);
  if (f.overwrite === true && f.contents.source === undefined) add('error', [...path, 'overwrite'], 'overwrite must be false if source is unspecified');
};

const SYSTEMD_UNIT_EXTS = ['.service', '.socket', '.device', '.mount', '.automount', '.swap', '.target', '.path', '.timer', '.snapshot', '.slice', '.scope'];

const unitHook: Hook = (u, path, add) => {
  add('error', [...path, 'name'], SYSTEMD_UNIT_EXTS.includes(pathExt(u.name as string)) ? undefined : 'invalid systemd unit extension');
  const contents = (u.contents as string | undefined) ?? '';
  const { options, error } = validateUnitContent(contents);
  add('error', [...path, 'contents'], error);
  add('warning', [...path, 'contents'], installSectionWarning(u.name as string, u.enabled === true, contents, options));
};
const dropinHook: Hook = (d, path, add) => {
  add('error', [...path, 'name'], pathExt(d.name as string) === '.conf' ? undefined : 'invalid systemd unit drop-in extension');
  add('error', [...path, 'contents'], validateUnitContent((d.contents as string | undefined) ?? '').error);
};

export const HOOKS: Readonly<Record<string, Hook>> = {
  'types.Ignition': (i, path, add) => add('error', [...path, 'version'], i.version === '3.1.0' ? undefined : 'unsupported config version'),
  // merge entries and CAs need a source, config replace does not (§4.1)
  [V3_TYPE.ignitionConfig]: (c, path, add) => list(c.merge).forEach((r, i) => nilOrEmpty(r.source) && add('error', [...path, 'merge', i], 'source is required')),
  [V3_TYPE.tls]: (t, path, add) =>
    list(t.certificateAuthorities).forEach((r, i) => nilOrEmpty(r.source) && add('error', [...path, 'certificateAuthorities', i], 'source is required')),
  [V3_TYPE.resource]: resourceHook,
  [V3_TYPE.storage]: storageHook,
  [V3_TYPE.file]: fileHook,
  [V3_TYPE.directory]: withMode,
  [V3_TYPE.link]: nodeHook,
  [V3_TYPE.nodeOwner]: (o, path, add) => add('error', path, o.id !== undefined && !nilOrEmpty(o.name) ? 'cannot set both id and name' : undefined),
  [V3_TYPE.disk]: diskHook,
  [V3_TYPE.partition]: partitionHook,
  [V3_TYPE.raid]: raidHook,
  [V3_TYPE.filesystem]: filesystemHook,
  [V3_TYPE.unit]: unitHook,
  [V3_TYPE.dropin]: dropinHook,
};


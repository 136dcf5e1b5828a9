/**
 * Ignition's validation rules (`config/v2_2/types/*.go` in ignition v0.24.0 and
 * `config/v2_3/types/*.go` in flatcar/ignition v0.36.2) as plain functions over Go-shaped values,
 * with the exact messages of `config/shared/errors` (docs/ct.md §10.4).
 */
import { Report } from '../diagnostics';
import type { GoStruct } from '../schema';
import { decodeDataUrl } from '../go/dataurl';
import { quoteGo } from '../go/quote';
import { installSectionWarning, validateUnitContent } from '../go/systemd-unit';
import { parseUrl } from '../go/url';
import { queryValues } from './query';

/** Which vendored Ignition: 2.2 = coreos/ignition v0.24.0 (ct v0.9.0), 2.3 = flatcar/ignition v0.36.2. */
export type IgnitionSpec = '2.2' | '2.3';

export const errorOf = (message: string): Report => Report.of('error', message);
const empty = (): Report => new Report();

/** Go `path.IsAbs`. */
export const isAbsPath = (p: string): boolean => p.startsWith('/');

/** Go `path.Ext`: from the last dot of the last path element, '' when none. */
export function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') return p.slice(i);
  }
  return '';
}

/** Go `len(s)`: the UTF-8 byte length. */
export const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

export const PATH_RELATIVE = 'path not absolute';

export function pathRule(p: string): Report {
  return isAbsPath(p) ? empty() : errorOf(PATH_RELATIVE);
}

/**
 * `validateURL`: the error text, or undefined for an acceptable source ('' means an empty file).
 * `3.1` is Flatcar's patched spec-3.1 check used by the 2-to-3 translation (`oem` kept, no `efi`;
 * docs/ignition-2to3.md §6.2).
 */
export function urlError(source: string, spec: IgnitionSpec | '3.1'): string | undefined {
  if (source === '') return undefined;
  const { url } = parseUrl(source);
  if (!url) return 'unable to parse url';
  switch (url.scheme) {
    case 'http':
    case 'https':
    case 'oem':
    case 'tftp':
      return undefined;
    case 'efi':
      return spec === '2.3' ? undefined : 'invalid url scheme';
    case 's3': {
      if (spec === '2.2') return undefined;
      const versionId = queryValues(url.rawQuery, 'versionId');
      return versionId && (versionId.length === 0 || versionId[0] === '') ? 'invalid S3 object VersionId' : undefined;
    }
    case 'data':
      return decodeDataUrl(source).error;
    default:
      return 'invalid url scheme';
  }
}

/** `ConfigReference.ValidateSource` / `CaReference.ValidateSource`. */
export function referenceSourceRule(source: string, spec: IgnitionSpec): Report {
  const err = urlError(source, spec);
  return err === undefined ? empty() : errorOf(err);
}

/** `FileContents.ValidateSource`: Flatcar's Ignition names the URL in the message (docs/ct.md §11). */
export function fileSourceRule(source: string, spec: IgnitionSpec): Report {
  const err = urlError(source, spec);
  if (err === undefined) return empty();
  return errorOf(spec === '2.3' ? `invalid url ${quoteGo(source)}: ${err}` : err);
}

/** `Verification.Validate`: `<function>-<sum>`, only sha512 with a 128-character sum. */
export function verificationRule(v: GoStruct): Report {
  const hash = v.hash as string | undefined;
  if (hash === undefined) return empty();
  const dash = hash.indexOf('-');
  if (dash < 0) return errorOf('malformed hash specifier');
  if (hash.slice(0, dash) !== 'sha512') return errorOf('unrecognized hash function');
  return byteLength(hash.slice(dash + 1)) !== 128 ? errorOf('incorrect size for hash sum') : empty();
}

/** `validateMode`. */
export function modeRule(mode: number | undefined): Report {
  return mode !== undefined && (mode < 0 || mode > 0o7777) ? errorOf('illegal file mode') : empty();
}

export function compressionRule(compression: string): Report {
  return compression === '' || compression === 'gzip' ? empty() : errorOf('invalid compression method');
}

/** `NodeUser.Validate` / `NodeGroup.Validate`. */
export function nodeOwnerRule(owner: GoStruct): Report {
  return owner.id !== undefined && owner.name !== '' ? errorOf('cannot set both id and name') : empty();
}

export function nodeFilesystemRule(node: GoStruct): Report {
  return node.filesystem === '' ? errorOf('no filesystem specified') : empty();
}

export function appendOverwriteRule(file: GoStruct): Report {
  return file.overwrite === true && file.append ? errorOf('cannot set both append and overwrite to true') : empty();
}

/** `Link.ValidateTarget` (2.2 only): a soft link needs an absolute target. */
export function linkTargetRule(link: GoStruct): Report {
  return link.hard ? empty() : pathRule(link.target as string);
}

const GUID = /^(|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export function guidRule(guid: string): Report {
  return GUID.test(guid) ? empty() : errorOf(`doesn't match the form "01234567-89AB-CDEF-EDCB-A98765432101"`);
}

/** `Partition.ValidateLabel`: the limit is in bytes, as Go's `len`. */
export function partitionLabelRule(label: string | undefined): Report {
  const r = new Report();
  if (label === undefined) return r;
  if (byteLength(label) > 36) r.add('error', 'partition labels may not exceed 36 characters');
  if (label.includes(':')) r.add('warning', 'partition label will be truncated to text before the colon');
  return r;
}

export function diskDeviceRule(disk: GoStruct): Report {
  const device = disk.device as string;
  if (device.length === 0) return errorOf('disk device is required');
  return pathRule(device);
}

const RAID_LEVELS_WITHOUT_SPARES = ['linear', 'raid0', '0', 'stripe'];
const RAID_LEVELS = ['raid1', '1', 'mirror', 'raid4', '4', 'raid5', '5', 'raid6', '6', 'raid10', '10'];

export function raidLevelRule(raid: GoStruct): Report {
  const level = raid.level as string;
  if (RAID_LEVELS_WITHOUT_SPARES.includes(level)) {
    return raid.spares !== 0 ? errorOf('spares unsupported for arrays with a level greater than 0') : empty();
  }
  return RAID_LEVELS.includes(level) ? empty() : errorOf('unrecognized raid level');
}

/** `Raid.ValidateDevices`: one error per relative device. */
export function raidDevicesRule(raid: GoStruct): Report {
  const r = new Report();
  for (const device of (raid.devices as string[] | null) ?? []) {
    if (!isAbsPath(device)) r.add('error', PATH_RELATIVE);
  }
  return r;
}

/** `Filesystem.Validate`. */
export function filesystemRule(fs: GoStruct): Report {
  const r = new Report();
  const mount = fs.mount as GoStruct | undefined;
  if (mount === undefined && fs.path === undefined) r.add('error', 'filesystem is missing mount or path');
  if (mount !== undefined) {
    if (fs.path !== undefined) r.add('error', 'filesystem has both mount and path defined');
    if (mount.create !== undefined) {
      if (mount.wipeFilesystem) r.add('error', 'cannot use both create object and wipeFilesystem field');
      if (((mount.options as string[] | null) ?? []).length > 0) {
        r.add('error', 'cannot use both create object and mount-level options field');
      }
      r.add('warning', 'the create object has been deprecated in favor of mount-level options');
    }
  }
  return r;
}

/** `Filesystem.ValidatePath`; Flatcar's message names the filesystem (docs/ct.md §11). */
export function filesystemPathRule(fs: GoStruct, spec: IgnitionSpec): Report {
  const path = fs.path as string | undefined;
  if (path === undefined || isAbsPath(path)) return empty();
  return errorOf(spec === '2.3' ? `filesystem ${quoteGo(fs.name as string)}: ${PATH_RELATIVE}` : PATH_RELATIVE);
}

const FORMATS = ['ext4', 'btrfs', 'xfs', 'swap', 'vfat'];
const LABEL_LIMITS: Readonly<Record<string, number>> = { ext4: 16, btrfs: 256, xfs: 12, swap: 15, vfat: 11 };

export function mountFormatRule(mount: GoStruct): Report {
  return FORMATS.includes(mount.format as string) ? empty() : errorOf('invalid filesystem format');
}

export function mountLabelRule(mount: GoStruct): Report {
  const label = mount.label as string | undefined;
  const format = mount.format as string;
  const limit = LABEL_LIMITS[format];
  if (label === undefined || limit === undefined || byteLength(label) <= limit) return empty();
  return errorOf(`filesystem labels cannot be longer than ${limit} characters when using ${format}`);
}

/** `PasswdUser.Validate`: the deprecation warning, then one error per user-level field in Go field order. */
export function passwdUserRule(user: GoStruct): Report {
  const r = new Report();
  if (user.create === undefined) return r;
  r.add('warning', 'the create object has been deprecated in favor of user-level options');
  const clashes: [string, boolean][] = [
    ['gecos', user.gecos !== ''],
    ['groups', ((user.groups as string[] | null) ?? []).length > 0],
    ['homeDir', user.homeDir !== ''],
    ['noCreateHome', user.noCreateHome === true],
    ['noLogInit', user.noLogInit === true],
    ['noUserGroup', user.noUserGroup === true],
    ['primaryGroup', user.primaryGroup !== ''],
    ['shell', user.shell !== ''],
    ['system', user.system === true],
    ['uid', user.uid !== undefined],
  ];
  for (const [name, set] of clashes) {
    if (set) r.add('error', `cannot use both the create object and the user-level ${name} field`);
  }
  return r;
}

/** `validateUnitContent` as a report: `invalid unit content: <go-systemd error>`. */
function unitContentsReport(contents: string): { options: ReturnType<typeof validateUnitContent>['options']; report: Report } {
  const { options, error } = validateUnitContent(contents);
  return { options, report: error === undefined ? empty() : errorOf(error) };
}

/** The unit types systemd knows (Ignition's `validateUnitExt`, same list in specs 2 and 3). */
export const SYSTEMD_UNIT_EXTS = ['.service', '.socket', '.device', '.mount', '.automount', '.swap', '.target', '.path', '.timer', '.snapshot', '.slice', '.scope'];
const NETWORKD_UNIT_EXTS = ['.link', '.netdev', '.network'];

/** `Unit.ValidateContents`, including the shared `ValidateInstallSection` warning. */
export function systemdUnitContentsRule(unit: GoStruct): Report {
  const contents = unit.contents as string;
  const { options, report } = unitContentsReport(contents);
  const enabled = unit.enable === true || unit.enabled === true;
  const warning = installSectionWarning(unit.name as string, enabled, contents, options);
  if (warning !== undefined) report.add('warning', warning);
  return report;
}

export function systemdUnitNameRule(unit: GoStruct): Report {
  return SYSTEMD_UNIT_EXTS.includes(pathExt(unit.name as string)) ? empty() : errorOf('invalid systemd unit extension');
}

/** Drop-in and networkd unit `Validate()`: contents first, then the name's extension. */
function contentsAndExtension(item: GoStruct, exts: readonly string[], message: string): Report {
  const { report } = unitContentsReport(item.contents as string);
  if (!exts.includes(pathExt(item.name as string))) report.add('error', message);
  return report;
}

export const systemdDropinRule = (d: GoStruct): Report => contentsAndExtension(d, ['.conf'], 'invalid systemd drop-in extension');
export const networkdUnitRule = (u: GoStruct): Report => contentsAndExtension(u, NETWORKD_UNIT_EXTS, 'invalid networkd unit extension');
export const networkdDropinRule = (d: GoStruct): Report => contentsAndExtension(d, ['.conf'], 'invalid networkd drop-in extension');

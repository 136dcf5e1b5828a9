/**
 * Butane's source validation (docs/butane.md §1 step 5): `validate.Validate(cfg, "yaml")` in
 * `config/util/util.go` `Translate`, i.e. vcontext's walk calling each YAML struct's own
 * `Validate(path)` before its fields. The methods are those of `base/v0_x/validate.go`,
 * `base/util/file.go` (`CheckForDecimalMode`) and `config/fcos/v1_x/validate.go`; flatcar has none
 * of its own. Entries carry paths only: `report.ts` `correlate` places them.
 */
import type { GoStruct, GoType } from '../schema';
import type { ButaneEntry } from './entry';
import type { Path } from './path';
import { structOf, validateCustom } from './unused-keys';

const ERR_TOO_MANY_RESOURCE_SOURCES = 'only one of the following can be set: inline, local, source';
const ERR_TOO_MANY_SYSTEMD_SOURCES = 'only one of the following can be set: contents, contents_local';
const ERR_TREE_NO_LOCAL = 'local is required';
const ERR_DECIMAL_MODE = 'unreasonable mode would be reasonable if specified in octal; remember to add a leading zero';
const ERR_MOUNT_UNIT_NO_PATH = 'path is required if with_mount_unit is true and format is not swap';
const ERR_MOUNT_UNIT_NO_FORMAT = 'format is required if with_mount_unit is true';
const ERR_MOUNT_POINT_FORBIDDEN = 'path must be under /etc or /var if with_mount_unit is true';
const ERR_UNKNOWN_BOOT_DEVICE_LAYOUT = 'layout must be one of: aarch64, ppc64le, s390x-eckd, s390x-virt, s390x-zfcp, x86_64';
const ERR_TOO_FEW_MIRROR_DEVICES = 'mirroring requires at least two devices';
const ERR_NO_LUKS_BOOT_DEVICE = 'device is required for layouts: s390x-eckd, s390x-zfcp';
const ERR_MIRROR_NOT_SUPPORT = 'mirroring not supported on layouts: s390x-eckd, s390x-zfcp, s390x-virt';
const ERR_LUKS_BOOT_DEVICE_BAD_NAME = 'device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on s390x-zfcp layout';
const ERR_CEX_ARCHITECTURE_MISMATCH = 'when using cex the targeted architecture must match s390x';
/** ignition `config/shared/errors` `ErrCexWithClevis` (v2.20.0). */
const ERR_CEX_WITH_CLEVIS = 'cannot use cex with clevis';
const ERR_REUSE_BY_LABEL =
  'partitions cannot be reused by label; number must be specified except on boot disk (/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true';
const ERR_GRUB_USER_NAME_NOT_SPECIFIED = 'field "name" is required';
const ERR_GRUB_PASSWORD_NOT_SPECIFIED = 'field "password_hash" is required';

/** A struct's `Validate(c path.ContextPath) report.Report`. */
type Validator = (v: GoStruct, c: Path) => ButaneEntry[];

const error = (path: Path, message: string): ButaneEntry => ({ kind: 'error', message, path });
const warning = (path: Path, message: string): ButaneEntry => ({ kind: 'warning', message, path });

// ignition `config/util`: IsTrue, NilOrEmpty, NotEmpty of pointers (nil pointers are `undefined`)
const isTrue = (b: unknown): boolean => b === true;
const nilOrEmpty = (s: unknown): boolean => s === undefined || s === null || s === '';
const isSet = (p: unknown): boolean => p !== undefined && p !== null;

/** `decimalModeToOctal`: the decimal digits of `mode` read as octal, if all are octal digits. */
function decimalModeToOctal(mode: number): number | undefined {
  if (mode < 0 || mode > 7777) return undefined;
  let ret = 0;
  for (let divisor = 1000; divisor > 0; divisor = Math.trunc(divisor / 10)) {
    const digit = Math.trunc(mode / divisor) % 10;
    if (digit > 7) return undefined;
    ret = (ret << 3) | digit;
  }
  return ret;
}

/** `isTypicalMode`: permissions nobody would be surprised by (docs/butane.md §5.2). */
function isTypicalMode(mode: number, directory: boolean): boolean {
  if (mode === 0) return true;
  let hadR = false;
  let hadW = false;
  let hadX = false;
  // other, group, user: each more specific class must have the bits of the less specific ones
  for (const perm of [mode & 0o7, (mode & 0o70) >> 3, (mode & 0o700) >> 6]) {
    const r = (perm & 4) !== 0;
    const w = (perm & 2) !== 0;
    const x = (perm & 1) !== 0;
    if ((!r && hadR) || (!w && hadW) || (!x && hadX)) return false;
    if (x && hadR && !hadX) return false;
    if ((w || x) && !r) return false;
    hadR ||= r;
    hadW ||= w;
    hadX ||= x;
  }
  if (!hadR) return false;
  if (directory) {
    if (!hadX) return false;
    if (mode & 0o4000) return false;
    if (mode & 0o3000 && !hadW) return false;
  } else {
    if (mode & 0o6000 && (!hadX || mode & 2)) return false;
    if (mode & 0o1000) return false;
  }
  return true;
}

/** base/util/file.go `CheckForDecimalMode`: true when `mode` looks like octal digits written in decimal. */
export function looksDecimal(mode: number | bigint, directory: boolean): boolean {
  if (typeof mode !== 'number') return false; // far out of range
  const corrected = decimalModeToOctal(mode);
  return corrected !== undefined && !isTypicalMode(mode, directory) && isTypicalMode(corrected, directory);
}

/** base `Resource.Validate`: at most one source, reported at the last one set in the order local, inline, source. */
const resource: Validator = (rs, c) => {
  const set = (['local', 'inline', 'source'] as const).filter((k) => isSet(rs[k]));
  return set.length > 1 ? [error([...c, set[set.length - 1]], ERR_TOO_MANY_RESOURCE_SOURCES)] : [];
};

const filesystem: Validator = (fs, c) => {
  if (!isTrue(fs.with_mount_unit)) return [];
  if (nilOrEmpty(fs.format)) return [error([...c, 'format'], ERR_MOUNT_UNIT_NO_FORMAT)];
  if (fs.format !== 'swap' && nilOrEmpty(fs.path)) return [error([...c, 'path'], ERR_MOUNT_UNIT_NO_PATH)];
  return [];
};

const nodeMode =
  (directory: boolean): Validator =>
  (n, c) =>
    isSet(n.mode) && looksDecimal(n.mode, directory) ? [warning([...c, 'mode'], ERR_DECIMAL_MODE)] : [];

const tree: Validator = (t, c) => (t.local === '' ? [error(c, ERR_TREE_NO_LOCAL)] : []);

/** v0_5+ `Unit.Validate` and `Dropin.Validate`. */
const contentsLocal: Validator = (u, c) =>
  isSet(u.contents_local) && isSet(u.contents) ? [error([...c, 'contents_local'], ERR_TOO_MANY_SYSTEMD_SOURCES)] : [];

const bootDeviceMirror: Validator = (m, c) =>
  Array.isArray(m.devices) && m.devices.length === 1 ? [error([...c, 'devices'], ERR_TOO_FEW_MIRROR_DEVICES)] : [];

/** fcos 1.4/1.5 `BootDevice.Validate`; it checks the mirror itself, and the walk checks it again. */
const bootDeviceV14: Validator = (d, c) => {
  const out: ButaneEntry[] = [];
  if (isSet(d.layout) && !['aarch64', 'ppc64le', 'x86_64'].includes(d.layout)) {
    out.push(error([...c, 'layout'], ERR_UNKNOWN_BOOT_DEVICE_LAYOUT));
  }
  out.push(...bootDeviceMirror(d.mirror, [...c, 'mirror']));
  return out;
};

/** fcos 1.6 `BootDevice.Validate`: s390x layouts and CEX too. */
const bootDeviceV16: Validator = (d, c) => {
  const out: ButaneEntry[] = [];
  const layoutPath = [...c, 'layout'];
  const layout: string | undefined = isSet(d.layout) ? d.layout : undefined;
  const luks = d.luks as GoStruct;
  if (layout !== undefined) {
    if (layout === 's390x-eckd' || layout === 's390x-zfcp') {
      const deviceRe = layout === 's390x-eckd' ? /\/dev\/dasd[a-z]$/ : /\/dev\/sd[a-z]$/;
      if (nilOrEmpty(luks.device)) out.push(error(layoutPath, ERR_NO_LUKS_BOOT_DEVICE));
      else if (!deviceRe.test(luks.device)) out.push(error(layoutPath, ERR_LUKS_BOOT_DEVICE_BAD_NAME));
    } else if (!['aarch64', 'ppc64le', 'x86_64', 's390x-virt'].includes(layout)) {
      out.push(error(layoutPath, ERR_UNKNOWN_BOOT_DEVICE_LAYOUT));
    }
    const mirrored = Array.isArray(d.mirror.devices) && d.mirror.devices.length > 0;
    if (layout.startsWith('s390x') && mirrored) out.push(error(layoutPath, ERR_MIRROR_NOT_SUPPORT));
  }
  if (isTrue(luks.cex.enabled)) {
    if (layout === undefined) out.push(error([...c, 'luks', 'cex'], ERR_CEX_ARCHITECTURE_MISMATCH));
    else if (!layout.startsWith('s390x')) out.push(error(layoutPath, ERR_CEX_ARCHITECTURE_MISMATCH));
    const tang = Array.isArray(luks.tang) && luks.tang.length > 0;
    if (tang || isTrue(luks.tpm2)) out.push(error([...c, 'luks'], ERR_CEX_WITH_CLEVIS));
  }
  out.push(...bootDeviceMirror(d.mirror, [...c, 'mirror']));
  return out;
};

const grubUser: Validator = (u, c) => {
  const out: ButaneEntry[] = [];
  if (u.name === '') out.push(error([...c, 'name'], ERR_GRUB_USER_NAME_NOT_SPECIFIED));
  if (nilOrEmpty(u.password_hash)) out.push(error([...c, 'password_hash'], ERR_GRUB_PASSWORD_NOT_SPECIFIED));
  return out;
};

/** fcos 1.6 `Config.Validate`: partitions reused by label, and mount units outside /etc and /var. */
const configV16: Validator = (conf, c) => {
  const out: ButaneEntry[] = [];
  const storage = conf.storage as GoStruct;
  (storage.disks ?? []).forEach((disk: GoStruct, i: number) => {
    if (disk.device === '/dev/disk/by-id/coreos-boot-disk' || isTrue(disk.wipe_table)) return;
    (disk.partitions ?? []).forEach((p: GoStruct, j: number) => {
      if (p.number === 0 && isSet(p.label)) {
        out.push(warning([...c, 'storage', 'disks', i, 'partitions', j, 'number'], ERR_REUSE_BY_LABEL));
      }
    });
  });
  (storage.filesystems ?? []).forEach((fs: GoStruct, i: number) => {
    if (isSet(fs.path) && !/^\/(etc|var)(\/|$)/.test(fs.path) && isTrue(fs.with_mount_unit)) {
      out.push(error([...c, 'storage', 'filesystems', i, 'path'], ERR_MOUNT_POINT_FORBIDDEN));
    }
  });
  return out;
};

/** The `Validate` methods by Go type name (`v0_5.Resource`). */
const VALIDATORS: ReadonlyMap<string, Validator> = new Map([
  ...['v0_4', 'v0_5', 'v0_6'].flatMap((pkg): [string, Validator][] => [
    [`${pkg}.Resource`, resource],
    [`${pkg}.Filesystem`, filesystem],
    [`${pkg}.Directory`, nodeMode(true)],
    [`${pkg}.File`, nodeMode(false)],
    [`${pkg}.Tree`, tree],
  ]),
  ...['v0_5', 'v0_6'].flatMap((pkg): [string, Validator][] => [
    [`${pkg}.Unit`, contentsLocal],
    [`${pkg}.Dropin`, contentsLocal],
  ]),
  ['v1_4.BootDevice', bootDeviceV14],
  ['v1_5.BootDevice', bootDeviceV14],
  ['v1_6.BootDevice', bootDeviceV16],
  ...['v1_4', 'v1_5', 'v1_6'].map((pkg): [string, Validator] => [`${pkg}.BootDeviceMirror`, bootDeviceMirror]),
  ...['v1_5', 'v1_6'].map((pkg): [string, Validator] => [`${pkg}.GrubUser`, grubUser]),
  ['v1_6.Config', configV16],
]);

/**
 * The source validation of a decoded Butane config (`value` of `type`, from `schema/variants.ts`),
 * in Butane's order: each struct's `Validate` before its fields, fields in Go order.
 */
export function validateSource(value: unknown, type: GoType): ButaneEntry[] {
  return validateCustom(type, value, (t, v, path) => {
    const def = structOf(t);
    const validator = def && VALIDATORS.get(def.goName);
    return validator ? validator(v as GoStruct, path) : [];
  });
}

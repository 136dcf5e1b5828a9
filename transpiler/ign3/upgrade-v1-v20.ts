/**
 * The oldest end of the fallback chain (flatcar/ignition v0.36.2 `config/v2_0` and `config/v1`):
 * 2.0's types, whose `UnmarshalJSON` methods already refuse a bad version, URL or hash (so such a
 * config falls through to spec 1), spec 1's types, and the upgrades spec 1 -> 2.0 -> 2.1
 * (`TranslateFromV1`, `TranslateFromV2_0`). Both land in 2.1's shape (upgrade-v21-v24.ts).
 * Validation: each version's own checks that differ from 2.1's (URL schemes, spec 1's
 * decode-time name and path checks), then 2.1's rules on the upgraded config.
 */
import { bool, field, int, ptr, slice, str, struct, uint, zeroValue, type FieldDef, type GoStruct, type GoType, type StructDef } from '../schema';
import { validate } from '../validate';
import { uintToInt, type GoInt } from '../go/int';
import { escapeDataUrl } from '../go/dataurl';
import { parseUrl } from '../go/url';
import { ERR_INVALID, ERR_UNKNOWN_VERSION, ERR_VALID_CONFIG, parseFailure } from './errors';
import { unmarshalGo, type UnmarshalCheck } from './go-json-decode';
import { JsonNumber, type JsonValue } from './json-tree';
import { ignitionConfigV24 } from './types-v2';
import { ignitionConfigV21 } from './upgrade-v21-v24';
import { compareSemver, newVersion, sameSemver, semver, type Semver } from '../go/semver';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);
const f = (key: string, type: GoType): FieldDef => field(key, key, type, true);
const obj = (goName: string, ...fields: FieldDef[]): GoType => struct({ goName, fields });

// --- spec 2.0 ---------------------------------------------------------------------------------

const versionType: GoType = { kind: 'named', goName: 'types.IgnitionVersion', elem: str };
const urlType: GoType = { kind: 'named', goName: 'types.Url', elem: str };
const hashType: GoType = { kind: 'named', goName: 'types.Hash', elem: str };
/** `os.FileMode`: a uint32. */
const modeType: GoType = { kind: 'named', goName: 'types.FileMode', elem: uint };
const verification = obj('types.Verification', f('hash', ptr(hashType)));
const reference = obj('types.ConfigReference', f('source', urlType), f('verification', verification));
const partition = obj('types.Partition', f('label', str), f('number', int), f('size', uint), f('start', uint), f('typeGuid', str));
const disk = obj('types.Disk', f('device', str), f('wipeTable', bool), f('partitions', slice(partition)));
const raid = obj('types.Raid', f('name', str), f('level', str), f('devices', slice(str)), f('spares', int));
const create = obj('types.Create', f('force', bool), f('options', slice(str)));
const unit = obj('types.SystemdUnit', f('name', str), f('enable', bool), f('mask', bool), f('contents', str), f('dropins', slice(obj('types.SystemdUnitDropIn', f('name', str), f('contents', str)))));
const networkd = obj('types.Networkd', f('units', slice(obj('types.NetworkdUnit', f('name', str), f('contents', str)))));
const usercreate = obj(
  'types.UserCreate',
  ...[['uid', ptr(uint)], ['gecos', str], ['homeDir', str], ['noCreateHome', bool], ['primaryGroup', str], ['groups', slice(str)], ['noUserGroup', bool], ['system', bool], ['noLogInit', bool], ['shell', str]].map(([k, t]) => f(k as string, t as GoType)),
);
const passwd = obj(
  'types.Passwd',
  f('users', slice(obj('types.User', f('name', str), f('passwordHash', str), f('sshAuthorizedKeys', slice(str)), f('create', ptr(usercreate))))),
  f('groups', slice(obj('types.Group', f('name', str), f('gid', ptr(uint)), f('passwordHash', str), f('system', bool)))),
);

const ignitionConfigV20: GoType = obj(
  'types.Config',
  f('ignition', obj('types.Ignition', f('version', versionType), f('config', obj('types.IgnitionConfig', f('append', slice(reference)), f('replace', ptr(reference)))))),
  f('storage', obj(
    'types.Storage',
    f('disks', slice(disk)),
    f('raid', slice(raid)),
    f('filesystems', slice(obj('types.Filesystem', f('name', str), f('mount', ptr(obj('types.FilesystemMount', f('device', str), f('format', str), f('create', ptr(create))))), f('path', ptr(str))))),
    f('files', slice(obj(
      'types.File',
      f('filesystem', str),
      f('path', str),
      f('contents', obj('types.FileContents', f('compression', str), f('source', urlType), f('verification', verification))),
      f('mode', modeType),
      f('user', obj('types.FileUser', f('id', int))),
      f('group', obj('types.FileGroup', f('id', int))),
    ))),
  )),
  f('systemd', obj('types.Systemd', f('units', slice(unit)))),
  f('networkd', networkd),
  f('passwd', passwd),
);

/** go-semver's `UnmarshalJSON` on the raw literal: `""` is the zero version, anything else must parse. */
const versionCheck: UnmarshalCheck = (v, escaped) => typeof v === 'string' && !escaped && (v === '' || newVersion(v) !== undefined);
/** `Url.UnmarshalJSON`: a string (or null) that `url.Parse` accepts. */
const urlCheck: UnmarshalCheck = (v) => v === null || (typeof v === 'string' && parseUrl(v).url !== undefined);
/** `Hash.UnmarshalJSON`: `<function>-<sum>`. */
const hashCheck: UnmarshalCheck = (v) => typeof v === 'string' && v.includes('-');
/** A uint32 (`os.FileMode`) overflows past 2^32 - 1. */
const modeCheck: UnmarshalCheck = (v) => !(v instanceof JsonNumber) || !/^\d+$/.test(v.text) || BigInt(v.text) <= 0xffffffffn;

const v20Checks = new Map<GoType, UnmarshalCheck>([
  [versionType, versionCheck],
  [urlType, urlCheck],
  [hashType, hashCheck],
  [modeType, modeCheck],
]);

/** 2.0's `Url.Validate`: no `tftp` or `s3` yet. */
function badV20Source(source: string): boolean {
  if (source === '') return false;
  const scheme = parseUrl(source).url?.scheme;
  return !['http', 'https', 'oem', 'efi', 'data'].includes(scheme ?? '');
}

/** A `url.URL` written back by `String()`, as `TranslateFromV2_0` copies sources. */
const urlString = (source: string): string => parseUrl(source).url?.toString() ?? source;

/** `TranslateFromV2_0`: 2.0 -> 2.1's shape. */
function upgradeV20ToV21(old: GoStruct): GoStruct {
  const config = zeroValue(ignitionConfigV21) as GoStruct;
  const ref = (r: GoStruct): GoStruct => ({ source: urlString(r.source as string), verification: { hash: r.verification.hash as string | undefined } });
  if (old.ignition.config.replace) config.ignition.config.replace = ref(old.ignition.config.replace as GoStruct);
  config.ignition.config.append = nilIfNone(list(old.ignition.config.append).map(ref));
  const s = old.storage as GoStruct;
  config.storage.disks = nilIfNone(list(s.disks).map((d) => ({ device: d.device, partitions: nilIfNone(list(d.partitions).map((p) => ({ guid: '', ...p, size: goIntOf(p.size), start: goIntOf(p.start) }))), wipeTable: d.wipeTable })));
  config.storage.raid = nilIfNone(list(s.raid).map((r) => ({ devices: nilIfNone(list(r.devices)), level: r.level, name: r.name, spares: r.spares })));
  config.storage.filesystems = nilIfNone(list(s.filesystems).map((fs) => ({
    mount: fs.mount === undefined ? undefined : { create: fs.mount.create, device: fs.mount.device, format: fs.mount.format, options: null, wipeFilesystem: false },
    name: fs.name,
    path: fs.path,
  })));
  config.storage.files = nilIfNone(list(s.files).map((file) => ({
    filesystem: file.filesystem,
    group: { id: file.group.id, name: '' },
    path: file.path,
    user: { id: file.user.id, name: '' },
    contents: { compression: file.contents.compression, source: urlString(file.contents.source as string), verification: { hash: file.contents.verification.hash } },
    mode: file.mode,
  })));
  config.systemd.units = upgradeUnits(old.systemd.units);
  config.networkd.units = nilIfNone(list(old.networkd.units).map((u) => ({ contents: u.contents, name: u.name })));
  upgradePasswd(old.passwd as GoStruct, config.passwd as GoStruct);
  config.ignition.version = '2.1.0';
  return config;
}

/** Go's `int(x)` of a `uint` (uintToInt leaves anything but a bigint past int64 alone). */
const goIntOf = (v: unknown): unknown => uintToInt(v as GoInt);

const nilIfNone = <T>(items: T[]): T[] | null => (items.length > 0 ? items : null);

function upgradeUnits(units: unknown): GoStruct[] | null {
  return nilIfNone(list(units).map((u) => ({
    contents: u.contents,
    dropins: nilIfNone(list(u.dropins).map((d) => ({ contents: d.contents, name: d.name }))),
    enable: u.enable,
    enabled: undefined,
    mask: u.mask,
    name: u.name,
  })));
}

function upgradePasswd(old: GoStruct, into: GoStruct): void {
  into.users = nilIfNone(list(old.users).map((u) => ({
    ...(zeroValue(userType) as GoStruct),
    create: u.create === undefined ? undefined : { ...u.create, groups: list(u.create.groups).length > 0 ? u.create.groups : null, uid: goIntOf(u.create.uid) },
    name: u.name,
    passwordHash: u.passwordHash === '' ? undefined : u.passwordHash,
    sshAuthorizedKeys: u.sshAuthorizedKeys ?? [],
  })));
  into.groups = nilIfNone(list(old.groups).map((g) => ({ gid: goIntOf(g.gid), name: g.name, passwordHash: g.passwordHash, system: g.system })));
}

/** 2.1's `types.PasswdUser`. */
const userType: GoType = (() => {
  const passwdDef = (ignitionConfigV21 as { def: StructDef }).def.fields.find((x) => x.key === 'passwd')?.type as { def: StructDef };
  const users = passwdDef.def.fields.find((x) => x.key === 'users')?.type as { elem: GoType };
  return users.elem;
})();

const V20 = semver(2, 0, 0);

/** `v2_0.Parse`, upgraded to 2.1. */
export function parseV20(tree: JsonValue): GoStruct {
  const old = unmarshalGo(tree, ignitionConfigV20, { checks: v20Checks });
  const version: Semver = old === undefined || old.ignition.version === '' ? semver(0, 0, 0) : (newVersion(old.ignition.version as string) as Semver);
  if (old === undefined || compareSemver(version, V20) < 0) return checkedV21(upgradeV20ToV21(upgradeV1ToV20(parseV1(tree))));
  if (!sameSemver(version, V20)) throw parseFailure(ERR_UNKNOWN_VERSION);
  const sources = [...list(old.ignition.config.append), old.ignition.config.replace, ...list(old.storage.files).map((x) => x.contents)];
  if (sources.some((r) => r !== undefined && badV20Source(r.source as string))) throw parseFailure(ERR_INVALID);
  return checkedV21(upgradeV20ToV21(old));
}

function checkedV21(config: GoStruct): GoStruct {
  if (validate(config, ignitionConfigV21, undefined, false).isFatal()) throw parseFailure(ERR_INVALID);
  return config;
}

// --- spec 1 -----------------------------------------------------------------------------------

/** Spec 1's types (`config/v1/types`): validated after decoding, like 2.x (no decode-time checks in v0.36.2). */
const ignitionConfigV1: GoType = obj(
  'types.Config',
  f('ignitionVersion', int),
  f('storage', obj(
    'types.Storage',
    f('disks', slice(disk)),
    f('raid', slice(raid)),
    f('filesystems', slice(obj(
      'types.Filesystem',
      f('device', str),
      f('format', str),
      f('create', ptr(create)),
      f('files', slice(obj('types.File', f('path', str), f('contents', str), f('mode', modeType), f('uid', int), f('gid', int)))),
    ))),
  )),
  f('systemd', obj('types.Systemd', f('units', slice(unit)))),
  f('networkd', networkd),
  f('passwd', passwd),
);

/** Spec 1 knows fewer filesystem formats than 2.1, whose rules check the rest. */
const V1_FORMATS = ['ext4', 'btrfs', 'xfs'];

/** `v1.Parse`: a decode error is re-tried as 2.4 by `HandleParseErrors`, whose verdict is returned. */
function parseV1(tree: JsonValue): GoStruct {
  const config = unmarshalGo(tree, ignitionConfigV1, { checks: v20Checks });
  if (config === undefined) throw parseFailure(unmarshalGo(tree, ignitionConfigV24) === undefined ? ERR_INVALID : ERR_VALID_CONFIG);
  if (config.ignitionVersion !== 1) throw parseFailure(ERR_UNKNOWN_VERSION);
  if (list(config.storage.filesystems).some((fs) => !V1_FORMATS.includes(fs.format as string))) throw parseFailure(ERR_INVALID);
  return config;
}

/** `TranslateFromV1` (to 2.0's shape): filesystems get generated names, file contents become data URLs. */
function upgradeV1ToV20(old: GoStruct): GoStruct {
  const config = zeroValue(ignitionConfigV20) as GoStruct;
  config.ignition.version = '2.0.0';
  const s = old.storage as GoStruct;
  config.storage.disks = s.disks;
  config.storage.raid = s.raid;
  const filesystems: GoStruct[] = [];
  const files: GoStruct[] = [];
  list(s.filesystems).forEach((fs, i) => {
    const name = `_translate-filesystem-${i}`;
    filesystems.push({ name, mount: { device: fs.device, format: fs.format, create: fs.create }, path: undefined });
    for (const file of list(fs.files)) {
      files.push({
        filesystem: name,
        path: file.path,
        contents: { compression: '', source: 'data:,' + escapeDataUrl(file.contents as string), verification: { hash: undefined } },
        mode: file.mode,
        user: { id: file.uid },
        group: { id: file.gid },
      });
    }
  });
  config.storage.filesystems = nilIfNone(filesystems);
  config.storage.files = nilIfNone(files);
  config.systemd = old.systemd;
  config.networkd = old.networkd;
  config.passwd = old.passwd;
  return config;
}

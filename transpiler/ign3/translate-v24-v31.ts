/**
 * Flatcar's `v24tov31.Translate` (patch 0002, docs/ignition-2to3.md §4): a parsed 2.x config to Go-shaped
 * spec 3.1.0. "P" below is `util.StrP`/`BoolP`/`IntP` (zero -> nil); "copy" keeps a 2.x pointer.
 */
import type { GoStruct } from '../schema';
import { goPathJoin } from '../sections/gopath';
import type { FilesystemPaths } from './check-v24';
import { translateNetworkd } from './networkd';
import { translateUnits } from './units';

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);
const strP = (s: unknown): string | undefined => (typeof s === 'string' && s !== '' ? s : undefined);
const boolP = (b: unknown): boolean | undefined => (b === true ? true : undefined);
/** Go's `intP`: nil for 0. A bigint is an integer beyond 2^53, never 0. */
const intP = (n: unknown): number | bigint | undefined => ((typeof n === 'number' && n !== 0) || typeof n === 'bigint' ? n : undefined);
/** A Go slice built by `append` over a range: nil when nothing was appended. */
const nilIfEmpty = <T>(items: T[]): T[] | null => (items.length > 0 ? items : null);

/** Values copied from the 2.x config after `Check2_4`: their source or contents passed the 2.3 rules. */
type Checked = WeakSet<object>;

function headers(v: unknown): GoStruct[] | null {
  return nilIfEmpty(list(v).map((h) => ({ name: (h.name as string) ?? '', value: strP(h.value) })));
}

/** A 2.x config/CA reference as a 3.x Resource: `source` always set, even `""` (§4.1). */
function resource(ref: GoStruct, checked: Checked): GoStruct {
  const res = {
    httpHeaders: headers(ref.httpHeaders),
    source: ref.source as string,
    verification: { hash: (ref.verification as GoStruct).hash as string | undefined },
  };
  checked.add(res);
  return res;
}

const ZERO_RESOURCE = (): GoStruct => ({ httpHeaders: null, verification: {} });

function translateIgnition(ignition: GoStruct, checked: Checked): GoStruct {
  const proxy = (ignition.proxy ?? {}) as GoStruct;
  const noProxy = list(proxy.noProxy) as unknown as string[];
  return {
    config: {
      merge: nilIfEmpty(list(ignition.config.append).map((ref) => resource(ref, checked))),
      replace: ignition.config.replace ? resource(ignition.config.replace as GoStruct, checked) : ZERO_RESOURCE(),
    },
    proxy: { httpProxy: strP(proxy.httpProxy), httpsProxy: strP(proxy.httpsProxy), noProxy: nilIfEmpty(noProxy) },
    security: { tls: { certificateAuthorities: nilIfEmpty(list(ignition.security.tls.certificateAuthorities).map((ref) => resource(ref, checked))) } },
    // copied: 0 and negative values survive
    timeouts: { httpResponseHeaders: ignition.timeouts.httpResponseHeaders, httpTotal: ignition.timeouts.httpTotal },
    version: '3.1.0',
  };
}

/** A deprecated `create` object replaces every user-level field, even with empty values (§4.2). */
function translateUser(u: GoStruct): GoStruct {
  const from = (u.create as GoStruct | undefined) ?? u;
  return {
    gecos: strP(from.gecos),
    groups: u.create ? (from.groups ?? []) : nilIfEmpty(list(from.groups) as unknown as string[]),
    homeDir: strP(from.homeDir),
    name: u.name,
    noCreateHome: boolP(from.noCreateHome),
    noLogInit: boolP(from.noLogInit),
    noUserGroup: boolP(from.noUserGroup),
    passwordHash: u.passwordHash,
    primaryGroup: strP(from.primaryGroup),
    sshAuthorizedKeys: nilIfEmpty(list(u.sshAuthorizedKeys) as unknown as string[]),
    shell: strP(from.shell),
    system: boolP(from.system),
    uid: from.uid,
  };
}

function translatePasswd(passwd: GoStruct): GoStruct {
  return {
    groups: nilIfEmpty(list(passwd.groups).map((g) => ({ gid: g.gid, name: g.name, passwordHash: strP(g.passwordHash), system: boolP(g.system) }))),
    users: nilIfEmpty(list(passwd.users).map(translateUser)),
  };
}

function translatePartition(p: GoStruct): GoStruct {
  return {
    guid: strP(p.guid),
    label: p.label,
    number: p.number,
    shouldExist: p.shouldExist,
    sizeMiB: p.sizeMiB,
    startMiB: p.startMiB,
    typeGuid: strP(p.typeGuid),
    wipePartitionEntry: boolP(p.wipePartitionEntry),
  };
}

/** `root` is implied in spec 3; `create.force` -> wipe; `oem` keeps btrfs unless wiped (§4.7). */
function translateFilesystem(fs: GoStruct, paths: FilesystemPaths): GoStruct {
  const mount = fs.mount as GoStruct;
  let wipe = boolP(mount.wipeFilesystem);
  const options = [...(list(mount.options) as unknown as string[])];
  const create = mount.create as GoStruct | undefined;
  if (create) {
    wipe = boolP(create.force);
    options.push(...(list(create.options) as unknown as string[]));
  }
  // patch 0015 compares the name case-insensitively here, unlike the path map
  const format = (fs.name as string).toLowerCase() === 'oem' && wipe !== true ? 'btrfs' : (mount.format as string);
  return {
    device: mount.device,
    format: strP(format),
    label: mount.label,
    options: nilIfEmpty(options),
    path: strP(paths.get(fs.name as string)),
    uuid: mount.uuid,
    wipeFilesystem: wipe,
  };
}

const translateDisk = (d: GoStruct): GoStruct => ({
  device: d.device,
  partitions: nilIfEmpty(list(d.partitions).map(translatePartition)),
  wipeTable: boolP(d.wipeTable),
});

const translateRaid = (r: GoStruct): GoStruct => ({
  devices: nilIfEmpty(list(r.devices) as unknown as string[]),
  level: r.level,
  name: r.name,
  options: nilIfEmpty(list(r.options) as unknown as string[]),
  spares: intP(r.spares),
});

const owner = (o: GoStruct | undefined): GoStruct => ({ id: o?.id, name: strP(o?.name) });

/** `path.Join(map[fs], path)`: cleaned; an undeclared filesystem maps to "" and lands on `/` (§3). */
const nodePath = (n: GoStruct, paths: FilesystemPaths): string => goPathJoin(paths.get(n.filesystem as string) ?? '', n.path as string);

// Storage literals below spell out every field: object spreads here cost more than the rest of
// the translation.

/** 2.x files always overwrote: absent -> true; `append` forces false and moves the contents (§4.8). */
function translateFile(f: GoStruct, paths: FilesystemPaths, checked: Checked): GoStruct {
  const overwrite = f.append ? false : ((f.overwrite as boolean | undefined) ?? true);
  const c = f.contents as GoStruct;
  const contents = {
    compression: strP(c.compression),
    httpHeaders: headers(c.httpHeaders),
    source: c.source as string,
    verification: { hash: (c.verification as GoStruct).hash as string | undefined },
  };
  checked.add(contents);
  return {
    group: owner(f.group as GoStruct | undefined),
    overwrite,
    path: nodePath(f, paths),
    user: owner(f.user as GoStruct | undefined),
    append: f.append ? [contents] : null,
    contents: f.append ? ZERO_RESOURCE() : contents,
    mode: f.mode,
  };
}

function translateStorage(storage: GoStruct, networkdUnits: GoStruct[], paths: FilesystemPaths, checked: Checked): GoStruct {
  // networkd files come after the storage files (§4.4)
  const files = [...list(storage.files).map((f) => translateFile(f, paths, checked)), ...translateNetworkd(networkdUnits)];
  return {
    directories: nilIfEmpty(list(storage.directories).map((d) => ({
      group: owner(d.group as GoStruct | undefined),
      overwrite: d.overwrite as boolean | undefined,
      path: nodePath(d, paths),
      user: owner(d.user as GoStruct | undefined),
      mode: d.mode,
    }))),
    disks: nilIfEmpty(list(storage.disks).map(translateDisk)),
    raid: nilIfEmpty(list(storage.raid).map(translateRaid)),
    filesystems: nilIfEmpty(list(storage.filesystems).filter((fs) => fs.name !== 'root').map((fs) => translateFilesystem(fs, paths))),
    files: nilIfEmpty(files),
    // link targets are never prefixed with the filesystem path (§4.9)
    links: nilIfEmpty(list(storage.links).map((l) => ({
      group: owner(l.group as GoStruct | undefined),
      overwrite: l.overwrite as boolean | undefined,
      path: nodePath(l, paths),
      user: owner(l.user as GoStruct | undefined),
      hard: boolP(l.hard),
      target: l.target,
    }))),
  };
}

/**
 * The 3.1.0 config `Translate` builds, before its own validation (validate-v31.ts), and the values
 * in it copied from `config`, which has passed `checkV24`.
 */
export function translateV24ToV31(config: GoStruct, paths: FilesystemPaths): { v31: GoStruct; checked: WeakSet<object> } {
  const checked: Checked = new WeakSet();
  const v31 = {
    ignition: translateIgnition(config.ignition as GoStruct, checked),
    passwd: translatePasswd(config.passwd as GoStruct),
    storage: translateStorage(config.storage as GoStruct, list((config.networkd as GoStruct).units), paths, checked),
    systemd: { units: translateUnits(list((config.systemd as GoStruct).units), checked) },
  };
  return { v31, checked };
}

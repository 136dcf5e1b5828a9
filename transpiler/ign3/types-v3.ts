/**
 * Ignition spec 3.1.0 and 3.3.0 `types.Config` (coreos/ignition v2 `config/v3_1/types/schema.go`,
 * `config/v3_3/types/schema.go`) as schema.ts descriptors, so go/json.ts marshals them like Go:
 * Go field order, pointers for optional scalars, `omitempty` everywhere except where noted.
 * Structs are always emitted (docs/ignition-2to3.md §7).
 */
import { bool, field, int, ptr, slice, str, struct, type FieldDef, type GoType, type StructDef } from '../schema';

export type V3Spec = '3.1' | '3.3';

const opt = (name: string, key: string, type: GoType): FieldDef => field(name, key, type, true);

/** Go type names, also the keys of the 3.x validation hooks (validate-v31.ts). */
export const V3_TYPE = {
  config: 'types.Config',
  ignitionConfig: 'types.IgnitionConfig',
  resource: 'types.Resource',
  tls: 'types.TLS',
  user: 'types.PasswdUser',
  storage: 'types.Storage',
  file: 'types.File',
  directory: 'types.Directory',
  link: 'types.Link',
  nodeOwner: 'types.NodeOwner',
  disk: 'types.Disk',
  partition: 'types.Partition',
  filesystem: 'types.Filesystem',
  raid: 'types.Raid',
  unit: 'types.Unit',
  dropin: 'types.Dropin',
  header: 'types.HTTPHeader',
  group: 'types.PasswdGroup',
  luks: 'types.Luks',
  proxy: 'types.Proxy',
  systemd: 'types.Systemd',
} as const;

function buildV3ConfigType(spec: V3Spec): GoType {
  const v33 = spec === '3.3';
  const only33 = (f: FieldDef): FieldDef[] => (v33 ? [f] : []);

  const verification: StructDef = { goName: 'types.Verification', fields: [opt('Hash', 'hash', ptr(str))] };
  const header: StructDef = { goName: V3_TYPE.header, fields: [field('Name', 'name', str), opt('Value', 'value', ptr(str))] };
  const resource: StructDef = {
    goName: V3_TYPE.resource,
    fields: [
      opt('Compression', 'compression', ptr(str)),
      opt('HTTPHeaders', 'httpHeaders', slice(struct(header))),
      opt('Source', 'source', ptr(str)),
      opt('Verification', 'verification', struct(verification)),
    ],
  };
  const ignition: StructDef = {
    goName: 'types.Ignition',
    fields: [
      opt('Config', 'config', struct({
        goName: V3_TYPE.ignitionConfig,
        fields: [opt('Merge', 'merge', slice(struct(resource))), opt('Replace', 'replace', struct(resource))],
      })),
      opt('Proxy', 'proxy', struct({
        goName: V3_TYPE.proxy,
        fields: [opt('HTTPProxy', 'httpProxy', ptr(str)), opt('HTTPSProxy', 'httpsProxy', ptr(str)), opt('NoProxy', 'noProxy', slice(str))],
      })),
      opt('Security', 'security', struct({
        goName: 'types.Security',
        fields: [opt('TLS', 'tls', struct({ goName: V3_TYPE.tls, fields: [opt('CertificateAuthorities', 'certificateAuthorities', slice(struct(resource)))] }))],
      })),
      opt('Timeouts', 'timeouts', struct({
        goName: 'types.Timeouts',
        fields: [opt('HTTPResponseHeaders', 'httpResponseHeaders', ptr(int)), opt('HTTPTotal', 'httpTotal', ptr(int))],
      })),
      opt('Version', 'version', str),
    ],
  };

  const user: StructDef = {
    goName: V3_TYPE.user,
    fields: [
      opt('Gecos', 'gecos', ptr(str)),
      opt('Groups', 'groups', slice(str)),
      opt('HomeDir', 'homeDir', ptr(str)),
      field('Name', 'name', str),
      opt('NoCreateHome', 'noCreateHome', ptr(bool)),
      opt('NoLogInit', 'noLogInit', ptr(bool)),
      opt('NoUserGroup', 'noUserGroup', ptr(bool)),
      opt('PasswordHash', 'passwordHash', ptr(str)),
      opt('PrimaryGroup', 'primaryGroup', ptr(str)),
      opt('SSHAuthorizedKeys', 'sshAuthorizedKeys', slice(str)),
      opt('Shell', 'shell', ptr(str)),
      ...only33(opt('ShouldExist', 'shouldExist', ptr(bool))),
      opt('System', 'system', ptr(bool)),
      opt('UID', 'uid', ptr(int)),
    ],
  };
  const group: StructDef = {
    goName: V3_TYPE.group,
    fields: [
      opt('Gid', 'gid', ptr(int)),
      field('Name', 'name', str),
      opt('PasswordHash', 'passwordHash', ptr(str)),
      ...only33(opt('ShouldExist', 'shouldExist', ptr(bool))),
      opt('System', 'system', ptr(bool)),
    ],
  };

  const owner: StructDef = { goName: V3_TYPE.nodeOwner, fields: [opt('ID', 'id', ptr(int)), opt('Name', 'name', ptr(str))] };
  // `Node` is embedded first in files, directories and links (Go flattens it).
  const node: FieldDef[] = [
    opt('Group', 'group', struct(owner)),
    opt('Overwrite', 'overwrite', ptr(bool)),
    field('Path', 'path', str),
    opt('User', 'user', struct(owner)),
  ];
  const file: StructDef = {
    goName: V3_TYPE.file,
    fields: [...node, opt('Append', 'append', slice(struct(resource))), opt('Contents', 'contents', struct(resource)), opt('Mode', 'mode', ptr(int))],
  };
  const directory: StructDef = { goName: V3_TYPE.directory, fields: [...node, opt('Mode', 'mode', ptr(int))] };
  // 3.1 `Target string json:"target"`; 3.3 made it a pointer (always set by the upgrade, §2).
  const link: StructDef = {
    goName: V3_TYPE.link,
    fields: [...node, opt('Hard', 'hard', ptr(bool)), v33 ? opt('Target', 'target', ptr(str)) : field('Target', 'target', str)],
  };

  const partition: StructDef = {
    goName: V3_TYPE.partition,
    fields: [
      opt('GUID', 'guid', ptr(str)),
      opt('Label', 'label', ptr(str)),
      opt('Number', 'number', int),
      ...only33(opt('Resize', 'resize', ptr(bool))),
      opt('ShouldExist', 'shouldExist', ptr(bool)),
      opt('SizeMiB', 'sizeMiB', ptr(int)),
      opt('StartMiB', 'startMiB', ptr(int)),
      opt('TypeGUID', 'typeGuid', ptr(str)),
      opt('WipePartitionEntry', 'wipePartitionEntry', ptr(bool)),
    ],
  };
  const disk: StructDef = {
    goName: V3_TYPE.disk,
    fields: [field('Device', 'device', str), opt('Partitions', 'partitions', slice(struct(partition))), opt('WipeTable', 'wipeTable', ptr(bool))],
  };
  const filesystem: StructDef = {
    goName: V3_TYPE.filesystem,
    fields: [
      field('Device', 'device', str),
      opt('Format', 'format', ptr(str)),
      opt('Label', 'label', ptr(str)),
      opt('MountOptions', 'mountOptions', slice(str)),
      opt('Options', 'options', slice(str)),
      opt('Path', 'path', ptr(str)),
      opt('UUID', 'uuid', ptr(str)),
      opt('WipeFilesystem', 'wipeFilesystem', ptr(bool)),
    ],
  };
  // 3.1: `Devices []Device json:"devices"` and `Level string json:"level"`; 3.3: omitempty, pointer level.
  const raid: StructDef = {
    goName: V3_TYPE.raid,
    fields: [
      field('Devices', 'devices', slice(str), v33),
      v33 ? opt('Level', 'level', ptr(str)) : field('Level', 'level', str),
      field('Name', 'name', str),
      opt('Options', 'options', slice(str)),
      opt('Spares', 'spares', ptr(int)),
    ],
  };
  // Never produced from 2.x; present so the 3.3 key order is complete.
  const luks: StructDef = { goName: V3_TYPE.luks, fields: [field('Name', 'name', str)] };

  const storage: StructDef = {
    goName: V3_TYPE.storage,
    fields: [
      opt('Directories', 'directories', slice(struct(directory))),
      opt('Disks', 'disks', slice(struct(disk))),
      opt('Files', 'files', slice(struct(file))),
      opt('Filesystems', 'filesystems', slice(struct(filesystem))),
      opt('Links', 'links', slice(struct(link))),
      ...only33(opt('Luks', 'luks', slice(struct(luks)))),
      opt('Raid', 'raid', slice(struct(raid))),
    ],
  };

  const dropin: StructDef = { goName: V3_TYPE.dropin, fields: [opt('Contents', 'contents', ptr(str)), field('Name', 'name', str)] };
  const unit: StructDef = {
    goName: V3_TYPE.unit,
    fields: [
      opt('Contents', 'contents', ptr(str)),
      opt('Dropins', 'dropins', slice(struct(dropin))),
      opt('Enabled', 'enabled', ptr(bool)),
      opt('Mask', 'mask', ptr(bool)),
      field('Name', 'name', str),
    ],
  };

  return struct({
    goName: V3_TYPE.config,
    fields: [
      field('Ignition', 'ignition', struct(ignition)),
      ...only33(opt('KernelArguments', 'kernelArguments', struct({
        goName: 'types.KernelArguments',
        fields: [opt('ShouldExist', 'shouldExist', slice(str)), opt('ShouldNotExist', 'shouldNotExist', slice(str))],
      }))),
      opt('Passwd', 'passwd', struct({
        goName: 'types.Passwd',
        fields: [opt('Groups', 'groups', slice(struct(group))), opt('Users', 'users', slice(struct(user)))],
      })),
      opt('Storage', 'storage', struct(storage)),
      opt('Systemd', 'systemd', struct({ goName: V3_TYPE.systemd, fields: [opt('Units', 'units', slice(struct(unit)))] })),
    ],
  });
}

/** Spec 3.1.0, the translator's own output (Flatcar marshals it and re-parses the bytes). */
export const ignitionConfigV31: GoType = buildV3ConfigType('3.1');
/** Spec 3.3.0, what this port emits. */
export const ignitionConfigV33: GoType = buildV3ConfigType('3.3');

/** Go-shaped 3.x values (schema.ts representation: undefined = nil pointer, null = nil slice). */
export interface V3Resource {
  compression?: string;
  httpHeaders: { name: string; value?: string }[] | null;
  source?: string;
  verification: { hash?: string };
}

/** A trimmed copy of ct's CLC types (config/types), enough to reproduce the corpus' decode errors. */
import { YamlError } from '../../transpiler/yaml';
import { bool, field, type GoStruct, int, named, ptr, slice, str, struct, type StructDef, uint } from '../../transpiler/schema';

const fileContents = struct({
  goName: 'types.FileContents',
  fields: [field('Inline', 'inline', str), field('Compression', 'compression', str)],
});
const file = struct({
  goName: 'types.File',
  fields: [
    field('Filesystem', 'filesystem', str),
    field('Path', 'path', str),
    field('Contents', 'contents', fileContents),
    field('Mode', 'mode', ptr(int)),
    field('Overwrite', 'overwrite', ptr(bool)),
  ],
});
const user = struct({
  goName: 'types.User',
  fields: [
    field('Name', 'name', str),
    field('UID', 'uid', ptr(int)),
    field('Gecos', 'gecos', str),
    field('HomeDir', 'home_dir', str),
    field('Shell', 'shell', str),
    field('SSHAuthorizedKeys', 'ssh_authorized_keys', slice(str)),
  ],
});
const group = struct({
  goName: 'types.Group',
  fields: [field('Name', 'name', str), field('Gid', 'gid', ptr(uint))],
});
const unit = struct({
  goName: 'types.SystemdUnit',
  fields: [
    field('Name', 'name', str),
    field('Enable', 'enable', bool),
    field('Enabled', 'enabled', ptr(bool)),
    field('Mask', 'mask', bool),
    field('Contents', 'contents', str),
  ],
});

export const etcd3_1: StructDef = {
  goName: 'types.Etcd3_1',
  fields: [field('Name', 'name', str), field('HeartbeatInterval', 'heartbeat_interval', int)],
};

/** Like ct's semver-backed `EtcdVersion.UnmarshalYAML`: a malformed version aborts decoding. */
function etcdOptions(value: GoStruct): StructDef | undefined {
  const v = value.version as string;
  if (v === '') return undefined;
  if (!/^\d+\.\d+\.\d+([-+].*)?$/.test(v)) throw new YamlError(`${v} is not in dotted-tri format`);
  return v.startsWith('3.') ? etcd3_1 : undefined;
}

export const etcd: StructDef = { goName: 'types.Etcd', fields: [field('Version', 'version', str)], embedded: etcdOptions };

export const config = struct({
  goName: 'types.Config',
  fields: [
    field('Storage', 'storage', struct({ goName: 'types.Storage', fields: [field('Files', 'files', slice(file))] })),
    field('Systemd', 'systemd', struct({ goName: 'types.Systemd', fields: [field('Units', 'units', slice(unit))] })),
    field(
      'Passwd',
      'passwd',
      struct({ goName: 'types.Passwd', fields: [field('Users', 'users', slice(user)), field('Groups', 'groups', slice(group))] }),
    ),
    field('Etcd', 'etcd', ptr(struct(etcd))),
    field('Locksmith', 'locksmith', ptr(struct({ goName: 'types.Locksmith', fields: [field('RebootStrategy', 'reboot_strategy', str)] }))),
    field(
      'Flannel',
      'flannel',
      ptr(struct({ goName: 'types.Flannel', fields: [field('NetworkConfig', 'network_config', named('types.NetworkConfig', str))] })),
    ),
  ],
});

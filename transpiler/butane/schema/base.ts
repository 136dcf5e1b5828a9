/**
 * Butane's YAML structs of `base/v0_{4,5,6}/schema.go` (v0_4: flatcar 1.0.0, fcos 1.4.0; v0_5: flatcar
 * 1.1.0, fcos 1.5.0; v0_6: fcos 1.6.0): Go field names, YAML keys and pointer-ness as in Go, so that the
 * go-yaml port decodes, and names types in its errors (`into v0_5.Storage`), exactly as Butane does.
 * The index lacks v0_5 and v0_6: v0_6 is `base/v0_7_exp` without `inline_butane`/`local_butane` (which
 * came after Butane 0.23.0); v0_5 is v0_4 plus the 1.1/1.5 fields (docs/butane.md §4.2), laid out as in
 * v0_6 (which adds only `cex`), with `LuksOption`/`RaidOption` gone (Butane 0.18).
 */
import { bool, field, int, named, ptr, slice, str, type FieldDef, type StructDef, struct } from '../../schema';

export type ButaneBase = 'v0_4' | 'v0_5' | 'v0_6';

const pstr = ptr(str);
const pint = ptr(int);
const pbool = ptr(bool);

function baseSchema(pkg: ButaneBase) {
  const since05 = pkg !== 'v0_4';
  const since06 = pkg === 'v0_6';
  const when = (cond: boolean, ...fields: FieldDef[]): FieldDef[] => (cond ? fields : []);
  const def = (name: string, fields: StructDef['fields']): StructDef => ({ goName: `${pkg}.${name}`, fields });
  const namedStr = (name: string) => named(`${pkg}.${name}`, str);

  const Verification = def('Verification', [field('Hash', 'hash', pstr)]);
  const HTTPHeader = def('HTTPHeader', [field('Name', 'name', str), field('Value', 'value', pstr)]);
  const Resource = def('Resource', [
    field('Compression', 'compression', pstr),
    field('HTTPHeaders', 'http_headers', named(`${pkg}.HTTPHeaders`, slice(struct(HTTPHeader)))),
    field('Source', 'source', pstr),
    field('Inline', 'inline', pstr),
    field('Local', 'local', pstr),
    field('Verification', 'verification', struct(Verification)),
  ]);
  const IgnitionConfig = def('IgnitionConfig', [
    field('Merge', 'merge', slice(struct(Resource))),
    field('Replace', 'replace', struct(Resource)),
  ]);
  const Proxy = def('Proxy', [
    field('HTTPProxy', 'http_proxy', pstr),
    field('HTTPSProxy', 'https_proxy', pstr),
    field('NoProxy', 'no_proxy', slice(str)),
  ]);
  const TLS = def('TLS', [field('CertificateAuthorities', 'certificate_authorities', slice(struct(Resource)))]);
  const Security = def('Security', [field('TLS', 'tls', struct(TLS))]);
  const Timeouts = def('Timeouts', [
    field('HTTPResponseHeaders', 'http_response_headers', pint),
    field('HTTPTotal', 'http_total', pint),
  ]);
  const Ignition = def('Ignition', [
    field('Config', 'config', struct(IgnitionConfig)),
    field('Proxy', 'proxy', struct(Proxy)),
    field('Security', 'security', struct(Security)),
    field('Timeouts', 'timeouts', struct(Timeouts)),
  ]);

  const KernelArguments = def('KernelArguments', [
    field('ShouldExist', 'should_exist', slice(namedStr('KernelArgument'))),
    field('ShouldNotExist', 'should_not_exist', slice(namedStr('KernelArgument'))),
  ]);

  const PasswdGroup = def('PasswdGroup', [
    field('Gid', 'gid', pint),
    field('Name', 'name', str),
    field('PasswordHash', 'password_hash', pstr),
    field('ShouldExist', 'should_exist', pbool),
    field('System', 'system', pbool),
  ]);
  const PasswdUser = def('PasswdUser', [
    field('Gecos', 'gecos', pstr),
    field('Groups', 'groups', slice(namedStr('Group'))),
    field('HomeDir', 'home_dir', pstr),
    field('Name', 'name', str),
    field('NoCreateHome', 'no_create_home', pbool),
    field('NoLogInit', 'no_log_init', pbool),
    field('NoUserGroup', 'no_user_group', pbool),
    field('PasswordHash', 'password_hash', pstr),
    field('PrimaryGroup', 'primary_group', pstr),
    field('ShouldExist', 'should_exist', pbool),
    field('SSHAuthorizedKeys', 'ssh_authorized_keys', slice(namedStr('SSHAuthorizedKey'))),
    ...when(since05, field('SSHAuthorizedKeysLocal', 'ssh_authorized_keys_local', slice(str))),
    field('Shell', 'shell', pstr),
    field('System', 'system', pbool),
    field('UID', 'uid', pint),
  ]);
  const Passwd = def('Passwd', [
    field('Groups', 'groups', slice(struct(PasswdGroup))),
    field('Users', 'users', slice(struct(PasswdUser))),
  ]);

  const NodeGroup = def('NodeGroup', [field('ID', 'id', pint), field('Name', 'name', pstr)]);
  const NodeUser = def('NodeUser', [field('ID', 'id', pint), field('Name', 'name', pstr)]);
  // `Node` is embedded first in files, directories and links (go-yaml `,inline` flattens it).
  const node = [
    field('Group', 'group', struct(NodeGroup)),
    field('Overwrite', 'overwrite', pbool),
    field('Path', 'path', str),
    field('User', 'user', struct(NodeUser)),
  ];
  const Directory = def('Directory', [...node, field('Mode', 'mode', pint)]);
  const Partition = def('Partition', [
    field('GUID', 'guid', pstr),
    field('Label', 'label', pstr),
    field('Number', 'number', int),
    field('Resize', 'resize', pbool),
    field('ShouldExist', 'should_exist', pbool),
    field('SizeMiB', 'size_mib', pint),
    field('StartMiB', 'start_mib', pint),
    field('TypeGUID', 'type_guid', pstr),
    field('WipePartitionEntry', 'wipe_partition_entry', pbool),
  ]);
  const Disk = def('Disk', [
    field('Device', 'device', str),
    field('Partitions', 'partitions', slice(struct(Partition))),
    field('WipeTable', 'wipe_table', pbool),
  ]);
  const File = def('File', [
    ...node,
    field('Append', 'append', slice(struct(Resource))),
    field('Contents', 'contents', struct(Resource)),
    field('Mode', 'mode', pint),
  ]);
  const Filesystem = def('Filesystem', [
    field('Device', 'device', str),
    field('Format', 'format', pstr),
    field('Label', 'label', pstr),
    field('MountOptions', 'mount_options', slice(str)),
    field('Options', 'options', slice(str)),
    field('Path', 'path', pstr),
    field('UUID', 'uuid', pstr),
    field('WipeFilesystem', 'wipe_filesystem', pbool),
    field('WithMountUnit', 'with_mount_unit', pbool),
  ]);
  const Link = def('Link', [...node, field('Hard', 'hard', pbool), field('Target', 'target', pstr)]);

  const Tang = def('Tang', [
    field('Thumbprint', 'thumbprint', pstr),
    field('URL', 'url', str),
    ...when(since05, field('Advertisement', 'advertisement', pstr)),
  ]);
  const ClevisCustom = def('ClevisCustom', [
    field('Config', 'config', pstr),
    field('NeedsNetwork', 'needs_network', pbool),
    field('Pin', 'pin', pstr),
  ]);
  const Clevis = def('Clevis', [
    field('Custom', 'custom', struct(ClevisCustom)),
    field('Tang', 'tang', slice(struct(Tang))),
    field('Threshold', 'threshold', pint),
    field('Tpm2', 'tpm2', pbool),
  ]);
  const Cex = since06 ? def('Cex', [field('Enabled', 'enabled', pbool)]) : undefined;
  // Butane 0.18 made the LUKS and RAID options plain strings.
  const options = (optionType: string) => field('Options', 'options', slice(since05 ? str : namedStr(optionType)));
  const Luks = def('Luks', [
    ...(Cex ? [field('Cex', 'cex', struct(Cex))] : []),
    field('Clevis', 'clevis', struct(Clevis)),
    field('Device', 'device', pstr),
    ...when(since05, field('Discard', 'discard', pbool)),
    field('KeyFile', 'key_file', struct(Resource)),
    field('Label', 'label', pstr),
    field('Name', 'name', str),
    ...when(since05, field('OpenOptions', 'open_options', slice(str))),
    options('LuksOption'),
    field('UUID', 'uuid', pstr),
    field('WipeVolume', 'wipe_volume', pbool),
  ]);
  const Raid = def('Raid', [
    field('Devices', 'devices', slice(namedStr('Device'))),
    field('Level', 'level', pstr),
    field('Name', 'name', str),
    options('RaidOption'),
    field('Spares', 'spares', pint),
  ]);
  const Tree = def('Tree', [field('Local', 'local', str), field('Path', 'path', pstr)]);
  const Storage = def('Storage', [
    field('Directories', 'directories', slice(struct(Directory))),
    field('Disks', 'disks', slice(struct(Disk))),
    field('Files', 'files', slice(struct(File))),
    field('Filesystems', 'filesystems', slice(struct(Filesystem))),
    field('Links', 'links', slice(struct(Link))),
    field('Luks', 'luks', slice(struct(Luks))),
    field('Raid', 'raid', slice(struct(Raid))),
    field('Trees', 'trees', slice(struct(Tree))),
  ]);

  const contents = [field('Contents', 'contents', pstr), ...when(since05, field('ContentsLocal', 'contents_local', pstr))];
  const Dropin = def('Dropin', [...contents, field('Name', 'name', str)]);
  const Unit = def('Unit', [
    ...contents,
    field('Dropins', 'dropins', slice(struct(Dropin))),
    field('Enabled', 'enabled', pbool),
    field('Mask', 'mask', pbool),
    field('Name', 'name', str),
  ]);
  const Systemd = def('Systemd', [field('Units', 'units', slice(struct(Unit)))]);

  const Config = def('Config', [
    field('Version', 'version', str),
    field('Variant', 'variant', str),
    field('Ignition', 'ignition', struct(Ignition)),
    field('KernelArguments', 'kernel_arguments', struct(KernelArguments)),
    field('Passwd', 'passwd', struct(Passwd)),
    field('Storage', 'storage', struct(Storage)),
    field('Systemd', 'systemd', struct(Systemd)),
  ]);
  return { Config, Tang, Cex };
}

export const v0_4 = baseSchema('v0_4');
export const v0_5 = baseSchema('v0_5');
export const v0_6 = baseSchema('v0_6');

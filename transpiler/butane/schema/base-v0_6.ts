/**
 * Butane's YAML structs of `base/v0_6/schema.go` (fcos 1.6.0): Go field names, YAML
 * keys and pointer-ness as in Go, so that the go-yaml port decodes, and names types in its errors
 * (`into v0_6.Storage`), exactly as Butane does.
 * The index lacks this file: taken from `base/v0_7_exp` (v0_6 plus `inline_butane`/`local_butane`,
 * which came after Butane 0.23.0).
 */
import { bool, field, int, named, ptr, slice, str, type StructDef, struct } from '../../schema';

const pkg = 'v0_6';
const def = (name: string, fields: StructDef['fields']): StructDef => ({ goName: `${pkg}.${name}`, fields });
const namedStr = (name: string) => named(`${pkg}.${name}`, str);
const pstr = ptr(str);
const pint = ptr(int);
const pbool = ptr(bool);

export const Verification = def('Verification', [field('Hash', 'hash', pstr)]);

export const HTTPHeader = def('HTTPHeader', [field('Name', 'name', str), field('Value', 'value', pstr)]);

export const Resource = def('Resource', [
  field('Compression', 'compression', pstr),
  field('HTTPHeaders', 'http_headers', named(`${pkg}.HTTPHeaders`, slice(struct(HTTPHeader)))),
  field('Source', 'source', pstr),
  field('Inline', 'inline', pstr),
  field('Local', 'local', pstr),
  field('Verification', 'verification', struct(Verification)),
]);

export const IgnitionConfig = def('IgnitionConfig', [
  field('Merge', 'merge', slice(struct(Resource))),
  field('Replace', 'replace', struct(Resource)),
]);

export const Proxy = def('Proxy', [
  field('HTTPProxy', 'http_proxy', pstr),
  field('HTTPSProxy', 'https_proxy', pstr),
  field('NoProxy', 'no_proxy', slice(str)),
]);

export const TLS = def('TLS', [field('CertificateAuthorities', 'certificate_authorities', slice(struct(Resource)))]);

export const Security = def('Security', [field('TLS', 'tls', struct(TLS))]);

export const Timeouts = def('Timeouts', [
  field('HTTPResponseHeaders', 'http_response_headers', pint),
  field('HTTPTotal', 'http_total', pint),
]);

export const Ignition = def('Ignition', [
  field('Config', 'config', struct(IgnitionConfig)),
  field('Proxy', 'proxy', struct(Proxy)),
  field('Security', 'security', struct(Security)),
  field('Timeouts', 'timeouts', struct(Timeouts)),
]);

export const KernelArguments = def('KernelArguments', [
  field('ShouldExist', 'should_exist', slice(namedStr('KernelArgument'))),
  field('ShouldNotExist', 'should_not_exist', slice(namedStr('KernelArgument'))),
]);

export const PasswdGroup = def('PasswdGroup', [
  field('Gid', 'gid', pint),
  field('Name', 'name', str),
  field('PasswordHash', 'password_hash', pstr),
  field('ShouldExist', 'should_exist', pbool),
  field('System', 'system', pbool),
]);

export const PasswdUser = def('PasswdUser', [
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
  field('SSHAuthorizedKeysLocal', 'ssh_authorized_keys_local', slice(str)),
  field('Shell', 'shell', pstr),
  field('System', 'system', pbool),
  field('UID', 'uid', pint),
]);

export const Passwd = def('Passwd', [
  field('Groups', 'groups', slice(struct(PasswdGroup))),
  field('Users', 'users', slice(struct(PasswdUser))),
]);

export const NodeGroup = def('NodeGroup', [field('ID', 'id', pint), field('Name', 'name', pstr)]);
export const NodeUser = def('NodeUser', [field('ID', 'id', pint), field('Name', 'name', pstr)]);

export const Directory = def('Directory', [
  field('Group', 'group', struct(NodeGroup)),
  field('Overwrite', 'overwrite', pbool),
  field('Path', 'path', str),
  field('User', 'user', struct(NodeUser)),
  field('Mode', 'mode', pint),
]);

export const Partition = def('Partition', [
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

export const Disk = def('Disk', [
  field('Device', 'device', str),
  field('Partitions', 'partitions', slice(struct(Partition))),
  field('WipeTable', 'wipe_table', pbool),
]);

export const File = def('File', [
  field('Group', 'group', struct(NodeGroup)),
  field('Overwrite', 'overwrite', pbool),
  field('Path', 'path', str),
  field('User', 'user', struct(NodeUser)),
  field('Append', 'append', slice(struct(Resource))),
  field('Contents', 'contents', struct(Resource)),
  field('Mode', 'mode', pint),
]);

export const Filesystem = def('Filesystem', [
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

export const Link = def('Link', [
  field('Group', 'group', struct(NodeGroup)),
  field('Overwrite', 'overwrite', pbool),
  field('Path', 'path', str),
  field('User', 'user', struct(NodeUser)),
  field('Hard', 'hard', pbool),
  field('Target', 'target', pstr),
]);

export const Tang = def('Tang', [
  field('Thumbprint', 'thumbprint', pstr),
  field('URL', 'url', str),
  field('Advertisement', 'advertisement', pstr),
]);

export const ClevisCustom = def('ClevisCustom', [
  field('Config', 'config', pstr),
  field('NeedsNetwork', 'needs_network', pbool),
  field('Pin', 'pin', pstr),
]);

export const Clevis = def('Clevis', [
  field('Custom', 'custom', struct(ClevisCustom)),
  field('Tang', 'tang', slice(struct(Tang))),
  field('Threshold', 'threshold', pint),
  field('Tpm2', 'tpm2', pbool),
]);

export const Cex = def('Cex', [field('Enabled', 'enabled', pbool)]);

export const Luks = def('Luks', [
  field('Cex', 'cex', struct(Cex)),
  field('Clevis', 'clevis', struct(Clevis)),
  field('Device', 'device', pstr),
  field('Discard', 'discard', pbool),
  field('KeyFile', 'key_file', struct(Resource)),
  field('Label', 'label', pstr),
  field('Name', 'name', str),
  field('OpenOptions', 'open_options', slice(str)),
  field('Options', 'options', slice(str)),
  field('UUID', 'uuid', pstr),
  field('WipeVolume', 'wipe_volume', pbool),
]);

export const Raid = def('Raid', [
  field('Devices', 'devices', slice(namedStr('Device'))),
  field('Level', 'level', pstr),
  field('Name', 'name', str),
  field('Options', 'options', slice(str)),
  field('Spares', 'spares', pint),
]);

export const Tree = def('Tree', [field('Local', 'local', str), field('Path', 'path', pstr)]);

export const Storage = def('Storage', [
  field('Directories', 'directories', slice(struct(Directory))),
  field('Disks', 'disks', slice(struct(Disk))),
  field('Files', 'files', slice(struct(File))),
  field('Filesystems', 'filesystems', slice(struct(Filesystem))),
  field('Links', 'links', slice(struct(Link))),
  field('Luks', 'luks', slice(struct(Luks))),
  field('Raid', 'raid', slice(struct(Raid))),
  field('Trees', 'trees', slice(struct(Tree))),
]);

export const Dropin = def('Dropin', [
  field('Contents', 'contents', pstr),
  field('ContentsLocal', 'contents_local', pstr),
  field('Name', 'name', str),
]);

export const Unit = def('Unit', [
  field('Contents', 'contents', pstr),
  field('ContentsLocal', 'contents_local', pstr),
  field('Dropins', 'dropins', slice(struct(Dropin))),
  field('Enabled', 'enabled', pbool),
  field('Mask', 'mask', pbool),
  field('Name', 'name', str),
]);

export const Systemd = def('Systemd', [field('Units', 'units', slice(struct(Unit)))]);

export const Config = def('Config', [
  field('Version', 'version', str),
  field('Variant', 'variant', str),
  field('Ignition', 'ignition', struct(Ignition)),
  field('KernelArguments', 'kernel_arguments', struct(KernelArguments)),
  field('Passwd', 'passwd', struct(Passwd)),
  field('Storage', 'storage', struct(Storage)),
  field('Systemd', 'systemd', struct(Systemd)),
]);

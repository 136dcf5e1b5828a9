/**
 * Ignition `types.Config` for specs 3.3.0, 3.4.0 and 3.5.0 (ignition v2.20.0
 * `config/v3_{3,4,5}/types/schema.go`) as schema.ts descriptors: Go field names and order, JSON keys,
 * pointers where Go has them, and `omitempty` exactly as the generated struct tags say. Also 3.1.0
 * (`config/v3_1/types`), which ct's 2.x -> 3.3 translation produces and validates (ign3/).
 *
 * The embedded structs of files, directories and links (`Node`, `FileEmbedded1`, ...) are flattened
 * into them, Node's fields first, as Go's JSON encoder and vcontext's walk both do.
 * Named element types (`types.Device`, `types.KernelArgument`, ...) keep their Go names because
 * some of them have their own `Validate` (validate.ts) and all of them key themselves (keys.ts).
 */
import { bool, field, int, named, ptr, slice, str, struct, type FieldDef, type GoType, type StructDef } from '../schema';

export type IgnitionVersion = '3.3.0' | '3.4.0' | '3.5.0';

export const IGNITION_VERSIONS: readonly IgnitionVersion[] = ['3.3.0', '3.4.0', '3.5.0'];

/** The specs described here: Butane's, and ct's intermediate 3.1.0. */
export type IgnitionSpec = '3.1.0' | IgnitionVersion;

/** An `omitempty` field. */
const opt = (name: string, key: string, type: GoType): FieldDef => field(name, key, type, true);
/** A field written even when empty. */
const req = (name: string, key: string, type: GoType): FieldDef => field(name, key, type, false);
const strType = (goName: string): GoType => named(goName, str);
const def = (goName: string, fields: FieldDef[]): GoType => struct({ goName, fields } satisfies StructDef);

function buildConfigType(version: IgnitionSpec): GoType {
  const since33 = version !== '3.1.0';
  const since34 = since33 && version !== '3.3.0';
  const since35 = version === '3.5.0';
  const when = (cond: boolean, ...fields: FieldDef[]): FieldDef[] => (cond ? fields : []);

  const verification = def('types.Verification', [opt('Hash', 'hash', ptr(str))]);
  const header = def('types.HTTPHeader', [req('Name', 'name', str), opt('Value', 'value', ptr(str))]);
  const resource = def('types.Resource', [
    opt('Compression', 'compression', ptr(str)),
    opt('HTTPHeaders', 'httpHeaders', named('types.HTTPHeaders', slice(header))),
    opt('Source', 'source', ptr(str)),
    opt('Verification', 'verification', verification),
  ]);

  const ignition = def('types.Ignition', [
    opt('Config', 'config', def('types.IgnitionConfig', [opt('Merge', 'merge', slice(resource)), opt('Replace', 'replace', resource)])),
    opt(
      'Proxy',
      'proxy',
      def('types.Proxy', [
        opt('HTTPProxy', 'httpProxy', ptr(str)),
        opt('HTTPSProxy', 'httpsProxy', ptr(str)),
        opt('NoProxy', 'noProxy', slice(strType('types.NoProxyItem'))),
      ]),
    ),
    opt(
      'Security',
      'security',
      def('types.Security', [opt('TLS', 'tls', def('types.TLS', [opt('CertificateAuthorities', 'certificateAuthorities', slice(resource))]))]),
    ),
    opt(
      'Timeouts',
      'timeouts',
      def('types.Timeouts', [opt('HTTPResponseHeaders', 'httpResponseHeaders', ptr(int)), opt('HTTPTotal', 'httpTotal', ptr(int))]),
    ),
    // 3.1's and 3.3's schema.go tag it `version,omitempty`; 3.4 and 3.5 always write it.
    field('Version', 'version', str, !since34),
  ]);

  const kernelArguments = def('types.KernelArguments', [
    opt('ShouldExist', 'shouldExist', slice(strType('types.KernelArgument'))),
    opt('ShouldNotExist', 'shouldNotExist', slice(strType('types.KernelArgument'))),
  ]);

  const group = def('types.PasswdGroup', [
    opt('Gid', 'gid', ptr(int)),
    req('Name', 'name', str),
    opt('PasswordHash', 'passwordHash', ptr(str)),
    ...when(since33, opt('ShouldExist', 'shouldExist', ptr(bool))),
    opt('System', 'system', ptr(bool)),
  ]);
  const user = def('types.PasswdUser', [
    opt('Gecos', 'gecos', ptr(str)),
    opt('Groups', 'groups', slice(strType('types.Group'))),
    opt('HomeDir', 'homeDir', ptr(str)),
    req('Name', 'name', str),
    opt('NoCreateHome', 'noCreateHome', ptr(bool)),
    opt('NoLogInit', 'noLogInit', ptr(bool)),
    opt('NoUserGroup', 'noUserGroup', ptr(bool)),
    opt('PasswordHash', 'passwordHash', ptr(str)),
    opt('PrimaryGroup', 'primaryGroup', ptr(str)),
    opt('SSHAuthorizedKeys', 'sshAuthorizedKeys', slice(strType('types.SSHAuthorizedKey'))),
    opt('Shell', 'shell', ptr(str)),
    ...when(since33, opt('ShouldExist', 'shouldExist', ptr(bool))),
    opt('System', 'system', ptr(bool)),
    opt('UID', 'uid', ptr(int)),
  ]);

  const owner = (goName: string): GoType => def(goName, [opt('ID', 'id', ptr(int)), opt('Name', 'name', ptr(str))]);
  const node: FieldDef[] = [
    opt('Group', 'group', owner('types.NodeGroup')),
    opt('Overwrite', 'overwrite', ptr(bool)),
    req('Path', 'path', str),
    opt('User', 'user', owner('types.NodeUser')),
  ];
  const file = def('types.File', [
    ...node,
    opt('Append', 'append', slice(resource)),
    opt('Contents', 'contents', resource),
    opt('Mode', 'mode', ptr(int)),
  ]);
  const directory = def('types.Directory', [...node, opt('Mode', 'mode', ptr(int))]);
  // 3.1: `Target string json:"target"`.
  const link = def('types.Link', [
    ...node,
    opt('Hard', 'hard', ptr(bool)),
    since33 ? opt('Target', 'target', ptr(str)) : req('Target', 'target', str),
  ]);

  const partition = def('types.Partition', [
    opt('GUID', 'guid', ptr(str)),
    opt('Label', 'label', ptr(str)),
    opt('Number', 'number', int),
    ...when(since33, opt('Resize', 'resize', ptr(bool))),
    opt('ShouldExist', 'shouldExist', ptr(bool)),
    opt('SizeMiB', 'sizeMiB', ptr(int)),
    opt('StartMiB', 'startMiB', ptr(int)),
    opt('TypeGUID', 'typeGuid', ptr(str)),
    opt('WipePartitionEntry', 'wipePartitionEntry', ptr(bool)),
  ]);
  const disk = def('types.Disk', [
    req('Device', 'device', str),
    opt('Partitions', 'partitions', slice(partition)),
    opt('WipeTable', 'wipeTable', ptr(bool)),
  ]);
  const filesystem = def('types.Filesystem', [
    req('Device', 'device', str),
    opt('Format', 'format', ptr(str)),
    opt('Label', 'label', ptr(str)),
    opt('MountOptions', 'mountOptions', slice(strType('types.MountOption'))),
    opt('Options', 'options', slice(strType('types.FilesystemOption'))),
    opt('Path', 'path', ptr(str)),
    opt('UUID', 'uuid', ptr(str)),
    opt('WipeFilesystem', 'wipeFilesystem', ptr(bool)),
  ]);

  const tang = def('types.Tang', [
    ...when(since34, opt('Advertisement', 'advertisement', ptr(str))),
    opt('Thumbprint', 'thumbprint', ptr(str)),
    // `url,omitempty` on a plain string: an empty URL is left out.
    opt('URL', 'url', str),
  ]);
  const clevis = def('types.Clevis', [
    opt(
      'Custom',
      'custom',
      def('types.ClevisCustom', [
        opt('Config', 'config', ptr(str)),
        opt('NeedsNetwork', 'needsNetwork', ptr(bool)),
        opt('Pin', 'pin', ptr(str)),
      ]),
    ),
    opt('Tang', 'tang', slice(tang)),
    opt('Threshold', 'threshold', ptr(int)),
    opt('Tpm2', 'tpm2', ptr(bool)),
  ]);
  const luks = def('types.Luks', [
    ...when(since35, opt('Cex', 'cex', def('types.Cex', [opt('Enabled', 'enabled', ptr(bool))]))),
    opt('Clevis', 'clevis', clevis),
    opt('Device', 'device', ptr(str)),
    ...when(since34, opt('Discard', 'discard', ptr(bool))),
    opt('KeyFile', 'keyFile', resource),
    opt('Label', 'label', ptr(str)),
    req('Name', 'name', str),
    ...when(since34, opt('OpenOptions', 'openOptions', slice(strType('types.OpenOption')))),
    opt('Options', 'options', slice(strType('types.LuksOption'))),
    opt('UUID', 'uuid', ptr(str)),
    opt('WipeVolume', 'wipeVolume', ptr(bool)),
  ]);
  // 3.1: `Devices []Device json:"devices"`, `Level string json:"level"`.
  const raid = def('types.Raid', [
    field('Devices', 'devices', slice(strType('types.Device')), since33),
    since33 ? opt('Level', 'level', ptr(str)) : req('Level', 'level', str),
    req('Name', 'name', str),
    opt('Options', 'options', slice(strType('types.RaidOption'))),
    opt('Spares', 'spares', ptr(int)),
  ]);

  const storage = def('types.Storage', [
    opt('Directories', 'directories', slice(directory)),
    opt('Disks', 'disks', slice(disk)),
    opt('Files', 'files', slice(file)),
    opt('Filesystems', 'filesystems', slice(filesystem)),
    opt('Links', 'links', slice(link)),
    ...when(since33, opt('Luks', 'luks', slice(luks))),
    opt('Raid', 'raid', slice(raid)),
  ]);

  const dropin = def('types.Dropin', [opt('Contents', 'contents', ptr(str)), req('Name', 'name', str)]);
  const unit = def('types.Unit', [
    opt('Contents', 'contents', ptr(str)),
    opt('Dropins', 'dropins', slice(dropin)),
    opt('Enabled', 'enabled', ptr(bool)),
    opt('Mask', 'mask', ptr(bool)),
    req('Name', 'name', str),
  ]);

  return def('types.Config', [
    req('Ignition', 'ignition', ignition),
    ...when(since33, opt('KernelArguments', 'kernelArguments', kernelArguments)),
    opt('Passwd', 'passwd', def('types.Passwd', [opt('Groups', 'groups', slice(group)), opt('Users', 'users', slice(user))])),
    opt('Storage', 'storage', storage),
    opt('Systemd', 'systemd', def('types.Systemd', [opt('Units', 'units', slice(unit))])),
  ]);
}

const cache = new Map<IgnitionSpec, GoType>();

/** The Go type `types.Config` of Ignition spec `version` (one shared descriptor per version). */
export function ignitionType(version: IgnitionSpec): GoType {
  let t = cache.get(version);
  if (!t) {
    t = buildConfigType(version);
    cache.set(version, t);
  }
  return t;
}

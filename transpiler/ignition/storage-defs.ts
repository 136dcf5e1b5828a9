/** `types.Storage` of Ignition 2.2 / 2.3: files, directories, links, disks, filesystems, raid. */
import { bool, int, ptr, slice, str, struct, type FieldDef, type GoStruct, type GoType, type StructDef } from '../schema';
import { opt, verificationDef, type FieldMaker } from './defs-common';
import { diskPartitionsRule, partitionRuleV23, partitionSizeRuleV23, partitionStartRuleV23 } from './partitions';
import * as rules from './rules';
import type { IgnitionSpec } from './rules';

export function buildStorage(spec: IgnitionSpec, required: FieldMaker): StructDef {
  const v23 = spec === '2.3';
  const owner = (goName: string): GoType =>
    ptr(struct({ goName, fields: [opt('ID', 'id', ptr(int)), opt('Name', 'name', str)], validate: rules.nodeOwnerRule }));
  const nodeFields: FieldDef[] = [
    required('Filesystem', 'filesystem', str),
    opt('Group', 'group', owner('types.NodeGroup')),
    opt('Overwrite', 'overwrite', ptr(bool)),
    required('Path', 'path', str),
    opt('User', 'user', owner('types.NodeUser')),
  ];
  // `Node`'s hooks are promoted to File, Directory and Link.
  const nodeValidators = {
    Filesystem: rules.nodeFilesystemRule,
    Path: (n: GoStruct) => rules.pathRule(n.path as string),
  };
  const modeValidator = { Mode: (n: GoStruct) => rules.modeRule(n.mode as number | undefined) };

  const fileContents: StructDef = {
    goName: 'types.FileContents',
    fields: [opt('Compression', 'compression', str), opt('Source', 'source', str), opt('Verification', 'verification', struct(verificationDef))],
    fieldValidators: {
      Compression: (c) => rules.compressionRule(c.compression as string),
      Source: (c) => rules.fileSourceRule(c.source as string, spec),
    },
  };
  const file: StructDef = {
    goName: 'types.File',
    fields: [...nodeFields, opt('Append', 'append', bool), opt('Contents', 'contents', struct(fileContents)), opt('Mode', 'mode', ptr(int))],
    validate: rules.appendOverwriteRule,
    fieldValidators: { ...nodeValidators, ...modeValidator },
  };
  const directory: StructDef = {
    goName: 'types.Directory',
    fields: [...nodeFields, opt('Mode', 'mode', ptr(int))],
    fieldValidators: { ...nodeValidators, ...modeValidator },
  };
  const link: StructDef = {
    goName: 'types.Link',
    fields: [...nodeFields, opt('Hard', 'hard', bool), required('Target', 'target', str)],
    // Flatcar's Ignition 2.3 has no soft-link target check (docs/ct.md §5.7).
    fieldValidators: v23 ? nodeValidators : { ...nodeValidators, Target: rules.linkTargetRule },
  };

  const partition: StructDef = v23
    ? {
        goName: 'types.Partition',
        fields: [
          opt('GUID', 'guid', str),
          opt('Label', 'label', ptr(str)),
          opt('Number', 'number', int),
          opt('ShouldExist', 'shouldExist', ptr(bool)),
          opt('Size', 'size', ptr(int)),
          opt('SizeMiB', 'sizeMiB', ptr(int)),
          opt('Start', 'start', ptr(int)),
          opt('StartMiB', 'startMiB', ptr(int)),
          opt('TypeGUID', 'typeGuid', str),
          opt('WipePartitionEntry', 'wipePartitionEntry', bool),
        ],
        validate: partitionRuleV23,
        fieldValidators: {
          GUID: (p) => rules.guidRule(p.guid as string),
          Label: (p) => rules.partitionLabelRule(p.label as string | undefined),
          Size: partitionSizeRuleV23,
          Start: partitionStartRuleV23,
          TypeGUID: (p) => rules.guidRule(p.typeGuid as string),
        },
      }
    : {
        goName: 'types.Partition',
        fields: [
          opt('GUID', 'guid', str),
          opt('Label', 'label', str),
          opt('Number', 'number', int),
          opt('Size', 'size', int),
          opt('Start', 'start', int),
          opt('TypeGUID', 'typeGuid', str),
        ],
        fieldValidators: {
          GUID: (p) => rules.guidRule(p.guid as string),
          Label: (p) => rules.partitionLabelRule(p.label as string),
          TypeGUID: (p) => rules.guidRule(p.typeGuid as string),
        },
      };
  const disk: StructDef = {
    goName: 'types.Disk',
    fields: [required('Device', 'device', str), opt('Partitions', 'partitions', slice(struct(partition))), opt('WipeTable', 'wipeTable', bool)],
    fieldValidators: { Device: rules.diskDeviceRule, Partitions: (d) => diskPartitionsRule(d, spec) },
  };

  const mount: StructDef = {
    goName: 'types.Mount',
    fields: [
      opt('Create', 'create', ptr(struct({ goName: 'types.Create', fields: [opt('Force', 'force', bool), opt('Options', 'options', slice(str))] }))),
      required('Device', 'device', str),
      required('Format', 'format', str),
      opt('Label', 'label', ptr(str)),
      opt('Options', 'options', slice(str)),
      opt('UUID', 'uuid', ptr(str)),
      opt('WipeFilesystem', 'wipeFilesystem', bool),
    ],
    validate: rules.mountFormatRule,
    fieldValidators: { Device: (m) => rules.pathRule(m.device as string), Label: rules.mountLabelRule },
  };
  const filesystem: StructDef = {
    goName: 'types.Filesystem',
    fields: [opt('Mount', 'mount', ptr(struct(mount))), opt('Name', 'name', str), opt('Path', 'path', ptr(str))],
    validate: rules.filesystemRule,
    fieldValidators: { Path: (fs) => rules.filesystemPathRule(fs, spec) },
  };

  const raid: StructDef = {
    goName: 'types.Raid',
    fields: [
      required('Devices', 'devices', slice(str)),
      required('Level', 'level', str),
      required('Name', 'name', str),
      opt('Options', 'options', slice(str)),
      opt('Spares', 'spares', int),
    ],
    fieldValidators: { Devices: rules.raidDevicesRule, Level: rules.raidLevelRule },
  };

  return {
    goName: 'types.Storage',
    fields: [
      opt('Directories', 'directories', slice(struct(directory))),
      opt('Disks', 'disks', slice(struct(disk))),
      opt('Files', 'files', slice(struct(file))),
      opt('Filesystems', 'filesystems', slice(struct(filesystem))),
      opt('Links', 'links', slice(struct(link))),
      opt('Raid', 'raid', slice(struct(raid))),
    ],
  };
}

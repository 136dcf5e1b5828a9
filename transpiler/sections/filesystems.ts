/** CLC `storage.filesystems` (ct's `config/types/filesystems.go`). */
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { bool, field, ptr, slice, str, struct, type GoStruct, type StructDef } from '../schema';
import { appendTo, copySlice } from './common';
import type { SectionDescriptor } from '../section';

/** Deprecated mkfs options of a mount (use the mount-level fields instead). */
export interface FilesystemCreateConfig {
  /** Overwrite an existing filesystem. */
  readonly force?: boolean;
  /** Extra mkfs options. */
  readonly options?: readonly string[];
}

/** A block device to format and/or use. */
export interface FilesystemMountConfig {
  /** Absolute path of the block device. */
  readonly device: string;
  /** ext4, btrfs, xfs, swap or vfat. */
  readonly format: string;
  /** Deprecated: use wipe_filesystem, label, uuid and options. */
  readonly create?: FilesystemCreateConfig;
  /** Wipe the device before formatting. */
  readonly wipe_filesystem?: boolean;
  /** Filesystem label. */
  readonly label?: string;
  /** Filesystem UUID. */
  readonly uuid?: string;
  /** Extra mkfs options. */
  readonly options?: readonly string[];
}

/** A filesystem that files, directories and links can reference by name. */
export interface FilesystemConfig {
  /** Identifier used by the `filesystem` field of files, directories and links. */
  readonly name?: string;
  /** A device to format and mount; exclusive with `path`. */
  readonly mount?: FilesystemMountConfig;
  /** An already mounted path; exclusive with `mount`. */
  readonly path?: string;
}

const createDef: StructDef = {
  goName: 'types.Create',
  fields: [field('Force', 'force', bool), field('Options', 'options', slice(str))],
};

const mountDef: StructDef = {
  goName: 'types.Mount',
  fields: [
    field('Device', 'device', str),
    field('Format', 'format', str),
    field('Create', 'create', ptr(struct(createDef))),
    field('WipeFilesystem', 'wipe_filesystem', bool),
    field('Label', 'label', ptr(str)),
    field('UUID', 'uuid', ptr(str)),
    field('Options', 'options', slice(str)),
  ],
};

export const filesystemDef: StructDef = {
  goName: 'types.Filesystem',
  fields: [field('Name', 'name', str), field('Mount', 'mount', ptr(struct(mountDef))), field('Path', 'path', ptr(str))],
};

function convertMount(mount: GoStruct | undefined): GoStruct | undefined {
  if (!mount) return undefined;
  const create = mount.create as GoStruct | undefined;
  return {
    device: mount.device,
    format: mount.format,
    wipeFilesystem: mount.wipe_filesystem,
    label: mount.label,
    uuid: mount.uuid,
    options: copySlice(mount.options),
    create: create ? { force: create.force, options: copySlice(create.options) } : undefined,
  };
}

export const filesystemsTranslator: Translator = (config, _ast, out) => {
  for (const fs of (config.storage as GoStruct).filesystems ?? []) {
    appendTo(out.storage, 'filesystems', { name: fs.name, path: fs.path, mount: convertMount(fs.mount) });
  }
  return new Report();
};

/** The filesystems section (ct's `config/types/filesystems.go`). */
export const filesystemsSection: SectionDescriptor = {
  source: 'config/types/filesystems.go',
  translate: filesystemsTranslator,
};

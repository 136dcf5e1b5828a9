/** CLC `storage` (ct's `config/types/storage.go`): the container of the storage sections. */
import type { Dialect } from '../convert';
import { field, slice, struct, type StructDef } from '../schema';
import { diskDef, type DiskConfig } from './disks';
import { directoryDef, fileDef, linkDef, type DirectoryConfig, type FileConfig, type LinkConfig } from './files';
import { filesystemDef, type FilesystemConfig } from './filesystems';
import { raidDef, type RaidConfig } from './raid';
import type { SectionDescriptor } from '../section';

/** The `storage` section: disks, arrays, filesystems and what goes on them. */
export interface StorageConfig {
  /** Partition tables. */
  readonly disks?: readonly DiskConfig[];
  /** Software RAID arrays. */
  readonly raid?: readonly RaidConfig[];
  /** Filesystems to create or reference. */
  readonly filesystems?: readonly FilesystemConfig[];
  /** Files to write. */
  readonly files?: readonly FileConfig[];
  /** Directories to create. */
  readonly directories?: readonly DirectoryConfig[];
  /** Links to create. */
  readonly links?: readonly LinkConfig[];
}

/** Field order is ct's, which fixes the order of Parse-phase diagnostics (docs/ct.md §10.6). */
export function storageDef(dialect: Dialect): StructDef {
  return {
    goName: 'types.Storage',
    fields: [
      field('Disks', 'disks', slice(struct(diskDef(dialect)))),
      field('Arrays', 'raid', slice(struct(raidDef))),
      field('Filesystems', 'filesystems', slice(struct(filesystemDef))),
      field('Files', 'files', slice(struct(fileDef(dialect)))),
      field('Directories', 'directories', slice(struct(directoryDef))),
      field('Links', 'links', slice(struct(linkDef))),
    ],
  };
}

/** The section's part of `ContainerLinuxConfig`. */
export interface StorageSectionConfig {
  /** Disks, arrays, filesystems, files, directories and links. */
  readonly storage?: StorageConfig;
}

/** The storage section (ct's `config/types/storage.go`). */
export const storageSection: SectionDescriptor<StorageSectionConfig> = {
  source: 'config/types/storage.go',
  configField: { key: 'storage', index: 2, def: (dialect) => field('Storage', 'storage', struct(storageDef(dialect))) },
};

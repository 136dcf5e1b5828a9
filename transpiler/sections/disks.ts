/** CLC `storage.disks` (ct's `config/types/disks.go`): partition tables. */
import type { Dialect, Translator } from '../convert';
import { Report } from '../diagnostics';
import { bool, field, int, ptr, slice, str, struct, type GoStruct, type StructDef } from '../schema';
import { quoteGo } from '../go/quote';
import { parseBase2Bytes } from '../go/units';
import { appendTo, errorMessage, reportAt } from './common';
import type { SectionDescriptor } from '../section';

/** A GPT partition. */
export interface PartitionConfig {
  /** GPT partition label (at most 36 characters). */
  readonly label?: string;
  /** Partition number; 0 means the next free slot. */
  readonly number?: number | bigint;
  /** Size with a base-2 unit (`100MiB`, `1GiB`; `MB` also means MiB); 0 fills the disk. */
  readonly size?: string;
  /** Start offset with a unit; 0 means the earliest free space. */
  readonly start?: string;
  /** Unique partition GUID. */
  readonly guid?: string;
  /** Type GUID, or one of `raid_containing_root`, `linux_filesystem_data`, `swap_partition`, `raid_partition`. */
  readonly type_guid?: string;
}

/** A disk whose partition table Ignition sets up. */
export interface DiskConfig {
  /** Absolute path of the disk device. */
  readonly device: string;
  /** Wipe the partition table first. */
  readonly wipe_table?: boolean;
  /** Partitions to create. */
  readonly partitions?: readonly PartitionConfig[];
}

const TYPE_GUID_ALIASES: Readonly<Record<string, string>> = {
  raid_containing_root: 'be9067b9-ea49-4f15-b4f6-f36f8c9e1818',
  linux_filesystem_data: '0fc63daf-8483-4772-8e79-3d69d8477de4',
  swap_partition: '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f',
  raid_partition: 'a19d880f-05fc-4d3b-a006-743f0f84911e',
};

const BYTES_PER_SECTOR = 512;
const MEBIBYTE = 1024 * 1024;

function partitionDef(dialect: Dialect): StructDef {
  return {
    goName: 'types.Partition',
    fields: [
      // Flatcar's label is a pointer, so `label: ""` is kept (docs/ct.md §5.2)
      field('Label', 'label', dialect === 'flatcar' ? ptr(str) : str),
      field('Number', 'number', int),
      field('Size', 'size', str),
      field('Start', 'start', str),
      field('GUID', 'guid', str),
      field('TypeGUID', 'type_guid', str),
    ],
  };
}

export function diskDef(dialect: Dialect): StructDef {
  return {
    goName: 'types.Disk',
    fields: [
      field('Device', 'device', str),
      field('WipeTable', 'wipe_table', bool),
      field('Partitions', 'partitions', slice(struct(partitionDef(dialect)))),
    ],
  };
}

/** Bytes of a size string; throws Go's error text. */
function parseDimension(text: string): number {
  const parsed = parseBase2Bytes(text);
  if (parsed.error !== undefined) throw new Error(parsed.error);
  if (parsed.bytes < 0) throw new Error(`invalid dimension (negative): ${quoteGo(text)}`);
  return parsed.bytes;
}

/** Upstream: 512-byte sectors, rounded up; '' and 0 are omitted by the marshaller. */
function toSectors(text: string): number {
  return text === '' ? 0 : Math.ceil(parseDimension(text) / BYTES_PER_SECTOR);
}

/** Flatcar: whole MiB, emitted whenever the key was given (docs/ct.md §5.2). */
function toMiB(text: string): number | undefined {
  if (text === '') return undefined;
  const bytes = parseDimension(text);
  if (bytes % MEBIBYTE !== 0) throw new Error('invalid dimension (finest granularity is 1MiB)');
  return bytes / MEBIBYTE;
}

function convertPartition(part: GoStruct, dialect: Dialect, key: 'size' | 'start'): GoStruct {
  const text = part[key] as string;
  return dialect === 'flatcar' ? { [`${key}MiB`]: toMiB(text) } : { [key]: toSectors(text) };
}

export const disksTranslator: Translator = (config, ast, out, ctx) => {
  const report = new Report();
  ((config.storage as GoStruct).disks ?? []).forEach((disk: GoStruct, d: number) => {
    const newDisk: GoStruct = { device: disk.device, wipeTable: disk.wipe_table, partitions: null };
    ((disk.partitions as GoStruct[] | null) ?? []).forEach((part, p) => {
      const dims: GoStruct = {};
      for (const key of ['size', 'start'] as const) {
        try {
          Object.assign(dims, convertPartition(part, ctx.dialect, key));
        } catch (err) {
          // a bad dimension drops the partition; the error is positioned at the value
          report.merge(reportAt('error', errorMessage(err), ast?.child('storage', 'disks', d, 'partitions', p, key)));
          return;
        }
      }
      appendTo(newDisk, 'partitions', {
        label: part.label,
        number: part.number,
        ...dims,
        guid: part.guid,
        typeGuid: Object.hasOwn(TYPE_GUID_ALIASES, part.type_guid) ? TYPE_GUID_ALIASES[part.type_guid] : part.type_guid,
      });
    });
    appendTo(out.storage, 'disks', newDisk);
  });
  return report;
};

/** The disks section (ct's `config/types/disks.go`). */
export const disksSection: SectionDescriptor = {
  source: 'config/types/disks.go',
  translate: disksTranslator,
};

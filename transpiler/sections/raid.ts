/** CLC `storage.raid` (ct's `config/types/raid.go`): md arrays, copied one to one. */
import { Report } from '../diagnostics';
import type { Translator } from '../convert';
import { field, int, slice, str, type GoStruct, type StructDef } from '../schema';
import { appendTo, copySlice } from './common';
import type { SectionDescriptor } from '../section';

/** A software RAID (md) array. */
export interface RaidConfig {
  /** Name of the md device (`/dev/md/<name>`). */
  readonly name: string;
  /** RAID level: linear, raid0, raid1, raid4, raid5, raid6 or raid10 (and aliases). */
  readonly level: string;
  /** Member devices, by absolute path. */
  readonly devices?: readonly string[];
  /** Number of spares; not allowed for linear/raid0. */
  readonly spares?: number | bigint;
  /** Extra `mdadm --create` options. */
  readonly options?: readonly string[];
}

export const raidDef: StructDef = {
  goName: 'types.Raid',
  fields: [
    field('Name', 'name', str),
    field('Level', 'level', str),
    field('Devices', 'devices', slice(str)),
    field('Spares', 'spares', int),
    field('Options', 'options', slice(str)),
  ],
};

export const raidTranslator: Translator = (config, _ast, out) => {
  for (const array of (config.storage as GoStruct).raid ?? []) {
    // an empty device list becomes a nil slice, which Ignition 2.3 prints as null (docs/ct.md §3.1)
    appendTo(out.storage, 'raid', {
      name: array.name,
      level: array.level,
      spares: array.spares,
      devices: copySlice(array.devices),
      options: copySlice(array.options),
    });
  }
  return new Report();
};

/** The raid section (ct's `config/types/raid.go`). */
export const raidSection: SectionDescriptor = {
  source: 'config/types/raid.go',
  translate: raidTranslator,
};

/**
 * fcos `boot_device` sugar: butane config/fcos/v1_4, v1_5 and v1_6 translate.go `processBootDevice`,
 * followed by the reserved-partition-label check their `ToIgn3_xUnvalidated` runs on the merged
 * config (docs/butane.md §5.7). The generated disks, RAIDs, LUKS volume and filesystems are the merge
 * *parent* of the user's translated config.
 */
import type { GoStruct } from '../schema';
import { ignitionType, type IgnitionVersion } from '../ignition-v3/types';
import type { ButaneEntry } from './entry';
import { mergeTranslatedConfigs } from './merge-translated';
import { emptyConfig, goShaped, ignitionTypeAt, type TranslatedConfig } from './mount-units';
import type { Path } from './path';
import { TranslationSet } from './translation-set';

const RESERVED_TYPE_GUID = '8DA63339-0007-60C0-C436-083AC8230908';
const BIOS_TYPE_GUID = '21686148-6449-6E6F-744E-656564454649';
const PREP_TYPE_GUID = '9E1A2D38-C612-4316-AA26-8B49521E5A8B';
const ESP_TYPE_GUID = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

// Sizes of the version-1 layout that mirrors the FCOS image; Butane never changes them.
const RESERVED_V1_SIZE_MIB = 1;
const BIOS_V1_SIZE_MIB = 1;
const PREP_V1_SIZE_MIB = 4;
const ESP_V1_SIZE_MIB = 127;
const BOOT_V1_SIZE_MIB = 384;

export const ERR_WRONG_PARTITION_NUMBER = 'incorrect partition number; a new partition will be created using reserved label';

export interface BootDeviceResult extends TranslatedConfig {
  /**
   * Report entries with **Ignition (JSON) paths**, as Go's `r.AddOnWarn(path.New("json", …))`; the caller
   * maps them back to YAML through `ts` (Go's `TranslateReportPaths`).
   */
  readonly jsonEntries: readonly ButaneEntry[];
}

interface Layout {
  readonly bios: boolean;
  readonly efi: boolean;
  readonly prep: boolean;
}

function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The partitions a layout implies; Go panics on a layout that validation should have rejected. */
function layoutFor(layout: unknown, version: IgnitionVersion): Layout {
  if (!isSet(layout) || layout === 'x86_64') return { bios: true, efi: true, prep: false };
  if (layout === 'aarch64') return { bios: false, efi: true, prep: false };
  if (layout === 'ppc64le') return { bios: false, efi: false, prep: true };
  // fcos 1.6 (base v0_6) also knows the s390x layouts, which only use reserved partitions.
  if (version === '3.5.0' && (layout === 's390x-eckd' || layout === 's390x-virt' || layout === 's390x-zfcp')) {
    return { bios: false, efi: false, prep: false };
  }
  throw new Error(`unknown boot_device layout ${String(layout)}; source validation should have rejected it`);
}

function partition(label: string, sizeMiB?: number, typeGuid?: string): GoStruct {
  return { label, sizeMiB, typeGuid };
}

function mirrorDisk(device: string, labelIndex: number, layout: Layout): GoStruct {
  const partitions: GoStruct[] = [];
  if (layout.bios) partitions.push(partition(`bios-${labelIndex}`, BIOS_V1_SIZE_MIB, BIOS_TYPE_GUID));
  else if (layout.prep) partitions.push(partition(`prep-${labelIndex}`, PREP_V1_SIZE_MIB, PREP_TYPE_GUID));
  else partitions.push(partition(`reserved-${labelIndex}`, RESERVED_V1_SIZE_MIB, RESERVED_TYPE_GUID));
  if (layout.efi) partitions.push(partition(`esp-${labelIndex}`, ESP_V1_SIZE_MIB, ESP_TYPE_GUID));
  else partitions.push(partition(`reserved-${labelIndex}`, RESERVED_V1_SIZE_MIB, RESERVED_TYPE_GUID));
  partitions.push(partition(`boot-${labelIndex}`, BOOT_V1_SIZE_MIB), partition(`root-${labelIndex}`));
  return { device, partitions, wipeTable: true };
}

/**
 * What butane's generic translator records for `translateBootDeviceLuks` (tang, threshold, tpm2 copied
 * field by field; a slice records itself, a struct does not), rooted at `yaml`/`json`.
 */
function clevisTranslations(luks: GoStruct): TranslationSet {
  const ts = new TranslationSet('yaml', 'json');
  if (Array.isArray(luks.tang)) {
    (luks.tang as GoStruct[]).forEach((tang, j) => {
      ts.addTranslation(['tang', j, 'url'], ['tang', j, 'url']);
      for (const key of ['thumbprint', 'advertisement']) {
        if (isSet(tang[key])) ts.addTranslation(['tang', j, key], ['tang', j, key]);
      }
    });
    ts.addTranslation(['tang'], ['tang']);
  }
  for (const key of ['threshold', 'tpm2']) {
    if (isSet(luks[key])) ts.addTranslation([key], [key]);
  }
  ts.addTranslation([], []);
  return ts;
}

/** fcos 1.6 `translateBootDeviceLuksCex`: note Go roots `enabled` at the luks section, not at `cex`. */
function cexTranslations(luks: GoStruct): TranslationSet {
  const ts = new TranslationSet('yaml', 'json');
  if (isSet(luks.cex?.enabled)) ts.addTranslation(['enabled'], ['enabled']);
  ts.addTranslation([], []);
  return ts;
}

function clevisFrom(luks: GoStruct): GoStruct {
  const tang = Array.isArray(luks.tang)
    ? (luks.tang as GoStruct[]).map((t) => ({ advertisement: t.advertisement, thumbprint: t.thumbprint, url: t.url ?? '' }))
    : undefined;
  return { tang, threshold: luks.threshold, tpm2: luks.tpm2 };
}

/** The `storage.luks` entry for the root volume, and its translations. */
function rootLuks(
  luks: GoStruct,
  layout: unknown,
  wantMirror: boolean,
  version: IgnitionVersion,
): { entry: GoStruct; ts: TranslationSet } {
  let device = '/dev/disk/by-partlabel/root';
  if (version === '3.5.0' && layout === 's390x-eckd') device = String(luks.device ?? '') + '2';
  else if (version === '3.5.0' && layout === 's390x-zfcp') device = String(luks.device ?? '') + '4';
  else if (wantMirror) device = '/dev/md/md-root';
  const useCex = version === '3.5.0' && luks.cex?.enabled === true;
  const lpath: Path = ['boot_device', 'luks'];
  const rpath: Path = ['storage', 'luks', 0];
  const ts = new TranslationSet('yaml', 'json');
  const common = { device, label: 'luks-root', name: 'root', wipeVolume: true };
  // `discard` exists from fcos 1.5 (Ignition 3.4) on.
  const discard = version === '3.3.0' ? undefined : luks.discard;
  let entry: GoStruct;
  if (useCex) {
    entry = { cex: { enabled: luks.cex.enabled }, discard, ...common };
    ts.merge(cexTranslations(luks).prefixPaths(lpath, [...rpath, 'cex']));
  } else {
    entry = { clevis: clevisFrom(luks), discard, ...common };
    ts.merge(clevisTranslations(luks).prefixPaths(lpath, [...rpath, 'clevis']));
  }
  if (version !== '3.3.0') ts.addTranslation([...lpath, 'discard'], [...rpath, 'discard']);
  for (const f of ['device', 'label', 'name', 'wipeVolume']) ts.addTranslation(lpath, [...rpath, f]);
  ts.addTranslation(lpath, rpath);
  ts.addTranslation(lpath, ['storage', 'luks']);
  return { entry, ts };
}

/**
 * `processBootDevice`: renders `boot_device` (YAML-keyed `yamlConfig.boot_device`) into disks, RAIDs,
 * LUKS and filesystems and merges them, as parent, with the translated `config`/`ts`. Nothing happens
 * unless LUKS (tpm2, tang, or fcos 1.6 cex) or mirroring is asked for. Returns the reserved-label
 * warnings found on the merged config as `jsonEntries`.
 */
export function processBootDevice(
  yamlConfig: GoStruct,
  config: GoStruct,
  ts: TranslationSet,
  version: IgnitionVersion,
): BootDeviceResult {
  const merged = renderBootDevice(yamlConfig, config, ts, version);
  return { ...merged, jsonEntries: checkReservedPartitionLabels(merged.config) };
}

function renderBootDevice(yamlConfig: GoStruct, config: GoStruct, ts: TranslationSet, version: IgnitionVersion): TranslatedConfig {
  const bootDevice: GoStruct = yamlConfig.boot_device ?? {};
  const luks: GoStruct = bootDevice.luks ?? {};
  const devices = asList(bootDevice.mirror?.devices);
  const wantLuks =
    luks.tpm2 === true || asList(luks.tang).length > 0 || (version === '3.5.0' && luks.cex?.enabled === true);
  const wantMirror = devices.length > 0;
  if (!wantLuks && !wantMirror) return { config, ts };

  const layout = layoutFor(bootDevice.layout, version);
  const disks: GoStruct[] = [];
  const filesystems: GoStruct[] = [];
  const rendered = emptyConfig(version);
  const renderedTs = new TranslationSet('yaml', 'json');
  const add = (from: Path, kind: 'disks' | 'filesystems', list: GoStruct[], partial: GoStruct): void => {
    const value = goShaped(version, ['storage', kind, 0], partial);
    renderedTs.addFromCommonSource(from, ['storage', kind, list.length], value, ignitionTypeAt(version, ['storage', kind, 0]));
    list.push(value);
  };

  if (wantMirror) {
    devices.forEach((device, i) => {
      const labelIndex = disks.length + 1;
      const from: Path = ['boot_device', 'mirror', 'devices', i];
      add(from, 'disks', disks, mirrorDisk(String(device), labelIndex, layout));
      if (layout.efi) {
        add(from, 'filesystems', filesystems, {
          device: `/dev/disk/by-partlabel/esp-${labelIndex}`,
          format: 'vfat',
          label: `esp-${labelIndex}`,
          wipeFilesystem: true,
        });
      }
    });
    renderedTs.addTranslation(['boot_device', 'mirror', 'devices'], ['storage', 'disks']);

    const raidDevices = (prefix: string): string[] => disks.map((_, i) => `/dev/disk/by-partlabel/${prefix}-${i + 1}`);
    const raid = [
      // The superblock goes at the end of the partition so BIOS GRUB can read /boot without RAID support.
      { devices: raidDevices('boot'), level: 'raid1', name: 'md-boot', options: ['--metadata=1.0'] },
      { devices: raidDevices('root'), level: 'raid1', name: 'md-root' },
    ].map((r) => goShaped(version, ['storage', 'raid', 0], r));
    rendered.storage.raid = raid;
    renderedTs.addFromCommonSource(['boot_device', 'mirror'], ['storage', 'raid'], raid, ignitionTypeAt(version, ['storage', 'raid']));

    add(['boot_device', 'mirror'], 'filesystems', filesystems, {
      device: '/dev/md/md-boot',
      format: 'ext4',
      label: 'boot',
      wipeFilesystem: true,
    });
  }

  if (wantLuks) {
    const root = rootLuks(luks, bootDevice.layout, wantMirror, version);
    rendered.storage.luks = [goShaped(version, ['storage', 'luks', 0], root.entry)];
    renderedTs.merge(root.ts);
  }

  add(['boot_device'], 'filesystems', filesystems, {
    device: wantLuks ? '/dev/mapper/root' : '/dev/md/md-root',
    format: 'xfs',
    label: 'root',
    wipeFilesystem: true,
  });
  renderedTs.addTranslation(['boot_device'], ['storage', 'filesystems']);
  if (disks.length > 0) rendered.storage.disks = disks;
  rendered.storage.filesystems = filesystems;

  renderedTs.addTranslation(['boot_device'], ['storage']);
  return mergeTranslatedConfigs(rendered, renderedTs, config, ts, ignitionType(version));
}

/** Partition labels the FCOS image uses, and the partition number each must keep. */
const RESERVED_LABEL_NUMBERS: Readonly<Record<string, number>> = {
  'BIOS-BOOT': 1,
  'PowerPC-PReP-boot': 1,
  'EFI-SYSTEM': 2,
  boot: 3,
  root: 4,
};

/**
 * The reserved-label check of fcos `ToIgn3_xUnvalidated`, on the merged Ignition config: on disks
 * without `wipeTable: true`, a partition that carries an image label under another number warns,
 * at `storage.disks.<i>.partitions.<j>.label` (JSON path).
 */
export function checkReservedPartitionLabels(config: GoStruct): ButaneEntry[] {
  const entries: ButaneEntry[] = [];
  asList(config.storage?.disks).forEach((disk, i) => {
    const d = disk as GoStruct;
    if (d.wipeTable === true) return;
    asList(d.partitions).forEach((part, j) => {
      const p = part as GoStruct;
      if (!isSet(p.label)) return;
      const want = Object.prototype.hasOwnProperty.call(RESERVED_LABEL_NUMBERS, p.label) ? RESERVED_LABEL_NUMBERS[p.label] : undefined;
      if (want !== undefined && Number(p.number ?? 0) !== want) {
        entries.push({ kind: 'warning', message: ERR_WRONG_PARTITION_NUMBER, path: ['storage', 'disks', i, 'partitions', j, 'label'] });
      }
    });
  });
  return entries;
}

/**
 * An etcd member's data disk: a persistent disk of its own, attached to the member's VM by device
 * name, formatted by Ignition only while blank and mounted at etcd's data dir before etcd starts.
 * A replaced VM gets the disk back, and with it the member's data and membership (docs/etcd.md §3).
 */
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { ContainerLinuxConfig } from '../transpiler';
import type { CoreOSInstance } from './coreos-instance';
import { ComputeDisk } from './google';

/** The disk's device name on the VM: it appears as `/dev/disk/by-id/google-etcd-data`. */
export const ETCD_DATA_DEVICE_NAME = 'etcd-data';
export const ETCD_DATA_DEVICE = `/dev/disk/by-id/google-${ETCD_DATA_DEVICE_NAME}`;
/** The filesystem's label: Ignition keeps an existing ext4 filesystem only when its label matches. */
export const ETCD_DATA_LABEL = 'etcd-data';
/** etcd-member.service's data dir (`ETCD_DATA_DIR`), which etcd-wrapper mounts into etcd's container. */
export const ETCD_DATA_DIR = '/var/lib/etcd';
export const ETCD_DATA_MOUNT_UNIT = 'var-lib-etcd.mount';
export const ETCD_DATA_DROPIN = '30-etcd-data-disk.conf';
export const DEFAULT_DATA_DISK_SIZE_GB = 10;
export const DEFAULT_DATA_DISK_TYPE = 'pd-ssd';

/** The disk as EtcdClusterProps describe it (dataDiskSizeGb, dataDiskType, protectDataDisks, labels). */
export interface DataDiskSpec {
  readonly sizeGb?: number;
  readonly type?: string;
  readonly protect?: boolean;
  readonly labels?: { readonly [key: string]: string };
}

/** What is wrong with the data disk props. */
export function dataDiskProblems(options: DataDiskSpec): string[] {
  const size = options.sizeGb;
  if (size === undefined || Token.isUnresolved(size) || (Number.isInteger(size) && size >= DEFAULT_DATA_DISK_SIZE_GB)) return [];
  return [`dataDiskSizeGb must be a whole number of GB, at least ${DEFAULT_DATA_DISK_SIZE_GB} (the smallest persistent disk) (got ${size})`];
}

/**
 * Makes `<member>-data` in the member's zone and attaches it to the member's VM. The disk is not
 * the VM's: deleting or replacing the VM leaves it, and the next VM gets it back.
 */
export function addDataDisk(scope: Construct, id: string, member: { name: string; zone: string; instance: CoreOSInstance }, options: DataDiskSpec): ComputeDisk {
  const disk = new ComputeDisk(scope, id, {
    name: `${member.name}-data`,
    zone: member.zone,
    size: options.sizeGb ?? DEFAULT_DATA_DISK_SIZE_GB,
    type: options.type ?? DEFAULT_DATA_DISK_TYPE,
    labels: options.labels,
    // A destroy or an accidental rename would take every member's data at once.
    lifecycle: (options.protect ?? true) ? { preventDestroy: true } : undefined,
  });
  member.instance.instance.putAttachedDisk([{ source: disk.selfLink, deviceName: ETCD_DATA_DEVICE_NAME }]);
  return disk;
}

/**
 * The member's side, as Container Linux Config: the filesystem (made only on a blank disk: a
 * matching ext4 is kept, anything else stops Ignition rather than wiping it), a mount unit for the
 * data dir, and a drop-in that makes etcd-member.service require it, so that etcd never starts
 * on the boot disk with an empty data dir.
 */
export function dataDiskSnippet(): ContainerLinuxConfig {
  return {
    storage: {
      filesystems: [{ name: ETCD_DATA_LABEL, mount: { device: ETCD_DATA_DEVICE, format: 'ext4', wipe_filesystem: false, label: ETCD_DATA_LABEL } }],
    },
    systemd: {
      units: [
        {
          name: ETCD_DATA_MOUNT_UNIT,
          contents: `[Unit]\nDescription=etcd data disk\n\n[Mount]\nWhat=${ETCD_DATA_DEVICE}\nWhere=${ETCD_DATA_DIR}\nType=ext4\n`,
        },
        { name: 'etcd-member.service', dropins: [{ name: ETCD_DATA_DROPIN, contents: `[Unit]\nRequires=${ETCD_DATA_MOUNT_UNIT}\nAfter=${ETCD_DATA_MOUNT_UNIT}\n` }] },
      ],
    },
  };
}

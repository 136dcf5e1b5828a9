/**
 * Typed Container Linux Configs: the same shape as the YAML (snake_case keys), for configs
 * written in TypeScript and passed to `transpile` as objects.
 */
import type { DockerConfig } from './docker';
import type { EtcdConfig } from './etcd';
import type { FlannelConfig } from './flannel';
import type { IgnitionConfig } from './ignition';
import type { LocksmithConfig } from './locksmith';
import type { NetworkdConfig } from './networkd';
import type { PasswdConfig } from './passwd';
import type { StorageConfig } from './storage';
import type { SystemdConfig } from './systemd';
import type { UpdateConfig } from './update';

export type { HashConfig, VerificationConfig } from './common';
export type { DiskConfig, PartitionConfig } from './disks';
export type { DockerConfig } from './docker';
export type { EtcdConfig } from './etcd';
export type { DirectoryConfig, FileConfig, FileContentsConfig, LinkConfig, NodeConfig, NodeOwnerConfig } from './files';
export type { FlannelConfig } from './flannel';
export type { FilesystemConfig, FilesystemCreateConfig, FilesystemMountConfig } from './filesystems';
export type { ConfigReferenceConfig, IgnitionConfig } from './ignition';
export type { LocksmithConfig } from './locksmith';
export type { NetworkdConfig, NetworkdDropinConfig, NetworkdUnitConfig } from './networkd';
export type { GroupConfig, PasswdConfig, UserConfig, UserCreateConfig } from './passwd';
export type { RaidConfig } from './raid';
export type { CaReferenceConfig, SecurityConfig } from './security';
export type { StorageConfig } from './storage';
export type { SystemdConfig, SystemdDropinConfig, SystemdUnitConfig } from './systemd';
export type { UpdateConfig } from './update';

/** A Container Linux Config, as ct reads it. */
export interface ContainerLinuxConfig {
  /** How Ignition itself behaves: remote configs, timeouts, TLS. */
  readonly ignition?: IgnitionConfig;
  /** Disks, arrays, filesystems, files, directories and links. */
  readonly storage?: StorageConfig;
  /** systemd units. */
  readonly systemd?: SystemdConfig;
  /** systemd-networkd units. */
  readonly networkd?: NetworkdConfig;
  /** Users and groups. */
  readonly passwd?: PasswdConfig;
  /** etcd-member.service options; `{}` still adds the unit. */
  readonly etcd?: EtcdConfig;
  /** flanneld.service options; `{}` still adds the unit. */
  readonly flannel?: FlannelConfig;
  /** Update channel and server (`/etc/coreos/update.conf`). */
  readonly update?: UpdateConfig;
  /** docker.service daemon flags; `{}` still adds the unit. */
  readonly docker?: DockerConfig;
  /** Reboot coordination (`/etc/coreos/update.conf`). */
  readonly locksmith?: LocksmithConfig;
  /** Flatcar only: must be 0 when given. */
  readonly version?: number | bigint;
}

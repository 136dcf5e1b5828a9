/**
 * Typed Container Linux Configs: the same shape as the YAML (snake_case keys), for configs
 * written in TypeScript and passed to `transpile` as objects.
 */
import type { SectionsConfig } from '../translators';

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

/**
 * A Container Linux Config, as ct reads it: every section's documented top-level key, assembled
 * from the section list in `translators.ts` (each section file declares its own part).
 */
// An interface (not an alias) so messages and declarations name it instead of spelling the intersection.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ContainerLinuxConfig extends SectionsConfig {}

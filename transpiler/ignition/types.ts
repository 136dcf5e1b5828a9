/**
 * TypeScript shapes of the Go-shaped Ignition values (schema.ts representation: every field
 * present, `undefined` = nil pointer, `null` = nil slice). Keys follow the Go struct order.
 */

export interface IgnitionVerification {
  /** `<function>-<sum>`. */
  hash: string | undefined;
}

export interface IgnitionConfigReference {
  source: string;
  verification: IgnitionVerification;
}

export type IgnitionCaReference = IgnitionConfigReference;

export interface IgnitionSection {
  config: { append: IgnitionConfigReference[] | null; replace: IgnitionConfigReference | undefined };
  security: { tls: { certificateAuthorities: IgnitionCaReference[] | null } };
  timeouts: { httpResponseHeaders: number | undefined; httpTotal: number | undefined };
  version: string;
}

export interface IgnitionUnitDropin {
  contents: string;
  name: string;
}

export interface IgnitionNetworkdUnit {
  contents: string;
  dropins: IgnitionUnitDropin[] | null;
  name: string;
}

export interface IgnitionSystemdUnit {
  contents: string;
  dropins: IgnitionUnitDropin[] | null;
  enable: boolean;
  enabled: boolean | undefined;
  mask: boolean;
  name: string;
}

export interface IgnitionUserCreate {
  gecos: string;
  groups: string[] | null;
  homeDir: string;
  noCreateHome: boolean;
  noLogInit: boolean;
  noUserGroup: boolean;
  primaryGroup: string;
  shell: string;
  system: boolean;
  uid: number | undefined;
}

export interface IgnitionUser {
  create: IgnitionUserCreate | undefined;
  gecos: string;
  groups: string[] | null;
  homeDir: string;
  name: string;
  noCreateHome: boolean;
  noLogInit: boolean;
  noUserGroup: boolean;
  passwordHash: string | undefined;
  primaryGroup: string;
  sshAuthorizedKeys: string[] | null;
  shell: string;
  system: boolean;
  uid: number | undefined;
}

export interface IgnitionGroup {
  gid: number | undefined;
  name: string;
  passwordHash: string;
  system: boolean;
}

/** `user`/`group` of a file, directory or link. */
export interface IgnitionNodeOwner {
  id: number | undefined;
  name: string;
}

/** Ignition's `Node`, the common head of files, directories and links. */
export interface IgnitionNode {
  filesystem: string;
  group: IgnitionNodeOwner | undefined;
  overwrite: boolean | undefined;
  path: string;
  user: IgnitionNodeOwner | undefined;
}

export interface IgnitionFileContents {
  compression: string;
  source: string;
  verification: IgnitionVerification;
}

export interface IgnitionFile extends IgnitionNode {
  append: boolean;
  contents: IgnitionFileContents;
  mode: number | undefined;
}

export interface IgnitionDirectory extends IgnitionNode {
  mode: number | undefined;
}

export interface IgnitionLink extends IgnitionNode {
  hard: boolean;
  target: string;
}

/** Ignition 2.2.0 partition: size and start in 512-byte sectors. */
export interface IgnitionPartitionV22 {
  guid: string;
  label: string;
  number: number;
  size: number;
  start: number;
  typeGuid: string;
}

/** Ignition 2.3.0 partition (Flatcar): ct only sets guid, label, number, sizeMiB, startMiB, typeGuid. */
export interface IgnitionPartitionV23 {
  guid: string;
  label: string | undefined;
  number: number;
  shouldExist: boolean | undefined;
  size: number | undefined;
  sizeMiB: number | undefined;
  start: number | undefined;
  startMiB: number | undefined;
  typeGuid: string;
  wipePartitionEntry: boolean;
}

export type IgnitionPartition = IgnitionPartitionV22 | IgnitionPartitionV23;

export interface IgnitionDisk<P extends IgnitionPartition = IgnitionPartition> {
  device: string;
  partitions: P[] | null;
  wipeTable: boolean;
}

export interface IgnitionMount {
  create: { force: boolean; options: string[] | null } | undefined;
  device: string;
  format: string;
  label: string | undefined;
  options: string[] | null;
  uuid: string | undefined;
  wipeFilesystem: boolean;
}

export interface IgnitionFilesystem {
  mount: IgnitionMount | undefined;
  name: string;
  path: string | undefined;
}

export interface IgnitionRaid {
  devices: string[] | null;
  level: string;
  name: string;
  options: string[] | null;
  spares: number;
}

export interface IgnitionStorage<P extends IgnitionPartition = IgnitionPartition> {
  directories: IgnitionDirectory[] | null;
  disks: IgnitionDisk<P>[] | null;
  files: IgnitionFile[] | null;
  filesystems: IgnitionFilesystem[] | null;
  links: IgnitionLink[] | null;
  raid: IgnitionRaid[] | null;
}

export interface IgnitionConfig<P extends IgnitionPartition = IgnitionPartition> {
  ignition: IgnitionSection;
  networkd: { units: IgnitionNetworkdUnit[] | null };
  passwd: { groups: IgnitionGroup[] | null; users: IgnitionUser[] | null };
  storage: IgnitionStorage<P>;
  systemd: { units: IgnitionSystemdUnit[] | null };
}

export type IgnitionConfigV22 = IgnitionConfig<IgnitionPartitionV22>;
export type IgnitionConfigV23 = IgnitionConfig<IgnitionPartitionV23>;

/**
 * A Butane config written as a typed object rather than YAML: the same keys (snake_case) and the
 * same shapes as Butane v0.23.0's YAML structs (`base/v0_{4,5,6}/schema.go`,
 * `config/fcos/v1_{4,5,6}/schema.go`; docs/butane.md §4). `translateButane` and `transpileButane`
 * take such an object as they take YAML text, and its report entries carry a path but no line and
 * column.
 *
 * - flatcar 1.0.0 and fcos 1.4.0 read the v0_4 fields; flatcar 1.1.0 and fcos 1.5.0 add the v0_5
 *   ones; fcos 1.6.0 adds the v0_6 ones. A field is typed once, for every version; its comment says
 *   when only later versions read it. Under an older version such a key is not an error: Butane
 *   warns `Unused key <key>` and drops it (docs/butane.md §4.2).
 * - A key left out, `undefined` and `null` all mean "not set". A value set to `false`, `0` or `''`
 *   is set, and reaches the Ignition output as such (docs/butane.md §5).
 * - Keys that are no field of the schema are not errors either: each is an `Unused key` warning.
 * - Integers are plain `number`s. File modes are numbers too: write them in octal, `0o644`
 *   (a decimal `644` is 0o1204, which Butane warns about); the JSON holds them in decimal (`420`).
 * - "Required" below means that validation fails without the field; the YAML decoder itself never
 *   insists on a key.
 * - Ignition's key is named where it differs from the Butane key (`password_hash` → `passwordHash`).
 */

/** The Butane config versions of the `flatcar` variant this port translates (Ignition 3.3.0, 3.4.0). */
export type FlatcarVersion = '1.0.0' | '1.1.0';

/** The Butane config versions of the `fcos` variant this port translates (Ignition 3.3.0, 3.4.0, 3.5.0). */
export type FcosVersion = '1.4.0' | '1.5.0' | '1.6.0';

/** A Butane config for Flatcar or Fedora CoreOS, told apart by `variant`. */
export type ButaneConfig = FlatcarConfig | FcosConfig;

/** The sections every variant has (`base/v0_x` `Config`). */
export interface ButaneBaseConfig {
  /** Ignition's own settings: configs to merge or replace with, timeouts, TLS, proxy. Ignition's `ignition.version` is written by Butane, never taken from here. */
  readonly ignition?: ButaneIgnition;
  /** Kernel arguments to ensure present or absent (`kernelArguments`). */
  readonly kernel_arguments?: ButaneKernelArguments;
  /** Users and groups. */
  readonly passwd?: ButanePasswd;
  /** Disks, RAID, filesystems, LUKS volumes, files, directories, links and local trees. */
  readonly storage?: ButaneStorage;
  /** systemd units and drop-ins. */
  readonly systemd?: ButaneSystemd;
}

/** A `flatcar` config (`config/flatcar/v1_x`): the base sections and nothing else (`boot_device` and `grub` would be unused keys). */
export interface FlatcarConfig extends ButaneBaseConfig {
  /** The variant: `flatcar`. */
  readonly variant: 'flatcar';
  /** The config version: 1.0.0 (emits Ignition 3.3.0) or 1.1.0 (emits 3.4.0). */
  readonly version: FlatcarVersion;
}

/** An `fcos` config (`config/fcos/v1_x`): the base sections plus the boot-disk and GRUB sugar. */
export interface FcosConfig extends ButaneBaseConfig {
  /** The variant: `fcos`. */
  readonly variant: 'fcos';
  /** The config version: 1.4.0 (emits Ignition 3.3.0), 1.5.0 (3.4.0) or 1.6.0 (3.5.0). */
  readonly version: FcosVersion;
  /** Butane-only: a mirrored and/or encrypted boot disk, expanded into disks, RAID, LUKS and filesystems (docs/butane.md §5.7). */
  readonly boot_device?: FcosBootDevice;
  /** Butane-only, read by 1.5.0 and 1.6.0: GRUB superusers, written to `/boot/grub2/user.cfg` (docs/butane.md §5.8). */
  readonly grub?: FcosGrub;
}

// ---- resources --------------------------------------------------------------------------------

/**
 * Where some contents come from: at most one of `source`, `inline` and `local`
 * (`only one of the following can be set: inline, local, source`). `inline` and `local` become a
 * `data:` URL in Ignition's `source` (docs/butane.md §5.1).
 */
export interface ButaneResource {
  /** The URL Ignition fetches (http, https, tftp, s3, arn (1.1.0/1.5.0 on), gs, data). */
  readonly source?: string;
  /** Butane-only: the contents as text, encoded into a `data:` URL. */
  readonly inline?: string;
  /** Butane-only: a file under the files directory (`--files-dir`), encoded into a `data:` URL. */
  readonly local?: string;
  /** `gzip` when the source is gzip-compressed, or `''`; Butane sets it itself for `inline`/`local` contents it compresses. */
  readonly compression?: string;
  /** HTTP headers for an http(s) `source` (`httpHeaders`); refused for any other scheme, `data:` included. */
  readonly http_headers?: readonly ButaneHttpHeader[];
  /** A hash the fetched (uncompressed) contents must have. */
  readonly verification?: ButaneVerification;
}

/** One HTTP header of a resource fetch. */
export interface ButaneHttpHeader {
  /** The header name (required). */
  readonly name: string;
  /** The header value. */
  readonly value?: string;
}

/** The expected hash of a resource. */
export interface ButaneVerification {
  /** `sha256-<64 hex digits>` or `sha512-<128 hex digits>`. */
  readonly hash?: string;
}

// ---- ignition ---------------------------------------------------------------------------------

/** The `ignition` section. */
export interface ButaneIgnition {
  /** Other Ignition configs to merge in, or to use instead of this one. */
  readonly config?: ButaneIgnitionConfig;
  /** Timeouts of Ignition's fetches. */
  readonly timeouts?: ButaneTimeouts;
  /** TLS settings of Ignition's fetches. */
  readonly security?: ButaneSecurity;
  /** HTTP(S) proxy settings of Ignition's fetches. */
  readonly proxy?: ButaneProxy;
}

/** Ignition configs referenced by this one. */
export interface ButaneIgnitionConfig {
  /** Configs merged into this one, in order; each needs a `source` in the end (an `inline` or `local` one becomes a `data:` URL). */
  readonly merge?: readonly ButaneResource[];
  /** A config that replaces this one. */
  readonly replace?: ButaneResource;
}

/** Fetch timeouts, in seconds. */
export interface ButaneTimeouts {
  /** Seconds to wait for the response headers of an HTTP request (`httpResponseHeaders`). */
  readonly http_response_headers?: number;
  /** Seconds an HTTP fetch may take in all (`httpTotal`); 0 means no limit. */
  readonly http_total?: number;
}

/** TLS settings. */
export interface ButaneSecurity {
  /** Certificate authorities. */
  readonly tls?: ButaneTls;
}

/** TLS trust. */
export interface ButaneTls {
  /** Extra PEM certificate authorities trusted for HTTPS fetches (`certificateAuthorities`); each needs a source in the end. */
  readonly certificate_authorities?: readonly ButaneResource[];
}

/** Proxy settings. */
export interface ButaneProxy {
  /** Proxy for http URLs (`httpProxy`); must be an http(s) URL. */
  readonly http_proxy?: string;
  /** Proxy for https URLs (`httpsProxy`); must be an http(s) URL, and an http one warns. */
  readonly https_proxy?: string;
  /** Hosts, domains and addresses fetched without the proxy (`noProxy`). */
  readonly no_proxy?: readonly string[];
}

// ---- kernel arguments -------------------------------------------------------------------------

/** Kernel command-line arguments Ignition adds or removes (`kernelArguments`). */
export interface ButaneKernelArguments {
  /** Arguments that must be present (`shouldExist`). */
  readonly should_exist?: readonly string[];
  /** Arguments that must be absent (`shouldNotExist`). */
  readonly should_not_exist?: readonly string[];
}

// ---- passwd -----------------------------------------------------------------------------------

/** The `passwd` section. */
export interface ButanePasswd {
  /** Users to create or modify. */
  readonly users?: readonly ButanePasswdUser[];
  /** Groups to create or modify. */
  readonly groups?: readonly ButanePasswdGroup[];
}

/** A user account. */
export interface ButanePasswdUser {
  /** The user name (required). */
  readonly name: string;
  /** The password hash, as in /etc/shadow (`passwordHash`). */
  readonly password_hash?: string;
  /** SSH public keys, one a line of authorized_keys (`sshAuthorizedKeys`). */
  readonly ssh_authorized_keys?: readonly string[];
  /** Butane-only, read by flatcar 1.1.0 and fcos 1.5.0 on: files under the files directory whose non-empty lines are added after `ssh_authorized_keys`. */
  readonly ssh_authorized_keys_local?: readonly string[];
  /** The user ID. */
  readonly uid?: number;
  /** The GECOS (comment) field. */
  readonly gecos?: string;
  /** The home directory (`homeDir`). */
  readonly home_dir?: string;
  /** Do not create the home directory (`noCreateHome`). */
  readonly no_create_home?: boolean;
  /** The primary group (`primaryGroup`). */
  readonly primary_group?: string;
  /** Supplementary groups. */
  readonly groups?: readonly string[];
  /** Do not create a group named after the user (`noUserGroup`). */
  readonly no_user_group?: boolean;
  /** Do not add the user to the lastlog and faillog databases (`noLogInit`). */
  readonly no_log_init?: boolean;
  /** The login shell. */
  readonly shell?: string;
  /** `false` deletes the user (`shouldExist`). */
  readonly should_exist?: boolean;
  /** A system account (no aging information, ID from the system range). */
  readonly system?: boolean;
}

/** A group. */
export interface ButanePasswdGroup {
  /** The group name (required). */
  readonly name: string;
  /** The group ID. */
  readonly gid?: number;
  /** The password hash, as in /etc/gshadow (`passwordHash`). */
  readonly password_hash?: string;
  /** `false` deletes the group (`shouldExist`). */
  readonly should_exist?: boolean;
  /** A system group (ID from the system range). */
  readonly system?: boolean;
}

// ---- storage ----------------------------------------------------------------------------------

/** The `storage` section. */
export interface ButaneStorage {
  /** Partition tables. */
  readonly disks?: readonly ButaneDisk[];
  /** Software RAID arrays. */
  readonly raid?: readonly ButaneRaid[];
  /** Filesystems to create and/or mount. */
  readonly filesystems?: readonly ButaneFilesystem[];
  /** Files to write. */
  readonly files?: readonly ButaneFile[];
  /** Directories to create. */
  readonly directories?: readonly ButaneDirectory[];
  /** Symbolic and hard links to create. */
  readonly links?: readonly ButaneLink[];
  /** LUKS encrypted volumes. */
  readonly luks?: readonly ButaneLuks[];
  /** Butane-only: directories under the files directory copied in as files and links (docs/butane.md §5.3). */
  readonly trees?: readonly ButaneTree[];
}

/** A disk and its partition table. */
export interface ButaneDisk {
  /** Absolute, clean path of the block device (required). */
  readonly device: string;
  /** Wipe the partition table before partitioning (`wipeTable`). */
  readonly wipe_table?: boolean;
  /** Partitions to create, modify, or delete. */
  readonly partitions?: readonly ButanePartition[];
}

/** A GPT partition. */
export interface ButanePartition {
  /** The partition label. */
  readonly label?: string;
  /** The partition number; 0 (or leaving it out) means the next free one, and is not written. */
  readonly number?: number;
  /** Size in MiB (`sizeMiB`); 0 means as large as possible. */
  readonly size_mib?: number;
  /** Start in MiB (`startMiB`); 0 means the start of the largest free block. */
  readonly start_mib?: number;
  /** The partition type GUID (`typeGuid`). */
  readonly type_guid?: string;
  /** The partition's unique GUID. */
  readonly guid?: string;
  /** Wipe a partition entry that does not match (`wipePartitionEntry`). */
  readonly wipe_partition_entry?: boolean;
  /** `false` deletes the partition (`shouldExist`). */
  readonly should_exist?: boolean;
  /** Grow an existing partition to match `size_mib`. */
  readonly resize?: boolean;
}

/** A software RAID array. */
export interface ButaneRaid {
  /** The array name, as in /dev/md/<name> (required). */
  readonly name: string;
  /** The RAID level (required): linear, raid0, 0, stripe, raid1, 1, mirror, raid4, 4, raid5, 5, raid6, 6, raid10 or 10. */
  readonly level: string;
  /** Absolute paths of the member devices (required, not empty). */
  readonly devices: readonly string[];
  /** The number of spare devices (none for linear and raid0 arrays). */
  readonly spares?: number;
  /** Extra `mdadm --create` options. */
  readonly options?: readonly string[];
}

/** A filesystem. */
export interface ButaneFilesystem {
  /** Absolute, clean path of the block device (required). */
  readonly device: string;
  /** ext4, btrfs, xfs, vfat, swap or none; required when anything but the device is given. */
  readonly format?: string;
  /** Where the filesystem is mounted, during Ignition's files stage and (with `with_mount_unit`) after boot. */
  readonly path?: string;
  /** Recreate the filesystem even when one exists (`wipeFilesystem`). */
  readonly wipe_filesystem?: boolean;
  /** The filesystem label. */
  readonly label?: string;
  /** The filesystem UUID. */
  readonly uuid?: string;
  /** Extra mkfs options. */
  readonly options?: readonly string[];
  /** Mount options, for Ignition's mount and the generated mount unit (`mountOptions`). */
  readonly mount_options?: readonly string[];
  /** Butane-only: generate a systemd mount unit (or swap unit) for it (docs/butane.md §5.6). */
  readonly with_mount_unit?: boolean;
}

/** The owning user of a file, directory or link: `id` or `name`, not both. */
export interface ButaneNodeUser {
  /** The user ID. */
  readonly id?: number;
  /** The user name. */
  readonly name?: string;
}

/** The owning group of a file, directory or link: `id` or `name`, not both. */
export interface ButaneNodeGroup {
  /** The group ID. */
  readonly id?: number;
  /** The group name. */
  readonly name?: string;
}

/** The fields shared by files, directories and links (`Node`). */
export interface ButaneNode {
  /** Absolute, clean path (required). */
  readonly path: string;
  /** Replace what is at the path already (a file needs a contents source for this). */
  readonly overwrite?: boolean;
  /** The owner. */
  readonly user?: ButaneNodeUser;
  /** The owning group. */
  readonly group?: ButaneNodeGroup;
}

/** A regular file. */
export interface ButaneFile extends ButaneNode {
  /** The contents; left out, the file is created empty (or kept, if it exists). */
  readonly contents?: ButaneResource;
  /** Fragments appended to the file, in order. */
  readonly append?: readonly ButaneResource[];
  /** Permission bits, in octal (`0o644`); at most 0o7777. Setuid, setgid and sticky bits warn under flatcar 1.0.0 and fcos 1.4.0. */
  readonly mode?: number;
}

/** A directory. */
export interface ButaneDirectory extends ButaneNode {
  /** Permission bits, in octal (`0o755`); at most 0o7777. Setuid, setgid and sticky bits warn under flatcar 1.0.0 and fcos 1.4.0. */
  readonly mode?: number;
}

/** A symbolic or hard link. */
export interface ButaneLink extends ButaneNode {
  /** What the link points to; required by Ignition, unless a tree supplies it. */
  readonly target?: string;
  /** A hard link rather than a symbolic one (its `user` and `group` are ignored, with a warning). */
  readonly hard?: boolean;
}

/** A LUKS encrypted volume. */
export interface ButaneLuks {
  /** The device-mapper name, /dev/mapper/<name> (required; no `/`). */
  readonly name: string;
  /** Absolute, clean path of the underlying device (required). */
  readonly device: string;
  /** The key, as a resource (`keyFile`); left out, Ignition generates a random one (to be bound by Clevis). */
  readonly key_file?: ButaneResource;
  /** The LUKS label, 47 bytes at most. */
  readonly label?: string;
  /** The LUKS UUID. */
  readonly uuid?: string;
  /** Extra `cryptsetup luksFormat` options. */
  readonly options?: readonly string[];
  /** Recreate the volume even when one exists (`wipeVolume`). */
  readonly wipe_volume?: boolean;
  /** Clevis binding (Tang, TPM2, or a custom pin); fcos only: flatcar refuses it. */
  readonly clevis?: ButaneClevis;
  /** Read by flatcar 1.1.0 and fcos 1.5.0 on: allow discards (TRIM) through the volume. */
  readonly discard?: boolean;
  /** Read by flatcar 1.1.0 and fcos 1.5.0 on: extra `cryptsetup luksOpen` options (`openOptions`). */
  readonly open_options?: readonly string[];
  /** Read by fcos 1.6.0: IBM Crypto Express (s390x) key binding. */
  readonly cex?: ButaneCex;
}

/** Clevis settings of a LUKS volume. */
export interface ButaneClevis {
  /** Tang servers to bind to. */
  readonly tang?: readonly ButaneTang[];
  /** Bind to the TPM2 chip. */
  readonly tpm2?: boolean;
  /** How many of the Tang servers and TPM2 must answer (Shamir threshold). */
  readonly threshold?: number;
  /** A custom Clevis pin, exclusive with `tang`, `tpm2` and `threshold`. */
  readonly custom?: ButaneClevisCustom;
}

/** A Tang server. */
export interface ButaneTang {
  /** The server URL (required). */
  readonly url: string;
  /** The thumbprint of a trusted signing key (required by Ignition). */
  readonly thumbprint: string;
  /** Read by flatcar 1.1.0 and fcos 1.5.0 on: the server's advertisement, as JSON text, so that no fetch is needed at provisioning. */
  readonly advertisement?: string;
}

/** A custom Clevis pin. */
export interface ButaneClevisCustom {
  /** The Clevis pin: tpm2, tang or sss. */
  readonly pin?: string;
  /** The pin's JSON configuration. */
  readonly config?: string;
  /** The volume needs the network to unlock (`needsNetwork`). */
  readonly needs_network?: boolean;
}

/** IBM Crypto Express settings (fcos 1.6.0). */
export interface ButaneCex {
  /** Bind the volume to a Crypto Express secure key. */
  readonly enabled?: boolean;
}

/** Butane-only: a local directory tree copied onto the target (docs/butane.md §5.3). */
export interface ButaneTree {
  /** The directory, relative to the files directory (required; `.` is the files directory itself). */
  readonly local: string;
  /** Where the tree lands on the target; `/` when left out. */
  readonly path?: string;
}

// ---- systemd ----------------------------------------------------------------------------------

/** The `systemd` section. */
export interface ButaneSystemd {
  /** Units to write, enable, disable or mask. */
  readonly units?: readonly ButaneUnit[];
}

/** A systemd unit. */
export interface ButaneUnit {
  /** The unit name, with its type suffix (`.service`, `.timer`, …; required). */
  readonly name: string;
  /** Enable (`true`) or disable (`false`) the unit. */
  readonly enabled?: boolean;
  /** Mask the unit (link it to /dev/null). */
  readonly mask?: boolean;
  /** The unit file's text, kept as text (not a data URL). */
  readonly contents?: string;
  /** Butane-only, read by flatcar 1.1.0 and fcos 1.5.0 on: a file under the files directory whose text becomes `contents`; exclusive with `contents`. */
  readonly contents_local?: string;
  /** Drop-ins for the unit. */
  readonly dropins?: readonly ButaneDropin[];
}

/** A systemd drop-in, /etc/systemd/system/<unit>.d/<name>. */
export interface ButaneDropin {
  /** The drop-in file name, ending in `.conf` (required). */
  readonly name: string;
  /** The drop-in's text. */
  readonly contents?: string;
  /** Butane-only, read by flatcar 1.1.0 and fcos 1.5.0 on: a file under the files directory whose text becomes `contents`; exclusive with `contents`. */
  readonly contents_local?: string;
}

// ---- fcos sugar -------------------------------------------------------------------------------

/** fcos `boot_device`: nothing is generated unless `luks.tpm2`, `luks.tang` or `mirror.devices` is set. */
export interface FcosBootDevice {
  /** The partition layout: x86_64 (the default), aarch64 or ppc64le; fcos 1.6.0 also s390x-eckd, s390x-virt and s390x-zfcp. */
  readonly layout?: string;
  /** Encrypt the root filesystem with LUKS, bound by Clevis. */
  readonly luks?: FcosBootDeviceLuks;
  /** Mirror the boot disk (RAID1 boot and root) across devices. */
  readonly mirror?: FcosBootDeviceMirror;
}

/** Root-filesystem encryption of the boot disk. */
export interface FcosBootDeviceLuks {
  /** Tang servers to bind to. */
  readonly tang?: readonly ButaneTang[];
  /** Bind to the TPM2 chip. */
  readonly tpm2?: boolean;
  /** How many of the Tang servers and TPM2 must answer. */
  readonly threshold?: number;
  /** Read by fcos 1.5.0 and 1.6.0: allow discards (TRIM) through the root volume. */
  readonly discard?: boolean;
  /** Read by fcos 1.6.0: the boot disk, required by the s390x-eckd and s390x-zfcp layouts. */
  readonly device?: string;
  /** Read by fcos 1.6.0: IBM Crypto Express (s390x) key binding. */
  readonly cex?: ButaneCex;
}

/** Boot-disk mirroring. */
export interface FcosBootDeviceMirror {
  /** The disks to mirror across, at least two. */
  readonly devices?: readonly string[];
}

/** fcos 1.5.0/1.6.0 `grub`. */
export interface FcosGrub {
  /** GRUB superusers. */
  readonly users?: readonly FcosGrubUser[];
}

/** A GRUB superuser. */
export interface FcosGrubUser {
  /** The user name (required). */
  readonly name: string;
  /** The `grub2-mkpasswd-pbkdf2` hash (required). */
  readonly password_hash: string;
}

/**
 * Whether `value` looks like a Butane config object: a plain object with a string `variant`.
 * (The variant and version themselves are checked when it is translated.)
 */
export function isButaneConfig(value: unknown): value is ButaneConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { variant?: unknown }).variant === 'string';
}

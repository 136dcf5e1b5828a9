/**
 * THE ordered list of CLC sections, in ct's converter order (ct's `config/types/*.go` `init()`
 * registrations, which Go runs in file-name order; docs/ct.md §4). The order of generated units
 * and files is a property of this list. The config's field list (`sections/config.ts`), the
 * `ContainerLinuxConfig` type and `capabilities` are derived from it: a new section is its file
 * plus one line here.
 */
import type { Translator } from './convert';
import type { Capability, ConfigOfSections, SectionDescriptor } from './section';
import { disksSection } from './sections/disks';
import { dockerSection } from './sections/docker';
import { etcdSection } from './sections/etcd';
import { filesSection } from './sections/files';
import { filesystemsSection } from './sections/filesystems';
import { flannelSection } from './sections/flannel';
import { ignitionSection } from './sections/ignition';
import { locksmithSection } from './sections/locksmith';
import { networkdSection } from './sections/networkd';
import { passwdSection } from './sections/passwd';
import { platformSection } from './sections/platform';
import { raidSection } from './sections/raid';
import { securitySection } from './sections/security';
import { storageSection } from './sections/storage';
import { systemdSection } from './sections/systemd';
import { updateSection } from './sections/update';
import { versionSection } from './sections/version';

export type { Capability } from './section';

export const sections = [
  platformSection, // common.go: openstack/cloudstack metadata units
  versionSection, // config.go: Flatcar's `version` (no converter)
  ignitionSection, // config.go
  disksSection, // disks.go
  dockerSection, // docker.go
  etcdSection, // etcd.go
  filesSection, // files.go
  filesystemsSection, // filesystems.go
  flannelSection, // flannel.go
  locksmithSection, // locksmith.go (no converter: update.go writes it)
  networkdSection, // networkd.go
  passwdSection, // passwd.go
  raidSection, // raid.go
  securitySection, // security.go
  storageSection, // storage.go (no converter: a container of other sections)
  systemdSection, // systemd.go
  updateSection, // update.go: update.conf from update + locksmith, after the user's files
] as const satisfies readonly SectionDescriptor[];

/** The typed config the sections above accept. */
export type SectionsConfig = ConfigOfSections<typeof sections>;

/** The converters of a section list, in its order. */
export function translatorsOf(list: readonly SectionDescriptor[]): readonly Translator[] {
  return list.flatMap((s) => (s.translate ? [s.translate] : []));
}

/** The capabilities a section list implements. */
export function capabilitiesOf(list: readonly SectionDescriptor[]): ReadonlySet<Capability> {
  return new Set(list.flatMap((s) => (s.capability ? [s.capability] : [])));
}

/** The converters, in ct's order. */
export const translators: readonly Translator[] = translatorsOf(sections);

/** What the wired sections implement. */
export const capabilities: ReadonlySet<Capability> = capabilitiesOf(sections);

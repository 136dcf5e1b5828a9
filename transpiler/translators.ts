/**
 * THE ordered list of converters (ct's `config/types/*.go` `init()` registrations, which Go runs
 * in file-name order; docs/ct.md §4). The order of generated units and files is a property of this list.
 */
import type { Translator } from './convert';
import { disksTranslator } from './sections/disks';
import { dockerTranslator } from './sections/docker';
import { etcdTranslator } from './sections/etcd';
import { filesTranslator } from './sections/files';
import { filesystemsTranslator } from './sections/filesystems';
import { flannelTranslator } from './sections/flannel';
import { ignitionTranslator } from './sections/ignition';
import { networkdTranslator } from './sections/networkd';
import { passwdTranslator } from './sections/passwd';
import { platformTranslator } from './sections/platform';
import { raidTranslator } from './sections/raid';
import { securityTranslator } from './sections/security';
import { systemdTranslator } from './sections/systemd';
import { updateTranslator } from './sections/update';

export const translators: readonly Translator[] = [
  platformTranslator, // common.go: openstack/cloudstack metadata units
  ignitionTranslator, // config.go
  disksTranslator, // disks.go
  dockerTranslator, // docker.go
  etcdTranslator, // etcd.go
  filesTranslator, // files.go
  filesystemsTranslator, // filesystems.go
  flannelTranslator, // flannel.go
  networkdTranslator, // networkd.go
  passwdTranslator, // passwd.go
  raidTranslator, // raid.go
  securityTranslator, // security.go
  systemdTranslator, // systemd.go
  updateTranslator, // update.go: update.conf from update + locksmith, after the user's files
];

/** Features a config or a command line may need; the conformance runner marks vectors needing others pending. */
export type Capability = 'docker' | 'etcd' | 'flannel' | 'update' | 'locksmith' | 'platform' | 'files-dir';

/** What the wired translators implement; keep in step with the list above. */
export const capabilities: ReadonlySet<Capability> = new Set<Capability>([
  'docker',
  'etcd',
  'flannel',
  'update',
  'locksmith',
  'platform',
  'files-dir',
]);

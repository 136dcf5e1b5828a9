/**
 * A scratch root laid out like a Flatcar root at the moment Ignition's files stage runs: the
 * account databases from Flatcar's baselayout (root, core, sudo, docker, ...), core's home, SELinux
 * configured but disabled, and a few files that configs commonly replace or extend.
 */
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Flatcar's baselayout `passwd`, the system accounts Ignition finds in /etc/passwd. */
export const FLATCAR_PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'bin:x:1:1:bin:/bin:/sbin/nologin',
  'daemon:x:2:2:daemon:/sbin:/sbin/nologin',
  'messagebus:x:201:201:dbus:/dev/null:/sbin/nologin',
  'sshd:x:204:204:openssh:/var/empty:/sbin/nologin',
  'etcd:x:232:232::/dev/null:/sbin/nologin',
  'docker:x:233:233::/dev/null:/sbin/nologin',
  'systemd-network:x:244:244:Network Management Service:/dev/null:/sbin/nologin',
  'core:x:500:500:Flatcar Admin:/home/core:/bin/bash',
  'nobody:x:65534:65534:nobody:/var/empty:/sbin/nologin',
].join('\n') + '\n';

/** Flatcar's baselayout `group`: `sudo` and `docker` exist before any config adds users to them. */
export const FLATCAR_GROUP = [
  'root:x:0:root',
  'bin:x:1:root,bin,daemon',
  'daemon:x:2:root,bin,daemon',
  'wheel:x:10:root,core',
  'users:x:100:',
  'sudo:x:150:',
  'messagebus:x:201:',
  'sshd:x:204:',
  'etcd:x:232:',
  'docker:x:233:core',
  'systemd-network:x:244:',
  'systemd-journal:x:248:core',
  'portage:x:250:core',
  'core:x:500:',
  'nobody:x:65534:',
].join('\n') + '\n';

/** Locked passwords for every account: `*`, last change on day 1. */
export const FLATCAR_SHADOW = namesOf(FLATCAR_PASSWD).map((name) => `${name}:*:1:0:99999:7:::`).join('\n') + '\n';

export const FLATCAR_GSHADOW =
  FLATCAR_GROUP.trimEnd()
    .split('\n')
    .map((line) => {
      const [name, , , members] = line.split(':');
      return `${name}:*::${members}`;
    })
    .join('\n') + '\n';

/** The uid/gid of Flatcar's `core`, `docker` and `sudo`, for assertions. */
export const CORE_ID = 500;
export const DOCKER_GID = 233;
export const SUDO_GID = 150;

/** The sshd_config that Flatcar links from /etc (configs replace the link with a file). */
export const SHIPPED_SSHD_CONFIG = 'UsePrivilegeSeparation sandbox\nSubsystem sftp internal-sftp\n';
export const SHIPPED_HOSTS = '127.0.0.1\tlocalhost\n::1\t\tlocalhost\n';

/** Lays out the Flatcar-like files under `root` (an empty directory). Needs root for chown. */
export function prepareFlatcarRoot(root: string): void {
  const write = (file: string, text: string, mode = 0o644) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text, { mode });
    chmodSync(path.join(root, file), mode); // the umask must not narrow what Flatcar has
  };
  write('etc/passwd', FLATCAR_PASSWD);
  write('etc/group', FLATCAR_GROUP);
  write('etc/shadow', FLATCAR_SHADOW, 0o640);
  write('etc/gshadow', FLATCAR_GSHADOW, 0o640);
  // useradd --root reads these from the root, not from the host: pin Flatcar's behaviour
  // (a group per user, bash as the login shell) so that the results do not depend on the host.
  write('etc/login.defs', 'USERGROUPS_ENAB yes\nUMASK 022\nUID_MIN 1000\nGID_MIN 1000\n');
  write('etc/default/useradd', 'SHELL=/bin/bash\nHOME=/home\n');
  // Flatcar configures SELinux; Ignition then relabels through `setfiles` (see NOOP_SETFILES).
  write('etc/selinux/config', 'SELINUX=disabled\nSELINUXTYPE=mcs\n');
  write('usr/share/ssh/sshd_config', SHIPPED_SSHD_CONFIG);
  mkdirSync(path.join(root, 'etc/ssh'), { recursive: true });
  symlinkSync('../../usr/share/ssh/sshd_config', path.join(root, 'etc/ssh/sshd_config'));
  write('etc/hosts', SHIPPED_HOSTS);
  // baselayout's tmpfiles make core's home before Ignition writes core's keys into it.
  for (const [dir, mode] of [['home/core', 0o755], ['home/core/.ssh', 0o700]] as const) {
    mkdirSync(path.join(root, dir), { recursive: true });
    chmodSync(path.join(root, dir), mode);
    chownSync(path.join(root, dir), CORE_ID, CORE_ID);
  }
}

/** `setfiles` that accepts Ignition's relabel request and does nothing: the scratch root has no policy. */
export const NOOP_SETFILES = '#!/bin/sh\n# Ignition pipes the paths to relabel on stdin.\ncat >/dev/null\n';

function namesOf(table: string): string[] {
  return table.trimEnd().split('\n').map((line) => line.split(':')[0]);
}

/**
 * Butane configs translated by our port (translateButane) and applied by the real Ignition
 * (Debian's 2.14, files stage, see harness.ts) to a Flatcar-like scratch root: a `flatcar` 1.0.0
 * and an `fcos` 1.4.0 config, both Ignition spec 3.3.0, the newest stable spec 2.14 runs.
 * (flatcar 1.1.0 and fcos 1.5.0/1.6.0 give 3.4.0/3.5.0, which 2.14 refuses: last suite.)
 *
 * Everything the files stage does is applied for real, users included (Ignition runs the host's
 * useradd/usermod --root on the scratch root). Not applied here: formatting and mounting the fcos
 * filesystem (disks and mount stages, which need a device), kernel arguments (kargs stage), and
 * what systemd does with the units on boot (presets becoming .wants links, the mount happening).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { translateButane } from '../../transpiler/butane/transpile';
import { CORE_ID, DOCKER_GID, SHIPPED_HOSTS, SHIPPED_SSHD_CONFIG, SUDO_GID } from './flatcar-root';
import { describeWithIgnition } from './gate';
import { applyIgnition, IgnitionFailed, type IgnitionRun } from './harness';
import { ScratchRoot } from './inspect';

interface IgnitionFile {
  path: string;
  contents?: { compression?: string; source?: string };
}

/** Butane text to Ignition JSON through our port; any error or warning fails the test. */
function butane(text: string, expectedSpec: string, filesDir = ''): { json: string; files: IgnitionFile[] } {
  const outcome = translateButane(text, { filesDir });
  expect(outcome.entries).toEqual([]);
  expect(outcome.error).toBeUndefined();
  expect(outcome.ignitionVersion).toBe(expectedSpec);
  const config = JSON.parse(outcome.json as string) as { storage?: { files?: IgnitionFile[] } };
  return { json: outcome.json as string, files: config.storage?.files ?? [] };
}

const UNITS = '/etc/systemd/system';
const PRESET = '/etc/systemd/system-preset/20-ignition.preset';
/** Ignition keeps presets in a Go map: the line order varies from run to run. */
const presetLines = (root: ScratchRoot) => root.text(PRESET).trimEnd().split('\n').sort();
const indent = (text: string, by: string) => text.replace(/^(?=.)/gm, by);

// Repetitive, so that Butane chooses gzip+base64 for it (asserted below).
const LARGE = Array.from({ length: 400 }, (_, i) => `option_${i % 40} = value ${i}\n`).join('');
const HELLO_SH = '#!/bin/sh\necho "hello from a local file"\n';
const APP_UNIT = '[Unit]\nDescription=App\n[Service]\nExecStart=/opt/app/bin/run.sh\n[Install]\nWantedBy=multi-user.target\n';

const FLATCAR = `variant: flatcar
version: 1.0.0
passwd:
  users:
    - name: core
      ssh_authorized_keys:
        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIButaneCore core@laptop
    - name: deploy
      uid: 2001
      groups: [sudo, docker]
      ssh_authorized_keys:
        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIButaneDeploy deploy@ci
storage:
  directories:
    - path: /var/lib/app
      mode: 0750
      user: { name: deploy }
      group: { id: ${DOCKER_GID} }
    - path: /srv/cache
      mode: 0700
  files:
    - path: /etc/hostname
      mode: 0644
      contents:
        inline: butane-node
    - path: /opt/bin/hello
      mode: 0755
      contents:
        local: hello.sh
    - path: /etc/app/large.conf
      mode: 0640
      contents:
        inline: |
${indent(LARGE, '          ')}
  links:
    - path: /etc/localtime
      target: /usr/share/zoneinfo/UTC
    - path: /opt/bin/hi
      target: /opt/bin/hello
  trees:
    - local: tree
      path: /opt/app
systemd:
  units:
    - name: app.service
      enabled: true
      contents: |
${indent(APP_UNIT, '        ')}
      dropins:
        - name: 10-env.conf
          contents: |
            [Service]
            Environment=MODE=prod
    - name: containerd.service
      dropins:
        - name: 10-limits.conf
          contents: |
            [Service]
            LimitNOFILE=1048576
`;

describeWithIgnition('real Ignition applies a flatcar 1.0.0 Butane config translated by our port', () => {
  let filesDir: string;
  let files: IgnitionFile[];
  let run: IgnitionRun;
  let root: ScratchRoot;
  beforeAll(async () => {
    // -d: a local file and a tree with an executable, a plain file and a relative symlink.
    filesDir = mkdtempSync(path.join(tmpdir(), 'butane-files-'));
    writeFileSync(path.join(filesDir, 'hello.sh'), HELLO_SH);
    mkdirSync(path.join(filesDir, 'tree/bin'), { recursive: true });
    mkdirSync(path.join(filesDir, 'tree/etc'), { recursive: true });
    writeFileSync(path.join(filesDir, 'tree/bin/run.sh'), '#!/bin/sh\nexec sleep infinity\n');
    chmodSync(path.join(filesDir, 'tree/bin/run.sh'), 0o755);
    writeFileSync(path.join(filesDir, 'tree/etc/app.conf'), 'port=8080\n');
    symlinkSync('app.conf', path.join(filesDir, 'tree/etc/current.conf'));
    let json: string;
    ({ json, files } = butane(FLATCAR, '3.3.0', filesDir));
    run = await applyIgnition(json);
    root = new ScratchRoot(run.root);
  });
  afterAll(() => {
    run?.cleanup();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  it('writes inline and local contents byte for byte with their modes', () => {
    expect(root.text('/etc/hostname')).toBe('butane-node');
    expect(root.node('/etc/hostname')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
    expect(root.text('/opt/bin/hello')).toBe(HELLO_SH);
    expect(root.node('/opt/bin/hello')).toMatchObject({ type: 'file', mode: 0o755, uid: 0, gid: 0 });
  });

  it('gunzips the large inline file Butane compressed', () => {
    const large = files.find((f) => f.path === '/etc/app/large.conf');
    expect(large?.contents?.compression).toBe('gzip');
    expect(large?.contents?.source).toMatch(/^data:;base64,H4sI/);
    expect(root.text('/etc/app/large.conf')).toBe(LARGE);
    expect(root.node('/etc/app/large.conf')).toMatchObject({ type: 'file', mode: 0o640 });
  });

  it('creates directories with modes and owners', () => {
    expect(root.node('/var/lib/app')).toMatchObject({ type: 'directory', mode: 0o750, uid: 2001, gid: DOCKER_GID });
    expect(root.node('/srv/cache')).toMatchObject({ type: 'directory', mode: 0o700, uid: 0, gid: 0 });
  });

  it('creates symbolic links with their targets', () => {
    expect(root.node('/etc/localtime').type).toBe('symlink');
    expect(root.linkTarget('/etc/localtime')).toBe('/usr/share/zoneinfo/UTC');
    expect(root.linkTarget('/opt/bin/hi')).toBe('/opt/bin/hello');
  });

  it('lays out the tree: the executable 0755, the rest 0644, the symlink as a link', () => {
    expect(root.list('/opt/app')).toEqual(['bin', 'etc']);
    expect(root.text('/opt/app/bin/run.sh')).toBe('#!/bin/sh\nexec sleep infinity\n');
    expect(root.node('/opt/app/bin/run.sh')).toMatchObject({ type: 'file', mode: 0o755 });
    expect(root.text('/opt/app/etc/app.conf')).toBe('port=8080\n');
    expect(root.node('/opt/app/etc/app.conf')).toMatchObject({ type: 'file', mode: 0o644 });
    expect(root.node('/opt/app/etc/current.conf').type).toBe('symlink');
    expect(root.linkTarget('/opt/app/etc/current.conf')).toBe('app.conf');
  });

  it('writes the unit, its drop-in and a drop-in for a unit the image ships, and enables the unit by preset', () => {
    expect(root.text(`${UNITS}/app.service`)).toBe(APP_UNIT);
    expect(root.text(`${UNITS}/app.service.d/10-env.conf`)).toBe('[Service]\nEnvironment=MODE=prod\n');
    expect(root.text(`${UNITS}/containerd.service.d/10-limits.conf`)).toBe('[Service]\nLimitNOFILE=1048576\n');
    expect(root.list(UNITS)).toEqual(['app.service', 'app.service.d', 'containerd.service.d']);
    // Ignition 2.14 enables through the preset file; systemd makes the .wants links on first boot.
    expect(presetLines(root)).toEqual(['enable app.service']);
  });

  it('adds keys for the existing core and creates deploy (useradd --root) with its groups and keys', () => {
    expect(root.text('/home/core/.ssh/authorized_keys.d/ignition')).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIButaneCore core@laptop\n');
    expect(root.node('/home/core/.ssh/authorized_keys.d/ignition')).toMatchObject({ mode: 0o600, uid: CORE_ID, gid: CORE_ID });
    expect(root.entry('/etc/passwd', 'deploy')).toEqual(['deploy', 'x', '2001', '2001', '', '/home/deploy', '/bin/bash']);
    expect(root.entry('/etc/group', 'sudo')).toEqual(['sudo', 'x', String(SUDO_GID), 'deploy']);
    expect(root.entry('/etc/group', 'docker')).toEqual(['docker', 'x', String(DOCKER_GID), 'core,deploy']);
    expect(root.text('/home/deploy/.ssh/authorized_keys.d/ignition')).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIButaneDeploy deploy@ci\n');
    expect(root.node('/home/deploy/.ssh/authorized_keys.d/ignition')).toMatchObject({ mode: 0o600, uid: 2001, gid: 2001 });
  });
});

const MERGED = '{"ignition":{"version":"3.3.0"},"storage":{"files":[{"path":"/etc/merged.conf","contents":{"source":"data:,merged%0A"}}]}}';
const OPS_HASH = '$6$rounds=4096$butanesalt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ./0123456789ab';

const FCOS = `variant: fcos
version: 1.4.0
ignition:
  config:
    merge:
      - inline: '${MERGED}'
passwd:
  users:
    - name: ops
      uid: 3000
      password_hash: ${OPS_HASH}
      groups: [wheel]
  groups:
    - name: app
      gid: 4000
storage:
  filesystems:
    - device: /dev/disk/by-partlabel/data
      format: xfs
      path: /var/lib/data
      with_mount_unit: true
  files:
    - path: /etc/hosts
      append:
        - inline: 10.0.0.10 registry.internal
    - path: /etc/ssh/sshd_config
      overwrite: true
      mode: 0600
      contents:
        inline: PermitRootLogin no
    - path: /etc/app/app.env
      mode: 0640
      user: { name: ops }
      group: { name: app }
      contents:
        inline: MODE=prod
  links:
    - path: /etc/app/app.env.hard
      target: /etc/app/app.env
      hard: true
systemd:
  units:
    - name: zincati.service
      mask: true
    - name: sshd.socket
      enabled: false
    - name: docker.service
      enabled: true
`;

describeWithIgnition('real Ignition applies an fcos 1.4.0 Butane config translated by our port', () => {
  let run: IgnitionRun;
  let root: ScratchRoot;
  beforeAll(async () => {
    run = await applyIgnition(butane(FCOS, '3.3.0').json);
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  it('fetches and applies the inline merged config (a data URL)', () => {
    expect(root.text('/etc/merged.conf')).toBe('merged\n');
  });

  it('appends to a shipped file, replaces a shipped symlink, and leaves its target alone', () => {
    expect(root.text('/etc/hosts')).toBe(`${SHIPPED_HOSTS}10.0.0.10 registry.internal`);
    expect(root.node('/etc/ssh/sshd_config')).toMatchObject({ type: 'file', mode: 0o600 });
    expect(root.text('/etc/ssh/sshd_config')).toBe('PermitRootLogin no');
    expect(root.text('/usr/share/ssh/sshd_config')).toBe(SHIPPED_SSHD_CONFIG);
  });

  it('creates the user and group, owns a file by their names, and hard-links it', () => {
    expect(root.entry('/etc/passwd', 'ops')).toEqual(['ops', 'x', '3000', '3000', '', '/home/ops', '/bin/bash']);
    expect(root.entry('/etc/shadow', 'ops')?.[1]).toBe(OPS_HASH);
    expect(root.entry('/etc/group', 'wheel')).toEqual(['wheel', 'x', '10', 'root,core,ops']);
    expect(root.entry('/etc/group', 'app')).toEqual(['app', 'x', '4000', '']);
    expect(root.text('/etc/app/app.env')).toBe('MODE=prod');
    expect(root.node('/etc/app/app.env')).toMatchObject({ type: 'file', mode: 0o640, uid: 3000, gid: 4000, links: 2 });
    expect(root.node('/etc/app/app.env.hard').ino).toBe(root.node('/etc/app/app.env').ino);
  });

  it("writes Butane's mount unit for the filesystem and enables it; masks, disables and enables by name", () => {
    expect(root.text(`${UNITS}/var-lib-data.mount`)).toBe(
      '# Generated by Butane\n[Unit]\nRequires=systemd-fsck@dev-disk-by\\x2dpartlabel-data.service\n' +
        'After=systemd-fsck@dev-disk-by\\x2dpartlabel-data.service\n\n' +
        '[Mount]\nWhere=/var/lib/data\nWhat=/dev/disk/by-partlabel/data\nType=xfs\n\n[Install]\nRequiredBy=local-fs.target',
    );
    expect(root.linkTarget(`${UNITS}/zincati.service`)).toBe('/dev/null');
    expect(presetLines(root)).toEqual(['disable sshd.socket', 'enable docker.service', 'enable var-lib-data.mount']);
    // The files stage neither formats nor mounts (disks and mount stages); the mount point is not made either.
    expect(existsSync(root.at('/var/lib/data'))).toBe(false);
  });
});

describeWithIgnition('real Ignition 2.14 refuses the specs of flatcar 1.1.0 and fcos 1.5.0/1.6.0', () => {
  it.each([
    ['flatcar', '1.1.0', '3.4.0'],
    ['fcos', '1.5.0', '3.4.0'],
    ['fcos', '1.6.0', '3.5.0'],
  ])('%s %s (spec %s)', async (variant, version, spec) => {
    const { json } = butane(`variant: ${variant}\nversion: ${version}\n`, spec);
    const failure: unknown = await applyIgnition(json).then(
      (run) => run.cleanup(),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(IgnitionFailed);
    expect((failure as Error).message).toBe(
      'ignition stage fetch-offline failed (1):\nCRITICAL : failed to acquire config: unsupported config version\nCRITICAL : Ignition failed: unsupported config version',
    );
  });
});

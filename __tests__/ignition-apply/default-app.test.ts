/**
 * The default app's config (configs/core.yaml, see main.ts) as CoreOSInstance reads it: the
 * `{{ ssh_public_key }}` variable filled in, transpiled for GCE, then applied by the real Ignition.
 */
import * as path from 'node:path';
import { loadConfigSource } from '../../constructs/config-source';
import { DOCKER_GID, SUDO_GID } from './flatcar-root';
import { describeWithIgnition } from './gate';
import { applyIgnition, type IgnitionRun } from './harness';
import { ScratchRoot } from './inspect';
import { toIgnition3 } from './to-ignition-3';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDefaultAppKey adrian@laptop';

describeWithIgnition('real Ignition applies the default app config (configs/core.yaml)', () => {
  let run: IgnitionRun;
  let root: ScratchRoot;
  beforeAll(async () => {
    const source = loadConfigSource({
      configFile: path.join(__dirname, '..', '..', 'configs', 'core.yaml'),
      configVariables: { ssh_public_key: SSH_KEY },
    });
    const config = toIgnition3(source.input as string, { platform: 'gce', origin: source.origin, filesDir: source.filesDir });
    run = await applyIgnition(config.json);
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  it('creates adrian with a home, a user group and a locked password', () => {
    expect(root.entry('/etc/passwd', 'adrian')).toEqual(['adrian', 'x', '1000', '1000', '', '/home/adrian', '/bin/bash']);
    expect(root.entry('/etc/group', 'adrian')).toEqual(['adrian', 'x', '1000', '']);
    expect(root.entry('/etc/shadow', 'adrian')?.[1]).toBe('*');
    expect(root.node('/home/adrian')).toMatchObject({ type: 'directory', uid: 1000, gid: 1000 });
  });

  it('puts adrian in sudo and docker', () => {
    expect(root.entry('/etc/group', 'sudo')).toEqual(['sudo', 'x', String(SUDO_GID), 'adrian']);
    expect(root.entry('/etc/group', 'docker')).toEqual(['docker', 'x', String(DOCKER_GID), 'core,adrian']);
    expect(root.entry('/etc/gshadow', 'sudo')).toEqual(['sudo', '*', '', 'adrian']);
  });

  it("writes the key to adrian's authorized_keys.d/ignition, private to adrian", () => {
    expect(root.text('/home/adrian/.ssh/authorized_keys.d/ignition')).toBe(`${SSH_KEY}\n`);
    expect(root.node('/home/adrian/.ssh/authorized_keys.d/ignition')).toMatchObject({ type: 'file', mode: 0o600, uid: 1000, gid: 1000 });
    expect(root.node('/home/adrian/.ssh')).toMatchObject({ type: 'directory', mode: 0o700, uid: 1000, gid: 1000 });
  });

  it('changes nothing else: no files, units or presets', () => {
    expect(root.list('/etc')).not.toContain('systemd');
    expect(root.list('/home')).toEqual(['adrian', 'core']);
  });
});

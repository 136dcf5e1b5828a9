/** passwd (users and groups) applied by the real Ignition through useradd/usermod/groupadd --root. */
import { CORE_ID, FLATCAR_GROUP, FLATCAR_PASSWD } from './flatcar-root';
import { describeWithIgnition } from './gate';
import { applyIgnition, type IgnitionRun } from './harness';
import { ScratchRoot, shadowToday } from './inspect';
import { readCase, toIgnition3 } from './to-ignition-3';

const CORE_HASH = '$6$rounds=4096$saltsalt$Q9nJ8W3iVZ0e1pQ1bI7r7GcmfWb0FZQ2sL9G3qvZy7ZqE7V1uH4Yk9h8Jc6R2aF1dW5xT3nM0pL8oK7jI6hG5.';

describeWithIgnition('real Ignition applies passwd (cases/passwd.yaml)', () => {
  let run: IgnitionRun;
  let root: ScratchRoot;
  let days: number[]; // shadow's change date is "today"; the run may straddle midnight
  beforeAll(async () => {
    const config = toIgnition3(readCase('passwd.yaml'));
    days = [shadowToday()];
    run = await applyIgnition(config.json);
    days.push(shadowToday());
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  const lastChange = (name: string) => Number(root.entry('/etc/shadow', name)?.[2]);

  it('keeps every Flatcar account and group line, in order, ahead of the new ones', () => {
    expect(root.text('/etc/passwd').startsWith(FLATCAR_PASSWD)).toBe(true);
    // Existing group lines change only in their member lists.
    const groupNames = (text: string) => text.trimEnd().split('\n').map((line) => line.split(':')[0]);
    expect(groupNames(root.text('/etc/group')).slice(0, groupNames(FLATCAR_GROUP).length)).toEqual(groupNames(FLATCAR_GROUP));
  });

  it('modifies the existing core: password hash set, passwd line untouched, keys in authorized_keys.d', () => {
    expect(root.entry('/etc/passwd', 'core')).toEqual(['core', 'x', '500', '500', 'Flatcar Admin', '/home/core', '/bin/bash']);
    expect(root.entry('/etc/shadow', 'core')?.[1]).toBe(CORE_HASH);
    expect(days).toContain(lastChange('core'));
    expect(root.text('/home/core/.ssh/authorized_keys.d/ignition')).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICore core@laptop\n');
    expect(root.node('/home/core/.ssh/authorized_keys.d/ignition')).toMatchObject({ mode: 0o600, uid: CORE_ID, gid: CORE_ID });
    expect(root.node('/home/core/.ssh/authorized_keys.d')).toMatchObject({ type: 'directory', mode: 0o700, uid: CORE_ID, gid: CORE_ID });
  });

  it('creates adrian with a home, a user group, the sudo and docker groups, a locked password and two keys', () => {
    expect(root.entry('/etc/passwd', 'adrian')).toEqual(['adrian', 'x', '1000', '1000', '', '/home/adrian', '/bin/bash']);
    expect(root.entry('/etc/group', 'adrian')).toEqual(['adrian', 'x', '1000', '']);
    expect(root.entry('/etc/group', 'sudo')).toEqual(['sudo', 'x', '150', 'adrian,legacy']);
    expect(root.entry('/etc/group', 'docker')).toEqual(['docker', 'x', '233', 'core,adrian,deploy']);
    expect(root.entry('/etc/shadow', 'adrian')?.[1]).toBe('*');
    expect(root.node('/home/adrian')).toMatchObject({ type: 'directory', mode: 0o755, uid: 1000, gid: 1000 });
    expect(root.text('/home/adrian/.ssh/authorized_keys.d/ignition')).toBe(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAdrian adrian@laptop\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQAdrian adrian@desktop\n',
    );
    expect(root.node('/home/adrian/.ssh/authorized_keys.d/ignition')).toMatchObject({ mode: 0o600, uid: 1000, gid: 1000 });
  });

  it('owns a file by a user and group that the same config creates', () => {
    expect(root.text('/home/adrian/.bashrc')).toBe('export EDITOR=vi\n');
    expect(root.node('/home/adrian/.bashrc')).toMatchObject({ type: 'file', mode: 0o640, uid: 1000, gid: 1000 });
  });

  it('creates deploy with uid, gecos, home dir (keys go there), primary group, shell, no user group, "" locking the password', () => {
    expect(root.entry('/etc/passwd', 'deploy')).toEqual(['deploy', 'x', '2001', '3001', 'Deploy Bot', '/var/lib/deploy', '/bin/sh']);
    expect(root.entry('/etc/group', 'deploy')).toBeUndefined();
    expect(root.entry('/etc/shadow', 'deploy')?.[1]).toBe('*');
    expect(root.node('/var/lib/deploy')).toMatchObject({ type: 'directory', uid: 2001, gid: 3001 });
    expect(root.text('/var/lib/deploy/.ssh/authorized_keys.d/ignition')).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeploy deploy@ci\n');
    expect(root.node('/var/lib/deploy/.ssh/authorized_keys.d/ignition')).toMatchObject({ mode: 0o600, uid: 2001, gid: 3001 });
  });

  it('creates the system user prometheus below UID_MIN, without a home', () => {
    const [, , uid, gid, , home, shell] = root.entry('/etc/passwd', 'prometheus') ?? [];
    expect(Number(uid)).toBeLessThan(1000);
    expect(root.entry('/etc/group', 'prometheus')?.[2]).toBe(gid);
    expect([home, shell]).toEqual(['/home/prometheus', '/sbin/nologin']);
    expect(root.list('/home')).not.toContain('prometheus');
  });

  it('creates legacy from the deprecated create block (uid, gecos, groups, shell)', () => {
    expect(root.entry('/etc/passwd', 'legacy')).toEqual(['legacy', 'x', '2002', '2002', 'Legacy Create', '/home/legacy', '/bin/bash']);
    expect(root.node('/home/legacy')).toMatchObject({ type: 'directory', uid: 2002, gid: 2002 });
  });

  it('creates groups with gid and password hash, and system groups below GID_MIN', () => {
    expect(root.entry('/etc/group', 'ops')).toEqual(['ops', 'x', '3001', '']);
    expect(root.entry('/etc/gshadow', 'ops')).toEqual(['ops', '$6$grp$hashedgrouppassword', '', '']);
    expect(Number(root.entry('/etc/group', 'metrics')?.[2])).toBeLessThan(1000);
    expect(root.entry('/etc/gshadow', 'metrics')?.[1]).toBe('*');
  });
});

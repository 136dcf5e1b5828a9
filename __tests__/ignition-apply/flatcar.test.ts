/** Flatcar's ct dialect (cases/flatcar.yaml) applied by the real Ignition. */
import { CORE_ID, SHIPPED_HOSTS } from './flatcar-root';
import { describeWithIgnition } from './gate';
import { applyIgnition, type IgnitionRun } from './harness';
import { ScratchRoot } from './inspect';
import { readCase, toIgnition3 } from './to-ignition-3';

describeWithIgnition('real Ignition applies a Flatcar-dialect config (cases/flatcar.yaml)', () => {
  let run: IgnitionRun;
  let root: ScratchRoot;
  beforeAll(async () => {
    run = await applyIgnition(toIgnition3(readCase('flatcar.yaml'), { dialect: 'flatcar' }).json);
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  it('appends to the file the image ships, keeping its contents', () => {
    expect(root.text('/etc/hosts')).toBe(`${SHIPPED_HOSTS}10.0.0.10 registry.internal\n`);
    expect(root.node('/etc/hosts')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
  });

  it('writes a file that names no filesystem to the root filesystem', () => {
    expect(root.text('/etc/flatcar-note')).toBe('created without naming a filesystem');
    expect(root.node('/etc/flatcar-note')).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0 });
  });

  it("writes update.conf with Flatcar's download and alias keys, then locksmith's", () => {
    expect(root.text('/etc/coreos/update.conf')).toBe(
      [
        'GROUP=stable',
        'SERVER=https://nebraska.example.com/v1/update/',
        'DOWNLOAD_USER=fetcher',
        'DOWNLOAD_PASSWORD=s3cret',
        'MACHINE_ALIAS=node-1',
        'REBOOT_STRATEGY="etcd-lock"',
        'LOCKSMITHD_GROUP="workers"',
      ].join('\n'),
    );
    expect(root.node('/etc/coreos/update.conf')).toMatchObject({ mode: 0o644, uid: 0, gid: 0 });
  });

  it("adds core's key without touching core's account", () => {
    expect(root.text('/home/core/.ssh/authorized_keys.d/ignition')).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFlatcar core@flatcar\n');
    expect(root.node('/home/core/.ssh/authorized_keys.d/ignition')).toMatchObject({ mode: 0o600, uid: CORE_ID, gid: CORE_ID });
    expect(root.entry('/etc/shadow', 'core')).toEqual(['core', '*', '1', '0', '99999', '7', '', '', '']);
  });
});

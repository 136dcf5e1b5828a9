/** storage (files, directories, links) and the ignition section, applied by the real Ignition. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TranspileResult } from '../../transpiler';
import { CORE_ID, DOCKER_GID, SHIPPED_SSHD_CONFIG } from './flatcar-root';
import { describeWithIgnition } from './gate';
import { applyIgnition, type IgnitionRun } from './harness';
import { ScratchRoot } from './inspect';
import { CASES_DIR, readCase, toIgnition3 } from './to-ignition-3';

describeWithIgnition('real Ignition applies storage and the ignition section (cases/storage.yaml)', () => {
  let run: IgnitionRun;
  let root: ScratchRoot;
  let config: TranspileResult;
  beforeAll(async () => {
    config = toIgnition3(readCase('storage.yaml'), { filesDir: CASES_DIR });
    run = await applyIgnition(config.json);
    root = new ScratchRoot(run.root);
  });
  afterAll(() => run?.cleanup());

  const ownedByRoot = { uid: 0, gid: 0 };

  it('writes inline contents byte for byte, with mode and root ownership', () => {
    expect(root.text('/etc/hostname')).toBe('node-1');
    expect(root.node('/etc/hostname')).toMatchObject({ type: 'file', mode: 0o644, ...ownedByRoot });
  });

  it('owns a file by user name and group id', () => {
    expect(root.text('/opt/bin/hello')).toBe('#!/bin/sh\necho "hello, $1"\n');
    expect(root.node('/opt/bin/hello')).toMatchObject({ type: 'file', mode: 0o750, uid: CORE_ID, gid: DOCKER_GID });
  });

  it('embeds contents.local from the files dir', () => {
    expect(root.text('/etc/motd.d/local.conf')).toBe('Welcome to node-1\n');
    expect(root.node('/etc/motd.d/local.conf')).toMatchObject({ mode: 0o444, ...ownedByRoot });
  });

  it('decompresses a gzip remote after checking its sha512, owned by user id and group name', () => {
    expect(root.bytes('/var/lib/app/data.bin')).toEqual(Buffer.from('hello world\n'));
    expect(root.node('/var/lib/app/data.bin')).toMatchObject({ mode: 0o600, uid: CORE_ID, gid: CORE_ID });
  });

  it('replaces the shipped sshd_config symlink with a file (spec 2 files overwrite) and leaves /usr alone', () => {
    expect(root.node('/etc/ssh/sshd_config')).toMatchObject({ type: 'file', mode: 0o600, ...ownedByRoot });
    expect(root.text('/etc/ssh/sshd_config')).toBe('PermitRootLogin no\nAuthenticationMethods publickey\n');
    expect(root.text('/usr/share/ssh/sshd_config')).toBe(SHIPPED_SSHD_CONFIG);
  });

  it('decodes escaped characters, UTF-8, tabs and trailing blanks unchanged', () => {
    expect(root.text('/etc/tricky.txt')).toBe('100% #hash ?query &amp; a+b=c\tTab, ÜTF-8 ✓ \\ "quoted" trailing  \n\n');
  });

  it('embeds every byte value of a local file unchanged', () => {
    expect(root.bytes('/opt/share/bytes.bin')).toEqual(readFileSync(path.join(CASES_DIR, 'bytes.bin')));
    expect(root.bytes('/opt/share/bytes.bin')).toHaveLength(256);
  });

  it('creates an empty file when contents are absent', () => {
    expect(root.bytes('/etc/empty')).toHaveLength(0);
    expect(root.node('/etc/empty')).toMatchObject({ type: 'file', mode: 0o640 });
  });

  it('creates directories with mode and owner', () => {
    expect(root.node('/var/lib/app')).toMatchObject({ type: 'directory', mode: 0o750, uid: CORE_ID, gid: DOCKER_GID });
    expect(root.node('/srv/www')).toMatchObject({ type: 'directory', mode: 0o755, ...ownedByRoot });
  });

  it('keeps an existing directory and its contents, setting only mode and owner', () => {
    expect(root.node('/etc/ssh')).toMatchObject({ type: 'directory', mode: 0o700, uid: 204, gid: 0 });
    expect(root.list('/etc/ssh')).toEqual(['sshd_config']);
  });

  it('loses the sticky bit of mode 01777: spec 3.3 ignores special bits, Ignition clears them on reading', () => {
    const modeOf = (config: Record<string, unknown>) =>
      (config.storage as { directories: { path: string; mode: number }[] }).directories.find((d) => d.path === '/srv/www/static')?.mode;
    expect(modeOf(config.ignition)).toBe(0o1777);
    expect(modeOf(run.cachedConfig)).toBe(0o777);
    expect(root.node('/srv/www/static')).toMatchObject({ type: 'directory', mode: 0o777, ...ownedByRoot });
  });

  it('creates symbolic links with their targets verbatim and their owner', () => {
    expect(root.node('/etc/localtime').type).toBe('symlink');
    expect(root.linkTarget('/etc/localtime')).toBe('/usr/share/zoneinfo/UTC');
    expect(root.node('/opt/bin/hi')).toMatchObject({ type: 'symlink', uid: CORE_ID, gid: CORE_ID });
    expect(root.linkTarget('/opt/bin/hi')).toBe('/opt/bin/hello');
  });

  it('replaces an existing file with a link when overwrite is set', () => {
    expect(root.node('/etc/hosts').type).toBe('symlink');
    expect(root.linkTarget('/etc/hosts')).toBe('/usr/share/baselayout/hosts');
  });

  it('creates a hard link to the same inode', () => {
    const hard = root.node('/opt/bin/hello-hard');
    expect(hard).toMatchObject({ type: 'file', links: 2 });
    expect(hard.ino).toBe(root.node('/opt/bin/hello').ino);
  });

  it('fetches and merges the config under ignition.config.append (verified by sha512)', () => {
    expect(root.text('/etc/merged.conf')).toBe('from the merged config\n');
    expect(root.node('/etc/merged.conf')).toMatchObject({ mode: 0o644, ...ownedByRoot });
  });

  it('takes the CA and the timeouts (as the fetch stage parsed them)', () => {
    const ignition = run.cachedConfig.ignition as { security: unknown; timeouts: unknown };
    expect(ignition.timeouts).toEqual({ httpResponseHeaders: 20, httpTotal: 600 });
    expect(ignition.security).toEqual({ tls: { certificateAuthorities: [expect.objectContaining({ source: expect.stringMatching(/^data:[^,]*;base64,LS0tLS1CRUdJTi/) })] } });
  });
});

describeWithIgnition('real Ignition follows ignition.config.replace (cases/replace.yaml)', () => {
  let run: IgnitionRun;
  beforeAll(async () => {
    run = await applyIgnition(toIgnition3(readCase('replace.yaml')).json);
  });
  afterAll(() => run?.cleanup());

  it('applies the referenced config instead of this one', () => {
    const root = new ScratchRoot(run.root);
    expect(root.text('/etc/replaced')).toBe('replaced');
    expect(root.list('/etc')).not.toContain('not-written');
  });
});

/** Section behaviour that the conformance vectors pin only indirectly. */
import { goPathJoin } from '../../transpiler/sections/gopath';
import { transpile } from '../../transpiler';
import { TranspileError } from '../../transpiler/diagnostics';

describe('goPathJoin (Go path.Join)', () => {
  test.each([
    [['files', 'a.txt'], 'files/a.txt'],
    [['files', '../x'], 'x'],
    [['files/', '/abs'], 'files/abs'],
    [['./files', 'dir/'], 'files/dir'],
    [['', 'a'], 'a'],
  ])('%j -> %s', (elems, joined) => {
    expect(goPathJoin(...elems)).toBe(joined);
  });
});

describe('transpile', () => {
  test('accepts a typed config object', () => {
    const result = transpile({
      storage: { files: [{ filesystem: 'root', path: '/etc/motd', mode: 0o644, contents: { inline: 'hi <there>' } }] },
      systemd: { units: [{ name: 'app.service', enabled: false }] },
    });
    expect(result.ignition).toMatchObject({
      storage: { files: [{ path: '/etc/motd', mode: 420, contents: { source: 'data:,hi%20%3Cthere%3E' } }] },
      systemd: { units: [{ name: 'app.service', enabled: false }] },
    });
    expect(result.json).toContain('"source":"data:,hi%20%3Cthere%3E"');
    expect(result.stderr).toBe('');
  });

  test('throws TranspileError with ct stderr where ct exits 1', () => {
    const input = 'storage:\n  files:\n    - path: /x\n      mode: 0644\n      contents:\n        inline: a\n        local: b\n';
    expect(() => transpile(input)).toThrow(TranspileError);
    try {
      transpile(input);
    } catch (err) {
      expect((err as TranspileError).stderr).toBe(
        'error at line 6, column 9\nonly one of the following can be set: local, inline, remote.url\nFailed to parse config\n',
      );
    }
  });

  test('flatcar defaults the filesystem to root and emits sizes in MiB', () => {
    const input = 'storage:\n  disks:\n    - device: /dev/sda\n      partitions:\n        - label: x\n          size: 0\n  directories:\n    - path: /d\n      mode: 0700\n';
    const result = transpile(input, { dialect: 'flatcar' });
    expect(result.ignition).toMatchObject({
      ignition: { version: '2.3.0' },
      storage: { directories: [{ filesystem: 'root', path: '/d', mode: 448 }], disks: [{ partitions: [{ sizeMiB: 0 }] }] },
    });
  });

  test('a local file needs a files directory', () => {
    const input = 'storage:\n  files:\n    - filesystem: root\n      path: /x\n      mode: 0644\n      contents:\n        local: a.txt\n';
    expect(() => transpile(input)).toThrow(/local files require setting the --files-dir flag/);
  });
});

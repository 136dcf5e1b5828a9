/** The `ignitionVersion` option of `transpile` and `--ignition-version` of the ct command. */
import { runCt } from '../../transpiler/cli';
import { Ign3TranslationError, translateToV33 } from '../../transpiler/ign3';
import { goPathEscape } from '../../transpiler/ign3/networkd';
import { transpile } from '../../transpiler/transpile';

const CLC = 'systemd:\n  units:\n    - name: a.service\n      enable: true\n      contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n"\n';

describe('transpile({ ignitionVersion })', () => {
  test('defaults to the dialect\'s own 2.x version', () => {
    expect(JSON.parse(transpile(CLC).json).ignition.version).toBe('2.2.0');
    expect(JSON.parse(transpile(CLC, { dialect: 'flatcar' }).json).ignition.version).toBe('2.3.0');
    expect(JSON.parse(transpile(CLC, { dialect: 'flatcar', ignitionVersion: '2.3.0' }).json).ignition.version).toBe('2.3.0');
  });

  test.each(['coreos', 'flatcar'] as const)('3.3.0 from the %s dialect', (dialect) => {
    const result = transpile(CLC, { dialect, ignitionVersion: '3.3.0' });
    expect(result.ignition).toEqual({
      ignition: { config: { replace: { verification: {} } }, proxy: {}, security: { tls: {} }, timeouts: {}, version: '3.3.0' },
      kernelArguments: {},
      passwd: {},
      storage: {},
      systemd: { units: [{ contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n', enabled: true, name: 'a.service' }] },
    });
    expect(result.json.endsWith('\n')).toBe(false);
  });

  test('a 2.x version that is not the dialect\'s own is refused', () => {
    expect(() => transpile(CLC, { ignitionVersion: '2.3.0' })).toThrow(/not the coreos dialect's own \(2\.2\.0\)/);
    expect(() => transpile(CLC, { dialect: 'flatcar', ignitionVersion: '2.2.0' })).toThrow(/not the flatcar dialect's own/);
  });

  test('a config Flatcar cannot translate throws with its error text', () => {
    const clc = 'ignition:\n  config:\n    append:\n      - verification: {}\n';
    expect(() => transpile(clc, { ignitionVersion: '3.3.0' })).toThrow(/unable to translate 2.x ignition to 3.1: error at \$\.ignition\.config\.merge\.0: source is required/);
  });
});

describe('ct --ignition-version', () => {
  test('is listed in the usage text', () => {
    expect(runCt(['-help'], new Uint8Array(), '.').stderr).toContain('  -ignition-version string\n    \tIgnition spec of the output');
  });

  test('writes 3.3.0 and refuses a foreign 2.x version like a bad Go flag value', () => {
    const ok = runCt(['--ignition-version', '3.3.0'], Buffer.from(CLC), '.');
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).ignition.version).toBe('3.3.0');
    const bad = runCt(['--ignition-version', '2.3.0'], Buffer.from(CLC), '.');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^invalid value "2\.3\.0" for flag -ignition-version: .*\nUsage of ct:\n/);
  });

  test('a path-only filesystem (a panic in Flatcar) is a clear error, exit 1', () => {
    const clc = 'storage:\n  filesystems:\n    - name: data\n      path: /sysroot/var\n';
    const run = runCt(['--dialect', 'flatcar', '--ignition-version', '3.3.0'], Buffer.from(clc), '.');
    expect(run).toMatchObject({ stdout: '', stderr: expect.stringMatching(/filesystem "data" has a path and no mount; Flatcar's translator crashes/), exitCode: 1 });
  });
});

describe('translateToV33 on its own', () => {
  test('accepts a parsed 2.x object', () => {
    const t = translateToV33({ ignition: { version: '2.3.0' }, storage: { files: [{ filesystem: 'root', path: '/etc//x/', mode: 420 }] } });
    expect(t.config.storage.files).toEqual([
      { group: {}, overwrite: true, path: '/etc/x', user: {}, append: null, contents: { httpHeaders: null, source: '', verification: {} }, mode: 420 },
    ]);
    expect(t.v31Json).toContain('"version":"3.1.0"');
  });

  test('refuses 2.5.0 as Flatcar does', () => {
    expect(() => translateToV33('{"ignition":{"version":"2.5.0"}}')).toThrow(new Ign3TranslationError('parse', 'unsupported config version'));
  });
});

test('networkd contents are escaped with Go url.PathEscape', () => {
  expect(goPathEscape(" \n/,;?!*'()é$&+:=@-_.~")).toBe('%20%0A%2F%2C%3B%3F%21%2A%27%28%29%C3%A9$&+:=@-_.~');
});

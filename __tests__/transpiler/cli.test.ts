/** The `ct` command's flag handling mirrors Go's `flag` package (docs/ct.md §2). */
import { runCt } from '../../transpiler/cli';

const noStdin = (): Uint8Array => {
  throw new Error('stdin must not be read');
};

describe('ct command line', () => {
  test('--version prints the emulated ct version', () => {
    expect(runCt(['--version'], noStdin, '/')).toMatchObject({ stdout: 'ct v0.9.0\n', stderr: '', exitCode: 0 });
    expect(runCt(['-version', '--dialect=flatcar'], noStdin, '/').stdout).toBe('ct v0.9.4\n');
  });

  test('--help prints Go flag usage to stderr and exits 0', () => {
    const run = runCt(['--help'], noStdin, '/');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage of ct:\n {2}-dialect string\n {4}\tWhich ct/);
    expect(run.stderr).toContain('  -pretty\n    \tIndent the resulting Ignition config.\n');
    expect(run.stderr).toContain(
      'Accepted values: [azure digitalocean ec2 gce packet openstack-metadata vagrant-virtualbox cloudstack-configdrive custom].',
    );
  });

  test('an unknown flag is a usage error with exit code 2', () => {
    const run = runCt(['-bogus'], noStdin, '/');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^flag provided but not defined: -bogus\nUsage of ct:\n/);
  });

  test('-h is help even though it is not defined', () => {
    expect(runCt(['-h'], noStdin, '/').exitCode).toBe(0);
  });

  test('a string flag without a value is an error', () => {
    expect(runCt(['--platform'], noStdin, '/').stderr).toMatch(/^flag needs an argument: -platform\n/);
  });

  test('bool flags take =value only', () => {
    const run = runCt(['--pretty=maybe'], noStdin, '/');
    expect(run.stderr).toMatch(/^invalid boolean value "maybe" for -pretty: parse error\n/);
  });

  test('flags stop at the first non-flag argument', () => {
    const run = runCt(['positional', '--bogus'], () => new Uint8Array(), '/');
    expect(run.exitCode).toBe(0);
  });

  test('a missing --in-file fails like Go os.Open', () => {
    expect(runCt(['--in-file', 'nope.yaml'], noStdin, '/tmp')).toMatchObject({
      stdout: '',
      stderr: 'Failed to open: open nope.yaml: no such file or directory\n',
      exitCode: 1,
    });
  });

  test('compact output has no trailing newline, pretty output has one', () => {
    const input = new TextEncoder().encode('');
    const compact = runCt([], input, '/');
    expect(compact.stdout).toBe(
      '{"ignition":{"config":{},"security":{"tls":{}},"timeouts":{},"version":"2.2.0"},"networkd":{},"passwd":{},"storage":{},"systemd":{}}',
    );
    expect(compact.stderr).toBe('warning: Configuration is empty\n');
    expect(runCt(['--pretty'], input, '/').stdout.endsWith('}\n')).toBe(true);
  });

  test('remote contents behind an alias crash like ct (exit 2)', () => {
    const input = 'r: &r\n  url: http://x/y\nstorage:\n  files:\n    - filesystem: root\n      path: /a\n      mode: 0644\n      contents:\n        remote: *r\n';
    const run = runCt([], new TextEncoder().encode(input), '/');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('panic: interface conversion: astnode.AstNode is nil, not astyaml.YamlNode\n');
  });

  test('flatcar only accepts version 0', () => {
    const run = runCt(['--dialect', 'flatcar'], new TextEncoder().encode('version: 1\n'), '/');
    expect(run).toMatchObject({ stdout: '', stderr: 'error at line 1, column 10\nInvalid version. Only version 0 is supported\nFailed to parse config\n', exitCode: 1 });
  });
});

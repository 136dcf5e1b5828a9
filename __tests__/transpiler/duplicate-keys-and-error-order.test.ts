/**
 * Duplicate mapping keys (ct v0.9.0's YAML fork accepts them and decodes every occurrence in
 * document order; yaml.v3 refuses them) and the order of decode errors around ct's custom
 * `UnmarshalYAML` methods (vectors ct-fuzz/dup-key-first-version-invalid,
 * ct-fuzz/dup-section-etcd-options, ct-fuzz/version-error-vs-merge-null).
 *
 * go-yaml collects type errors and goes on, but an error returned by an `UnmarshalYAML` (go-semver's
 * `x is not in dotted-tri format`) or a structural one (a bad merge) aborts the decode where it
 * happens: the first of those in document order wins, over every type error collected so far.
 */
import { transpile, TranspileError } from '../../transpiler';

type Dialect = 'coreos' | 'flatcar';

function outcome(input: string, dialect: Dialect): string {
  try {
    const result = transpile(input, { dialect });
    return result.stderr + result.json;
  } catch (err) {
    if (err instanceof TranspileError) return err.stderr;
    throw err;
  }
}

/** The etcd-member drop-in ct writes for the given option lines. */
function etcdDropin(vars: string[], args: string[]): string {
  const env = vars.map((v) => `Environment=\\"${v}\\"\\n`).join('');
  const flags = args.map((a) => ` \\\\\\n  ${a}`).join('');
  return `"contents":"[Service]\\n${env}ExecStart=\\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS${flags}"`;
}

describe('duplicate keys, coreos (ct v0.9.0 decodes every occurrence)', () => {
  test('etcd options come from the last section; its version carries over', () => {
    const input = 'etcd:\n  version: 3.1.0\n  name: a\netcd:\n  discovery: b\n';
    expect(outcome(input, 'coreos')).toContain(etcdDropin(['ETCD_IMAGE_TAG=v3.1.0'], ['--discovery=\\"b\\"']));
  });

  test('a repeated version: the last one selects the options', () => {
    const input = 'etcd:\n  version: 3.0.0\n  version: 3.1.0\n  name: a\n';
    expect(outcome(input, 'coreos')).toContain(etcdDropin(['ETCD_IMAGE_TAG=v3.1.0'], ['--name=\\"a\\"']));
  });

  test.each([
    ['etcd:\n  version: TRUE\n  version: 3.3.0\n', 'TRUE is not in dotted-tri format'],
    ['etcd:\n  version: 3.3.0\n  version: "3.0"\n', '3.0 is not in dotted-tri format'],
    ['flannel:\n  version: 0.7.0\nflannel:\n  version: 1.x\n', '1.x is not in dotted-tri format'],
  ])('every version occurrence is parsed: %j', (input, message) => {
    expect(outcome(input, 'coreos')).toBe(`error: ${message}\nFailed to parse config\n`);
  });

  test('flannel keeps network_config from an earlier section, options from the last', () => {
    const input = 'flannel:\n  network_config: "{}"\n  etcd_prefix: a\nflannel:\n  version: 0.7.0\n  interface: b\n';
    expect(outcome(input, 'coreos')).toContain(
      '"contents":"[Service]\\nEnvironment=\\"FLANNEL_IMAGE_TAG=v0.7.0\\"\\nExecStart=\\nExecStart=/usr/lib/coreos/flannel-wrapper $FLANNEL_OPTS \\\\\\n  --iface=\\"b\\"' +
        '\\nExecStartPre=/usr/bin/etcdctl set /coreos.com/network/config \\"{}\\""',
    );
  });

  test('unknown keys are judged on the last occurrence, at its position', () => {
    const input = 'etcd:\n  name: a\n  bogus: 1\netcd:\n  version: 3.0.0\n  nme: b\n';
    expect(outcome(input, 'coreos')).toMatch(/^warning at line 6, column 3\nConfig has unrecognized key: nme\n\{/);
  });

  describe('a last version that selects no options keeps the earlier options (ct assigns none)', () => {
    test('flannel 1.0.0 renders the 0.7 options of the first section', () => {
      const input = 'flannel:\n  version: 0.7.0\n  etcd_prefix: a\nflannel:\n  version: 1.0.0\n  interface: b\n';
      expect(outcome(input, 'coreos')).toContain(
        '"contents":"[Service]\\nEnvironment=\\"FLANNEL_IMAGE_TAG=v1.0.0\\"\\nExecStart=\\nExecStart=/usr/lib/coreos/flannel-wrapper $FLANNEL_OPTS \\\\\\n  --etcd-prefix=\\"a\\""',
      );
    });

    test("and checks kube_subnet_mgr against them", () => {
      const input = 'flannel:\n  version: 0.7.0\n  kube_subnet_mgr: true\nflannel:\n  version: 2.0.0\n  network_config: "{}"\n';
      expect(outcome(input, 'coreos')).toBe('error at line 5, column 3\nflannel network config cannot be provided if kube_subnet_mgr is set\nFailed to parse config\n');
    });

    test('etcd: option keys stay known', () => {
      const input = 'etcd:\n  version: 3.0.0\n  name: a\netcd:\n  version: 1.0.0\n  name: b\n';
      expect(outcome(input, 'coreos')).toBe('error at line 5, column 12\nEtcd version specified is not valid (too old)\nFailed to parse config\n');
      // without an earlier section they are unknown
      expect(outcome('etcd:\n  version: 1.0.0\n  name: b\n', 'coreos')).toBe(
        'error at line 2, column 12\nEtcd version specified is not valid (too old)\nwarning at line 3, column 3\nConfig has unrecognized key: name\nFailed to parse config\n',
      );
    });
  });

  test('a repeated struct section is decoded into the same struct', () => {
    const input = 'storage:\n  files:\n    - path: /a\n      filesystem: root\n      mode: 0644\nstorage:\n  directories:\n    - path: /d\n      filesystem: root\n      mode: 0755\n';
    expect(outcome(input, 'coreos')).toContain(
      '"storage":{"directories":[{"filesystem":"root","path":"/d","mode":493}],"files":[{"filesystem":"root","path":"/a","contents":{"source":"data:,","verification":{}},"mode":420}]}',
    );
  });
});

describe('duplicate keys, flatcar (yaml.v3 refuses them)', () => {
  test.each([
    ['etcd:\n  name: a\netcd:\n  discovery: b\n', '  line 3: mapping key "etcd" already defined at line 1'],
    ['etcd:\n  version: x\n  version: 3.3.0\n', '  line 3: mapping key "version" already defined at line 2'],
  ])('%j', (input, line) => {
    expect(outcome(input, 'flatcar')).toBe(`error: yaml: unmarshal errors:\n${line}\nFailed to parse config\n`);
  });
});

describe.each(['coreos', 'flatcar'] as const)('error order, %s', (dialect) => {
  const versionError = 'error: x is not in dotted-tri format\nFailed to parse config\n';
  const mergeError = 'error: yaml: map merge requires map or sequence of maps as the value\nFailed to parse config\n';

  test.each([
    ['a later null merge', 'etcd:\n  version: x\n  <<:\n'],
    ['a later scalar merge', 'etcd:\n  version: x\n  <<: 5\n'],
    ['a later self-referencing alias', 'etcd: &a\n  version: x\n  <<: *a\n'],
    ['flannel: a later merge', 'flannel:\n  version: x\n  <<: 5\n'],
    ["flannel: an earlier network_config type error", 'flannel:\n  network_config: [a]\n  version: x\n'],
    ['a type error in an earlier section', 'passwd:\n  users: 5\netcd:\n  version: x\n'],
    ['a later key after a merged mapping', 'etcd:\n  <<: {version: x}\n  name: [a]\n'],
  ])('a bad version wins over %s', (_name, input) => {
    expect(outcome(input, dialect)).toBe(versionError);
  });

  test('an earlier merge error wins over the version', () => {
    expect(outcome('etcd:\n  <<: 5\n  version: x\n', dialect)).toBe(mergeError);
  });

  test('with a good version, a type error skips the options decode', () => {
    // ct's UnmarshalYAML returns the type error before decoding its options: `name` is not looked at
    const input = 'flannel:\n  version: 0.7.0\n  network_config: [a]\n  etcd_prefix: !!int x\n';
    expect(outcome(input, dialect)).toBe(
      'error: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!seq into types.NetworkConfig\nFailed to parse config\n',
    );
  });
});

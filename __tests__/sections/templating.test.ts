import {
  assembleUnit,
  DropinText,
  ERR_PLATFORM_UNSPECIFIED,
  ERR_UNKNOWN_FIELD,
  hasTemplating,
  optionSet,
  performTemplating,
  PLATFORM_TEMPLATE_FIELDS,
  renderArgs,
  renderValue,
} from '../../transpiler/sections/templating';
import { SUPPORTED_PLATFORMS } from '../../transpiler/sections/platform';

function templated(platform: string, ...args: string[]): string[] | string {
  const r = performTemplating(platform, args);
  return r.ok ? r.value : r.error;
}

describe('hasTemplating (docs/ct.md §8.1)', () => {
  it('is triggered by a lone opening or closing brace', () => {
    expect(hasTemplating(['--a="x"', '--b="{"'])).toBe(true);
    expect(hasTemplating(['--b="}"'])).toBe(true);
  });
  it('is false without braces', () => {
    expect(hasTemplating(['--name="plain"', '--cors=""'])).toBe(false);
    expect(hasTemplating([])).toBe(false);
  });
});

describe('performTemplating (docs/ct.md §8.2)', () => {
  it('substitutes several placeholders in one argument', () => {
    expect(templated('gce', '--initial-cluster="{HOSTNAME}=http://{PRIVATE_IPV4}:2380"')).toEqual([
      '--initial-cluster="${COREOS_GCE_HOSTNAME}=http://${COREOS_GCE_IP_LOCAL_0}:2380"',
    ]);
  });

  it('handles adjacent placeholders', () => {
    expect(templated('gce', '{HOSTNAME}{HOSTNAME}.{PRIVATE_IPV4}')).toEqual([
      '${COREOS_GCE_HOSTNAME}${COREOS_GCE_HOSTNAME}.${COREOS_GCE_IP_LOCAL_0}',
    ]);
  });

  it('stops at a closing brace before the first opening one', () => {
    expect(templated('gce', 'a}{HOSTNAME}')).toEqual(['a}{HOSTNAME}']);
    expect(templated('gce', 'weird}{name')).toEqual(['weird}{name']);
  });

  it('leaves lone braces alone', () => {
    expect(templated('gce', '{', '}', 'x{y')).toEqual(['{', '}', 'x{y']);
  });

  it('continues after a replacement and ignores a trailing lone brace', () => {
    expect(templated('ec2', '{HOSTNAME}-{')).toEqual(['${COREOS_EC2_HOSTNAME}-{']);
    expect(templated('ec2', '{HOSTNAME}}x')).toEqual(['${COREOS_EC2_HOSTNAME}}x']);
  });

  it('keeps multi-byte text around placeholders intact', () => {
    expect(templated('gce', 'ünï-{HOSTNAME}-✓-{PUBLIC_IPV4}')).toEqual([
      'ünï-${COREOS_GCE_HOSTNAME}-✓-${COREOS_GCE_IP_EXTERNAL_0}',
    ]);
  });

  it('does not treat `$` in the replacement specially', () => {
    expect(templated('custom', '$&{HOSTNAME}$1')).toEqual(['$&${COREOS_CUSTOM_HOSTNAME}$1']);
  });

  it.each([
    ['empty braces', '{}'],
    ['a lower-case name', '{hostname}'],
    ['an unknown name', '{INSTANCE_ID}'],
    ['a nested brace', '{{HOSTNAME}}'],
    ['a field the platform lacks', '{PUBLIC_IPV6}'],
  ])('fails with "unknown field" for %s', (_what, arg) => {
    expect(templated('gce', arg)).toBe(ERR_UNKNOWN_FIELD);
  });

  it('fails on the first bad argument even after good ones', () => {
    expect(templated('gce', '{HOSTNAME}', '{NOPE}')).toBe(ERR_UNKNOWN_FIELD);
  });

  it('has a table entry for every supported platform', () => {
    expect(Object.keys(PLATFORM_TEMPLATE_FIELDS).sort()).toEqual([...SUPPORTED_PLATFORMS].sort());
  });

  // docs/ct.md §8.2 table; '-' means unknown field.
  const table: [string, (string | undefined)[]][] = [
    ['azure', [undefined, 'COREOS_AZURE_IPV4_DYNAMIC', 'COREOS_AZURE_IPV4_VIRTUAL', undefined, undefined]],
    ['digitalocean', ['COREOS_DIGITALOCEAN_HOSTNAME', 'COREOS_DIGITALOCEAN_IPV4_PRIVATE_0', 'COREOS_DIGITALOCEAN_IPV4_PUBLIC_0', 'COREOS_DIGITALOCEAN_IPV6_PRIVATE_0', 'COREOS_DIGITALOCEAN_IPV6_PUBLIC_0']],
    ['ec2', ['COREOS_EC2_HOSTNAME', 'COREOS_EC2_IPV4_LOCAL', 'COREOS_EC2_IPV4_PUBLIC', undefined, undefined]],
    ['gce', ['COREOS_GCE_HOSTNAME', 'COREOS_GCE_IP_LOCAL_0', 'COREOS_GCE_IP_EXTERNAL_0', undefined, undefined]],
    ['packet', ['COREOS_PACKET_HOSTNAME', 'COREOS_PACKET_IPV4_PRIVATE_0', 'COREOS_PACKET_IPV4_PUBLIC_0', undefined, 'COREOS_PACKET_IPV6_PUBLIC_0']],
    ['openstack-metadata', ['COREOS_OPENSTACK_HOSTNAME', 'COREOS_OPENSTACK_IPV4_LOCAL', 'COREOS_OPENSTACK_IPV4_PUBLIC', undefined, undefined]],
    ['vagrant-virtualbox', ['COREOS_VAGRANT_VIRTUALBOX_HOSTNAME', 'COREOS_VAGRANT_VIRTUALBOX_PRIVATE_IPV4', undefined, undefined, undefined]],
    ['cloudstack-configdrive', ['CLOUDSTACK_LOCAL_HOSTNAME', undefined, undefined, undefined, undefined]],
    ['custom', ['COREOS_CUSTOM_HOSTNAME', 'COREOS_CUSTOM_PRIVATE_IPV4', 'COREOS_CUSTOM_PUBLIC_IPV4', 'COREOS_CUSTOM_PRIVATE_IPV6', 'COREOS_CUSTOM_PUBLIC_IPV6']],
  ];
  const fields = ['HOSTNAME', 'PRIVATE_IPV4', 'PUBLIC_IPV4', 'PRIVATE_IPV6', 'PUBLIC_IPV6'];
  describe.each(table)('platform %s', (platform, envs) => {
    it.each(fields.map((f, i) => [f, envs[i] ?? '(unknown field)'] as const))('maps %s to %s', (fieldName, env) => {
      expect(templated(platform, `x{${fieldName}}y`)).toEqual(env === '(unknown field)' ? ERR_UNKNOWN_FIELD : [`x\${${env}}y`]);
    });
  });
});

describe('assembleUnit (docs/ct.md §5.12, §8.1)', () => {
  const exec = '/usr/lib/coreos/etcd-wrapper $ETCD_OPTS';

  it('renders a bare ExecStart without arguments', () => {
    const r = assembleUnit(exec, [], [], '');
    expect(r.ok && r.value.render()).toBe('[Service]\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS');
  });

  it('adds Environment lines and continued arguments, without a trailing newline', () => {
    const r = assembleUnit(exec, ['--name="a"', '--debug=true'], ['ETCD_IMAGE_TAG=v3.1.0'], '');
    expect(r.ok && r.value.render()).toBe(
      '[Service]\nEnvironment="ETCD_IMAGE_TAG=v3.1.0"\nExecStart=\n' +
        'ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --name="a" \\\n  --debug=true',
    );
  });

  it('requires a platform when templating is used', () => {
    expect(assembleUnit(exec, ['--name="{HOSTNAME}"'], [], '')).toEqual({ ok: false, error: ERR_PLATFORM_UNSPECIFIED });
  });

  it('adds the metadata dependency even when nothing is substituted', () => {
    const r = assembleUnit(exec, ['--cors="{"'], [], 'azure');
    expect(r.ok && r.value.render()).toBe(
      '[Unit]\nRequires=coreos-metadata.service\nAfter=coreos-metadata.service\n\n' +
        '[Service]\nEnvironmentFile=/run/metadata/coreos\nExecStart=\n' +
        'ExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --cors="{"',
    );
  });

  it('reports unknown fields from the substitution', () => {
    expect(assembleUnit(exec, ['--name="{NOPE}"'], [], 'gce')).toEqual({ ok: false, error: ERR_UNKNOWN_FIELD });
  });
});

describe('DropinText', () => {
  it('separates non-empty sections by one blank line', () => {
    const d = new DropinText();
    d.unit.push('A=1');
    d.install.push('WantedBy=x');
    expect(d.render()).toBe('[Unit]\nA=1\n\n[Install]\nWantedBy=x');
  });
  it('is empty with no lines', () => {
    expect(new DropinText().render()).toBe('');
  });
});

describe('renderValue / renderArgs (docs/ct.md §6)', () => {
  it('quotes strings like Go %q and prints ints and bools with %v', () => {
    expect(renderValue('quote"back\\slash\ttab ünï ✓')).toBe('"quote\\"back\\\\slash\\ttab ünï ✓"');
    expect(renderValue('bell\x07 nul\x00 del\x7f nbsp\u00a0')).toBe('"bell\\a nul\\x00 del\\x7f nbsp\\u00a0"');
    expect(renderValue('')).toBe('""');
    expect(renderValue(0)).toBe('0');
    expect(renderValue(false)).toBe('false');
    expect(renderValue(8589934592)).toBe('8589934592');
  });

  const set = optionSet('types.Test', ['b_opt:b', 'a_opt', 'n_opt:i', 'interface'], { interface: 'iface' });

  it('emits present options in struct order, including zero values', () => {
    expect(renderArgs(set, { n_opt: 0, a_opt: '', b_opt: false, interface: 'eth0' })).toEqual([
      '--b-opt=false',
      '--a-opt=""',
      '--n-opt=0',
      '--iface="eth0"',
    ]);
  });

  it('skips absent options and renders nothing without an option set', () => {
    expect(renderArgs(set, { a_opt: 'x', n_opt: undefined })).toEqual(['--a-opt="x"']);
    expect(renderArgs(undefined, { a_opt: 'x' })).toEqual([]);
  });

  it('builds pointer fields with Go names and the declared types', () => {
    expect(set.def.goName).toBe('types.Test');
    expect(set.def.fields.map((f) => [f.name, f.key, f.type])).toEqual([
      ['BOpt', 'b_opt', { kind: 'ptr', elem: { kind: 'bool' } }],
      ['AOpt', 'a_opt', { kind: 'ptr', elem: { kind: 'string' } }],
      ['NOpt', 'n_opt', { kind: 'ptr', elem: { kind: 'int' } }],
      ['Interface', 'interface', { kind: 'ptr', elem: { kind: 'string' } }],
    ]);
  });
});

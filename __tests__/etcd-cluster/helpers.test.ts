import { bindWildcardTo, rewriteMounted } from './local-cluster';
import { flagValue, withFlag } from './etcd-member';
import { evaluateTemplate } from './terraform-template';

describe('evaluating user-data as Terraform would', () => {
  const vars = { project: 'p-1', key: 'a "q" <b> & c' };

  test('escapes: $${ and %%{ are literal ${ and %{; ${"$"} is a literal $', () => {
    expect(evaluateTemplate('a $${X} %%{ b ${"$"}{COREOS_GCE_IP_LOCAL_0} $x %x', vars)).toBe('a ${X} %{ b ${COREOS_GCE_IP_LOCAL_0} $x %x');
  });

  test('variables through nested jsonencode / trimprefix / trimsuffix, as CoreOSInstance writes quoted option values', () => {
    const once = '${trimsuffix(trimprefix(jsonencode(var.key), "\\""), "\\"")}';
    const twice = '${trimsuffix(trimprefix(jsonencode(trimsuffix(trimprefix(jsonencode(var.key), "\\""), "\\"")), "\\""), "\\"")}';
    expect(evaluateTemplate(once, vars)).toBe('a \\"q\\" \\u003cb\\u003e \\u0026 c');
    expect(evaluateTemplate(twice, vars)).toBe('a \\\\\\"q\\\\\\" \\\\u003cb\\\\u003e \\\\u0026 c');
    expect(evaluateTemplate('x.c.${var.project}.internal', vars)).toBe('x.c.p-1.internal');
  });

  test('join, lower, base64encode and string templates inside expressions', () => {
    expect(evaluateTemplate('${base64encode(join("", ["a${var.project}", lower("B")]))}', vars)).toBe(Buffer.from('ap-1b').toString('base64'));
  });

  test('resource attributes: the value given for the reference, else for TYPE.ATTRIBUTE, else the apply-time stand-in', () => {
    const address = '${google_compute_address.etcd_address-0_1A2B.address}';
    expect(evaluateTemplate(address, { 'google_compute_address.etcd_address-0_1A2B.address': '127.0.0.71' })).toBe('127.0.0.71');
    expect(evaluateTemplate(address, { 'google_compute_address.address': '10.0.0.9' })).toBe('10.0.0.9');
    expect(evaluateTemplate('gs://${google_storage_bucket.secrets_bucket_46588FF2.name}/x', {})).toBe('gs://demo-secrets-0a1b2c3d/x');
    expect(() => evaluateTemplate(address, {})).toThrow(/no test value for google_compute_address.etcd_address-0_1A2B.address/);
  });

  test('unknown functions, references without a value and directives fail loudly', () => {
    expect(() => evaluateTemplate('${upper2(var.project)}', vars)).toThrow(/unsupported function/);
    expect(() => evaluateTemplate('${var.nope}', vars)).toThrow(/no test value for var.nope/);
    expect(() => evaluateTemplate('%{ if true }x%{ endif }', vars)).toThrow(/directive/);
  });
});

describe('local stand-ins for machine-specific flag values', () => {
  test('wildcard listen addresses bind to the member address; other flags and hosts stay', () => {
    const ip = '127.0.0.12';
    expect(bindWildcardTo('--listen-client-urls=http://0.0.0.0:2379', ip)).toBe('--listen-client-urls=http://127.0.0.12:2379');
    expect(bindWildcardTo('--listen-peer-urls=https://[::]:2380,http://10.0.0.1:2380', ip)).toBe('--listen-peer-urls=https://127.0.0.12:2380,http://10.0.0.1:2380');
    expect(bindWildcardTo('--advertise-client-urls=http://0.0.0.0:2379', ip)).toBe('--advertise-client-urls=http://0.0.0.0:2379');
    expect(bindWildcardTo('--listen-client-urls=http://0.0.0.0.example:2379', ip)).toBe('--listen-client-urls=http://0.0.0.0.example:2379');
  });

  test("a mounted directory's paths become the local directory's where mounts are not available", () => {
    const mounts = [{ source: '/tmp/n0/etc/ssl/etcd', target: '/etc/ssl/certs' }];
    expect(rewriteMounted('--cert-file=/etc/ssl/certs/server.pem', mounts)).toBe('--cert-file=/tmp/n0/etc/ssl/etcd/server.pem');
    expect(rewriteMounted('--cert-file=/etc/ssl/certsX/server.pem', mounts)).toBe('--cert-file=/etc/ssl/certsX/server.pem');
  });

  test('flagValue takes the last occurrence, withFlag keeps positions', () => {
    expect(flagValue(['--a=1', '--b', '--a=2'], 'a')).toBe('2');
    expect(flagValue(['--a=1', '--b'], 'b')).toBe('true');
    expect(flagValue(['--ab=1'], 'a')).toBeUndefined();
    expect(withFlag(['--x=1', '--data-dir=/var/lib/etcd', '--y'], 'data-dir', '/tmp/d')).toEqual(['--x=1', '--data-dir=/tmp/d', '--y']);
  });
});

import type { ConvertContext } from '../../transpiler/convert';
import type { GoStruct } from '../../transpiler/schema';
import { dockerDropin, dockerField, dockerTranslator } from '../../transpiler/sections/docker';
import { etcdTranslator } from '../../transpiler/sections/etcd';
import { flannelTranslator } from '../../transpiler/sections/flannel';
import { isSupportedPlatform, platformTranslator, SUPPORTED_PLATFORMS } from '../../transpiler/sections/platform';
import { expectedDropin, expectedUnits } from './vectors';

const ctx = (platform = ''): ConvertContext => ({ dialect: 'coreos', platform, filesDir: '', readFile: () => new Uint8Array(), generated: [] });

/** Units as ct's JSON shows them: zero values left out, as `omitempty` does. */
function asJson(units: GoStruct[] | null): unknown {
  return JSON.parse(
    JSON.stringify(units, (_k, v) => (v === false || v === '' || v === null || (Array.isArray(v) && v.length === 0) ? undefined : v)),
  );
}

describe('docker (docs/ct.md §5.11)', () => {
  it('is a pointer to types.Docker with a string list', () => {
    expect(dockerField.key).toBe('docker');
    expect(dockerField.type).toMatchObject({ kind: 'ptr', elem: { kind: 'struct', def: { goName: 'types.Docker' } } });
  });

  it('docker-flags', () => {
    const flags = ['--insecure-registry=registry.local:5000', '--log-driver=journald', '--storage-driver=overlay2'];
    expect(dockerDropin(flags)).toBe(expectedDropin('docker-flags', 'docker.service'));
  });

  it('docker-flags-with-quotes: no escaping', () => {
    const flags = ['--log-opt tag="{{.Name}}"', '--default-ulimit nofile=1024:4096', '--label "env=prod & test"'];
    expect(dockerDropin(flags)).toBe(expectedDropin('docker-flags-with-quotes', 'docker.service'));
  });

  it('braces are not templated and need no platform', () => {
    expect(dockerDropin(['--bip={PRIVATE_IPV4}/24'])).toBe(expectedDropin('dynamic-ignored-outside-etcd-flannel', 'docker.service'));
  });

  it('docker: {} gives an empty DOCKER_OPTS; a nil docker adds nothing', () => {
    const out: GoStruct = { systemd: { units: null } };
    dockerTranslator({ docker: { flags: null } }, undefined, out, ctx());
    expect(out.systemd.units).toMatchObject([
      { name: 'docker.service', enable: true, dropins: [{ name: '20-clct-docker.conf', contents: '[Service]\nEnvironment="DOCKER_OPTS="' }] },
    ]);
    const none: GoStruct = { systemd: { units: null } };
    dockerTranslator({ docker: undefined }, undefined, none, ctx());
    expect(none.systemd.units).toBeNull();
  });
});

describe('platforms (docs/ct.md §2, §8.3)', () => {
  it('lists the nine platforms of ct', () => {
    expect(SUPPORTED_PLATFORMS).toEqual([
      'azure', 'digitalocean', 'ec2', 'gce', 'packet', 'openstack-metadata', 'vagrant-virtualbox', 'cloudstack-configdrive', 'custom',
    ]);
    expect(isSupportedPlatform('')).toBe(true);
    expect(isSupportedPlatform('bare-metal')).toBe(false);
    expect(isSupportedPlatform('GCE')).toBe(false);
  });

  it.each(['openstack-metadata', 'cloudstack-configdrive'])('%s adds the two coreos-metadata units', (platform) => {
    const out: GoStruct = { systemd: { units: null } };
    expect(platformTranslator({}, undefined, out, ctx(platform)).entries).toEqual([]);
    const vector = platform === 'openstack-metadata' ? 'platform-openstack-adds-metadata' : 'dynamic-cloudstack-configdrive';
    expect(asJson(out.systemd.units)).toEqual(expectedUnits(vector).slice(0, 2));
  });

  it.each(['', 'gce', 'ec2', 'custom'])('platform %j adds no units', (platform) => {
    const out: GoStruct = { systemd: { units: null } };
    platformTranslator({}, undefined, out, ctx(platform));
    expect(out.systemd.units).toBeNull();
  });

  it('dynamic-cloudstack-configdrive: generated units in converter order', () => {
    const config = { etcd: { name: '{HOSTNAME}' }, flannel: { version: '0.7.1', etcd_prefix: '/{HOSTNAME}/network' } };
    const out: GoStruct = { systemd: { units: null } };
    for (const translate of [platformTranslator, dockerTranslator, etcdTranslator, flannelTranslator]) {
      expect(translate(config, undefined, out, ctx('cloudstack-configdrive')).entries).toEqual([]);
    }
    expect(asJson(out.systemd.units)).toEqual(expectedUnits('dynamic-cloudstack-configdrive'));
  });
});

import type { ConvertContext, Dialect } from '../../transpiler/convert';
import type { GoStruct, StructDef } from '../../transpiler/schema';
import { decodeSemver } from '../../transpiler/sections/etcd';
import {
  FLANNEL_MINOR_TOO_NEW,
  FLANNEL_TOO_OLD,
  flannel05Options,
  flannel06Options,
  flannel07Options,
  flannelDropin,
  flannelField,
  flannelTranslator,
  NETWORK_CONFIG_INVALID_JSON,
  NETWORK_CONFIG_WITH_KUBE_SUBNET_MGR,
  selectFlannelOptions,
  validateFlannelVersion,
  validateNetworkConfig,
} from '../../transpiler/sections/flannel';
import { expectedDropin } from './vectors';

const entries = (r: { entries: readonly { severity: string; message: string }[] }) => r.entries.map((e) => [e.severity, e.message]);
const ctx = (platform = '', dialect: Dialect = 'coreos'): ConvertContext => ({ dialect, platform, filesDir: '', readFile: () => new Uint8Array(), generated: [] });
const dropin = (flannel: GoStruct, platform = '') => {
  const r = flannelDropin(flannel, ctx(platform));
  return 'contents' in r ? r.contents : r.error;
};

function flannelStruct(dialect: Dialect): StructDef {
  const t = flannelField(dialect).type;
  if (t.kind !== 'ptr' || t.elem.kind !== 'struct') throw new Error('flannel is a *types.Flannel');
  return t.elem.def;
}

describe('flannel version (docs/ct.md §5.13)', () => {
  it.each([
    ['0.4.1', [['error', FLANNEL_TOO_OLD]]],
    ['0.5.0-rc.1', [['error', FLANNEL_TOO_OLD]]],
    ['0.5.0', []],
    ['0.7.1', []],
    ['0.8.0', [['warning', FLANNEL_MINOR_TOO_NEW]]],
    ['1.0.0', []],
  ])('%s', (text, expected) => {
    expect(entries(validateFlannelVersion(decodeSemver(text, 'coreos')))).toEqual(expected);
  });

  it.each([
    ['0.5.9', flannel05Options],
    ['0.6.0', flannel06Options],
    ['0.7.0', flannel07Options],
    ['0.12.0', flannel07Options],
    ['0.4.0', undefined],
    ['1.0.0', undefined],
  ])('%s selects its option set', (text, set) => {
    expect(selectFlannelOptions(decodeSemver(text, 'coreos'))).toBe(set);
  });

  it('defaults to the 0.6 set', () => {
    expect(flannelStruct('coreos').embedded?.({})).toBe(flannel06Options.def);
  });

  it('renames interface to --iface and keeps ip_masq a string', () => {
    expect(flannel07Options.options.find((o) => o.key === 'interface')?.flag).toBe('iface');
    expect(flannel07Options.options.find((o) => o.key === 'ip_masq')?.kind).toBe('string');
    expect(flannel07Options.options.map((o) => o.key).slice(-1)).toEqual(['kube_subnet_mgr']);
    expect(flannel05Options.options.map((o) => o.key)).not.toContain('etcd_username');
  });
});

describe('flannel network_config (docs/ct.md §5.13)', () => {
  it.each([
    ['', true],
    ['{"Network": "10.0.0.0/8"}', true],
    [' {}\n', true],
    ['null', true],
    ['{ Network: 10.0.0.0/8 }', false],
    ['[1]', false],
    ['"text"', false],
    ['{} x', false],
  ])('%j valid: %s', (text, valid) => {
    expect(entries(validateNetworkConfig(text))).toEqual(valid ? [] : [['error', NETWORK_CONFIG_INVALID_JSON]]);
  });

  it('is a types.NetworkConfig string validated at its value', () => {
    const t = flannelStruct('coreos').fields[1].type;
    expect(t.kind === 'named' && t.goName).toBe('types.NetworkConfig');
    expect(t.kind === 'named' && t.validate && entries(t.validate('nope'))).toEqual([['error', NETWORK_CONFIG_INVALID_JSON]]);
  });

  it('refuses network_config with kube_subnet_mgr in the 0.7 set only', () => {
    const check = (value: GoStruct) => entries(flannelStruct('coreos').validate?.(value) ?? { entries: [] });
    const net = '{"Network": "10.244.0.0/16"}';
    expect(check({ version: '0.7.0', kube_subnet_mgr: true, network_config: net })).toEqual([
      ['error', NETWORK_CONFIG_WITH_KUBE_SUBNET_MGR],
    ]);
    expect(check({ version: '0.7.0', kube_subnet_mgr: false, network_config: net })).toEqual([]);
    expect(check({ version: '0.7.0', kube_subnet_mgr: true, network_config: '' })).toEqual([]);
    expect(check({ kube_subnet_mgr: true, network_config: net })).toEqual([]);
  });
});

describe('flannel drop-in, byte for byte against ct', () => {
  it('flannel-network-config-only (no version, trailing newline quoted)', () => {
    const net = '{"Network": "172.16.0.0/12", "SubnetLen": 24, "Backend": {"Type": "host-gw"}}\n';
    expect(dropin({ network_config: net })).toBe(expectedDropin('flannel-network-config-only', 'flanneld.service'));
  });

  it('flannel-network-config-etcd-tls', () => {
    const flannel = {
      version: '0.6.2',
      etcd_endpoints: 'https://10.0.0.1:2379,https://10.0.0.2:2379',
      etcd_cafile: '/etc/ssl/etcd/ca.pem',
      etcd_certfile: '/etc/ssl/etcd/client.pem',
      etcd_keyfile: '/etc/ssl/etcd/client-key.pem',
      network_config: '{ "Network": "10.2.0.0/16", "Backend": { "Type": "vxlan", "VNI": 1 } }',
    };
    expect(dropin(flannel)).toBe(expectedDropin('flannel-network-config-etcd-tls', 'flanneld.service'));
  });

  it('flannel-0-8-too-new-minor (0.7 set, explicit false)', () => {
    expect(dropin({ version: '0.8.0', kube_subnet_mgr: false, interface: 'eth0' })).toBe(
      expectedDropin('flannel-0-8-too-new-minor', 'flanneld.service'),
    );
  });

  it('flannel-major-1-no-option-set (network_config still used)', () => {
    expect(dropin({ version: '1.0.0', network_config: '{"Network":"10.9.0.0/16"}' })).toBe(
      expectedDropin('flannel-major-1-no-option-set', 'flanneld.service'),
    );
  });

  it('flannel-dynamic-gce', () => {
    const flannel = { version: '0.7.0', etcd_endpoints: 'http://{PRIVATE_IPV4}:2379', public_ip: '{PUBLIC_IPV4}' };
    expect(dropin(flannel, 'gce')).toBe(expectedDropin('flannel-dynamic-gce', 'flanneld.service'));
  });

  it('flannel-dynamic-without-platform-netconfig-braces (network_config is never templated)', () => {
    const flannel = {
      version: '0.7.1',
      etcd_endpoints: 'http://127.0.0.1:2379',
      network_config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}',
    };
    expect(dropin(flannel)).toBe(expectedDropin('flannel-dynamic-without-platform-netconfig-braces', 'flanneld.service'));
  });

  it('err-dynamic-empty-braces', () => {
    expect(dropin({ interface: '{}' }, 'ec2')).toBe('unknown field');
  });
});

describe('flannelTranslator', () => {
  it('appends an enabled flanneld.service', () => {
    const out: GoStruct = { systemd: { units: null } };
    expect(flannelTranslator({ flannel: {} }, undefined, out, ctx()).entries).toEqual([]);
    expect(out.systemd.units).toMatchObject([
      {
        name: 'flanneld.service',
        enable: true,
        dropins: [{ name: '20-clct-flannel.conf', contents: '[Service]\nExecStart=\nExecStart=/usr/lib/coreos/flannel-wrapper $FLANNEL_OPTS' }],
      },
    ]);
  });

  it('reports templating errors without a position', () => {
    const out: GoStruct = { systemd: { units: null } };
    const report = flannelTranslator({ flannel: { public_ip: '{PUBLIC_IPV4}' } }, undefined, out, ctx());
    expect(report.toString()).toBe('error: platform must be specified to use templating');
  });
});

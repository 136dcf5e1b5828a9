import type { ConvertContext, Dialect } from '../../transpiler/convert';
import type { GoStruct, StructDef } from '../../transpiler/schema';
import {
  decodeSemver,
  ETCD_MAJOR_VERSION_TOO_NEW,
  ETCD_MINOR_VERSION_TOO_NEW,
  ETCD_VERSION_TOO_OLD,
  etcdDropin,
  etcdField,
  etcdTranslator,
  selectEtcdOptions,
  validateEtcdVersion,
} from '../../transpiler/sections/etcd';
import { parseSemver, semverString, type Semver } from '../../transpiler/go/semver';
import {
  etcd2Options,
  etcd30Options,
  etcd31Options,
  etcd32Options,
  etcd33Options,
  etcd34Options,
  etcd35Options,
} from '../../transpiler/sections/etcd-options';
import { YamlError } from '../../transpiler/yaml/errors';
import { expectedDropin } from './vectors';

const v = (text: string, dialect: Dialect = 'coreos'): Semver => decodeSemver(text, dialect);
const entries = (r: { entries: readonly { severity: string; message: string }[] }) => r.entries.map((e) => [e.severity, e.message]);
const ctx = (dialect: Dialect, platform = ''): ConvertContext => ({ dialect, platform, filesDir: '', readFile: () => new Uint8Array(), generated: [] });

describe('parseSemver (go-semver Set)', () => {
  it('parses pre-release and metadata and re-renders numbers in decimal', () => {
    expect(semverString(v('3.3.0-rc.1+build.7'))).toBe('3.3.0-rc.1+build.7');
    expect(semverString(v('03.01.002'))).toBe('3.1.2');
    // a sign is split off as pre-release or metadata before the numbers are read
    expect(parseSemver('3.+1.2', false)).toBe('3. is not in dotted-tri format');
    expect(v('3.1.9')).toEqual({ major: 3n, minor: 1n, patch: 9n, preRelease: '', metadata: '' });
  });

  it('reports a missing part as not dotted-tri, after splitting off pre-release and metadata', () => {
    expect(parseSemver('3.0', false)).toBe('3.0 is not in dotted-tri format');
    expect(parseSemver('3.0-rc.1.2', false)).toBe('3.0 is not in dotted-tri format');
    expect(parseSemver('', false)).toBe(' is not in dotted-tri format');
    expect(parseSemver('-1.0.0', false)).toBe(' is not in dotted-tri format');
  });

  it('reports Go strconv errors for bad numbers', () => {
    expect(parseSemver('3.x.0', false)).toBe('strconv.ParseInt: parsing "x": invalid syntax');
    expect(parseSemver('1.2.3.4', false)).toBe('strconv.ParseInt: parsing "3.4": invalid syntax');
    expect(parseSemver('3..0', false)).toBe('strconv.ParseInt: parsing "": invalid syntax');
    expect(parseSemver('3.0.99999999999999999999', false)).toBe(
      'strconv.ParseInt: parsing "99999999999999999999": value out of range',
    );
    expect(parseSemver('3.0.9223372036854775807', false)).toMatchObject({ patch: 9223372036854775807n });
  });

  it('validates identifiers only in Flatcar (go-semver v0.3.0)', () => {
    expect(parseSemver('3.3.0-rc_1', false)).toMatchObject({ preRelease: 'rc_1' });
    expect(parseSemver('3.3.0-rc_1', true)).toBe('failed to validate pre-release: rc_1 is not a valid semver identifier');
    expect(parseSemver('3.3.0+a..b', true)).toBe('failed to validate metadata: a..b is not a valid semver identifier');
  });

  it('decodeSemver throws the decode error', () => {
    expect(() => decodeSemver('3.0', 'coreos')).toThrow(new YamlError('3.0 is not in dotted-tri format'));
  });
});

describe('validateEtcdVersion (docs/ct.md §5.12)', () => {
  it.each([
    ['2.2.5', 'coreos', [['error', ETCD_VERSION_TOO_OLD]]],
    ['2.3.0-rc.1', 'coreos', [['error', ETCD_VERSION_TOO_OLD]]],
    ['2.3.8', 'coreos', []],
    ['2.4.0', 'coreos', [['warning', ETCD_MINOR_VERSION_TOO_NEW]]],
    ['3.3.25', 'coreos', []],
    ['3.4.13', 'coreos', [['warning', ETCD_MINOR_VERSION_TOO_NEW]]],
    ['3.4.13', 'flatcar', []],
    ['3.5.0', 'flatcar', []],
    ['3.6.0', 'flatcar', [['warning', ETCD_MINOR_VERSION_TOO_NEW]]],
    ['4.0.0', 'coreos', [['error', ETCD_MAJOR_VERSION_TOO_NEW]]],
  ] as const)('%s (%s)', (text, dialect, expected) => {
    expect(entries(validateEtcdVersion(v(text, dialect), dialect))).toEqual(expected);
  });
});

describe('selectEtcdOptions', () => {
  it.each([
    ['2.3.0', etcd2Options, etcd2Options],
    ['2.9.0', etcd2Options, etcd2Options],
    ['3.0.4', etcd30Options, etcd30Options],
    ['3.1.0', etcd31Options, etcd31Options],
    ['3.2.0', etcd32Options, etcd32Options],
    ['3.3.0', etcd33Options, etcd33Options],
    ['3.4.0', etcd33Options, etcd34Options],
    ['3.5.0', etcd33Options, etcd35Options],
    ['3.9.0', etcd33Options, etcd35Options],
    ['2.2.0', undefined, undefined],
    ['4.0.0', undefined, undefined],
    ['1.0.0', undefined, undefined],
  ])('%s', (text, coreos, flatcar) => {
    expect(selectEtcdOptions(v(text), 'coreos')).toBe(coreos);
    expect(selectEtcdOptions(v(text), 'flatcar')).toBe(flatcar);
  });

  it('has the option counts of docs/ct.md §5.12', () => {
    const counts = [etcd2Options, etcd30Options, etcd31Options, etcd32Options, etcd33Options, etcd34Options, etcd35Options].map(
      (s) => s.options.length,
    );
    expect(counts).toEqual([41, 44, 46, 48, 62, 78, 88]);
  });

  it('derives 3.1 and 3.2 from 3.0 as docs/ct.md §5.12 describes', () => {
    const keys = (set: typeof etcd30Options) => set.options.map((o) => o.key);
    const v30 = keys(etcd30Options);
    expect(keys(etcd31Options)).toEqual([...v30, 'metrics', 'log_output']);
    const v32 = [...v30, 'metrics', 'log_output'];
    v32.splice(v32.indexOf('enable_pprof') + 1, 0, 'enable_v2');
    v32.splice(v32.indexOf('peer_auto_tls') + 1, 0, 'auth_token');
    expect(keys(etcd32Options)).toEqual(v32);
    expect(v30.slice(-3)).toEqual(['debug', 'log_package_levels', 'force_new_cluster']);
  });

  it('types auto_compaction_retention as int before 3.3 and as string from 3.3 on', () => {
    const kind = (set: typeof etcd30Options) => set.options.find((o) => o.key === 'auto_compaction_retention')?.kind;
    expect([etcd30Options, etcd31Options, etcd32Options].map(kind)).toEqual(['int', 'int', 'int']);
    expect([etcd33Options, etcd34Options, etcd35Options].map(kind)).toEqual(['string', 'string', 'string']);
  });

  it('drops ca_file and peer_ca_file from 3.4 on', () => {
    for (const set of [etcd34Options, etcd35Options]) {
      expect(set.options.map((o) => o.key)).not.toContain('ca_file');
      expect(set.options.map((o) => o.key)).not.toContain('peer_ca_file');
    }
  });
});

describe('etcd schema hooks', () => {
  const etcdStruct = (dialect: Dialect): StructDef => {
    const t = etcdField(dialect).type;
    if (t.kind !== 'ptr' || t.elem.kind !== 'struct') throw new Error('etcd is a *types.Etcd');
    return t.elem.def;
  };

  it('is a pointer to types.Etcd keyed `etcd`', () => {
    expect(etcdField('coreos').key).toBe('etcd');
    expect(etcdStruct('coreos').goName).toBe('types.Etcd');
  });

  it('embeds the option set chosen by version, with the dialect default', () => {
    expect(etcdStruct('coreos').embedded?.({})).toBe(etcd30Options.def);
    expect(etcdStruct('flatcar').embedded?.({})).toBe(etcd35Options.def);
    expect(etcdStruct('coreos').embedded?.({ version: '2.3.1' })).toBe(etcd2Options.def);
    expect(etcdStruct('coreos').embedded?.({ version: '2.2.5' })).toBeUndefined();
  });

  it('fails decoding for a version that is not semver', () => {
    expect(() => etcdStruct('coreos').embedded?.({ version: '3.0' })).toThrow('3.0 is not in dotted-tri format');
  });

  it('validates the version at its value through a string-typed version field', () => {
    const versionType = etcdStruct('flatcar').fields[0].type;
    if (versionType.kind !== 'ptr' || versionType.elem.kind !== 'named') throw new Error('version is *named');
    expect(versionType.elem.goName).toBe('string');
    expect(entries(versionType.elem.validate?.('3.6.0') ?? { entries: [] })).toEqual([['warning', ETCD_MINOR_VERSION_TOO_NEW]]);
    expect(entries(versionType.elem.validate?.('2.0.0') ?? { entries: [] })).toEqual([['error', ETCD_VERSION_TOO_OLD]]);
  });
});

describe('etcd drop-in, byte for byte against ct', () => {
  const dropin = (etcd: GoStruct, dialect: Dialect = 'coreos', platform = '') => {
    const r = etcdDropin(etcd, ctx(dialect, platform));
    return 'contents' in r ? r.contents : r.error;
  };
  const defaultCluster = {
    name: 'infra0',
    listen_client_urls: 'http://0.0.0.0:2379',
    advertise_client_urls: 'http://10.0.0.10:2379',
    listen_peer_urls: 'http://10.0.0.10:2380',
    initial_advertise_peer_urls: 'http://10.0.0.10:2380',
    initial_cluster: 'infra0=http://10.0.0.10:2380,infra1=http://10.0.0.11:2380',
    initial_cluster_token: 'etcd-cluster-1',
    initial_cluster_state: 'new',
  };

  it('etcd-default-version (no image tag)', () => {
    expect(dropin(defaultCluster)).toBe(expectedDropin('etcd-default-version', 'etcd-member.service'));
    expect(dropin(defaultCluster, 'flatcar')).toBe(expectedDropin('etcd-default-version', 'etcd-member.service', 'flatcar'));
  });

  it('etcd-empty-mapping', () => {
    expect(dropin({})).toBe(expectedDropin('etcd-empty-mapping', 'etcd-member.service'));
  });

  it('etcd-default-version-new-options: Flatcar 3.5 knows log_level', () => {
    expect(dropin({ name: 'defaulted', log_level: 'debug' }, 'flatcar')).toBe(
      expectedDropin('etcd-default-version-new-options', 'etcd-member.service', 'flatcar'),
    );
  });

  it('etcd-prerelease-version', () => {
    expect(dropin({ version: '3.3.0-rc.1+build.7', name: 'pre' })).toBe(expectedDropin('etcd-prerelease-version', 'etcd-member.service'));
  });

  it('etcd-string-escaping (%q, explicit zero values)', () => {
    const etcd = {
      version: '3.3.0',
      name: 'quote"back\\slash\ttab ünï ✓',
      initial_cluster_token: 'with spaces and $dollar and %percent',
      cors: '',
      enable_pprof: false,
      snapshot_count: 0,
    };
    expect(dropin(etcd)).toBe(expectedDropin('etcd-string-escaping', 'etcd-member.service'));
  });

  it('etcd-v2-options (alphabetical Etcd2 order)', () => {
    const etcd = {
      version: '2.3.8',
      name: 'legacy',
      data_dir: '/var/lib/etcd2',
      proxy: 'readonly',
      proxy_failure_wait: 5000,
      discovery: 'https://discovery.etcd.io/xyz',
      cors: 'http://a.example,http://b.example',
      election_timeout: 1200,
      heartbeat_interval: 120,
      ca_file: '/etc/ssl/ca.pem',
      peer_ca_file: '/etc/ssl/peer-ca.pem',
      max_wals: 3,
    };
    expect(dropin(etcd)).toBe(expectedDropin('etcd-v2-options', 'etcd-member.service'));
  });

  it('etcd-v3-1-options and etcd-v3-2-options', () => {
    const v31 = { version: '3.1.9', name: 'n1', metrics: 'extensive', log_output: 'stdout', data_dir: '/var/lib/etcd' };
    expect(dropin(v31)).toBe(expectedDropin('etcd-v3-1-options', 'etcd-member.service'));
    const v32 = {
      version: '3.2.24',
      name: 'n2',
      enable_v2: true,
      auto_compaction_retention: 24,
      auth_token: 'jwt,pub-key=/etc/jwt.pub,priv-key=/etc/jwt.priv,sign-method=RS256',
      metrics: 'basic',
      log_output: 'stderr',
    };
    expect(dropin(v32)).toBe(expectedDropin('etcd-v3-2-options', 'etcd-member.service'));
  });

  it('etcd-v3-3-options', () => {
    const etcd = {
      version: '3.3.25',
      name: 'n3',
      quota_backend_bytes: 8589934592,
      max_txn_ops: 256,
      max_request_bytes: 1572864,
      grpc_keepalive_min_time: '5s',
      grpc_keepalive_interval: '2h',
      grpc_keepalive_timeout: '20s',
      auto_compaction_retention: '1h',
      auto_compaction_mode: 'periodic',
      client_crl_file: '/etc/ssl/crl.pem',
      peer_crl_file: '/etc/ssl/peer-crl.pem',
      peer_cert_allowed_cn: 'etcd-peer',
      listen_metrics_urls: 'http://0.0.0.0:2381',
      experimental_initial_corrupt_check: true,
      experimental_corrupt_check_time: '10m',
      experimental_enable_v2v3: '/v2v3',
      enable_v2: false,
    };
    expect(dropin(etcd)).toBe(expectedDropin('etcd-v3-3-options', 'etcd-member.service'));
    expect(dropin(etcd, 'flatcar')).toBe(expectedDropin('etcd-v3-3-options', 'etcd-member.service', 'flatcar'));
  });

  it('etcd-v3-4-options: 3.3 order upstream, 3.4 order in Flatcar', () => {
    const etcd = {
      version: '3.4.13',
      name: 'n4',
      data_dir: '/var/lib/etcd',
      quota_backend_bytes: 4294967296,
      enable_v2: true,
      auto_compaction_mode: 'revision',
      auto_compaction_retention: '1000',
    };
    expect(dropin(etcd)).toBe(expectedDropin('etcd-v3-4-options', 'etcd-member.service'));
    expect(dropin(etcd, 'flatcar')).toBe(expectedDropin('etcd-v3-4-options', 'etcd-member.service', 'flatcar'));
  });

  it('dynamic-brace-edge-cases (gce)', () => {
    const etcd = { version: '3.0.0', name: 'weird}{name', cors: '{', discovery_srv: '{HOSTNAME}{HOSTNAME}.{PRIVATE_IPV4}' };
    expect(dropin(etcd, 'coreos', 'gce')).toBe(expectedDropin('dynamic-brace-edge-cases', 'etcd-member.service'));
  });

  it.each([
    ['dynamic-digitalocean', 'digitalocean', true],
    ['dynamic-custom', 'custom', true],
  ])('%s', (vector, platform) => {
    const etcd = {
      version: '3.2.0',
      name: '{HOSTNAME}',
      listen_peer_urls: 'http://{PRIVATE_IPV4}:2380,http://[{PRIVATE_IPV6}]:2380',
      advertise_client_urls: 'http://{PUBLIC_IPV4}:2379,http://[{PUBLIC_IPV6}]:2379',
    };
    expect(dropin(etcd, 'coreos', platform)).toBe(expectedDropin(vector, 'etcd-member.service'));
  });

  it('templating errors have no position and need a platform', () => {
    expect(dropin({ name: '{HOSTNAME}' })).toBe('platform must be specified to use templating');
    expect(dropin({ version: '3.3.0', name: '{INSTANCE_ID}' }, 'coreos', 'gce')).toBe('unknown field');
    expect(dropin({ advertise_client_urls: 'http://[{PUBLIC_IPV6}]:2379' }, 'coreos', 'gce')).toBe('unknown field');
  });

  it('ignores keys that the selected set does not have', () => {
    expect(dropin({ version: '3.0.0', name: 'a', log_level: 'debug' })).toBe(
      '[Service]\nEnvironment="ETCD_IMAGE_TAG=v3.0.0"\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS \\\n  --name="a"',
    );
  });
});

describe('etcdTranslator', () => {
  it('appends an enabled etcd-member.service after existing units', () => {
    const out: GoStruct = { systemd: { units: [{ name: 'first.service' }] } };
    const report = etcdTranslator({ etcd: {} }, undefined, out, ctx('coreos'));
    expect(report.entries).toEqual([]);
    expect(out.systemd.units).toEqual([
      { name: 'first.service' },
      {
        name: 'etcd-member.service',
        enable: true,
        enabled: undefined,
        mask: false,
        contents: '',
        dropins: [
          { name: '20-clct-etcd-member.conf', contents: '[Service]\nExecStart=\nExecStart=/usr/lib/coreos/etcd-wrapper $ETCD_OPTS' },
        ],
      },
    ]);
  });

  it('adds nothing for a nil etcd', () => {
    const out: GoStruct = { systemd: { units: null } };
    expect(etcdTranslator({ etcd: undefined }, undefined, out, ctx('coreos')).entries).toEqual([]);
    expect(out.systemd.units).toBeNull();
  });

  it('returns a position-less error for templating without a platform', () => {
    const out: GoStruct = { systemd: { units: null } };
    const report = etcdTranslator({ etcd: { name: '{HOSTNAME}' } }, undefined, out, ctx('coreos'));
    expect(report.entries).toEqual([
      { severity: 'error', message: 'platform must be specified to use templating', line: 0, column: 0, path: '' },
    ]);
    expect(out.systemd.units).toBeNull();
  });
});

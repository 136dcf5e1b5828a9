/**
 * Butane's JSON output: every vector's `expected.ign` (bytes from the real Butane v0.23.0), decoded
 * into the Ignition descriptors and re-marshalled, must give back exactly those bytes.
 */
import { readdirSync, readFileSync, existsSync } from 'fs';
import { join } from 'path';
import { marshalIgnition, isEmptyValue } from '../../transpiler/ignition-v3/marshal';
import { ignitionType, type IgnitionVersion } from '../../transpiler/ignition-v3/types';

const VECTORS = join(__dirname, '..', 'conformance', 'butane');

interface Vector {
  readonly name: string;
  readonly pretty: boolean;
  readonly expected: string;
}

function vectors(): Vector[] {
  if (!existsSync(VECTORS)) return [];
  return readdirSync(VECTORS)
    .filter((name) => existsSync(join(VECTORS, name, 'expected.ign')))
    .map((name) => {
      const args = readFileSync(join(VECTORS, name, 'args'), 'utf8').trim().split(/\s+/);
      return { name, pretty: args.includes('-p') || args.includes('--pretty'), expected: readFileSync(join(VECTORS, name, 'expected.ign'), 'utf8') };
    })
    .filter((v) => v.expected !== '');
}

describe('marshalIgnition reproduces Butane output bytes', () => {
  const all = vectors();
  it('has vectors to check', () => {
    expect(all.length).toBeGreaterThan(40);
  });
  it.each(all.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const config = JSON.parse(v.expected) as { ignition: { version: IgnitionVersion } };
    expect(v.expected.endsWith('\n')).toBe(true);
    expect(marshalIgnition(config, config.ignition.version, v.pretty)).toBe(v.expected.slice(0, -1));
  });
});

/**
 * Struct omission follows clarketm/json `isEmptyValue` (encode.go: a struct is empty when every exported
 * field is); escaping and indentation were checked against Go 1.19's encoding/json, which it forks.
 */
describe('clarketm/json omitempty', () => {
  const config = (extra: object): object => ({ ignition: { version: '3.4.0' }, ...extra });

  it('drops structs whose fields are all empty, recursively', () => {
    const out = marshalIgnition(
      config({ storage: { files: [{ path: '/a', user: {}, contents: { verification: {}, httpHeaders: [] } }] }, systemd: {}, passwd: { users: [] } }),
      '3.4.0',
      false,
    );
    expect(out).toBe('{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/a"}]}}');
  });

  it('always writes the fields without omitempty', () => {
    const out = marshalIgnition(
      config({ storage: { disks: [{ device: '' }], filesystems: [{ device: '' }], luks: [{ name: '' }], raid: [{ name: '' }] }, systemd: { units: [{ name: '', dropins: [{ name: '' }] }] } }),
      '3.4.0',
      false,
    );
    expect(out).toBe(
      '{"ignition":{"version":"3.4.0"},"storage":{"disks":[{"device":""}],"filesystems":[{"device":""}],"luks":[{"name":""}],"raid":[{"name":""}]},"systemd":{"units":[{"dropins":[{"name":""}],"name":""}]}}',
    );
  });

  it('omits a zero partition number and an empty tang url', () => {
    const out = marshalIgnition(
      config({ storage: { disks: [{ device: '/dev/a', partitions: [{ number: 0, label: 'x' }] }], luks: [{ name: 'l', clevis: { tang: [{ url: '', thumbprint: 't' }] } }] } }),
      '3.4.0',
      false,
    );
    expect(out).toBe(
      '{"ignition":{"version":"3.4.0"},"storage":{"disks":[{"device":"/dev/a","partitions":[{"label":"x"}]}],"luks":[{"clevis":{"tang":[{"thumbprint":"t"}]},"name":"l"}]}}',
    );
  });

  it('escapes like Go with HTML escaping on', () => {
    const out = marshalIgnition({ ignition: { version: '3.3.0' }, passwd: { users: [{ name: '<a&b>\u2028\u0001"\\é' }] } }, '3.3.0', false);
    expect(out).toBe('{"ignition":{"version":"3.3.0"},"passwd":{"users":[{"name":"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\"\\\\é"}]}}');
  });

  it('indents like json.MarshalIndent, keeping empty lists inline', () => {
    const out = marshalIgnition({ ignition: { version: '3.5.0' }, passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['k'] }] } }, '3.5.0', true);
    expect(out).toBe(
      '{\n  "ignition": {\n    "version": "3.5.0"\n  },\n  "passwd": {\n    "users": [\n      {\n        "name": "core",\n        "sshAuthorizedKeys": [\n          "k"\n        ]\n      }\n    ]\n  }\n}',
    );
  });

  it('treats a config whose every field is empty as empty', () => {
    const t = ignitionType('3.3.0');
    expect(t.kind).toBe('struct');
    expect(isEmptyValue(t, { ignition: { version: '' } })).toBe(true);
    expect(isEmptyValue(t, { ignition: { version: '3.3.0' } })).toBe(false);
  });
});

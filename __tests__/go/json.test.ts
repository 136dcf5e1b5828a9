import * as fs from 'fs';
import * as path from 'path';
import { goJsonString, marshalGo } from '../../transpiler/go/json';
import { bool, field, int, ptr, slice, str, struct, type StructDef } from '../../transpiler/schema';

const def = (goName: string, fields: StructDef['fields']): StructDef => ({ goName, fields });

// A reduced Ignition 2.2 Config: enough to reproduce whole conformance outputs.
const verification = def('types.Verification', [field('Hash', 'hash', ptr(str), true)]);
const nodeUser = def('types.NodeUser', [field('ID', 'id', ptr(int), true), field('Name', 'name', str, true)]);
const fileContents = def('types.FileContents', [
  field('Compression', 'compression', str, true),
  field('Source', 'source', str, true),
  field('Verification', 'verification', struct(verification), true),
]);
const file = def('types.File', [
  field('Filesystem', 'filesystem', str, true),
  field('Group', 'group', ptr(struct(nodeUser)), true),
  field('Overwrite', 'overwrite', ptr(bool), true),
  field('Path', 'path', str, true),
  field('User', 'user', ptr(struct(nodeUser)), true),
  field('Append', 'append', bool, true),
  field('Contents', 'contents', struct(fileContents), true),
  field('Mode', 'mode', ptr(int), true),
]);
const unit = def('types.Unit', [
  field('Contents', 'contents', str, true),
  field('Enable', 'enable', bool, true),
  field('Enabled', 'enabled', ptr(bool), true),
  field('Name', 'name', str, true),
]);
const user = def('types.PasswdUser', [field('Name', 'name', str, true), field('UID', 'uid', ptr(int), true)]);
const configRef = def('types.ConfigReference', [
  field('Source', 'source', str, true),
  field('Verification', 'verification', struct(verification), true),
]);
const ignition = def('types.Ignition', [
  field('Config', 'config', struct(def('types.IgnitionConfig', [
    field('Append', 'append', slice(struct(configRef)), true),
    field('Replace', 'replace', ptr(struct(configRef)), true),
  ])), true),
  field('Security', 'security', struct(def('types.Security', [field('TLS', 'tls', struct(def('types.TLS', [])), true)])), true),
  field('Timeouts', 'timeouts', struct(def('types.Timeouts', [
    field('HTTPResponseHeaders', 'httpResponseHeaders', ptr(int), true),
    field('HTTPTotal', 'httpTotal', ptr(int), true),
  ])), true),
  field('Version', 'version', str, true),
]);
const config = struct(def('types.Config', [
  field('Ignition', 'ignition', struct(ignition)),
  field('Networkd', 'networkd', struct(def('types.Networkd', [field('Units', 'units', slice(struct(unit)), true)])), true),
  field('Passwd', 'passwd', struct(def('types.Passwd', [field('Users', 'users', slice(struct(user)), true)])), true),
  field('Storage', 'storage', struct(def('types.Storage', [field('Files', 'files', slice(struct(file)), true)])), true),
  field('Systemd', 'systemd', struct(def('types.Systemd', [field('Units', 'units', slice(struct(unit)), true)])), true),
]));

const vector = (name: string, file: string): string =>
  fs.readFileSync(path.join(__dirname, '..', 'conformance', 'ct', name, file), 'utf8');

const remoteFile = (p: string, source: string) => ({ filesystem: 'root', path: p, contents: { source }, mode: 420 });

describe('marshalGo', () => {
  it('emits empty non-pointer structs even with omitempty (spec 3.1 empty config)', () => {
    const out = marshalGo({ ignition: { version: '2.2.0' } }, config, false);
    expect(out).toBe(
      '{"ignition":{"config":{},"security":{"tls":{}},"timeouts":{},"version":"2.2.0"},"networkd":{},"passwd":{},"storage":{},"systemd":{}}',
    );
  });

  it('reproduces conformance vector compact-output-html-escaping', () => {
    const cfg = {
      ignition: { version: '2.2.0' },
      passwd: { users: [{ name: 'user\u2028sep' }] },
      storage: { files: [{ filesystem: 'root', path: '/etc/a&b<c>.conf', contents: { source: "data:,%3Ctag%3E%20%26%20'x'" }, mode: 420 }] },
      systemd: { units: [{ name: 'esc.service', contents: '[Service]\nExecStart=/bin/sh -c "test 1 -lt 2 && echo \'<ok>\'"\n' }] },
    };
    expect(marshalGo(cfg, config, false)).toBe(vector('compact-output-html-escaping', 'expected.ign'));
  });

  it('reproduces conformance vector file-remote-url-normalization (pretty)', () => {
    const cfg = {
      ignition: { version: '2.2.0' },
      storage: {
        files: [
          remoteFile('/opt/a', 'https://example.com/path%20with%20space/%C3%BCn%C3%AF.txt'),
          remoteFile('/opt/b', 'http://Example.COM:80/x/../y/./z?b=2&a=1#frag'),
          remoteFile('/opt/c', 'http://user:p%40ss@host.example/%7Efile'),
        ],
      },
    };
    expect(marshalGo(cfg, config, true)).toBe(vector('file-remote-url-normalization', 'expected.ign'));
  });

  it('emits set pointers even when zero, omits zero scalars', () => {
    const cfg = {
      ignition: { version: '2.2.0', timeouts: { httpResponseHeaders: 0, httpTotal: -1 } },
      passwd: { users: [{ name: '', uid: 0 }] },
      systemd: { units: [{ name: 'a.service', enable: false, enabled: false, contents: '' }] },
    };
    expect(marshalGo(cfg, config, false)).toBe(
      '{"ignition":{"config":{},"security":{"tls":{}},"timeouts":{"httpResponseHeaders":0,"httpTotal":-1},"version":"2.2.0"},' +
        '"networkd":{},"passwd":{"users":[{"uid":0}]},"storage":{},"systemd":{"units":[{"enabled":false,"name":"a.service"}]}}',
    );
  });

  it('omits empty slices with omitempty and writes null / [] without it', () => {
    const t = struct(def('T', [field('A', 'a', slice(str)), field('B', 'b', slice(str)), field('C', 'c', slice(str), true)]));
    expect(marshalGo({ a: null, b: [], c: [] }, t, false)).toBe('{"a":null,"b":[]}');
    expect(marshalGo({ a: null, b: [] }, t, true)).toBe('{\n  "a": null,\n  "b": []\n}\n');
    expect(marshalGo({ b: ['x', 'y'] }, t, true)).toBe('{\n  "a": null,\n  "b": [\n    "x",\n    "y"\n  ]\n}\n');
  });

  it('treats missing keys as zero values, and nil pointers without omitempty as null', () => {
    const t = struct(def('T', [field('S', 's', str), field('N', 'n', int), field('B', 'b', bool), field('P', 'p', ptr(int))]));
    expect(marshalGo({}, t, false)).toBe('{"s":"","n":0,"b":false,"p":null}');
  });

  it('writes {} for an empty struct in pretty mode', () => {
    const t = struct(def('T', [field('X', 'x', struct(def('E', [])), true)]));
    expect(marshalGo({}, t, true)).toBe('{\n  "x": {}\n}\n');
  });
});

describe('goJsonString', () => {
  it('escapes like encoding/json with HTML escaping', () => {
    expect(goJsonString('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goJsonString('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goJsonString('tab\tnl\ncr\rbs\\')).toBe('"tab\\tnl\\ncr\\rbs\\\\"');
    expect(goJsonString('\x00\x01\x1f\x7f')).toBe('"\\u0000\\u0001\\u001f\x7f"');
    expect(goJsonString('\b\f')).toBe('"\\u0008\\u000c"');
  });

  it('keeps non-ASCII raw, valid surrogate pairs intact, lone surrogates as \\ufffd', () => {
    expect(goJsonString('ünï \u{1f600}')).toBe('"ünï \u{1f600}"');
    expect(goJsonString('a\ud800b\udc00')).toBe('"a\\ufffdb\\ufffd"');
  });
});

import type { ConvertContext, Dialect } from '../../transpiler/convert';
import type { GoStruct, StructDef } from '../../transpiler/schema';
import {
  ERR_MISSING_START_OR_LENGTH,
  ERR_PARSING_WINDOW_LENGTH,
  ERR_PARSING_WINDOW_START,
  ERR_UNKNOWN_DAY,
  ERR_UNKNOWN_STRATEGY,
  locksmithField,
  locksmithLines,
  scanTwoWords,
} from '../../transpiler/sections/locksmith';
import { ERR_UNKNOWN_GROUP, updateConfText, updateField, updateTranslator } from '../../transpiler/sections/update';
import { expectedFileSource } from './vectors';

type Entries = { entries: readonly { severity: string; message: string }[] };
const entries = (r: Entries | undefined) => (r?.entries ?? []).map((e) => [e.severity, e.message]);
const ctx = (dialect: Dialect = 'coreos'): ConvertContext => ({ dialect, platform: '', filesDir: '', readFile: () => new Uint8Array(), generated: [] });

function structOf(t: GoStruct['type']): StructDef {
  if (t.kind !== 'ptr' || t.elem.kind !== 'struct') throw new Error('expected a pointer to a struct');
  return t.elem.def;
}

/** The update.conf source the translator emits, as `data:,...`. */
function source(config: GoStruct, dialect: Dialect = 'coreos'): string | undefined {
  const out: GoStruct = { storage: { files: null } };
  expect(updateTranslator(config, undefined, out, ctx(dialect)).entries).toEqual([]);
  return out.storage.files?.[0]?.contents.source;
}

describe('locksmith validation (docs/ct.md §5.14)', () => {
  const def = structOf(locksmithField.type);
  const check = (l: GoStruct) => [
    ...entries(def.validate?.(l)),
    ...Object.values(def.fieldValidators ?? {}).flatMap((hook) => entries(hook(l))),
  ];

  it('accepts valid windows and strategies in any case', () => {
    expect(check({ reboot_strategy: 'REBOOT', window_start: 'Sun 23:30', window_length: '2h30m' })).toEqual([]);
    expect(check({ reboot_strategy: 'Etcd-Lock', window_start: '4:15', window_length: '45m' })).toEqual([]);
    expect(check({ reboot_strategy: '', group: '' })).toEqual([]);
    expect(check({ window_start: 'tHu 00:00 ignored words', window_length: '1h' })).toEqual([]);
  });

  it.each([
    [{ window_start: 'Mon 01:00' }, ERR_MISSING_START_OR_LENGTH],
    [{ window_length: '1h', window_start: '' }, ERR_MISSING_START_OR_LENGTH],
    [{ reboot_strategy: 'sometimes' }, ERR_UNKNOWN_STRATEGY],
    [{ window_start: 'Funday 01:00', window_length: '1h' }, ERR_UNKNOWN_DAY],
    [{ window_start: 'Tue 25:61', window_length: '1h' }, ERR_PARSING_WINDOW_START],
    [{ window_start: '004:15', window_length: '1h' }, ERR_PARSING_WINDOW_START],
    [{ window_start: 'Sun', window_length: '1h' }, ERR_PARSING_WINDOW_START],
    [{ window_start: '03:00', window_length: '1 hour' }, ERR_PARSING_WINDOW_LENGTH],
  ])('%j -> %s', (l, message) => {
    expect(check(l)).toEqual([['error', message]]);
  });

  it('runs the strategy, start and length checks as field validators', () => {
    expect(Object.keys(def.fieldValidators ?? {})).toEqual(['RebootStrategy', 'WindowStart', 'WindowLength']);
  });

  it('scans two words like Go Sscanf("%s %s")', () => {
    expect(scanTwoWords('Sun 23:30')).toEqual(['Sun', '23:30']);
    expect(scanTwoWords('  Sun\t 23:30 rest')).toEqual(['Sun', '23:30']);
    expect(scanTwoWords('23:30')).toBeUndefined();
    expect(scanTwoWords('Sun ')).toBeUndefined();
    expect(scanTwoWords('Sun\n23:30')).toBeUndefined();
    expect(scanTwoWords('Sun \n23:30')).toBeUndefined();
    expect(scanTwoWords('\nSun 23:30')).toBeUndefined();
  });

  it('uses Go types for decode errors', () => {
    expect(def.goName).toBe('types.Locksmith');
    expect(def.fields.every((f) => f.type.kind === 'ptr' && f.type.elem.kind === 'string')).toBe(true);
  });
});

describe('locksmith lines', () => {
  it('quotes every present value with %q, keeping case and empty values', () => {
    expect(locksmithLines({ group: '', reboot_strategy: 'REBOOT', etcd_endpoints: 'a"b' })).toEqual([
      'REBOOT_STRATEGY="REBOOT"',
      'LOCKSMITHD_GROUP=""',
      'LOCKSMITHD_ENDPOINT="a\\"b"',
    ]);
    expect(locksmithLines({})).toEqual([]);
  });
});

describe('update validation (docs/ct.md §5.14)', () => {
  const def = (dialect: Dialect) => structOf(updateField(dialect).type);

  it.each([
    [{ group: 'Stable', server: '' }, []],
    [{ group: 'nightly', server: '' }, [['warning', ERR_UNKNOWN_GROUP]]],
    [{ group: '', server: '' }, [['warning', ERR_UNKNOWN_GROUP]]],
    [{ group: 'lts', server: 'https://x/' }, []],
  ])('%j', (u, expected) => {
    expect(entries(def('coreos').validate?.(u))).toEqual(expected);
    expect(entries(def('flatcar').validate?.(u))).toEqual(expected);
  });

  it('checks the server with Go url.Parse', () => {
    const server = def('coreos').fields.find((f) => f.key === 'server')?.type;
    if (server?.kind !== 'named') throw new Error('server is types.UpdateServer');
    expect(server.goName).toBe('types.UpdateServer');
    expect(entries(server.validate?.('http://%zz/'))).toEqual([['error', 'parse "http://%zz/": invalid URL escape "%zz"']]);
    expect(entries(server.validate?.('https://public.update.core-os.net/v1/update/'))).toEqual([]);
  });

  it('knows the Flatcar keys only in the Flatcar dialect', () => {
    expect(def('coreos').fields.map((f) => f.key)).toEqual(['group', 'server']);
    expect(def('flatcar').fields.map((f) => f.key)).toEqual([
      'group', 'server', 'pcr_policy_server', 'download_user', 'download_password', 'machine_alias',
    ]);
  });
});

describe('update.conf, byte for byte against ct', () => {
  const path = '/etc/coreos/update.conf';

  it.each([
    ['update-group-and-server', { group: 'stable', server: 'https://public.update.core-os.net/v1/update/' }],
    ['update-custom-group-with-server', { group: 'my-canary-group', server: 'http://coreupdate.internal:8000/v1/update/' }],
    ['update-server-only', { group: '', server: 'https://updates.example.org/v1/update/' }],
    ['update-unknown-group-warning', { group: 'nightly', server: '' }],
  ])('%s', (vector, update) => {
    expect(source({ update })).toBe(expectedFileSource(vector, path));
  });

  it.each([
    ['update-flatcar-download-password', { group: 'lts', server: 'https://nebraska.example.com/v1/update/', download_password: 'p@ss w0rd&=' }],
    ['update-flatcar-machine-alias', { group: 'beta', server: '', machine_alias: 'rack 4 / node 12' }],
    ['update-flatcar-pcr-policy-server', { group: 'stable', server: 'https://update.example.com/v1/update/', pcr_policy_server: 'https://pcr.example.com/policy' }],
  ])('%s (both builds)', (vector, update) => {
    // Upstream never decodes the Flatcar keys, so they are absent from its value.
    const upstream = { group: update.group, server: update.server };
    expect(source({ update: upstream })).toBe(expectedFileSource(vector, path));
    expect(source({ update }, 'flatcar')).toBe(expectedFileSource(vector, path, 'flatcar'));
  });

  it('locksmith-all-options', () => {
    const locksmith = {
      reboot_strategy: 'REBOOT',
      window_start: 'Sun 23:30',
      window_length: '2h30m',
      group: 'workers',
      etcd_endpoints: 'https://10.0.0.1:2379,https://10.0.0.2:2379',
      etcd_cafile: '/etc/ssl/etcd/ca.pem',
      etcd_certfile: '/etc/ssl/etcd/client.pem',
      etcd_keyfile: '/etc/ssl/etcd/client-key.pem',
    };
    expect(source({ locksmith })).toBe(expectedFileSource('locksmith-all-options', path));
  });

  it('locksmith-window-without-day and dynamic-ignored-outside-etcd-flannel', () => {
    const locksmith = { reboot_strategy: 'reboot', window_start: '4:15', window_length: '45m', group: '' };
    expect(source({ locksmith })).toBe(expectedFileSource('locksmith-window-without-day', path));
    expect(source({ locksmith: { group: '{HOSTNAME}' } })).toBe(expectedFileSource('dynamic-ignored-outside-etcd-flannel', path));
  });

  it('writes no file for empty update and locksmith', () => {
    expect(source({ update: { group: '', server: '' }, locksmith: {} })).toBeUndefined();
    expect(updateConfText(undefined, undefined, 'coreos')).toBe('');
  });

  it('appends after existing files, with mode 0644 and no overwrite', () => {
    const out: GoStruct = { storage: { files: [{ path: '/etc/coreos/update.conf' }] } };
    updateTranslator({ update: { group: 'beta', server: '' } }, undefined, out, ctx());
    expect(out.storage.files).toEqual([
      { path: '/etc/coreos/update.conf' },
      {
        filesystem: 'root',
        group: undefined,
        overwrite: undefined,
        path: '/etc/coreos/update.conf',
        user: undefined,
        append: false,
        contents: { compression: '', source: 'data:,GROUP%3Dbeta', verification: { hash: undefined } },
        mode: 420,
      },
    ]);
  });
});

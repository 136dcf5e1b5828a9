/**
 * Real Terraform (offline, no providers) computes the user-data of Butane configs with cdktf tokens
 * in them, and it must be the Ignition JSON that `transpileButane` gives for the same config with
 * the values written in. Files whose contents hold a token are compared by their decoded bytes
 * (Terraform's gzip differs from Go's, and Butane may choose another encoding for a value than for
 * its placeholder); every other byte, including every other file's data URL, must be Butane's.
 */
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { gunzipSync } from 'node:zlib';
import { transpile, transpileButane, type ButaneConfig, type ContainerLinuxConfig } from '../../transpiler';
import { decodeDataUrl } from '../../transpiler/go/dataurl';
import { goJsonString } from '../../transpiler/go/json';
import { CoreOSInstance, type CoreOSInstanceProps } from '../../constructs/coreos-instance';
import { Image } from '../../constructs/image';
import { applyWithTerraform, describeWithTerraform, type LiftedCase } from './terraform-harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Value = (name: string) => string;

const FLATCAR = { zone: 'us-central1-c', machineType: 'e2-small', image: Image.flatcar('stable') } as const;
// Everything that JSON, Go's HTML-safe escaping, HCL strings and Terraform templates treat specially.
const AWKWARD = 'é ∑ 😀 "quoted" back\\slash\nnew line\ttab <&> ${HOME} $${x} %{ if y } %%{z} $ %';
const ONE_LINE = AWKWARD.replace(/\n/g, ' ');
// Long enough that Butane gzips it: the contents then travel through Terraform's base64gzip.
const LONG = 'line of a long configuration file, ${HOME} and %{ if x } kept literal\n'.repeat(20);
const BASE64_PREFIX = 'data:;base64,';
// Short text that percent-encodes to three times its bytes and gzips poorly: Butane writes it as base64.
const UNICODE = 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ';

interface Case {
  readonly lifted: LiftedCase;
  /** What Butane writes for the config with every value written in. */
  readonly intended: string;
  /** Where (`$.storage.files[0].contents`) a data-URL resource's contents hold a token. */
  readonly tokenResources: ReadonlySet<string>;
}

interface ButaneCase {
  readonly name: string;
  readonly values: Readonly<Record<string, string>>;
  /** The config, a function of its values: tokens for the stack, the values for Butane. */
  readonly config: (value: Value) => string | ButaneConfig;
  readonly props?: Partial<CoreOSInstanceProps>;
  /** Snippets added to the instance after construction (as EtcdCluster adds its etcd section). */
  readonly extend?: (vm: CoreOSInstance, value: Value) => void;
  /** The Ignition JSON intended for the values. @default transpileButane(config(value)).json */
  readonly expected?: (value: Value) => string;
}

/** Synthesizes the case with a TerraformVariable per value, and works out what Butane writes. */
function butaneCase(spec: ButaneCase): Case {
  const synthesized = JSON.parse(
    Testing.synthScope((scope) => {
      const stack = scope as TerraformStack;
      const variables = Object.fromEntries(Object.keys(spec.values).map((key) => [key, new TerraformVariable(stack, key, { type: 'string' }).stringValue]));
      const value: Value = (key) => variables[key];
      const vm = new CoreOSInstance(stack, 'vm', { ...FLATCAR, ...spec.props, config: spec.config(value) });
      spec.extend?.(vm, value);
    }),
  );
  const [instance] = Object.values(synthesized.resource.google_compute_instance as Record<string, { metadata: Record<string, string> }>);
  const expected = spec.expected ?? ((value: Value) => transpileButane(spec.config(value)).json);
  const intended = expected((key) => spec.values[key]);
  // The same config with a marker for each value: the resources whose contents hold one hold a token.
  const marked = JSON.parse(expected((key) => `tokenmarker${key}`));
  const tokenResources = new Set(dataResources(marked).filter(([, resource]) => payloadOf(resource).includes('tokenmarker')).map(([at]) => at));
  return { lifted: { name: spec.name, userData: instance.metadata['user-data'], variables: spec.values }, intended, tokenResources };
}

/** Every object with a `data:` URL `source` (file contents and appends, merged configs, CAs), by path. */
function dataResources(node: Json, at = '$'): [string, Json][] {
  if (Array.isArray(node)) return node.flatMap((item, i) => dataResources(item, `${at}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  const own: [string, Json][] = typeof node.source === 'string' && node.source.startsWith('data:') ? [[at, node]] : [];
  return [...own, ...Object.entries(node).flatMap(([key, value]) => dataResources(value, `${at}.${key}`))];
}

/** The bytes a resource gives Ignition, as text: the data URL decoded, gunzipped when compressed. */
function payloadOf(resource: Json): string {
  const decoded = decodeDataUrl(resource.source);
  if (!decoded.dataUrl) throw new Error(`not a data URL Ignition decodes: ${String(resource.source).slice(0, 80)}: ${decoded.error}`);
  const data = resource.compression === 'gzip' ? gunzipSync(decoded.dataUrl.data) : decoded.dataUrl.data;
  return Buffer.from(data).toString('utf8');
}

/** The config with each data-URL resource's `source` and `compression` replaced by its payload. */
function withPayloads(node: Json): Json {
  if (Array.isArray(node)) return node.map(withPayloads);
  if (node === null || typeof node !== 'object') return node;
  const isResource = typeof node.source === 'string' && node.source.startsWith('data:');
  const entries = Object.entries(node).filter(([key]) => !isResource || (key !== 'source' && key !== 'compression'));
  return Object.fromEntries([...entries.map(([key, value]) => [key, withPayloads(value)]), ...(isResource ? [['payload', payloadOf(node)]] : [])]);
}

/** A resource's `compression` and `source` as they stand in the JSON text. */
function resourceText(resource: Json): string {
  const compression = resource.compression === undefined ? '' : `"compression":${goJsonString(resource.compression)},`;
  return `${compression}"source":${goJsonString(resource.source)}`;
}

/** The resource at `at` (a path from dataResources). */
function resourceAt(config: Json, at: string): Json {
  return dataResources(config).find(([path]) => path === at)?.[1];
}

function cases(): Case[] {
  const flatcar = butaneCase({
    name: 'flatcar_tokens',
    values: { key: `ssh-ed25519 AAAA ${AWKWARD} user@example`, line: ONE_LINE, text: AWKWARD, env: 'DB="a b" \\ é <&>', long: `${AWKWARD}\n`.repeat(12) },
    config: (value) => ({
      variant: 'flatcar',
      version: '1.0.0',
      passwd: { users: [{ name: 'core', ssh_authorized_keys: [value('key'), 'ssh-ed25519 BBBB literal ${HOME}'] }] },
      systemd: {
        units: [
          {
            name: 'app.service',
            enabled: true,
            contents: `[Service]\nEnvironment="LINE=${value('line')}"\nExecStart=/bin/echo \${HOME} %{ if x }\n# ${AWKWARD.replace(/\n/g, '\n# ')}\n[Install]\nWantedBy=multi-user.target\n`,
            dropins: [{ name: '10-env.conf', contents: `[Service]\nEnvironment=ENV=${value('env')}\n` }],
          },
        ],
      },
      storage: {
        files: [
          { path: '/etc/short', mode: 0o644, contents: { inline: value('text') } },
          { path: '/etc/mixed', mode: 0o644, contents: { inline: `${AWKWARD}\n${value('text')}\n${value('text')}${AWKWARD}` } },
          // Literal text that makes Butane choose plain base64 (no gzip) for the placeholder, too.
          { path: '/etc/unicode', mode: 0o644, contents: { inline: `${UNICODE} ${value('line')}\n` } },
          { path: '/etc/long', mode: 0o644, contents: { inline: `${LONG}value=${value('text')}\n${LONG}` } },
          // A short placeholder, a long value: Butane gzips the value's file only.
          { path: '/etc/long-value', mode: 0o644, contents: { inline: value('long') } },
          { path: '/etc/appended', append: [{ inline: `more=${value('line')}\n` }, { inline: 'literal ${HOME}\n' }] },
          { path: '/etc/literal', mode: 0o644, contents: { inline: 'no token ${HOME} %{ if x }\n' } },
          { path: '/etc/literal-long', mode: 0o644, contents: { inline: LONG } },
        ],
      },
    }),
  });

  // No token at all: the user-data is Butane's JSON, escaped so that Terraform passes it through.
  const literal = butaneCase({
    name: 'literal',
    values: {},
    config: () => `variant: flatcar
version: 1.1.0
systemd:
  units:
    - name: literal.service
      contents: |
        [Service]
        ExecStart=/bin/sh -c 'echo \${HOME} $\${x} %{ if y }%{ endif } %%{z} \${unclosed $'
storage:
  files:
    - path: /etc/literal
      mode: 0644
      contents:
        inline: "home=\${HOME}\\n%{ if x }yes%{ endif }\\n$\${x}"
    - path: /etc/literal-long
      contents:
        inline: ${JSON.stringify(LONG)}
`,
  });

  const fedora = butaneCase({
    name: 'fcos',
    values: { key: 'ssh-ed25519 AAAA "k" é', motd: AWKWARD, host: 'db.internal "eu" ${HOME}' },
    // YAML text: the values go in as double-quoted scalars.
    config: (value) => `variant: fcos
version: 1.5.0
passwd:
  users:
    - name: core
      ssh_authorized_keys: [${JSON.stringify(value('key'))}]
systemd:
  units:
    - name: app.service
      dropins:
        - name: 10-db.conf
          contents: ${JSON.stringify(`[Service]\nEnvironment="DB_HOST=${value('host')}"\n`)}
storage:
  files:
    - path: /etc/motd
      mode: 0644
      contents:
        inline: ${JSON.stringify(`${value('motd')} \${HOME}\n`)}
    - path: /etc/db-long
      contents:
        inline: ${JSON.stringify(`${LONG}host=${value('host')}\n`)}
`,
    props: { image: Image.fedoraCoreOS() },
  });

  return [flatcar, literal, fedora, mergedCase()];
}

/**
 * A Butane config with an etcd section, a unit, a file and a user's key added as Container Linux
 * Config (as EtcdCluster and the typed helpers add them), tokens in each. Intended: the Butane
 * config with what ct writes for the snippets in Ignition 3.3.0 written into it by hand.
 */
function mergedCase(): Case {
  const base = (value: Value): ButaneConfig => ({
    variant: 'flatcar',
    version: '1.0.0',
    passwd: { users: [{ name: 'core', ssh_authorized_keys: [value('key')] }] },
    storage: { files: [{ path: '/etc/cluster', mode: 0o644, contents: { inline: `cluster=${value('cluster')}\n` } }] },
  });
  const etcd = (value: Value): ContainerLinuxConfig => ({
    etcd: {
      name: value('name'),
      initial_cluster_token: value('cluster'),
      initial_advertise_peer_urls: `http://node-0.${value('project')}.internal:2380`,
      advertise_client_urls: 'http://{PRIVATE_IPV4}:2379',
      listen_client_urls: 'http://0.0.0.0:2379',
    },
  });
  const unit = (value: Value) => ({ name: 'app.service', dropins: [{ name: '20-env.conf', contents: `[Service]\nEnvironment="TEXT=${value('line')}"\n` }] });
  // ct writes it percent-encoded however long: Terraform's side is base64, not gzipped
  const file = (value: Value) => ({ path: '/etc/peer', mode: 0o600, contents: { inline: `peer=${value('name')}\n${LONG}` } });
  const secondKey = (value: Value) => `ssh-ed25519 BBBB ${value('line')}`;
  return butaneCase({
    name: 'merged_snippets',
    values: { key: `ssh-ed25519 AAAA ${ONE_LINE}`, cluster: 'etcd "cluster" \\ 1', name: 'node "0" \\ é', project: 'my-project-123', line: ONE_LINE },
    config: base,
    extend: (vm, value) => {
      vm.declareQuoteSafe(value('project'));
      vm.addSnippet(etcd(value), 'addSnippet() from EtcdCluster');
      vm.addUnit(unit(value), 'test');
      vm.addFile(file(value), 'test');
      vm.addUser({ name: 'core', ssh_authorized_keys: [secondKey(value)] }, 'test');
    },
    expected: (value) => {
      const clc = (snippet: ContainerLinuxConfig): Json => transpile(snippet, { platform: 'gce', dialect: 'flatcar', ignitionVersion: '3.3.0' }).ignition;
      const units = [...clc(etcd(value)).systemd.units, ...clc({ systemd: { units: [unit(value)] } }).systemd.units];
      // spec 2 files replace what is there: the 2 -> 3 translation says so with overwrite: true
      const [peer] = clc({ storage: { files: [{ filesystem: 'root', ...file(value) }] } }).storage.files;
      expect(peer).toMatchObject({ path: '/etc/peer', mode: 0o600, overwrite: true, contents: { source: expect.stringMatching(/^data:,peer%3D/) } });
      const config = base(value) as Json;
      return transpileButane({
        ...config,
        passwd: { users: [{ name: 'core', ssh_authorized_keys: [value('key'), secondKey(value)] }] },
        storage: { files: [...config.storage.files, peer] },
        systemd: { units },
      }).json;
    },
  });
}

describeWithTerraform('Terraform computes the user-data Butane would write', () => {
  const all = cases();
  let applied: Record<string, string> = {};
  beforeAll(() => {
    applied = applyWithTerraform(all.map((c) => c.lifted));
  }, 60_000);

  test.each(all.map((c) => [c.lifted.name, c] as const))('%s: the same Ignition, contents compared decoded', (_name, c) => {
    expect(withPayloads(JSON.parse(applied[c.lifted.name]))).toEqual(withPayloads(JSON.parse(c.intended)));
  });

  test.each(all.map((c) => [c.lifted.name, c] as const))("%s: byte for byte Butane's JSON but for the sources that hold a token", (_name, c) => {
    const actual = JSON.parse(applied[c.lifted.name]);
    const intended = JSON.parse(c.intended);
    let patched = applied[c.lifted.name];
    for (const [at, resource] of dataResources(intended)) {
      const rendered = resourceAt(actual, at);
      if (!c.tokenResources.has(at)) {
        expect({ at, compression: rendered.compression, source: rendered.source }).toEqual({ at, compression: resource.compression, source: resource.source });
        continue;
      }
      expect({ at, base64: String(rendered.source).startsWith(BASE64_PREFIX) }).toEqual({ at, base64: true });
      expect(patched).toContain(resourceText(rendered));
      patched = patched.split(resourceText(rendered)).join(resourceText(resource));
    }
    expect(patched).toBe(c.intended);
  });

  test('the cases hold tokens where they should: in files, appends, short, long, gzipped or not', () => {
    const tokenResources = Object.fromEntries(all.map((c) => [c.lifted.name, [...c.tokenResources]]));
    expect(tokenResources).toEqual({
      flatcar_tokens: [0, 1, 2, 3, 4].map((i) => `$.storage.files[${i}].contents`).concat('$.storage.files[5].append[0]'),
      literal: [],
      fcos: ['$.storage.files[0].contents', '$.storage.files[1].contents'],
      merged_snippets: ['$.storage.files[0].contents', '$.storage.files[1].contents'],
    });
    const flatcar = all[0];
    const compressionOf = (json: string, i: number) => JSON.parse(json).storage.files[i].contents.compression;
    // /etc/long is gzipped by Butane either way; /etc/long-value only for the value
    expect([compressionOf(applied.flatcar_tokens, 3), compressionOf(flatcar.intended, 3)]).toEqual(['gzip', 'gzip']);
    expect([compressionOf(applied.flatcar_tokens, 4), compressionOf(flatcar.intended, 4)]).toEqual(['', 'gzip']);
    expect(compressionOf(applied.flatcar_tokens, 7)).toBe('gzip');
  });

  test("a token in a file Butane writes as plain base64 (no placeholder in the URL's text) is still found", () => {
    const file = { path: '/etc/unicode', contents: { inline: `${UNICODE} cdktftoken0x\n` } };
    const [placeholderSide] = (transpileButane({ variant: 'flatcar', version: '1.0.0', storage: { files: [file] } }).ignition as Json).storage.files;
    expect(placeholderSide.contents).toEqual({ compression: '', source: expect.stringMatching(/^data:;base64,/) });
    expect(payloadOf(JSON.parse(applied.flatcar_tokens).storage.files[2].contents)).toBe(`${UNICODE} ${ONE_LINE}\n`);
  });

  test.each(all.map((c) => [c.lifted.name, c] as const))('%s: no placeholder is left, in the text or in a decoded source', (_name, c) => {
    expect(applied[c.lifted.name]).not.toMatch(/cdktftoken/);
    expect(dataResources(JSON.parse(applied[c.lifted.name])).filter(([, resource]) => /cdktftoken/.test(payloadOf(resource)))).toEqual([]);
  });

  test('the literal config renders unchanged', () => {
    expect(applied.literal).toBe(all[1].intended);
  });
});

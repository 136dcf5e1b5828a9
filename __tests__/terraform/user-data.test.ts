/**
 * Real Terraform (offline, no providers) computes each synthesized `user-data` and must give the
 * Ignition JSON that `transpile()` gives for the same config with the values written in, byte for
 * byte; files with Terraform values in their contents are compared by their decoded bytes.
 */
import { Fn, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { transpile, type ContainerLinuxConfig } from '../../transpiler';
import { CoreOSInstance, type CoreOSInstanceProps } from '../../constructs/coreos-instance';
import { Image } from '../../constructs/image';
import { CoreOSStack } from '../../main';
import { applyWithTerraform, asCtDataUrls, describeWithTerraform, type LiftedCase } from './terraform-harness';

const BASE = { zone: 'us-central1-c', machineType: 'e2-small' } as const;
// Everything that JSON, Go's HTML-safe escaping, HCL strings and Terraform templates treat specially.
const AWKWARD = 'é ∑ 😀 "quoted" back\\slash\nnew line\ttab <&> ${HOME} $${x} %{ if y } %%{z} $ %';
const DB_IP = 'google_compute_instance.db_Resource_';

interface Case {
  readonly lifted: LiftedCase;
  /** The Ignition JSON ct writes for the same config with every value written in. */
  readonly intended: string;
}

/** Synthesizes `build`'s stack and lifts the user-data of the instance named `name`. */
function synthCase(name: string, build: (stack: TerraformStack) => void, instance = 'vm'): string {
  const synthesized = JSON.parse(Testing.synthScope((stack) => build(stack as TerraformStack)));
  const found = Object.values(synthesized.resource.google_compute_instance as Record<string, { name: string; metadata: Record<string, string> }>)
    .find((resource) => resource.name === instance);
  if (!found) throw new Error(`case ${name}: no instance ${instance}`);
  return found.metadata['user-data'];
}

/** A case whose config is a function of its values: tokens for the stack, the values for ct. */
function tokenCase(name: string, values: Record<string, string>, config: (value: (name: string) => string) => string | ContainerLinuxConfig, props: Partial<CoreOSInstanceProps> = {}): Case {
  const userData = synthCase(name, (stack) => {
    const variables = Object.fromEntries(Object.keys(values).map((key) => [key, new TerraformVariable(stack, key, { type: 'string' }).stringValue]));
    new CoreOSInstance(stack, 'vm', { ...BASE, ...props, config: config((key) => variables[key]) });
  });
  const intended = transpile(config((key) => values[key]), { platform: 'gce', ignitionVersion: props.ignitionVersion }).json;
  return { lifted: { name, userData, variables: values }, intended };
}

const LITERAL_CONFIG = `systemd:
  units:
    - name: literal.service
      contents: |
        [Service]
        ExecStart=/bin/sh -c 'echo \${HOME} $\${x} %{ if y }%{ endif } %%{z} \${unclosed $'
storage:
  files:
    - filesystem: root
      path: /etc/literal
      mode: 0644
      contents:
        inline: "home=\${HOME}\\n%{ if x }yes%{ endif }\\n"
`;

function cases(): Case[] {
  const literal: Case = {
    lifted: { name: 'literal', userData: synthCase('literal', (stack) => new CoreOSInstance(stack, 'vm', { ...BASE, config: LITERAL_CONFIG })) },
    intended: transpile(LITERAL_CONFIG, { platform: 'gce' }).json,
  };

  const etcd = tokenCase('etcd', { cluster: 'etcd-cluster-1', name: 'node "0" \\ é', prefix: '/coreos.com/"net"' }, (value) => ({
    flannel: { etcd_prefix: value('prefix'), etcd_endpoints: 'http://{PRIVATE_IPV4}:2379' },
    etcd: {
      name: value('name'),
      initial_cluster_token: value('cluster'),
      advertise_client_urls: 'http://{PRIVATE_IPV4}:2379',
      listen_client_urls: 'http://0.0.0.0:2379',
      initial_advertise_peer_urls: 'http://{PRIVATE_IPV4}:2380',
    },
  }));

  const sshKey = tokenCase('ssh_key', { ssh_public_key: `ssh-ed25519 AAAA ${AWKWARD} user@example` }, (value) => ({
    passwd: { users: [{ name: 'core', ssh_authorized_keys: [value('ssh_public_key')] }] },
  }));

  // A unit line holds no newline, so the unit gets a one-line value.
  const awkward = tokenCase('awkward', { text: AWKWARD, line: AWKWARD.replace(/\n/g, ' ') }, (value) => ({
    systemd: { units: [{ name: 'awkward.service', contents: `[Service]\nEnvironment="TEXT=${value('line')}"\n# ${AWKWARD.replace(/\n/g, '\n# ')}\n` }] },
    storage: {
      files: [
        { filesystem: 'root', path: '/etc/awkward', mode: 0o644, contents: { inline: `${AWKWARD}\n${value('text')}\n${value('text')}${AWKWARD}` } },
        { filesystem: 'root', path: '/etc/only-token', mode: 0o644, contents: { inline: value('text') } },
      ],
    },
  }));

  const update = tokenCase('update', { group: 'Beta', server: 'https://updates.example.com/v1/update/', lock_group: 'web "tier" \\ 1' }, (value) => ({
    update: { group: value('group'), server: value('server') },
    locksmith: { reboot_strategy: 'reboot', group: value('lock_group') },
  }));

  const fedoraCoreOS = tokenCase(
    'fedora_coreos',
    { key: 'ssh-ed25519 AAAA "k" é', motd: AWKWARD },
    (value) => ({
      passwd: { users: [{ name: 'core', ssh_authorized_keys: [value('key')] }] },
      storage: { files: [{ filesystem: 'root', path: '/etc/motd', mode: 0o644, contents: { inline: `${value('motd')} \${HOME}\n` } }] },
    }),
    // Fedora CoreOS takes Butane only (butane-user-data.test.ts); Flatcar boots the same spec 3.3.0
    { image: Image.flatcar(), ignitionVersion: '3.3.0' },
  );

  return [literal, etcd, sshKey, awkward, update, fedoraCoreOS, fnCallCase(), otherResourceCase(), defaultAppCase()];
}

/** An `Fn` call over a variable, in a unit and in a file. */
function fnCallCase(): Case {
  const host = 'db.internal "eu"';
  const config = (upper: string): ContainerLinuxConfig => ({
    systemd: { units: [{ name: 'fn.service', contents: `[Service]\nEnvironment=HOST=${upper}\n` }] },
    storage: { files: [{ filesystem: 'root', path: '/etc/host', mode: 0o644, contents: { inline: `${upper}\n` } }] },
  });
  const userData = synthCase('fn_call', (stack) => {
    const variable = new TerraformVariable(stack, 'host', { type: 'string' });
    new CoreOSInstance(stack, 'vm', { ...BASE, config: config(Fn.upper(variable.stringValue)) });
  });
  return { lifted: { name: 'fn_call', userData, variables: { host } }, intended: transpile(config(host.toUpperCase()), { platform: 'gce' }).json };
}

/** Another instance's internal IP (stood in by a variable) in a drop-in and in a file. */
function otherResourceCase(): Case {
  const ip = '10.128.0.7';
  const config = (dbIp: string): ContainerLinuxConfig => ({
    systemd: { units: [{ name: 'app.service', dropins: [{ name: 'db.conf', contents: `[Service]\nEnvironment=DB_HOST=${dbIp}\n` }] }] },
    storage: { files: [{ filesystem: 'root', path: '/etc/app/db.env', mode: 0o600, contents: { inline: `DB_HOST=${dbIp}\nDB_PORT=5432\n` } }] },
  });
  const userData = synthCase(
    'other_resource',
    (stack) => {
      const db = new CoreOSInstance(stack, 'db', { ...BASE, config: 'passwd:\n  users:\n    - name: core\n' });
      new CoreOSInstance(stack, 'web', { ...BASE, config: config(db.internalIp) });
    },
    'web',
  );
  const reference = new RegExp(`${DB_IP.replace(/[.]/g, '\\.')}[0-9A-F]{8}\\.network_interface\\[0\\]\\.network_ip|google_compute_instance\\.db_[0-9A-F]{8}\\.network_interface\\[0\\]\\.network_ip`).exec(userData)?.[0];
  if (!reference) throw new Error(`no reference to the db instance in ${userData.slice(0, 200)}`);
  return { lifted: { name: 'other_resource', userData, attributes: { [reference]: ip } }, intended: transpile(config(ip), { platform: 'gce' }).json };
}

/** The default app, with a real key, as `terraform apply` of main.ts would render it. */
function defaultAppCase(): Case {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlyAnExampleKeyForTests adrian@example';
  const synthesized = JSON.parse(Testing.synth(new CoreOSStack(Testing.app(), 'coreos')));
  const instance = Object.values(synthesized.resource.google_compute_instance as Record<string, { metadata: Record<string, string> }>)[0];
  const core = readFileSync(path.join(__dirname, '..', '..', 'configs', 'core.yaml'), 'utf8').replaceAll('{{ ssh_public_key }}', key);
  return {
    lifted: { name: 'default_app', userData: instance.metadata['user-data'], variables: { ssh_public_key: key } },
    intended: transpile(core, { platform: 'gce' }).json,
  };
}

describeWithTerraform('Terraform computes the user-data ct would write', () => {
  const all = cases();
  let applied: Record<string, string> = {};
  beforeAll(() => {
    applied = applyWithTerraform(all.map((c) => c.lifted));
  }, 60_000);

  test.each(all.map((c) => [c.lifted.name, c] as const))('%s', (_name, c) => {
    expect(asCtDataUrls(applied[c.lifted.name])).toBe(c.intended);
  });

  test('files with Terraform values in their contents are base64 data URLs, others stay as ct writes them', () => {
    const files = (name: string) => JSON.parse(applied[name]).storage.files.map((f: { contents: { source: string } }) => f.contents.source.slice(0, 13));
    expect(files('awkward')).toEqual(['data:;base64,', 'data:;base64,']);
    expect(files('literal')).toEqual(['data:,home%3D']);
    expect(files('fedora_coreos')).toEqual(['data:;base64,']);
  });

  test('the default app renders unchanged', () => {
    expect(applied.default_app).toBe(all.find((c) => c.lifted.name === 'default_app')?.intended);
  });
});

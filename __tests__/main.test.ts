import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { transpile } from '../transpiler';
import { ComputeInstance, GoogleProvider } from '../constructs/google';
import { CoreOSStack, projectRoot } from '../main';
import { evaluateTerraformTemplate } from './constructs/evaluate-terraform-template';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlyAnExampleKeyForTests adrian@example';

function synthDefaultApp(): string {
  return Testing.synth(new CoreOSStack(Testing.app(), 'coreos'), true);
}

describe('the default app', () => {
  const synthesized = synthDefaultApp();
  const terraform = JSON.parse(synthesized);
  const instance = Object.values(terraform.resource.google_compute_instance)[0] as Record<string, never>;

  test('configures the Google provider from Terraform variables only', () => {
    expect(synthesized).toHaveProviderWithProperties(GoogleProvider, { project: '${var.project}', region: '${var.region}' });
    expect(terraform.provider.google[0]).not.toHaveProperty('credentials');
    expect(terraform.variable.project).toEqual(expect.objectContaining({ type: 'string' }));
    expect(terraform.variable.project).not.toHaveProperty('default');
    expect(terraform.variable.region).toEqual(expect.objectContaining({ type: 'string', default: 'us-central1' }));
  });

  test('takes the SSH key from a variable with no default', () => {
    expect(terraform.variable.ssh_public_key).toEqual(expect.objectContaining({ type: 'string' }));
    expect(terraform.variable.ssh_public_key).not.toHaveProperty('default');
    expect(synthesized).not.toMatch(/ssh-(ed25519|rsa|dss) AAAA/);
  });

  test('reproduces the original instance', () => {
    expect(Object.keys(terraform.resource.google_compute_instance)).toEqual([expect.stringMatching(/^us-central1-c--f1-micro_[0-9A-F]{8}$/)]);
    expect(synthesized).toHaveResourceWithProperties(ComputeInstance, {
      name: 'us-central1-c--f1-micro',
      machine_type: 'f1-micro',
      zone: 'us-central1-c',
      boot_disk: { initialize_params: { image: 'coreos-stable' } },
      network_interface: [{ network: 'default', access_config: [{}] }],
    });
  });

  test('outputs the instance name and external IP', () => {
    const address = `google_compute_instance.${Object.keys(terraform.resource.google_compute_instance)[0]}`;
    expect(terraform.output.instance_name.value).toBe('us-central1-c--f1-micro');
    expect(terraform.output.external_ip.value).toBe(`\${${address}.network_interface[0].access_config[0].nat_ip}`);
  });

  test('user-data is exactly ct output for configs/core.yaml with the key filled in by Terraform', () => {
    const userData: string = (instance.metadata as Record<string, string>)['user-data'];
    expect(userData).toContain('jsonencode(var.ssh_public_key)');

    const applied = evaluateTerraformTemplate(userData, { ssh_public_key: EXAMPLE_KEY });
    const configWithKeyInline = readFileSync(path.join(ROOT, 'configs', 'core.yaml'), 'utf8').replaceAll('{{ ssh_public_key }}', EXAMPLE_KEY);
    expect(applied).toBe(transpile(configWithKeyInline, { platform: 'gce' }).json);
    expect(JSON.parse(applied).passwd.users).toEqual([
      expect.objectContaining({ name: 'adrian', groups: ['sudo', 'docker'], sshAuthorizedKeys: [EXAMPLE_KEY] }),
    ]);
  });

  test('synthesizes the same JSON twice', () => {
    expect(synthDefaultApp()).toBe(synthesized);
  });

  test('two App synths into two directories write byte-identical stacks', () => {
    const synthInto = (): Map<string, Buffer> => {
      const outdir = mkdtempSync(path.join(tmpdir(), 'coreos-synth-'));
      try {
        const app = new App({ outdir, stackTraces: false });
        new CoreOSStack(app, 'coreos');
        app.synth();
        // cdk.tf.json names its outdir in the local backend's path; compare with that swapped out.
        return new Map(filesBelow(outdir).map((file) => [file, Buffer.from(readFileSync(path.join(outdir, file), 'utf8').replaceAll(outdir, '<outdir>'))]));
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    };
    const first = synthInto();
    const second = synthInto();
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(first.has(path.join('stacks', 'coreos', 'cdk.tf.json'))).toBe(true);
    for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file) as Buffer) }).toEqual({ file, same: true });
  });
});

function filesBelow(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix))
    .sort()
    .flatMap((name) => (statSync(path.join(dir, prefix, name)).isDirectory() ? filesBelow(dir, path.join(prefix, name)) : [path.join(prefix, name)]));
}

describe('projectRoot', () => {
  test('finds cdktf.json from the source tree and from dist/', () => {
    expect(projectRoot(ROOT)).toBe(ROOT);
    expect(projectRoot(path.join(ROOT, 'dist'))).toBe(ROOT);
    expect(projectRoot(path.join(ROOT, 'dist', 'constructs'))).toBe(ROOT);
  });

  test('says where it looked when there is no cdktf.json', () => {
    expect(() => projectRoot('/')).toThrow('no cdktf.json in / or above');
  });
});

/**
 * Opt-in (COREOS_TERRAFORM_TESTS=1, needs `terraform` on PATH, works offline): lets real Terraform
 * evaluate the synthesized user-data and compares it with ct's output byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TerraformVariable } from 'cdktf';
import { transpile } from '../../transpiler';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { BASE_PROPS, synthInstance, synthProps } from './synth-helpers';

const enabled = process.env.COREOS_TERRAFORM_TESTS === '1';

const config = (key: string): string => `passwd:
  users:
    - name: core
      ssh_authorized_keys:
        - ${key}
systemd:
  units:
    - name: literal.service
      contents: "ExecStart=/bin/sh -c 'echo \${HOME} %{x} $\${y} %%{z} \${unclosed $ cost'"
`;

/** Evaluates `template` as the value of a Terraform output, with `ssh_public_key` set to `key`. */
function terraformEvaluates(template: string, key: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'coreos-tf-'));
  writeFileSync(path.join(dir, 'empty.tfrc'), '');
  writeFileSync(
    path.join(dir, 'main.tf.json'),
    JSON.stringify({ variable: { ssh_public_key: { type: 'string' } }, output: { user_data: { value: template } } }),
  );
  const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'empty.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const run = (...args: string[]) => execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
  run('init', '-input=false');
  run('apply', '-auto-approve', '-input=false', '-var', `ssh_public_key=${key}`);
  return run('output', '-raw', 'user_data');
}

const KEY = 'ssh-ed25519 AAAA "quoted" back\\slash <&> ${not_a_ref} %{nor_this} $ user@example';

(enabled ? describe : describe.skip)('Terraform evaluating the user-data', () => {
  test('gives exactly what ct writes, with the key from a variable', () => {
    const { instance } = synthInstance((stack) => {
      const variable = new TerraformVariable(stack, 'ssh_public_key', { type: 'string' });
      return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: config(`"${variable.stringValue}"`) });
    });
    const applied = terraformEvaluates(instance.metadata['user-data'], KEY);
    expect(applied).toBe(transpile(config(JSON.stringify(KEY)), { platform: 'gce' }).json);
  }, 60_000);

  test('gives exactly what ct writes, with no Terraform values in the config', () => {
    const { instance } = synthProps({ config: config(JSON.stringify(KEY)) });
    const applied = terraformEvaluates(instance.metadata['user-data'], 'unused');
    expect(applied).toBe(transpile(config(JSON.stringify(KEY)), { platform: 'gce' }).json);
  }, 60_000);
});

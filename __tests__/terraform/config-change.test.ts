/**
 * ConfigChangeBehavior.REPLACE with the real Terraform, offline: the synthesized
 * `terraform_data.coreos_config_hashes` and each instance's `lifecycle`, on provider-free stand-ins
 * (a `terraform_data` per instance), applied, then planned again after one config changes. Only
 * the instance whose config changed may be replaced.
 */
import { Fn, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { describeWithTerraform, TERRAFORM } from './terraform-harness';

const BASE = { zone: 'us-central1-c', machineType: 'e2-small' } as const;

interface Fleet {
  /** The unit text of the literal instance `static`. */
  readonly staticUnit: string;
}

interface ResourceChange {
  readonly address: string;
  readonly change: { readonly actions: readonly string[] };
  readonly action_reason?: string;
}

/** Two instances: `keyed` takes SSH keys from a variable (as is and through a function), `static` is literal text. */
function synthFleet(fleet: Fleet): Record<string, unknown> {
  const synthesized = JSON.parse(
    Testing.synthScope((scope) => {
      const stack = scope as TerraformStack;
      const key = new TerraformVariable(stack, 'key', { type: 'string' });
      new CoreOSInstance(stack, 'keyed', { ...BASE, config: { passwd: { users: [{ name: 'core', ssh_authorized_keys: [key.stringValue, Fn.lower(key.stringValue)] }] } } });
      new CoreOSInstance(stack, 'static', { ...BASE, config: `systemd:\n  units:\n    - name: a.service\n      contents: "${fleet.staticUnit}"\n` });
    }),
  );
  const instances = synthesized.resource.google_compute_instance as Record<string, { name: string; lifecycle: unknown }>;
  const standIns = Object.fromEntries(Object.entries(instances).map(([id, instance]) => [id, { input: instance.name, lifecycle: instance.lifecycle }]));
  return { variable: synthesized.variable, resource: { terraform_data: { ...synthesized.resource.terraform_data, ...standIns } } };
}

/** Runs Terraform in one scratch directory across several configurations. */
class TerraformDir {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'coreos-config-change-'));
  private readonly env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(this.dir, 'empty.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

  constructor() {
    writeFileSync(path.join(this.dir, 'empty.tfrc'), '');
  }

  write(configuration: Record<string, unknown>): void {
    writeFileSync(path.join(this.dir, 'main.tf.json'), JSON.stringify(configuration));
  }

  run(...args: string[]): string {
    return execFileSync(TERRAFORM, [...args, '-no-color'], { cwd: this.dir, env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The resources a plan would change, by address, with the action and Terraform's reason. */
  plannedChanges(...args: string[]): Record<string, string> {
    this.run('plan', '-input=false', '-lock=false', '-out=plan.bin', ...args);
    const plan = JSON.parse(this.run('show', '-json', 'plan.bin')) as { resource_changes: ResourceChange[] };
    return Object.fromEntries(
      plan.resource_changes
        .filter((change) => change.change.actions.join() !== 'no-op')
        .map((change) => [change.address, [change.change.actions.join('+'), change.action_reason].filter(Boolean).join(' ')]),
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describeWithTerraform('onConfigChange REPLACE with the real Terraform', () => {
  const terraform = new TerraformDir();
  const before = synthFleet({ staticUnit: '[Service]\\nExecStart=/bin/true\\n' });
  const keyed = Object.keys((before.resource as { terraform_data: object }).terraform_data).find((id) => id.startsWith('keyed_')) as string;
  const fixed = Object.keys((before.resource as { terraform_data: object }).terraform_data).find((id) => id.startsWith('static_')) as string;
  const ENTRY_REPLACED = 'delete+create replace_by_triggers';

  beforeAll(() => {
    terraform.write(before);
    terraform.run('init', '-input=false');
    terraform.run('apply', '-auto-approve', '-input=false', '-lock=false', '-var', 'key=ssh-ed25519 AAAA first');
  }, 60_000);
  afterAll(() => terraform.remove());

  test('an unchanged app plans no change', () => {
    expect(terraform.plannedChanges('-var', 'key=ssh-ed25519 AAAA first')).toEqual({});
  });

  test('a new variable value replaces only the instance whose config uses it', () => {
    expect(terraform.plannedChanges('-var', 'key=ssh-ed25519 AAAA second')).toEqual({
      'terraform_data.coreos_config_hashes': 'update',
      [`terraform_data.${keyed}`]: ENTRY_REPLACED,
    });
  });

  test('a changed config text replaces only its own instance', () => {
    terraform.write(synthFleet({ staticUnit: '[Service]\\nExecStart=/bin/false\\n' }));
    expect(terraform.plannedChanges('-var', 'key=ssh-ed25519 AAAA first')).toEqual({
      'terraform_data.coreos_config_hashes': 'update',
      [`terraform_data.${fixed}`]: ENTRY_REPLACED,
    });
  });
});

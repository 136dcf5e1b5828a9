import 'cdktf/lib/testing/adapters/jest';
import { Testing, TerraformVariable } from 'cdktf';
import { ConfigChangeBehavior } from '../../constructs/config-change';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { BASE_PROPS, synthInstance, synthProps } from './synth-helpers';

const CONFIG = 'passwd:\n  users:\n    - name: core\n';

describe('CoreOSInstance onConfigChange', () => {
  test('replace (the default): replace_triggered_by its entry in the stack\'s terraform_data of config hashes', () => {
    const { instance, terraform } = synthInstance((stack) => {
      const key = new TerraformVariable(stack, 'key', { type: 'string' });
      return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: { passwd: { users: [{ name: 'core', ssh_authorized_keys: [key.stringValue] }] } } });
    });
    const instanceId = Object.keys(terraform.resource.google_compute_instance)[0];

    expect(Object.keys(terraform.resource.terraform_data)).toEqual(['coreos_config_hashes']);
    expect(terraform.resource.terraform_data.coreos_config_hashes.input).toMatch(
      new RegExp(`^\\$\\{tomap\\(\\{"${instanceId}" = jsonencode\\(\\["[0-9a-f]{64}", var\\.key\\]\\)\\}\\)\\}$`),
    );
    expect(instance.lifecycle).toEqual({ replace_triggered_by: [`terraform_data.coreos_config_hashes.input["${instanceId}"]`] });
  });

  test('one terraform_data per stack, one entry per instance, sorted by Terraform name', () => {
    const terraform = JSON.parse(
      Testing.synthScope((stack) => {
        for (const id of ['b', 'a', 'c']) new CoreOSInstance(stack, id, { ...BASE_PROPS, config: CONFIG });
        new CoreOSInstance(stack, 'kept', { ...BASE_PROPS, config: CONFIG, onConfigChange: ConfigChangeBehavior.IGNORE });
      }),
    );
    const entries = [...String(terraform.resource.terraform_data.coreos_config_hashes.input).matchAll(/"([^"]+)" = "([0-9a-f]{64})"/g)];
    expect(entries.map(([, id]) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['a', 'b', 'c']);
    expect(new Set(entries.map(([, , hash]) => hash)).size).toBe(1);
  });

  test('the hash follows the config', () => {
    const hashOf = (config: string) => /"vm_[0-9A-F]{8}" = "([0-9a-f]{64})"/.exec(synthProps({ config }).terraform.resource.terraform_data.coreos_config_hashes.input)?.[1];
    expect(hashOf(CONFIG)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(CONFIG)).toBe(hashOf(CONFIG));
    expect(hashOf(CONFIG.replace('core', 'admin'))).not.toBe(hashOf(CONFIG));
  });

  test('update-in-place: plain metadata, no lifecycle and no terraform_data', () => {
    const { instance, terraform } = synthProps({ config: CONFIG, onConfigChange: ConfigChangeBehavior.UPDATE_IN_PLACE });
    expect(instance).not.toHaveProperty('lifecycle');
    expect(terraform.resource).not.toHaveProperty('terraform_data');
  });

  test('ignore: ignore_changes on the user-data', () => {
    const { instance, terraform } = synthProps({ config: CONFIG, onConfigChange: ConfigChangeBehavior.IGNORE });
    expect(instance.lifecycle).toEqual({ ignore_changes: ['metadata["user-data"]'] });
    expect(terraform.resource).not.toHaveProperty('terraform_data');
  });
});

describe('CoreOSInstance ignoreImageDrift', () => {
  test('adds ignore_changes for the boot image, next to the config-change lifecycle', () => {
    const { instance } = synthProps({ config: CONFIG, ignoreImageDrift: true, onConfigChange: ConfigChangeBehavior.IGNORE });
    expect(instance.lifecycle).toEqual({ ignore_changes: ['metadata["user-data"]', 'boot_disk[0].initialize_params[0].image'] });
  });

  test('is off by default', () => {
    const { instance } = synthProps({ config: CONFIG, onConfigChange: ConfigChangeBehavior.UPDATE_IN_PLACE });
    expect(instance).not.toHaveProperty('lifecycle');
  });
});

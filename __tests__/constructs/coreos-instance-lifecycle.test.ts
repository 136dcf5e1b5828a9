import 'cdktf/lib/testing/adapters/jest';
import { DataResource, TerraformVariable } from 'cdktf';
import { ConfigChangeBehavior } from '../../constructs/config-change';
import { CoreOSInstance } from '../../constructs/coreos-instance';
import { BASE_PROPS, synthInstance, synthProps } from './synth-helpers';

const CONFIG = 'passwd:\n  users:\n    - name: core\n';

describe('CoreOSInstance onConfigChange', () => {
  test('replace (the default): replace_triggered_by a terraform_data holding the config hash and token values', () => {
    const { instance, terraform } = synthInstance((stack) => {
      const key = new TerraformVariable(stack, 'key', { type: 'string' });
      return new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, config: { passwd: { users: [{ name: 'core', ssh_authorized_keys: [key.stringValue] }] } } });
    });
    const [hashId, hash] = Object.entries(terraform.resource[DataResource.tfResourceType])[0] as [string, { input: unknown }];

    expect(hashId).toMatch(/^vm_ConfigHash_[0-9A-F]{8}$/);
    expect(hash.input).toEqual({ ignition_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), token_values: ['${var.key}'] });
    expect(instance.lifecycle).toEqual({ replace_triggered_by: [`terraform_data.${hashId}`] });
  });

  test('the hash follows the config', () => {
    const hashOf = (config: string) => Object.values(synthProps({ config }).terraform.resource.terraform_data as Record<string, { input: { ignition_sha256: string } }>)[0].input.ignition_sha256;
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

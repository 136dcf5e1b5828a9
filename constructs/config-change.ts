/**
 * Ignition runs once, on first boot: new user-data on a running VM changes nothing on it. These
 * are the ways a CoreOSInstance can react when its rendered config changes.
 */
import { TerraformResource, type IResolvable, type TerraformResourceLifecycle } from 'cdktf';
import type { Construct } from 'constructs';

export enum ConfigChangeBehavior {
  /**
   * Replace the VM, so the new config is applied at its first boot: `replace_triggered_by` a
   * `terraform_data` holding the sha256 of the transpiled config and the values of its tokens.
   */
  REPLACE = 'replace',
  /** Update the metadata in place; the running VM ignores it until it is recreated. */
  UPDATE_IN_PLACE = 'update-in-place',
  /** Leave the VM's user-data as first applied: `ignore_changes` on `metadata["user-data"]`. */
  IGNORE = 'ignore',
}

export const USER_DATA_ATTRIBUTE = 'metadata["user-data"]';
export const BOOT_IMAGE_ATTRIBUTE = 'boot_disk[0].initialize_params[0].image';

/**
 * What identifies a rendered config: the hash of the transpiled JSON (tokens as placeholders) and
 * the tokens themselves, which Terraform resolves, so a changed variable value counts as a change.
 */
export interface ConfigFingerprint {
  readonly ignition_sha256: string;
  readonly token_values: readonly string[];
}

/**
 * The instance's lifecycle for `behavior`. REPLACE adds a `terraform_data` child `ConfigHash`
 * next to the instance; its id is part of the Terraform address, so keep it stable.
 */
export function configChangeLifecycle(
  scope: Construct,
  behavior: ConfigChangeBehavior,
  fingerprint: ConfigFingerprint | IResolvable,
  ignoreImageDrift: boolean,
): TerraformResourceLifecycle | undefined {
  const ignoreChanges = [
    ...(behavior === ConfigChangeBehavior.IGNORE ? [USER_DATA_ATTRIBUTE] : []),
    ...(ignoreImageDrift ? [BOOT_IMAGE_ATTRIBUTE] : []),
  ];
  // A plain address: cdktf would write a resource as `${terraform_data.x}`, which Terraform refuses here.
  const replaceTriggeredBy =
    behavior === ConfigChangeBehavior.REPLACE ? [addressOf(new ConfigHash(scope, 'ConfigHash', fingerprintInput(fingerprint)))] : [];
  if (ignoreChanges.length === 0 && replaceTriggeredBy.length === 0) return undefined;
  return {
    ...(ignoreChanges.length > 0 ? { ignoreChanges } : {}),
    ...(replaceTriggeredBy.length > 0 ? { replaceTriggeredBy } : {}),
  };
}

/**
 * A `terraform_data` holding the fingerprint. Not cdktf's `DataResource`: that one adds a
 * validation that spawns `terraform version` for every instance at synth (seconds per hundred
 * instances) and fails the synth where Terraform is not installed.
 */
class ConfigHash extends TerraformResource {
  static readonly tfResourceType = 'terraform_data';

  constructor(
    scope: Construct,
    id: string,
    private readonly input: { [key: string]: unknown },
  ) {
    super(scope, id, { terraformResourceType: ConfigHash.tfResourceType });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: this.input };
  }
}

function addressOf(resource: ConfigHash): string {
  return `${ConfigHash.tfResourceType}.${resource.friendlyUniqueId}`;
}

/** A Lazy fingerprint (a config still open to snippets) is resolved by cdktf at synth. */
function fingerprintInput(fingerprint: ConfigFingerprint | IResolvable): { [key: string]: unknown } {
  return 'resolve' in fingerprint ? (fingerprint as unknown as { [key: string]: unknown }) : { ...fingerprint };
}

/**
 * Ignition runs once, on first boot: new user-data on a running VM changes nothing on it. These
 * are the ways a CoreOSInstance can react when its rendered config changes.
 */
import { TerraformResource, TerraformStack, type TerraformResourceLifecycle } from 'cdktf';
import type { Construct } from 'constructs';
import { producedString } from './produced-string';

export enum ConfigChangeBehavior {
  /**
   * Replace the VM, so the new config is applied at its first boot: `replace_triggered_by` the
   * VM's entry in the stack's `terraform_data.coreos_config_hashes`, which holds the sha256 of
   * the transpiled config and the values of its tokens.
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

/** The instance's lifecycle for `behavior`; REPLACE registers `fingerprint` with the stack's ConfigHashes. */
export function configChangeLifecycle(
  instance: TerraformResource,
  behavior: ConfigChangeBehavior,
  fingerprint: () => ConfigFingerprint,
  ignoreImageDrift: boolean,
): TerraformResourceLifecycle | undefined {
  const ignoreChanges = [
    ...(behavior === ConfigChangeBehavior.IGNORE ? [USER_DATA_ATTRIBUTE] : []),
    ...(ignoreImageDrift ? [BOOT_IMAGE_ATTRIBUTE] : []),
  ];
  const replaceTriggeredBy = behavior === ConfigChangeBehavior.REPLACE ? [ConfigHashes.of(instance).track(instance, fingerprint)] : [];
  if (ignoreChanges.length === 0 && replaceTriggeredBy.length === 0) return undefined;
  return {
    ...(ignoreChanges.length > 0 ? { ignoreChanges } : {}),
    ...(replaceTriggeredBy.length > 0 ? { replaceTriggeredBy } : {}),
  };
}

/**
 * One `terraform_data` per stack whose input maps each tracked resource's Terraform name to its
 * config fingerprint; each VM is `replace_triggered_by` its own entry only. One resource instead
 * of one per VM: a resource per VM was a tenth of the synth time of a thousand-VM stack.
 *
 * The input is a `tomap(...)` expression on purpose: Terraform follows an index into a map in
 * `replace_triggered_by`, but silently never triggers on an index into an object, which is what
 * a JSON object literal would be.
 *
 * Not cdktf's `DataResource`: that one adds a validation that spawns `terraform version` at synth
 * and fails the synth where Terraform is not installed.
 */
export class ConfigHashes extends TerraformResource {
  static readonly tfResourceType = 'terraform_data';
  /** Construct id and Terraform name, directly under the stack: keep it stable. */
  static readonly id = 'coreos_config_hashes';

  /** The stack's ConfigHashes, created on first use. */
  static of(scope: Construct): ConfigHashes {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(ConfigHashes.id) as ConfigHashes | undefined) ?? new ConfigHashes(stack, ConfigHashes.id);
  }

  private readonly fingerprints = new Map<string, () => ConfigFingerprint>();

  private constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: ConfigHashes.tfResourceType });
  }

  /** Tracks `resource`'s config; returns the `replace_triggered_by` reference to its entry. */
  track(resource: TerraformResource, fingerprint: () => ConfigFingerprint): string {
    const key = resource.friendlyUniqueId;
    this.fingerprints.set(key, fingerprint);
    // A plain address: cdktf would write a reference as `${...}`, which Terraform refuses here.
    return `${ConfigHashes.tfResourceType}.${this.friendlyUniqueId}.input["${key}"]`;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: producedString(() => this.mapExpression()) };
  }

  /**
   * `${tomap({"name" = "sha256", ...})}`, sorted by name so that the order of construction does
   * not show. Written out rather than through `Fn.tomap`, whose rendering took a third of a
   * millisecond per entry. cdktf resolves each token inside the `${...}` as a bare expression
   * (`var.key`).
   */
  private mapExpression(): string {
    const keys = [...this.fingerprints.keys()].sort();
    const entries = keys.map((key) => `${JSON.stringify(key)} = ${fingerprintExpression(this.fingerprints.get(key)!())}`);
    return `\${tomap({${entries.join(', ')}})}`;
  }
}

/** One string per config: the sha256 alone, or JSON of it with the token values Terraform resolves. */
function fingerprintExpression(fingerprint: ConfigFingerprint): string {
  const sha = JSON.stringify(fingerprint.ignition_sha256);
  if (fingerprint.token_values.length === 0) return sha;
  return `jsonencode([${[sha, ...fingerprint.token_values].join(', ')}])`;
}

/**
 * Resource names must be unique in a project, but two clusters (or pools) with the same name only
 * collide at `terraform apply`. Each stack keeps the names its cluster constructs took, so that a
 * duplicate fails at construction with both construct paths.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

const taken = new WeakMap<TerraformStack, Map<string, string>>();

/** Takes `name` of `kind` (e.g. `instance`) for `owner`; throws if another construct has it. */
export function claimName(owner: Construct, kind: string, name: string): void {
  const stack = TerraformStack.of(owner);
  const names = taken.get(stack) ?? new Map<string, string>();
  taken.set(stack, names);
  const key = `${kind}:${name}`;
  const holder = names.get(key);
  if (holder !== undefined && holder !== owner.node.path) {
    throw new Error(`duplicate ${kind} name "${name}": ${owner.node.path} and ${holder} both use it (give them different names)`);
  }
  names.set(key, owner.node.path);
}

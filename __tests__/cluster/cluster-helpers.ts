/** Test helpers for the cluster constructs: a stack with a provider, and Terraform JSON readers. */
import { Testing, TerraformStack } from 'cdktf';
import { GoogleProvider } from '../../constructs/google';
import { evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A stack with a Google provider, so that `Testing.synth(stack, true)` validations pass. */
export function newStack(id = 'stack'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new GoogleProvider(stack, 'google', { project: 'my-project' });
  return stack;
}

/** Synthesizes with validations on and parses the Terraform JSON. */
export function synthJson(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack, true));
}

/** Every resource of `type`, as [logical id, arguments]. */
export function resourcesOf(terraform: Json, type: string): [string, Json][] {
  return Object.entries(terraform.resource?.[type] ?? {});
}

/** The arguments of the one resource of `type` whose `name` is `name`. */
export function resourceNamed(terraform: Json, type: string, name: string): Json {
  const found = resourcesOf(terraform, type).filter(([, args]) => args.name === name);
  expect(found.map(([, args]) => args.name)).toEqual([name]);
  return found[0][1];
}

/** The Ignition a `user-data` template gives once Terraform has evaluated it (no variables). */
export function decodeUserData(userData: string, variables: Record<string, string> = {}): Json {
  return JSON.parse(evaluateTerraformTemplate(userData, variables));
}

/** The text of a unit's drop-in in an Ignition 2.x config (units of one name may repeat, as ct writes them). */
export function dropinOf(ignition: Json, unit: string, dropin: string): string {
  const dropins = (ignition.systemd?.units ?? []).filter((u: Json) => u.name === unit).flatMap((u: Json) => u.dropins ?? []);
  const found = dropins.filter((d: Json) => d.name === dropin);
  expect(found).toHaveLength(1);
  return found[0].contents;
}

/** Test helpers for the cluster constructs: a stack with a provider, and Terraform JSON readers. */
import { Testing, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { GoogleProvider } from '../../constructs/google';
import { decodeDataUrl } from '../../transpiler/go/dataurl';
import { APPLY_TIME_VALUES, evaluateTerraformTemplate } from '../constructs/evaluate-terraform-template';

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

/** The Ignition a `user-data` template gives once Terraform has evaluated it (resource attributes: APPLY_TIME_VALUES). */
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

/** The one file at `path` in an Ignition config, and its contents decoded from the data URL. */
export function fileOf(ignition: Json, path: string): { file: Json; text: string } {
  const found = (ignition.storage?.files ?? []).filter((f: Json) => f.path === path);
  expect(found.map((f: Json) => f.path)).toEqual([path]);
  const decoded = decodeDataUrl(found[0].contents.source);
  if (decoded.error !== undefined) throw new Error(`${path}: ${decoded.error}`);
  return { file: found[0], text: Buffer.from(decoded.dataUrl.data).toString('utf8') };
}

/**
 * A construct's in-memory Ignition with its secret bucket's name (a token until apply) replaced by
 * the stand-in decodeUserData gives it, so that the two compare; the token must be in it.
 */
export function withBucketStandIn(ignition: Json, bucketName: string): Json {
  const text = JSON.stringify(ignition);
  expect(text).toContain(bucketName);
  return JSON.parse(text.split(bucketName).join(APPLY_TIME_VALUES['google_storage_bucket.name']));
}

/** The synth warnings of `scope` and everything below it. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}

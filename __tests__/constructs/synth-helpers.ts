/** Test helpers: synthesize one CoreOSInstance and read back what Terraform would receive. */
import { Testing, TerraformStack } from 'cdktf';
import { CoreOSInstance, type CoreOSInstanceProps } from '../../constructs/coreos-instance';

export const BASE_PROPS = { zone: 'us-central1-c', machineType: 'e2-small' } as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Synthesized {
  readonly construct: CoreOSInstance;
  /** The whole stack's Terraform JSON. */
  readonly terraform: Json;
  /** The one `google_compute_instance`'s arguments. */
  readonly instance: Json;
}

/** Synthesizes `setup`'s CoreOSInstance, in a stack where `setup` may add variables first. */
export function synthInstance(setup: (stack: TerraformStack) => CoreOSInstance): Synthesized {
  let construct: CoreOSInstance | undefined;
  const terraform = JSON.parse(Testing.synthScope((stack) => (construct = setup(stack as TerraformStack))));
  const instances = Object.values(terraform.resource.google_compute_instance);
  expect(instances).toHaveLength(1);
  return { construct: construct as CoreOSInstance, terraform, instance: instances[0] };
}

/** Synthesizes a CoreOSInstance with id `vm` and the given props on top of BASE_PROPS. */
export function synthProps(props: Partial<CoreOSInstanceProps>): Synthesized {
  return synthInstance((stack) => new CoreOSInstance(stack, 'vm', { ...BASE_PROPS, ...props }));
}

/** Constructs without synthesizing, for construction-time errors. */
export function construct(props: Partial<CoreOSInstanceProps>, id = 'vm'): CoreOSInstance {
  const stack = new TerraformStack(Testing.app(), 'stack');
  return new CoreOSInstance(stack, id, { ...BASE_PROPS, ...props });
}

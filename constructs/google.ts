/**
 * The one door to `@cdktf/provider-google`: deep imports only, because the package's barrel costs
 * about a second and 400 MiB at every synth and test (cdktf-notes 2). Moving to cdktn later means
 * changing the paths in this file alone.
 */
export { GoogleProvider, type GoogleProviderConfig } from '@cdktf/provider-google/lib/provider';
export {
  ComputeInstance,
  type ComputeInstanceConfig,
  type ComputeInstanceServiceAccount,
} from '@cdktf/provider-google/lib/compute-instance';

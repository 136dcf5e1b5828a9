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
export { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
export { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
export { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check';
export { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
export { ComputeRegionInstanceGroupManager } from '@cdktf/provider-google/lib/compute-region-instance-group-manager';
export { ComputeRegionInstanceTemplate } from '@cdktf/provider-google/lib/compute-region-instance-template';
export { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
export { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
export { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';

/**
 * The one door to `@cdktf/provider-google`: deep imports only, because the package's barrel costs
 * about a second and 400 MiB at every synth and test (docs/cdktf.md §2.1). Moving to cdktn later means
 * changing the paths in this file alone.
 *
 * Each class loads its module when first used: the twenty modules take about 100 ms to load
 * together, and an app of CoreOSInstances needs two of them.
 *
 * `@cdktf/provider-tls` and `@cdktf/provider-random` have their own door, pki-providers.ts: the
 * declarations exported from here name only the Google provider's types.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- require() inside the loaders is what defers loading */
import type * as address from '@cdktf/provider-google/lib/compute-address';
import type * as disk from '@cdktf/provider-google/lib/compute-disk';
import type * as firewall from '@cdktf/provider-google/lib/compute-firewall';
import type * as healthCheck from '@cdktf/provider-google/lib/compute-health-check';
import type * as forwardingRule from '@cdktf/provider-google/lib/compute-forwarding-rule';
import type * as instance from '@cdktf/provider-google/lib/compute-instance';
import type * as instanceGroup from '@cdktf/provider-google/lib/compute-instance-group';
import type * as network from '@cdktf/provider-google/lib/compute-network';
import type * as regionBackendService from '@cdktf/provider-google/lib/compute-region-backend-service';
import type * as regionHealthCheck from '@cdktf/provider-google/lib/compute-region-health-check';
import type * as groupManager from '@cdktf/provider-google/lib/compute-region-instance-group-manager';
import type * as template from '@cdktf/provider-google/lib/compute-region-instance-template';
import type * as router from '@cdktf/provider-google/lib/compute-router';
import type * as serviceAccount from '@cdktf/provider-google/lib/service-account';
import type * as bucket from '@cdktf/provider-google/lib/storage-bucket';
import type * as bucketIamMember from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import type * as bucketObject from '@cdktf/provider-google/lib/storage-bucket-object';
import type * as routerNat from '@cdktf/provider-google/lib/compute-router-nat';
import type * as subnetwork from '@cdktf/provider-google/lib/compute-subnetwork';
import type * as provider from '@cdktf/provider-google/lib/provider';
import { loadedOnFirstUse } from './loaded-on-first-use';

export type { GoogleProviderConfig } from '@cdktf/provider-google/lib/provider';
export type { ComputeInstanceConfig, ComputeInstanceServiceAccount } from '@cdktf/provider-google/lib/compute-instance';

export type GoogleProvider = provider.GoogleProvider;
export const GoogleProvider = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/provider') as typeof provider).GoogleProvider);

export type ComputeInstance = instance.ComputeInstance;
export const ComputeInstance = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-instance') as typeof instance).ComputeInstance);

export type ComputeAddress = address.ComputeAddress;
export const ComputeAddress = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-address') as typeof address).ComputeAddress);

// An etcd member's data disk (EtcdCluster), which outlives the member's VM.
export type ComputeDisk = disk.ComputeDisk;
export const ComputeDisk = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-disk') as typeof disk).ComputeDisk);

export type ComputeFirewall = firewall.ComputeFirewall;
export const ComputeFirewall = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-firewall') as typeof firewall).ComputeFirewall);

export type ComputeHealthCheck = healthCheck.ComputeHealthCheck;
export const ComputeHealthCheck = loadedOnFirstUse(
  () => (require('@cdktf/provider-google/lib/compute-health-check') as typeof healthCheck).ComputeHealthCheck,
);

export type ComputeNetwork = network.ComputeNetwork;
export const ComputeNetwork = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-network') as typeof network).ComputeNetwork);

export type ComputeRegionInstanceGroupManager = groupManager.ComputeRegionInstanceGroupManager;
export const ComputeRegionInstanceGroupManager = loadedOnFirstUse(
  () => (require('@cdktf/provider-google/lib/compute-region-instance-group-manager') as typeof groupManager).ComputeRegionInstanceGroupManager,
);

export type ComputeRegionInstanceTemplate = template.ComputeRegionInstanceTemplate;
export const ComputeRegionInstanceTemplate = loadedOnFirstUse(
  () => (require('@cdktf/provider-google/lib/compute-region-instance-template') as typeof template).ComputeRegionInstanceTemplate,
);

export type ComputeRouter = router.ComputeRouter;
export const ComputeRouter = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-router') as typeof router).ComputeRouter);

export type ComputeRouterNat = routerNat.ComputeRouterNat;
export const ComputeRouterNat = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-router-nat') as typeof routerNat).ComputeRouterNat);

export type ComputeSubnetwork = subnetwork.ComputeSubnetwork;
export const ComputeSubnetwork = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-subnetwork') as typeof subnetwork).ComputeSubnetwork);

// The cluster's secret store (secret-store.ts): a bucket, its objects, per-role readers.
export type StorageBucket = bucket.StorageBucket;
export const StorageBucket = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/storage-bucket') as typeof bucket).StorageBucket);

export type StorageBucketObject = bucketObject.StorageBucketObject;
export const StorageBucketObject = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/storage-bucket-object') as typeof bucketObject).StorageBucketObject);

export type StorageBucketIamMember = bucketIamMember.StorageBucketIamMember;
export const StorageBucketIamMember = loadedOnFirstUse(
  () => (require('@cdktf/provider-google/lib/storage-bucket-iam-member') as typeof bucketIamMember).StorageBucketIamMember,
);

export type ServiceAccount = serviceAccount.ServiceAccount;
export const ServiceAccount = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/service-account') as typeof serviceAccount).ServiceAccount);

// The Kubernetes API load balancers (internal and external regional passthrough).
export type ComputeInstanceGroup = instanceGroup.ComputeInstanceGroup;
export const ComputeInstanceGroup = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-instance-group') as typeof instanceGroup).ComputeInstanceGroup);

export type ComputeRegionBackendService = regionBackendService.ComputeRegionBackendService;
export const ComputeRegionBackendService = loadedOnFirstUse(
  () => (require('@cdktf/provider-google/lib/compute-region-backend-service') as typeof regionBackendService).ComputeRegionBackendService,
);

export type ComputeRegionHealthCheck = regionHealthCheck.ComputeRegionHealthCheck;
export const ComputeRegionHealthCheck = loadedOnFirstUse(
  () => (require('@cdktf/provider-google/lib/compute-region-health-check') as typeof regionHealthCheck).ComputeRegionHealthCheck,
);

export type ComputeForwardingRule = forwardingRule.ComputeForwardingRule;
export const ComputeForwardingRule = loadedOnFirstUse(() => (require('@cdktf/provider-google/lib/compute-forwarding-rule') as typeof forwardingRule).ComputeForwardingRule);

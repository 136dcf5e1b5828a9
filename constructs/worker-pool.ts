/**
 * A pool of identical CoreOS workers: a regional instance template carrying the rendered config, and
 * a regional managed instance group that spreads `size` instances over the zones, autoheals them,
 * and rolls a changed config (a new template) out by surge-replace.
 */
import type { Construct } from 'constructs';
import { ConfigOwner } from './config-owner';
import { configCheckProps } from './config-check-props';
import { loadConfigSource } from './config-source';
import { validateClusterName } from './gce-validation';
import { defaultZones, validateRegion, validateZones } from './gce-location';
import { ComputeHealthCheck, ComputeRegionInstanceGroupManager, ComputeRegionInstanceTemplate } from './google';
import { Image } from './image';
import { assignsExternalIp, configSourceOf, instancePropsProblems, serviceAccountOf, type InstanceProps } from './instance-props';
import { claimName } from './name-registry';

/** name_prefix leaves room for the provider's suffix within 63 characters. */
const MAX_POOL_NAME_LENGTH = 36;

export interface WorkerPoolProps extends InstanceProps {
  /** Name of the group and its instances' base name; the template is `<name>-<suffix>`. 1-36 characters. */
  readonly name: string;
  /** The region, e.g. `us-central1`. */
  readonly region: string;
  /**
   * The zones the group spreads over.
   * @default - `<region>-a`, `-b`, `-c` (`-b`, `-c`, `-d` in us-east1 and europe-west1)
   */
  readonly zones?: readonly string[];
  /**
   * Number of instances (the group's target size).
   * @default 1
   */
  readonly size?: number;
  /**
   * Spot VMs: cheaper, may be stopped at any time (`instance_termination_action` STOP, as DELETE is
   * not allowed in managed groups).
   * @default false
   */
  readonly spot?: boolean;
  /**
   * GPUs on each instance, e.g. `[{ type: 'nvidia-l4', count: 1 }]` (with a machine type that takes
   * them, e.g. `g2-standard-8`). Instances with GPUs cannot live-migrate: they stop for host
   * maintenance (`on_host_maintenance` TERMINATE).
   * @default - none
   */
  readonly accelerators?: readonly WorkerPoolAccelerator[];
  /**
   * The port autohealing probes (TCP, or HTTP with healthCheckPath). On 22 sshd (socket-activated)
   * answers on every booted Container Linux, even one whose services are dead: probe your
   * service's port instead when it has one. A ContainerLinuxCluster's pools probe the workers'
   * runtime check instead (HTTP 9876 `/healthz`, docs/workers.md §3).
   * @default 22; 9876 in a ContainerLinuxCluster
   */
  readonly healthCheckPort?: number;
  /**
   * Probe over HTTP at this path (a 200 response is healthy).
   * @default - a TCP connect to healthCheckPort; `/healthz` in a ContainerLinuxCluster
   */
  readonly healthCheckPath?: string;
  /**
   * Seconds after boot before autohealing judges an instance.
   * @default 300
   */
  readonly autoHealingInitialDelaySec?: number;
  /**
   * Extra instances during a rolling update: 0 or at least the number of zones.
   * @default - the number of zones
   */
  readonly maxSurge?: number;
  /**
   * Instances that may be down during a rolling update: 0 or at least the number of zones.
   * @default 0
   */
  readonly maxUnavailable?: number;
}

/** A kind of GPU and how many of it each instance gets. */
export interface WorkerPoolAccelerator {
  /** The accelerator type, e.g. `nvidia-l4`, `nvidia-tesla-t4`. */
  readonly type: string;
  /** How many per instance. */
  readonly count: number;
}

/**
 * Construct ids: `Template`, `HealthCheck`, and `Resource` (the group manager). A config change
 * makes a new template (`name_prefix` + `create_before_destroy`); the group then replaces its
 * instances PROACTIVEly by surge.
 */
export class WorkerPool extends ConfigOwner {
  public readonly name: string;
  public readonly template: ComputeRegionInstanceTemplate;
  public readonly healthCheck: ComputeHealthCheck;
  /** The regional managed instance group (construct id `Resource`). */
  public readonly instanceGroupManager: ComputeRegionInstanceGroupManager;
  /** The group's instance group URL, e.g. for a backend service. */
  public readonly instanceGroup: string;
  public readonly zones: readonly string[];
  public readonly image: Image;
  /** The port autohealing probes. */
  public readonly healthCheckPort: number;
  /** The HTTP path autohealing probes (undefined: a TCP connect). */
  public readonly healthCheckPath?: string;

  constructor(scope: Construct, id: string, props: WorkerPoolProps) {
    super(scope, id);
    this.name = props.name;
    this.zones = props.zones ?? defaultZones(props.region);
    this.image = Image.of(props.image ?? Image.flatcar('stable'));
    this.healthCheckPort = props.healthCheckPort ?? 22;
    this.healthCheckPath = props.healthCheckPath;
    const maxSurge = props.maxSurge ?? this.zones.length;
    const maxUnavailable = props.maxUnavailable ?? 0;
    this.refuse([...poolPropsProblems(props, this.zones, maxSurge, maxUnavailable), ...instancePropsProblems(props, this.image)]);
    this.guard(() => claimName(this, 'instance group', props.name));
    this.initConfig(() => loadConfigSource(configSourceOf(props, true)), {
      image: this.image,
      ignitionVersion: props.ignitionVersion,
      name: props.name,
      ...configCheckProps(props),
    });
    this.warnAboutRetiredImage(this.image, props.strict ?? false);

    this.template = new ComputeRegionInstanceTemplate(this, 'Template', {
      namePrefix: `${props.name}-`,
      region: props.region,
      machineType: props.machineType ?? 'e2-small',
      disk: [{ boot: true, autoDelete: true, sourceImage: this.image.image, diskSizeGb: props.bootDiskSizeGb, diskType: props.bootDiskType }],
      networkInterface: [{ network: props.network ?? 'default', subnetwork: props.subnetwork, accessConfig: assignsExternalIp(props, false) ? [{}] : undefined }],
      tags: props.tags ? [...props.tags] : undefined,
      labels: props.labels,
      metadata: { ...props.metadata, 'user-data': this.lazyUserData() },
      serviceAccount: serviceAccountOf(props),
      guestAccelerator: props.accelerators?.map((a) => ({ type: a.type, count: a.count })),
      scheduling: schedulingOf(props),
      lifecycle: {
        // A template cannot change in place: the new one must exist before the group moves to it.
        createBeforeDestroy: true,
        ignoreChanges: props.ignoreImageDrift ? ['disk[0].source_image'] : undefined,
      },
    });

    this.healthCheck = new ComputeHealthCheck(this, 'HealthCheck', {
      name: `${props.name}-health`,
      checkIntervalSec: 10,
      timeoutSec: 5,
      unhealthyThreshold: 6,
      ...(this.healthCheckPath !== undefined
        ? { httpHealthCheck: { port: this.healthCheckPort, requestPath: this.healthCheckPath } }
        : { tcpHealthCheck: { port: this.healthCheckPort } }),
    });

    this.instanceGroupManager = new ComputeRegionInstanceGroupManager(this, 'Resource', {
      name: props.name,
      baseInstanceName: props.name,
      region: props.region,
      distributionPolicyZones: [...this.zones],
      targetSize: props.size ?? 1,
      version: [{ name: 'primary', instanceTemplate: this.template.selfLink }],
      autoHealingPolicies: { healthCheck: this.healthCheck.id, initialDelaySec: props.autoHealingInitialDelaySec ?? 300 },
      updatePolicy: {
        type: 'PROACTIVE',
        minimalAction: 'REPLACE',
        maxSurgeFixed: maxSurge,
        maxUnavailableFixed: maxUnavailable,
      },
      waitForInstances: false,
    });
    this.instanceGroup = this.instanceGroupManager.instanceGroup;
  }

  protected describe(): string {
    return `WorkerPool ${this.node.path}`;
  }
}

/** Spot and GPUs both shape scheduling: Spot stops rather than deletes; GPUs cannot live-migrate. */
function schedulingOf(props: WorkerPoolProps): Record<string, unknown> | undefined {
  const gpus = (props.accelerators?.length ?? 0) > 0;
  if (!props.spot && !gpus) return undefined;
  return {
    ...(props.spot ? { provisioningModel: 'SPOT', preemptible: true, automaticRestart: false, instanceTerminationAction: 'STOP' } : {}),
    ...(gpus ? { onHostMaintenance: 'TERMINATE' } : {}),
  };
}

/** What is wrong with the props only a pool has (instancePropsProblems checks the shared ones). */
function poolPropsProblems(props: WorkerPoolProps, zones: readonly string[], maxSurge: number, maxUnavailable: number): string[] {
  const size = props.size ?? 1;
  const port = props.healthCheckPort ?? 22;
  const zoneCount = zones.length;
  const fits = (value: number): boolean => value === 0 || value >= zoneCount;
  return [
    ...validateClusterName(props.name, 'name', MAX_POOL_NAME_LENGTH),
    ...validateRegion(props.region, props.zones !== undefined),
    ...(validateRegion(props.region, true).length === 0 ? validateZones(props.region, zones) : []),
    ...(Number.isInteger(size) && size >= 0 ? [] : [`size must be a whole number, 0 or more (got ${size})`]),
    ...(props.accelerators ?? []).flatMap((a, i) => [
      ...(/^[a-z0-9][a-z0-9-]*$/.test(a.type) ? [] : [`accelerators[${i}].type "${a.type}" is not an accelerator type such as "nvidia-l4"`]),
      ...(Number.isInteger(a.count) && a.count >= 1 ? [] : [`accelerators[${i}].count must be a whole number, at least 1 (got ${a.count})`]),
    ]),
    ...(Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [`healthCheckPort must be a port number, 1 to 65535 (got ${port})`]),
    ...(props.healthCheckPath === undefined || props.healthCheckPath.startsWith('/') ? [] : [`healthCheckPath "${props.healthCheckPath}" must start with /`]),
    ...(fits(maxSurge) && fits(maxUnavailable)
      ? []
      : [`maxSurge (${maxSurge}) and maxUnavailable (${maxUnavailable}) must each be 0 or at least the number of zones (${zoneCount}) in a regional group`]),
    ...(maxSurge === 0 && maxUnavailable === 0 ? ['maxSurge and maxUnavailable cannot both be 0: the group could never replace an instance'] : []),
  ];
}

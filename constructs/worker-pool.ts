/**
 * A pool of identical CoreOS workers: a regional instance template carrying the rendered config, and
 * a regional managed instance group that spreads `size` instances over the zones, autoheals them,
 * and rolls a changed config (a new template) out by surge-replace.
 */
import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { ContainerLinuxConfig } from '../transpiler';
import type { IgnitionVersion } from '../transpiler/api';
import { ConfigOwner } from './config-owner';
import { loadConfigSource } from './config-source';
import { validateClusterName, validateDiskSize, validateLabels, validateMetadataKeys, validateTags } from './gce-validation';
import { defaultZones, validateRegion, validateZones } from './gce-location';
import { ComputeHealthCheck, ComputeRegionInstanceGroupManager, ComputeRegionInstanceTemplate } from './google';
import { configCheckProps, type ConfigCheckProps } from './config-check-props';
import { ignitionVersionProblems, Image, ImageDistribution } from './image';
import { claimName } from './name-registry';

/** name_prefix leaves room for the provider's suffix within 63 characters. */
const MAX_POOL_NAME_LENGTH = 36;

export interface WorkerPoolProps extends ConfigCheckProps {
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
  /** @default 'e2-small' */
  readonly machineType?: string;
  /** @default Image.flatcar('stable') */
  readonly image?: Image | string;
  /** @default - ct's own '2.2.0' */
  readonly ignitionVersion?: IgnitionVersion;
  /**
   * The workers' Container Linux Config (text or typed object); more can be added with addSnippet.
   * @default - an empty config, plus whatever is added
   */
  readonly config?: string | ContainerLinuxConfig;
  /** @default - config is used */
  readonly configFile?: string;
  /** Values for `{{ name }}` references in config text. @default - the text is used as written */
  readonly configVariables?: { readonly [name: string]: string };
  /** @default 'default' */
  readonly network?: string;
  /** @default - the network's subnetwork in the region */
  readonly subnetwork?: string;
  /** Ephemeral external IPs; without them workers need Cloud NAT to reach the internet. @default false */
  readonly externalIp?: boolean;
  /** @default - no tags */
  readonly tags?: readonly string[];
  /** @default - no labels */
  readonly labels?: { readonly [key: string]: string };
  /** Extra instance metadata (not `user-data`). @default - only `user-data` */
  readonly metadata?: { readonly [key: string]: string };
  /**
   * Spot VMs: cheaper, may be stopped at any time (`instance_termination_action` STOP, as DELETE is
   * not allowed in managed groups).
   * @default false
   */
  readonly spot?: boolean;
  /** @default - the image's size */
  readonly bootDiskSizeGb?: number;
  /** @default - Compute Engine's default, `pd-standard` */
  readonly bootDiskType?: string;
  /** @default - no service account: workers get no Google credentials */
  readonly serviceAccountEmail?: string;
  /** @default ['cloud-platform'] when serviceAccountEmail is set */
  readonly scopes?: readonly string[];
  /**
   * The port autohealing probes (TCP, or HTTP with healthCheckPath). sshd on 22 answers on every
   * booted Container Linux; probe your service's port instead when it has one.
   * @default 22
   */
  readonly healthCheckPort?: number;
  /** Probe over HTTP at this path (200 is healthy). @default - a TCP connect */
  readonly healthCheckPath?: string;
  /** Seconds after boot before autohealing judges an instance. @default 300 */
  readonly autoHealingInitialDelaySec?: number;
  /** Extra instances during a rolling update: 0 or at least the number of zones. @default - the number of zones */
  readonly maxSurge?: number;
  /** Instances that may be down during a rolling update: 0 or at least the number of zones. @default 0 */
  readonly maxUnavailable?: number;
  /** Keep a new image in the family from rolling the group. @default false */
  readonly ignoreImageDrift?: boolean;
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
  public readonly healthCheckPort: number;

  constructor(scope: Construct, id: string, props: WorkerPoolProps) {
    super(scope, id);
    this.name = props.name;
    this.zones = props.zones ?? defaultZones(props.region);
    this.image = Image.of(props.image ?? Image.flatcar('stable'));
    this.healthCheckPort = props.healthCheckPort ?? 22;
    const maxSurge = props.maxSurge ?? this.zones.length;
    const maxUnavailable = props.maxUnavailable ?? 0;
    this.refuse([...propsProblems(props, this.zones, maxSurge, maxUnavailable), ...ignitionVersionProblems(this.image, props.ignitionVersion)]);
    this.guard(() => claimName(this, 'instance group', props.name));
    this.initConfig(() => loadConfigSource(props.configFile === undefined ? { ...props, config: props.config ?? {} } : props), {
      image: this.image,
      ignitionVersion: props.ignitionVersion,
      name: props.name,
      ...configCheckProps(props),
    });
    if (this.image.distribution === ImageDistribution.COREOS) {
      const warning = `image "${this.image.image}": CoreOS Container Linux images were removed from GCE in 2020; use Image.flatcar('stable')`;
      // With strict, an error like every other warning.
      if (props.strict) this.refuse([`${warning} (strict: true makes every warning an error)`]);
      Annotations.of(this).addWarning(warning);
    }

    this.template = new ComputeRegionInstanceTemplate(this, 'Template', {
      namePrefix: `${props.name}-`,
      region: props.region,
      machineType: props.machineType ?? 'e2-small',
      disk: [{ boot: true, autoDelete: true, sourceImage: this.image.image, diskSizeGb: props.bootDiskSizeGb, diskType: props.bootDiskType }],
      networkInterface: [{ network: props.network ?? 'default', subnetwork: props.subnetwork, accessConfig: props.externalIp ? [{}] : undefined }],
      tags: props.tags ? [...props.tags] : undefined,
      labels: props.labels,
      metadata: { ...props.metadata, 'user-data': this.lazyUserData() },
      serviceAccount: props.serviceAccountEmail ? { email: props.serviceAccountEmail, scopes: [...(props.scopes ?? ['cloud-platform'])] } : undefined,
      scheduling: props.spot
        ? { provisioningModel: 'SPOT', preemptible: true, automaticRestart: false, instanceTerminationAction: 'STOP' }
        : undefined,
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
      ...(props.healthCheckPath !== undefined
        ? { httpHealthCheck: { port: this.healthCheckPort, requestPath: props.healthCheckPath } }
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

  private refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, this.describe(), problems.join('; '));
  }
}

function propsProblems(props: WorkerPoolProps, zones: readonly string[], maxSurge: number, maxUnavailable: number): string[] {
  const size = props.size ?? 1;
  const zoneCount = zones.length;
  const fits = (value: number): boolean => value === 0 || value >= zoneCount;
  return [
    ...validateClusterName(props.name, 'name', MAX_POOL_NAME_LENGTH),
    ...validateRegion(props.region, props.zones !== undefined),
    ...(validateRegion(props.region, true).length === 0 ? validateZones(props.region, zones) : []),
    ...(Number.isInteger(size) && size >= 0 ? [] : [`size must be a whole number, 0 or more (got ${size})`]),
    ...(fits(maxSurge) && fits(maxUnavailable)
      ? []
      : [`maxSurge (${maxSurge}) and maxUnavailable (${maxUnavailable}) must each be 0 or at least the number of zones (${zoneCount}) in a regional group`]),
    ...(maxSurge === 0 && maxUnavailable === 0 ? ['maxSurge and maxUnavailable cannot both be 0: the group could never replace an instance'] : []),
    ...validateTags(props.tags ?? []),
    ...validateLabels(props.labels ?? {}),
    ...validateMetadataKeys(props.metadata ?? {}),
    ...validateDiskSize(props.bootDiskSizeGb),
    ...(props.scopes && props.serviceAccountEmail === undefined ? ['scopes need serviceAccountEmail'] : []),
  ];
}

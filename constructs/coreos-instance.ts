/**
 * A Compute Engine instance booted from an Ignition config that is transpiled, at synth time, from
 * a Container Linux Config (CLC).
 */
import { Annotations, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { ContainerLinuxConfig } from '../transpiler';
import type { IgnitionVersion } from '../transpiler/api';
import { ConfigChangeBehavior, configChangeLifecycle } from './config-change';
import { configCheckProps, type ConfigCheckProps } from './config-check-props';
import { ConfigOwner } from './config-owner';
import { loadConfigSource } from './config-source';
import {
  instanceNameFromIds,
  validateDiskSize,
  validateInstanceName,
  validateLabels,
  validateMetadataKeys,
  validateTags,
} from './gce-validation';
import { ComputeInstance, type ComputeInstanceServiceAccount } from './google';
import { ignitionVersionProblems, Image, ImageDistribution } from './image';

export interface CoreOSInstanceProps extends ConfigCheckProps {
  /**
   * The instance name.
   * @default - the construct path below the stack, joined with `-`, lower-cased, with other
   * characters replaced by `-` (an id directly under the stack is used as is when valid)
   */
  readonly name?: string;
  /** The zone to run in, e.g. `us-central1-c`. */
  readonly zone: string;
  /** The machine type, e.g. `f1-micro` or `e2-small`. */
  readonly machineType: string;
  /**
   * The boot image: a preset such as `Image.flatcar('stable')`, or a family, image name or self
   * link as `google_compute_instance` accepts it. CoreOS Container Linux images are gone from GCE
   * since 2020 (synth warns); Flatcar boots the same Ignition. Fedora CoreOS needs
   * `ignitionVersion: '3.3.0'` and no etcd, flannel, update or locksmith section (synth error).
   * @default Image.coreos('stable'), i.e. 'coreos-stable', the product's original image
   */
  readonly image?: Image | string;
  /**
   * The Ignition spec of the user-data: ct's own 2.2.0, or 3.3.0 translated from it the way
   * Flatcar's Ignition does at boot. Fedora CoreOS needs 3.3.0; Flatcar boots both.
   * @default '2.2.0', what CoreOS Container Linux and Flatcar boot
   */
  readonly ignitionVersion?: IgnitionVersion;
  /**
   * Keep Terraform from replacing the VM when the image family moves on to a new image
   * (`ignore_changes` on `boot_disk[0].initialize_params[0].image`).
   * @default false
   */
  readonly ignoreImageDrift?: boolean;
  /**
   * What a changed config does to an existing VM. Ignition runs only at first boot, so only
   * REPLACE gets a new config onto the machine; UPDATE_IN_PLACE just rewrites the metadata, and
   * IGNORE keeps the first user-data in Terraform's state.
   * @default ConfigChangeBehavior.REPLACE
   */
  readonly onConfigChange?: ConfigChangeBehavior;
  /**
   * Boot disk size in GB.
   * @default - the image's size
   */
  readonly bootDiskSizeGb?: number;
  /**
   * Boot disk type, e.g. `pd-balanced`, `pd-ssd`, `hyperdisk-balanced`.
   * @default - Compute Engine's default, `pd-standard`
   */
  readonly bootDiskType?: string;
  /**
   * The VPC network.
   * @default 'default'
   */
  readonly network?: string;
  /**
   * The subnetwork; needed for custom-mode networks.
   * @default - the network's subnetwork in the zone's region (auto-mode networks)
   */
  readonly subnetwork?: string;
  /**
   * The primary internal IP (`network_ip`), e.g. a reserved `google_compute_address` of type INTERNAL.
   * @default - an ephemeral internal IP from the subnetwork
   */
  readonly internalIpAddress?: string;
  /**
   * Whether the instance gets an ephemeral external IP address (`access_config {}`).
   * @default true
   */
  readonly externalIp?: boolean;
  /**
   * Network tags, for firewall rules and routes.
   * @default - no tags
   */
  readonly tags?: readonly string[];
  /**
   * Labels on the instance.
   * @default - no labels
   */
  readonly labels?: { readonly [key: string]: string };
  /**
   * The service account the instance runs as.
   * @default - no service account: the instance gets no Google credentials
   */
  readonly serviceAccountEmail?: string;
  /**
   * OAuth scopes of the service account; needs `serviceAccountEmail`.
   * @default ['cloud-platform'] when serviceAccountEmail is set (grant access through IAM roles)
   */
  readonly scopes?: readonly string[];
  /**
   * Extra instance metadata, e.g. `enable-oslogin`. Must not contain `user-data`: the config owns it.
   * @default - only `user-data`
   */
  readonly metadata?: { readonly [key: string]: string };
  /**
   * The Container Linux Config: YAML text, or a typed object. Set exactly one of config and configFile.
   * Any string in it may hold cdktf string tokens (a TerraformVariable's `stringValue`, another
   * resource's attribute, an `Fn` call); they stay live Terraform references in the user-data.
   * @default - configFile is used
   */
  readonly config?: string | ContainerLinuxConfig;
  /**
   * Path of a Container Linux Config YAML file, relative to the working directory or absolute.
   * Its directory is the base for `contents.local`.
   * @default - config is used
   */
  readonly configFile?: string;
  /**
   * Values for `{{ name }}` references in the config text (config or configFile). A value that is
   * a cdktf token stays a live Terraform reference; other values are inserted as written. Every
   * reference must have a value and every value must be referenced.
   * @default - the text is used as written
   */
  readonly configVariables?: { readonly [name: string]: string };
}

/**
 * A `google_compute_instance` whose `metadata.user-data` is Ignition transpiled from a CLC.
 *
 * Other constructs can add to the config after construction (`addSnippet`, `addUnit`, `addFile`,
 * `addUser`); the user-data reads the merged config at synth, rendered once.
 * Merge rules (clc-merge.ts): mappings merge key by key, lists append, units and drop-ins with the
 * same name merge (so drop-ins from several places land in one unit), users by name, files by
 * path; one key set to two different values, e.g. two `contents` for one unit, is an error that
 * names both origins.
 *
 * @example
 * const key = new TerraformVariable(stack, 'ssh_public_key', { type: 'string' });
 * new CoreOSInstance(stack, 'web-0', {
 *   zone: 'us-central1-c',
 *   machineType: 'e2-small',
 *   configFile: 'configs/core.yaml', // with `- "{{ ssh_public_key }}"` under ssh_authorized_keys
 *   configVariables: { ssh_public_key: key.stringValue },
 * });
 */
export class CoreOSInstance extends ConfigOwner {
  /** The underlying resource (construct id `Resource`). */
  public readonly instance: ComputeInstance;
  /** The boot image and its distribution. */
  public readonly image: Image;
  /** The instance name, as given or derived: known at synth time, e.g. for internal DNS names. */
  public readonly name: string;
  /** Whether the instance has an ephemeral external IP (`access_config {}`). */
  private readonly hasExternalIp: boolean;

  constructor(scope: Construct, id: string, props: CoreOSInstanceProps) {
    super(scope, id);
    const name = props.name ?? instanceNameFromIds(this.idsBelowStack());
    this.image = Image.of(props.image ?? Image.coreos('stable'));
    this.refuse([...propsProblems(name, props), ...ignitionVersionProblems(this.image, props.ignitionVersion)]);
    this.initConfig(() => loadConfigSource(props), { image: this.image, ignitionVersion: props.ignitionVersion, name, ...configCheckProps(props) });

    const externalIp = props.externalIp ?? true;
    this.instance = new ComputeInstance(this, 'Resource', {
      name,
      zone: props.zone,
      machineType: props.machineType,
      bootDisk: { initializeParams: { image: this.image.image, size: props.bootDiskSizeGb, type: props.bootDiskType } },
      networkInterface: [
        {
          network: props.network ?? 'default',
          subnetwork: props.subnetwork,
          networkIp: props.internalIpAddress,
          accessConfig: externalIp ? [{}] : undefined,
        },
      ],
      tags: props.tags ? [...props.tags] : undefined,
      labels: props.labels,
      serviceAccount: serviceAccount(props),
      metadata: { ...props.metadata, 'user-data': this.lazyUserData() },
    });
    this.instance.lifecycle = configChangeLifecycle(
      this.instance,
      props.onConfigChange ?? ConfigChangeBehavior.REPLACE,
      () => this.rendered().fingerprint,
      props.ignoreImageDrift ?? false,
    );
    this.name = name;
    this.hasExternalIp = externalIp;
    this.warnAboutRetiredImage(props.strict ?? false);
  }

  // Getters, not fields: each attribute reference builds cdktf objects that capture a stack
  // trace, which is a measurable share of synth time at a thousand instances.

  /** The instance's self link. */
  public get selfLink(): string {
    return this.instance.selfLink;
  }

  /** The primary internal IP (`network_interface.0.network_ip`). */
  public get internalIp(): string {
    return this.instance.networkInterface.get(0).networkIp;
  }

  /** The ephemeral external IP (`access_config.0.nat_ip`); undefined when externalIp is false. */
  public get externalIp(): string | undefined {
    return this.hasExternalIp ? this.instance.networkInterface.get(0).accessConfig.get(0).natIp : undefined;
  }

  /** Construct ids from below the stack down to this one, the input for the default name. */
  private idsBelowStack(): string[] {
    const stack = TerraformStack.of(this);
    const scopes = this.node.scopes;
    return scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
  }

  /** With `strict`, an error like every other warning. */
  private warnAboutRetiredImage(strict: boolean): void {
    if (this.image.distribution !== ImageDistribution.COREOS) return;
    const warning =
      `image "${this.image.image}": CoreOS Container Linux reached end of life in 2020 and its GCE images were removed; ` +
      `new instances need e.g. image: Image.flatcar('stable') ("${Image.flatcar('stable').image}"), which boots the same Ignition`;
    if (strict) this.refuse([`${warning} (strict: true makes every warning an error)`]);
    Annotations.of(this).addWarning(warning);
  }

  protected describe(): string {
    return `CoreOSInstance ${this.node.path}`;
  }

  private refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, this.describe(), problems.join('; '));
  }
}

function propsProblems(name: string, props: CoreOSInstanceProps): string[] {
  return [
    ...validateInstanceName(name),
    ...validateTags(props.tags ?? []),
    ...validateLabels(props.labels ?? {}),
    ...validateMetadataKeys(props.metadata ?? {}),
    ...validateDiskSize(props.bootDiskSizeGb),
    ...(props.scopes && props.serviceAccountEmail === undefined ? ['scopes need serviceAccountEmail'] : []),
  ];
}

function serviceAccount(props: CoreOSInstanceProps): ComputeInstanceServiceAccount | undefined {
  if (props.serviceAccountEmail === undefined) return undefined;
  return { email: props.serviceAccountEmail, scopes: [...(props.scopes ?? ['cloud-platform'])] };
}

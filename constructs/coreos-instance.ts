/**
 * A Compute Engine instance booted from an Ignition config that is transpiled, at synth time, from
 * a Container Linux Config (CLC).
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ConfigChangeBehavior, configChangeLifecycle } from './config-change';
import { configCheckProps } from './config-check-props';
import { ConfigOwner } from './config-owner';
import { loadConfigSource } from './config-source';
import { instanceNameFromIds, validateInstanceName } from './gce-validation';
import { ComputeInstance } from './google';
import { Image } from './image';
import { loadedClass } from './loaded-on-first-use';
import { assignsExternalIp, configSourceOf, instancePropsProblems, serviceAccountOf, type InstanceProps } from './instance-props';

export interface CoreOSInstanceProps extends InstanceProps {
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
   * The primary internal IP (`network_ip`), e.g. a reserved `google_compute_address` of type INTERNAL.
   * @default - an ephemeral internal IP from the subnetwork
   */
  readonly internalIpAddress?: string;
  /**
   * What a changed config does to an existing VM. Ignition runs only at first boot, so only
   * REPLACE gets a new config onto the machine; UPDATE_IN_PLACE just rewrites the metadata, and
   * IGNORE keeps the first user-data in Terraform's state.
   * @default ConfigChangeBehavior.REPLACE
   */
  readonly onConfigChange?: ConfigChangeBehavior;
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
    this.refuse([...validateInstanceName(name), ...instancePropsProblems(props, this.image)]);
    this.initConfig(() => loadConfigSource(configSourceOf(props, false)), {
      image: this.image,
      ignitionVersion: props.ignitionVersion,
      name,
      ...configCheckProps(props),
    });

    const externalIp = assignsExternalIp(props, true);
    this.instance = new (loadedClass(ComputeInstance))(this, 'Resource', {
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
      serviceAccount: serviceAccountOf(props),
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
    this.warnAboutRetiredImage(this.image, props.strict ?? false);
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

  /** The ephemeral external IP (`access_config.0.nat_ip`); undefined when assignExternalIp is false. */
  public get externalIp(): string | undefined {
    return this.hasExternalIp ? this.instance.networkInterface.get(0).accessConfig.get(0).natIp : undefined;
  }

  /** Construct ids from below the stack down to this one, the input for the default name. */
  private idsBelowStack(): string[] {
    const stack = TerraformStack.of(this);
    const scopes = this.node.scopes;
    return scopes.slice(scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
  }

  protected describe(): string {
    return `CoreOSInstance ${this.node.path}`;
  }
}

/**
 * The props of every construct that boots Container Linux VMs (CoreOSInstance, EtcdCluster,
 * WorkerPool): declared, documented and checked once, here. A default that differs between the
 * constructs is given per construct in the prop's `@default`.
 */
import type { ButaneConfig, ContainerLinuxConfig, IgnitionVersion } from '../transpiler';
import type { ConfigCheckProps } from './config-check-props';
import type { ConfigSourceProps } from './config-source';
import { validateDiskSize, validateLabels, validateMetadataKeys, validateTags } from './gce-validation';
import { ignitionVersionProblems, type Image } from './image';

/** The scope a service account gets when none is given: access is then granted through IAM roles. */
const DEFAULT_SCOPES: readonly string[] = ['cloud-platform'];

export interface InstanceProps extends ConfigCheckProps {
  /**
   * The machine type, e.g. `f1-micro`, `e2-small` or `n2-standard-2`.
   * @default 'e2-small' (CoreOSInstance requires it)
   */
  readonly machineType?: string;
  /**
   * The boot image: a preset such as `Image.flatcar('stable')`, or a family, image name or self
   * link as Compute Engine accepts it. CoreOS Container Linux images are gone from GCE since 2020
   * (synth warns); Flatcar boots the same Ignition. Flatcar takes a Container Linux Config or a
   * Butane config of variant `flatcar`; Fedora CoreOS takes Butane of variant `fcos` only.
   * @default - `Image.flatcar('stable')`; for a CoreOSInstance `Image.coreos('stable')`
   * ('coreos-stable'), the product's original image
   */
  readonly image?: Image | string;
  /**
   * The Ignition spec of a Container Linux Config's user-data: the dialect's own (2.2.0 for ct,
   * 2.3.0 for Flatcar's ct), or 3.3.0 translated from it the way Flatcar's Ignition does at boot.
   * Flatcar boots all three. A Butane config's variant and version decide its spec (flatcar 1.0.0:
   * 3.3.0, 1.1.0: 3.4.0; fcos 1.4.0: 3.3.0, 1.5.0: 3.4.0, 1.6.0: 3.5.0); leave this unset for it.
   * @default - the dialect's own: '2.2.0' (coreos) or '2.3.0' (flatcar)
   */
  readonly ignitionVersion?: IgnitionVersion;
  /**
   * The config: a Container Linux Config, or a Butane config (one with `variant` and `version`,
   * translated exactly as Butane v0.23.0 does), as YAML text or a typed object. Set at most one of
   * config and configFile. Any string in it may hold cdktf string tokens (a TerraformVariable's
   * `stringValue`, another resource's attribute, an `Fn` call); they stay live Terraform
   * references in the user-data. EtcdCluster adds its etcd section, ContainerLinuxCluster flannel
   * and docker, and `addSnippet` more (merged into a Butane config's Ignition as a child config).
   * @default - configFile is used; with neither, an empty config (a CoreOSInstance needs one of them)
   */
  readonly config?: string | ContainerLinuxConfig | ButaneConfig;
  /**
   * Path of a Container Linux Config or Butane YAML file, relative to the working directory or
   * absolute. Its directory is the base for CLC `contents.local` and Butane's `local` files,
   * `contents_local`, `ssh_authorized_keys_local` and `trees`.
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
  /**
   * The VPC network.
   * @default 'default'
   */
  readonly network?: string;
  /**
   * The subnetwork; needed for custom-mode networks. EtcdCluster also reserves its static internal
   * IPs there.
   * @default - the network's subnetwork in the region (auto-mode networks)
   */
  readonly subnetwork?: string;
  /**
   * Whether each VM gets an ephemeral external IP address (`access_config {}`). Without one a VM
   * reaches the internet (e.g. to pull etcd or flannel) only through Cloud NAT.
   * @default - true for a CoreOSInstance; false for EtcdCluster members and WorkerPool instances
   */
  readonly assignExternalIp?: boolean;
  /**
   * The former name of assignExternalIp.
   * @deprecated use assignExternalIp (a construct's `externalIp` is its address); removed in the next release
   * @default - assignExternalIp
   */
  readonly externalIp?: boolean;
  /**
   * Network tags, for firewall rules and routes; added to the tags the construct sets itself
   * (EtcdCluster: `<cluster>-node`, `<cluster>-etcd`).
   * @default - no tags beyond the construct's own
   */
  readonly tags?: readonly string[];
  /**
   * Labels on the VMs.
   * @default - no labels
   */
  readonly labels?: { readonly [key: string]: string };
  /**
   * Extra instance metadata, e.g. `enable-oslogin`. Must not contain `user-data`: the config owns it.
   * @default - only `user-data`
   */
  readonly metadata?: { readonly [key: string]: string };
  /**
   * The service account the VMs run as.
   * @default - no service account: the VMs get no Google credentials
   */
  readonly serviceAccountEmail?: string;
  /**
   * OAuth scopes of the service account; needs `serviceAccountEmail`.
   * @default ['cloud-platform'] when serviceAccountEmail is set (grant access through IAM roles)
   */
  readonly scopes?: readonly string[];
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
   * Keep Terraform from replacing VMs when the image family moves on to a new image
   * (`ignore_changes` on the boot disk's image). For an EtcdCluster a new image would replace
   * every member at once, losing the cluster's data and quorum.
   * @default - false; true for an EtcdCluster
   */
  readonly ignoreImageDrift?: boolean;
}

/** What is wrong with the props every VM construct shares (empty when nothing is). */
export function instancePropsProblems(props: InstanceProps, image: Image): string[] {
  return [
    ...validateTags(props.tags ?? []),
    ...validateLabels(props.labels ?? {}),
    ...validateMetadataKeys(props.metadata ?? {}),
    ...validateDiskSize(props.bootDiskSizeGb),
    ...(props.scopes && props.serviceAccountEmail === undefined ? ['scopes need serviceAccountEmail'] : []),
    ...(props.assignExternalIp !== undefined && props.externalIp !== undefined ? ['set assignExternalIp only (externalIp is its deprecated former name)'] : []),
    ...ignitionVersionProblems(image, props.ignitionVersion),
  ];
}

/** Whether the VMs get an external IP, from assignExternalIp or its deprecated former name. */
export function assignsExternalIp(props: InstanceProps, byDefault: boolean): boolean {
  return props.assignExternalIp ?? props.externalIp ?? byDefault;
}

/** The `service_account` block: the email with its scopes, or none. */
export function serviceAccountOf(props: InstanceProps): { email: string; scopes: string[] } | undefined {
  if (props.serviceAccountEmail === undefined) return undefined;
  return { email: props.serviceAccountEmail, scopes: [...(props.scopes ?? DEFAULT_SCOPES)] };
}

/** The config source: config, configFile, or (where the construct allows it) an empty config. */
export function configSourceOf(props: InstanceProps, emptyByDefault: boolean): ConfigSourceProps {
  const empty = emptyByDefault && props.config === undefined && props.configFile === undefined;
  return { config: empty ? {} : props.config, configFile: props.configFile, configVariables: props.configVariables };
}

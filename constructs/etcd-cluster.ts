/**
 * A static etcd cluster of CoreOSInstances: members spread round-robin over the region's zones,
 * bootstrapped from an `initial_cluster` list that is known before any VM exists (zonal internal
 * DNS names, or reserved internal IPs), so there is no dependency cycle and no Cloud DNS.
 */
import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { EtcdConfig } from '../transpiler';
import { ConfigChangeBehavior } from './config-change';
import { CoreOSInstance } from './coreos-instance';
import { ETCD_CLIENT_PORT, ETCD_PEER_PORT } from './cluster-network';
import { etcdArgsFromDropin, etcdDropinOf, etcdEnvironmentFromDropin, type EtcdMemberConfig } from './etcd-member';
import { validateClusterName } from './gce-validation';
import { defaultZones, validateRegion, validateZones } from './gce-location';
import { ComputeAddress } from './google';
import { Image, ImageDistribution } from './image';
import { assignsExternalIp, configSourceOf, instancePropsProblems, type InstanceProps } from './instance-props';
import { claimName } from './name-registry';

/** etcd's last release with its own option set in upstream ct (3.3); Flatcar's etcd-wrapper pulls it by tag. */
export const DEFAULT_ETCD_VERSION = '3.3.27';

/** Options EtcdCluster sets itself; etcdOptions may not override them. */
const GENERATED_OPTIONS = [
  'name', 'initial_advertise_peer_urls', 'listen_peer_urls', 'listen_client_urls', 'advertise_client_urls',
  'initial_cluster', 'initial_cluster_token', 'initial_cluster_state',
];

export interface EtcdClusterProps extends InstanceProps {
  /** Prefix of the member names (`<cluster>-etcd-<i>`) and of the tags `<cluster>-etcd` and `<cluster>-node`. */
  readonly clusterName: string;
  /** The region, e.g. `us-central1`: a literal, since zones and DNS names are built from it. */
  readonly region: string;
  /**
   * The project id, for the members' internal DNS names `NAME.ZONE.c.PROJECT.internal`: a string,
   * or a token such as a TerraformVariable's `stringValue`. Being a project id (a-z, 0-9, -), its
   * value goes into etcd's quoted options unchanged (see ConfigOwner.declareQuoteSafe).
   */
  readonly project: string;
  /**
   * Number of members: odd, 1 to 9.
   * @default 3
   */
  readonly size?: number;
  /**
   * Zones to spread the members over, round-robin (member i in zones[i % zones.length]).
   * @default - `<region>-a`, `-b`, `-c` (`-b`, `-c`, `-d` in us-east1 and europe-west1)
   */
  readonly zones?: readonly string[];
  /**
   * Bootstrap from reserved internal IPs (`google_compute_address`, type INTERNAL, one per
   * member) instead of internal DNS names.
   * @default false
   */
  readonly staticInternalIps?: boolean;
  /**
   * The etcd release (`ETCD_IMAGE_TAG`, and the option set ct accepts).
   * @default '3.3.27'
   */
  readonly etcdVersion?: string;
  /**
   * More etcd options, as in the CLC `etcd` section (snake_case), e.g. `{ heartbeat_interval: 200 }`.
   * The bootstrap options (name, URLs, initial_cluster*) are EtcdCluster's.
   * @default - none
   */
  readonly etcdOptions?: { readonly [option: string]: string | number | boolean };
  /**
   * What a changed member config does. Replacing every member at once would lose the cluster's
   * data and quorum, so changes are ignored; roll them out member by member (`terraform apply
   * -replace=...`), or choose REPLACE knowingly.
   * @default ConfigChangeBehavior.IGNORE
   */
  readonly onConfigChange?: ConfigChangeBehavior;
}

/** One member's identity, known at synth (its IP may be a token). */
export interface EtcdMember {
  readonly name: string;
  readonly zone: string;
  readonly dnsName: string;
  readonly peerUrl: string;
  readonly clientUrl: string;
  readonly instance: CoreOSInstance;
  /** The member's internal IP: the reserved address, or the instance's. */
  readonly internalIp: string;
  /** The reserved address (staticInternalIps only). */
  readonly address?: ComputeAddress;
}

/**
 * An etcd cluster of `size` CoreOSInstances with construct ids `member-<i>` (and `address-<i>`).
 * Peers talk on 2380, clients on 2379, plain HTTP inside the VPC (firewalled by ClusterNetwork).
 */
export class EtcdCluster extends Construct {
  public readonly members: readonly EtcdMember[];
  /** `http://HOST:2379` of every member, HOST as in the peer URLs (DNS name or reserved IP). */
  public readonly clientEndpoints: readonly string[];
  /** The `initial_cluster` list, `name=peerUrl,...`. */
  public readonly initialCluster: string;
  /** `initial_cluster_token`, unique per cluster name. */
  public readonly initialClusterToken: string;
  /** The zones; member i runs in zones[i % zones.length]. */
  public readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: EtcdClusterProps) {
    super(scope, id);
    const size = props.size ?? 3;
    const zones = props.zones ?? defaultZones(props.region);
    const image = Image.of(props.image ?? Image.flatcar('stable'));
    const noEtcdMember =
      image.distribution === ImageDistribution.FEDORA_COREOS
        ? [`image "${image.image}" is Fedora CoreOS, which has no etcd-member.service (the Container Linux unit EtcdCluster configures): use Image.flatcar('stable')`]
        : [];
    this.refuse([...noEtcdMember, ...clusterPropsProblems(props, size, zones), ...instancePropsProblems(props, image)]);
    this.guard(() => Array.from({ length: size }, (_, i) => claimName(this, 'instance', `${props.clusterName}-etcd-${i}`)));
    this.zones = zones;
    this.initialClusterToken = `${props.clusterName}-etcd-${createHash('sha256').update(props.clusterName).digest('hex').slice(0, 12)}`;

    const identities = Array.from({ length: size }, (_, i) => {
      const name = `${props.clusterName}-etcd-${i}`;
      const zone = zones[i % zones.length];
      const address = props.staticInternalIps
        ? new ComputeAddress(this, `address-${i}`, { name, addressType: 'INTERNAL', region: props.region, subnetwork: props.subnetwork })
        : undefined;
      const dnsName = `${name}.${zone}.c.${props.project}.internal`;
      const ip = address?.address;
      const host = ip ?? dnsName;
      return { name, zone, dnsName, address, ip, peerUrl: `http://${host}:${ETCD_PEER_PORT}`, clientUrl: `http://${host}:${ETCD_CLIENT_PORT}` };
    });
    this.initialCluster = identities.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    this.clientEndpoints = identities.map((m) => m.clientUrl);

    this.members = identities.map((identity, i) => {
      const instance = new CoreOSInstance(this, `member-${i}`, {
        // The shared instance props pass on as given (EtcdCluster's own are not CoreOSInstance's).
        ...props,
        name: identity.name,
        zone: identity.zone,
        machineType: props.machineType ?? 'e2-small',
        image,
        ...configSourceOf(props, true),
        internalIpAddress: identity.ip,
        assignExternalIp: assignsExternalIp(props, false),
        externalIp: undefined,
        tags: [`${props.clusterName}-node`, `${props.clusterName}-etcd`, ...(props.tags ?? [])],
        onConfigChange: props.onConfigChange ?? ConfigChangeBehavior.IGNORE,
        ignoreImageDrift: props.ignoreImageDrift ?? true,
      });
      // The project is a Google Cloud project id (a-z, 0-9, -): quoted alike by ct and Terraform.
      instance.declareQuoteSafe(props.project);
      instance.addSnippet({ etcd: this.etcdSection(props, identity) }, `addSnippet() from EtcdCluster ${this.node.path}`);
      const { ip, ...rest } = identity;
      return { ...rest, instance, internalIp: ip ?? instance.internalIp };
    });
  }

  /**
   * Each member's rendered config and identity, for tests and tooling: the Ignition, the etcd
   * drop-in, and etcd's flags from it. Tokens (e.g. a project variable) stay in as cdktf tokens.
   */
  public memberConfigs(): EtcdMemberConfig[] {
    return this.members.map((member) => {
      const etcdDropin = etcdDropinOf(member.instance.ignition, member.instance.generated);
      return {
        name: member.name,
        zone: member.zone,
        dnsName: member.dnsName,
        peerUrl: member.peerUrl,
        clientUrl: member.clientUrl,
        ignition: member.instance.ignition,
        etcdDropin,
        etcdArgs: etcdArgsFromDropin(etcdDropin),
        etcdEnvironment: etcdEnvironmentFromDropin(etcdDropin),
      };
    });
  }

  private etcdSection(props: EtcdClusterProps, member: { name: string; peerUrl: string }): EtcdConfig {
    const version = props.etcdVersion ?? DEFAULT_ETCD_VERSION;
    return {
      version,
      name: member.name,
      // The advertised peer URL must be the one initial_cluster names for this member.
      initial_advertise_peer_urls: member.peerUrl,
      listen_peer_urls: `http://{PRIVATE_IPV4}:${ETCD_PEER_PORT}`,
      // All interfaces, so that etcdctl on the member works over 127.0.0.1; the firewall admits only cluster nodes.
      listen_client_urls: `http://0.0.0.0:${ETCD_CLIENT_PORT}`,
      advertise_client_urls: `http://{PRIVATE_IPV4}:${ETCD_CLIENT_PORT}`,
      initial_cluster: this.initialCluster,
      initial_cluster_token: this.initialClusterToken,
      initial_cluster_state: 'new',
      strict_reconfig_check: true,
      // flannel 0.x and its etcdctl ExecStartPre speak the v2 API, off by default from etcd 3.4.
      ...(hasEnableV2(version) ? { enable_v2: true } : {}),
      ...props.etcdOptions,
    };
  }

  private refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, `EtcdCluster ${this.node.path}`, problems.join('; '));
  }

  private guard(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      this.refuse([(error as Error).message]);
    }
  }
}

/** What is wrong with the props only an etcd cluster has (instancePropsProblems checks the shared ones). */
function clusterPropsProblems(props: EtcdClusterProps, size: number, zones: readonly string[]): string[] {
  const generated = Object.keys(props.etcdOptions ?? {}).filter((option) => GENERATED_OPTIONS.includes(option) || option === 'version');
  return [
    ...validateClusterName(props.clusterName),
    ...validateRegion(props.region, props.zones !== undefined),
    ...(validateRegion(props.region, true).length === 0 ? validateZones(props.region, zones) : []),
    ...(Token.isUnresolved(size) || (Number.isInteger(size) && size >= 1 && size <= 9 && size % 2 === 1)
      ? []
      : [`size must be an odd number from 1 to 9, so that a majority survives a failure (got ${size})`]),
    ...generated.map((option) => `etcdOptions.${option} is set by EtcdCluster (${option === 'version' ? 'use etcdVersion' : 'bootstrap option'})`),
  ];
}

/** `enable_v2` exists in ct's option sets from etcd 3.2. */
function hasEnableV2(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major === 3 && minor >= 2;
}

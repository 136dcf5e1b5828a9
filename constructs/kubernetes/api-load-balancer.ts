/**
 * The Kubernetes API behind Google Cloud load balancers: an internal passthrough load balancer on
 * a reserved internal address (always), and optionally a regional external passthrough load
 * balancer admitting only `external.sourceRanges`. Both share one health check and one unmanaged
 * instance group per zone of controllers.
 *
 * Passthrough, not Typhoon's global TCP proxy (poseidon/typhoon `google-cloud/fedora-coreos/kubernetes/apiserver.tf`
 * @20b76d6e): the client's address reaches the apiserver, so a firewall rule's source ranges decide
 * who may connect, and the internal address needs no Cloud DNS.
 */
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import { EXTERNAL_PASSTHROUGH_HEALTH_CHECK_SOURCE_RANGES, HEALTH_CHECK_SOURCE_RANGES } from '../cluster-network';
import { ConstructError } from '../construct-error';
import { validateRegion, validateSourceRanges } from '../gce-location';
import { validateClusterName, validateTags } from '../gce-validation';
import {
  ComputeAddress,
  ComputeFirewall,
  ComputeForwardingRule,
  ComputeInstanceGroup,
  ComputeRegionBackendService,
  ComputeRegionHealthCheck,
} from '../google';
import { claimName } from '../name-registry';
import { API_SERVER_PORT } from './cluster-settings';

/** A controller instance the load balancers send to. */
export interface ApiLoadBalancerController {
  /** The instance's name (may be a token): names it in messages; two literal names may not repeat. */
  readonly name: string;
  /** The instance's zone, a literal zone of the region: the instance groups are made per zone at synth. */
  readonly zone: string;
  /** The instance's self link (usually a token), the instance group's member. */
  readonly selfLink: string;
}

/** Who may reach the API from outside the VPC. */
export interface ApiExternalAccess {
  /** IPv4 ranges that may connect to the external endpoint; at least one. */
  readonly sourceRanges: readonly string[];
  /**
   * Accept a range that covers the whole internet (`0.0.0.0/0`), with a warning.
   * @default false: such a range is refused
   */
  readonly allowAnyone?: boolean;
}

export interface ApiLoadBalancerProps {
  /** Prefix of every resource name, e.g. `demo`. 1-30 characters of a-z, 0-9, -. */
  readonly clusterName: string;
  /** The region of the load balancers; every controller's zone must be in it. */
  readonly region: string;
  /** The VPC network (name or self link) of the internal forwarding rule and the firewall rules. */
  readonly network: string;
  /** The subnetwork (name or self link) the internal address is taken from. */
  readonly subnetwork: string;
  /**
   * The controllers; more can be added with `addController()` (e.g. once the instances exist,
   * whose certificates carry `internalIp`). At least one by synth.
   * @default none yet
   */
  readonly controllers?: readonly ApiLoadBalancerController[];
  /**
   * The internal load balancer's IPv4 address in the subnetwork, reserved by you (or free).
   * @default - a new reserved INTERNAL address `<cluster>-apiserver` that Google picks in the
   * subnetwork, known before any controller exists so that certificates and kubeconfigs can carry it
   */
  readonly internalAddress?: string;
  /**
   * Also an external passthrough load balancer on a reserved external address, and a firewall rule
   * admitting 6443 from `sourceRanges` only.
   * @default none: the API is reachable from the VPC only
   */
  readonly external?: ApiExternalAccess;
  /**
   * The network tag every controller carries: the firewall rules' target.
   * @default `<clusterName>-controller` (ClusterNetwork's controllerTag)
   */
  readonly controllerTag?: string;
  /**
   * Check HTTPS `/readyz` instead of a TLS handshake. Needs the apiservers'
   * `anonymousHealthEndpoints` (static-pods.ts): with anonymous requests refused, every probe gets
   * 401 and every backend is unhealthy.
   * @default false: a TLS handshake on 6443, which needs no credentials
   */
  readonly readyzHealthCheck?: boolean;
}

/** Typhoon's apiserver check (`apiserver.tf` @20b76d6e): every 5 s, healthy after 1 success, unhealthy after 3 failures. */
const HEALTH_CHECK_TIMING = { checkIntervalSec: 5, timeoutSec: 5, healthyThreshold: 1, unhealthyThreshold: 3 } as const;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Construct ids: `InternalAddress` (unless `internalAddress`), `HealthCheck`, `Controllers-<zone>`
 * per zone, `InternalBackends`, `Resource` (the internal forwarding rule), `HealthCheckFirewall`;
 * with `external`: `ExternalAddress`, `ExternalBackends`, `ExternalForwardingRule`,
 * `ExternalFirewall`. Names: `<cluster>-apiserver` (address, health check, backend service,
 * forwarding rule), `<cluster>-apiserver-external`, `<cluster>-controllers-<zone letter>`, and the
 * firewall rules `<cluster>-apiserver-health` and `<cluster>-apiserver-external`.
 *
 * A controller that connects to `internalIp` (or `externalIp`) is answered by itself: Google's guest
 * agent routes a forwarding rule's address to the backend as a local address, which is also what
 * lets backends accept the balanced packets. Harmless here: every controller runs an apiserver,
 * and the controllers' own components use 127.0.0.1 (LOCAL_API_SERVER) anyway.
 */
export class ApiLoadBalancer extends Construct {
  /** The internal load balancer's address (a token unless `internalAddress` was literal). */
  public readonly internalIp: string;
  /** `https://<internalIp>:6443`: what nodes, pods before Services work, and kubeconfigs in the VPC use. */
  public readonly endpoint: string;
  /** The external load balancer's address (with `external`). */
  public readonly externalIp?: string;
  /** `https://<externalIp>:6443` (with `external`). */
  public readonly externalEndpoint?: string;
  /** The reserved internal address (undefined with the `internalAddress` prop). */
  public readonly reservedInternalAddress?: ComputeAddress;
  public readonly healthCheck: ComputeRegionHealthCheck;
  public readonly backendService: ComputeRegionBackendService;
  /** The internal forwarding rule (construct id `Resource`). */
  public readonly forwardingRule: ComputeForwardingRule;
  /** The reserved external address (with `external`). */
  public readonly reservedExternalAddress?: ComputeAddress;
  public readonly externalBackendService?: ComputeRegionBackendService;
  public readonly externalForwardingRule?: ComputeForwardingRule;
  /** Google's health checkers (both load balancers' ranges) to 6443 on the controllers. */
  public readonly healthCheckFirewall: ComputeFirewall;
  /** `external.sourceRanges` to 6443 on the controllers (with `external`). */
  public readonly externalFirewall?: ComputeFirewall;
  /** The network tag the firewall rules target. */
  public readonly controllerTag: string;
  private readonly clusterName: string;
  private readonly region: string;
  private readonly groups = new Map<string, { group: ComputeInstanceGroup; members: ApiLoadBalancerController[] }>();
  private readonly controllerNames = new Set<string>();

  constructor(scope: Construct, id: string, props: ApiLoadBalancerProps) {
    super(scope, id);
    this.clusterName = props.clusterName;
    this.region = props.region;
    this.controllerTag = props.controllerTag ?? `${props.clusterName}-controller`;
    this.refuse(propsProblems(props, this.controllerTag));
    const name = `${props.clusterName}-apiserver`;
    const externalName = `${name}-external`;

    if (props.internalAddress !== undefined) {
      this.internalIp = props.internalAddress;
    } else {
      this.reservedInternalAddress = new ComputeAddress(this, 'InternalAddress', {
        name: this.claim('address', name),
        region: props.region,
        subnetwork: props.subnetwork,
        addressType: 'INTERNAL',
        purpose: 'GCE_ENDPOINT',
      });
      this.internalIp = this.reservedInternalAddress.address;
    }
    this.endpoint = `https://${this.internalIp}:${API_SERVER_PORT}`;

    // A TLS handshake, as Typhoon's ssl_health_check: it needs no credentials, and unlike a bare TCP
    // connect it does not make the apiserver log "TLS handshake error ... EOF" at every probe
    // (poseidon/typhoon#629 shows that log from Google's checkers, 35.191.0.0/16).
    this.healthCheck = new ComputeRegionHealthCheck(this, 'HealthCheck', {
      name: this.claim('health check', name),
      region: props.region,
      ...HEALTH_CHECK_TIMING,
      ...(props.readyzHealthCheck
        ? { httpsHealthCheck: { port: API_SERVER_PORT, requestPath: '/readyz' } }
        : { sslHealthCheck: { port: API_SERVER_PORT } }),
    });

    // Passthrough load balancers use no named port: a packet keeps its destination port (6443).
    this.backendService = new ComputeRegionBackendService(this, 'InternalBackends', {
      name: this.claim('backend service', name),
      region: props.region,
      loadBalancingScheme: 'INTERNAL',
      protocol: 'TCP',
      healthChecks: [this.healthCheck.id],
    });
    this.forwardingRule = new ComputeForwardingRule(this, 'Resource', {
      name: this.claim('forwarding rule', name),
      region: props.region,
      loadBalancingScheme: 'INTERNAL',
      ipProtocol: 'TCP',
      ports: [String(API_SERVER_PORT)],
      ipAddress: this.internalIp,
      backendService: this.backendService.id,
      network: props.network,
      subnetwork: props.subnetwork,
    });

    const probeRanges = [...HEALTH_CHECK_SOURCE_RANGES];
    if (props.external) {
      // The same instance groups and health check serve both load balancers.
      this.reservedExternalAddress = new ComputeAddress(this, 'ExternalAddress', {
        name: this.claim('address', externalName),
        region: props.region,
        addressType: 'EXTERNAL',
      });
      this.externalIp = this.reservedExternalAddress.address;
      this.externalEndpoint = `https://${this.externalIp}:${API_SERVER_PORT}`;
      this.externalBackendService = new ComputeRegionBackendService(this, 'ExternalBackends', {
        name: this.claim('backend service', externalName),
        region: props.region,
        loadBalancingScheme: 'EXTERNAL',
        protocol: 'TCP',
        healthChecks: [this.healthCheck.id],
      });
      this.externalForwardingRule = new ComputeForwardingRule(this, 'ExternalForwardingRule', {
        name: this.claim('forwarding rule', externalName),
        region: props.region,
        loadBalancingScheme: 'EXTERNAL',
        ipProtocol: 'TCP',
        ports: [String(API_SERVER_PORT)],
        ipAddress: this.externalIp,
        backendService: this.externalBackendService.id,
      });
      this.externalFirewall = this.firewall('ExternalFirewall', externalName, props.network, props.external.sourceRanges);
      for (const range of EXTERNAL_PASSTHROUGH_HEALTH_CHECK_SOURCE_RANGES) if (!probeRanges.includes(range)) probeRanges.push(range);
      if (props.external.allowAnyone && props.external.sourceRanges.some(coversEveryone)) {
        Annotations.of(this).addWarning(`external.sourceRanges includes 0.0.0.0/0: the Kubernetes API (port ${API_SERVER_PORT}) is open to the internet; list your own ranges instead`);
      }
    }
    this.healthCheckFirewall = this.firewall('HealthCheckFirewall', `${name}-health`, props.network, probeRanges);

    for (const controller of props.controllers ?? []) this.addController(controller);
    this.node.addValidation({
      validate: () => (this.groups.size === 0 ? [`ApiLoadBalancer ${this.node.path} has no controllers: list them in controllers or call addController()`] : []),
    });
  }

  /** Adds a controller to its zone's instance group (made with the zone's first controller). */
  public addController(controller: ApiLoadBalancerController): void {
    this.refuse(controllerProblems(controller, this.region, this.controllerNames));
    if (!Token.isUnresolved(controller.name)) this.controllerNames.add(controller.name);
    let entry = this.groups.get(controller.zone);
    if (!entry) {
      const zoneLetter = controller.zone.slice(this.region.length + 1);
      const group = new ComputeInstanceGroup(this, `Controllers-${controller.zone}`, {
        name: this.claim('instance group', `${this.clusterName}-controllers-${zoneLetter}`),
        zone: controller.zone,
      });
      entry = { group, members: [] };
      this.groups.set(controller.zone, entry);
      const backends = [...this.groups.values()].map(({ group: g }) => ({ group: g.selfLink, balancingMode: 'CONNECTION' }));
      this.backendService.putBackend(backends);
      this.externalBackendService?.putBackend(backends);
    }
    entry.members.push(controller);
    entry.group.instances = entry.members.map((member) => member.selfLink);
  }

  /** The instance groups, one per zone, in the order their zones first appeared. */
  public get instanceGroups(): ComputeInstanceGroup[] {
    return [...this.groups.values()].map(({ group }) => group);
  }

  private firewall(id: string, name: string, network: string, sourceRanges: readonly string[]): ComputeFirewall {
    return new ComputeFirewall(this, id, {
      name: this.claim('firewall rule', name),
      network,
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: [String(API_SERVER_PORT)] }],
      sourceRanges: [...sourceRanges],
      targetTags: [this.controllerTag],
    });
  }

  private claim(kind: string, name: string): string {
    try {
      claimName(this, kind, name);
    } catch (error) {
      this.refuse([(error as Error).message]);
    }
    return name;
  }

  private refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, `ApiLoadBalancer ${this.node.path}`, problems.join('; '));
  }
}

/** A literal range with prefix /0: the whole internet. */
function coversEveryone(range: string): boolean {
  return !Token.isUnresolved(range) && /\/0$/.test(range);
}

function propsProblems(props: ApiLoadBalancerProps, controllerTag: string): string[] {
  const problems = [...validateClusterName(props.clusterName), ...validateRegion(props.region, true), ...validateTags([controllerTag])];
  for (const key of ['network', 'subnetwork'] as const) {
    if (props[key] === '') problems.push(`${key} must name the cluster's ${key}`);
  }
  const address = props.internalAddress;
  if (address !== undefined && !Token.isUnresolved(address)) {
    const octets = IPV4.exec(address)?.slice(1).map(Number);
    if (!octets || octets.some((octet) => octet > 255)) problems.push(`internalAddress "${address}" is not an IPv4 address such as 10.10.0.5`);
  }
  if (props.external) {
    const { sourceRanges, allowAnyone } = props.external;
    if (sourceRanges.length === 0) problems.push('external.sourceRanges must list at least one range; leave external out for an API reachable from the VPC only');
    problems.push(...validateSourceRanges(sourceRanges, 'external.sourceRanges'));
    if (!allowAnyone && sourceRanges.some(coversEveryone)) {
      problems.push(`external.sourceRanges includes ${sourceRanges.filter(coversEveryone).join(', ')}, the whole internet; list your own ranges, or set external.allowAnyone to mean it`);
    }
  }
  return problems;
}

function controllerProblems(controller: ApiLoadBalancerController, region: string, taken: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  // A token would print as `${TfToken[...]}`: name the controller by what is literal.
  const which = !Token.isUnresolved(controller.name)
    ? `controller ${controller.name}`
    : Token.isUnresolved(controller.zone)
      ? 'a controller'
      : `controller (zone ${controller.zone})`;
  if (Token.isUnresolved(controller.zone)) {
    problems.push(`${which}: zone must be a literal zone name such as ${region}-a (the instance groups are made per zone at synth)`);
  } else if (!new RegExp(`^${region}-[a-z]$`).test(controller.zone)) {
    problems.push(`${which}: zone "${controller.zone}" is not a zone of region ${region} (expected ${region}-<letter>)`);
  }
  if (!Token.isUnresolved(controller.name) && taken.has(controller.name)) problems.push(`${which} is listed twice`);
  return problems;
}

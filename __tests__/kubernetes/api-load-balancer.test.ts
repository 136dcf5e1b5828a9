/**
 * ApiLoadBalancer as Terraform JSON: one unmanaged instance group per zone holding exactly that
 * zone's controllers, the TLS health check, the internal passthrough load balancer on its reserved
 * address, the external one only when asked (and its firewall rule's ranges), the refusals, and
 * the same JSON from two synths.
 */
import { DefaultTokenResolver, StringConcat, Tokenization, type TerraformStack } from 'cdktf';
import { ComputeInstance } from '../../constructs/google';
import { ApiLoadBalancer, type ApiLoadBalancerProps } from '../../constructs/kubernetes/api-load-balancer';
import { newStack, resourceNamed, resourcesOf, synthJson, warningsOf, type Json } from '../cluster/cluster-helpers';

const BASE: ApiLoadBalancerProps = { clusterName: 'demo', region: 'us-central1', network: 'demo', subnetwork: 'demo-us-central1' };
const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c'];

/** A controller instance (the L1 resource: its self link is a real Terraform reference). */
function controller(stack: TerraformStack, i: number, zone: string) {
  const vm = new ComputeInstance(stack, `controller-${i}`, {
    name: `demo-controller-${i}`,
    zone,
    machineType: 'e2-standard-2',
    bootDisk: { initializeParams: { image: 'flatcar' } },
    networkInterface: [{ network: 'demo' }],
  });
  return { name: vm.name, zone, selfLink: vm.selfLink };
}

const selfLink = (i: number) => `\${google_compute_instance.controller-${i}.self_link}`;

/** `count` controllers round-robin over the three zones, as ControlPlane places them. */
function synthLb(count: number, props: Partial<ApiLoadBalancerProps> = {}): { lb: ApiLoadBalancer; terraform: Json; stack: TerraformStack } {
  const stack = newStack();
  const controllers = Array.from({ length: count }, (_, i) => controller(stack, i, ZONES[i % ZONES.length]));
  const lb = new ApiLoadBalancer(stack, 'api', { ...BASE, controllers, ...props });
  return { lb, terraform: synthJson(stack), stack };
}

/** `${type.<logical id>.<attribute>}` of the one resource of `type` named `name`. */
function reference(terraform: Json, type: string, name: string, attribute: string): string {
  const found = resourcesOf(terraform, type).filter(([, args]) => args.name === name);
  expect(found).toHaveLength(1);
  return `\${${type}.${found[0][0]}.${attribute}}`;
}

/** A token string as the synthesized JSON spells it. */
const resolveIn = (stack: TerraformStack, value: string | undefined): unknown =>
  Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });

const groupLink = (terraform: Json, name: string) => reference(terraform, 'google_compute_instance_group', name, 'self_link');

describe('one controller', () => {
  const { lb, terraform, stack } = synthLb(1);

  test('reserves an internal address in the subnetwork, before any instance needs it', () => {
    expect(resourceNamed(terraform, 'google_compute_address', 'demo-apiserver')).toEqual({
      name: 'demo-apiserver',
      region: 'us-central1',
      subnetwork: 'demo-us-central1',
      address_type: 'INTERNAL',
      purpose: 'GCE_ENDPOINT',
    });
    const address = reference(terraform, 'google_compute_address', 'demo-apiserver', 'address');
    expect(resolveIn(stack, lb.internalIp)).toBe(address);
    expect(resolveIn(stack, lb.endpoint)).toBe(`https://${address}:6443`);
    expect(lb.externalIp).toBeUndefined();
    expect(lb.externalEndpoint).toBeUndefined();
  });

  test('puts the controller in its zone\'s instance group, without named ports', () => {
    expect(resourcesOf(terraform, 'google_compute_instance_group').map(([, g]) => g)).toEqual([
      { name: 'demo-controllers-a', zone: 'us-central1-a', instances: [selfLink(0)] },
    ]);
  });

  test('checks the apiservers with a TLS handshake on 6443, at Typhoon\'s timing', () => {
    expect(resourceNamed(terraform, 'google_compute_region_health_check', 'demo-apiserver')).toEqual({
      name: 'demo-apiserver',
      region: 'us-central1',
      check_interval_sec: 5,
      timeout_sec: 5,
      healthy_threshold: 1,
      unhealthy_threshold: 3,
      ssl_health_check: { port: 6443 },
    });
  });

  test('balances TCP 6443 on the internal address over the group (INTERNAL, passthrough)', () => {
    const healthCheck = reference(terraform, 'google_compute_region_health_check', 'demo-apiserver', 'id');
    expect(resourceNamed(terraform, 'google_compute_region_backend_service', 'demo-apiserver')).toEqual({
      name: 'demo-apiserver',
      region: 'us-central1',
      load_balancing_scheme: 'INTERNAL',
      protocol: 'TCP',
      health_checks: [healthCheck],
      backend: [{ group: groupLink(terraform, 'demo-controllers-a'), balancing_mode: 'CONNECTION' }],
    });
    expect(resourceNamed(terraform, 'google_compute_forwarding_rule', 'demo-apiserver')).toEqual({
      name: 'demo-apiserver',
      region: 'us-central1',
      load_balancing_scheme: 'INTERNAL',
      ip_protocol: 'TCP',
      ports: ['6443'],
      ip_address: reference(terraform, 'google_compute_address', 'demo-apiserver', 'address'),
      backend_service: reference(terraform, 'google_compute_region_backend_service', 'demo-apiserver', 'id'),
      network: 'demo',
      subnetwork: 'demo-us-central1',
    });
    expect(lb.forwardingRule.node.id).toBe('Resource');
  });

  test('admits Google\'s health checkers, and nobody else, to 6443 on the controllers', () => {
    expect(resourcesOf(terraform, 'google_compute_firewall').map(([, r]) => r)).toEqual([
      {
        name: 'demo-apiserver-health',
        network: 'demo',
        direction: 'INGRESS',
        allow: [{ protocol: 'tcp', ports: ['6443'] }],
        source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
        target_tags: ['demo-controller'],
      },
    ]);
  });

  test('makes nothing external', () => {
    expect(resourcesOf(terraform, 'google_compute_address').map(([, a]) => a.address_type)).toEqual(['INTERNAL']);
    expect(resourcesOf(terraform, 'google_compute_forwarding_rule').map(([, r]) => r.load_balancing_scheme)).toEqual(['INTERNAL']);
    expect(resourcesOf(terraform, 'google_compute_region_backend_service').map(([, r]) => r.load_balancing_scheme)).toEqual(['INTERNAL']);
  });
});

describe('controllers over three zones', () => {
  test.each([
    [3, [[0], [1], [2]]],
    [5, [[0, 3], [1, 4], [2]]],
  ])('%i controllers: one group per zone with exactly that zone\'s controllers', (count, members) => {
    const { lb, terraform } = synthLb(count);
    expect(resourcesOf(terraform, 'google_compute_instance_group').map(([, g]) => g)).toEqual(
      ['a', 'b', 'c'].map((letter, z) => ({ name: `demo-controllers-${letter}`, zone: `us-central1-${letter}`, instances: members[z].map(selfLink) })),
    );
    const backends = ['a', 'b', 'c'].map((letter) => ({ group: groupLink(terraform, `demo-controllers-${letter}`), balancing_mode: 'CONNECTION' }));
    expect(resourceNamed(terraform, 'google_compute_region_backend_service', 'demo-apiserver').backend).toEqual(backends);
    expect(lb.instanceGroups.map((g) => g.node.id)).toEqual(ZONES.map((zone) => `Controllers-${zone}`));
  });

  test('addController() after construction: the address exists first, the groups follow the controllers', () => {
    const stack = newStack();
    const lb = new ApiLoadBalancer(stack, 'api', BASE);
    expect(lb.endpoint).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}:6443$/);
    for (const i of [0, 1, 2]) lb.addController(controller(stack, i, ZONES[i === 2 ? 0 : i]));
    const terraform = synthJson(stack);
    expect(resourcesOf(terraform, 'google_compute_instance_group').map(([, g]) => [g.name, g.instances])).toEqual([
      ['demo-controllers-a', [selfLink(0), selfLink(2)]],
      ['demo-controllers-b', [selfLink(1)]],
    ]);
    expect(resourceNamed(terraform, 'google_compute_region_backend_service', 'demo-apiserver').backend).toHaveLength(2);
  });
});

describe('options', () => {
  test('external: a regional EXTERNAL passthrough load balancer on a reserved address, open to its ranges only', () => {
    const { lb, terraform, stack } = synthLb(3, { external: { sourceRanges: ['203.0.113.0/24', '198.51.100.7/32'] } });
    expect(resourceNamed(terraform, 'google_compute_address', 'demo-apiserver-external')).toEqual({
      name: 'demo-apiserver-external',
      region: 'us-central1',
      address_type: 'EXTERNAL',
    });
    const internal = resourceNamed(terraform, 'google_compute_region_backend_service', 'demo-apiserver');
    expect(resourceNamed(terraform, 'google_compute_region_backend_service', 'demo-apiserver-external')).toEqual({
      name: 'demo-apiserver-external',
      region: 'us-central1',
      load_balancing_scheme: 'EXTERNAL',
      protocol: 'TCP',
      // The same health check and the same groups as the internal load balancer.
      health_checks: internal.health_checks,
      backend: internal.backend,
    });
    expect(resourceNamed(terraform, 'google_compute_forwarding_rule', 'demo-apiserver-external')).toEqual({
      name: 'demo-apiserver-external',
      region: 'us-central1',
      load_balancing_scheme: 'EXTERNAL',
      ip_protocol: 'TCP',
      ports: ['6443'],
      ip_address: reference(terraform, 'google_compute_address', 'demo-apiserver-external', 'address'),
      backend_service: reference(terraform, 'google_compute_region_backend_service', 'demo-apiserver-external', 'id'),
    });
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-apiserver-external')).toEqual({
      name: 'demo-apiserver-external',
      network: 'demo',
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: ['6443'] }],
      source_ranges: ['203.0.113.0/24', '198.51.100.7/32'],
      target_tags: ['demo-controller'],
    });
    // An external passthrough load balancer's checks come from two more ranges.
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-apiserver-health').source_ranges).toEqual([
      '35.191.0.0/16',
      '130.211.0.0/22',
      '209.85.152.0/22',
      '209.85.204.0/22',
    ]);
    const externalAddress = reference(terraform, 'google_compute_address', 'demo-apiserver-external', 'address');
    expect(resolveIn(stack, lb.externalEndpoint)).toBe(`https://${externalAddress}:6443`);
    expect(resolveIn(stack, lb.endpoint)).toBe(`https://${reference(terraform, 'google_compute_address', 'demo-apiserver', 'address')}:6443`);
    expect(warningsOf(lb)).toEqual([]);
  });

  test('0.0.0.0/0 is refused, and taken with a warning when allowAnyone says so', () => {
    expect(() => synthLb(1, { external: { sourceRanges: ['0.0.0.0/0'] } })).toThrow(
      'ApiLoadBalancer stack/api: external.sourceRanges includes 0.0.0.0/0, the whole internet; list your own ranges, or set external.allowAnyone to mean it',
    );
    const { lb, terraform } = synthLb(1, { external: { sourceRanges: ['0.0.0.0/0'], allowAnyone: true } });
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-apiserver-external').source_ranges).toEqual(['0.0.0.0/0']);
    expect(warningsOf(lb)).toEqual([
      'external.sourceRanges includes 0.0.0.0/0: the Kubernetes API (port 6443) is open to the internet; list your own ranges instead',
    ]);
  });

  test('an address of your own: no reservation, the forwarding rule and the endpoint use it', () => {
    const { lb, terraform } = synthLb(1, { internalAddress: '10.10.0.5' });
    expect(resourcesOf(terraform, 'google_compute_address')).toEqual([]);
    expect(resourceNamed(terraform, 'google_compute_forwarding_rule', 'demo-apiserver').ip_address).toBe('10.10.0.5');
    expect(lb.endpoint).toBe('https://10.10.0.5:6443');
    expect(lb.reservedInternalAddress).toBeUndefined();
  });

  test('readyzHealthCheck: HTTPS /readyz instead of the handshake', () => {
    const { terraform } = synthLb(1, { readyzHealthCheck: true });
    const check = resourceNamed(terraform, 'google_compute_region_health_check', 'demo-apiserver');
    expect(check.https_health_check).toEqual({ port: 6443, request_path: '/readyz' });
    expect(check).not.toHaveProperty('ssl_health_check');
  });

  test('controllerTag moves every rule\'s target', () => {
    const { terraform } = synthLb(1, { controllerTag: 'cp', external: { sourceRanges: ['203.0.113.0/24'] } });
    expect(resourcesOf(terraform, 'google_compute_firewall').map(([, r]) => r.target_tags)).toEqual([['cp'], ['cp']]);
  });

  test('two synths give the same JSON', () => {
    const props = { external: { sourceRanges: ['203.0.113.0/24'] } };
    expect(JSON.stringify(synthLb(5, props).terraform)).toBe(JSON.stringify(synthLb(5, props).terraform));
  });
});

describe('refusals', () => {
  const build = (props: Partial<ApiLoadBalancerProps>) => () => new ApiLoadBalancer(newStack(), 'api', { ...BASE, ...props });
  const stub = (zone: string, name = 'demo-controller-0') => ({ name, zone, selfLink: 'projects/p/zones/z/instances/i' });

  test('no controllers fails the synth', () => {
    const stack = newStack();
    new ApiLoadBalancer(stack, 'api', BASE);
    expect(() => synthJson(stack)).toThrow('ApiLoadBalancer stack/api has no controllers: list them in controllers or call addController()');
  });

  test('a controller outside the region, with a zone unknown at synth, or listed twice', () => {
    expect(build({ controllers: [stub('us-east1-b')] })).toThrow(
      'ApiLoadBalancer stack/api: controller demo-controller-0: zone "us-east1-b" is not a zone of region us-central1 (expected us-central1-<letter>)',
    );
    expect(build({ controllers: [stub('us-central1')] })).toThrow('zone "us-central1" is not a zone of region us-central1');
    const stack = newStack();
    const vm = controller(stack, 0, 'us-central1-a');
    expect(() => new ApiLoadBalancer(stack, 'api', { ...BASE, controllers: [{ ...vm, zone: vm.name }] })).toThrow(
      'ApiLoadBalancer stack/api: a controller: zone must be a literal zone name such as us-central1-a (the instance groups are made per zone at synth)',
    );
    expect(build({ controllers: [{ ...vm, zone: 'europe-west4-a' }] })).toThrow('controller (zone europe-west4-a): zone "europe-west4-a" is not a zone of region us-central1');
    expect(build({ controllers: [stub('us-central1-a'), stub('us-central1-b')] })).toThrow('controller demo-controller-0 is listed twice');
  });

  test.each([
    [{ external: { sourceRanges: [] } }, 'external.sourceRanges must list at least one range; leave external out for an API reachable from the VPC only'],
    [{ external: { sourceRanges: ['my-office'] } }, 'external.sourceRanges: "my-office" is not an IPv4 CIDR range'],
    [{ external: { sourceRanges: ['203.0.113.1/24'] } }, 'external.sourceRanges: "203.0.113.1/24" has host bits set: the range starts at 203.0.113.0/24'],
    [{ internalAddress: '10.10.0.300' }, 'internalAddress "10.10.0.300" is not an IPv4 address such as 10.10.0.5'],
    [{ clusterName: 'Demo' }, 'clusterName "Demo" must be 1-30 characters'],
    [{ region: 'central' }, 'region "central" is not a Compute Engine region name'],
    [{ controllerTag: 'Control_Plane' }, 'tag "Control_Plane" must be 1-63 characters'],
    [{ subnetwork: '' }, "subnetwork must name the cluster's subnetwork"],
  ] as [Partial<ApiLoadBalancerProps>, string][])('refuses %j', (props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('two load balancers of one cluster name in a stack', () => {
    const stack = newStack();
    new ApiLoadBalancer(stack, 'a', BASE);
    expect(() => new ApiLoadBalancer(stack, 'b', BASE)).toThrow('duplicate address name "demo-apiserver": stack/b and stack/a both use it');
  });
});

/**
 * What the add-ons render: which add-ons for which options, the DNS address, the bootstrap token
 * Secret, tolerations, the API address that Service-less pods use, and byte-identical renders.
 */
import { dnsServiceIp, nthAddress } from '../../constructs/kubernetes/cluster-settings';
import { bootstrapPlan } from '../../constructs/kubernetes/bootstrap';
import { type AddonOptions, type KubeObject, addonObjects, renderAddonFiles, renderAddons } from '../../constructs/kubernetes/addons';
import { CILIUM_IMAGE, COREDNS_IMAGE, FLANNEL_CNI_IMAGE, FLANNEL_IMAGE, componentImage } from '../../constructs/kubernetes/versions';
import { BASE, TOKEN_ID, TOKEN_SECRET, VARIANTS, byKind, named, podSpec } from './addons-fixtures';

const names = (options: AddonOptions) => renderAddons(options).map((m) => m.name);

describe('which add-ons', () => {
  test('Cilium by default, and no kube-proxy: its replacement serves Services and :10256', () => {
    expect(names(BASE)).toEqual(['bootstrap-rbac', 'cilium', 'coredns']);
    const objects = addonObjects(BASE);
    expect(objects.filter((o) => o.metadata.name.includes('kube-proxy'))).toEqual([]);
    const config = named(objects, 'ConfigMap', 'cilium').data as Record<string, string>;
    expect(config).toMatchObject({
      'kube-proxy-replacement': 'true',
      'kube-proxy-replacement-healthz-bind-address': ':10256',
      'routing-mode': 'tunnel',
      tunnel: 'vxlan',
      ipam: 'cluster-pool',
      'cluster-pool-ipv4-cidr': '10.20.0.0/14',
      'cluster-pool-ipv4-mask-size': '24',
      'enable-bpf-masquerade': 'true',
      'cni-exclusive': 'true',
    });
  });

  test('flannel brings kube-proxy (ipvs, health on :10256, metrics on all addresses)', () => {
    expect(names({ ...BASE, networking: 'flannel' })).toEqual(['bootstrap-rbac', 'flannel', 'kube-proxy', 'coredns']);
    const proxy = podSpec(named(addonObjects({ ...BASE, networking: 'flannel' }), 'DaemonSet', 'kube-proxy'));
    const container = (proxy.containers as Record<string, unknown>[])[0];
    expect(container.command).toEqual(expect.arrayContaining(['--proxy-mode=ipvs', '--metrics-bind-address=0.0.0.0', '--cluster-cidr=10.20.0.0/14']));
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 10256 } });
  });

  test('kube-proxy with Cilium is refused', () => {
    expect(() => renderAddons({ ...BASE, components: { kubeProxy: true } })).toThrow(/kubeProxy cannot be true with networking 'cilium'/);
  });

  test.each([
    ['coredns', { networking: 'cilium', components: { coredns: false } }, 'coredns'],
    ['cni (cilium)', { networking: 'cilium', components: { cni: false } }, 'cilium'],
    ['cni (flannel)', { networking: 'flannel', components: { cni: false } }, 'flannel'],
    ['kubeProxy', { networking: 'flannel', components: { kubeProxy: false } }, 'kube-proxy'],
  ] as const)('the %s toggle removes exactly its add-on', (_toggle, change, removed) => {
    const full = renderAddons({ ...BASE, networking: change.networking });
    const reduced = renderAddons({ ...BASE, ...change });
    expect(reduced).toEqual(full.filter((m) => m.name !== removed));
  });
});

describe('CoreDNS', () => {
  test.each([
    ['10.3.0.0/16', '10.3.0.10'],
    ['172.16.0.0/20', '172.16.0.10'],
    ['192.168.128.0/24', '192.168.128.10'],
  ])('with service range %s, its Service is at the 10th address, %s', (serviceCidr, address) => {
    const service = named(addonObjects({ ...BASE, serviceCidr, podCidr: '10.20.0.0/14' }), 'Service', 'coredns');
    expect((service.spec as { clusterIP: string }).clusterIP).toBe(address);
    expect(address).toBe(dnsServiceIp(serviceCidr));
    expect(address).toBe(nthAddress(serviceCidr, 10));
  });

  test.each([
    [1, 2],
    [3, 3],
    [5, 5],
  ])('%i controllers: %i replicas, preferring controllers and tolerating their taint', (controllerCount, replicas) => {
    const deployment = named(addonObjects({ ...BASE, controllerCount }), 'Deployment', 'coredns');
    expect((deployment.spec as { replicas: number }).replicas).toBe(replicas);
    const spec = podSpec(deployment);
    expect(spec.tolerations).toEqual([{ key: 'node-role.kubernetes.io/controller', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(JSON.stringify(spec.affinity)).toContain('"key":"node.kubernetes.io/controller","operator":"Exists"');
  });

  test('the Corefile serves the cluster domain', () => {
    const corefile = (named(addonObjects({ ...BASE, clusterDomain: 'corp.example' }), 'ConfigMap', 'coredns').data as { Corefile: string }).Corefile;
    expect(corefile).toContain('kubernetes corp.example in-addr.arpa ip6.arpa {');
  });
});

describe('DaemonSet tolerations', () => {
  test.each(Object.entries(VARIANTS))('%s: every DaemonSet (the nodes\' networking) tolerates every taint, so a tainted pool still gets its CNI', (_name, options) => {
    const daemonSets = byKind(addonObjects(options), 'DaemonSet');
    expect(daemonSets.length).toBeGreaterThan(0);
    for (const daemonSet of daemonSets) expect(podSpec(daemonSet).tolerations).toEqual([{ operator: 'Exists' }]);
  });
});

describe('bootstrap token Secret', () => {
  const secretOf = (options: AddonOptions) => byKind(addonObjects(options), 'Secret')[0] as KubeObject & { type: string; stringData: Record<string, string> };

  test('follows the bootstrap token format: bootstrap-token-<id> in kube-system, id and secret, authentication only', () => {
    const secret = secretOf(BASE);
    expect(secret.metadata).toEqual({ name: `bootstrap-token-${TOKEN_ID}`, namespace: 'kube-system' });
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(secret.stringData['token-id']).toMatch(/^[a-z0-9]{6}$/);
    expect(secret.stringData['token-secret']).toMatch(/^[a-z0-9]{16}$/);
    expect(secret.metadata.name).toBe(`bootstrap-token-${secret.stringData['token-id']}`);
    expect(`${secret.stringData['token-id']}.${secret.stringData['token-secret']}`).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(secret.stringData).toEqual({
      description: 'cdktf-coreos node bootstrap token',
      'token-id': TOKEN_ID,
      'token-secret': TOKEN_SECRET,
      'usage-bootstrap-authentication': 'true',
    });
  });

  test('expiration, signing and extra groups when asked', () => {
    const secret = secretOf({ ...BASE, bootstrapToken: { id: TOKEN_ID, secret: TOKEN_SECRET, expiration: '2030-01-01T00:00:00Z', signing: true, extraGroups: ['system:bootstrappers:a', 'system:bootstrappers:b'] } });
    expect(secret.stringData).toMatchObject({ expiration: '2030-01-01T00:00:00Z', 'usage-bootstrap-signing': 'true', 'auth-extra-groups': 'system:bootstrappers:a,system:bootstrappers:b' });
  });

  test.each([
    [{ id: 'ABCDEF', secret: TOKEN_SECRET }, /id must be 6 characters/],
    [{ id: 'abcde', secret: TOKEN_SECRET }, /id must be 6 characters/],
    [{ id: TOKEN_ID, secret: 'short' }, /secret must be 16 characters/],
    [{ id: TOKEN_ID, secret: TOKEN_SECRET, extraGroups: ['system:masters'] }, /"system:masters" must start with "system:bootstrappers:"/],
  ])('refuses %j', (bootstrapToken, message) => {
    expect(() => renderAddons({ ...BASE, bootstrapToken })).toThrow(message);
  });

  test('token strings pass through untouched', () => {
    const id = '${TfToken[TOKEN.11]}';
    const secret = secretOf({ ...BASE, bootstrapToken: { id, secret: '${TfToken[TOKEN.12]}' } });
    expect(secret.metadata.name).toBe(`bootstrap-token-${id}`);
    expect(secret.stringData).toMatchObject({ 'token-id': id, 'token-secret': '${TfToken[TOKEN.12]}' });
  });

  test('the bindings for TLS bootstrap, CSR approval and renewal, and our admin groups', () => {
    const bindings = byKind(addonObjects(BASE), 'ClusterRoleBinding').map((b) => [(b.roleRef as { name: string }).name, (b.subjects as { name: string }[]).map((s) => s.name)]);
    expect(bindings).toEqual(
      expect.arrayContaining([
        ['system:node-bootstrapper', ['system:bootstrappers']],
        ['system:certificates.k8s.io:certificatesigningrequests:nodeclient', ['system:bootstrappers']],
        ['system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', ['system:nodes']],
        ['cluster-admin', ['cdktf-coreos:cluster-admins']],
        ['system:kubelet-api-admin', ['cdktf-coreos:kubelet-api-admins']],
      ]),
    );
    expect(JSON.stringify(addonObjects(BASE))).not.toContain('system:masters');
  });

  test("Typhoon's kubelet-delete role only when asked", () => {
    expect(addonObjects(BASE).some((o) => o.metadata.name === 'kubelet-delete')).toBe(false);
    const objects = addonObjects({ ...BASE, nodeSelfDelete: true });
    expect(named(objects, 'ClusterRoleBinding', 'kubelet-delete').subjects).toEqual([{ kind: 'Group', name: 'system:nodes', apiGroup: 'rbac.authorization.k8s.io' }]);
  });
});

describe('the API address for pods that cannot use Service IPs yet', () => {
  const host = '${TfToken[TOKEN.42]}';
  test('the in-cluster ConfigMap (Cilium) and the kube-proxy kubeconfig carry it, tokens untouched', () => {
    const cilium = addonObjects({ ...BASE, apiServerHost: host, apiServerPort: 443 });
    expect(named(cilium, 'ConfigMap', 'in-cluster').data).toEqual({ 'apiserver-host': host, 'apiserver-port': '443' });
    const flannel = addonObjects({ ...BASE, networking: 'flannel', apiServerHost: host });
    const kubeconfig = JSON.parse((named(flannel, 'ConfigMap', 'kubeconfig-in-cluster').data as { kubeconfig: string }).kubeconfig);
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: `https://${host}:6443`, 'certificate-authority': '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
    expect(kubeconfig['current-context']).toBe('in-cluster');
    expect(kubeconfig.users[0].user).toEqual({ tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' });
  });
});

describe('options', () => {
  test.each([
    [{ serviceCidr: '10.20.0.0/16' }, /serviceCidr 10.20.0.0\/16 and podCidr 10.20.0.0\/14 overlap/],
    [{ podCidr: '10.128.0.0/25' }, /podCidr 10.128.0.0\/25 must be \/24 or wider/],
    [{ serviceCidr: '10.3.0.0' }, /serviceCidr "10.3.0.0" must be an IPv4 CIDR/],
    [{ controllerCount: 0 }, /controllerCount must be a whole number of at least 1/],
    [{ apiServerPort: 70000 }, /apiServerPort must be a port number/],
  ])('refuses %j', (change, message) => {
    expect(() => renderAddons({ ...BASE, ...change })).toThrow(message);
  });

  test('the pinned images, and overrides', () => {
    const images = (options: AddonOptions) => JSON.stringify(addonObjects(options)).match(/"image": ?"[^"]+"/g);
    expect(new Set(images(BASE))).toEqual(new Set([`"image":"${CILIUM_IMAGE}"`, '"image":"quay.io/cilium/operator-generic:v1.18.9"', `"image":"${COREDNS_IMAGE}"`]));
    expect(new Set(images({ ...BASE, networking: 'flannel' }))).toEqual(
      new Set([`"image":"${FLANNEL_CNI_IMAGE}"`, `"image":"${FLANNEL_IMAGE}"`, `"image":"${componentImage('kube-proxy')}"`, `"image":"${COREDNS_IMAGE}"`]),
    );
    expect(images({ ...BASE, images: { coredns: 'mirror.example/coredns:v1' } })).toContain('"image":"mirror.example/coredns:v1"');
  });
});

describe('files and determinism', () => {
  test.each(Object.entries(VARIANTS))('%s: two renders are byte-identical', (_name, options) => {
    const text = (files: { path: string; content: string }[]) => files.map((f) => `${f.path}\n${f.content}`).join('');
    expect(text(renderAddonFiles(JSON.parse(JSON.stringify(options))))).toBe(text(renderAddonFiles(options)));
  });

  test('one v1 List per add-on, named so kubectl reads them in apply order', () => {
    const files = renderAddonFiles({ ...BASE, networking: 'flannel' });
    expect(files.map((f) => f.path)).toEqual(['00-bootstrap-rbac.json', '10-flannel.json', '20-kube-proxy.json', '30-coredns.json']);
    for (const [i, file] of files.entries()) {
      expect(file.content.endsWith('}\n')).toBe(true);
      const list = JSON.parse(file.content);
      expect(list).toEqual({ apiVersion: 'v1', kind: 'List', items: renderAddons({ ...BASE, networking: 'flannel' })[i].objects });
    }
  });

  test.each(Object.entries(VARIANTS))('%s: the bootstrap plan takes every object, each at its own API path', (_name, options) => {
    const { files } = bootstrapPlan(addonObjects(options));
    expect(files).toHaveLength(addonObjects(options).length);
  });
});

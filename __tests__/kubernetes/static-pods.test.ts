/**
 * The control plane's static pods (constructs/kubernetes/static-pods.ts): valid Pods by the
 * Kubernetes schema (strict: no undeclared field), exactly the flags we mean (a change must be
 * deliberate), Typhoon's flags kept or replaced for a written reason, every file a flag names
 * mounted read-only and nothing else mounted, byte-identical renders, bad options refused.
 */
import { SECRETS_GENERATION_ANNOTATION, SECRETS_GENERATION_AT_BOOT } from '../../constructs/kubernetes/control-plane-restart';
import { Lazy } from 'cdktf';
import { KUBECONFIGS, PKI_FILES } from '../../constructs/kubernetes/cluster-settings';
import { renderJson } from '../../constructs/kubernetes/json-manifest';
import {
  APISERVER_AUTHENTICATION_CONFIG_FILE,
  CONTROL_PLANE_COMPONENTS,
  STATIC_POD_MANIFESTS,
  renderApiServerAuthenticationConfig,
  renderStaticPodManifests,
  renderStaticPods,
  staticPodFiles,
  staticPodsProblems,
  type ControlPlaneComponent,
  type StaticPod,
  type StaticPodsOptions,
} from '../../constructs/kubernetes/static-pods';
import { expectValidKubernetesObject } from './schema';

const ETCD = ['https://etcd0.us-central1-a.c.demo.internal:2379', 'https://etcd1.us-central1-b.c.demo.internal:2379', 'https://etcd2.us-central1-c.c.demo.internal:2379'];
const BASE: StaticPodsOptions = { etcdServers: ETCD };

const flags = (pod: StaticPod): readonly string[] => pod.spec.containers[0].command.slice(1);
const flagNames = (pod: StaticPod): string[] => flags(pod).map((arg) => /^--([a-z0-9-]+)=/.exec(arg)![1]);

const EXPECTED_FLAGS: Record<ControlPlaneComponent, readonly string[]> = {
  'kube-apiserver': [
    '--advertise-address=$(POD_IP)',
    '--allow-privileged=true',
    '--anonymous-auth=false',
    '--authorization-mode=Node,RBAC',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/etcd/client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/etcd/client.key',
    `--etcd-servers=${ETCD.join(',')}`,
    '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    '--profiling=false',
    '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
    '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6443',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/etc/kubernetes/pki/service-account.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/service-account.key',
    '--service-cluster-ip-range=10.3.0.0/16',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-min-version=VersionTLS12',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ],
  'kube-controller-manager': [
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--bind-address=127.0.0.1',
    '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
    '--cluster-signing-duration=72h',
    '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
    '--controllers=*,tokencleaner',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--leader-elect=true',
    '--profiling=false',
    '--root-ca-file=/etc/kubernetes/pki/ca.crt',
    '--service-account-private-key-file=/etc/kubernetes/pki/service-account.key',
    '--tls-min-version=VersionTLS12',
    '--use-service-account-credentials=true',
  ],
  'kube-scheduler': [
    '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
    '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
    '--bind-address=127.0.0.1',
    '--kubeconfig=/etc/kubernetes/scheduler.conf',
    '--leader-elect=true',
    '--profiling=false',
    '--tls-min-version=VersionTLS12',
  ],
};

/**
 * Typhoon's flag names (poseidon/terraform-render-bootstrap resources/static-manifests/*.yaml
 * @e958673e, the commit poseidon/typhoon 21428170 pins, as read for the research plan; the older
 * @6524e476 / @924beb4b versions read here add --allow-privileged and --client-ca-file).
 */
const TYPHOON_FLAGS: Record<ControlPlaneComponent, readonly string[]> = {
  'kube-apiserver': [
    'advertise-address', 'allow-privileged', 'anonymous-auth', 'authorization-mode', 'client-ca-file',
    'enable-admission-plugins', 'enable-bootstrap-token-auth', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile',
    'etcd-servers', 'feature-gates', 'kubelet-client-certificate', 'kubelet-client-key',
    'kubelet-preferred-address-types', 'proxy-client-cert-file', 'proxy-client-key-file',
    'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix',
    'requestheader-group-headers', 'requestheader-username-headers', 'runtime-config', 'secure-port',
    'service-account-issuer', 'service-account-jwks-uri', 'service-account-key-file',
    'service-account-signing-key-file', 'service-cluster-ip-range', 'tls-cert-file', 'tls-private-key-file',
  ],
  'kube-controller-manager': [
    'allocate-node-cidrs', 'authentication-kubeconfig', 'authorization-kubeconfig', 'bind-address', 'cluster-cidr',
    'cluster-signing-cert-file', 'cluster-signing-duration', 'cluster-signing-key-file', 'configure-cloud-routes',
    'controllers', 'kubeconfig', 'leader-elect', 'root-ca-file', 'service-account-private-key-file',
    'use-service-account-credentials',
  ],
  'kube-scheduler': ['bind-address', 'kubeconfig', 'leader-elect'],
};
/** Typhoon flags we leave out (with the default options), and why. */
const LEFT_OUT: Record<string, string> = {
  'kube-apiserver feature-gates': 'MutatingAdmissionPolicy=true: that API is GA and on by default in 1.36',
  'kube-apiserver runtime-config': 'admissionregistration v1beta1/v1alpha1 for the same; v1 is served in 1.36',
  'kube-apiserver service-account-jwks-uri': 'only external OIDC relying parties read it; Typhoon points it at its public DNS name, which we need not have',
  'kube-controller-manager allocate-node-cidrs': 'only with allocateNodeCidrs (flannel); Cilium allocates pod ranges itself',
  'kube-controller-manager cluster-cidr': 'the same',
  'kube-controller-manager configure-cloud-routes': 'no cloud provider runs, so there is no route controller to turn off',
};
/** Flags we add to Typhoon's, and why. */
const ADDED: Record<string, string> = {
  'kube-apiserver profiling': 'no /debug/pprof',
  'kube-apiserver tls-min-version': 'TLS 1.2 at least',
  'kube-controller-manager profiling': 'the same',
  'kube-controller-manager tls-min-version': 'the same',
  'kube-scheduler profiling': 'the same',
  'kube-scheduler tls-min-version': 'the same',
  'kube-scheduler authentication-kubeconfig': 'authenticated /metrics, as the controller-manager',
  'kube-scheduler authorization-kubeconfig': 'the same',
};

describe('renderStaticPods', () => {
  const pods = renderStaticPods(BASE);

  it('renders the three control-plane pods in a fixed order', () => {
    expect(Object.keys(pods)).toEqual(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
    expect(CONTROL_PLANE_COMPONENTS).toEqual(Object.keys(pods));
  });

  describe.each([
    ['default options', BASE],
    ['flannel (node CIDRs)', { ...BASE, allocateNodeCidrs: true }],
    ['anonymous health endpoints and exposed metrics', { ...BASE, anonymousHealthEndpoints: true, exposeComponentMetrics: true }],
  ])('with %s', (_name, options: StaticPodsOptions) => {
    const rendered = renderStaticPods(options);
    it.each(CONTROL_PLANE_COMPONENTS)('%s is a valid Pod by the strict schema check', (component) => {
      expectValidKubernetesObject(rendered[component]);
    });

    it.each(CONTROL_PLANE_COMPONENTS)('%s mounts, read-only, exactly the files its flags name, each as itself', (component) => {
      const pod = rendered[component];
      const files = staticPodFiles(pod);
      const mounts = pod.spec.containers[0].volumeMounts;
      const volumes = new Map(pod.spec.volumes.map((v) => [v.name, v]));
      expect(mounts.map((m) => m.mountPath).sort()).toEqual([...files].sort());
      for (const mount of mounts) {
        expect(mount.readOnly).toBe(true);
        expect(volumes.get(mount.name)?.hostPath).toEqual({ path: mount.mountPath, type: 'File' });
      }
      expect(volumes.size).toBe(mounts.length);
      // Every file is one the cluster delivers (the shared contract's paths).
      const delivered: string[] = [...Object.values(PKI_FILES), ...Object.values(KUBECONFIGS), APISERVER_AUTHENTICATION_CONFIG_FILE];
      expect(files.filter((f) => !delivered.includes(f))).toEqual([]);
    });
  });

  it.each(CONTROL_PLANE_COMPONENTS)('%s runs with exactly these flags', (component) => {
    expect(flags(pods[component])).toEqual(EXPECTED_FLAGS[component]);
  });

  it.each(CONTROL_PLANE_COMPONENTS)("%s keeps every Typhoon flag, or leaves it out for a written reason", (component) => {
    const ours = flagNames(pods[component]);
    for (const flag of TYPHOON_FLAGS[component]) {
      expect([flag, ours.includes(flag)]).toEqual([flag, !(`${component} ${flag}` in LEFT_OUT)]);
    }
    const added = ours.filter((flag) => !TYPHOON_FLAGS[component].includes(flag)).map((flag) => `${component} ${flag}`);
    expect(added.sort()).toEqual(Object.keys(ADDED).filter((key) => key.startsWith(`${component} `)).sort());
  });

  it('allocates node CIDRs from the pod range only when asked (flannel)', () => {
    const cm = renderStaticPods({ ...BASE, allocateNodeCidrs: true, podCidr: '10.64.0.0/14' })['kube-controller-manager'];
    expect(flags(cm).filter((f) => !EXPECTED_FLAGS['kube-controller-manager'].includes(f))).toEqual([
      '--allocate-node-cidrs=true',
      '--cluster-cidr=10.64.0.0/14',
      '--service-cluster-ip-range=10.3.0.0/16',
    ]);
  });

  it('serves controller-manager and scheduler metrics on every address only when asked', () => {
    const exposed = renderStaticPods({ ...BASE, exposeComponentMetrics: true });
    expect(flags(exposed['kube-controller-manager'])).toContain('--bind-address=0.0.0.0');
    expect(flags(exposed['kube-scheduler'])).toContain('--bind-address=0.0.0.0');
    // The probes still go to 127.0.0.1, which 0.0.0.0 includes.
    expect(exposed['kube-scheduler'].spec.containers[0].livenessProbe?.httpGet.host).toBe('127.0.0.1');
  });

  it('probes controller-manager and scheduler on their secure ports; the apiserver, which refuses anonymous requests, not at all', () => {
    expect(pods['kube-controller-manager'].spec.containers[0].livenessProbe).toEqual({
      httpGet: { host: '127.0.0.1', path: '/healthz', port: 10257, scheme: 'HTTPS' },
      initialDelaySeconds: 15,
      timeoutSeconds: 15,
      failureThreshold: 8,
    });
    expect(pods['kube-scheduler'].spec.containers[0].livenessProbe?.httpGet).toEqual({ host: '127.0.0.1', path: '/healthz', port: 10259, scheme: 'HTTPS' });
    expect(pods['kube-apiserver'].spec.containers[0].livenessProbe).toBeUndefined();
  });

  it('with anonymousHealthEndpoints, authenticates through the config file and probes /livez', () => {
    const apiserver = renderStaticPods({ ...BASE, anonymousHealthEndpoints: true })['kube-apiserver'];
    expect(flags(apiserver)).not.toContain('--anonymous-auth=false');
    expect(flags(apiserver)[2]).toBe('--authentication-config=/etc/kubernetes/authentication-config.json');
    expect(flags(apiserver).length).toBe(EXPECTED_FLAGS['kube-apiserver'].length);
    expect(staticPodFiles(apiserver)).toContain(APISERVER_AUTHENTICATION_CONFIG_FILE);
    expect(apiserver.spec.containers[0].livenessProbe?.httpGet).toEqual({ host: '127.0.0.1', path: '/livez', port: 6443, scheme: 'HTTPS' });
    expect(renderApiServerAuthenticationConfig()).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] },
      jwt: [],
    });
  });

  it('gives each component only the keys it uses: the CA key to the controller-manager alone, none to the scheduler', () => {
    const keys = (component: ControlPlaneComponent): string[] => staticPodFiles(pods[component]).filter((f) => f.endsWith('.key'));
    expect(keys('kube-apiserver')).toEqual([PKI_FILES.etcdClientKey, PKI_FILES.apiServerKubeletClientKey, PKI_FILES.frontProxyClientKey, PKI_FILES.serviceAccountKey, PKI_FILES.apiServerKey]);
    expect(keys('kube-controller-manager')).toEqual([PKI_FILES.caKey, PKI_FILES.serviceAccountKey]);
    expect(staticPodFiles(pods['kube-scheduler'])).toEqual([KUBECONFIGS.scheduler]);
  });

  it.each(CONTROL_PLANE_COMPONENTS)('%s runs unprivileged, on the host network, as a node-critical pod', (component) => {
    const pod = pods[component];
    expect(pod.metadata).toEqual({
      name: component,
      namespace: 'kube-system',
      labels: { 'k8s-app': component, tier: 'control-plane' },
      annotations: { [SECRETS_GENERATION_ANNOTATION]: SECRETS_GENERATION_AT_BOOT },
    });
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.priorityClassName).toBe('system-node-critical');
    expect(pod.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, supplementalGroups: [1401], seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(pod.spec.containers[0].image).toBe(`registry.k8s.io/${component}:v1.36.2`);
    expect(pod.spec.containers[0].command[0]).toBe(component);
  });

  it('asks for kubeadm-sized CPU and takes the advertised address from the pod (the node) IP', () => {
    expect(CONTROL_PLANE_COMPONENTS.map((c) => pods[c].spec.containers[0].resources)).toEqual([
      { requests: { cpu: '250m' } },
      { requests: { cpu: '200m' } },
      { requests: { cpu: '100m' } },
    ]);
    expect(pods['kube-apiserver'].spec.containers[0].env).toEqual([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }]);
  });

  it('takes the release, the issuer and the cluster domain from the options', () => {
    const custom = renderStaticPods({ ...BASE, kubernetesVersion: 'v1.35.4', clusterDomain: 'k8s.example' });
    expect(custom['kube-scheduler'].spec.containers[0].image).toBe('registry.k8s.io/kube-scheduler:v1.35.4');
    expect(flags(custom['kube-apiserver'])).toContain('--service-account-issuer=https://kubernetes.default.svc.k8s.example');
    const issuer = renderStaticPods({ ...BASE, serviceAccountIssuer: 'https://issuer.example.com' })['kube-apiserver'];
    expect(flags(issuer)).toContain('--service-account-issuer=https://issuer.example.com');
  });

  it('passes token etcd hosts and issuers through untouched', () => {
    const host = Lazy.stringValue({ produce: () => 'etcd0.example.internal' });
    const issuer = Lazy.stringValue({ produce: () => 'https://issuer.example.com' });
    const rendered = renderStaticPods({ etcdServers: [`https://${host}:2379`], serviceAccountIssuer: issuer })['kube-apiserver'];
    expect(flags(rendered)).toContain(`--etcd-servers=https://${host}:2379`);
    expect(flags(rendered)).toContain(`--service-account-issuer=${issuer}`);
    // Only the text before a token is checked.
    expect(staticPodsProblems({ etcdServers: [`${host}`, `https://${host}`], serviceAccountIssuer: `${issuer}/x` })).toEqual([]);
    expect(staticPodsProblems({ etcdServers: [`ht${host}`] })).toEqual([]);
    expect(staticPodsProblems({ etcdServers: [`https:/x${host}`] })).toEqual([`etcdServers[0] "https:/x${host}" must start with https://`]);
  });

  it('writes the manifests where the kubelet reads them, the same bytes every time', () => {
    const files = renderStaticPodManifests(BASE);
    expect(files.map((f) => f.path)).toEqual([
      '/etc/kubernetes/manifests/kube-apiserver.json',
      '/etc/kubernetes/manifests/kube-controller-manager.json',
      '/etc/kubernetes/manifests/kube-scheduler.json',
    ]);
    expect(files.map((f) => f.path)).toEqual(Object.values(STATIC_POD_MANIFESTS));
    expect(renderStaticPodManifests(BASE)).toEqual(files);
    for (const [i, component] of CONTROL_PLANE_COMPONENTS.entries()) {
      expect(files[i].contents).toBe(renderJson(pods[component]));
      expect(JSON.parse(files[i].contents)).toEqual(pods[component]);
    }
  });
});

describe('bad options', () => {
  const token = Lazy.stringValue({ produce: () => 'x' });
  it.each([
    [{ etcdServers: [] }, 'etcdServers is empty: the apiserver needs at least one etcd client URL'],
    [{ etcdServers: ['http://etcd0:2379'] }, 'etcdServers[0] "http://etcd0:2379" is not https: https://etcd0.us-central1-a.c.PROJECT.internal:2379 (the apiserver uses a client certificate)'],
    [{ etcdServers: ['etcd0:2379'] }, 'etcdServers[0] "etcd0:2379" is not https: https://etcd0.us-central1-a.c.PROJECT.internal:2379 (the apiserver uses a client certificate)'],
    [{ etcdServers: ['not a url'] }, 'etcdServers[0] "not a url" is not a URL such as https://etcd0.us-central1-a.c.PROJECT.internal:2379 (the apiserver uses a client certificate)'],
    [{ etcdServers: ['https://etcd0:2379/v3'] }, 'etcdServers[0] "https://etcd0:2379/v3" must be https://HOST:PORT, without a path'],
    [{ etcdServers: ['https://etcd0:2379?x=1'] }, 'etcdServers[0] "https://etcd0:2379?x=1" must not carry credentials, a query, a fragment or a comma'],
    [{ etcdServers: [`http://${token}:2379`] }, `etcdServers[0] "http://${token}:2379" must start with https://`],
    [{ etcdServers: [ETCD[0], ETCD[0]] }, `etcdServers[1] "${ETCD[0]}" is given twice`],
    [{ ...BASE, serviceCidr: '10.3.0.0' }, 'serviceCidr "10.3.0.0" is not an IPv4 CIDR such as 10.3.0.0/16'],
    [{ ...BASE, serviceCidr: token }, 'serviceCidr must be a literal IPv4 CIDR, not a token: addresses are computed from it at synth'],
    [{ ...BASE, podCidr: '10.20.0.0/25' }, 'podCidr "10.20.0.0/25" must have a prefix length from /8 to /24'],
    [{ ...BASE, podCidr: '10.0.0.0/8' }, 'podCidr "10.0.0.0/8" overlaps serviceCidr "10.3.0.0/16"'],
    [{ ...BASE, podCidr: '10.3.128.0/24' }, 'podCidr "10.3.128.0/24" overlaps serviceCidr "10.3.0.0/16"'],
    [{ ...BASE, serviceAccountIssuer: 'http://issuer.example.com' }, 'serviceAccountIssuer "http://issuer.example.com" is not https: https://kubernetes.default.svc.cluster.local'],
    [{ ...BASE, clusterDomain: 'cluster_local' }, 'clusterDomain "cluster_local" is not a literal lower-case DNS name such as cluster.local'],
    [{ ...BASE, kubernetesVersion: 'latest' }, 'kubernetesVersion "latest" is not a release such as 1.36.2'],
  ])('refuses %j', (options, message) => {
    expect(staticPodsProblems(options)).toEqual([message]);
    expect(() => renderStaticPods(options)).toThrow(`renderStaticPods: ${message}`);
  });

  it('lists every problem at once', () => {
    expect(() => renderStaticPods({ etcdServers: ['http://a:2379'], serviceCidr: 'x', kubernetesVersion: 'y' })).toThrow(
      'renderStaticPods: etcdServers[0] "http://a:2379" is not https: https://etcd0.us-central1-a.c.PROJECT.internal:2379 (the apiserver uses a client certificate); ' +
        'serviceCidr "x" is not an IPv4 CIDR such as 10.3.0.0/16; kubernetesVersion "y" is not a release such as 1.36.2',
    );
  });
});

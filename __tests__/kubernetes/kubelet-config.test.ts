/**
 * The kubelet's configuration file and flags (constructs/kubernetes/kubelet-config.ts): exactly the
 * settings we mean, every field one KubeletConfiguration v1beta1 declares, at least Typhoon's
 * settings, and bad options refused. kubernetes-models has no kubelet.config.k8s.io schema, so the
 * field list below stands in for it.
 */
import { hasToken, renderJson } from '../../constructs/kubernetes/json-manifest';
import {
  CONTAINERD_ENDPOINT,
  kubeletConfigProblems,
  kubeletFlags,
  renderKubeletConfig,
  type KubeletConfiguration,
} from '../../constructs/kubernetes/kubelet-config';
import { kubernetesSchemaProblems } from './schema';

/**
 * The JSON field names of KubeletConfiguration and of the structs it nests that we set, from
 * kubernetes/kubernetes staging/src/k8s.io/kubelet/config/v1beta1/types.go
 * @001332b0422071acf4860769f18e34b5e9b7c1bc (each field's `json:"..."` tag; TypeMeta gives
 * apiVersion and kind). A field not in this list is one the kubelet does not know: at best ignored.
 */
const V1BETA1_FIELDS = new Set([
  'apiVersion', 'kind',
  'enableServer', 'staticPodPath', 'podLogsDir', 'syncFrequency', 'fileCheckFrequency', 'httpCheckFrequency',
  'staticPodURL', 'staticPodURLHeader', 'address', 'port', 'readOnlyPort', 'tlsCertFile', 'tlsPrivateKeyFile',
  'tlsCipherSuites', 'tlsCurvePreferences', 'tlsMinVersion', 'rotateCertificates', 'serverTLSBootstrap',
  'authentication', 'authorization', 'registryPullQPS', 'registryBurst', 'imagePullCredentialsVerificationPolicy',
  'preloadedImagesVerificationAllowlist', 'eventRecordQPS', 'eventBurst', 'enableDebuggingHandlers',
  'enableContentionProfiling', 'healthzPort', 'healthzBindAddress', 'oomScoreAdj', 'clusterDomain', 'clusterDNS',
  'streamingConnectionIdleTimeout', 'nodeStatusUpdateFrequency', 'nodeStatusReportFrequency',
  'nodeLeaseDurationSeconds', 'imageMinimumGCAge', 'imageMaximumGCAge', 'imageGCHighThresholdPercent',
  'imageGCLowThresholdPercent', 'volumeStatsAggPeriod', 'kubeletCgroups', 'systemCgroups', 'cgroupRoot',
  'cgroupsPerQOS', 'cgroupDriver', 'cpuManagerPolicy', 'singleProcessOOMKill', 'cpuManagerPolicyOptions',
  'cpuManagerReconcilePeriod', 'draManagerReconcilePeriod', 'memoryManagerPolicy', 'topologyManagerPolicy',
  'topologyManagerScope', 'topologyManagerPolicyOptions', 'qosReserved', 'runtimeRequestTimeout', 'hairpinMode',
  'maxPods', 'podCIDR', 'podPidsLimit', 'resolvConf', 'runOnce', 'cpuCFSQuota', 'cpuCFSQuotaPeriod',
  'nodeStatusMaxImages', 'maxOpenFiles', 'contentType', 'kubeAPIQPS', 'kubeAPIBurst', 'serializeImagePulls',
  'maxParallelImagePulls', 'evictionHard', 'evictionSoft', 'evictionSoftGracePeriod',
  'evictionPressureTransitionPeriod', 'evictionMaxPodGracePeriod', 'evictionMinimumReclaim',
  'mergeDefaultEvictionSettings', 'podsPerCore', 'enableControllerAttachDetach', 'protectKernelDefaults',
  'makeIPTablesUtilChains', 'iptablesMasqueradeBit', 'iptablesDropBit', 'featureGates', 'failSwapOn', 'memorySwap',
  'containerLogMaxSize', 'containerLogMaxFiles', 'containerLogMaxWorkers', 'containerLogMonitorInterval',
  'configMapAndSecretChangeDetectionStrategy', 'systemReserved', 'kubeReserved', 'reservedSystemCPUs',
  'showHiddenMetricsForVersion', 'systemReservedCgroup', 'kubeReservedCgroup', 'enforceNodeAllocatable',
  'allowedUnsafeSysctls', 'volumePluginDir', 'providerID', 'kernelMemcgNotification', 'logging',
  'enableSystemLogHandler', 'enableSystemLogQuery', 'shutdownGracePeriod', 'shutdownGracePeriodCriticalPods',
  'shutdownGracePeriodByPodPriority', 'crashLoopBackOff', 'reservedMemory', 'enableProfilingHandler',
  'enableDebugFlagsHandler', 'seccompDefault', 'memoryThrottlingFactor', 'memoryReservationPolicy',
  'registerWithTaints', 'registerNode', 'tracing', 'localStorageCapacityIsolation', 'containerRuntimeEndpoint',
  'imageServiceEndpoint', 'failCgroupV1', 'userNamespaces',
]);
/** Same file: KubeletAuthentication (x509, webhook, anonymous) and KubeletAuthorization (mode, webhook). */
const NESTED_FIELDS: Record<string, Record<string, readonly string[]>> = {
  authentication: { x509: ['clientCAFile'], webhook: ['enabled', 'cacheTTL'], anonymous: ['enabled'] },
  authorization: { mode: [], webhook: ['cacheAuthorizedTTL', 'cacheUnauthorizedTTL'] },
};
/** metav1.Duration fields (Go's time.ParseDuration text) among those we set. */
const DURATIONS = ['shutdownGracePeriod', 'shutdownGracePeriodCriticalPods'];

/** What is not a v1beta1 field, at the top level and inside the structs we set. */
function undeclaredFields(config: object): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!V1BETA1_FIELDS.has(key)) problems.push(key);
    const nested = NESTED_FIELDS[key];
    if (!nested) continue;
    for (const [child, grandchild] of Object.entries(value as object)) {
      if (!(child in nested)) problems.push(`${key}.${child}`);
      else if (typeof grandchild === 'object') {
        for (const leaf of Object.keys(grandchild as object)) if (!nested[child].includes(leaf)) problems.push(`${key}.${child}.${leaf}`);
      }
    }
  }
  return problems;
}

/**
 * Typhoon's kubelet.yaml (poseidon/typhoon google-cloud/flatcar-linux/kubernetes/butane/controller.yaml
 * and workers/butane/worker.yaml @21428170), with its template values filled as for our defaults.
 */
const TYPHOON_KUBELET = {
  authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/ca.crt' } },
  authorization: { mode: 'Webhook' },
  cgroupDriver: 'systemd',
  clusterDNS: ['10.3.0.10'],
  clusterDomain: 'cluster.local',
  healthzPort: 0,
  rotateCertificates: true,
  serializeImagePulls: false,
  shutdownGracePeriod: '45s',
  shutdownGracePeriodCriticalPods: '30s',
  staticPodPath: '/etc/kubernetes/manifests',
  readOnlyPort: 0,
  resolvConf: '/run/systemd/resolve/resolv.conf',
  volumePluginDir: '/var/lib/kubelet/volumeplugins',
};
/** Where we differ from Typhoon's file, and why (every other Typhoon field must match exactly). */
const DIFFERENT_FROM_TYPHOON: Record<string, string> = {
  'authentication.x509.clientCAFile': 'the cluster CA sits with the rest of the PKI (/etc/kubernetes/pki/ca.crt)',
};
/** Fields we set that Typhoon's file does not, and why. */
const NOT_IN_TYPHOON: Record<string, string> = {
  apiVersion: 'TypeMeta',
  kind: 'TypeMeta',
  containerRuntimeEndpoint: 'Typhoon passes it as the deprecated --container-runtime-endpoint flag',
  tlsMinVersion: 'TLS 1.2 at least, as the control plane',
};

function leaves(obj: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(obj)) {
    const where = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of leaves(value, where)) out.set(k, v);
    else out.set(where, value);
  }
  return out;
}

describe('renderKubeletConfig', () => {
  const config = renderKubeletConfig();

  it('sets exactly these fields, in this order', () => {
    const expected: KubeletConfiguration = {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
      authorization: { mode: 'Webhook' },
      cgroupDriver: 'systemd',
      clusterDNS: ['10.3.0.10'],
      clusterDomain: 'cluster.local',
      containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
      healthzPort: 0,
      readOnlyPort: 0,
      resolvConf: '/run/systemd/resolve/resolv.conf',
      rotateCertificates: true,
      serializeImagePulls: false,
      shutdownGracePeriod: '45s',
      shutdownGracePeriodCriticalPods: '30s',
      staticPodPath: '/etc/kubernetes/manifests',
      tlsMinVersion: 'VersionTLS12',
      volumePluginDir: '/var/lib/kubelet/volumeplugins',
    };
    expect(config).toEqual(expected);
    expect(Object.keys(config)).toEqual(Object.keys(expected));
    expect(CONTAINERD_ENDPOINT).toBe(config.containerRuntimeEndpoint);
  });

  it('uses only fields KubeletConfiguration v1beta1 declares', () => {
    expect(undeclaredFields(config)).toEqual([]);
    // The check itself refuses a field the kubelet does not know, and a misplaced nested one.
    const misspelt = { ...config, readOnlyPorts: 0, authentication: { ...config.authentication, x509: { clientCaFile: 'x' } } };
    expect(undeclaredFields(misspelt).sort()).toEqual(['authentication.x509.clientCaFile', 'readOnlyPorts']);
  });

  it('is not a kind kubernetes-models knows, which is why the field list above stands in for a schema', () => {
    expect(kubernetesSchemaProblems(config)).toEqual(['kubernetes-models has no schema for kubelet.config.k8s.io/v1beta1 KubeletConfiguration']);
  });

  it("keeps every one of Typhoon's settings, except where a reason is written down", () => {
    const ours = leaves(config);
    for (const [field, value] of leaves(TYPHOON_KUBELET)) {
      if (field in DIFFERENT_FROM_TYPHOON) expect(ours.get(field)).not.toEqual(value);
      else expect([field, ours.get(field)]).toEqual([field, value]);
    }
    const extra = [...ours.keys()].filter((field) => !leaves(TYPHOON_KUBELET).has(field));
    expect(extra.sort()).toEqual(Object.keys(NOT_IN_TYPHOON).sort());
  });

  it('writes durations Go can parse', () => {
    for (const field of DURATIONS) expect(config[field as keyof KubeletConfiguration]).toMatch(/^(\d+(ns|us|ms|s|m|h))+$/);
  });

  it('derives cluster DNS from the service range and takes the cluster domain', () => {
    const custom = renderKubeletConfig({ serviceCidr: '172.16.0.0/20', clusterDomain: 'k8s.example' });
    expect(custom.clusterDNS).toEqual(['172.16.0.10']);
    expect(custom.clusterDomain).toBe('k8s.example');
  });

  it('renders the same bytes every time, as JSON that reads back as the object', () => {
    const text = renderJson(renderKubeletConfig());
    expect(renderJson(renderKubeletConfig())).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(config);
  });

  it.each([
    [{ serviceCidr: 'nope' }, 'serviceCidr "nope" is not an IPv4 CIDR such as 10.3.0.0/16'],
    [{ serviceCidr: '10.3.0.5/16' }, 'serviceCidr "10.3.0.5/16" is not a network address: use 10.3.0.0/16'],
    [{ serviceCidr: '10.0.0.0/8' }, 'serviceCidr "10.0.0.0/8" must have a prefix length from /12 to /28'],
    [{ serviceCidr: '10.3.0.0/29' }, 'serviceCidr "10.3.0.0/29" must have a prefix length from /12 to /28'],
    [{ serviceCidr: '10.03.0.0/16' }, 'serviceCidr "10.03.0.0/16" is not an IPv4 CIDR such as 10.3.0.0/16'],
    [{ serviceCidr: '${TfToken[TOKEN.1]}' }, 'serviceCidr must be a literal IPv4 CIDR, not a token: addresses are computed from it at synth'],
    [{ clusterDomain: 'Cluster.Local' }, 'clusterDomain "Cluster.Local" is not a literal lower-case DNS name such as cluster.local'],
  ])('refuses %j', (options, message) => {
    expect(kubeletConfigProblems(options)).toEqual([message]);
    expect(() => renderKubeletConfig(options)).toThrow(`renderKubeletConfig: ${message}`);
  });
});

describe('kubeletFlags', () => {
  it("gives a controller Typhoon's label and taint", () => {
    expect(kubeletFlags('controller')).toEqual([
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubeconfig',
      '--config=/etc/kubernetes/kubelet.json',
      '--kubeconfig=/var/lib/kubelet/kubeconfig',
      '--node-labels=node.kubernetes.io/controller=true',
      '--register-with-taints=node-role.kubernetes.io/controller=:NoSchedule',
    ]);
  });

  it('gives a worker its label and no taint', () => {
    expect(kubeletFlags('worker')).toEqual([
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubeconfig',
      '--config=/etc/kubernetes/kubelet.json',
      '--kubeconfig=/var/lib/kubelet/kubeconfig',
      '--node-labels=node.kubernetes.io/node=',
    ]);
  });

  it("adds the pool's labels and taints after the role's, one flag each", () => {
    const flags = kubeletFlags('worker', { nodeLabels: ['gpu=true', 'example.com/team=ml', 'node.kubernetes.io/pool=gpu'], nodeTaints: ['gpu=true:NoSchedule', 'dedicated=:NoExecute'] });
    expect(flags.slice(3)).toEqual([
      '--node-labels=node.kubernetes.io/node=,gpu=true,example.com/team=ml,node.kubernetes.io/pool=gpu',
      '--register-with-taints=gpu=true:NoSchedule,dedicated=:NoExecute',
    ]);
    expect(kubeletFlags('controller', { nodeTaints: ['a=b:PreferNoSchedule'] })[4]).toBe('--register-with-taints=node-role.kubernetes.io/controller=:NoSchedule,a=b:PreferNoSchedule');
  });

  it('passes token labels through unchecked', () => {
    const token = '${TfToken[TOKEN.7]}';
    expect(hasToken(token)).toBe(true);
    expect(kubeletFlags('worker', { nodeLabels: [`pool=${token}`] })[3]).toBe(`--node-labels=node.kubernetes.io/node=,pool=${token}`);
  });

  it.each([
    [{ nodeLabels: ['node-role.kubernetes.io/gpu=true'] }, 'nodeLabels: "node-role.kubernetes.io/gpu=true": a kubelet may not set its own node-role.kubernetes.io labels except under node.kubernetes.io/ or kubelet.kubernetes.io/ (use node.kubernetes.io/... or your own prefix)'],
    [{ nodeLabels: ['kubernetes.io/role=x'] }, 'nodeLabels: "kubernetes.io/role=x": a kubelet may not set its own kubernetes.io labels except under node.kubernetes.io/ or kubelet.kubernetes.io/ (use node.kubernetes.io/... or your own prefix)'],
    [{ nodeLabels: ['a b=c'] }, 'nodeLabels: "a b=c" is not key=value with a valid label key and value'],
    [{ nodeLabels: ['a=b,c=d'] }, 'nodeLabels: "a=b,c=d" is not key=value with a valid label key and value'],
    [{ nodeTaints: ['gpu=true'] }, 'nodeTaints: "gpu=true" is not key=value:Effect (the value may be empty) with a valid label key and value'],
    [{ nodeTaints: ['gpu:NoSchedule'] }, 'nodeTaints: "gpu:NoSchedule" is not key=value:Effect (the value may be empty) with a valid label key and value'],
    [{ nodeTaints: ['gpu=true:Never'] }, 'nodeTaints: "gpu=true:Never" has effect "Never": use one of NoSchedule, PreferNoSchedule, NoExecute'],
  ])('refuses %j', (options, message) => {
    expect(() => kubeletFlags('worker', options)).toThrow(`kubeletFlags: ${message}`);
  });

  it('accepts the kubernetes.io labels a kubelet may set on itself', () => {
    expect(() => kubeletFlags('worker', { nodeLabels: ['node-role.kubernetes.io/worker=', 'topology.kubernetes.io/zone=us-central1-a', 'x.kubelet.kubernetes.io/y=z'] })).not.toThrow();
  });
});

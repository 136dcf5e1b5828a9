/**
 * Cilium, the default CNI: its service accounts and roles, the `cilium` ConfigMap, the agent on
 * every node and the operator (IPAM, garbage collection). As Typhoon's (poseidon/typhoon
 * `addons/cilium/*.tf`: `cluster-role.tf`, `cluster-role-binding.tf`, `service-account.tf`
 * @7b8a5107, `deployment.tf` @00e05eb5; they mirror terraform-render-bootstrap `resources/cilium/`).
 */
import { CONTROLLER_TAINT } from '../cluster-settings';
import type { ResolvedAddonOptions } from './addon-options';
import { CILIUM_AGENT, IN_CLUSTER_API_ENV, ciliumAgentDaemonSet } from './cilium-agent';
import { CILIUM_CONFIG_MAP, ciliumConfigMap } from './cilium-config';
import {
  ADDON_NAMESPACE,
  type KubeObject,
  type PolicyRule,
  RUNTIME_DEFAULT_SECCOMP,
  clusterRole,
  clusterRoleBinding,
  configMapEnv,
  fieldEnv,
  serviceAccount,
  serviceAccountSubject,
} from './kube-objects';

const OPERATOR = 'cilium-operator';

export function renderCilium(options: ResolvedAddonOptions): KubeObject[] {
  return [
    serviceAccount(OPERATOR),
    serviceAccount(CILIUM_AGENT),
    clusterRole(OPERATOR, OPERATOR_RULES),
    clusterRole(CILIUM_AGENT, AGENT_RULES),
    clusterRoleBinding(OPERATOR, OPERATOR, [serviceAccountSubject(OPERATOR)]),
    clusterRoleBinding(CILIUM_AGENT, CILIUM_AGENT, [serviceAccountSubject(CILIUM_AGENT)]),
    ciliumConfigMap(options),
    ciliumAgentDaemonSet(options),
    operatorDeployment(options),
  ];
}

const CILIUM_STATUS_RESOURCES = ['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies', 'ciliumendpoints', 'ciliumnodes', 'ciliumidentities', 'ciliumlocalredirectpolicies'];

const OPERATOR_RULES: readonly PolicyRule[] = [
  // Restarts [core|kube]dns pods that started before Cilium managed them.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['nodes', 'nodes/status'], verbs: ['patch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services/status'], verbs: ['update'] },
  { apiGroups: [''], resources: ['services', 'endpoints', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['cilium.io'],
    resources: [
      ...CILIUM_STATUS_RESOURCES.flatMap((r) => [r, `${r}/status`, `${r}/finalizers`]),
      'ciliumendpointslices',
      'ciliumloadbalancerippools',
      'ciliumloadbalancerippools/status',
      'ciliumcidrgroups',
      'ciliuml2announcementpolicies',
      'ciliuml2announcementpolicies/status',
      'ciliumpodippools',
    ],
    verbs: ['*'],
  },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create', 'get', 'list', 'update', 'watch'] },
  // Leader election among operator replicas.
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
];

const AGENT_RULES: readonly PolicyRule[] = [
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['namespaces', 'services', 'pods', 'endpoints', 'nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
  {
    apiGroups: ['cilium.io'],
    resources: [
      ...CILIUM_STATUS_RESOURCES.flatMap((r) => [r, `${r}/status`]),
      'ciliumegressnatpolicies',
      'ciliumendpointslices',
      'ciliumcidrgroups',
      'ciliuml2announcementpolicies',
      'ciliuml2announcementpolicies/status',
      'ciliumpodippools',
    ],
    verbs: ['*'],
  },
];

function operatorDeployment(options: ResolvedAddonOptions): KubeObject {
  const labels = { name: OPERATOR };
  const healthz = { httpGet: { scheme: 'HTTP', host: '127.0.0.1', port: 9234, path: '/healthz' }, timeoutSeconds: 3 };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: OPERATOR, namespace: ADDON_NAMESPACE },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9963' } },
        spec: {
          // On the host network: it hands out the pod addresses, so it cannot wait for one.
          hostNetwork: true,
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: OPERATOR,
          automountServiceAccountToken: true,
          enableServiceLinks: false,
          securityContext: RUNTIME_DEFAULT_SECCOMP,
          tolerations: [
            { key: CONTROLLER_TAINT, operator: 'Exists' },
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
          ],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }],
          containers: [
            {
              name: OPERATOR,
              image: options.images.ciliumOperator,
              command: ['cilium-operator-generic'],
              args: ['--config-dir=/tmp/cilium/config-map', '--debug=$(CILIUM_DEBUG)'],
              env: [
                fieldEnv('K8S_NODE_NAME', 'spec.nodeName'),
                fieldEnv('CILIUM_K8S_NAMESPACE', 'metadata.namespace'),
                ...IN_CLUSTER_API_ENV,
                configMapEnv('CILIUM_DEBUG', CILIUM_CONFIG_MAP, 'debug', true),
              ],
              ports: [
                { name: 'metrics', protocol: 'TCP', hostPort: 9963, containerPort: 9963 },
                { name: 'health', protocol: 'TCP', containerPort: 9234 },
              ],
              livenessProbe: { ...healthz, initialDelaySeconds: 60, periodSeconds: 10 },
              readinessProbe: { ...healthz, periodSeconds: 15, failureThreshold: 5 },
              volumeMounts: [{ name: 'config', mountPath: '/tmp/cilium/config-map', readOnly: true }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: CILIUM_CONFIG_MAP } }],
        },
      },
    },
  };
}

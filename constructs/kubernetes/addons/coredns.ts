/**
 * CoreDNS: the cluster's DNS at the service range's 10th address, run on the controllers when it
 * can (they are there from the start), two replicas or one per controller. As Typhoon's
 * (poseidon/typhoon `addons/coredns/*.tf` @7b8a5107, `deployment.tf` @10dd385c, which mirror
 * terraform-render-bootstrap `resources/coredns/`).
 */
import { CONTROLLER_LABEL, CONTROLLER_TAINT } from '../cluster-settings';
import type { ResolvedAddonOptions } from './addon-options';
import { ADDON_NAMESPACE, type KubeObject, RUNTIME_DEFAULT_SECCOMP, clusterRole, clusterRoleBinding, configMap, serviceAccount, serviceAccountSubject } from './kube-objects';

const NAME = 'coredns';
const POD_LABELS = { 'k8s-app': NAME, tier: 'control-plane' } as const;

export function renderCoreDns(options: ResolvedAddonOptions): KubeObject[] {
  return [
    serviceAccount(NAME),
    clusterRole('system:coredns', [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]),
    clusterRoleBinding('system:coredns', 'system:coredns', [serviceAccountSubject(NAME)]),
    configMap(NAME, { Corefile: corefile(options.clusterDomain) }),
    deployment(options),
    service(options),
  ];
}

function corefile(clusterDomain: string): string {
  return `.:53 {
    errors
    health {
      lameduck 5s
    }
    ready
    log . {
        class error
    }
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;
}

function deployment(options: ResolvedAddonOptions): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: ADDON_NAMESPACE, labels: { 'k8s-app': NAME, 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      // Two at least, so a rolling update or one lost node leaves DNS up.
      replicas: Math.max(2, options.controllerCount),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: POD_LABELS },
      template: {
        metadata: { labels: POD_LABELS },
        spec: {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: CONTROLLER_LABEL, operator: 'Exists' }] } }],
            },
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: {
                      matchExpressions: [
                        { key: 'tier', operator: 'In', values: ['control-plane'] },
                        { key: 'k8s-app', operator: 'In', values: [NAME] },
                      ],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          // The node's resolver, not the cluster's: CoreDNS is the cluster's.
          dnsPolicy: 'Default',
          priorityClassName: 'system-cluster-critical',
          securityContext: RUNTIME_DEFAULT_SECCOMP,
          serviceAccountName: NAME,
          automountServiceAccountToken: true,
          tolerations: [{ key: CONTROLLER_TAINT, operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: NAME,
              image: options.images.coredns,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
              securityContext: {
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              livenessProbe: {
                httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: NAME, items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

function service(options: ResolvedAddonOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: NAME,
      namespace: ADDON_NAMESPACE,
      labels: { 'k8s-app': NAME, 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9153' },
    },
    spec: {
      type: 'ClusterIP',
      // The address every kubelet's clusterDNS names.
      clusterIP: options.dnsServiceIp,
      selector: { 'k8s-app': NAME },
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53 },
      ],
    },
  };
}

/**
 * kube-proxy in ipvs mode on every node, reaching the apiservers through the API load balancer
 * (Service IPs are what it makes work), with health on :10256, the port worker autohealing probes.
 * As Typhoon's (poseidon/terraform-render-bootstrap `resources/manifests/kube-proxy.yaml` @016d4ebd,
 * `kubeconfig-in-cluster.yaml` @73fcee24), without its /etc/ssl/certs host mount: the kubeconfig
 * trusts the service account's CA only. Not rendered with Cilium, whose kube-proxy replacement
 * takes its place.
 */
import { renderJson } from '../json-manifest';
import type { ResolvedAddonOptions } from './addon-options';
import {
  ADDON_NAMESPACE,
  type KubeObject,
  RUNTIME_DEFAULT_SECCOMP,
  clusterRoleBinding,
  configMap,
  daemonSetTolerations,
  fieldEnv,
  hostPathVolume,
  serviceAccount,
  serviceAccountSubject,
} from './kube-objects';

const NAME = 'kube-proxy';
const KUBECONFIG_CONFIG_MAP = 'kubeconfig-in-cluster';
const POD_LABELS = { tier: 'node', 'k8s-app': NAME } as const;
/** The health port (`/healthz`) worker pools' autohealing checks. */
export const KUBE_PROXY_HEALTH_PORT = 10256;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function renderKubeProxy(options: ResolvedAddonOptions): KubeObject[] {
  return [
    serviceAccount(NAME),
    clusterRoleBinding(NAME, 'system:node-proxier', [serviceAccountSubject(NAME)]),
    configMap(KUBECONFIG_CONFIG_MAP, { kubeconfig: inClusterKubeconfig(options) }),
    daemonSet(options),
  ];
}

/** A kubeconfig with the pod's service account token, pointed at the load balancer. */
function inClusterKubeconfig(options: ResolvedAddonOptions): string {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'in-cluster',
        cluster: { server: `https://${options.apiServerHost}:${options.apiServerPort}`, 'certificate-authority': `${SERVICE_ACCOUNT_DIR}/ca.crt` },
      },
    ],
    users: [{ name: 'service-account', user: { tokenFile: `${SERVICE_ACCOUNT_DIR}/token` } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
    'current-context': 'in-cluster',
  };
  return renderJson(kubeconfig);
}

function daemonSet(options: ResolvedAddonOptions): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAME, namespace: ADDON_NAMESPACE, labels: POD_LABELS },
    spec: {
      selector: { matchLabels: POD_LABELS },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: POD_LABELS },
        spec: {
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          securityContext: RUNTIME_DEFAULT_SECCOMP,
          serviceAccountName: NAME,
          automountServiceAccountToken: true,
          tolerations: daemonSetTolerations(),
          containers: [
            {
              name: NAME,
              image: options.images.kubeProxy,
              command: [
                'kube-proxy',
                `--cluster-cidr=${options.podCidr}`,
                '--hostname-override=$(NODE_NAME)',
                '--kubeconfig=/etc/kubernetes/kubeconfig',
                '--metrics-bind-address=0.0.0.0',
                '--proxy-mode=ipvs',
              ],
              env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
              ports: [
                { name: 'metrics', containerPort: 10249 },
                { name: 'health', containerPort: KUBE_PROXY_HEALTH_PORT },
              ],
              livenessProbe: { httpGet: { path: '/healthz', port: KUBE_PROXY_HEALTH_PORT }, initialDelaySeconds: 15, timeoutSeconds: 15 },
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'kubeconfig', mountPath: '/etc/kubernetes', readOnly: true },
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
              ],
            },
          ],
          volumes: [
            { name: 'kubeconfig', configMap: { name: KUBECONFIG_CONFIG_MAP } },
            hostPathVolume('lib-modules', '/lib/modules'),
            // Shares the iptables lock with the host and other pods.
            hostPathVolume('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
          ],
        },
      },
    },
  };
}

/**
 * flannel (the `networking: 'flannel'` option): a vxlan overlay on UDP 8472 whose per-node subnets
 * come from the nodes' podCIDRs (`--kube-subnet-mgr`: no etcd of its own), with an init container
 * that installs the CNI plugins and config on the host. As Typhoon's (poseidon/typhoon
 * `addons/flannel/*.tf` @7b8a5107, `daemonset.tf` @036fc74d, `config.tf` @1955b238).
 */
import { renderJson } from '../json-manifest';
import type { ResolvedAddonOptions } from './addon-options';
import {
  ADDON_NAMESPACE,
  type KubeObject,
  RUNTIME_DEFAULT_SECCOMP,
  clusterRole,
  clusterRoleBinding,
  configMap,
  configMapEnv,
  daemonSetTolerations,
  fieldEnv,
  hostPathVolume,
  serviceAccount,
  serviceAccountSubject,
} from './kube-objects';

const NAME = 'flannel';
const CONFIG_MAP = 'flannel-config';
/** flannel's vxlan port (the Linux default), which the firewall opens between nodes. */
export const FLANNEL_VXLAN_PORT = 8472;

export function renderFlannel(options: ResolvedAddonOptions): KubeObject[] {
  return [
    serviceAccount(NAME),
    clusterRole(NAME, [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
    ]),
    clusterRoleBinding(NAME, NAME, [serviceAccountSubject(NAME)]),
    configMap(CONFIG_MAP, { 'cni-conf.json': cniConfig(), 'net-conf.json': netConfig(options.podCidr) }, { 'k8s-app': NAME, tier: 'node' }),
    daemonSet(options),
  ];
}

function cniConfig(): string {
  const config = {
    name: 'cbr0',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return renderJson(config);
}

function netConfig(podCidr: string): string {
  return renderJson({ Network: podCidr, Backend: { Type: 'vxlan', Port: FLANNEL_VXLAN_PORT } });
}

function daemonSet(options: ResolvedAddonOptions): KubeObject {
  const labels = { 'k8s-app': NAME };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAME, namespace: ADDON_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName: NAME,
          automountServiceAccountToken: true,
          securityContext: RUNTIME_DEFAULT_SECCOMP,
          tolerations: daemonSetTolerations(),
          initContainers: [
            {
              name: 'install-cni',
              image: options.images.flannelCni,
              command: ['/install-cni.sh'],
              env: [configMapEnv('CNI_NETWORK_CONFIG', CONFIG_MAP, 'cni-conf.json')],
              volumeMounts: [
                { name: 'cni-bin-dir', mountPath: '/host/opt/cni/bin/' },
                { name: 'cni-conf-dir', mountPath: '/host/etc/cni/net.d' },
              ],
            },
          ],
          containers: [
            {
              name: NAME,
              image: options.images.flannel,
              command: ['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr', '--iface=$(POD_IP)'],
              env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace'), fieldEnv('POD_IP', 'status.podIP')],
              securityContext: { privileged: true },
              resources: { requests: { cpu: '100m' } },
              volumeMounts: [
                { name: 'flannel-config', mountPath: '/etc/kube-flannel/' },
                { name: 'run-flannel', mountPath: '/run/flannel' },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
              ],
            },
          ],
          volumes: [
            { name: 'flannel-config', configMap: { name: CONFIG_MAP } },
            hostPathVolume('run-flannel', '/run/flannel'),
            hostPathVolume('cni-bin-dir', '/opt/cni/bin'),
            hostPathVolume('cni-conf-dir', '/etc/cni/net.d', 'DirectoryOrCreate'),
            // Shares the iptables lock with the host and other pods.
            hostPathVolume('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
          ],
        },
      },
    },
  };
}

/**
 * The Cilium agent DaemonSet: on every node, it installs the CNI plugin, mounts the cgroup2 and
 * BPF filesystems it needs, and runs the datapath, reaching the apiservers through the
 * `in-cluster` ConfigMap (Service IPs are what it makes work). As Typhoon's (poseidon/typhoon
 * `addons/cilium/daemonset.tf` @065dacbd, which mirrors terraform-render-bootstrap
 * `resources/cilium/daemonset.yaml`).
 */
import { IN_CLUSTER_CONFIG_MAP } from './bootstrap-rbac';
import type { ResolvedAddonOptions } from './addon-options';
import { CILIUM_CONFIG_MAP } from './cilium-config';
import { ADDON_NAMESPACE, type KubeObject, RUNTIME_DEFAULT_SECCOMP, configMapEnv, daemonSetTolerations, fieldEnv, hostPathVolume } from './kube-objects';

export const CILIUM_AGENT = 'cilium-agent';

/** The API address every Cilium container uses in place of the `kubernetes` Service. */
export const IN_CLUSTER_API_ENV = [
  configMapEnv('KUBERNETES_SERVICE_HOST', IN_CLUSTER_CONFIG_MAP, 'apiserver-host'),
  configMapEnv('KUBERNETES_SERVICE_PORT', IN_CLUSTER_CONFIG_MAP, 'apiserver-port'),
] as const;

export function ciliumAgentDaemonSet(options: ResolvedAddonOptions): KubeObject {
  const image = options.images.cilium;
  const privileged = { privileged: true };
  const statusProbe = { exec: { command: ['cilium', 'status', '--brief'] }, timeoutSeconds: 5, successThreshold: 1 };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'cilium', namespace: ADDON_NAMESPACE, labels: { 'k8s-app': 'cilium' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': CILIUM_AGENT } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': CILIUM_AGENT }, annotations: { 'prometheus.io/port': '9962', 'prometheus.io/scrape': 'true' } },
        spec: {
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName: CILIUM_AGENT,
          automountServiceAccountToken: true,
          enableServiceLinks: false,
          securityContext: RUNTIME_DEFAULT_SECCOMP,
          tolerations: daemonSetTolerations(),
          initContainers: [
            {
              name: 'install-cni',
              image,
              command: ['/install-plugin.sh'],
              securityContext: { privileged: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' }],
            },
            {
              // Mounts cgroup2 in the host's namespaces with Cilium's static binary, copied to
              // where the host can execute it. `$BIN_PATH`, not Typhoon's `${BIN_PATH}`: the text
              // may travel inside a Terraform string, where `${` starts an interpolation.
              name: 'mount-cgroup',
              image,
              command: [
                'sh',
                '-ec',
                'cp /usr/bin/cilium-mount /hostbin/cilium-mount && nsenter --cgroup=/hostproc/1/ns/cgroup --mount=/hostproc/1/ns/mnt "$BIN_PATH/cilium-mount" $CGROUP_ROOT; rm /hostbin/cilium-mount',
              ],
              env: [
                { name: 'CGROUP_ROOT', value: '/run/cilium/cgroupv2' },
                { name: 'BIN_PATH', value: '/opt/cni/bin' },
              ],
              securityContext: privileged,
              volumeMounts: [
                { name: 'hostproc', mountPath: '/hostproc' },
                { name: 'cni-bin-dir', mountPath: '/hostbin' },
              ],
            },
            {
              name: 'clean-cilium-state',
              image,
              command: ['/init-container.sh'],
              securityContext: privileged,
              volumeMounts: [
                { name: 'sys-fs-bpf', mountPath: '/sys/fs/bpf' },
                { name: 'var-run-cilium', mountPath: '/var/run/cilium' },
                { name: 'cilium-cgroup', mountPath: '/run/cilium/cgroupv2', mountPropagation: 'HostToContainer' },
              ],
            },
          ],
          containers: [
            {
              name: CILIUM_AGENT,
              image,
              command: ['cilium-agent'],
              args: ['--config-dir=/tmp/cilium/config-map'],
              env: [fieldEnv('K8S_NODE_NAME', 'spec.nodeName'), fieldEnv('CILIUM_K8S_NAMESPACE', 'metadata.namespace'), ...IN_CLUSTER_API_ENV],
              ports: [
                { name: 'peer-service', protocol: 'TCP', containerPort: 4244 },
                { name: 'metrics', protocol: 'TCP', containerPort: 9962 },
                { name: 'envoy-metrics', protocol: 'TCP', containerPort: 9964 },
                { name: 'hubble-metrics', protocol: 'TCP', containerPort: 9965 },
                { name: 'health', protocol: 'TCP', containerPort: 9876 },
              ],
              lifecycle: { preStop: { exec: { command: ['/cni-uninstall.sh'] } } },
              securityContext: privileged,
              livenessProbe: { ...statusProbe, initialDelaySeconds: 120, periodSeconds: 30, failureThreshold: 10 },
              readinessProbe: { ...statusProbe, initialDelaySeconds: 5, periodSeconds: 20, failureThreshold: 3 },
              volumeMounts: [
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                { name: 'var-run-cilium', mountPath: '/var/run/cilium' },
                // Bidirectional: BPF maps pinned here outlive the container.
                { name: 'sys-fs-bpf', mountPath: '/sys/fs/bpf', mountPropagation: 'Bidirectional' },
                { name: 'config', mountPath: '/tmp/cilium/config-map', readOnly: true },
                { name: 'cni-conf-dir', mountPath: '/host/etc/cni/net.d' },
                { name: 'hubble-tls', mountPath: '/var/lib/cilium/tls/hubble', readOnly: true },
              ],
            },
          ],
          terminationGracePeriodSeconds: 1,
          volumes: [
            hostPathVolume('lib-modules', '/lib/modules'),
            hostPathVolume('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
            hostPathVolume('var-run-cilium', '/var/run/cilium', 'DirectoryOrCreate'),
            hostPathVolume('sys-fs-bpf', '/sys/fs/bpf', 'DirectoryOrCreate'),
            hostPathVolume('hostproc', '/proc', 'Directory'),
            hostPathVolume('cilium-cgroup', '/run/cilium/cgroupv2', 'DirectoryOrCreate'),
            { name: 'config', configMap: { name: CILIUM_CONFIG_MAP } },
            hostPathVolume('cni-bin-dir', '/opt/cni/bin', 'DirectoryOrCreate'),
            hostPathVolume('cni-conf-dir', '/etc/cni/net.d', 'DirectoryOrCreate'),
            {
              name: 'hubble-tls',
              projected: {
                defaultMode: 0o400,
                sources: [
                  {
                    secret: {
                      name: 'hubble-server-certs',
                      optional: true,
                      items: [
                        { key: 'ca.crt', path: 'client-ca.crt' },
                        { key: 'tls.crt', path: 'server.crt' },
                        { key: 'tls.key', path: 'server.key' },
                      ],
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    },
  };
}

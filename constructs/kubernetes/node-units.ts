/**
 * The systemd units and small files every Kubernetes node gets, as Typhoon's Flatcar Butane
 * configs have them (poseidon/typhoon `google-cloud/flatcar-linux/kubernetes/workers/butane/worker.yaml`
 * and `butane/controller.yaml`): the kubelet run by docker from Typhoon's kubelet image, a wait for
 * DNS before it, a logind inhibitor delay for graceful shutdown, and more inotify watches.
 * Differences, each for a reason: the kubelet's CA file is delivered as a file, not cut out of the
 * kubeconfig with grep and awk (ours is JSON); no Calico directory (Typhoon dropped Calico); the
 * kubelet image comes from the options. Pure module (no cdktf).
 */
import { KUBELET_CONFIG_FILE, KUBECONFIGS, KUBERNETES_DIR, MANIFESTS_DIR } from './cluster-settings';

export const KUBELET_UNIT = 'kubelet.service';
export const WAIT_FOR_DNS_UNIT = 'wait-for-dns.service';
/** Grace the kubelet gets at shutdown to stop pods (its shutdownGracePeriod, 45 s, must fit). */
export const LOGIND_INHIBITORS = { path: '/etc/systemd/logind.conf.d/inhibitors.conf', contents: '[Login]\nInhibitDelayMaxSec=45s\n' } as const;
/** Typhoon's value: enough inotify watches for many pods' config and log watchers. */
export const MAX_USER_WATCHES = { path: '/etc/sysctl.d/max-user-watches.conf', contents: 'fs.inotify.max_user_watches=16184\n' } as const;

/** Host paths the kubelet's container sees, and how (read-only unless it writes there). */
const KUBELET_MOUNTS: readonly string[] = [
  '/etc/cni/net.d:/etc/cni/net.d:ro',
  `${KUBERNETES_DIR}:${KUBERNETES_DIR}:ro`,
  '/etc/machine-id:/etc/machine-id:ro',
  '/usr/lib/os-release:/etc/os-release:ro',
  '/lib/modules:/lib/modules:ro',
  '/run:/run',
  '/sys/fs/cgroup:/sys/fs/cgroup',
  '/var/lib/containerd:/var/lib/containerd',
  '/var/lib/kubelet:/var/lib/kubelet:rshared',
  '/var/log:/var/log',
  '/opt/cni/bin:/opt/cni/bin',
];

/** Directories the kubelet or the CNI expect before the kubelet starts. */
const KUBELET_DIRS: readonly string[] = ['/etc/cni/net.d', MANIFESTS_DIR, '/opt/cni/bin', '/var/lib/kubelet/volumeplugins'];

export interface KubeletUnitOptions {
  /** The kubelet image, e.g. `quay.io/poseidon/kubelet:v1.36.2`. */
  readonly image: string;
  /** The kubelet's flags (kubelet-config.ts `kubeletFlags`). */
  readonly flags: readonly string[];
  /**
   * Units the kubelet must start after (e.g. `fetch-secrets.service` on controllers).
   * @default - none beyond docker
   */
  readonly after?: readonly string[];
}

const FLAG = /^--[a-z0-9-]+(=[^\s'"\\$%]*)?$/;

/**
 * kubelet.service: `docker run -d` of the kubelet image (privileged, host PID and network), then
 * `docker logs -f` as the main process, so systemd sees the kubelet's life and logs; restarted
 * always. Flags may hold no spaces, quotes, `$`, `%` or backslashes (each is one word to systemd).
 */
export function kubeletUnit(options: KubeletUnitOptions): string {
  const bad = options.flags.filter((flag) => !FLAG.test(flag));
  if (bad.length > 0) throw new Error(`kubelet flags must be --name or --name=value without spaces, quotes, $, % or \\ (got ${bad.map((b) => JSON.stringify(b)).join(', ')})`);
  const after = ['docker.service', ...(options.after ?? [])].join(' ');
  const run = [
    '/usr/bin/docker run -d',
    '--name kubelet',
    '--privileged',
    '--pid host',
    '--network host',
    ...KUBELET_MOUNTS.map((mount) => `-v ${mount}`),
    '${KUBELET_IMAGE}',
    ...options.flags,
  ].join(' \\\n  ');
  return `[Unit]
Description=Kubelet
Requires=docker.service
After=${after}
Wants=rpc-statd.service

[Service]
Environment=KUBELET_IMAGE=${options.image}
${KUBELET_DIRS.map((dir) => `ExecStartPre=/bin/mkdir -p ${dir}`).join('\n')}
ExecStartPre=-/usr/bin/docker rm --force kubelet
ExecStartPre=${run}
ExecStart=/usr/bin/docker logs -f kubelet
ExecStop=/usr/bin/docker stop kubelet
ExecStopPost=-/usr/bin/docker rm kubelet
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;
}

/** Holds the kubelet back until /etc/resolv.conf has a name server line (Typhoon's wait-for-dns). */
export function waitForDnsUnit(): string {
  return `[Unit]
Description=Wait for DNS entries
Wants=systemd-resolved.service
Before=${KUBELET_UNIT}

[Service]
Type=oneshot
RemainAfterExit=true
ExecStart=/bin/sh -c 'while ! /usr/bin/grep "^[^#[:space:]]" /etc/resolv.conf > /dev/null; do sleep 1; done'

[Install]
RequiredBy=${KUBELET_UNIT}
`;
}

/** Where the kubelet finds what it starts from: bootstrap kubeconfig and configuration. */
export const KUBELET_FILES = { bootstrapKubeconfig: KUBECONFIGS.bootstrap, config: KUBELET_CONFIG_FILE } as const;

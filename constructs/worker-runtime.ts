/**
 * The container runtime of a ContainerLinuxCluster's workers, as systemd units the cluster adds to
 * every pool's config (docs/workers.md §2):
 *
 *   containerd.service (Flatcar's) → flannel-config.service → flanneld.service → docker.service → worker-health.service
 *
 * - `flannel-config.service` writes flannel's network config to etcd with the v3 API
 *   (`etcdctl put /coreos.com/network/config ...`, its endpoints and client certificate from
 *   /etc/etcd/etcdctl.env), retrying until etcd answers;
 * - `flanneld.service` runs flannel's image with containerd's `ctr` (not docker, not Flatcar's
 *   flannel-wrapper, which runs `docker run` and so needs the daemon it configures), talks to etcd
 *   with the workers' client certificate (mounted read-only from /etc/ssl/etcd), and is active
 *   once flannel holds a subnet lease and has written docker's options;
 * - a drop-in makes `docker.service` wait for those options (`--bip`, `--mtu`), without requiring
 *   flanneld, so a flannel restart does not restart docker and its containers;
 * - `worker-health.service` answers the pool's HTTP health check from a container on docker's
 *   bridge, and is bound to flanneld (docs/workers.md §3).
 */
import type { SystemdUnitConfig } from '../transpiler';
import { ETCD_SSL_DIR, ETCDCTL_ENV_FILE, type TlsFileNames } from './etcd-tls';

/** The flannel release the workers run by default: the newest v0.2x release found (docs/workers.md §1). */
export const DEFAULT_FLANNEL_VERSION = '0.28.9';
/** Where flannel's images are published; the tag is `v<flannelVersion>`. */
export const FLANNEL_IMAGE_REPOSITORY = 'docker.io/flannel/flannel';
/**
 * The first flannel release known to run its etcd subnet manager on etcd's v3 client: the switch is
 * flannel PR #1562 (May 2022), after v0.17.0; v0.18.1 (June 2022) is the first release certainly
 * after it (docs/workers.md §1).
 */
export const MIN_FLANNEL_VERSION = '0.18.1';
/** flannel's `--etcd-prefix` (its default); the network config is `<prefix>/config`. */
export const FLANNEL_ETCD_PREFIX = '/coreos.com/network';
export const FLANNEL_CONFIG_KEY = `${FLANNEL_ETCD_PREFIX}/config`;
/** Written by flannel (its `--subnet-file` default). */
export const FLANNEL_SUBNET_FILE = '/run/flannel/subnet.env';
/** Read by Flatcar's docker.service (`EnvironmentFile=-`, `$DOCKER_OPT_BIP $DOCKER_OPT_MTU $DOCKER_OPT_IPMASQ`). */
export const DOCKER_OPTS_FILE = '/run/flannel/flannel_docker_opts.env';
/** containerd namespace of the flannel container (docker's own containers live in `moby`). */
export const FLANNEL_CTR_NAMESPACE = 'flannel';

/** The port the workers' health endpoint listens on (docs/workers.md §3). */
export const WORKER_HEALTH_PORT = 9876;
export const WORKER_HEALTH_PATH = '/healthz';
/** The image the health endpoint runs: busybox's httpd, from Docker Hub like flannel's image. */
export const WORKER_HEALTH_IMAGE = 'docker.io/library/busybox:1.37.0';

export const FLANNEL_CONFIG_UNIT = 'flannel-config.service';
export const FLANNELD_UNIT = 'flanneld.service';
export const DOCKER_UNIT = 'docker.service';
export const DOCKER_FLANNEL_DROPIN = '40-flannel.conf';
export const WORKER_HEALTH_UNIT = 'worker-health.service';

export interface WorkerRuntimeOptions {
  /** etcd client URLs, e.g. `https://demo-etcd-0.us-central1-a.c.PROJECT.internal:2379`. */
  readonly etcdEndpoints: readonly string[];
  /** Host paths of the CA certificate and the workers' client certificate and key (in /etc/ssl/etcd). */
  readonly etcdTls: TlsFileNames;
  /** flannel's overlay network, e.g. `10.2.0.0/16`. */
  readonly podCidr: string;
  /** A flannel release, e.g. `0.28.9` (a leading `v` is accepted). */
  readonly flannelVersion: string;
  /** The health endpoint's port on the host. */
  readonly healthPort: number;
  /** The health endpoint's path. */
  readonly healthPath: string;
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;

/** `docker.io/flannel/flannel:v0.28.9` for `0.28.9` or `v0.28.9`. */
export function flannelImage(version: string): string {
  return `${FLANNEL_IMAGE_REPOSITORY}:v${version.replace(/^v/, '')}`;
}

/** What is wrong with a flannelVersion (empty when nothing is). */
export function flannelVersionProblems(version: string): string[] {
  const m = VERSION.exec(version);
  if (!m) return [`flannelVersion "${version}" is not a flannel release such as "${DEFAULT_FLANNEL_VERSION}"`];
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major === 0 && (minor < 18 || (minor === 18 && patch < 1))) {
    return [
      `flannelVersion ${version} reads its network config through etcd's v2 API, which etcd 3.4+ turns off and Flatcar's etcdctl no longer writes: use ${MIN_FLANNEL_VERSION} or later (default ${DEFAULT_FLANNEL_VERSION})`,
    ];
  }
  return [];
}

/** What is wrong with a health-check path the worker-health container serves (empty when nothing is). */
export function healthPathProblems(path: string): string[] {
  const segments = path.split('/').slice(1);
  const ok = path.startsWith('/') && (path === '/' || segments.every((s) => /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/.test(s) && s !== '.' && s !== '..'));
  return ok ? [] : [`healthCheckPath "${path}" must be "/" or "/" followed by segments of A-Z, a-z, 0-9, ".", "_", "~" and "-" (no empty, "." or ".." segment)`];
}

/** The network config flannel reads from etcd: the pod network on the VXLAN backend (UDP 8472). */
export function flannelNetworkConfig(podCidr: string): string {
  return JSON.stringify({ Network: podCidr, Backend: { Type: 'vxlan' } });
}

/** The units every worker of a cluster gets, in start order (docs/workers.md §2). */
export function workerRuntimeUnits(options: WorkerRuntimeOptions): SystemdUnitConfig[] {
  const endpoints = options.etcdEndpoints.join(',');
  return [
    { name: FLANNEL_CONFIG_UNIT, enabled: true, contents: flannelConfigUnit(options.podCidr) },
    { name: FLANNELD_UNIT, enabled: true, contents: flanneldUnit(endpoints, flannelImage(options.flannelVersion), options.etcdTls) },
    { name: DOCKER_UNIT, enabled: true, dropins: [{ name: DOCKER_FLANNEL_DROPIN, contents: dockerFlannelDropin() }] },
    { name: WORKER_HEALTH_UNIT, enabled: true, contents: workerHealthUnit(options.healthPort, options.healthPath) },
  ];
}

/**
 * A oneshot that puts flannel's network config into etcd (v3 API) and stays active. `put` of the
 * same value is idempotent: every worker writes the cluster's one config. It retries (every 5 s)
 * until etcd answers; flanneld, started meanwhile, polls for the key every second. etcdctl reads
 * its endpoints and certificate from ETCDCTL_ENV_FILE (the same options as flags would conflict).
 */
export function flannelConfigUnit(podCidr: string): string {
  return `[Unit]
Description=flannel network config in etcd (v3 API)
Documentation=https://github.com/flannel-io/flannel/blob/master/Documentation/configuration.md
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
Restart=on-failure
RestartSec=5
EnvironmentFile=${ETCDCTL_ENV_FILE}
ExecStart=/usr/bin/etcdctl --dial-timeout=5s --command-timeout=10s put ${FLANNEL_CONFIG_KEY} '${flannelNetworkConfig(podCidr)}'

[Install]
WantedBy=multi-user.target
`;
}

/**
 * flanneld in flannel's image, run by containerd's `ctr` on the host network. A failed pull is
 * let through: a cached image still runs while the registry is away, and without one `ctr run`
 * fails and systemd tries again in 10 s. The unit is active once flannel has a lease: ExecStartPost waits for its subnet file and turns it into docker's
 * options file (`$$` and `%%` are systemd's escapes for `$` and `%`). Upholds the health unit, so
 * that it comes back whenever flanneld does.
 */
export function flanneldUnit(endpoints: string, image: string, tls: TlsFileNames): string {
  const ctr = `/usr/bin/ctr --namespace=${FLANNEL_CTR_NAMESPACE}`;
  const mount = (path: string, mode = 'rw') => `--mount=type=bind,src=${path},dst=${path},options=rbind:${mode}`;
  const etcdTls = `--etcd-cafile=${tls.ca} --etcd-certfile=${tls.cert} --etcd-keyfile=${tls.key}`;
  const dockerOpts =
    `until [ -s ${FLANNEL_SUBNET_FILE} ]; do sleep 1; done; . ${FLANNEL_SUBNET_FILE} && ` +
    `printf "DOCKER_OPT_BIP=--bip=%%s\\\\nDOCKER_OPT_MTU=--mtu=%%s\\\\nDOCKER_OPT_IPMASQ=--ip-masq=false\\\\n" "$$FLANNEL_SUBNET" "$$FLANNEL_MTU" > ${DOCKER_OPTS_FILE}.tmp && ` +
    `mv ${DOCKER_OPTS_FILE}.tmp ${DOCKER_OPTS_FILE}`;
  return `[Unit]
Description=flannel overlay network (etcd v3 API, run by containerd's ctr)
Documentation=https://github.com/flannel-io/flannel
Requires=containerd.service
Wants=${FLANNEL_CONFIG_UNIT} network-online.target
After=containerd.service ${FLANNEL_CONFIG_UNIT} network-online.target
Upholds=${WORKER_HEALTH_UNIT}

[Service]
Type=simple
Restart=always
RestartSec=10
TimeoutStartSec=300
Environment=FLANNEL_IMAGE=${image}
ExecStartPre=-/sbin/modprobe -a ip_tables vxlan
ExecStartPre=/usr/bin/mkdir -p /run/flannel
ExecStartPre=/usr/bin/touch /run/xtables.lock
ExecStartPre=/usr/bin/rm -f ${FLANNEL_SUBNET_FILE} ${DOCKER_OPTS_FILE}
ExecStartPre=-${ctr} task delete --force flanneld
ExecStartPre=-${ctr} container delete flanneld
ExecStartPre=-${ctr} image pull \${FLANNEL_IMAGE}
ExecStart=${ctr} run --rm --net-host --privileged ${mount('/run/flannel')} ${mount('/run/xtables.lock')} ${mount(ETCD_SSL_DIR, 'ro')} \${FLANNEL_IMAGE} flanneld /opt/bin/flanneld --ip-masq --etcd-endpoints=${endpoints} ${etcdTls} --etcd-prefix=${FLANNEL_ETCD_PREFIX}
ExecStartPost=/bin/sh -c '${dockerOpts}'
ExecStopPost=-${ctr} task delete --force flanneld
ExecStopPost=-${ctr} container delete flanneld

[Install]
WantedBy=multi-user.target
`;
}

/**
 * docker after flanneld, with flannel's subnet: Flatcar's docker.service reads the options file
 * (`EnvironmentFile=-`) and passes `$DOCKER_OPT_BIP $DOCKER_OPT_MTU $DOCKER_OPT_IPMASQ`; the drop-in
 * waits for the file (docker.service has `TimeoutStartSec=0`). Wants=, not Requires=: restarting
 * flanneld must not restart docker.
 */
export function dockerFlannelDropin(): string {
  return `[Unit]
Wants=${FLANNELD_UNIT}
After=${FLANNELD_UNIT}

[Service]
EnvironmentFile=-${DOCKER_OPTS_FILE}
ExecStartPre=/bin/sh -c 'until [ -s ${DOCKER_OPTS_FILE} ]; do sleep 1; done'
`;
}

/**
 * `200 ok` at http://HOST:port/path from busybox's httpd in a container on docker's bridge (the
 * flannel subnet), published through docker's NAT: it fails when docker, its bridge or its
 * iptables rules are broken, and stops with flanneld (BindsTo=).
 */
export function workerHealthUnit(port: number, path: string): string {
  const file = path === '/' ? '/www/index.html' : `/www${path}`;
  const dir = file.slice(0, file.lastIndexOf('/'));
  return `[Unit]
Description=worker health endpoint :${port}${path} (a container on docker's flannel bridge)
Requires=${DOCKER_UNIT}
BindsTo=${FLANNELD_UNIT}
After=${DOCKER_UNIT} ${FLANNELD_UNIT}

[Service]
Restart=always
RestartSec=10
ExecStartPre=-/usr/bin/docker rm --force worker-health
ExecStart=/usr/bin/docker run --rm --name=worker-health --publish=${port}:8080 ${WORKER_HEALTH_IMAGE} sh -c 'mkdir -p ${dir} && echo ok > ${file} && exec httpd -f -p 8080 -h /www'
ExecStop=/usr/bin/docker stop --time=2 worker-health

[Install]
WantedBy=multi-user.target
`;
}

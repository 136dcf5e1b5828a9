/**
 * ContainerLinuxCluster: network + etcd + workers, wired by tags and endpoints. The workers' runtime
 * (docs/workers.md): the exact unit graph, the argv and environment systemd would run for each
 * command (etcd over mutual TLS with the workers' client certificate, fetched from the cluster's
 * bucket at boot), and, where the machine allows, the shell steps run by /bin/sh in a private /run.
 */
import 'cdktf/lib/testing/adapters/jest';
import { spawnSync } from 'node:child_process';
import { DefaultTokenResolver, StringConcat, TerraformVariable, Tokenization } from 'cdktf';
import { ContainerLinuxCluster, type ContainerLinuxClusterProps } from '../../constructs/container-linux-cluster';
import { SecretDelivery } from '../../constructs/etcd-tls';
import { FETCH_SECRETS_SH } from '../../constructs/secret-fetch';
import { STORAGE_READ_SCOPE } from '../../constructs/secret-store';
import { DEFAULT_FLANNEL_VERSION, FLANNEL_CONFIG_KEY, flannelNetworkConfig } from '../../constructs/worker-runtime';
import { describeIfAvailable } from '../etcd-cluster/gate';
import { parseEnvironmentFile, parseUnitFile, serviceCommands, type FileReader } from '../etcd-cluster/systemd-exec';
import { evaluateTemplate } from '../etcd-cluster/terraform-template';
import { decodeUserData, fileOf, newStack, resourceNamed, resourcesOf, synthJson, warningsOf, type Json } from './cluster-helpers';

const PROPS: ContainerLinuxClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project' };
const ENDPOINTS =
  'https://demo-etcd-0.us-central1-a.c.my-project.internal:2379,https://demo-etcd-1.us-central1-b.c.my-project.internal:2379,https://demo-etcd-2.us-central1-c.c.my-project.internal:2379';
const RUNTIME_UNITS = ['flannel-config.service', 'flanneld.service', 'docker.service', 'worker-health.service'];
/** The workers' client certificate files, where fetch-secrets.service installs them. */
const CLIENT_TLS = { ca: '/etc/ssl/etcd/ca.pem', cert: '/etc/ssl/etcd/client.pem', key: '/etc/ssl/etcd/client-key.pem' };
/** etcdctl's environment on a worker: its endpoints and the workers' client certificate. */
const WORKER_ETCDCTL_ENV = `ETCDCTL_API=3\nETCDCTL_ENDPOINTS=${ENDPOINTS}\nETCDCTL_CACERT=${CLIENT_TLS.ca}\nETCDCTL_CERT=${CLIENT_TLS.cert}\nETCDCTL_KEY=${CLIENT_TLS.key}\n`;
const REQUIRES_FETCH = '[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n';

/**
 * Flatcar's docker.service as far as the argv goes: flatcar/scripts
 * sdk_container/src/third_party/coreos-overlay/coreos/sysext/docker/usr/lib/systemd/system/docker.service
 * at dc8f5a5669e8765a1ba48a7bd34af4d5c09ba683 (the [Service] lines that decide dockerd's argv).
 */
const FLATCAR_DOCKER_SERVICE = `[Unit]
Description=Docker Application Container Engine
After=containerd.service docker.socket network-online.target
Wants=network-online.target
Requires=containerd.service docker.socket

[Service]
Type=notify
EnvironmentFile=-/run/flannel/flannel_docker_opts.env
Environment=DOCKER_SELINUX=--selinux-enabled=true
Environment=DOCKER_NVIDIA=--add-runtime=nvidia=nvidia-container-runtime
ExecStart=/usr/bin/dockerd --host=fd:// --containerd=/var/run/docker/libcontainerd/docker-containerd.sock $DOCKER_NVIDIA $DOCKER_SELINUX $DOCKER_OPTS $DOCKER_CGROUPS $DOCKER_OPT_BIP $DOCKER_OPT_MTU $DOCKER_OPT_IPMASQ
TimeoutStartSec=0
`;
/** Flatcar's containerd.service's ordering (same tree, coreos/sysext/containerd, at 2ebadf02). */
const FLATCAR_CONTAINERD_AFTER = ['network.target'];

/** What flannel writes to /run/flannel/subnet.env (flannel's pkg/subnet WriteSubnetFile). */
const SUBNET_ENV = 'FLANNEL_NETWORK=10.2.0.0/16\nFLANNEL_SUBNET=10.2.34.1/24\nFLANNEL_MTU=1410\nFLANNEL_IPMASQ=true\n';

function synthCluster(props: Partial<ContainerLinuxClusterProps> = {}, extend?: (cluster: ContainerLinuxCluster) => void): { cluster: ContainerLinuxCluster; terraform: Json } {
  const stack = newStack();
  const cluster = new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, ...props });
  extend?.(cluster);
  return { cluster, terraform: synthJson(stack) };
}

function portsOf(rule: Json): string[] {
  return rule.allow.flatMap((a: Json) => a.ports ?? ['all']);
}

function unitNamed(ignition: Json, name: string): Json {
  const found = (ignition.systemd?.units ?? []).filter((u: Json) => u.name === name);
  expect(found.map((u: Json) => u.name)).toEqual([name]);
  return found[0];
}

/** The texts systemd reads for a unit, in order: its contents (or `base`), then its drop-ins. */
function unitFiles(ignition: Json, name: string, base?: string): { name: string; text: string }[] {
  const unit = unitNamed(ignition, name);
  const main = unit.contents ?? base;
  return [...(main === undefined ? [] : [{ name, text: main as string }]), ...(unit.dropins ?? []).map((d: Json) => ({ name: d.name, text: d.contents }))];
}

/** Every value of `key` in `section`, words split as systemd's dependency lists are. */
function listOf(files: readonly { text: string }[], section: string, key: string): string[] {
  return files.flatMap((f) => parseUnitFile(f.text).filter((a) => a.section === section && a.key === key)).flatMap((a) => a.value.split(/\s+/).filter(Boolean));
}

const DEPENDENCY_KEYS = ['Requires', 'Requisite', 'Wants', 'BindsTo', 'PartOf', 'Upholds', 'After', 'Before', 'Conflicts'];

/** A unit's [Unit] dependencies, only the keys it sets. */
function dependenciesOf(files: readonly { text: string }[]): Record<string, string[]> {
  return Object.fromEntries(DEPENDENCY_KEYS.map((key) => [key, listOf(files, 'Unit', key)]).filter(([, v]) => v.length > 0));
}


/** Reads /etc/etcd/etcdctl.env (flannel-config's EnvironmentFile=) from the node's own Ignition. */
function etcdctlEnvOf(ignition: Json): FileReader {
  return (path) => (path === '/etc/etcd/etcdctl.env' ? fileOf(ignition, path).text : undefined);
}

/** Orders units by After= (Before= folded in); throws on a cycle. */
function startOrder(after: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (unit: string, path: string[]): void => {
    if (state.get(unit) === 'done') return;
    if (state.get(unit) === 'visiting') throw new Error(`ordering cycle: ${[...path, unit].join(' -> ')}`);
    state.set(unit, 'visiting');
    for (const dep of after.get(unit) ?? []) visit(dep, [...path, unit]);
    state.set(unit, 'done');
    order.push(unit);
  };
  for (const unit of [...after.keys()].sort()) visit(unit, []);
  return order;
}

describe('a default cluster', () => {
  const { cluster, terraform } = synthCluster({}, (c) =>
    c.addWorkerPool('spot', { name: 'demo-spot', size: 2, spot: true, machineType: 'e2-medium' }),
  );
  const templates = resourcesOf(terraform, 'google_compute_region_instance_template').map(([, t]) => t);
  const workers = templates.find((t) => t.name_prefix === 'demo-workers-');
  const spot = templates.find((t) => t.name_prefix === 'demo-spot-');
  const ignition = decodeUserData(workers.metadata['user-data']);
  const files = (name: string, base?: string) => unitFiles(ignition, name, base);

  test('composes a network, three etcd members and a pool of three workers', () => {
    expect(resourcesOf(terraform, 'google_compute_network')).toHaveLength(1);
    expect(resourcesOf(terraform, 'google_compute_instance').map(([, i]) => i.name)).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    expect(resourceNamed(terraform, 'google_compute_region_instance_group_manager', 'demo-workers').target_size).toBe(3);
    expect([cluster.network.node.id, cluster.etcd.node.id, ...cluster.workerPools.map((p) => p.node.id)]).toEqual(['network', 'etcd', 'workers', 'spot']);
  });

  test('every node is on the cluster subnetwork, tagged for the firewall rules; each pool also carries its own tag', () => {
    for (const [, member] of resourcesOf(terraform, 'google_compute_instance')) {
      expect(member.network_interface[0].subnetwork).toMatch(/^\$\{google_compute_subnetwork\./);
      expect(member.tags).toEqual(expect.arrayContaining(['demo-node', 'demo-etcd']));
    }
    expect(workers.tags).toEqual(['demo-node', 'demo-worker', 'demo-workers-pool']);
    expect(spot.tags).toEqual(['demo-node', 'demo-worker', 'demo-spot-pool']);
    expect(workers.network_interface[0].subnetwork).toMatch(/^\$\{google_compute_subnetwork\./);
  });

  test('workers get exactly the secret fetch, its refresh and the runtime units, all enabled but the refresh service (its timer starts it), and none of ct\'s flannel or docker sections', () => {
    expect(cluster.etcd.clientEndpoints.join(',')).toBe(ENDPOINTS);
    expect(ignition.systemd.units.map((u: Json) => u.name)).toEqual(['fetch-secrets.service', 'fetch-secrets-refresh.service', 'fetch-secrets-refresh.timer', ...RUNTIME_UNITS]);
    expect(ignition.systemd.units.filter((u: Json) => u.enable || u.enabled).map((u: Json) => u.name)).toEqual(['fetch-secrets.service', 'fetch-secrets-refresh.timer', ...RUNTIME_UNITS]);
    expect(unitNamed(ignition, 'docker.service')).toEqual({ name: 'docker.service', enabled: true, dropins: [{ name: '40-flannel.conf', contents: expect.any(String) }] });
    // The two units that talk to etcd start only once the client certificate is in place.
    for (const name of ['flannel-config.service', 'flanneld.service']) expect(unitNamed(ignition, name).dropins).toEqual([{ name: '20-fetch-secrets.conf', contents: REQUIRES_FETCH }]);
    // Files: the fetch script and etcdctl's settings; the certificate and key come from the bucket.
    expect(ignition.storage.files.map((f: Json) => [f.path, f.mode])).toEqual([
      ['/opt/bin/fetch-secrets', 0o755],
      ['/etc/etcd/etcdctl.env', 0o644],
      ['/etc/profile.d/etcdctl.sh', 0o644],
    ]);
    expect(fileOf(ignition, '/opt/bin/fetch-secrets').text).toBe(FETCH_SECRETS_SH);
    expect(fileOf(ignition, '/etc/etcd/etcdctl.env').text).toBe(WORKER_ETCDCTL_ENV);
    const everything = JSON.stringify(ignition);
    for (const gone of ['20-clct-flannel.conf', '20-clct-docker.conf', '30-flannel-version.conf', 'flannel-wrapper', 'FLANNEL_IMAGE_TAG', 'etcdctl set', 'ETCDCTL_API=2', 'enable-v2']) {
      expect({ gone, found: everything.includes(gone) }).toEqual({ gone, found: false });
    }
  });

  test('the unit graph: the secrets before flannel-config and flanneld, containerd and flannel-config before flanneld, flanneld before docker, docker before the health unit', () => {
    expect(dependenciesOf(files('fetch-secrets.service'))).toEqual({
      Wants: ['network-online.target'],
      After: ['network-online.target'],
      Before: ['flannel-config.service', 'flanneld.service'],
    });
    expect(dependenciesOf(files('flannel-config.service'))).toEqual({
      Requires: ['fetch-secrets.service'],
      Wants: ['network-online.target'],
      After: ['network-online.target', 'fetch-secrets.service'],
    });
    expect(dependenciesOf(files('flanneld.service'))).toEqual({
      Requires: ['containerd.service', 'fetch-secrets.service'],
      Wants: ['flannel-config.service', 'network-online.target'],
      After: ['containerd.service', 'flannel-config.service', 'network-online.target', 'fetch-secrets.service'],
      Upholds: ['worker-health.service'],
    });
    // docker.service's own file is Flatcar's; the cluster adds one drop-in, and no Requires= on flanneld:
    // restarting flannel must not restart docker and every container.
    expect(dependenciesOf(files('docker.service', ''))).toEqual({ Wants: ['flanneld.service'], After: ['flanneld.service'] });
    expect(dependenciesOf(files('worker-health.service'))).toEqual({
      Requires: ['docker.service'],
      BindsTo: ['flanneld.service'],
      After: ['docker.service', 'flanneld.service'],
    });
    const withDocker = files('docker.service', FLATCAR_DOCKER_SERVICE);
    expect(listOf(withDocker, 'Unit', 'Requires')).toEqual(['containerd.service', 'docker.socket']);
    // No ordering cycle with Flatcar's docker and containerd units, and the order the design needs.
    const after = new Map<string, string[]>([
      ['containerd.service', FLATCAR_CONTAINERD_AFTER],
      ['docker.service', listOf(withDocker, 'Unit', 'After')],
      ...['fetch-secrets.service', 'flannel-config.service', 'flanneld.service', 'worker-health.service'].map((u): [string, string[]] => [u, listOf(files(u), 'Unit', 'After')]),
    ]);
    const order = startOrder(after);
    const at = (unit: string) => order.indexOf(unit);
    expect(at('fetch-secrets.service')).toBeLessThan(at('flannel-config.service'));
    expect(at('fetch-secrets.service')).toBeLessThan(at('flanneld.service'));
    expect(at('containerd.service')).toBeLessThan(at('flanneld.service'));
    expect(at('flannel-config.service')).toBeLessThan(at('flanneld.service'));
    expect(at('flanneld.service')).toBeLessThan(at('docker.service'));
    expect(at('docker.service')).toBeLessThan(at('worker-health.service'));
    // flanneld runs no docker command at all: no dependency of it can wait for docker.
    for (const file of files('flanneld.service')) expect(file.text).not.toMatch(/\/usr\/bin\/docker|docker\.service/);
  });

  test('flannel-config.service: etcdctl puts the network config through the v3 API over mutual TLS, its settings from etcdctl.env, retrying until etcd answers', () => {
    expect(listOf(files('flannel-config.service'), 'Service', 'Type')).toEqual(['oneshot']);
    expect(listOf(files('flannel-config.service'), 'Service', 'RemainAfterExit')).toEqual(['yes']);
    expect(listOf(files('flannel-config.service'), 'Service', 'Restart')).toEqual(['on-failure']);
    // Required (no "-"): without the file etcdctl would not know the endpoints or the certificate.
    expect(listOf(files('flannel-config.service'), 'Service', 'EnvironmentFile')).toEqual(['/etc/etcd/etcdctl.env']);
    // Everything comes from the file: the same settings as flags too would make etcdctl refuse to run.
    expect(listOf(files('flannel-config.service'), 'Service', 'Environment')).toEqual([]);
    const [put] = serviceCommands(files('flannel-config.service'), 'ExecStart', etcdctlEnvOf(ignition));
    expect([...put.env]).toEqual([
      ['ETCDCTL_API', '3'],
      ['ETCDCTL_ENDPOINTS', ENDPOINTS],
      ['ETCDCTL_CACERT', CLIENT_TLS.ca],
      ['ETCDCTL_CERT', CLIENT_TLS.cert],
      ['ETCDCTL_KEY', CLIENT_TLS.key],
    ]);
    expect(put.argv).toEqual([
      '/usr/bin/etcdctl',
      '--dial-timeout=5s',
      '--command-timeout=10s',
      'put',
      '/coreos.com/network/config',
      '{"Network":"10.2.0.0/16","Backend":{"Type":"vxlan"}}',
    ]);
  });

  test(`flanneld.service: flannel v${DEFAULT_FLANNEL_VERSION}'s image, pulled and run by containerd's ctr on the host network, on the same etcd and key`, () => {
    expect(cluster.flannelImage).toBe('docker.io/flannel/flannel:v0.28.9');
    const pre = serviceCommands(files('flanneld.service'), 'ExecStartPre').map((c) => c.argv);
    expect(pre).toEqual([
      ['/sbin/modprobe', '-a', 'ip_tables', 'vxlan'],
      ['/usr/bin/mkdir', '-p', '/run/flannel'],
      ['/usr/bin/touch', '/run/xtables.lock'],
      ['/usr/bin/rm', '-f', '/run/flannel/subnet.env', '/run/flannel/flannel_docker_opts.env'],
      ['/usr/bin/ctr', '--namespace=flannel', 'task', 'delete', '--force', 'flanneld'],
      ['/usr/bin/ctr', '--namespace=flannel', 'container', 'delete', 'flanneld'],
      ['/usr/bin/ctr', '--namespace=flannel', 'image', 'pull', 'docker.io/flannel/flannel:v0.28.9'],
    ]);
    // Only the pull of the cached-or-not image and the clean-ups may fail without failing the start.
    const preLines = parseUnitFile(files('flanneld.service')[0].text).filter((a) => a.key === 'ExecStartPre');
    expect(preLines.map((a) => a.value.startsWith('-'))).toEqual([true, false, false, false, true, true, true]);
    const [run] = serviceCommands(files('flanneld.service'), 'ExecStart');
    expect(run.argv).toEqual([
      '/usr/bin/ctr',
      '--namespace=flannel',
      'run',
      '--rm',
      '--net-host',
      '--privileged',
      '--mount=type=bind,src=/run/flannel,dst=/run/flannel,options=rbind:rw',
      '--mount=type=bind,src=/run/xtables.lock,dst=/run/xtables.lock,options=rbind:rw',
      // The certificate and key, read-only: flannel needs them, not a way to change them.
      '--mount=type=bind,src=/etc/ssl/etcd,dst=/etc/ssl/etcd,options=rbind:ro',
      'docker.io/flannel/flannel:v0.28.9',
      'flanneld',
      '/opt/bin/flanneld',
      '--ip-masq',
      `--etcd-endpoints=${ENDPOINTS}`,
      `--etcd-cafile=${CLIENT_TLS.ca}`,
      `--etcd-certfile=${CLIENT_TLS.cert}`,
      `--etcd-keyfile=${CLIENT_TLS.key}`,
      '--etcd-prefix=/coreos.com/network',
    ]);
    // Every file flannel is told to read is inside the read-only mount.
    const [, mounted] = /^--mount=type=bind,src=([^,]+),dst=\1,options=rbind:ro$/.exec(run.argv.find((a) => a.endsWith(',options=rbind:ro'))!)!;
    const tlsFiles = run.argv.filter((a) => /^--etcd-(ca|cert|key)file=/.test(a)).map((a) => a.split('=')[1]);
    expect(tlsFiles.filter((file) => file.startsWith(`${mounted}/`))).toEqual([CLIENT_TLS.ca, CLIENT_TLS.cert, CLIENT_TLS.key]);
    // flannel reads path.Join(prefix, "config") (pkg/subnet/etcd/registry.go): the key the oneshot writes.
    expect(`${run.argv.find((a) => a.startsWith('--etcd-prefix='))!.split('=')[1]}/config`).toBe(FLANNEL_CONFIG_KEY);
    expect(listOf(files('flanneld.service'), 'Service', 'Type')).toEqual(['simple']);
    expect(listOf(files('flanneld.service'), 'Service', 'Restart')).toEqual(['always']);
    expect(serviceCommands(files('flanneld.service'), 'ExecStopPost').map((c) => c.argv.slice(2).join(' '))).toEqual(['task delete --force flanneld', 'container delete flanneld']);
  });

  test('docker gets flannel\'s subnet and MTU: flanneld\'s ExecStartPost writes them for Flatcar\'s docker.service, whose drop-in waits for them', () => {
    const [post] = serviceCommands(files('flanneld.service'), 'ExecStartPost');
    expect(post.argv).toEqual([
      '/bin/sh',
      '-c',
      'until [ -s /run/flannel/subnet.env ]; do sleep 1; done; . /run/flannel/subnet.env && ' +
        'printf "DOCKER_OPT_BIP=--bip=%s\\nDOCKER_OPT_MTU=--mtu=%s\\nDOCKER_OPT_IPMASQ=--ip-masq=false\\n" "$FLANNEL_SUBNET" "$FLANNEL_MTU" > /run/flannel/flannel_docker_opts.env.tmp && ' +
        'mv /run/flannel/flannel_docker_opts.env.tmp /run/flannel/flannel_docker_opts.env',
    ]);
    const docker = files('docker.service', FLATCAR_DOCKER_SERVICE);
    expect(serviceCommands(docker, 'ExecStartPre').map((c) => c.argv)).toEqual([['/bin/sh', '-c', 'until [ -s /run/flannel/flannel_docker_opts.env ]; do sleep 1; done']]);
    expect(listOf(docker.slice(1), 'Service', 'EnvironmentFile')).toEqual(['-/run/flannel/flannel_docker_opts.env']);
    // With the options file as flanneld's ExecStartPost writes it (proved by /bin/sh below), dockerd's argv:
    const opts = 'DOCKER_OPT_BIP=--bip=10.2.34.1/24\nDOCKER_OPT_MTU=--mtu=1410\nDOCKER_OPT_IPMASQ=--ip-masq=false\n';
    const [dockerd] = serviceCommands(docker, 'ExecStart', (path) => (path === '/run/flannel/flannel_docker_opts.env' ? opts : undefined));
    expect(dockerd.argv).toEqual([
      '/usr/bin/dockerd',
      '--host=fd://',
      '--containerd=/var/run/docker/libcontainerd/docker-containerd.sock',
      '--add-runtime=nvidia=nvidia-container-runtime',
      '--selinux-enabled=true',
      '--bip=10.2.34.1/24',
      '--mtu=1410',
      '--ip-masq=false',
    ]);
  });

  test('worker-health.service: busybox httpd in a container on docker\'s bridge, published on 9876, serving /healthz', () => {
    const health = files('worker-health.service');
    expect(listOf(health, 'Service', 'Restart')).toEqual(['always']);
    expect(serviceCommands(health, 'ExecStart')[0].argv).toEqual([
      '/usr/bin/docker',
      'run',
      '--rm',
      '--name=worker-health',
      '--publish=9876:8080',
      'docker.io/library/busybox:1.37.0',
      'sh',
      '-c',
      'mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www',
    ]);
    expect(serviceCommands(health, 'ExecStartPre')[0].argv).toEqual(['/usr/bin/docker', 'rm', '--force', 'worker-health']);
    expect(serviceCommands(health, 'ExecStop')[0].argv).toEqual(['/usr/bin/docker', 'stop', '--time=2', 'worker-health']);
  });

  test('each pool\'s health check is HTTP on the runtime check, not TCP 22', () => {
    for (const name of ['demo-workers-health', 'demo-spot-health']) {
      const check = resourceNamed(terraform, 'google_compute_health_check', name);
      expect(check.http_health_check).toEqual({ port: 9876, request_path: '/healthz' });
      expect(check).not.toHaveProperty('tcp_health_check');
    }
    expect(cluster.workerPools.map((p) => [p.healthCheckPort, p.healthCheckPath])).toEqual([
      [9876, '/healthz'],
      [9876, '/healthz'],
    ]);
    expect(resourceNamed(terraform, 'google_compute_region_instance_group_manager', 'demo-workers').auto_healing_policies.health_check).toMatch(
      /^\$\{google_compute_health_check\.cluster_workers_HealthCheck_[0-9A-F]{8}\.id\}$/,
    );
  });

  test('added pools get the same config, with their own settings', () => {
    expect(decodeUserData(spot.metadata['user-data'])).toEqual(ignition);
    expect(spot).toMatchObject({ machine_type: 'e2-medium', scheduling: { provisioning_model: 'SPOT' } });
  });

  test('workers fetch the CA, the workers\' client certificate and key (root\'s, 0600) from the prefix worker/ of the cluster\'s one bucket', () => {
    const fetch = unitNamed(ignition, 'fetch-secrets.service');
    const [run] = serviceCommands(unitFiles(ignition, 'fetch-secrets.service'), 'ExecStart');
    expect(fetch.enabled).toBe(true);
    expect(run.argv).toEqual([
      '/opt/bin/fetch-secrets',
      ...['ca.pem', CLIENT_TLS.ca, '0644', 'root:root'],
      ...['client.pem', CLIENT_TLS.cert, '0644', 'root:root'],
      ...['client-key.pem', CLIENT_TLS.key, '0600', 'root:root'],
    ]);
    expect([run.env.get('FETCH_SECRETS_BUCKET'), run.env.get('FETCH_SECRETS_PREFIX')]).toEqual(['demo-secrets-0a1b2c3d', 'worker/']);
    // Members and workers share the cluster's bucket.
    expect(resourcesOf(terraform, 'google_storage_bucket')).toHaveLength(1);
    expect(cluster.etcd.secretStore).toBe(cluster.secretStore);
    expect(cluster.secretDelivery).toBe(SecretDelivery.CLOUD_STORAGE);
    const workerObjects = resourcesOf(terraform, 'google_storage_bucket_object').filter(([, o]) => o.name.startsWith('worker/'));
    expect(workerObjects.map(([, o]) => o.name).sort()).toEqual(['worker/ca.pem', 'worker/client-key.pem', 'worker/client.pem']);
  });

  test('the refresh run: the boot fetch\'s argv and environment in refresh mode; workers restart only flanneld.service on a change, members etcd-member.service', () => {
    const [boot] = serviceCommands(files('fetch-secrets.service'), 'ExecStart');
    const [refresh] = serviceCommands(files('fetch-secrets-refresh.service'), 'ExecStart');
    expect(refresh.argv).toEqual(boot.argv);
    // flannel-config is a oneshot that has already written the network config: only flanneld holds the certificate.
    expect(Object.fromEntries(refresh.env)).toEqual({
      ...Object.fromEntries(boot.env),
      FETCH_SECRETS_MODE: 'refresh',
      FETCH_SECRETS_RESTART: 'flanneld.service',
      FETCH_SECRETS_ON_CHANGE: '',
    });
    expect(unitNamed(ignition, 'fetch-secrets-refresh.timer').enabled).toBe(true);
    for (const name of ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']) {
      const member = decodeUserData(resourceNamed(terraform, 'google_compute_instance', name).metadata['user-data']);
      const [memberRefresh] = serviceCommands(unitFiles(member, 'fetch-secrets-refresh.service'), 'ExecStart');
      expect({ name, restart: memberRefresh.env.get('FETCH_SECRETS_RESTART'), mode: memberRefresh.env.get('FETCH_SECRETS_MODE') }).toEqual({ name, restart: 'etcd-member.service', mode: 'refresh' });
      expect(unitNamed(member, 'fetch-secrets-refresh.timer').enabled).toBe(true);
    }
  });

  test('every pool runs as the cluster\'s one worker service account, with the read-only storage scope, its template made after the grant and objects', () => {
    const accounts = resourcesOf(terraform, 'google_service_account');
    expect(accounts.map(([, a]) => a.account_id)).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2', 'demo-worker']);
    const [workerAccountId] = accounts[3];
    const email = `\${google_service_account.${workerAccountId}.email}`;
    const resolved = Tokenization.resolve(cluster.workerServiceAccountEmail, { scope: cluster, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
    expect(resolved).toBe(email);
    const grants = resourcesOf(terraform, 'google_storage_bucket_iam_member').filter(([, g]) => g.member === `serviceAccount:${email}`);
    expect(grants).toHaveLength(1);
    const objects = resourcesOf(terraform, 'google_storage_bucket_object').filter(([, o]) => o.name.startsWith('worker/'));
    const dependencies = [`google_storage_bucket_iam_member.${grants[0][0]}`, ...objects.map(([id]) => `google_storage_bucket_object.${id}`)].sort();
    for (const template of [workers, spot]) {
      expect(template.service_account).toEqual({ email, scopes: [STORAGE_READ_SCOPE] });
      expect([...template.depends_on].sort()).toEqual(dependencies);
    }
  });

  test('firewall: flannel VXLAN between nodes, each pool\'s health port from Google\'s checkers to that pool only, nothing internal to the internet', () => {
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-flannel')).toMatchObject({
      allow: [{ protocol: 'udp', ports: ['8472'] }],
      source_tags: ['demo-node'],
      target_tags: ['demo-node'],
    });
    for (const [rule, tag] of [
      ['demo-workers-health', 'demo-workers-pool'],
      ['demo-spot-health', 'demo-spot-pool'],
    ]) {
      expect(resourceNamed(terraform, 'google_compute_firewall', rule)).toEqual({
        name: rule,
        network: expect.stringMatching(/^\$\{google_compute_network\./),
        direction: 'INGRESS',
        allow: [{ protocol: 'tcp', ports: ['9876'] }],
        source_ranges: ['35.191.0.0/16', '130.211.0.0/22'],
        target_tags: [tag],
      });
    }
    // etcd's client port admits only the nodes that hold a client certificate: members and workers.
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-etcd-client')).toMatchObject({
      allow: [{ protocol: 'tcp', ports: ['2379'] }],
      source_tags: ['demo-etcd', 'demo-worker'],
      target_tags: ['demo-etcd'],
    });
    const rules = resourcesOf(terraform, 'google_compute_firewall').map(([, rule]) => rule);
    expect(rules.map((r) => r.name)).toEqual(expect.arrayContaining(['demo-etcd-client', 'demo-etcd-peer', 'demo-flannel', 'demo-spot-health', 'demo-ssh', 'demo-workers-health']));
    for (const rule of rules) {
      expect({ name: rule.name, open: (rule.source_ranges ?? []).includes('0.0.0.0/0') }).toEqual({ name: rule.name, open: false });
      if (portsOf(rule).some((port) => ['2379', '2380', 'all'].includes(port))) {
        expect({ name: rule.name, ranges: rule.source_ranges }).toEqual({ name: rule.name, ranges: undefined });
      }
    }
  });
});

describe('options', () => {
  test('an adopted network, static etcd IPs, no default pool', () => {
    const { cluster, terraform } = synthCluster({
      existingNetworkName: 'vpc',
      existingSubnetworkName: 'vpc-sub',
      etcdStaticInternalIps: true,
      etcdSize: 1,
      workerCount: 0,
    });
    expect(resourcesOf(terraform, 'google_compute_network')).toEqual([]);
    expect(resourcesOf(terraform, 'google_compute_region_instance_group_manager')).toEqual([]);
    expect(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0').network_interface[0]).toMatchObject({ network: 'vpc', subnetwork: 'vpc-sub' });
    expect(resourceNamed(terraform, 'google_compute_address', 'demo-etcd-0')).toMatchObject({ subnetwork: 'vpc-sub', address_type: 'INTERNAL' });
    expect(cluster.workerPools).toEqual([]);
  });

  test('flannelVersion is the image tag (with or without a leading v); podCidr is the network flannel reads', () => {
    const { cluster, terraform } = synthCluster({ flannelVersion: 'v0.27.4', podCidr: '172.20.0.0/16', etcdSize: 1, workerCount: 1 });
    const ignition = decodeUserData(resourcesOf(terraform, 'google_compute_region_instance_template')[0][1].metadata['user-data']);
    expect(cluster.flannelImage).toBe('docker.io/flannel/flannel:v0.27.4');
    const last = <T>(list: readonly T[]): T => list[list.length - 1];
    expect(last(last(serviceCommands(unitFiles(ignition, 'flanneld.service'), 'ExecStartPre')).argv)).toBe('docker.io/flannel/flannel:v0.27.4');
    expect(last(serviceCommands(unitFiles(ignition, 'flannel-config.service'), 'ExecStart', etcdctlEnvOf(ignition))[0].argv)).toBe('{"Network":"172.20.0.0/16","Backend":{"Type":"vxlan"}}');
    expect(flannelNetworkConfig('172.20.0.0/16')).toBe('{"Network":"172.20.0.0/16","Backend":{"Type":"vxlan"}}');
  });

  test('a pool may move its health check; the unit, the check and the firewall follow', () => {
    const { terraform } = synthCluster({ etcdSize: 1, workerCount: 0 }, (c) => c.addWorkerPool('web', { name: 'demo-web', healthCheckPort: 10080, healthCheckPath: '/ready/now' }));
    const ignition = decodeUserData(resourcesOf(terraform, 'google_compute_region_instance_template')[0][1].metadata['user-data']);
    expect(serviceCommands(unitFiles(ignition, 'worker-health.service'), 'ExecStart')[0].argv.slice(4)).toEqual([
      '--publish=10080:8080',
      'docker.io/library/busybox:1.37.0',
      'sh',
      '-c',
      'mkdir -p /www/ready && echo ok > /www/ready/now && exec httpd -f -p 8080 -h /www',
    ]);
    expect(resourceNamed(terraform, 'google_compute_health_check', 'demo-web-health').http_health_check).toEqual({ port: 10080, request_path: '/ready/now' });
    expect(resourceNamed(terraform, 'google_compute_firewall', 'demo-web-health')).toMatchObject({ allow: [{ protocol: 'tcp', ports: ['10080'] }], target_tags: ['demo-web-pool'] });
  });

  test('a project variable stays a Terraform reference in the units\' etcd endpoints', () => {
    const stack = newStack();
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, project: project.stringValue, etcdSize: 1, workerCount: 1 });
    const userData: string = resourcesOf(synthJson(stack), 'google_compute_region_instance_template')[0][1].metadata['user-data'];
    expect(userData).toContain('var.project');
    expect(userData).not.toMatch(/cdktftoken/);
    // etcdctl.env holds the project, so Terraform computes it: base64encode(join(...)), which needs the full evaluator.
    const ignition = JSON.parse(evaluateTemplate(userData, { project: 'real-project-1' }));
    const endpoint = 'https://demo-etcd-0.us-central1-a.c.real-project-1.internal:2379';
    expect(serviceCommands(unitFiles(ignition, 'flannel-config.service'), 'ExecStart', etcdctlEnvOf(ignition))[0].env.get('ETCDCTL_ENDPOINTS')).toBe(endpoint);
    expect(serviceCommands(unitFiles(ignition, 'flanneld.service'), 'ExecStart')[0].argv).toContain(`--etcd-endpoints=${endpoint}`);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('USER_DATA: the workers\' files inline (the key root\'s, 0600), no bucket, no worker account, and a warning for each kind of key', () => {
    const stack = newStack();
    const cluster = new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, etcdSize: 1, workerCount: 1, secretDelivery: SecretDelivery.USER_DATA });
    const terraform = synthJson(stack);
    const [[, template]] = resourcesOf(terraform, 'google_compute_region_instance_template');
    const ignition = decodeUserData(template.metadata['user-data']);
    const owners = (path: string) => {
      const { file } = fileOf(ignition, path);
      return [file.mode, `${file.user.name}:${file.group.name}`];
    };
    expect([CLIENT_TLS.ca, CLIENT_TLS.cert, CLIENT_TLS.key].map(owners)).toEqual([
      [0o644, 'root:root'],
      [0o644, 'root:root'],
      [0o600, 'root:root'],
    ]);
    expect(ignition.systemd.units.map((u: Json) => u.name)).toEqual(RUNTIME_UNITS);
    // The runtime units are the same: only the way the files arrive differs.
    expect(serviceCommands(unitFiles(ignition, 'flanneld.service'), 'ExecStart')[0].argv).toContain(`--etcd-keyfile=${CLIENT_TLS.key}`);
    expect(template).not.toHaveProperty('service_account');
    expect(template).not.toHaveProperty('depends_on');
    expect(resourcesOf(terraform, 'google_storage_bucket')).toEqual([]);
    expect([cluster.secretStore, cluster.etcd.secretStore, cluster.workerServiceAccountEmail]).toEqual([undefined, undefined, undefined]);
    expect(warningsOf(stack).map((w) => w.split(' in the instances')[0]).sort()).toEqual([
      "secretDelivery USER_DATA puts the etcd members' private keys",
      "secretDelivery USER_DATA puts the workers' etcd client key",
    ]);
  });

  test('SSH open to the world is possible, with a warning', () => {
    const stack = newStack();
    new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, sshSourceRanges: ['0.0.0.0/0'], workerCount: 0, etcdSize: 1 });
    expect(warningsOf(stack)).toContain('sshSourceRanges includes 0.0.0.0/0: SSH is open to the internet; prefer IAP (35.235.240.0/20)');
  });

  test('a pool\'s scopes are added to the worker account\'s; its own service account is refused unless the keys are in the user-data', () => {
    const { terraform } = synthCluster({ etcdSize: 1, workerCount: 0 }, (c) => c.addWorkerPool('logs', { name: 'demo-logs', scopes: ['logging-write'] }));
    const [[, template]] = resourcesOf(terraform, 'google_compute_region_instance_template');
    expect(template.service_account.scopes).toEqual([STORAGE_READ_SCOPE, 'logging-write']);
    const cluster = new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, etcdSize: 1, workerCount: 0 });
    expect(() => cluster.addWorkerPool('p', { name: 'demo-p', serviceAccountEmail: 'w@p.iam.gserviceaccount.com' })).toThrow(
      "ContainerLinuxCluster stack/c: pool p: serviceAccountEmail: with SecretDelivery.CLOUD_STORAGE the workers run as the cluster's worker service account, which may read only the workers' etcd client key; " +
        'grant extra roles to it (workerServiceAccountEmail) instead, or use SecretDelivery.USER_DATA to bring your own',
    );
    const own = synthCluster({ etcdSize: 1, workerCount: 0, secretDelivery: SecretDelivery.USER_DATA }, (c) =>
      c.addWorkerPool('p', { name: 'demo-p', serviceAccountEmail: 'w@p.iam.gserviceaccount.com' }),
    ).terraform;
    expect(resourcesOf(own, 'google_compute_region_instance_template')[0][1].service_account).toEqual({ email: 'w@p.iam.gserviceaccount.com', scopes: ['cloud-platform'] });
  });

  test('refuses a bad or overlapping pod CIDR and an unknown region', () => {
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, podCidr: '10.2.0.0/33' })).toThrow('ContainerLinuxCluster stack/c: podCidr "10.2.0.0/33"');
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, region: 'moon-west1' })).toThrow('unknown region "moon-west1"');
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, podCidr: '10.0.0.0/8' })).toThrow(
      "podCidr 10.0.0.0/8 overlaps the subnetwork's 10.10.0.0/20: flannel's overlay needs its own range",
    );
  });

  test('refuses a flannel release without etcd v3 support, a non-version, and a health path busybox cannot serve', () => {
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, flannelVersion: '0.11.0' })).toThrow(
      "flannelVersion 0.11.0 reads its network config through etcd's v2 API, which etcd 3.4+ turns off and Flatcar's etcdctl no longer writes: use 0.18.1 or later (default 0.28.9)",
    );
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, flannelVersion: '0.18.0' })).toThrow('flannelVersion 0.18.0 reads its network config');
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, flannelVersion: '0.18.1', workerCount: 0, etcdSize: 1 })).not.toThrow();
    expect(() => new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, flannelVersion: 'latest' })).toThrow('flannelVersion "latest" is not a flannel release such as "0.28.9"');
    const cluster = new ContainerLinuxCluster(newStack(), 'c', { ...PROPS, workerCount: 0, etcdSize: 1 });
    expect(() => cluster.addWorkerPool('p', { name: 'demo-p', healthCheckPath: '/../etc' })).toThrow('ContainerLinuxCluster stack/c: pool p: healthCheckPath "/../etc" must be');
  });

  test('a config with a flannel section is refused at synth: its ct drop-in would run flannel-wrapper and etcd v2 commands', () => {
    const stack = newStack();
    new ContainerLinuxCluster(stack, 'cluster', { ...PROPS, etcdSize: 1, workerCount: 1, config: { flannel: { etcd_prefix: '/coreos.com/network' } } });
    expect(() => synthJson(stack)).toThrow(/WorkerPool stack\/cluster\/workers: the config has a flannel section, whose drop-in \(20-clct-flannel\.conf\) would run flannel-wrapper/);
  });
});

// ---------------------------------------------------------------------------------------------
// Real programs: /bin/sh and bash for the shell steps. (flannel-config's command against a real,
// mutual-TLS etcd: __tests__/etcd-cluster/flannel-config-etcd.test.ts.)

const PATH_ENV = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
// stdin /dev/null, as systemd gives a service: on a socket, bash would take itself for an rshd child and read ~/.bashrc.
const STDIO: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];

/** Private mount namespaces work here (root, unshare allowed): a private /run. */
function privateMountsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: no private mount namespace for /run';
  const probe = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount -t tmpfs tmpfs /run'], { timeout: 5000 });
  return probe.status === 0 ? undefined : `unshare --mount failed: ${probe.stderr?.toString() ?? probe.error?.message}`;
}

/** Runs argv in a private mount namespace after `setup` (sh, $1 is `arg`), with exactly `env`. */
function runPrivately(setup: string, arg: string, argv: readonly string[], env: Record<string, string>, timeout = 20_000) {
  return spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', `${setup} && shift && exec "$@"`, 'sh', arg, ...argv], {
    env: { PATH: PATH_ENV, ...env },
    timeout,
    encoding: 'utf8',
    stdio: STDIO,
  });
}

describeIfAvailable("the units' shell steps, run by /bin/sh and bash in a private /run", privateMountsUnavailable(), () => {
  const { terraform } = synthCluster({ etcdSize: 1, workerCount: 1 });
  const ignition = decodeUserData(resourcesOf(terraform, 'google_compute_region_instance_template')[0][1].metadata['user-data']);
  const [post] = serviceCommands(unitFiles(ignition, 'flanneld.service'), 'ExecStartPost');
  const [wait] = serviceCommands(unitFiles(ignition, 'docker.service', FLATCAR_DOCKER_SERVICE), 'ExecStartPre');
  /** $1: subnet.env's text; then the command. flannel writes the file half a second later, atomically (rename). */
  const SCRIPT = [
    'mount -t tmpfs tmpfs /run || exit 1',
    'mkdir -p /run/flannel',
    'printf %s "$1" > /run/flannel/.subnet.env',
    'shift',
    '( sleep 0.5; mv /run/flannel/.subnet.env /run/flannel/subnet.env ) &',
    '"$@"; status=$?',
    'wait',
    'ls -a /run/flannel',
    'echo ---',
    'cat /run/flannel/flannel_docker_opts.env',
    'exit $status',
  ].join('\n');

  test.each([['/bin/sh'], ['/bin/bash']])("%s: ExecStartPost waits for flannel's subnet file and writes docker's options", (shell) => {
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', SCRIPT, 'sh', SUBNET_ENV, shell, ...post.argv.slice(1)], {
      env: { PATH: PATH_ENV },
      encoding: 'utf8',
      timeout: 20_000,
      stdio: STDIO,
    });
    expect({ status: result.status, err: result.stderr }).toEqual({ status: 0, err: '' });
    const [listing, written] = result.stdout.split('---\n');
    expect(listing.trim().split('\n').sort()).toEqual(['.', '..', 'flannel_docker_opts.env', 'subnet.env']);
    expect(written).toBe('DOCKER_OPT_BIP=--bip=10.2.34.1/24\nDOCKER_OPT_MTU=--mtu=1410\nDOCKER_OPT_IPMASQ=--ip-masq=false\n');
    expect([...parseEnvironmentFile(written)]).toEqual([
      ['DOCKER_OPT_BIP', '--bip=10.2.34.1/24'],
      ['DOCKER_OPT_MTU', '--mtu=1410'],
      ['DOCKER_OPT_IPMASQ', '--ip-masq=false'],
    ]);
  });

  test("docker's ExecStartPre waits while the options file is missing and returns once it is there", () => {
    const missing = runPrivately('mount -t tmpfs tmpfs /run && mkdir -p /run/flannel && test -n "$1"', 'x', ['timeout', '2', ...wait.argv], {});
    expect(missing.status).toBe(124);
    const present = runPrivately('mount -t tmpfs tmpfs /run && mkdir -p /run/flannel && printf %s "$1" > /run/flannel/flannel_docker_opts.env', 'DOCKER_OPT_BIP=--bip=10.2.34.1/24\n', ['timeout', '5', ...wait.argv], {});
    expect(present.status).toBe(0);
  });
});

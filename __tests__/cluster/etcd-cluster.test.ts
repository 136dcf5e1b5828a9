/**
 * EtcdCluster: members, zones, names, each member's etcd drop-in (mutual TLS), how its key reaches
 * it (fetched from the bucket at boot, or inline on request), data disks, addressing, versions,
 * validation.
 */
import 'cdktf/lib/testing/adapters/jest';
import { TerraformVariable } from 'cdktf';
import { ConfigChangeBehavior } from '../../constructs/config-change';
import { DEFAULT_ETCD_VERSION, EtcdCluster, EtcdMemberAddressing, SecretDelivery, type EtcdClusterProps } from '../../constructs/etcd-cluster';
import { etcdArgsFromDropin } from '../../constructs/etcd-member';
import { FETCH_SECRETS_SH } from '../../constructs/secret-fetch';
import { ClusterSecretStore } from '../../constructs/secret-store';
import { execService, loadService, parseUnitFile } from '../etcd-cluster/systemd-exec';
import { decodeUserData, dropinOf, fileOf, newStack, resourceNamed, resourcesOf, synthJson, warningsOf, withBucketStandIn, type Json } from './cluster-helpers';

const PROPS: EtcdClusterProps = { clusterName: 'demo', region: 'us-central1', project: 'my-project' };
const DNS = (i: number, zone: string): string => `demo-etcd-${i}.us-central1-${zone}.c.my-project.internal`;
const INITIAL_CLUSTER = ['a', 'b', 'c'].map((zone, i) => `demo-etcd-${i}=https://${DNS(i, zone)}:2380`).join(',');
const CLIENT_ENDPOINTS = ['a', 'b', 'c'].map((zone, i) => `https://${DNS(i, zone)}:2379`);
/** etcd's TLS flags: the files as etcd-wrapper mounts /etc/ssl/etcd, at /etc/ssl/certs in etcd's container. */
const TLS_ARGS = [
  '--cert-file=/etc/ssl/certs/server.pem',
  '--key-file=/etc/ssl/certs/server-key.pem',
  '--client-cert-auth=true',
  '--trusted-ca-file=/etc/ssl/certs/ca.pem',
  '--peer-cert-file=/etc/ssl/certs/server.pem',
  '--peer-key-file=/etc/ssl/certs/server-key.pem',
  '--peer-client-cert-auth=true',
  '--peer-trusted-ca-file=/etc/ssl/certs/ca.pem',
];
/** The stand-in decodeUserData gives a secret bucket's name (APPLY_TIME_VALUES). */
const BUCKET = 'demo-secrets-0a1b2c3d';

function synthEtcd(props: Partial<EtcdClusterProps> = {}): { etcd: EtcdCluster; terraform: Json } {
  const stack = newStack();
  const etcd = new EtcdCluster(stack, 'etcd', { ...PROPS, ...props });
  return { etcd, terraform: synthJson(stack) };
}

function etcdArgsOf(instance: Json): string[] {
  return etcdArgsFromDropin(dropinOf(decodeUserData(instance.metadata['user-data']), 'etcd-member.service', '20-clct-etcd-member.conf'));
}

/** The one unit named `name` that has contents (ct writes drop-ins of a unit as further entries). */
function unitContents(ignition: Json, name: string): Json {
  const found = (ignition.systemd?.units ?? []).filter((u: Json) => u.name === name && u.contents !== undefined);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The argv and environment systemd would run for a service's ExecStart (systemd-exec.ts). */
function execStartOf(name: string, text: string): { argv: string[]; env: Map<string, string> } {
  const exec = execService(loadService({ name }, [{ name, text }]), () => undefined);
  expect(exec.commands).toHaveLength(1);
  return { argv: [...exec.commands[0].argv], env: new Map(exec.environment) };
}

describe('a default etcd cluster', () => {
  const { etcd, terraform } = synthEtcd();
  const instances = [0, 1, 2].map((i) => resourceNamed(terraform, 'google_compute_instance', `demo-etcd-${i}`));

  test('has three private Flatcar members spread over zones a, b, c', () => {
    expect(instances.map((i) => i.zone)).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        machine_type: 'e2-small',
        boot_disk: { initialize_params: { image: 'projects/kinvolk-public/global/images/family/flatcar-stable' } },
        network_interface: [{ network: 'default' }],
        tags: ['demo-node', 'demo-etcd'],
      });
      expect(instance.network_interface[0]).not.toHaveProperty('access_config');
    }
    expect(etcd.members.map((m) => m.instance.node.id)).toEqual(['member-0', 'member-1', 'member-2']);
  });

  test('never replaces members for a new config or image: ignore_changes, no config hash', () => {
    for (const instance of instances) {
      expect(instance.lifecycle).toEqual({ ignore_changes: ['metadata["user-data"]', 'boot_disk[0].initialize_params[0].image'] });
    }
    expect(resourcesOf(terraform, 'terraform_data')).toEqual([]);
  });

  test('each member\'s etcd drop-in bootstraps the static cluster from internal DNS names, peers and clients over mutual TLS', () => {
    instances.forEach((instance, i) => {
      const zone = ['a', 'b', 'c'][i];
      expect(etcdArgsOf(instance)).toEqual([
        `--name=demo-etcd-${i}`,
        '--listen-peer-urls=https://${COREOS_GCE_IP_LOCAL_0}:2380',
        '--listen-client-urls=https://0.0.0.0:2379',
        `--initial-advertise-peer-urls=https://${DNS(i, zone)}:2380`,
        `--initial-cluster=${INITIAL_CLUSTER}`,
        `--initial-cluster-token=${etcd.initialClusterToken}`,
        // The name its certificate holds, not the bare IP, which it does not.
        `--advertise-client-urls=https://${DNS(i, zone)}:2379`,
        '--strict-reconfig-check=true',
        ...TLS_ARGS,
        // Plain HTTP for Google's health checkers, which hold no client certificate.
        '--listen-metrics-urls=http://0.0.0.0:2381',
      ]);
    });
    const ignition = decodeUserData(instances[0].metadata['user-data']);
    const dropin = dropinOf(ignition, 'etcd-member.service', '20-clct-etcd-member.conf');
    expect(dropin).toContain(`Environment="ETCD_IMAGE_TAG=v${DEFAULT_ETCD_VERSION}"`);
    expect(dropin).toContain('Requires=coreos-metadata.service');
    // etcd-wrapper mounts $ETCD_SSL_DIR read-only at /etc/ssl/certs, where the TLS flags look.
    expect(dropinOf(ignition, 'etcd-member.service', '30-etcd-tls.conf')).toBe('[Service]\nEnvironment="ETCD_SSL_DIR=/etc/ssl/etcd"\n');
  });

  test('each member runs etcd-rejoin before etcd, with the state etcd starts in as its environment, which the script may override', () => {
    instances.forEach((instance, i) => {
      const zone = ['a', 'b', 'c'][i];
      const ignition = decodeUserData(instance.metadata['user-data']);
      const others = [0, 1, 2].filter((j) => j !== i).map((j) => `https://${DNS(j, ['a', 'b', 'c'][j])}:2379`);
      expect(dropinOf(ignition, 'etcd-member.service', '40-etcd-rejoin.conf')).toBe(
        `[Service]\nEnvironment=ETCD_INITIAL_CLUSTER_STATE=new\nEnvironmentFile=-/run/etcd-rejoin.env\nExecStartPre=/opt/bin/etcd-rejoin demo-etcd-${i} https://${DNS(i, zone)}:2380 ${others.join(' ')}\n`,
      );
      expect(ignition.storage.files.find((f: Json) => f.path === '/opt/bin/etcd-rejoin')).toMatchObject({ mode: 0o755 });
    });
  });

  test('each member fetches its three files from its own prefix of the bucket at boot, before etcd starts', () => {
    instances.forEach((instance, i) => {
      const ignition = decodeUserData(instance.metadata['user-data']);
      const fetch = unitContents(ignition, 'fetch-secrets.service');
      expect(fetch.enabled).toBe(true);
      const { argv, env } = execStartOf('fetch-secrets.service', fetch.contents);
      expect(argv).toEqual([
        '/opt/bin/fetch-secrets',
        ...['ca.pem', '/etc/ssl/etcd/ca.pem', '0644', 'root:root'],
        ...['server.pem', '/etc/ssl/etcd/server.pem', '0644', 'root:root'],
        // etcd-wrapper runs etcd as the etcd user: only it (and root) may read the key.
        ...['server-key.pem', '/etc/ssl/etcd/server-key.pem', '0600', 'etcd:etcd'],
      ]);
      expect([env.get('FETCH_SECRETS_BUCKET'), env.get('FETCH_SECRETS_PREFIX')]).toEqual([BUCKET, `etcd/demo-etcd-${i}/`]);
      expect(parseUnitFile(fetch.contents).filter((a) => a.section === 'Unit' && a.key === 'Before').map((a) => a.value)).toEqual(['etcd-member.service']);
      expect(dropinOf(ignition, 'etcd-member.service', '20-fetch-secrets.conf')).toBe('[Unit]\nRequires=fetch-secrets.service\nAfter=fetch-secrets.service\n');
      expect(fileOf(ignition, '/opt/bin/fetch-secrets')).toEqual({ file: expect.objectContaining({ mode: 0o755 }), text: FETCH_SECRETS_SH });
      // The flags name the fetched files, as mounted in etcd's container.
      const fetched = argv.filter((a) => a.startsWith('/etc/ssl/etcd/')).map((a) => a.replace('/etc/ssl/etcd/', '/etc/ssl/certs/'));
      for (const flag of TLS_ARGS.filter((a) => a.includes('/'))) expect(fetched).toContain(flag.split('=')[1]);
    });
    expect(etcd.secretDelivery).toBe(SecretDelivery.CLOUD_STORAGE);
    expect(etcd.secretStore?.node.id).toBe('secrets');
  });

  test('each member runs as a service account of its own, with the read-only storage scope, created after its grant and objects', () => {
    const accounts = resourcesOf(terraform, 'google_service_account');
    expect(accounts.map(([, a]) => a.account_id)).toEqual(['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']);
    instances.forEach((instance, i) => {
      const [accountId] = accounts[i];
      expect(instance.service_account).toEqual({
        email: `\${google_service_account.${accountId}.email}`,
        scopes: ['https://www.googleapis.com/auth/devstorage.read_only'],
      });
      expect(etcd.members[i].secretReader?.prefix).toBe(`etcd/demo-etcd-${i}/`);
      const objects = resourcesOf(terraform, 'google_storage_bucket_object').filter(([, o]) => o.name.startsWith(`etcd/demo-etcd-${i}/`));
      expect(objects.map(([, o]) => o.name).sort()).toEqual([`etcd/demo-etcd-${i}/ca.pem`, `etcd/demo-etcd-${i}/server-key.pem`, `etcd/demo-etcd-${i}/server.pem`]);
      const grants = resourcesOf(terraform, 'google_storage_bucket_iam_member').filter(([, g]) => g.member === `serviceAccount:\${google_service_account.${accountId}.email}`);
      expect(grants).toHaveLength(1);
      expect([...instance.depends_on].sort()).toEqual([`google_storage_bucket_iam_member.${grants[0][0]}`, ...objects.map(([id]) => `google_storage_bucket_object.${id}`)].sort());
    });
  });

  test('every member gets etcdctl\'s environment (its endpoints and certificate) and a login script that reads it', () => {
    instances.forEach((instance) => {
      const ignition = decodeUserData(instance.metadata['user-data']);
      const env = fileOf(ignition, '/etc/etcd/etcdctl.env');
      expect(env.file.mode).toBe(0o644);
      expect(env.text).toBe(
        `ETCDCTL_API=3\nETCDCTL_ENDPOINTS=${CLIENT_ENDPOINTS.join(',')}\nETCDCTL_CACERT=/etc/ssl/etcd/ca.pem\nETCDCTL_CERT=/etc/ssl/etcd/server.pem\nETCDCTL_KEY=/etc/ssl/etcd/server-key.pem\n`,
      );
      const profile = fileOf(ignition, '/etc/profile.d/etcdctl.sh');
      expect(profile.file.mode).toBe(0o644);
      expect(profile.text).toContain('if [ -r /etc/etcd/etcdctl.env ]; then set -a; . /etc/etcd/etcdctl.env; set +a; fi\n');
    });
  });

  test('exposes names, DNS names, client endpoints and a per-cluster token', () => {
    expect(etcd.members.map((m) => m.dnsName)).toEqual([DNS(0, 'a'), DNS(1, 'b'), DNS(2, 'c')]);
    expect(etcd.clientEndpoints).toEqual(CLIENT_ENDPOINTS);
    expect(etcd.initialCluster).toBe(INITIAL_CLUSTER);
    expect(etcd.initialClusterToken).toMatch(/^demo-etcd-[0-9a-f]{12}$/);
    expect(synthEtcd({ clusterName: 'other' }).etcd.initialClusterToken).not.toBe(etcd.initialClusterToken.replace('demo', 'other'));
  });

  test('memberConfigs gives each member\'s Ignition, drop-in and etcd flags', () => {
    const configs = etcd.memberConfigs();
    expect(configs.map((c) => [c.name, c.zone, c.dnsName])).toEqual([
      ['demo-etcd-0', 'us-central1-a', DNS(0, 'a')],
      ['demo-etcd-1', 'us-central1-b', DNS(1, 'b')],
      ['demo-etcd-2', 'us-central1-c', DNS(2, 'c')],
    ]);
    configs.forEach((config, i) => {
      // In memory the bucket's name is still a token; Terraform fills it in.
      expect(withBucketStandIn(config.ignition, etcd.secretStore!.bucketName)).toEqual(decodeUserData(instances[i].metadata['user-data']));
      expect(config.etcdArgs).toEqual(etcdArgsOf(instances[i]));
      expect(config.etcdEnvironment).toEqual({ ETCD_IMAGE_TAG: `v${DEFAULT_ETCD_VERSION}`, ETCD_INITIAL_CLUSTER_STATE: 'new' });
    });
  });
});

describe('options', () => {
  test('five members wrap round the zones; more options, a base config, and REPLACE on request', () => {
    const { etcd, terraform } = synthEtcd({
      size: 5,
      zones: ['us-central1-b', 'us-central1-f'],
      etcdOptions: { heartbeat_interval: 200 },
      config: 'passwd:\n  users:\n    - name: core\n      ssh_authorized_keys: [ssh-ed25519 AAAA k]\n',
      onConfigChange: ConfigChangeBehavior.REPLACE,
      tags: ['extra'],
    });
    expect(etcd.members.map((m) => m.zone)).toEqual(['us-central1-b', 'us-central1-f', 'us-central1-b', 'us-central1-f', 'us-central1-b']);
    const member = resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-4');
    expect(member.tags).toEqual(['demo-node', 'demo-etcd', 'extra']);
    expect(etcdArgsOf(member)).toContain('--heartbeat-interval=200');
    expect(decodeUserData(member.metadata['user-data']).passwd.users[0].name).toBe('core');
    const [[hashesId, hashes]] = resourcesOf(terraform, 'terraform_data');
    expect(hashesId).toBe('coreos_config_hashes');
    // The config holds the bucket's name, known at apply: Terraform hashes it in with the rest.
    expect(hashes.input.match(/"etcd_member-\d_[0-9A-F]{8}" = jsonencode\(\["[0-9a-f]{64}", google_storage_bucket\.[A-Za-z0-9_-]+\.name\]\)/g)).toHaveLength(5);
    expect(member.lifecycle.replace_triggered_by).toEqual([expect.stringMatching(/^terraform_data\.coreos_config_hashes\.input\["etcd_member-4_[0-9A-F]{8}"\]$/)]);
  });

  test('static internal IPs: reserved addresses, used as the instances\' IPs and in every URL', () => {
    const { etcd, terraform } = synthEtcd({ staticInternalIps: true, subnetwork: 'sub', size: 1 });
    const [[addressId, address]] = resourcesOf(terraform, 'google_compute_address');
    expect(address).toEqual({ name: 'demo-etcd-0', address_type: 'INTERNAL', region: 'us-central1', subnetwork: 'sub' });
    const reference = `google_compute_address.${addressId}.address`;
    const member = resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0');
    expect(member.network_interface[0].network_ip).toBe(`\${${reference}}`);
    expect(member.metadata['user-data']).toContain(`jsonencode(${reference})`);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain(`--initial-cluster=demo-etcd-0=${etcd.members[0].peerUrl}`);
    expect(etcd.members[0].peerUrl).toBe(`https://${etcd.members[0].internalIp}:2380`);
    // The reserved IP is what its certificate names, so it is the advertised client URL too.
    expect(etcd.clientEndpoints).toEqual([`https://${etcd.members[0].internalIp}:2379`]);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain(`--advertise-client-urls=${etcd.clientEndpoints[0]}`);
    expect(resourcesOf(terraform, 'tls_cert_request')[0][1].ip_addresses).toEqual([`\${${reference}}`, '127.0.0.1']);
  });

  test('a project token becomes part of the DNS names in Terraform', () => {
    const stack = newStack();
    const project = new TerraformVariable(stack, 'project', { type: 'string' });
    new EtcdCluster(stack, 'etcd', { ...PROPS, size: 1, project: project.stringValue });
    const member = resourceNamed(synthJson(stack), 'google_compute_instance', 'demo-etcd-0');
    expect(member.metadata['user-data']).toContain('jsonencode(var.project)');
  });

  test('initialClusterState: existing makes members join a running cluster (a flag with one member, which has nobody to rejoin)', () => {
    const { etcd } = synthEtcd({ size: 1, initialClusterState: 'existing' });
    expect(etcd.rejoins).toBe(false);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain('--initial-cluster-state=existing');
    const three = synthEtcd({ size: 3, initialClusterState: 'existing' }).etcd;
    expect(three.rejoins).toBe(true);
    expect(three.memberConfigs()[0].etcdArgs.some((a) => a.startsWith('--initial-cluster-state'))).toBe(false);
    expect(three.memberConfigs()[0].etcdEnvironment.ETCD_INITIAL_CLUSTER_STATE).toBe('existing');
  });
});

describe('secret delivery', () => {
  test('USER_DATA: the three files inline in the user-data (the key 0600, etcd\'s), no bucket, no fetch, no service account, and a warning', () => {
    const stack = newStack();
    const etcd = new EtcdCluster(stack, 'etcd', { ...PROPS, size: 1, secretDelivery: SecretDelivery.USER_DATA });
    const terraform = synthJson(stack);
    const member = resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0');
    const ignition = decodeUserData(member.metadata['user-data']);
    const owners = (path: string) => {
      const { file } = fileOf(ignition, path);
      return [file.mode, `${file.user.name}:${file.group.name}`];
    };
    expect(owners('/etc/ssl/etcd/ca.pem')).toEqual([0o644, 'root:root']);
    expect(owners('/etc/ssl/etcd/server.pem')).toEqual([0o644, 'root:root']);
    expect(owners('/etc/ssl/etcd/server-key.pem')).toEqual([0o600, 'etcd:etcd']);
    expect(fileOf(ignition, '/etc/ssl/etcd/server-key.pem').text).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(member.metadata['user-data']).toContain('base64encode(tls_private_key.');
    expect(dropinOf(ignition, 'etcd-member.service', '30-etcd-tls.conf')).toBe('[Service]\nEnvironment="ETCD_SSL_DIR=/etc/ssl/etcd"\n');
    expect(etcdArgsOf(member)).toEqual(expect.arrayContaining(TLS_ARGS));
    expect(JSON.stringify(ignition)).not.toContain('fetch-secrets');
    expect(member).not.toHaveProperty('service_account');
    expect(member).not.toHaveProperty('depends_on');
    for (const type of ['google_storage_bucket', 'google_storage_bucket_object', 'google_service_account', 'random_id']) expect(resourcesOf(terraform, type)).toEqual([]);
    expect([etcd.secretDelivery, etcd.secretStore, etcd.members[0].secretReader]).toEqual([SecretDelivery.USER_DATA, undefined, undefined]);
    expect(warningsOf(stack)).toEqual([expect.stringContaining("secretDelivery USER_DATA puts the etcd members' private keys in the instances' user-data")]);
  });

  test('USER_DATA with a service account of the user\'s: the VMs run as it', () => {
    const { terraform } = synthEtcd({ size: 1, secretDelivery: SecretDelivery.USER_DATA, serviceAccountEmail: 'etcd@p.iam.gserviceaccount.com' });
    expect(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-0').service_account).toEqual({ email: 'etcd@p.iam.gserviceaccount.com', scopes: ['cloud-platform'] });
  });

  test('a store given (e.g. a cluster\'s, shared with its workers) holds the members\' objects instead of a new one', () => {
    const stack = newStack();
    const store = new ClusterSecretStore(stack, 'shared', { clusterName: 'demo', location: 'us-central1' });
    const etcd = new EtcdCluster(stack, 'etcd', { ...PROPS, size: 1, secretStore: store });
    const terraform = synthJson(stack);
    expect(etcd.secretStore).toBe(store);
    expect(etcd.node.tryFindChild('secrets')).toBeUndefined();
    const [[bucketId]] = resourcesOf(terraform, 'google_storage_bucket');
    expect(resourcesOf(terraform, 'google_storage_bucket')).toHaveLength(1);
    const objects = resourcesOf(terraform, 'google_storage_bucket_object').map(([, o]) => [o.name, o.bucket]);
    expect(objects.sort()).toEqual(['ca.pem', 'server-key.pem', 'server.pem'].map((f) => [`etcd/demo-etcd-0/${f}`, `\${google_storage_bucket.${bucketId}.name}`]));
  });
});

describe('data disks', () => {
  const { etcd, terraform } = synthEtcd();
  const disks = resourcesOf(terraform, 'google_compute_disk');

  test('one protected 10 GB pd-ssd per member, in its zone, attached by device name etcd-data', () => {
    expect(disks.map(([, disk]) => disk)).toEqual(
      ['a', 'b', 'c'].map((zone, i) => ({ name: `demo-etcd-${i}-data`, zone: `us-central1-${zone}`, size: 10, type: 'pd-ssd', lifecycle: { prevent_destroy: true } })),
    );
    disks.forEach(([id], i) => {
      const instance = resourceNamed(terraform, 'google_compute_instance', `demo-etcd-${i}`);
      expect(instance.attached_disk).toEqual([{ device_name: 'etcd-data', source: `\${google_compute_disk.${id}.self_link}` }]);
      // The boot disk stays the VM's own (auto_delete by default): only the data disk outlives it.
      expect(instance.boot_disk).not.toHaveProperty('auto_delete');
    });
    expect(etcd.members.map((m) => m.dataDisk.node.id)).toEqual(['disk-0', 'disk-1', 'disk-2']);
  });

  test('Ignition formats the disk only while blank, mounts it at /var/lib/etcd, and etcd-member requires the mount', () => {
    const ignition = decodeUserData(resourceNamed(terraform, 'google_compute_instance', 'demo-etcd-1').metadata['user-data']);
    expect(ignition.storage.filesystems).toEqual([{ name: 'etcd-data', mount: { device: '/dev/disk/by-id/google-etcd-data', format: 'ext4', label: 'etcd-data' } }]);
    // ct leaves out wipeFilesystem: false; Ignition's default is the same (never wipe).
    expect(ignition.storage.filesystems[0].mount).not.toHaveProperty('wipeFilesystem');
    const mount = ignition.systemd.units.find((u: Json) => u.name === 'var-lib-etcd.mount');
    expect(mount).toEqual({ name: 'var-lib-etcd.mount', contents: expect.stringContaining('What=/dev/disk/by-id/google-etcd-data\nWhere=/var/lib/etcd\nType=ext4\n') });
    expect(dropinOf(ignition, 'etcd-member.service', '30-etcd-data-disk.conf')).toBe('[Unit]\nRequires=var-lib-etcd.mount\nAfter=var-lib-etcd.mount\n');
  });

  test('size, type, labels and protection are props', () => {
    const { terraform: custom } = synthEtcd({ size: 1, dataDiskSizeGb: 50, dataDiskType: 'pd-balanced', protectDataDisks: false, labels: { team: 'infra' } });
    expect(resourcesOf(custom, 'google_compute_disk').map(([, disk]) => disk)).toEqual([
      { name: 'demo-etcd-0-data', zone: 'us-central1-a', size: 50, type: 'pd-balanced', labels: { team: 'infra' } },
    ]);
  });
});

describe('member addressing', () => {
  test('global DNS names: NAME.c.PROJECT.internal in every URL', () => {
    const { etcd } = synthEtcd({ memberAddressing: EtcdMemberAddressing.GLOBAL_DNS });
    expect(etcd.memberAddressing).toBe('global-dns');
    expect(etcd.members.map((m) => m.dnsName)).toEqual([0, 1, 2].map((i) => `demo-etcd-${i}.c.my-project.internal`));
    expect(etcd.initialCluster).toBe([0, 1, 2].map((i) => `demo-etcd-${i}=https://demo-etcd-${i}.c.my-project.internal:2380`).join(','));
    expect(etcd.clientEndpoints[2]).toBe('https://demo-etcd-2.c.my-project.internal:2379');
    expect(etcd.memberConfigs()[1].etcdArgs).toContain('--initial-advertise-peer-urls=https://demo-etcd-1.c.my-project.internal:2380');
    expect(etcd.memberConfigs()[1].etcdArgs).toContain('--advertise-client-urls=https://demo-etcd-1.c.my-project.internal:2379');
  });

  test("the plain string works as well as the constant, and 'static-ip' equals staticInternalIps: true", () => {
    const byString = synthEtcd({ size: 1, memberAddressing: 'static-ip', subnetwork: 'sub' }).terraform;
    const byFlag = synthEtcd({ size: 1, staticInternalIps: true, subnetwork: 'sub' }).terraform;
    expect(byString).toEqual(byFlag);
    expect(synthEtcd({ size: 1, staticInternalIps: false }).etcd.memberAddressing).toBe('zonal-dns');
  });
});

describe('etcd versions and the v2 API', () => {
  const argsOf = (props: Partial<EtcdClusterProps>): string[] => synthEtcd({ size: 1, ...props }).etcd.memberConfigs()[0].etcdArgs as string[];
  const v2 = (args: string[]) => args.filter((arg) => arg.startsWith('--enable-v2'));

  test('3.5 by default, without the v2 API; enableV2Api turns it on', () => {
    expect(synthEtcd({ size: 1 }).etcd.etcdVersion).toBe(DEFAULT_ETCD_VERSION);
    expect(DEFAULT_ETCD_VERSION).toMatch(/^3\.5\.\d+$/);
    expect(v2(argsOf({}))).toEqual([]);
    expect(v2(argsOf({ enableV2Api: true }))).toEqual(['--enable-v2=true']);
    expect(v2(argsOf({ etcdVersion: '3.4.37' }))).toEqual([]);
  });

  test('etcd 3.3 serves v2 unless told not to, so the flag is explicit either way', () => {
    expect(v2(argsOf({ etcdVersion: '3.3.27' }))).toEqual(['--enable-v2=false']);
    expect(v2(argsOf({ etcdVersion: '3.3.27', enableV2Api: true }))).toEqual(['--enable-v2=true']);
  });

  test('CoreOS images (the coreos dialect, whose ct knows etcd up to 3.3) default to the last 3.3', () => {
    const { etcd } = synthEtcd({ size: 1, image: 'coreos-stable' });
    expect(etcd.etcdVersion).toBe('3.3.27');
    expect(etcd.memberConfigs()[0].etcdEnvironment).toEqual({ ETCD_IMAGE_TAG: 'v3.3.27' });
  });

  test('the health endpoint: etcd /health on the metrics listener, port 2381', () => {
    const { etcd } = synthEtcd({ size: 1 });
    expect([etcd.healthCheckPort, etcd.healthCheckPath]).toEqual([2381, '/health']);
    expect(etcd.memberConfigs()[0].etcdArgs).toContain('--listen-metrics-urls=http://0.0.0.0:2381');
  });
});

describe('validation', () => {
  const build = (props: Partial<EtcdClusterProps>) => () => new EtcdCluster(newStack(), 'etcd', { ...PROPS, ...props });

  test.each([0, 2, 4, 11, 2.5, -1])('refuses size %s', (size) => {
    expect(build({ size })).toThrow(`EtcdCluster stack/etcd: size must be an odd number from 1 to 9, so that a majority survives a failure (got ${size})`);
  });

  test('refuses unknown and malformed regions, and zones of another region', () => {
    expect(build({ region: 'mars-central1' })).toThrow('unknown region "mars-central1"');
    expect(build({ region: 'uscentral' })).toThrow('region "uscentral" is not a Compute Engine region name');
    expect(build({ zones: ['us-east1-b'] })).toThrow('zone "us-east1-b" is not a zone of region us-central1');
    expect(build({ zones: ['us-central1-a', 'us-central1-a'] })).toThrow('zones lists us-central1-a more than once');
    expect(build({ region: 'mars-central1', zones: ['mars-central1-a'], size: 1 })).not.toThrow();
  });

  test('uses the real zones of regions without -a', () => {
    const { etcd } = synthEtcd({ region: 'us-east1' });
    expect(etcd.zones).toEqual(['us-east1-b', 'us-east1-c', 'us-east1-d']);
  });

  test('refuses etcd options it sets itself, and duplicate member names', () => {
    expect(build({ etcdOptions: { initial_cluster: 'x' } })).toThrow('etcdOptions.initial_cluster is set by EtcdCluster (bootstrap option)');
    expect(build({ etcdOptions: { version: '3.4.0' } })).toThrow('etcdOptions.version is set by EtcdCluster (use etcdVersion)');
    expect(build({ etcdOptions: { enable_v2: true } })).toThrow('etcdOptions.enable_v2 is set by EtcdCluster (use enableV2Api)');
    expect(build({ etcdOptions: { initial_cluster_state: 'existing' } })).toThrow('etcdOptions.initial_cluster_state is set by EtcdCluster (use initialClusterState)');
    expect(build({ etcdOptions: { listen_metrics_urls: 'http://0.0.0.0:9000' } })).toThrow('etcdOptions.listen_metrics_urls is set by EtcdCluster (health endpoint, port 2381)');
    expect(build({ etcdOptions: { data_dir: '/data' } })).toThrow('etcdOptions.data_dir is set by EtcdCluster (the data lives on the data disk at /var/lib/etcd)');
    // Mutual TLS is not negotiable through etcdOptions: no option may turn it off or swap the certificates.
    for (const option of ['cert_file', 'key_file', 'trusted_ca_file', 'client_cert_auth', 'peer_cert_file', 'peer_key_file', 'peer_trusted_ca_file', 'peer_client_cert_auth', 'auto_tls', 'peer_auto_tls']) {
      expect(build({ etcdOptions: { [option]: false } })).toThrow(`etcdOptions.${option} is set by EtcdCluster (mutual TLS with the cluster's PKI)`);
    }
    const stack = newStack();
    new EtcdCluster(stack, 'one', PROPS);
    expect(() => new EtcdCluster(stack, 'two', { ...PROPS, size: 1 })).toThrow(
      'EtcdCluster stack/two: duplicate instance name "demo-etcd-0": stack/two and stack/one both use it',
    );
  });

  test('refuses etcd releases it cannot configure, and a v2 API etcd no longer has', () => {
    expect(build({ etcdVersion: '3.1.20' })).toThrow(
      'etcdVersion 3.1.20 is older than 3.3, which EtcdCluster needs for its health endpoint (--listen-metrics-urls); upgrade the cluster one minor version at a time to 3.3, then on (docs/etcd.md §5)',
    );
    expect(build({ etcdVersion: '3.5' })).toThrow(`etcdVersion must be a release known at synth, X.Y.Z such as '${DEFAULT_ETCD_VERSION}' (got "3.5")`);
    expect(build({ etcdVersion: '3.6.14', enableV2Api: true })).toThrow('enableV2Api: etcd 3.6.14 has no v2 API (removed in 3.6)');
    expect(build({ etcdVersion: '3.6.14' })).not.toThrow();
  });

  test('refuses unknown addressing and states, contradicting flags, and data disks under 10 GB', () => {
    expect(build({ memberAddressing: 'dns' as EtcdMemberAddressing })).toThrow('memberAddressing must be one of zonal-dns, global-dns, static-ip (got "dns")');
    expect(build({ memberAddressing: 'global-dns', staticInternalIps: true })).toThrow(
      "staticInternalIps: true contradicts memberAddressing: 'global-dns'; set memberAddressing only",
    );
    expect(build({ initialClusterState: 'old' as 'new' })).toThrow(`initialClusterState must be 'new' or 'existing' (got "old")`);
    expect(build({ dataDiskSizeGb: 5 })).toThrow('dataDiskSizeGb must be a whole number of GB, at least 10 (the smallest persistent disk) (got 5)');
  });

  test('refuses an unknown secret delivery, and a secret store with USER_DATA', () => {
    expect(build({ secretDelivery: 'ssh' as SecretDelivery })).toThrow('secretDelivery must be SecretDelivery.CLOUD_STORAGE or SecretDelivery.USER_DATA (got "ssh")');
    const stack = newStack();
    const store = new ClusterSecretStore(stack, 'shared', { clusterName: 'demo', location: 'us-central1' });
    expect(() => new EtcdCluster(stack, 'etcd', { ...PROPS, secretDelivery: SecretDelivery.USER_DATA, secretStore: store })).toThrow(
      'EtcdCluster stack/etcd: secretStore is for SecretDelivery.CLOUD_STORAGE; with USER_DATA the keys are in the user-data',
    );
  });
});

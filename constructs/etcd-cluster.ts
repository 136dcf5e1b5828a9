/**
 * A static etcd cluster of CoreOSInstances: members spread round-robin over the region's zones,
 * bootstrapped from an `initial_cluster` list that is known before any VM exists (internal DNS
 * names or reserved internal IPs), so there is no dependency cycle and no Cloud DNS. Each member
 * keeps its data on a persistent disk of its own. Peers and clients speak mutual TLS with
 * certificates Terraform makes (EtcdPki); each member fetches its key at boot from the cluster's
 * bucket with a service account of its own (docs/security.md). Operations: docs/etcd.md.
 */
import { createHash } from 'node:crypto';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructError } from './construct-error';
import type { EtcdConfig } from '../transpiler';
import { EtcdPki, type EtcdPkiOptions } from './cluster-pki';
import { ConfigChangeBehavior } from './config-change';
import type { ClcSnippet } from './config-composition';
import { CoreOSInstance } from './coreos-instance';
import { ETCD_CLIENT_PORT, ETCD_PEER_PORT } from './cluster-network';
import { addressingOf, EtcdMemberAddressing, memberDnsName } from './etcd-addressing';
import { etcdRejoinSnippet } from './etcd-rejoin';
import { addDataDisk, dataDiskProblems, dataDiskSnippet, DEFAULT_DATA_DISK_SIZE_GB, DEFAULT_DATA_DISK_TYPE } from './etcd-data-disk';
import { etcdArgsFromDropin, etcdDropinOf, etcdEnvironmentFromDropin, type EtcdMemberConfig } from './etcd-member';
import {
  ETCD_SSL_DIR,
  ETCD_TLS_DROPIN,
  ETCD_USER,
  etcdctlSnippet,
  etcdTlsDropin,
  etcdTlsOptions,
  MEMBER_TLS_FILES,
  SecretDelivery,
  tlsDeliverySnippet,
  warnKeysInUserData,
  type ExtraSecretFile,
} from './etcd-tls';
import { etcdVersionFor, etcdVersionProblems, v2ApiOption } from './etcd-version';
import { validateClusterName } from './gce-validation';
import { defaultZones, validateRegion, validateZones } from './gce-location';
import { ComputeAddress, type ComputeDisk } from './google';
import { dialectOf, Image, ImageDistribution } from './image';
import { assignsExternalIp, configSourceOf, instancePropsProblems, type InstanceProps } from './instance-props';
import { claimName } from './name-registry';
import { secretFetchProblems, type SecretFile, type SecretRefresh } from './secret-fetch';
import { ClusterSecretStore, serviceAccountId, STORAGE_READ_SCOPE, type SecretReader } from './secret-store';

export { EtcdMemberAddressing } from './etcd-addressing';
export { DEFAULT_ETCD_VERSION, LEGACY_ETCD_VERSION } from './etcd-version';
export { SecretDelivery } from './etcd-tls';

/** etcd's metrics listener, where it also serves `/health`: the port for health checks. */
export const ETCD_METRICS_PORT = 2381;
/** 200 with `{"health":"true"}` while the member is in a cluster with a leader and no alarm; 503 otherwise. */
export const ETCD_HEALTH_PATH = '/health';

/** `new` to bootstrap the cluster; `existing` for members that join a running one. */
export type EtcdInitialClusterState = 'new' | 'existing';

/** Options EtcdCluster sets itself, and what to use instead. */
const OWN_OPTIONS: Readonly<Record<string, string>> = {
  version: 'use etcdVersion',
  enable_v2: 'use enableV2Api',
  initial_cluster_state: 'use initialClusterState',
  listen_metrics_urls: `health endpoint, port ${ETCD_METRICS_PORT}`,
  data_dir: 'the data lives on the data disk at /var/lib/etcd',
  wal_dir: 'the data lives on the data disk at /var/lib/etcd',
  ...Object.fromEntries(
    ['cert_file', 'key_file', 'trusted_ca_file', 'client_cert_auth', 'peer_cert_file', 'peer_key_file', 'peer_trusted_ca_file', 'peer_client_cert_auth', 'auto_tls', 'peer_auto_tls'].map(
      (o) => [o, 'mutual TLS with the cluster\'s PKI'],
    ),
  ),
  ...Object.fromEntries(
    ['name', 'initial_advertise_peer_urls', 'listen_peer_urls', 'listen_client_urls', 'advertise_client_urls', 'initial_cluster', 'initial_cluster_token'].map((o) => [
      o,
      'bootstrap option',
    ]),
  ),
};

/** Who a memberSecrets hook is asked about. */
export interface EtcdMemberName {
  /** The member's name, `<memberNamePrefix>-<index>`. */
  readonly name: string;
  readonly index: number;
}

/** Who a memberSnippet hook is asked about: the member, its zone and its internal DNS name. */
export interface EtcdMemberLocation extends EtcdMemberName {
  readonly zone: string;
  readonly dnsName: string;
}

/** A secret file a member gets besides its etcd files (memberSecrets). */
export interface MemberSecret {
  /**
   * Object name, relative to the member's prefix (`etcd/<member>/`) or, when shared, to the
   * shared one: letters, digits, `.`, `_`, `~`, `-` and `/`, e.g. `kubernetes/apiserver.key`.
   */
  readonly object: string;
  /** Absolute path on the node, not under the read-only `/usr`. */
  readonly path: string;
  /** Permission bits, e.g. `0o640`. */
  readonly mode: number;
  /** `user:group`, by name or numeric id; a group of memberGroups, e.g. `root:kube-pki`. */
  readonly owner: string;
  /** The contents: a Terraform reference (e.g. a key's `private_key_pem`) or a literal. */
  readonly content: string;
  /**
   * The same content for every member (e.g. a CA key): stored once under sharedSecretPrefix,
   * which every member listing it may read, instead of once per member.
   * @default false
   */
  readonly shared?: boolean;
}

/** A group every member gets (CLC `passwd.groups`). */
export interface MemberGroup {
  /** Its name, e.g. `kube-pki`: a-z, 0-9, `_`, `-`, starting with a letter or `_`, at most 32 characters. */
  readonly name: string;
  /** Its numeric id: fixed, so that every member agrees. */
  readonly gid: number;
}

export interface EtcdClusterProps extends InstanceProps {
  /** Prefix of the member names (`<cluster>-etcd-<i>`, unless memberNamePrefix) and of the tags `<cluster>-etcd` and `<cluster>-node`. */
  readonly clusterName: string;
  /**
   * The members' names are `<memberNamePrefix>-<i>`, e.g. `demo-controller` for controllers that
   * run etcd beside other services. The names become the instances', the data disks'
   * (`<name>-data`), the DNS names, the certificates' common names and the secret prefixes
   * (`etcd/<name>/`); each member's service account is `<clusterName>-<tail>-<i>`, the tail being
   * the prefix without `<clusterName>-` (shortened, with a hash, past 21 characters). 1 to 56
   * characters of a-z, 0-9 and -, starting with a letter, not ending with -: `<prefix>-<i>-data`
   * must fit Compute Engine's 63.
   * @default `<clusterName>-etcd`
   */
  readonly memberNamePrefix?: string;
  /**
   * More secret files for each member, e.g. a Kubernetes controller's keys: called once per member.
   * With CLOUD_STORAGE they become objects (per member under its prefix, `shared` ones once under
   * sharedSecretPrefix, with a second grant for each member's account) that the member's one
   * fetch-secrets.service installs with its etcd files; with USER_DATA, inline files. The cluster
   * is passed for its `pki` (e.g. a client role's certificate).
   * @default - none: the etcd files only
   */
  readonly memberSecrets?: (member: EtcdMemberName, cluster: EtcdCluster) => readonly MemberSecret[];
  /**
   * Groups every member gets, so that owners of memberSecrets which Flatcar does not have (e.g.
   * `root:kube-pki`) can be set. Ignition stops the boot on a group that exists already (`etcd`,
   * `root`, ...): name new ones only.
   * @default - none
   */
  readonly memberGroups?: readonly MemberGroup[];
  /**
   * More config for each member, e.g. a kubelet's units and files, added with origin
   * `memberSnippet() of EtcdCluster <path> for <member>`.
   * @default - none
   */
  readonly memberSnippet?: (member: EtcdMemberLocation) => ClcSnippet;
  /**
   * Units besides etcd-member.service that start only once the member's secrets are installed:
   * each gets the drop-in `Requires=` and `After=` fetch-secrets.service, e.g. `kubelet.service`.
   * With USER_DATA there is no fetch (Ignition writes the files before any unit starts), and they
   * get nothing.
   * @default - none
   */
  readonly requiredBySecrets?: readonly string[];
  /**
   * What a member does when its twice-daily refresh (`fetch-secrets-refresh.timer`, CLOUD_STORAGE)
   * finds a file changed in the bucket, e.g. a certificate a `terraform apply` renewed: `restart`
   * lists the units to restart if running (`systemctl try-restart`), `command` a program to run
   * after them. The members' timers fire at random within an hour, so they do not restart together.
   * Refused with USER_DATA: the files are in the user-data, so a renewed certificate reaches a
   * member only when the member is replaced (docs/security.md §5).
   * @default - restart etcd-member.service and the units of requiredBySecrets, run no command
   */
  readonly secretRefresh?: SecretRefresh;
  /** The region, e.g. `us-central1`: a literal, since zones and DNS names are built from it. */
  readonly region: string;
  /**
   * The project id, for the members' internal DNS names: a string, or a token such as a
   * TerraformVariable's `stringValue`. Being a project id (a-z, 0-9, -), its value goes into
   * etcd's quoted options unchanged (see ConfigOwner.declareQuoteSafe).
   */
  readonly project: string;
  /**
   * Number of members: odd, 1 to 9.
   * @default 3
   */
  readonly size?: number;
  /**
   * Zones to spread the members over, round-robin (member i in zones[i % zones.length]).
   * @default - `<region>-a`, `-b`, `-c` (`-b`, `-c`, `-d` in us-east1 and europe-west1)
   */
  readonly zones?: readonly string[];
  /**
   * How members address each other (peer URLs, `initial_cluster`, clientEndpoints): zonal internal
   * DNS names, global ones, or reserved internal IPs. Which DNS names resolve depends on the
   * project's internal DNS setting (docs/etcd.md §2 tells how to see it).
   * @default EtcdMemberAddressing.ZONAL_DNS: the setting of every project created since
   * September 2018; EtcdMemberAddressing.STATIC_IP when staticInternalIps is true
   */
  readonly memberAddressing?: EtcdMemberAddressing;
  /**
   * Bootstrap from reserved internal IPs instead of internal DNS names.
   * @deprecated use memberAddressing: EtcdMemberAddressing.STATIC_IP
   * @default false
   */
  readonly staticInternalIps?: boolean;
  /**
   * The etcd release (`ETCD_IMAGE_TAG`, and the option set ct accepts), 3.3 or later. Move a
   * running cluster one minor version at a time (docs/etcd.md §5).
   * @default - '3.5.33' (DEFAULT_ETCD_VERSION), the newest 3.5 patch release at the time of
   * writing; '3.3.27' with the coreos dialect (CoreOS images), whose ct knows etcd options only up to 3.3
   */
  readonly etcdVersion?: string;
  /**
   * Serve etcd's v2 API (`--enable-v2`), for clients that still speak it, e.g. flannel reading its
   * config through etcd v2. etcd 3.4 and 3.5 serve it only on request, 3.6 not at all.
   * @default false: v3 clients only (also turned off explicitly on etcd 3.3, which serves v2 by default)
   */
  readonly enableV2Api?: boolean;
  /**
   * How a member with an empty data dir starts: `new` bootstraps the cluster from
   * `initial_cluster`; `existing` joins the running cluster, once `etcdctl member add` has made
   * room for it. A member with data ignores this. On Flatcar with more than one member, a member
   * without data first asks the others and, if the cluster knows it, rejoins as `existing` by
   * itself (etcd-rejoin.ts); elsewhere set `existing` once the cluster has formed, so that a
   * member replaced without its disk joins as a new member (docs/etcd.md §4.3).
   * @default 'new'
   */
  readonly initialClusterState?: EtcdInitialClusterState;
  /**
   * Size of each member's data disk in GB, at least 10. etcd's default backend quota is 2 GiB
   * (8 GiB is its suggested maximum); the rest holds the write-ahead log and snapshots.
   * Persistent disk performance grows with size: a busy cluster wants more.
   * @default 10
   */
  readonly dataDiskSizeGb?: number;
  /**
   * Type of each member's data disk, e.g. `pd-ssd`, `pd-balanced`, `hyperdisk-balanced` (not on
   * e2 machine types).
   * @default 'pd-ssd': etcd waits for an fsync on every write, and SSD persistent disk has the
   * lowest latency of the persistent disk types that every machine type takes
   */
  readonly dataDiskType?: string;
  /**
   * `prevent_destroy` on the data disks: a plan that would delete one (destroy, a renamed cluster
   * or construct, a new disk type) fails instead. Set false to destroy the cluster for good.
   * @default true
   */
  readonly protectDataDisks?: boolean;
  /**
   * More etcd options, as in the CLC `etcd` section (snake_case), e.g. `{ heartbeat_interval: 200 }`.
   * The bootstrap options (name, URLs, initial_cluster*), the metrics listener, the data dir and
   * the v2 switch are EtcdCluster's.
   * @default - none
   */
  readonly etcdOptions?: { readonly [option: string]: string | number | boolean };
  /**
   * What a changed member config does. Replacing every member at once would stop the whole
   * cluster, so changes are ignored; roll them out member by member (`terraform apply
   * -replace=...`: the member comes back with its data disk), or choose REPLACE knowingly.
   * @default ConfigChangeBehavior.IGNORE
   */
  readonly onConfigChange?: ConfigChangeBehavior;
  /**
   * How each member's private key reaches it. CLOUD_STORAGE: from the cluster's bucket at boot,
   * with a service account per member that may read only that member's objects; nothing secret in
   * the metadata. USER_DATA: inline in the user-data, readable by anyone who may read the instance
   * (synth warns).
   * @default SecretDelivery.CLOUD_STORAGE
   */
  readonly secretDelivery?: SecretDelivery;
  /**
   * The bucket for the members' secrets (CLOUD_STORAGE), e.g. one a ContainerLinuxCluster shares
   * with its workers.
   * @default - a new ClusterSecretStore (construct id `secrets`) in the region
   */
  readonly secretStore?: ClusterSecretStore;
  /**
   * Client roles that get a client certificate of the cluster's CA (`pki.client(role)`), e.g.
   * `['flannel']`. Members need none: their own certificate is a client certificate too.
   * @default - none
   */
  readonly clientRoles?: readonly string[];
  /**
   * Key algorithm, validity and early renewal of the certificates (EtcdPki).
   * @default - ECDSA P-256; CA 10 years; certificates 1 year, renewed by any apply in their last 30 days
   */
  readonly pki?: EtcdPkiOptions;
}

/** One member's identity, known at synth (its IP may be a token). */
export interface EtcdMember {
  readonly name: string;
  readonly zone: string;
  /** Its internal DNS name: global (`NAME.c.PROJECT.internal`) with GLOBAL_DNS, else zonal (`NAME.ZONE.c.PROJECT.internal`). */
  readonly dnsName: string;
  readonly peerUrl: string;
  readonly clientUrl: string;
  readonly instance: CoreOSInstance;
  /** The member's internal IP: the reserved address, or the instance's. */
  readonly internalIp: string;
  /** The reserved address (STATIC_IP only). */
  readonly address?: ComputeAddress;
  /** The persistent disk `<name>-data` holding the member's data dir. */
  readonly dataDisk: ComputeDisk;
  /** Its service account, which may read its own secrets only (CLOUD_STORAGE). */
  readonly secretReader?: SecretReader;
}

/**
 * An etcd cluster of `size` CoreOSInstances with construct ids `member-<i>`, `disk-<i>` (and
 * `address-<i>`), `pki` (EtcdPki) and `secrets` (unless a store is given; memberSecrets add
 * `member-<i>-secret-<object>`, `shared-secret-<object>` and `member-<i>-grant-<shared prefix>` to
 * it). Peers talk on 2380,
 * clients on 2379, both over mutual TLS (firewalled by ClusterNetwork); `/health` and `/metrics`
 * are served over plain HTTP on 2381, for health checks.
 */
export class EtcdCluster extends Construct {
  public readonly members: readonly EtcdMember[];
  /** `https://HOST:2379` of every member, HOST as in the peer URLs (DNS name or reserved IP). */
  public readonly clientEndpoints: readonly string[];
  /** The `initial_cluster` list, `name=peerUrl,...`. */
  public readonly initialCluster: string;
  /** `initial_cluster_token`, unique per cluster name. */
  public readonly initialClusterToken: string;
  /** The zones; member i runs in zones[i % zones.length]. */
  public readonly zones: readonly string[];
  /** How the members address each other. */
  public readonly memberAddressing: EtcdMemberAddressing;
  /** The etcd release the members run. */
  public readonly etcdVersion: string;
  /**
   * Whether a member whose data disk is lost rejoins by itself (etcd-rejoin.ts, docs/etcd.md
   * §4.3): on Flatcar, with more than one member.
   */
  public readonly rejoins: boolean;
  /** How a member without data starts unless etcd-rejoin finds the cluster knows it (initialClusterState). */
  public readonly initialClusterState: EtcdInitialClusterState;
  /** Port of etcd's `/health` (the metrics listener), for health checks and their firewall rule. */
  public readonly healthCheckPort: number = ETCD_METRICS_PORT;
  /** Path of etcd's own health endpoint. */
  public readonly healthCheckPath: string = ETCD_HEALTH_PATH;
  /** The CA, the members' certificates and the clients' (clientRoles). */
  public readonly pki: EtcdPki;
  /** How the members' keys reach them. */
  public readonly secretDelivery: SecretDelivery;
  /** The bucket of the members' secrets (CLOUD_STORAGE only). */
  public readonly secretStore?: ClusterSecretStore;
  /** The members' names are `<memberNamePrefix>-<i>`. */
  public readonly memberNamePrefix: string;
  /** Where `shared` memberSecrets are stored, `etcd/<memberNamePrefix>-shared/` (CLOUD_STORAGE only). */
  public readonly sharedSecretPrefix?: string;

  constructor(scope: Construct, id: string, props: EtcdClusterProps) {
    super(scope, id);
    const size = props.size ?? 3;
    const zones = props.zones ?? defaultZones(props.region);
    const image = Image.of(props.image ?? Image.flatcar('stable'));
    const noEtcdMember =
      image.distribution === ImageDistribution.FEDORA_COREOS
        ? [`image "${image.image}" is Fedora CoreOS, which has no etcd-member.service (the Container Linux unit EtcdCluster configures): use Image.flatcar('stable')`]
        : [];
    const { addressing, problems: addressingProblems } = addressingOf(props);
    this.etcdVersion = props.etcdVersion ?? etcdVersionFor(props.dialect ?? dialectOf(image));
    // Flatcar's etcd-wrapper hands the service's environment to etcd; one member has nobody to rejoin.
    this.rejoins = image.distribution === ImageDistribution.FLATCAR && size > 1;
    this.initialClusterState = props.initialClusterState ?? 'new';
    this.secretDelivery = props.secretDelivery ?? SecretDelivery.CLOUD_STORAGE;
    const fromBucket = this.secretDelivery === SecretDelivery.CLOUD_STORAGE;
    this.refuse([
      ...noEtcdMember,
      ...clusterPropsProblems(props, size, zones),
      ...memberHookProblems(props),
      ...addressingProblems,
      ...etcdVersionProblems(this.etcdVersion, props.enableV2Api ?? false),
      ...dataDiskProblems({ sizeGb: props.dataDiskSizeGb }),
      ...secretDeliveryProblems(props, this.secretDelivery),
      // With the bucket, each member runs as its own service account (made here), so scopes apply to it.
      ...instancePropsProblems(fromBucket ? { ...props, serviceAccountEmail: props.serviceAccountEmail ?? 'member-account' } : props, image),
    ]);
    this.memberNamePrefix = props.memberNamePrefix ?? `${props.clusterName}-etcd`;
    const memberName = (i: number) => `${this.memberNamePrefix}-${i}`;
    const accountId = (i: number) => serviceAccountId(props.clusterName, memberRole(props.clusterName, this.memberNamePrefix, i));
    this.guard(() =>
      Array.from({ length: size }, (_, i) => {
        claimName(this, 'instance', memberName(i));
        claimName(this, 'disk', `${memberName(i)}-data`);
        // Ids are project-wide too; two prefixes with one tail would give two clusters of one name the same ids.
        if (fromBucket) claimName(this, 'service account', accountId(i));
      }),
    );
    this.zones = zones;
    this.memberAddressing = addressing;
    this.initialClusterToken = `${props.clusterName}-etcd-${createHash('sha256').update(props.clusterName).digest('hex').slice(0, 12)}`;

    const identities = Array.from({ length: size }, (_, i) => {
      const name = memberName(i);
      const zone = zones[i % zones.length];
      const address =
        addressing === EtcdMemberAddressing.STATIC_IP
          ? new ComputeAddress(this, `address-${i}`, { name, addressType: 'INTERNAL', region: props.region, subnetwork: props.subnetwork })
          : undefined;
      const dnsName = memberDnsName(addressing, name, zone, props.project);
      const ip = address?.address;
      const host = ip ?? dnsName;
      return { name, zone, dnsName, address, ip, peerUrl: `https://${host}:${ETCD_PEER_PORT}`, clientUrl: `https://${host}:${ETCD_CLIENT_PORT}` };
    });
    this.initialCluster = identities.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    this.clientEndpoints = identities.map((m) => m.clientUrl);
    this.pki = new EtcdPki(this, 'pki', {
      clusterName: props.clusterName,
      // Peers and clients check the host of the URL they dial: the DNS name, or the reserved IP.
      members: identities.map((m) => ({ name: m.name, dnsName: m.dnsName, ipAddress: m.ip })),
      clientRoles: props.clientRoles,
      ...props.pki,
    });
    if (fromBucket) this.secretStore = props.secretStore ?? new ClusterSecretStore(this, 'secrets', { clusterName: props.clusterName, location: props.region, labels: props.labels });
    else warnKeysInUserData(this, 'the etcd members\' private keys');
    if (fromBucket) this.sharedSecretPrefix = `etcd/${this.memberNamePrefix}-shared/`;

    // The hook gets the cluster too: its PKI (clientRoles' certificates) exists by now.
    const memberSecrets = identities.map((identity, index) => props.memberSecrets?.({ name: identity.name, index }, this) ?? []);
    this.refuse(memberSecretProblems(identities.map((m) => m.name), memberSecrets));
    // A shared secret is one object, made before any member reads it (their depends_on lists it).
    const sharedPrefix = this.sharedSecretPrefix;
    if (this.secretStore && sharedPrefix !== undefined) {
      const store = this.secretStore;
      const stored = new Set<string>();
      for (const secret of memberSecrets.flat().filter((s) => s.shared)) {
        if (!stored.has(secret.object)) store.addSecret(`shared-secret-${secret.object}`, `${sharedPrefix}${secret.object}`, secret.content);
        stored.add(secret.object);
      }
    }
    const requiredBy = [...new Set(['etcd-member.service', ...(props.requiredBySecrets ?? [])])];

    this.members = identities.map((identity, i) => {
      const reader = this.secretStore?.addReader(`member-${i}`, {
        accountId: accountId(i),
        prefix: `etcd/${identity.name}/`,
        description: `etcd member ${identity.name}: reads its own TLS key from the cluster's secret bucket`,
      });
      const secrets = memberSecrets[i];
      if (reader && sharedPrefix !== undefined && secrets.some((s) => s.shared)) this.secretStore?.grant(reader, sharedPrefix);
      const instance = new CoreOSInstance(this, `member-${i}`, {
        // The shared instance props pass on as given (EtcdCluster's own are not CoreOSInstance's).
        ...props,
        name: identity.name,
        zone: identity.zone,
        machineType: props.machineType ?? 'e2-small',
        image,
        ...configSourceOf(props, true),
        internalIpAddress: identity.ip,
        assignExternalIp: assignsExternalIp(props, false),
        externalIp: undefined,
        tags: [`${props.clusterName}-node`, `${props.clusterName}-etcd`, ...(props.tags ?? [])],
        onConfigChange: props.onConfigChange ?? ConfigChangeBehavior.IGNORE,
        ignoreImageDrift: props.ignoreImageDrift ?? true,
        serviceAccountEmail: reader?.email ?? props.serviceAccountEmail,
        scopes: reader ? [...new Set([STORAGE_READ_SCOPE, ...(props.scopes ?? [])])] : props.scopes,
      });
      // The project is a Google Cloud project id (a-z, 0-9, -): quoted alike by ct and Terraform.
      instance.declareQuoteSafe(props.project);
      const origin = `addSnippet() from EtcdCluster ${this.node.path}`;
      instance.addSnippet({ etcd: this.etcdSection(props, identity), ...dataDiskSnippet() }, origin);
      if (props.memberGroups?.length) instance.addSnippet({ passwd: { groups: props.memberGroups.map((g) => ({ name: g.name, gid: g.gid })) } }, origin);
      const certificate = this.pki.member(identity.name);
      const tls = tlsDeliverySnippet(
        { caPem: this.pki.caCertPem, certPem: certificate.certPem, keyPem: certificate.privateKeyPem },
        {
          delivery: this.secretDelivery,
          files: MEMBER_TLS_FILES,
          keyOwner: `${ETCD_USER}:${ETCD_USER}`,
          requiredBy,
          refresh: props.secretRefresh,
          store: this.secretStore,
          reader,
          objectId: `member-${i}`,
          extraFiles: secrets.map(
            (s): ExtraSecretFile => ({ object: s.object, path: s.path, mode: s.mode, owner: s.owner, content: s.content, storedUnder: s.shared ? sharedPrefix : undefined }),
          ),
        },
      );
      instance.addSnippet(tls, origin);
      instance.addSnippet({ systemd: { units: [{ name: 'etcd-member.service', dropins: [{ name: ETCD_TLS_DROPIN, contents: etcdTlsDropin() }] }] } }, origin);
      instance.addSnippet(etcdctlSnippet(this.clientEndpoints, MEMBER_TLS_FILES), origin);
      if (this.rejoins) {
        instance.addSnippet(
          etcdRejoinSnippet({
            name: identity.name,
            peerUrl: identity.peerUrl,
            otherClientUrls: this.clientEndpoints.filter((url) => url !== identity.clientUrl),
            initialClusterState: this.initialClusterState,
          }),
          origin,
        );
      }
      if (props.memberSnippet) {
        const snippet = props.memberSnippet({ name: identity.name, index: i, zone: identity.zone, dnsName: identity.dnsName });
        instance.addSnippet(snippet, `memberSnippet() of EtcdCluster ${this.node.path} for ${identity.name}`);
      }
      // Created once its grant and objects exist, so that the first fetch usually succeeds (the fetch retries while IAM propagates).
      if (reader && this.secretStore) instance.instance.dependsOn = this.secretStore.dependsOnOf(reader);
      const dataDisk = addDataDisk(this, `disk-${i}`, { name: identity.name, zone: identity.zone, instance }, {
        sizeGb: props.dataDiskSizeGb ?? DEFAULT_DATA_DISK_SIZE_GB,
        type: props.dataDiskType ?? DEFAULT_DATA_DISK_TYPE,
        protect: props.protectDataDisks ?? true,
        labels: props.labels,
      });
      const { ip, ...rest } = identity;
      return { ...rest, instance, dataDisk, internalIp: ip ?? instance.internalIp, secretReader: reader };
    });
  }

  /**
   * Each member's rendered config and identity, for tests and tooling: the Ignition, the etcd
   * drop-in, and etcd's flags from it. Tokens (e.g. a project variable) stay in as cdktf tokens.
   */
  public memberConfigs(): EtcdMemberConfig[] {
    return this.members.map((member) => {
      const etcdDropin = etcdDropinOf(member.instance.ignition, member.instance.generated);
      return {
        name: member.name,
        zone: member.zone,
        dnsName: member.dnsName,
        peerUrl: member.peerUrl,
        clientUrl: member.clientUrl,
        ignition: member.instance.ignition,
        etcdDropin,
        etcdArgs: etcdArgsFromDropin(etcdDropin),
        // With rejoin the starting state is set beside ct's drop-in (etcd-rejoin.ts), not in it.
        etcdEnvironment: { ...etcdEnvironmentFromDropin(etcdDropin), ...(this.rejoins ? { ETCD_INITIAL_CLUSTER_STATE: this.initialClusterState } : {}) },
      };
    });
  }

  private etcdSection(props: EtcdClusterProps, member: { name: string; peerUrl: string; clientUrl: string }): EtcdConfig {
    return {
      version: this.etcdVersion,
      name: member.name,
      // The advertised peer URL must be the one initial_cluster names for this member.
      initial_advertise_peer_urls: member.peerUrl,
      listen_peer_urls: `https://{PRIVATE_IPV4}:${ETCD_PEER_PORT}`,
      // All interfaces, so that etcdctl on the member works over 127.0.0.1 (a SAN); the firewall admits only nodes with certificates.
      listen_client_urls: `https://0.0.0.0:${ETCD_CLIENT_PORT}`,
      // The host its certificate names (DNS name or reserved IP), not the bare IP, which it does not name.
      advertise_client_urls: member.clientUrl,
      // Google's health checkers come to the VM's own address; /health fails when the member has no leader.
      listen_metrics_urls: `http://0.0.0.0:${ETCD_METRICS_PORT}`,
      initial_cluster: this.initialCluster,
      initial_cluster_token: this.initialClusterToken,
      // With rejoin, the state comes from the environment (etcd-rejoin.ts): a flag would override it.
      ...(this.rejoins ? {} : { initial_cluster_state: this.initialClusterState }),
      strict_reconfig_check: true,
      ...v2ApiOption(this.etcdVersion, props.enableV2Api ?? false),
      ...etcdTlsOptions(),
      ...props.etcdOptions,
    };
  }

  private refuse(problems: readonly string[]): void {
    if (problems.length > 0) throw new ConstructError(this, `EtcdCluster ${this.node.path}`, problems.join('; '));
  }

  private guard(step: () => unknown): void {
    try {
      step();
    } catch (error) {
      this.refuse([(error as Error).message]);
    }
  }
}

/** Where the members' keys come from, and the service account each member runs as, must agree. */
function secretDeliveryProblems(props: EtcdClusterProps, delivery: SecretDelivery): string[] {
  if (delivery !== SecretDelivery.CLOUD_STORAGE && delivery !== SecretDelivery.USER_DATA) {
    return [`secretDelivery must be SecretDelivery.CLOUD_STORAGE or SecretDelivery.USER_DATA (got "${String(delivery)}")`];
  }
  if (delivery === SecretDelivery.USER_DATA) {
    return [
      ...(props.secretStore ? ['secretStore is for SecretDelivery.CLOUD_STORAGE; with USER_DATA the keys are in the user-data'] : []),
      ...(props.secretRefresh
        ? ['secretRefresh is for SecretDelivery.CLOUD_STORAGE: with USER_DATA there is no fetch to refresh, and a renewed certificate reaches a member only when it is replaced (terraform apply -replace)']
        : []),
    ];
  }
  return props.serviceAccountEmail !== undefined
    ? [
        'serviceAccountEmail: with SecretDelivery.CLOUD_STORAGE each member runs as a service account EtcdCluster makes, which may read only that member\'s key; ' +
          'grant extra roles to those accounts (members[i].secretReader.email) instead, or use SecretDelivery.USER_DATA to bring your own',
      ]
    : [];
}

/** What is wrong with the props only an etcd cluster has (instancePropsProblems checks the shared ones). */
function clusterPropsProblems(props: EtcdClusterProps, size: number, zones: readonly string[]): string[] {
  const own = Object.keys(props.etcdOptions ?? {}).filter((option) => option in OWN_OPTIONS);
  const state = props.initialClusterState;
  return [
    ...validateClusterName(props.clusterName),
    ...validateRegion(props.region, props.zones !== undefined),
    ...(validateRegion(props.region, true).length === 0 ? validateZones(props.region, zones) : []),
    ...(Token.isUnresolved(size) || (Number.isInteger(size) && size >= 1 && size <= 9 && size % 2 === 1)
      ? []
      : [`size must be an odd number from 1 to 9, so that a majority survives a failure (got ${size})`]),
    ...(state === undefined || state === 'new' || state === 'existing' ? [] : [`initialClusterState must be 'new' or 'existing' (got "${String(state)}")`]),
    ...own.map((option) => `etcdOptions.${option} is set by EtcdCluster (${OWN_OPTIONS[option]})`),
  ];
}

/** Compute Engine names are at most 63 characters: `<prefix>-<i>-data` (i < 9) leaves the prefix 56. */
const MAX_MEMBER_NAME_PREFIX = 56;
const MEMBER_NAME_PREFIX = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** The longest role tail that keeps serviceAccountId valid for every cluster name (role `<tail>-<i>` at most 23). */
const MAX_ROLE_TAIL = 21;
const GROUP_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
/** secretFetchProblems checks a bucket name too; the members' secrets are checked before the bucket exists. */
const STAND_IN_BUCKET = 'checked-later';

/**
 * Member i's role for its service account id: the prefix's tail (the prefix without
 * `<clusterName>-`), so that `demo-etcd` gives `etcd-0` (the id `demo-etcd-0`) and `demo-controller`
 * gives `controller-0`; a long tail is cut and keeps 4 hex digits of its hash, so ids stay distinct.
 */
export function memberRole(clusterName: string, memberNamePrefix: string, i: number): string {
  const tail = memberNamePrefix.startsWith(`${clusterName}-`) ? memberNamePrefix.slice(clusterName.length + 1) : memberNamePrefix;
  if (tail.length <= MAX_ROLE_TAIL) return `${tail}-${i}`;
  const hash = createHash('sha256').update(tail).digest('hex').slice(0, 4);
  return `${tail.slice(0, MAX_ROLE_TAIL - 5).replace(/-+$/, '')}-${hash}-${i}`;
}

/** The hooks' props that can be checked before anything is made. */
function memberHookProblems(props: EtcdClusterProps): string[] {
  const prefix = props.memberNamePrefix;
  const problems: string[] = [];
  if (prefix !== undefined && (Token.isUnresolved(prefix) || !MEMBER_NAME_PREFIX.test(prefix) || prefix.length > MAX_MEMBER_NAME_PREFIX)) {
    problems.push(
      `memberNamePrefix "${prefix}" must be a literal of 1-${MAX_MEMBER_NAME_PREFIX} characters of a-z, 0-9 and -, starting with a letter and not ending with - ` +
        `(members are <prefix>-<i>, their data disks <prefix>-<i>-data, at most 63 characters), e.g. "${props.clusterName}-controller"`,
    );
  }
  const groups = props.memberGroups ?? [];
  for (const group of groups) {
    if (!GROUP_NAME.test(group.name)) problems.push(`memberGroups: "${group.name}" is not a group name (a-z, 0-9, _, -, starting with a letter or _, at most 32 characters)`);
    if (!Number.isInteger(group.gid) || group.gid < 1 || group.gid > 4294967294) problems.push(`memberGroups: gid ${group.gid} of "${group.name}" must be a whole number from 1 to 4294967294`);
  }
  const twice = <T>(values: T[]) => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
  problems.push(...twice(groups.map((g) => g.name)).map((name) => `memberGroups: "${name}" is given twice`));
  problems.push(...twice(groups.map((g) => g.gid)).map((gid) => `memberGroups: gid ${gid} is given twice`));
  if (props.requiredBySecrets?.length) {
    const etcdFiles = memberTlsSecretFiles();
    problems.push(...secretFetchProblems({ bucket: STAND_IN_BUCKET, secrets: etcdFiles, requiredBy: props.requiredBySecrets }).map((p) => `requiredBySecrets: ${p.replace(/^requiredBy: /, '')}`));
  }
  if (props.secretRefresh) {
    problems.push(...secretFetchProblems({ bucket: STAND_IN_BUCKET, secrets: memberTlsSecretFiles(), refresh: props.secretRefresh }).map((p) => `secret${p.replace(/^r/, 'R')}`));
  }
  return problems;
}

/** A member's etcd files, by object and path (what the checks of more files need). */
function memberTlsSecretFiles(): SecretFile[] {
  return [MEMBER_TLS_FILES.ca, MEMBER_TLS_FILES.cert, MEMBER_TLS_FILES.key].map((name) => ({ object: name, path: `${ETCD_SSL_DIR}/${name}`, mode: 0o644, owner: 'root:root' }));
}

/**
 * What is wrong with the memberSecrets hook's answers: the fetch's checks (objects, paths, also
 * beside the etcd files, modes, owners), objects given twice, and shared secrets whose content differs.
 */
function memberSecretProblems(names: readonly string[], secrets: readonly (readonly MemberSecret[])[]): string[] {
  const problems: string[] = [];
  const etcdFiles = memberTlsSecretFiles();
  const etcdObjects = etcdFiles.map((f) => f.object);
  const sharedContent = new Map<string, { member: string; content: string }>();
  secrets.forEach((list, i) => {
    const where = `memberSecrets of ${names[i]}`;
    const files = list.map((s) => ({ object: s.object, path: s.path, mode: s.mode, owner: s.owner }));
    problems.push(...secretFetchProblems({ bucket: STAND_IN_BUCKET, secrets: [...etcdFiles, ...files] }).map((p) => `${where}: ${p}`));
    for (const secret of list.filter((s) => typeof s.content !== 'string')) problems.push(`${where}: secret "${secret.object}" has no content`);
    for (const shared of [false, true]) {
      const objects = list.filter((s) => (s.shared ?? false) === shared).map((s) => s.object);
      for (const object of new Set(objects.filter((o, k) => objects.indexOf(o) !== k))) problems.push(`${where}: ${shared ? 'shared ' : ''}object "${object}" is given twice`);
    }
    for (const secret of list.filter((s) => !s.shared && etcdObjects.includes(s.object))) {
      problems.push(`${where}: object "${secret.object}" is one of the member's etcd files (${etcdObjects.join(', ')}): name it otherwise`);
    }
    for (const secret of list.filter((s) => s.shared)) {
      const first = sharedContent.get(secret.object);
      if (!first) sharedContent.set(secret.object, { member: names[i], content: secret.content });
      else if (first.member !== names[i] && first.content !== secret.content) {
        problems.push(
          `${where}: shared secret "${secret.object}" has other content than for ${first.member}; a shared secret is one object for every member (leave shared out to give each member its own)`,
        );
      }
    }
  });
  return problems;
}

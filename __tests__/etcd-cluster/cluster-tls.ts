/**
 * Test helper: a synthesized cluster's certificates and keys, minted by openssl to what the stack's
 * tls_* resources say (openssl-from-tls.ts), and installed for each node where its
 * fetch-secrets.service would put them (node-tls.ts), under a stand-in root per node.
 */
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mint, OPENSSL_BINARY, tlsPlan, type MintedCert, type TlsPlan } from '../etcd-tls/openssl-from-tls';
import { ETCD_MEMBER_BASE_UNIT, etcdInvocation, etcdMemberDropins, etcdWrapperSslMount, fakeMetadata, METADATA_FILE, type EtcdInvocation, type MemberMachine } from './etcd-member';
import { etcdUnavailable, LocalCluster, type ClientFiles, type HostMapping } from './local-cluster';
import type { Json } from './member-configs';
import { fetchedSecrets, installSecrets, tlsResourcesAsApplied, withExtraIpSans, type FetchedSecret } from './node-tls';
import { parseEnvironmentFile, serviceCommands } from './systemd-exec';

/** Why a TLS etcd cluster cannot run here (etcd, etcdctl, openssl), or undefined when it can. */
export function etcdTlsUnavailable(): string | undefined {
  try {
    accessSync(OPENSSL_BINARY, constants.X_OK);
  } catch {
    return etcdUnavailable() ?? `${OPENSSL_BINARY} not found or not executable (apt-get install openssl)`;
  }
  return etcdUnavailable();
}

/** One node's files: its stand-in root and, per path on the node, the local file. */
export interface NodeFiles {
  readonly root: string;
  readonly secrets: readonly FetchedSecret[];
  readonly files: ReadonlyMap<string, string>;
}

export interface ClusterTls {
  readonly plan: TlsPlan;
  /** By common name. */
  readonly minted: ReadonlyMap<string, MintedCert>;
  /** The CA certificate file. */
  readonly caFile: string;
  /** By node name. */
  readonly nodes: ReadonlyMap<string, NodeFiles>;
}

/**
 * Mints every tls_* certificate of `terraform` under `dir/pki` and installs each node's fetched
 * secrets under `dir/<node>`. `extraIpSans` (member name -> address) adds IP SANs the stack does
 * not have: only for hosts where names are rewritten to addresses (LocalCluster's `rewrite`).
 */
export function provisionClusterTls(
  synthesized: { readonly terraform: Json; readonly references: Readonly<Record<string, string>> },
  nodes: readonly { readonly name: string; readonly ignition: Json }[],
  dir: string,
  extraIpSans: ReadonlyMap<string, string> = new Map(),
): ClusterTls {
  const plan = withExtraIpSans(tlsPlan(tlsResourcesAsApplied(synthesized.terraform, synthesized.references)), extraIpSans);
  if (plan.cas.length !== 1) throw new Error(`expected one CA in the stack, got ${plan.cas.length}`);
  mkdirSync(path.join(dir, 'pki'), { recursive: true });
  const minted = mint(plan, path.join(dir, 'pki'));
  const caFile = [...minted.values()].find((m) => m.cert.address === plan.cas[0].address)?.certFile as string;
  const installed = new Map(
    nodes.map((node) => {
      const root = path.join(dir, node.name);
      const secrets = fetchedSecrets(node.ignition, synthesized.terraform, synthesized.references);
      return [node.name, { root, secrets, files: installSecrets(secrets, minted, root) }];
    }),
  );
  return { plan, minted, caFile, nodes: installed };
}

/** The text of a file in an Ignition 2.x config (a `data:` URL, as user-data has them). */
export function ignitionFileText(ignition: Json, file: string): string {
  const entries = (ignition.storage?.files ?? []).filter((f: Json) => f.path === file);
  if (entries.length !== 1) throw new Error(`expected one ${file} in the Ignition config, got ${entries.length}`);
  const m = /^data:([^,]*),(.*)$/s.exec(entries[0].contents?.source ?? '');
  if (!m) throw new Error(`${file}: not a data: URL`);
  return /;base64$/.test(m[1]) ? Buffer.from(m[2], 'base64').toString('utf8') : decodeURIComponent(m[2]);
}

/** A node's etcdctl.env (ETCDCTL_*), as systemd's EnvironmentFile= and a login shell read it. */
export function etcdctlEnvironment(ignition: Json, file: string): Map<string, string> {
  return parseEnvironmentFile(ignitionFileText(ignition, file));
}

/** The local files of the CA, certificate and key that a node's ETCDCTL_CACERT, _CERT and _KEY name. */
export function clientFilesOf(environment: ReadonlyMap<string, string>, node: NodeFiles): ClientFiles {
  const local = (variable: string) => {
    const onNode = environment.get(variable);
    const file = onNode === undefined ? undefined : node.files.get(onNode);
    if (file === undefined) throw new Error(`${variable}=${onNode}: fetch-secrets installs no such file on the node (it installs ${[...node.files.keys()].join(', ')})`);
    return file;
  };
  return { ca: local('ETCDCTL_CACERT'), cert: local('ETCDCTL_CERT'), key: local('ETCDCTL_KEY') };
}

/**
 * Starts the members as etcd-member.service runs them: each one's etcd flags read from its
 * rendered drop-ins, and its installed /etc/ssl/etcd mounted where etcd-wrapper mounts
 * $ETCD_SSL_DIR. `args` replaces a member's flags (e.g. a copy the test edits).
 */
/**
 * What etcd reads from the environment etcd-wrapper hands it (the service's): the ETCD_* settings,
 * without ETCD_DATA_DIR (the wrapper points it at its container's /var/lib/etcd; here `--data-dir`
 * says where) and ETCD_NAME (the wrapper drops it when `--name` is given).
 */
export function etcdEnvironment(invocation: EtcdInvocation): Record<string, string> {
  return Object.fromEntries([...invocation.environment].filter(([key]) => key.startsWith('ETCD_') && key !== 'ETCD_DATA_DIR' && key !== 'ETCD_NAME'));
}

/** etcd-member's ExecStartPre (etcd-rejoin and its arguments) as systemd would run it on `machine`. */
export function etcdRejoinArgv(ignition: Json, machine: MemberMachine): string[] {
  const files = [{ name: 'etcd-member.service', text: ETCD_MEMBER_BASE_UNIT }, ...etcdMemberDropins(ignition)];
  const [pre] = serviceCommands(files, 'ExecStartPre', (file) => (file === METADATA_FILE ? fakeMetadata(machine) : undefined));
  return pre.argv;
}

/** Writes the node's etcdctl.env as `file`, naming its certificate where it is installed here (etcd-rejoin's ETCD_REJOIN_ETCDCTL_ENV). */
export function writeLocalEtcdctlEnv(ignition: Json, node: NodeFiles, file: string): string {
  const files = clientFilesOf(etcdctlEnvironment(ignition, '/etc/etcd/etcdctl.env'), node);
  writeFileSync(file, `ETCDCTL_CACERT=${files.ca}\nETCDCTL_CERT=${files.cert}\nETCDCTL_KEY=${files.key}\n`);
  return file;
}

export function startRenderedMembers(
  members: readonly { readonly name: string; readonly ignition: Json }[],
  machines: readonly MemberMachine[],
  nodes: ReadonlyMap<string, NodeFiles>,
  options: { hostMapping: HostMapping; client?: ClientFiles; otherHosts?: ReadonlyMap<string, string>; args?: (index: number) => readonly string[] },
): { cluster: LocalCluster; invocations: EtcdInvocation[] } {
  const invocations = members.map((m, i) => etcdInvocation(etcdMemberDropins(m.ignition), machines[i]));
  const root = (i: number) => {
    const node = nodes.get(members[i].name);
    if (!node) throw new Error(`no installed files for ${members[i].name}`);
    return node.root;
  };
  const cluster = LocalCluster.startMachines(
    machines,
    (i) => ({ args: options.args?.(i) ?? invocations[i].args, mounts: [etcdWrapperSslMount(invocations[i], root(i))], env: etcdEnvironment(invocations[i]) }),
    { hostMapping: options.hostMapping, client: options.client, otherHosts: options.otherHosts },
  );
  return { cluster, invocations };
}

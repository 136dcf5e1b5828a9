/**
 * Test helper: from a member's rendered Ignition to the `etcd` command line systemd would run on
 * the machine, with the GCE metadata the machine would have replaced by loopback stand-ins.
 */
import { loadService, execService, type FileReader } from './systemd-exec';

export const ETCD_MEMBER_UNIT = 'etcd-member.service';
export const ETCD_DROPIN = '20-clct-etcd-member.conf';
export const ETCD_WRAPPER = '/usr/lib/coreos/etcd-wrapper';
/** Where etcd-wrapper mounts the host's `$ETCD_SSL_DIR`, read-only, in etcd's container. */
export const ETCD_WRAPPER_SSL_MOUNT = '/etc/ssl/certs';
/** coreos-metadata's output, which ct's gce dynamic data refers to. */
export const METADATA_FILE = '/run/metadata/coreos';

/**
 * A stand-in for Container Linux's own etcd-member.service: only the ExecStart that ct's drop-in
 * resets and replaces matters here. (The real unit also sets ETCD_* variables such as ETCD_NAME
 * and ETCD_DATA_DIR, which etcd-wrapper hands to etcd; etcd 3.4 lets a flag shadow them.)
 */
export const ETCD_MEMBER_BASE_UNIT = `[Unit]
Description=etcd (System Application Container)

[Service]
Type=notify
ExecStart=${ETCD_WRAPPER} $ETCD_OPTS
`;

/** One member as the machine would see it. */
export interface MemberMachine {
  /** The instance name: `%H`-style specifiers and the expected etcd name. */
  readonly name: string;
  /** The internal DNS name other members reach it by (`NAME.ZONE.c.PROJECT.internal`). */
  readonly dnsName: string;
  /** The loopback address standing in for its internal IP, e.g. 127.0.0.11. */
  readonly ip: string;
}

/** What coreos-metadata would write to /run/metadata/coreos on this machine (GCE provider). */
export function fakeMetadata(machine: MemberMachine): string {
  return [`COREOS_GCE_HOSTNAME=${machine.dnsName}`, `COREOS_GCE_IP_LOCAL_0=${machine.ip}`, `COREOS_GCE_IP_EXTERNAL_0=${machine.ip}`, ''].join('\n');
}

/** The etcd drop-in of `etcd-member.service` in an Ignition 2.x config (object form). */
export function etcdDropin(ignition: Record<string, unknown>): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const units: any[] = (ignition as any).systemd?.units ?? [];
  const unit = units.find((u) => u.name === ETCD_MEMBER_UNIT);
  if (!unit) throw new Error(`no ${ETCD_MEMBER_UNIT} in the Ignition config`);
  if (unit.enable !== true && unit.enabled !== true) throw new Error(`${ETCD_MEMBER_UNIT} is not enabled`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const dropin = (unit.dropins ?? []).find((d: any) => d.name === ETCD_DROPIN);
  if (!dropin || typeof dropin.contents !== 'string') throw new Error(`no ${ETCD_DROPIN} drop-in in ${ETCD_MEMBER_UNIT}`);
  return dropin.contents;
}

/** The etcd process systemd would end up starting (through etcd-wrapper) for a member. */
export interface EtcdInvocation {
  /** etcd's arguments, without argv[0]: exactly what etcd-wrapper passes on ("$@"). */
  readonly args: readonly string[];
  /** The service environment (Environment= and the metadata file). */
  readonly environment: ReadonlyMap<string, string>;
  /** systemd's warnings while reading the unit (should be none). */
  readonly warnings: readonly string[];
}

/** Every drop-in of etcd-member.service in an Ignition 2.x config (ct's, the data disk's, TLS...), in the order systemd applies them: by file name. */
export function etcdMemberDropins(ignition: Record<string, unknown>): { name: string; text: string }[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const units: any[] = (ignition as any).systemd?.units ?? [];
  return units
    .filter((u) => u.name === ETCD_MEMBER_UNIT)
    .flatMap((u) => u.dropins ?? [])
    .map((d: { name: string; contents: string }) => ({ name: d.name, text: d.contents }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Reads the drop-ins (ct's alone, or all of the unit's) the way systemd does and strips the
 * wrapper from the one ExecStart command.
 */
export function etcdInvocation(dropins: string | readonly { name: string; text: string }[], machine: MemberMachine): EtcdInvocation {
  const files = typeof dropins === 'string' ? [{ name: ETCD_DROPIN, text: dropins }] : dropins;
  const service = loadService({ name: ETCD_MEMBER_UNIT, specifiers: { H: machine.name, l: machine.name } }, [
    { name: `/usr/lib/systemd/system/${ETCD_MEMBER_UNIT}`, text: ETCD_MEMBER_BASE_UNIT },
    ...files.map((f) => ({ name: `/etc/systemd/system/${ETCD_MEMBER_UNIT}.d/${f.name}`, text: f.text })),
  ]);
  const readFile: FileReader = (path) => (path === METADATA_FILE ? fakeMetadata(machine) : undefined);
  const exec = execService(service, readFile);
  if (exec.commands.length !== 1) throw new Error(`expected one ExecStart command, got ${exec.commands.length}`);
  const [command] = exec.commands;
  if (command.path !== ETCD_WRAPPER || command.argv[0] !== ETCD_WRAPPER) throw new Error(`ExecStart runs ${command.path}, not ${ETCD_WRAPPER}`);
  const args = command.argv.slice(1);
  for (const arg of args) {
    if (!/^--[a-z0-9-]+(=|$)/.test(arg)) throw new Error(`not an etcd flag: ${JSON.stringify(arg)}`);
  }
  return { args, environment: exec.environment, warnings: service.warnings };
}

/**
 * etcd-wrapper's mount of the service's `$ETCD_SSL_DIR`: `source` is that directory under `root`
 * (the node's stand-in root), `target` the path in etcd's container (docs/security.md §4).
 */
export function etcdWrapperSslMount(invocation: EtcdInvocation, root: string): { source: string; target: string } {
  const dir = invocation.environment.get('ETCD_SSL_DIR');
  if (dir === undefined || !dir.startsWith('/')) throw new Error(`etcd-member.service sets no absolute ETCD_SSL_DIR (got ${JSON.stringify(dir)}): etcd-wrapper would mount nothing of the node's own at ${ETCD_WRAPPER_SSL_MOUNT}`);
  return { source: `${root}${dir}`, target: ETCD_WRAPPER_SSL_MOUNT };
}

/** The value of `--flag` (last one wins, as with Go's flag package), or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (const arg of args) {
    if (arg === `--${flag}`) value = 'true';
    else if (arg.startsWith(`--${flag}=`)) value = arg.slice(flag.length + 3);
  }
  return value;
}

/** Replaces the value of every `--flag=...` (keeping its position). */
export function withFlag(args: readonly string[], flag: string, value: string): string[] {
  return args.map((arg) => (arg.startsWith(`--${flag}=`) ? `--${flag}=${value}` : arg));
}

/**
 * What the etcd section of one member says, as data: the flags etcd-wrapper runs etcd with, read
 * back from the drop-in ct generated for it. For tests that start real etcd processes.
 */
import type { GeneratedOutput } from '../transpiler';

/** One member's rendered config and identity. */
export interface EtcdMemberConfig {
  /** Instance and etcd member name, `<cluster>-etcd-<i>`. */
  readonly name: string;
  readonly zone: string;
  /** Internal DNS name: zonal (`NAME.ZONE.c.PROJECT.internal`), or global (`NAME.c.PROJECT.internal`) with GLOBAL_DNS. */
  readonly dnsName: string;
  /** The member's peer URL in `initial_cluster`. */
  readonly peerUrl: string;
  /** The member's client URL in `clientEndpoints`. */
  readonly clientUrl: string;
  /** The Ignition config (spec 2.2.0 unless the cluster chose 3.3.0), tokens in place. */
  readonly ignition: Record<string, unknown>;
  /** The text of the drop-in ct generated for the etcd section (of `etcd-member.service`). */
  readonly etcdDropin: string;
  /**
   * etcd's flags from the drop-in, unquoted, e.g. `--listen-peer-urls=http://${COREOS_GCE_IP_LOCAL_0}:2380`
   * (on GCE, coreos-metadata fills `COREOS_GCE_IP_LOCAL_0` with the private IPv4).
   */
  readonly etcdArgs: readonly string[];
  /** `Environment=` assignments of the drop-in, e.g. `{ ETCD_IMAGE_TAG: 'v3.5.33' }`, and with rejoin the starting state (`ETCD_INITIAL_CLUSTER_STATE`). */
  readonly etcdEnvironment: Readonly<Record<string, string>>;
}

interface IgnitionUnits {
  readonly systemd?: { readonly units?: readonly { readonly name: string; readonly dropins?: readonly { readonly name: string; readonly contents?: string }[] }[] };
}

/**
 * The drop-in ct generated for the etcd section, in an Ignition 2.x or 3.x config; `generated` is
 * what the transpiler says it generated (`CoreOSInstance.generated`).
 */
export function etcdDropinOf(ignition: Record<string, unknown>, generated: readonly GeneratedOutput[]): string {
  const etcd = generated.find((output) => output.kind === 'dropin' && output.section === 'etcd');
  if (etcd?.kind !== 'dropin') throw new Error('the config has no etcd section');
  const unit = (ignition as IgnitionUnits).systemd?.units?.find((u) => u.name === etcd.unit && u.dropins?.some((d) => d.name === etcd.dropin));
  const contents = unit?.dropins?.find((d) => d.name === etcd.dropin)?.contents;
  if (contents === undefined) throw new Error(`no ${etcd.dropin} drop-in for ${etcd.unit} in this config`);
  return contents;
}

/** `--flag="value"` lines after etcd-wrapper's ExecStart, with ct's Go `%q` quoting undone. */
export function etcdArgsFromDropin(dropin: string): string[] {
  return [...dropin.matchAll(/^ {2}(--[a-z0-9-]+)=("(?:[^"\\]|\\.)*"|\S+)(?: \\)?$/gm)].map(([, flag, value]) =>
    value.startsWith('"') ? `${flag}=${JSON.parse(value) as string}` : `${flag}=${value}`,
  );
}

export function etcdEnvironmentFromDropin(dropin: string): Record<string, string> {
  const assignments = [...dropin.matchAll(/^Environment="([A-Z0-9_]+)=(.*)"$/gm)];
  return Object.fromEntries(assignments.map(([, name, value]) => [name, value]));
}

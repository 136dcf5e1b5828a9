/**
 * How etcd members address each other in `initial_cluster` and the client endpoints: a name or
 * address known before any VM exists, so the static bootstrap needs neither Cloud DNS nor a
 * dependency cycle. Which DNS names a project resolves is its internal DNS setting (docs/etcd.md §2).
 */

/**
 * The ways members can address each other. A const object with a type of the same name, so that
 * both `EtcdMemberAddressing.GLOBAL_DNS` and the plain string `'global-dns'` type-check.
 */
export const EtcdMemberAddressing = {
  /**
   * Zonal internal DNS names, `NAME.ZONE.c.PROJECT.internal`: the default of projects created
   * since September 2018, and of every project whose internal DNS setting is zonal.
   */
  ZONAL_DNS: 'zonal-dns',
  /** Global internal DNS names, `NAME.c.PROJECT.internal`: older projects on global DNS. */
  GLOBAL_DNS: 'global-dns',
  /**
   * Reserved internal IPs (`google_compute_address`, type INTERNAL, one per member, used as the
   * VM's IP): works whatever the project's DNS setting.
   */
  STATIC_IP: 'static-ip',
} as const;
export type EtcdMemberAddressing = (typeof EtcdMemberAddressing)[keyof typeof EtcdMemberAddressing];

/** What chooses the addressing: EtcdClusterProps.memberAddressing, and its deprecated boolean form. */
export interface AddressingChoice {
  readonly memberAddressing?: EtcdMemberAddressing;
  readonly staticInternalIps?: boolean;
}

/** The addressing chosen, and what is wrong with the choice. */
export function addressingOf(props: AddressingChoice): { addressing: EtcdMemberAddressing; problems: string[] } {
  const known = Object.values(EtcdMemberAddressing) as string[];
  if (props.memberAddressing !== undefined && !known.includes(props.memberAddressing)) {
    return { addressing: EtcdMemberAddressing.ZONAL_DNS, problems: [`memberAddressing must be one of ${known.join(', ')} (got "${props.memberAddressing}")`] };
  }
  const fromFlag = props.staticInternalIps === undefined ? undefined : props.staticInternalIps ? EtcdMemberAddressing.STATIC_IP : EtcdMemberAddressing.ZONAL_DNS;
  const conflict =
    props.memberAddressing !== undefined && fromFlag !== undefined && (props.staticInternalIps === true) !== (props.memberAddressing === EtcdMemberAddressing.STATIC_IP);
  return {
    addressing: props.memberAddressing ?? fromFlag ?? EtcdMemberAddressing.ZONAL_DNS,
    problems: conflict ? [`staticInternalIps: ${props.staticInternalIps} contradicts memberAddressing: '${props.memberAddressing}'; set memberAddressing only`] : [],
  };
}

/** The member's internal DNS name: global with GLOBAL_DNS, zonal otherwise (informational with STATIC_IP). */
export function memberDnsName(addressing: EtcdMemberAddressing, name: string, zone: string, project: string): string {
  return addressing === EtcdMemberAddressing.GLOBAL_DNS ? `${name}.c.${project}.internal` : `${name}.${zone}.c.${project}.internal`;
}

/**
 * A member whose data disk is lost comes back by itself (docs/etcd.md §4.3 did it by hand): before
 * every start of etcd-member, `/opt/bin/etcd-rejoin` looks at the data dir. With data, the member
 * is itself and nothing happens. Without, it asks the other members for the member list:
 *
 * - nobody answers: the cluster is being made (or is down): start as configured;
 * - this member's peer URL is listed with client URLs (it has run): it is known but its data is
 *   gone, so `member remove` its old ID, `member add` it again, and start as `existing`;
 * - listed without client URLs (it has never run: added, or not yet up at the first bootstrap):
 *   start as `existing`;
 * - not listed (removed): `member add`, and start as `existing`.
 *
 * The decision reaches etcd through the environment: the script writes
 * `ETCD_INITIAL_CLUSTER_STATE=existing` into a file under /run, which the drop-in's
 * `EnvironmentFile=` reads for ExecStart (systemd reads it after ExecStartPre has run), overriding
 * the drop-in's `Environment=ETCD_INITIAL_CLUSTER_STATE=<configured>`; etcd-wrapper hands the whole
 * environment to etcd's container. So the configured state is not an `ETCD_OPTS` flag: a flag
 * would win over the environment. As an ExecStartPre, it runs again on each of systemd's restarts:
 * a remove or add that failed (no quorum yet) is tried again. Uses sh, etcdctl, grep and coreutils,
 * which Flatcar ships.
 */
import type { ContainerLinuxConfig } from '../transpiler';
import { ETCD_DATA_DIR } from './etcd-data-disk';
import { ETCDCTL_ENV_FILE } from './etcd-tls';

export const ETCD_REJOIN_SCRIPT = '/opt/bin/etcd-rejoin';
/** Written by the script when the member must start as `existing`; read by etcd-member's EnvironmentFile=. */
export const ETCD_REJOIN_ENV_FILE = '/run/etcd-rejoin.env';
export const ETCD_REJOIN_DROPIN = '40-etcd-rejoin.conf';

export interface EtcdRejoinOptions {
  /** The member's name. */
  readonly name: string;
  /** The member's peer URL, as the initial cluster names it. */
  readonly peerUrl: string;
  /** The other members' client URLs. */
  readonly otherClientUrls: readonly string[];
  /** The state a member with data, or the first bootstrap, starts in. */
  readonly initialClusterState: 'new' | 'existing';
}

/** etcd-member's drop-in: the configured state, the script's override, and the script before each start. */
export function etcdRejoinDropin(options: EtcdRejoinOptions): string {
  return `[Service]
Environment=ETCD_INITIAL_CLUSTER_STATE=${options.initialClusterState}
EnvironmentFile=-${ETCD_REJOIN_ENV_FILE}
ExecStartPre=${ETCD_REJOIN_SCRIPT} ${options.name} ${options.peerUrl} ${options.otherClientUrls.join(' ')}
`;
}

/** The script, its etcd-member drop-in, as a Container Linux Config snippet. */
export function etcdRejoinSnippet(options: EtcdRejoinOptions): ContainerLinuxConfig {
  return {
    storage: { files: [{ filesystem: 'root', path: ETCD_REJOIN_SCRIPT, mode: 0o755, contents: { inline: ETCD_REJOIN_SH } }] },
    systemd: { units: [{ name: 'etcd-member.service', dropins: [{ name: ETCD_REJOIN_DROPIN, contents: etcdRejoinDropin(options) }] }] },
  };
}

/**
 * The script: `etcd-rejoin NAME PEER_URL CLIENT_URL...`. Environment for tests: ETCD_REJOIN_DATA_DIR,
 * ETCD_REJOIN_ENV_FILE, ETCD_REJOIN_ETCDCTL_ENV (the file with ETCDCTL_CACERT, _CERT, _KEY).
 * Exits 0 when etcd may start (the state file written or not), 1 when a remove or add failed.
 */
export const ETCD_REJOIN_SH = `#!/bin/sh
# etcd-rejoin: brings this member back as a new member when its data is gone (cdktf-coreos,
# etcd-rejoin.ts). Usage: etcd-rejoin NAME PEER_URL CLIENT_URL... (the other members' client URLs)
set -u
data=\${ETCD_REJOIN_DATA_DIR:-${ETCD_DATA_DIR}}
out=\${ETCD_REJOIN_ENV_FILE:-${ETCD_REJOIN_ENV_FILE}}
ctl_env=\${ETCD_REJOIN_ETCDCTL_ENV:-${ETCDCTL_ENV_FILE}}
log() { printf 'etcd-rejoin: %s\\n' "$*" >&2; }

if [ $# -lt 2 ]; then log 'usage: etcd-rejoin NAME PEER_URL CLIENT_URL...'; exit 2; fi
name=$1 peer=$2
shift 2
rm -f -- "$out"
# With data, etcd restarts as itself.
if [ -d "$data/member" ]; then exit 0; fi
if [ $# -eq 0 ]; then log 'no other member: starting as configured'; exit 0; fi

# This node's certificate for etcdctl; the endpoints are the other members only (a flag beside
# ETCDCTL_ENDPOINTS would be refused as a conflict).
if [ -r "$ctl_env" ]; then set -a; . "$ctl_env"; set +a; fi
ETCDCTL_API=3
ETCDCTL_ENDPOINTS=$(printf '%s,' "$@")
ETCDCTL_ENDPOINTS=\${ETCDCTL_ENDPOINTS%,}
export ETCDCTL_API ETCDCTL_ENDPOINTS
ctl() { etcdctl --dial-timeout=3s --command-timeout=10s "$@"; }
# With strict reconfig checks the leader refuses a change until it has been connected to every
# member for 5 s (right after a remove, too): a few tries, 2 s apart; then systemd's restart.
add() {
  tries=0
  until reply=$(ctl member add "$name" --peer-urls="$peer" 2>&1); do
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then log "member add failed: $(printf '%s' "$reply" | tail -n 1)"; return 1; fi
    sleep 2
  done
}

if ! list=$(ctl member list 2>&1); then
  log "no other member answers ($(printf '%s' "$list" | tail -n 1)): starting as configured"
  exit 0
fi
# Lines: ID, STATUS, NAME, PEER URLS, CLIENT URLS, IS LEARNER
line=$(printf '%s\\n' "$list" | grep -F -- ", $peer," || true)
if [ -z "$line" ]; then
  log "$name ($peer) is not a member: adding it"
  add || exit 1
else
  id=\${line%%,*}
  # The fifth column, client URLs: a member that has ever run has published them; one that never
  # has (added, or named by the initial cluster and not up yet) has none. The status column cannot
  # tell: it says "started" for every member with a name, and the initial cluster names them all.
  rest=\${line#*, }; rest=\${rest#*, }; rest=\${rest#*, }; rest=\${rest#*, }
  clients=\${rest%%,*}
  if [ -n "$clients" ]; then
    log "$name ($id) is a member but its data is gone: removing it and adding it back"
    ctl member remove "$id" >/dev/null || { log "member remove $id failed"; exit 1; }
    add || exit 1
  else
    log "$name ($id) is listed but has never run: joining"
  fi
fi
printf 'ETCD_INITIAL_CLUSTER_STATE=existing\\n' > "$out.tmp" && mv -f -- "$out.tmp" "$out" || { log "cannot write $out"; exit 1; }
log "starting as existing"
`;

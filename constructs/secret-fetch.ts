/**
 * Secrets delivered without SSH and without instance metadata (issue 15): a boot-time oneshot,
 * `fetch-secrets.service`, downloads a node's secrets (TLS keys) from the cluster's Cloud Storage
 * bucket with the node's service account, and installs them before the units that need them. It
 * runs at every boot, so a reboot picks up whatever the bucket holds. A running node picks up
 * renewed certificates through `fetch-secrets-refresh.timer`, which runs the same script in refresh
 * mode (`fetch-secrets-refresh.service`) twice a day.
 *
 *   network-online.target → fetch-secrets.service → etcd-member.service (and any other unit given)
 *   fetch-secrets-refresh.timer → fetch-secrets-refresh.service → systemctl try-restart (if changed)
 *
 * The script (`/opt/bin/fetch-secrets`: Flatcar's `/usr` is read-only) is POSIX `sh` and `curl`:
 *
 * - token: `GET $GCE_METADATA_URL/computeMetadata/v1/instance/service-accounts/default/token` with
 *   `Metadata-Flavor: Google`; `access_token` and `expires_in` are cut out of the JSON with sed.
 *   It is refreshed 60 s before it expires and after any 401. It is given to curl on stdin
 *   (`curl -K -`), so it never shows on a command line.
 * - each object: `GET $GCS_API_URL/storage/v1/b/<bucket>/o/<object, / as %2F>?fields=size,generation`,
 *   then `...?alt=media&generation=<that generation>`: the body is that exact generation, and it is
 *   complete only when its byte count equals the metadata's `size` (a short body, with or without a
 *   Content-Length, is retried; curl's own transfer errors, e.g. 18 "partial file", are retried too).
 * - retries: connection errors, curl time-outs, 401 (new token; the first 401 in a row is retried at
 *   once), 403 (IAM grants take minutes to propagate), 404 (object not uploaded yet), 408, 429 and
 *   5xx, a metadata reply without size or generation, and a short body, with exponential backoff
 *   (`backoffInitialSeconds`, doubled after each failure, capped at `backoffMaxSeconds`; reset for
 *   each object) until `deadlineSeconds` after the script started. Each request is limited to
 *   `requestTimeoutSeconds` and to the time left (at least 1 s), connection set-up to 5 s. Any other
 *   HTTP status (e.g. 400 for a bad name) fails at once.
 * - install: every object is downloaded into a temporary file (mode 0600, `mktemp` in the target's
 *   directory) first; once all are complete, each is chowned, chmodded, then renamed over its path
 *   (`mv`, one rename(2) in one directory, so a reader sees the old file or the new one). On any
 *   failure the temporary files are removed, no target is touched, and the script exits 1: the unit
 *   fails, and the units that `Requires=` it do not start.
 * - refresh mode (`FETCH_SECRETS_MODE=refresh`): the same downloads, then each is compared with its
 *   installed file (`sha256sum`). All equal: the temporary files go, nothing is touched, exit 0. Any
 *   different or missing: every file is installed as above, then `systemctl try-restart` of the
 *   units in `FETCH_SECRETS_RESTART` (only those running: a stopped one reads the files when it
 *   starts), then the command in `FETCH_SECRETS_ON_CHANGE`; a failure of either exits 1, with the
 *   files installed.
 *
 * Missing target directories are created (mode 0755, root's); the files' modes protect the keys.
 * Objects must be stored as they are (no `Content-Encoding: gzip`: GCS would serve them decompressed,
 * and their size would not match).
 */
import { Token } from 'cdktf';
import type { ContainerLinuxConfig, SystemdUnitConfig } from '../transpiler';

export const FETCH_SECRETS_UNIT = 'fetch-secrets.service';
/** The refresh run of the script: re-fetches, and restarts the units given if a file changed. */
export const FETCH_SECRETS_REFRESH_UNIT = 'fetch-secrets-refresh.service';
/** Starts FETCH_SECRETS_REFRESH_UNIT an hour after boot, then every 12 hours. */
export const FETCH_SECRETS_REFRESH_TIMER = 'fetch-secrets-refresh.timer';
export const FETCH_SECRETS_SCRIPT = '/opt/bin/fetch-secrets';
/** The drop-in each dependent unit gets: `Requires=` and `After=` fetch-secrets.service. */
export const FETCH_SECRETS_DROPIN = '20-fetch-secrets.conf';

export const DEFAULT_SECRET_DEADLINE_SECONDS = 600;
export const DEFAULT_BACKOFF_INITIAL_SECONDS = 1;
export const DEFAULT_BACKOFF_MAX_SECONDS = 32;
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

/**
 * The refresh timer's schedule (systemd time spans). Certificates are renewed by an apply in their
 * last 30 days, so twice a day reaches a node with weeks to spare while costing a few requests; the
 * random delay spreads a cluster's nodes over an hour, so that its members do not restart together.
 */
export const REFRESH_ON_BOOT = '1h';
export const REFRESH_INTERVAL = '12h';
export const REFRESH_RANDOMIZED_DELAY = '1h';

/** One secret: an object under the prefix, installed at `path`. */
export interface SecretFile {
  /** Object name under `prefix`, e.g. `etcd/peer.key`: letters, digits, `.`, `_`, `~`, `-` and `/`. */
  readonly object: string;
  /** Absolute path on the node, e.g. `/etc/ssl/etcd/peer.key` (not under the read-only `/usr`). */
  readonly path: string;
  /** Permission bits, e.g. `0o600`. */
  readonly mode: number;
  /** `user:group` by name (`etcd:etcd`) or by id (`232:232`). */
  readonly owner: string;
}

/** What a node does when a refresh finds its secrets changed in the bucket (renewed certificates). */
export interface SecretRefresh {
  /**
   * Units to restart (`systemctl try-restart`: only those running) once the new files are installed,
   * e.g. `etcd-member.service`. Empty: none.
   * @default - the units of `requiredBy`
   */
  readonly restart?: readonly string[];
  /**
   * An absolute path of a program on the node, run (without arguments) after the restarts, e.g. one
   * that makes static pods re-read their files.
   * @default - none
   */
  readonly command?: string;
}

export interface SecretFetchOptions {
  /** The cluster's bucket (may be a cdktf token, e.g. a `StorageBucket`'s `name`). */
  readonly bucket: string;
  /** Prefix of this role's objects, e.g. `etcd/` (may be a token); the object is `prefix + object`. @default '' */
  readonly prefix?: string;
  /** The secrets to install: each object's target path, mode and owner. */
  readonly secrets: readonly SecretFile[];
  /** Units that must start only after the secrets are installed, e.g. `etcd-member.service`. @default none */
  readonly requiredBy?: readonly string[];
  /** How long to keep trying, from the script's start (IAM grants take minutes to propagate). @default 600 */
  readonly deadlineSeconds?: number;
  /** First retry delay; doubled after each failure. @default 1 */
  readonly backoffInitialSeconds?: number;
  /** Longest retry delay. @default 32 */
  readonly backoffMaxSeconds?: number;
  /** Longest single HTTP request (also bounded by the time left). @default 30 */
  readonly requestTimeoutSeconds?: number;
  /**
   * What the refresh run (fetch-secrets-refresh.timer, twice a day) does when a file changed.
   * @default - restart the units of `requiredBy`, run no command
   */
  readonly refresh?: SecretRefresh;
}

const OBJECT = /^[A-Za-z0-9._~-][A-Za-z0-9._~/-]*$/;
const PREFIX = /^[A-Za-z0-9._~/-]*$/;
const PATH = /^(\/[A-Za-z0-9._@+-]+)+$/;
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const OWNER_PART = /^([a-z_][a-z0-9_-]*\$?|[0-9]+)$/;
const UNIT = /^[A-Za-z0-9:_.@-]+\.(service|socket|target|mount|timer|path)$/;
/** Restarting these from the refresh run would re-run the fetch, or wait on itself. */
const OWN_UNITS = [FETCH_SECRETS_UNIT, FETCH_SECRETS_REFRESH_UNIT, FETCH_SECRETS_REFRESH_TIMER];

/** An absolute path of letters, digits, ".", "_", "@", "+" and "-", without "." or ".." segments. */
function isPlainAbsolutePath(value: string): boolean {
  return PATH.test(value) && !value.split('/').some((s) => s === '.' || s === '..');
}

/** What is wrong with the options (empty when nothing is); token values are not checked. */
export function secretFetchProblems(options: SecretFetchOptions): string[] {
  const problems: string[] = [];
  const { bucket, prefix = '' } = options;
  if (!Token.isUnresolved(bucket) && !BUCKET.test(bucket)) problems.push(`bucket "${bucket}" is not a Cloud Storage bucket name`);
  if (!Token.isUnresolved(prefix) && !PREFIX.test(prefix)) problems.push(`prefix "${prefix}" may hold only letters, digits, ".", "_", "~", "-" and "/"`);
  if (options.secrets.length === 0) problems.push('secrets is empty');
  const paths = new Set<string>();
  for (const secret of options.secrets) {
    const where = `secret "${secret.object}"`;
    if (!OBJECT.test(secret.object)) problems.push(`${where}: object names may hold only letters, digits, ".", "_", "~", "-" and "/" (not first)`);
    if (!isPlainAbsolutePath(secret.path)) {
      problems.push(`${where}: path "${secret.path}" must be absolute, without "." or ".." segments, of letters, digits, ".", "_", "@", "+" and "-"`);
    } else if (secret.path === '/usr' || secret.path.startsWith('/usr/')) {
      problems.push(`${where}: path "${secret.path}" is under /usr, which is read-only on Flatcar`);
    }
    if (paths.has(secret.path)) problems.push(`${where}: path "${secret.path}" is given twice`);
    paths.add(secret.path);
    if (!Number.isInteger(secret.mode) || secret.mode < 0 || secret.mode > 0o7777) problems.push(`${where}: mode ${secret.mode} is not a permission (0 to 0o7777)`);
    const owner = secret.owner.split(':');
    if (owner.length !== 2 || !owner.every((part) => OWNER_PART.test(part))) problems.push(`${where}: owner "${secret.owner}" must be "user:group", by name or numeric id`);
  }
  for (const unit of options.requiredBy ?? []) {
    if (!UNIT.test(unit)) problems.push(`requiredBy: "${unit}" is not a unit name such as "etcd-member.service"`);
    if (unit === FETCH_SECRETS_UNIT) problems.push(`requiredBy: ${FETCH_SECRETS_UNIT} cannot require itself`);
  }
  for (const unit of options.refresh?.restart ?? []) {
    if (!UNIT.test(unit)) problems.push(`refresh.restart: "${unit}" is not a unit name such as "etcd-member.service"`);
    if (OWN_UNITS.includes(unit)) problems.push(`refresh.restart: ${unit} is the fetch's own unit`);
  }
  const command = options.refresh?.command;
  if (command !== undefined && !isPlainAbsolutePath(command)) {
    problems.push(`refresh.command "${command}" must be an absolute path, without "." or ".." segments, of letters, digits, ".", "_", "@", "+" and "-"`);
  }
  const timing: [string, number | undefined, number][] = [
    ['deadlineSeconds', options.deadlineSeconds, 1],
    ['backoffInitialSeconds', options.backoffInitialSeconds, 1],
    ['backoffMaxSeconds', options.backoffMaxSeconds, 1],
    ['requestTimeoutSeconds', options.requestTimeoutSeconds, 1],
  ];
  for (const [name, value, min] of timing) {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) problems.push(`${name} must be a whole number of seconds, at least ${min} (got ${value})`);
  }
  return problems;
}

/**
 * The CLC snippet: the script, `fetch-secrets.service` (enabled), `fetch-secrets-refresh.service`
 * and its timer (enabled), and a drop-in for each unit of `requiredBy`. Throws when the options are
 * wrong.
 */
export function secretFetchSnippet(options: SecretFetchOptions): ContainerLinuxConfig {
  const problems = secretFetchProblems(options);
  if (problems.length > 0) throw new Error(`secret fetch: ${problems.join('; ')}`);
  const units: SystemdUnitConfig[] = [
    { name: FETCH_SECRETS_UNIT, enabled: true, contents: fetchSecretsUnit(options) },
    { name: FETCH_SECRETS_REFRESH_UNIT, contents: fetchSecretsRefreshUnit(options) },
    { name: FETCH_SECRETS_REFRESH_TIMER, enabled: true, contents: fetchSecretsRefreshTimer() },
    ...(options.requiredBy ?? []).map((name) => ({ name, dropins: [{ name: FETCH_SECRETS_DROPIN, contents: requiresFetchDropin() }] })),
  ];
  return {
    storage: { files: [{ filesystem: 'root', path: FETCH_SECRETS_SCRIPT, mode: 0o755, contents: { inline: FETCH_SECRETS_SH } }] },
    systemd: { units },
  };
}

/** `0600` for 0o600. */
function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** The [Service] lines both runs of the script share: the time-out, the environment and ExecStart, with `more` environment before ExecStart. */
function serviceLines(options: SecretFetchOptions, more = ''): string {
  const deadline = options.deadlineSeconds ?? DEFAULT_SECRET_DEADLINE_SECONDS;
  const request = options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
  const args = options.secrets.map((s) => ` \\\n  ${s.object} ${s.path} ${octal(s.mode)} ${s.owner}`).join('');
  return `TimeoutStartSec=${deadline + 3 * request + 30}
Environment=FETCH_SECRETS_BUCKET=${options.bucket}
Environment=FETCH_SECRETS_PREFIX=${options.prefix ?? ''}
Environment=FETCH_SECRETS_DEADLINE=${deadline}
Environment=FETCH_SECRETS_BACKOFF_INITIAL=${options.backoffInitialSeconds ?? DEFAULT_BACKOFF_INITIAL_SECONDS}
Environment=FETCH_SECRETS_BACKOFF_MAX=${options.backoffMaxSeconds ?? DEFAULT_BACKOFF_MAX_SECONDS}
Environment=FETCH_SECRETS_REQUEST_TIMEOUT=${request}
${more}ExecStart=${FETCH_SECRETS_SCRIPT}${args}
`;
}

export function fetchSecretsUnit(options: SecretFetchOptions): string {
  const before = options.requiredBy?.length ? `Before=${options.requiredBy.join(' ')}\n` : '';
  return `[Unit]
Description=Install this node's secrets from Cloud Storage
Wants=network-online.target
After=network-online.target
${before}
[Service]
Type=oneshot
RemainAfterExit=yes
${serviceLines(options)}
[Install]
WantedBy=multi-user.target
`;
}

/** The units a refresh restarts: `refresh.restart`, else `requiredBy`. */
export function refreshRestartUnits(options: SecretFetchOptions): readonly string[] {
  return options.refresh?.restart ?? options.requiredBy ?? [];
}

/**
 * The refresh run: the boot unit's script, arguments and environment, in refresh mode. Started by
 * its timer only (no [Install]), after the boot run so that the two never install at once. No
 * RemainAfterExit: the timer starts it again only once it is inactive.
 */
export function fetchSecretsRefreshUnit(options: SecretFetchOptions): string {
  // Quoted: systemd splits an unquoted Environment= value at spaces.
  const more = `Environment=FETCH_SECRETS_MODE=refresh
Environment="FETCH_SECRETS_RESTART=${refreshRestartUnits(options).join(' ')}"
Environment=FETCH_SECRETS_ON_CHANGE=${options.refresh?.command ?? ''}
`;
  return `[Unit]
Description=Re-fetch this node's secrets from Cloud Storage; restart their users if any changed
Wants=network-online.target
After=${FETCH_SECRETS_UNIT} network-online.target

[Service]
Type=oneshot
${serviceLines(options, more)}`;
}

/**
 * Twice a day, an hour after boot and then 12 hours after each run, each time after a random delay
 * of up to an hour (REFRESH_* above). A reboot needs no timer: fetch-secrets.service runs at every boot.
 */
export function fetchSecretsRefreshTimer(): string {
  return `[Unit]
Description=Re-fetch this node's secrets twice a day, for renewed certificates

[Timer]
OnBootSec=${REFRESH_ON_BOOT}
OnUnitActiveSec=${REFRESH_INTERVAL}
RandomizedDelaySec=${REFRESH_RANDOMIZED_DELAY}

[Install]
WantedBy=timers.target
`;
}

/** The drop-in of a unit that must start only once the secrets are in place. */
export function requiresFetchDropin(): string {
  return `[Unit]\nRequires=${FETCH_SECRETS_UNIT}\nAfter=${FETCH_SECRETS_UNIT}\n`;
}

/**
 * The script. Arguments: groups of `OBJECT PATH MODE OWNER`. Environment: FETCH_SECRETS_BUCKET
 * (required), FETCH_SECRETS_PREFIX, FETCH_SECRETS_DEADLINE, FETCH_SECRETS_BACKOFF_INITIAL,
 * FETCH_SECRETS_BACKOFF_MAX, FETCH_SECRETS_REQUEST_TIMEOUT (seconds), FETCH_SECRETS_MODE (`boot`,
 * the default, or `refresh`), FETCH_SECRETS_RESTART (unit names, space-separated) and
 * FETCH_SECRETS_ON_CHANGE (an absolute path; both checked always, used in refresh mode only), and, for tests,
 * FETCH_SECRETS_ROOT (put before every target path), GCE_METADATA_URL and GCS_API_URL (scheme and
 * host of the metadata server and of the JSON API).
 */
export const FETCH_SECRETS_SH = `#!/bin/sh
# fetch-secrets: installs this node's secrets from Cloud Storage (cdktf-coreos, secret-fetch.ts).
# Usage: fetch-secrets OBJECT PATH MODE OWNER [OBJECT PATH MODE OWNER]...
# FETCH_SECRETS_MODE=refresh: install only if something changed, then restart FETCH_SECRETS_RESTART
# and run FETCH_SECRETS_ON_CHANGE.
set -u
umask 077

bucket=\${FETCH_SECRETS_BUCKET:?FETCH_SECRETS_BUCKET is not set}
prefix=\${FETCH_SECRETS_PREFIX:-}
deadline_s=\${FETCH_SECRETS_DEADLINE:-${DEFAULT_SECRET_DEADLINE_SECONDS}}
backoff_initial=\${FETCH_SECRETS_BACKOFF_INITIAL:-${DEFAULT_BACKOFF_INITIAL_SECONDS}}
backoff_max=\${FETCH_SECRETS_BACKOFF_MAX:-${DEFAULT_BACKOFF_MAX_SECONDS}}
request_timeout=\${FETCH_SECRETS_REQUEST_TIMEOUT:-${DEFAULT_REQUEST_TIMEOUT_SECONDS}}
root=\${FETCH_SECRETS_ROOT:-}
metadata=\${GCE_METADATA_URL:-http://metadata.google.internal}
api=\${GCS_API_URL:-https://storage.googleapis.com}
run_mode=\${FETCH_SECRETS_MODE:-boot}
restart=\${FETCH_SECRETS_RESTART:-}
on_change=\${FETCH_SECRETS_ON_CHANGE:-}

log() { printf 'fetch-secrets: %s\\n' "$*" >&2; }
now() { date +%s; }
deadline=$(( $(now) + deadline_s ))

# Temporary files, removed on any exit (after the renames they no longer exist).
temps=''
trap 'for t in $temps; do rm -f -- "$t"; done' EXIT
trap 'exit 1' HUP INT TERM

case "$bucket" in ''|*[!a-z0-9._-]*) log "bad bucket name: $bucket"; exit 2;; esac
case "$prefix" in *[!A-Za-z0-9._~/-]*) log "bad prefix: $prefix"; exit 2;; esac
case "$run_mode" in boot|refresh) ;; *) log "bad FETCH_SECRETS_MODE: $run_mode (boot or refresh)"; exit 2;; esac
# Checked whole before it is split into words, so that no glob or other character gets through.
case "$restart" in *[!A-Za-z0-9:_.@\\ -]*) log "bad FETCH_SECRETS_RESTART: $restart"; exit 2;; esac
for unit in $restart; do
  case "$unit" in
    ?*.service|?*.socket|?*.target|?*.mount|?*.timer|?*.path) ;;
    *) log "not a unit name in FETCH_SECRETS_RESTART: $unit"; exit 2;;
  esac
done
case "$on_change" in
  '') ;;
  /*) case "$on_change" in *[!A-Za-z0-9._@+/-]*) log "bad FETCH_SECRETS_ON_CHANGE: $on_change"; exit 2;; esac;;
  *) log "FETCH_SECRETS_ON_CHANGE is not an absolute path: $on_change"; exit 2;;
esac
if [ $# -eq 0 ] || [ $(( $# % 4 )) -ne 0 ]; then
  log "usage: fetch-secrets OBJECT PATH MODE OWNER [OBJECT PATH MODE OWNER]..."; exit 2
fi

# The time a request may take: the per-request limit or what is left, at least 1 s.
request_time() {
  left=$(( deadline - $(now) ))
  if [ "$left" -gt "$request_timeout" ]; then echo "$request_timeout"; elif [ "$left" -lt 1 ]; then echo 1; else echo "$left"; fi
}

token=''
token_expiry=0
# get_token: sets token; returns 1 (why set) when the metadata server did not give one.
get_token() {
  reply=$(curl -sS --connect-timeout 5 --max-time "$(request_time)" -H 'Metadata-Flavor: Google' -w '\\n%{http_code}' \\
    "$metadata/computeMetadata/v1/instance/service-accounts/default/token" 2>&1) || { why="metadata server: curl: $reply"; return 1; }
  code=$(printf '%s\\n' "$reply" | tail -n 1)
  if [ "$code" != 200 ]; then why="metadata server: HTTP $code"; return 1; fi
  body=$(printf '%s\\n' "$reply" | sed '$d' | tr -d '\\n')
  token=$(printf '%s' "$body" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\\([^"]*\\)".*/\\1/p')
  expires=$(printf '%s' "$body" | sed -n 's/.*"expires_in"[[:space:]]*:[[:space:]]*\\([0-9][0-9]*\\).*/\\1/p')
  if [ -z "$token" ]; then why='metadata server: no access_token in its reply'; return 1; fi
  # Refreshed a minute before it expires.
  token_expiry=$(( $(now) + \${expires:-120} - 60 ))
}

# gcs URL OUT: GET with the token (given on stdin, not on the command line); prints the HTTP status.
gcs() {
  printf 'header = "Authorization: Bearer %s"\\n' "$token" |
    curl -sS -K - --connect-timeout 5 --max-time "$(request_time)" -o "$2" -w '%{http_code}' "$1"
}

# fetch OBJECT TMP: downloads prefix+OBJECT, complete, into TMP. Returns 0 when done, 1 to retry,
# 2 to give up; sets why and code.
fetch() {
  code=''
  if [ -z "$token" ] || [ "$(now)" -ge "$token_expiry" ]; then get_token || return 1; fi
  url="$api/storage/v1/b/$bucket/o/$(printf '%s' "$prefix$1" | sed 's,/,%2F,g')"
  code=$(gcs "$url?fields=size,generation" "$2" 2>/dev/null) || { why="metadata of gs://$bucket/$prefix$1: curl exit $?"; code=''; return 1; }
  check_status "metadata of gs://$bucket/$prefix$1" || return
  meta=$(tr -d '\\n' < "$2")
  size=$(printf '%s' "$meta" | sed -n 's/.*"size"[[:space:]]*:[[:space:]]*"\\{0,1\\}\\([0-9][0-9]*\\).*/\\1/p')
  generation=$(printf '%s' "$meta" | sed -n 's/.*"generation"[[:space:]]*:[[:space:]]*"\\{0,1\\}\\([0-9][0-9]*\\).*/\\1/p')
  if [ -z "$size" ] || [ -z "$generation" ]; then why="metadata of gs://$bucket/$prefix$1: no size or generation"; return 1; fi
  code=$(gcs "$url?alt=media&generation=$generation" "$2" 2>/dev/null) || { why="gs://$bucket/$prefix$1: curl exit $?"; code=''; return 1; }
  check_status "gs://$bucket/$prefix$1" || return
  got=$(wc -c < "$2" | tr -d ' ')
  if [ "$got" != "$size" ]; then why="gs://$bucket/$prefix$1: got $got bytes of $size"; return 1; fi
}

# check_status WHAT: 0 for 200, 1 to retry, 2 to give up.
check_status() {
  case "$code" in
    200) return 0;;
    401) token=''; why="$1: HTTP 401, getting a new token"; return 1;;
    403|404|408|429|5??) why="$1: HTTP $code"; return 1;;
    *) why="$1: HTTP $code"; return 2;;
  esac
}

# Check every argument before fetching anything.
n=0
for a in "$@"; do
  case $(( n % 4 )) in
    0) case "$a" in ''|/*|*[!A-Za-z0-9._~/-]*) log "bad object name: $a"; exit 2;; esac;;
    1) case "$a" in /*) ;; *) log "not an absolute path: $a"; exit 2;; esac
       case "$a" in *[!A-Za-z0-9._@+/-]*) log "bad path: $a"; exit 2;; esac
       if [ -d "$root$a" ]; then log "a directory is in the way: $root$a"; exit 2; fi;;
    2) case "$a" in [0-7][0-7][0-7]|[0-7][0-7][0-7][0-7]) ;; *) log "bad mode: $a"; exit 2;; esac;;
    3) case "$a" in *:*) ;; *) log "owner is not user:group: $a"; exit 2;; esac;;
  esac
  n=$(( n + 1 ))
done

# Download everything first.
i=0
while [ $# -gt 0 ]; do
  object=$1; target=$root$2
  dir=$(dirname -- "$target")
  (umask 022 && mkdir -p -- "$dir") || { log "cannot create $dir"; exit 1; }
  tmp=$(mktemp "$dir/.fetch-secrets.XXXXXX") || { log "cannot create a temporary file in $dir"; exit 1; }
  temps="$temps $tmp"
  delay=$backoff_initial
  last=''
  while :; do
    fetch "$object" "$tmp"
    rc=$?
    [ "$rc" -eq 0 ] && break
    if [ "$rc" -eq 2 ]; then log "$why: giving up"; exit 1; fi
    left=$(( deadline - $(now) ))
    if [ "$left" -le 0 ]; then log "$why: giving up, the deadline (\${deadline_s}s) has passed"; exit 1; fi
    # A first 401 is retried at once with a new token.
    if [ "$code" = 401 ] && [ "$last" != 401 ]; then last=401; log "$why"; continue; fi
    last=$code
    wait=$delay
    [ "$wait" -gt "$left" ] && wait=$left
    log "$why: retrying in \${wait}s"
    sleep "$wait"
    delay=$(( delay * 2 ))
    [ "$delay" -gt "$backoff_max" ] && delay=$backoff_max
  done
  log "fetched gs://$bucket/$prefix$object"
  eval "tmp_$i=\\$tmp target_$i=\\$target mode_$i=\\$3 owner_$i=\\$4"
  i=$(( i + 1 ))
  shift 4
done

# same TMP TARGET: TARGET exists and holds TMP's bytes (a file that cannot be read counts as changed).
same() {
  [ -f "$2" ] || return 1
  new_sum=$(sha256sum < "$1") || return 1
  old_sum=$(sha256sum < "$2") || return 1
  [ "$new_sum" = "$old_sum" ]
}

# A refresh installs nothing, and restarts nothing, unless some file changed (or is missing).
changed=''
if [ "$run_mode" = refresh ]; then
  j=0
  while [ "$j" -lt "$i" ]; do
    eval "tmp=\\$tmp_$j target=\\$target_$j"
    same "$tmp" "$target" || changed="$changed $target"
    j=$(( j + 1 ))
  done
  if [ -z "$changed" ]; then log "unchanged: $i secret(s) as installed"; exit 0; fi
  log "changed:$changed"
fi

# Then owners and modes on the temporary files (chown first: it may clear set-id bits), and only
# once all are set, the renames.
j=0
while [ "$j" -lt "$i" ]; do
  eval "tmp=\\$tmp_$j mode=\\$mode_$j owner=\\$owner_$j"
  chown -- "$owner" "$tmp" || { log "cannot chown $owner $tmp"; exit 1; }
  chmod -- "$mode" "$tmp" || { log "cannot chmod $mode $tmp"; exit 1; }
  j=$(( j + 1 ))
done
j=0
while [ "$j" -lt "$i" ]; do
  eval "tmp=\\$tmp_$j target=\\$target_$j"
  mv -f -- "$tmp" "$target" || { log "cannot rename $tmp to $target"; exit 1; }
  j=$(( j + 1 ))
done
temps=''
log "installed $i secret(s)"
[ "$run_mode" = refresh ] || exit 0

# The files stay installed whatever happens next: they are the bucket's, and a unit that is
# started later reads them.
status=0
if [ -n "$restart" ]; then
  # try-restart: running units only; a stopped or failed one reads the new files when it starts.
  # $restart unquoted: split into the unit names checked above.
  if systemctl try-restart -- $restart; then log "restarted $restart"; else log "systemctl try-restart -- $restart: exit $?"; status=1; fi
fi
if [ -n "\${FETCH_SECRETS_ON_CHANGE:-}" ]; then
  # Run by the variable the unit sets, so that the unit says which program runs.
  if "$FETCH_SECRETS_ON_CHANGE"; then log "ran $FETCH_SECRETS_ON_CHANGE"; else log "$FETCH_SECRETS_ON_CHANGE: exit $?"; status=1; fi
fi
exit "$status"
`;

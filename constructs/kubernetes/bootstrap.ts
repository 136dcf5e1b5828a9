/**
 * The add-ons' one-time apply, from the cluster itself (no SSH): `cluster-bootstrap.service` on the
 * controllers runs `/opt/bin/cluster-bootstrap`, POSIX `sh` and `curl`, which
 *
 * 1. waits for the local apiserver's `/readyz`;
 * 2. stops when the marker ConfigMap `kube-system/cdktf-coreos-bootstrap` exists: the add-ons were
 *    applied before, and a replaced controller must not revert edits made in the cluster since;
 * 3. server-side-applies each object of the plan in order (`PATCH` with
 *    `application/apply-patch+yaml`, field manager `cdktf-coreos-bootstrap`, `force=true`), which is
 *    idempotent: a run cut short and started again applies the same objects to the same result;
 * 4. applies the marker last.
 *
 * Failures of the kind that pass (connection refused, 403 while RBAC settles, 404 for a kind whose
 * definition is not served yet, 408, 429, 5xx) are retried with backoff until a deadline; any
 * other status fails the run at once, naming the object and the server's reply. systemd starts a
 * failed run again (`Restart=on-failure`). Every controller runs it: whichever gets there first
 * applies, the others find the marker, or apply the same objects again. Pure module (no cdktf).
 */

import { hasToken } from './json-manifest';

/** The ConfigMap whose existence means the add-ons were applied. */
export const BOOTSTRAP_MARKER = { namespace: 'kube-system', name: 'cdktf-coreos-bootstrap' } as const;
export const BOOTSTRAP_FIELD_MANAGER = 'cdktf-coreos-bootstrap';
export const BOOTSTRAP_SCRIPT = '/opt/bin/cluster-bootstrap';
export const BOOTSTRAP_UNIT = 'cluster-bootstrap.service';
/** Where the plan (`PATH FILE` per line) and the object files live on a controller. */
export const BOOTSTRAP_DIR = '/opt/bootstrap';
export const DEFAULT_BOOTSTRAP_DEADLINE_SECONDS = 1800;

/** A Kubernetes object as the renderers make it. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** Plural resource names of the kinds the add-ons use, and whether they are cluster-scoped. */
const RESOURCES: Readonly<Record<string, { readonly plural: string; readonly clusterScoped?: boolean; readonly order: number }>> = {
  Namespace: { plural: 'namespaces', clusterScoped: true, order: 0 },
  CustomResourceDefinition: { plural: 'customresourcedefinitions', clusterScoped: true, order: 1 },
  PriorityClass: { plural: 'priorityclasses', clusterScoped: true, order: 2 },
  ServiceAccount: { plural: 'serviceaccounts', order: 3 },
  Secret: { plural: 'secrets', order: 4 },
  ConfigMap: { plural: 'configmaps', order: 5 },
  ClusterRole: { plural: 'clusterroles', clusterScoped: true, order: 6 },
  ClusterRoleBinding: { plural: 'clusterrolebindings', clusterScoped: true, order: 7 },
  Role: { plural: 'roles', order: 8 },
  RoleBinding: { plural: 'rolebindings', order: 9 },
  Service: { plural: 'services', order: 10 },
  DaemonSet: { plural: 'daemonsets', order: 11 },
  Deployment: { plural: 'deployments', order: 12 },
  PodDisruptionBudget: { plural: 'poddisruptionbudgets', order: 13 },
};

const NAME = /^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/;

/** A literal object name, or one Terraform fills in at apply (the bootstrap token Secret's, `bootstrap-token-<id>`). */
function nameProblem(name: string): boolean {
  return !hasToken(name) && !NAME.test(name);
}

/** `/api/v1/namespaces/kube-system/configmaps/coredns`: where the API serves the object. */
export function restPathOf(object: KubernetesObject): string {
  const resource = RESOURCES[object.kind];
  const where = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
  if (!resource) throw new Error(`${where}: the bootstrap cannot apply kind ${object.kind} (it knows ${Object.keys(RESOURCES).join(', ')})`);
  if (nameProblem(object.metadata.name)) throw new Error(`${where}: "${object.metadata.name}" is not an object name`);
  const namespace = object.metadata.namespace;
  if (resource.clusterScoped === true && namespace !== undefined) throw new Error(`${where}: ${object.kind} is cluster-scoped and takes no namespace`);
  if (resource.clusterScoped !== true && (namespace === undefined || !NAME.test(namespace))) throw new Error(`${where}: ${object.kind} needs a namespace`);
  const base = object.apiVersion === 'v1' ? '/api/v1' : `/apis/${object.apiVersion}`;
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${resource.plural}/${object.metadata.name}`;
}

/** One object's file and its place in the plan. */
export interface BootstrapFile {
  /** File name in BOOTSTRAP_DIR, e.g. `007-clusterrolebinding-kubelet-delete.json`. */
  readonly file: string;
  readonly restPath: string;
  /** The object as JSON text. */
  readonly contents: string;
}

/**
 * The objects in apply order (namespaces and definitions first, workloads last, otherwise as
 * given), each as a file, and the plan the script reads. Refuses two objects at one path.
 */
export function bootstrapPlan(objects: readonly KubernetesObject[]): { readonly plan: string; readonly files: readonly BootstrapFile[] } {
  const ordered = objects.map((object, index) => ({ object, index })).sort((a, b) => orderOf(a.object) - orderOf(b.object) || a.index - b.index);
  const seen = new Set<string>();
  const files = ordered.map(({ object }, i) => {
    const restPath = restPathOf(object);
    if (seen.has(restPath)) throw new Error(`${object.kind} ${object.metadata.name} is given twice (${restPath})`);
    seen.add(restPath);
    // A name known only at apply stays out of the file name, which the plan must give literally.
    const name = hasToken(object.metadata.name) ? '' : `-${object.metadata.name.replace(/[^a-z0-9.-]/g, '-')}`;
    const file = `${String(i + 1).padStart(3, '0')}-${object.kind.toLowerCase()}${name}.json`;
    return { file, restPath, contents: `${JSON.stringify(object, null, 2)}\n` };
  });
  return { plan: files.map((f) => `${f.restPath} ${f.file}\n`).join(''), files };
}

function orderOf(object: KubernetesObject): number {
  return RESOURCES[object.kind]?.order ?? Number.MAX_SAFE_INTEGER;
}

export interface BootstrapUnitOptions {
  /** The CA that signed the apiserver's certificate. */
  readonly caFile: string;
  /** A client certificate and key allowed to create every object of the plan (the admin's). */
  readonly certFile: string;
  readonly keyFile: string;
  /**
   * The apiserver to apply to.
   * @default 'https://127.0.0.1:6443': the controller's own
   */
  readonly apiServer?: string;
  /**
   * How long one run keeps trying before it fails (systemd then starts another in 30 s).
   * @default 1800
   */
  readonly deadlineSeconds?: number;
}

/** The unit: a oneshot after the kubelet (which runs the apiserver), run again while it fails. */
export function bootstrapUnit(options: BootstrapUnitOptions): string {
  return `[Unit]
Description=Apply the cluster's add-ons once (RBAC, CoreDNS, kube-proxy, CNI)
Wants=network-online.target
After=network-online.target kubelet.service
ConditionPathExists=${BOOTSTRAP_DIR}/plan

[Service]
Type=oneshot
RemainAfterExit=yes
Restart=on-failure
RestartSec=30
Environment=BOOTSTRAP_API_URL=${options.apiServer ?? 'https://127.0.0.1:6443'}
Environment=BOOTSTRAP_CA=${options.caFile}
Environment=BOOTSTRAP_CERT=${options.certFile}
Environment=BOOTSTRAP_KEY=${options.keyFile}
Environment=BOOTSTRAP_DEADLINE=${options.deadlineSeconds ?? DEFAULT_BOOTSTRAP_DEADLINE_SECONDS}
ExecStart=${BOOTSTRAP_SCRIPT}

[Install]
WantedBy=multi-user.target
`;
}

const MARKER_PATH = `/api/v1/namespaces/${BOOTSTRAP_MARKER.namespace}/configmaps/${BOOTSTRAP_MARKER.name}`;

/**
 * The script. Environment: BOOTSTRAP_API_URL, BOOTSTRAP_CA, BOOTSTRAP_CERT, BOOTSTRAP_KEY (empty:
 * not passed to curl), BOOTSTRAP_DIR, BOOTSTRAP_DEADLINE, BOOTSTRAP_BACKOFF_MAX (seconds).
 */
export const BOOTSTRAP_SH = `#!/bin/sh
# cluster-bootstrap: applies the cluster's add-ons once (cdktf-coreos, kubernetes/bootstrap.ts).
set -u
api=\${BOOTSTRAP_API_URL:-https://127.0.0.1:6443}
dir=\${BOOTSTRAP_DIR:-${BOOTSTRAP_DIR}}
deadline_s=\${BOOTSTRAP_DEADLINE:-${DEFAULT_BOOTSTRAP_DEADLINE_SECONDS}}
backoff_max=\${BOOTSTRAP_BACKOFF_MAX:-16}
ca=\${BOOTSTRAP_CA:-}
cert=\${BOOTSTRAP_CERT:-}
key=\${BOOTSTRAP_KEY:-}
marker=${MARKER_PATH}
manager=${BOOTSTRAP_FIELD_MANAGER}

log() { printf 'cluster-bootstrap: %s\\n' "$*" >&2; }
now() { date +%s; }
deadline=$(( $(now) + deadline_s ))
reply=$(mktemp) || exit 1
body=$(mktemp) || exit 1
trap 'rm -f "$reply" "$body"' EXIT
trap 'exit 1' HUP INT TERM

[ -r "$dir/plan" ] || { log "no plan at $dir/plan"; exit 2; }

# call METHOD PATH [BODY]: the reply into $reply; prints the HTTP status (000: no reply).
call() {
  if [ $# -ge 3 ]; then
    curl -sS --connect-timeout 5 --max-time 30 \${ca:+--cacert "$ca"} \${cert:+--cert "$cert"} \${key:+--key "$key"} \\
      -X "$1" -H 'Content-Type: application/apply-patch+yaml' --data-binary "@$3" -o "$reply" -w '%{http_code}' "$api$2" 2>/dev/null
  else
    curl -sS --connect-timeout 5 --max-time 30 \${ca:+--cacert "$ca"} \${cert:+--cert "$cert"} \${key:+--key "$key"} \\
      -X "$1" -o "$reply" -w '%{http_code}' "$api$2" 2>/dev/null
  fi
}

delay=1
# wait_more WHY: sleeps before the next try, or fails once the deadline has passed.
wait_more() {
  left=$(( deadline - $(now) ))
  if [ "$left" -le 0 ]; then log "$1: giving up, the deadline (\${deadline_s}s) has passed"; exit 1; fi
  w=$delay
  [ "$w" -gt "$left" ] && w=$left
  log "$1: retrying in \${w}s"
  sleep "$w"
  delay=$(( delay * 2 ))
  [ "$delay" -gt "$backoff_max" ] && delay=$backoff_max
}

# apply PATH FILE: server-side apply, retrying what passes; any other status fails the run.
apply() {
  delay=1
  while :; do
    code=$(call PATCH "$1?fieldManager=$manager&force=true" "$2")
    case "$code" in
      200|201) return 0;;
      000|403|404|408|429|5??) wait_more "apply $(basename "$2"): HTTP $code";;
      *) log "apply $(basename "$2"): HTTP $code: $(head -c 400 "$reply")"; exit 1;;
    esac
  done
}

while :; do
  code=$(call GET /readyz)
  [ "$code" = 200 ] && break
  wait_more "GET /readyz: HTTP $code"
done

delay=1
while :; do
  code=$(call GET "$marker")
  case "$code" in
    200) log "already applied ($marker exists): nothing to do"; exit 0;;
    404) break;;
    *) wait_more "GET $marker: HTTP $code";;
  esac
done

n=0
while read -r path file; do
  [ -n "$path" ] || continue
  case "$path$file" in *[!A-Za-z0-9/._:-]*) log "bad plan line: $path $file"; exit 2;; esac
  apply "$path" "$dir/$file"
  n=$(( n + 1 ))
  log "applied $file"
done < "$dir/plan"

printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${BOOTSTRAP_MARKER.name}","namespace":"${BOOTSTRAP_MARKER.namespace}"},"data":{"objects":"%s"}}\\n' "$n" > "$body"
apply "$marker" "$body"
log "applied $n object(s) and the marker"
`;

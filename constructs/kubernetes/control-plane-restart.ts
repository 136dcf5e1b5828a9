/**
 * Renewed certificates reach a controller's static pods. The fetch-secrets refresh (secret-fetch.ts)
 * installs renewed files by renaming them over the old ones, but each pod mounts its files one by
 * one (hostPath type File), which binds the old inode: a running pod keeps reading the old
 * certificate until it is recreated. The kubelet recreates a static pod whenever its manifest
 * changes, so the refresh's on-change command rewrites one annotation of every control-plane
 * manifest. Pure module (no cdktf).
 */
import { MANIFESTS_DIR } from './cluster-settings';

/** The annotation the restart rewrites: `boot` as Ignition writes it, then the UTC time of each restart. */
export const SECRETS_GENERATION_ANNOTATION = 'cdktf-coreos.io/secrets-generation';
export const SECRETS_GENERATION_AT_BOOT = 'boot';
export const RESTART_CONTROL_PLANE_SCRIPT = '/opt/bin/restart-control-plane';

/**
 * The script: `restart-control-plane [MANIFESTS_DIR]`. Each manifest carrying the annotation is
 * rewritten into a dot file in the same directory (the kubelet skips names starting with a dot),
 * then renamed over itself, so the kubelet never reads half a manifest. Uses sh, coreutils, grep
 * and sed, which Flatcar ships.
 */
export const RESTART_CONTROL_PLANE_SH = `#!/bin/sh
# restart-control-plane: recreates this controller's static pods so that they read renewed
# certificates (cdktf-coreos, control-plane-restart.ts). Usage: restart-control-plane [MANIFESTS_DIR]
set -eu
dir=\${1:-${MANIFESTS_DIR}}
key='"${SECRETS_GENERATION_ANNOTATION}": "'
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tmp=''
trap '[ -z "$tmp" ] || rm -f -- "$tmp"' EXIT
for manifest in "$dir"/*.json; do
  [ -f "$manifest" ] || continue
  if ! grep -q -F -- "$key" "$manifest"; then
    echo "restart-control-plane: $manifest has no ${SECRETS_GENERATION_ANNOTATION} annotation: left alone" >&2
    continue
  fi
  tmp=$(mktemp "$dir/.restart-control-plane.XXXXXX")
  sed "s|$key[^\\"]*\\"|$key$stamp\\"|" "$manifest" > "$tmp"
  chmod 0644 "$tmp"
  mv -f -- "$tmp" "$manifest"
  tmp=''
  echo "restart-control-plane: $manifest recreated ($stamp)" >&2
done
`;

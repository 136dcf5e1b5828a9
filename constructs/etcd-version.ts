/**
 * Which etcd release an EtcdCluster runs and what follows from it: the default per ct dialect,
 * the releases it can configure, and the flag that turns etcd's v2 API on or off.
 */
import type { Dialect } from '../transpiler';

/**
 * The newest etcd 3.5 patch release confirmed when this was written (3.5.33, July 2026). Flatcar's
 * ct has 3.5's option set; etcd asks for a late 3.5 patch before any move to 3.6 (docs/etcd.md §5).
 */
export const DEFAULT_ETCD_VERSION = '3.5.33';

/**
 * The last 3.3 release: upstream ct (the coreos dialect, for CoreOS Container Linux images) knows
 * etcd's options up to 3.3 and warns about anything newer.
 */
export const LEGACY_ETCD_VERSION = '3.3.27';

/** etcd's release by dialect: 3.5 wherever Flatcar's ct renders the config, else the last 3.3. */
export function etcdVersionFor(dialect: Dialect): string {
  return dialect === 'flatcar' ? DEFAULT_ETCD_VERSION : LEGACY_ETCD_VERSION;
}

interface Release {
  readonly major: number;
  readonly minor: number;
}

/** `X.Y.Z` (as ct's go-semver reads it, pre-release or build suffix allowed), or undefined. */
export function parseEtcdVersion(version: string): Release | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** What is wrong with running `version` (with the v2 API on or off) in an EtcdCluster. */
export function etcdVersionProblems(version: string, enableV2Api: boolean): string[] {
  const release = parseEtcdVersion(version);
  if (!release) {
    return [`etcdVersion must be a release known at synth, X.Y.Z such as '${DEFAULT_ETCD_VERSION}' (got "${version}"): ct picks etcd's options by it`];
  }
  if (release.major < 3 || (release.major === 3 && release.minor < 3)) {
    return [
      `etcdVersion ${version} is older than 3.3, which EtcdCluster needs for its health endpoint (--listen-metrics-urls); ` +
        `upgrade the cluster one minor version at a time to 3.3, then on (docs/etcd.md §5)`,
    ];
  }
  if (enableV2Api && !hasV2Api(release)) {
    return [`enableV2Api: etcd ${version} has no v2 API (removed in 3.6): move its v2 clients, e.g. flannel, to the v3 API, or stay on 3.5`];
  }
  return [];
}

/**
 * The `enable_v2` option for the wanted v2 API state: 3.3 serves v2 unless told not to; 3.4 and
 * 3.5 serve it only when told; 3.6 has neither the API nor the flag. Assumes a checked version.
 */
export function v2ApiOption(version: string, enableV2Api: boolean): { enable_v2?: boolean } {
  const release = parseEtcdVersion(version);
  if (!release || !hasV2Api(release)) return {};
  if (release.major === 3 && release.minor <= 3) return { enable_v2: enableV2Api };
  return enableV2Api ? { enable_v2: true } : {};
}

function hasV2Api(release: Release): boolean {
  return release.major < 3 || (release.major === 3 && release.minor <= 5);
}

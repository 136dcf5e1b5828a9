/**
 * A Kubernetes node's non-secret config as a Container Linux Config snippet (the form every
 * construct here composes): Typhoon's node units (docker on, locksmithd masked, wait-for-dns, the
 * kubelet), the kubelet's configuration, the graceful-shutdown and inotify settings, and on
 * controllers the static pods, their restart after a certificate renewal, and the one-time add-on
 * bootstrap. Secrets (keys, kubeconfigs with keys, the bootstrap token) are not here: they come
 * from the cluster's bucket (docs/security.md).
 * Pure module (no cdktf).
 */
import type { ContainerLinuxConfig, FileConfig, SystemdUnitConfig } from '../../transpiler';
import { BOOTSTRAP_SCRIPT, BOOTSTRAP_SH, BOOTSTRAP_UNIT, bootstrapUnit } from './bootstrap';
import { KUBELET_CONFIG_FILE } from './cluster-settings';
import { RESTART_CONTROL_PLANE_SCRIPT, RESTART_CONTROL_PLANE_SH } from './control-plane-restart';
import { renderJson } from './json-manifest';
import { kubeletFlags, renderKubeletConfig, type KubeletConfigOptions, type KubeletFlagsOptions, type NodeRole } from './kubelet-config';
import { KUBELET_UNIT, LOGIND_INHIBITORS, MAX_USER_WATCHES, WAIT_FOR_DNS_UNIT, kubeletUnit, waitForDnsUnit } from './node-units';
import { renderStaticPodManifests, type StaticPodsOptions } from './static-pods';
import { kubeletImage } from './versions';

export interface NodeConfigOptions {
  /** Controller (static pods, add-on bootstrap, tainted) or worker. */
  readonly role: NodeRole;
  /**
   * The kubelet image.
   * @default kubeletImage() (Typhoon's kubelet for KUBERNETES_VERSION)
   */
  readonly kubeletImage?: string;
  /**
   * The KubeletConfiguration's settings (service range, cluster domain).
   * @default - the defaults of renderKubeletConfig
   */
  readonly kubelet?: KubeletConfigOptions;
  /**
   * Node labels and taints beyond the role's.
   * @default - the role's only
   */
  readonly labelsAndTaints?: KubeletFlagsOptions;
  /**
   * Units the kubelet starts after, e.g. `fetch-secrets.service`, which installs its files.
   * @default - none beyond docker and wait-for-dns
   */
  readonly kubeletAfter?: readonly string[];
  /** The static pods' settings (controllers only; required there). */
  readonly staticPods?: StaticPodsOptions;
  /** The add-on bootstrap's client certificate (controllers only; required there). */
  readonly bootstrap?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
}

function file(path: string, contents: string, mode = 0o644): FileConfig {
  return { filesystem: 'root', path, mode, contents: { inline: contents } };
}

/** The snippet; throws when a controller lacks its static pods' or bootstrap's settings. */
export function nodeConfigSnippet(options: NodeConfigOptions): ContainerLinuxConfig {
  const controller = options.role === 'controller';
  if (controller && (!options.staticPods || !options.bootstrap)) throw new Error('a controller node needs staticPods and bootstrap settings');
  const units: SystemdUnitConfig[] = [
    { name: 'docker.service', enabled: true },
    // Reboots are the operator's (or a FleetLock add-on's) to schedule, as in Typhoon.
    { name: 'locksmithd.service', mask: true },
    { name: WAIT_FOR_DNS_UNIT, enabled: true, contents: waitForDnsUnit() },
    {
      name: KUBELET_UNIT,
      enabled: true,
      contents: kubeletUnit({
        image: options.kubeletImage ?? kubeletImage(),
        flags: kubeletFlags(options.role, options.labelsAndTaints),
        after: options.kubeletAfter,
      }),
    },
  ];
  const files: FileConfig[] = [
    file(KUBELET_CONFIG_FILE, renderJson(renderKubeletConfig(options.kubelet))),
    file(LOGIND_INHIBITORS.path, LOGIND_INHIBITORS.contents),
    file(MAX_USER_WATCHES.path, MAX_USER_WATCHES.contents),
  ];
  if (controller && options.staticPods && options.bootstrap) {
    files.push(...renderStaticPodManifests(options.staticPods).map((m) => file(m.path, m.contents, 0o644)));
    files.push(file(BOOTSTRAP_SCRIPT, BOOTSTRAP_SH, 0o755));
    // Run by the secret refresh after a renewal (KubernetesCluster's secretRefresh).
    files.push(file(RESTART_CONTROL_PLANE_SCRIPT, RESTART_CONTROL_PLANE_SH, 0o755));
    units.push({ name: BOOTSTRAP_UNIT, enabled: true, contents: bootstrapUnit(options.bootstrap) });
  }
  return { storage: { files }, systemd: { units } };
}

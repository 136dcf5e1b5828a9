/** Boot images for a CoreOSInstance: the distribution decides which Ignition spec it can boot. */
import type { GeneratedOutput } from '../transpiler';

/** The operating system family behind an image. */
export enum ImageDistribution {
  /** CoreOS Container Linux: Ignition spec 2; retired in 2020, its GCE images are gone. */
  COREOS = 'coreos',
  /** Flatcar Container Linux, CoreOS's continuation: Ignition spec 2 (and 3 from release 3185). */
  FLATCAR = 'flatcar',
  /** Fedora CoreOS: Ignition spec 3 only. */
  FEDORA_COREOS = 'fedora-coreos',
  /** Anything else; the config is passed as written. */
  CUSTOM = 'custom',
}

export type CoreOSChannel = 'stable' | 'beta' | 'alpha';
export type FlatcarChannel = 'stable' | 'beta' | 'alpha' | 'lts';
export type FedoraCoreOSStream = 'stable' | 'testing' | 'next';

const FLATCAR_PROJECT = 'projects/kinvolk-public/global/images/family';
const FEDORA_COREOS_PROJECT = 'projects/fedora-coreos-cloud/global/images/family';

/**
 * A boot image: a preset (`Image.flatcar('stable')`) or any image (`Image.custom(...)`).
 * CoreOSInstance's `image` also takes a plain string, classified with `Image.of`.
 */
export class Image {
  /** CoreOS Container Linux, by image family (as the original product used it). */
  public static coreos(channel: CoreOSChannel = 'stable'): Image {
    return new Image(`coreos-${channel}`, ImageDistribution.COREOS);
  }

  /** Flatcar Container Linux: `projects/kinvolk-public/global/images/family/flatcar-<channel>`. */
  public static flatcar(channel: FlatcarChannel = 'stable'): Image {
    return new Image(`${FLATCAR_PROJECT}/flatcar-${channel}`, ImageDistribution.FLATCAR);
  }

  /** Fedora CoreOS: `projects/fedora-coreos-cloud/global/images/family/fedora-coreos-<stream>`. */
  public static fedoraCoreOS(stream: FedoraCoreOSStream = 'stable'): Image {
    return new Image(`${FEDORA_COREOS_PROJECT}/fedora-coreos-${stream}`, ImageDistribution.FEDORA_COREOS);
  }

  /** Any image, family or self link, as `google_compute_instance` accepts it. */
  public static custom(image: string): Image {
    return new Image(image, ImageDistribution.CUSTOM);
  }

  /** An image given as a string, with its distribution recognized from the name. */
  public static of(image: string | Image): Image {
    if (image instanceof Image) return image;
    return new Image(image, distributionOf(image));
  }

  private constructor(
    /** The value of `boot_disk.initialize_params.image`. */
    public readonly image: string,
    public readonly distribution: ImageDistribution,
  ) {}
}

function distributionOf(image: string): ImageDistribution {
  if (image.includes('fedora-coreos')) return ImageDistribution.FEDORA_COREOS;
  if (/(^|\/)coreos-(stable|beta|alpha)$/.test(image) || /(^|\/)coreos-cloud\//.test(image)) return ImageDistribution.COREOS;
  if (image.includes('flatcar')) return ImageDistribution.FLATCAR;
  return ImageDistribution.CUSTOM;
}

/** The ct dialect for an image: Flatcar's ct for Flatcar images, upstream ct otherwise. */
export function dialectOf(image: Image): 'coreos' | 'flatcar' {
  return image.distribution === ImageDistribution.FLATCAR ? 'flatcar' : 'coreos';
}

/** How the user wrote the config: a Container Linux Config (ct) or a Butane config. */
export type ConfigFormat = 'clc' | 'butane';

/** What a Butane config is written for: its `variant`. */
export type ButaneVariant = 'flatcar' | 'fcos';

/** Why `image` cannot boot a config of `format` (and, for Butane, `variant`), or nothing. */
export function formatProblems(image: Image, format: ConfigFormat, variant?: string): string[] {
  const at = `image "${image.image}"`;
  if (format === 'clc') {
    if (image.distribution !== ImageDistribution.FEDORA_COREOS) return [];
    return [`${at} is Fedora CoreOS, which takes Ignition spec 3 from a Butane config: write the config in Butane (variant: fcos, version: 1.5.0); a Container Linux Config is for Flatcar`];
  }
  switch (image.distribution) {
    case ImageDistribution.COREOS:
      return [`${at} is CoreOS Container Linux, which boots Ignition spec 2 only, and a Butane config gives spec 3: use Image.flatcar('stable') (Flatcar boots Ignition 3 from release 3185), or write a Container Linux Config`];
    case ImageDistribution.FLATCAR:
      return variant === 'flatcar' ? [] : [`${at} is Flatcar: its Butane variant is flatcar (version 1.0.0 or 1.1.0), not ${variant}`];
    case ImageDistribution.FEDORA_COREOS:
      return variant === 'fcos' ? [] : [`${at} is Fedora CoreOS: its Butane variant is fcos (version 1.4.0 to 1.6.0), not ${variant}`];
    default:
      return [];
  }
}

/** Why `image` cannot boot a Container Linux Config transpiled to `ignitionVersion`, or nothing. */
export function ignitionVersionProblems(image: Image, ignitionVersion: string | undefined): string[] {
  if (image.distribution === ImageDistribution.COREOS && ignitionVersion === '3.3.0') {
    return [`image "${image.image}" is CoreOS Container Linux, which boots Ignition spec 2 only: leave ignitionVersion unset, or use Image.flatcar('stable')`];
  }
  return [];
}

// The CLC sections that configure services Fedora CoreOS does not have (etcd-member, flanneld,
// update_engine and locksmithd).
const CONTAINER_LINUX_ONLY: ReadonlySet<string> = new Set(['etcd', 'flannel', 'update', 'locksmith']);

/**
 * Sections of the config that Fedora CoreOS cannot honour, from what the transpiler says it
 * generated for them (`TranspileResult.generated`).
 */
export function sectionProblems(image: Image, generated: readonly GeneratedOutput[]): string[] {
  if (image.distribution !== ImageDistribution.FEDORA_COREOS) return [];
  const refused = generated
    .map((output) => (output.kind === 'dropin' ? [output.section] : output.sections).filter((section) => CONTAINER_LINUX_ONLY.has(section)))
    .filter((sections) => sections.length > 0);
  return refused.map(
    (sections) => `the ${sections.join('/')} section configures a Container Linux service that Fedora CoreOS does not have: remove it, or run that service as a container unit`,
  );
}

/**
 * `--platform` (ct's `config/platform` and the first converter in `config/types/common.go`;
 * docs/ct.md §2, §8.3).
 */
import type { GeneratedDropin } from '../api';
import type { Translator } from '../convert';
import { Report } from '../diagnostics';
import type { IgnitionSystemdUnit } from '../ignition/types';
import { appendTo } from './common';
import type { SectionDescriptor } from '../section';

/** Values `--platform` accepts, in ct's order; anything else is `error: unsupported platform`. */
export const SUPPORTED_PLATFORMS: readonly string[] = [
  'azure',
  'digitalocean',
  'ec2',
  'gce',
  'packet',
  'openstack-metadata',
  'vagrant-virtualbox',
  'cloudstack-configdrive',
  'custom',
];

/** The pipeline's check before any converter runs; '' (no platform) is fine. */
export function isSupportedPlatform(platform: string): boolean {
  return platform === '' || SUPPORTED_PLATFORMS.includes(platform);
}

/** Platforms whose coreos-metadata needs its provider named explicitly (docs/ct.md §8.3). */
const PROVIDER_OVERRIDE_PLATFORMS = ['openstack-metadata', 'cloudstack-configdrive'];

const PROVIDER_OVERRIDE_DROPIN = '20-clct-provider-override.conf';

/** What `--platform` generates: the provider name goes in raw. */
const PLATFORM_GENERATED: readonly GeneratedDropin[] = ['coreos-metadata.service', 'coreos-metadata-sshkeys@.service'].map((unit) => ({
  kind: 'dropin',
  section: 'platform',
  unit,
  dropin: PROVIDER_OVERRIDE_DROPIN,
  values: 'raw',
}));

/**
 * Adds the coreos-metadata provider override units, whether or not templating is used. The
 * first has neither `enable` nor `enabled`; the second has `enabled: true` (docs/ct.md §8.3).
 */
export const platformTranslator: Translator = (_config, _ast, out, ctx) => {
  if (!PROVIDER_OVERRIDE_PLATFORMS.includes(ctx.platform)) return new Report();
  const dropins = () => [
    {
      name: PROVIDER_OVERRIDE_DROPIN,
      contents: `[Service]\nEnvironment=COREOS_METADATA_OPT_PROVIDER=--provider=${ctx.platform}`,
    },
  ];
  const unit = (name: string, enabled: boolean | undefined): IgnitionSystemdUnit => ({ name, enable: false, enabled, mask: false, contents: '', dropins: dropins() });
  appendTo(out.systemd, 'units', unit('coreos-metadata.service', undefined));
  appendTo(out.systemd, 'units', unit('coreos-metadata-sshkeys@.service', true));
  ctx.generated.push(...PLATFORM_GENERATED);
  return new Report();
};

/** The platform section (ct's `config/types/common.go`). */
export const platformSection: SectionDescriptor = {
  source: 'config/types/common.go',
  translate: platformTranslator,
  capability: 'platform',
};

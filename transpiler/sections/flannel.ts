/** CLC `flannel` -> the `flanneld.service` drop-in (ct's `config/types/flannel.go`; docs/ct.md §5.13). */
import type { GeneratedDropin } from '../api';
import type { ConvertContext, Dialect, Translator } from '../convert';
import { Report } from '../diagnostics';
import { quoteGo } from '../go/quote';
import { field, named, ptr, str, struct, type FieldDef, type GoStruct, type StructDef } from '../schema';
import { appendTo } from './common';
import { semverLessThanRelease, semverString, type Semver } from '../go/semver';
import { decodeSemver, versionField } from './etcd';
import { assembleUnit, generatedUnit, heldOptionSet, optionSet, renderArgs, type OptionSet } from './templating';
import type { SectionDescriptor } from '../section';

export const FLANNEL_TOO_OLD = 'invalid flannel version (too old)';
export const FLANNEL_MINOR_TOO_NEW =
  'flannel minor version too new. Only options available in the previous minor version will be supported';
export const NETWORK_CONFIG_INVALID_JSON = "flannel network config doesn't appear to be valid JSON";
export const NETWORK_CONFIG_WITH_KUBE_SUBNET_MGR = 'flannel network config cannot be provided if kube_subnet_mgr is set';

/** Typed form of the CLC `flannel` section. */
export interface FlannelConfig {
  /** flannel release (`X.Y.Z`); selects the option set and sets FLANNEL_IMAGE_TAG. @default - 0.6.0, no image tag */
  readonly version?: string;
  /** JSON object stored at /coreos.com/network/config by an `etcdctl set` ExecStartPre. */
  readonly network_config?: string;
  /** `--etcd-username` (0.6+). */
  readonly etcd_username?: string;
  /** `--etcd-password` (0.6+). */
  readonly etcd_password?: string;
  /** `--etcd-endpoints`, also used by the network_config ExecStartPre. */
  readonly etcd_endpoints?: string;
  /** `--etcd-cafile`, also used by the network_config ExecStartPre. */
  readonly etcd_cafile?: string;
  /** `--etcd-certfile`, also used by the network_config ExecStartPre. */
  readonly etcd_certfile?: string;
  /** `--etcd-keyfile`, also used by the network_config ExecStartPre. */
  readonly etcd_keyfile?: string;
  /** `--etcd-prefix`. */
  readonly etcd_prefix?: string;
  /** `--ip-masq`; a string in ct, so `true` is written `"true"`. */
  readonly ip_masq?: string;
  /** `--subnet-file`. */
  readonly subnet_file?: string;
  /** `--iface`. */
  readonly interface?: string;
  /** `--public-ip`. */
  readonly public_ip?: string;
  /** `--kube-subnet-mgr` (0.7+); excludes network_config. */
  readonly kube_subnet_mgr?: boolean;
}

const FLANNEL_FLAGS = { interface: 'iface' };
const flannel05Keys = [
  'etcd_endpoints', 'etcd_cafile', 'etcd_certfile', 'etcd_keyfile', 'etcd_prefix', 'ip_masq', 'subnet_file',
  'interface', 'public_ip',
];
const flannel06Keys = ['etcd_username', 'etcd_password', ...flannel05Keys];

export const flannel05Options: OptionSet = optionSet('types.Flannel0_5', flannel05Keys, FLANNEL_FLAGS);
export const flannel06Options: OptionSet = optionSet('types.Flannel0_6', flannel06Keys, FLANNEL_FLAGS);
export const flannel07Options: OptionSet = optionSet('types.Flannel0_7', [...flannel06Keys, 'kube_subnet_mgr:b'], FLANNEL_FLAGS);

const DEFAULT_FLANNEL_VERSION: Semver = { major: 0n, minor: 6n, patch: 0n, preRelease: '', metadata: '' };

/** ct's `FlannelVersion.Validate`: major >= 1 is neither an error nor a warning (docs/ct.md §5.13). */
export function validateFlannelVersion(v: Semver): Report {
  if (semverLessThanRelease(v, 0n, 5n, 0n)) return Report.of('error', FLANNEL_TOO_OLD);
  if (v.major === 0n && v.minor > 7n) return Report.of('warning', FLANNEL_MINOR_TOO_NEW);
  return new Report();
}

/** ct's `Flannel.UnmarshalYAML`: 0.7+ (of major 0), 0.6 or 0.5; anything else has no options. */
export function selectFlannelOptions(v: Semver): OptionSet | undefined {
  if (v.major !== 0n) return undefined;
  if (v.minor >= 7n) return flannel07Options;
  if (v.minor === 6n) return flannel06Options;
  return v.minor === 5n ? flannel05Options : undefined;
}

/** ct's `NetworkConfig.Validate`: Go `json.Unmarshal` into a map, so `null` passes too. */
export function validateNetworkConfig(value: string): Report {
  if (value === '') return new Report();
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return Report.of('error', NETWORK_CONFIG_INVALID_JSON);
  }
  const isObject = parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed));
  return isObject ? new Report() : Report.of('error', NETWORK_CONFIG_INVALID_JSON);
}

function effectiveFlannelVersion(flannel: GoStruct, dialect: Dialect): Semver {
  const explicit = flannel.version as string | undefined | null;
  return explicit === undefined || explicit === null ? DEFAULT_FLANNEL_VERSION : decodeSemver(explicit, dialect);
}

/** The options the flannel value holds (ct's `Options`, the type ct switches on). */
function flannelOptions(flannel: GoStruct, dialect: Dialect): OptionSet | undefined {
  return heldOptionSet(flannel, selectFlannelOptions(effectiveFlannelVersion(flannel, dialect)));
}

function flannelDef(dialect: Dialect): StructDef {
  return {
    goName: 'types.Flannel',
    fields: [
      versionField(validateFlannelVersion, dialect),
      field('NetworkConfig', 'network_config', named('types.NetworkConfig', str, (v) => validateNetworkConfig(v as string))),
    ],
    embedded: (value) => selectFlannelOptions(effectiveFlannelVersion(value, dialect))?.def,
    // ct's `(*Flannel).Validate`, positioned at the flannel mapping (docs/ct.md §5.13).
    validate: (value) => {
      const kubeSet = flannelOptions(value, dialect) === flannel07Options;
      if (kubeSet && value.kube_subnet_mgr === true && value.network_config) {
        return Report.of('error', NETWORK_CONFIG_WITH_KUBE_SUBNET_MGR);
      }
      return new Report();
    },
  };
}

const flannelFields: Record<Dialect, FieldDef> = {
  coreos: field('Flannel', 'flannel', ptr(struct(flannelDef('coreos')))),
  flatcar: field('Flannel', 'flannel', ptr(struct(flannelDef('flatcar')))),
};

/** The top-level `flannel` field; only the semver parser differs by dialect (Flatcar's go-semver v0.3.0). */
export function flannelField(dialect: Dialect): FieldDef {
  return flannelFields[dialect];
}

/** `etcdctl set` of the network config, with the etcd connection flags that are present (docs/ct.md §5.13). */
function networkConfigPreStart(flannel: GoStruct): string {
  let line = 'ExecStartPre=/usr/bin/etcdctl';
  const connection: [key: string, flag: string][] = [
    ['etcd_endpoints', 'endpoints'],
    ['etcd_cafile', 'ca-file'],
    ['etcd_certfile', 'cert-file'],
    ['etcd_keyfile', 'key-file'],
  ];
  for (const [key, flag] of connection) {
    const value = flannel[key] as string | undefined;
    if (value !== undefined && value !== null) line += ` --${flag}=${quoteGo(value)}`;
  }
  return `${line} set /coreos.com/network/config ${quoteGo(flannel.network_config as string)}`;
}

/** ct's `flannelContents`: the drop-in text, or a templating error. */
export function flannelDropin(flannel: GoStruct, ctx: Pick<ConvertContext, 'dialect' | 'platform'>): { contents: string } | { error: string } {
  const version = effectiveFlannelVersion(flannel, ctx.dialect);
  const args = renderArgs(flannelOptions(flannel, ctx.dialect), flannel);
  const vars = flannel.version === undefined || flannel.version === null ? [] : [`FLANNEL_IMAGE_TAG=v${semverString(version)}`];
  const unit = assembleUnit('/usr/lib/coreos/flannel-wrapper $FLANNEL_OPTS', args, vars, ctx.platform);
  if (!unit.ok) return { error: unit.error };
  // network_config is never templated and its line closes [Service] (docs/ct.md §5.13, §8.1).
  if (flannel.network_config) unit.value.service.push(networkConfigPreStart(flannel));
  return { contents: unit.value.render() };
}

/** What the flannel section generates: its options are `--flag="value"` lines, Go `%q`-quoted. */
export const FLANNEL_GENERATED: GeneratedDropin = { kind: 'dropin', section: 'flannel', unit: 'flanneld.service', dropin: '20-clct-flannel.conf', values: 'go-%q' };

export const flannelTranslator: Translator = (config, _ast, out, ctx) => {
  const flannel = config.flannel as GoStruct | undefined | null;
  if (!flannel) return new Report();
  const dropin = flannelDropin(flannel, ctx);
  if ('error' in dropin) return Report.of('error', dropin.error);
  appendTo(out.systemd, 'units', generatedUnit(FLANNEL_GENERATED.unit, FLANNEL_GENERATED.dropin, dropin.contents));
  ctx.generated.push(FLANNEL_GENERATED);
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface FlannelSectionConfig {
  /** flanneld.service options; `{}` still adds the unit. */
  readonly flannel?: FlannelConfig;
}

/** The flannel section (ct's `config/types/flannel.go`). */
export const flannelSection: SectionDescriptor<FlannelSectionConfig> = {
  source: 'config/types/flannel.go',
  configField: { key: 'flannel', index: 7, def: flannelField },
  translate: flannelTranslator,
  capability: 'flannel',
};

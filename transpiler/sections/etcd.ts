/**
 * CLC `etcd` -> the `etcd-member.service` drop-in (ct's `config/types/etcd.go`; docs/ct.md §5.12).
 */
import type { GeneratedDropin } from '../api';
import type { ConvertContext, Dialect, Translator } from '../convert';
import { Report } from '../diagnostics';
import { parseSemver, semverLessThanRelease, semverString, type Semver } from '../go/semver';
import { YamlError } from '../yaml/errors';
import { field, named, ptr, str, struct, type FieldDef, type GoStruct, type StructDef } from '../schema';
import { appendTo } from './common';
import {
  etcd2Options,
  etcd30Options,
  etcd31Options,
  etcd32Options,
  etcd33Options,
  etcd34Options,
  etcd35Options,
} from './etcd-options';
import { assembleUnit, generatedUnit, heldOptionSet, renderArgs, type OptionSet } from './templating';
import type { SectionDescriptor } from '../section';

// ---- go-semver as ct's etcd and flannel versions decode with it --------------------------------

/**
 * go-semver's `UnmarshalYAML`. Its error is not a go-yaml type error, so go-yaml aborts the whole
 * decode with that text alone (`error: 3.0 is not in dotted-tri format`, docs/ct.md §5.12); the decoder
 * lets errors thrown by `unmarshal` hooks through as the decode error.
 */
export function decodeSemver(text: string, dialect: Dialect): Semver {
  const v = parseSemver(text, dialect === 'flatcar');
  if (typeof v === 'string') throw new YamlError(v);
  return v;
}

/**
 * A `*SomeVersion` field: decoded by go-semver's `UnmarshalYAML` into a `string` (hence the Go
 * type name in type errors), whose parse error aborts the decode right there, in document order
 * (before a later merge-key error, whatever type errors were collected); then validated by `validate`.
 */
export function versionField(validate: (v: Semver) => Report, dialect: Dialect): FieldDef {
  const check = (value: unknown): Report => validate(decodeSemver(value as string, dialect));
  const parse = (value: unknown): unknown => {
    decodeSemver(value as string, dialect);
    return value;
  };
  // ct's `*EtcdVersion` unmarshals into a go-semver `Version`, whose own UnmarshalYAML decodes a string
  const semver = named('string', str, undefined, parse);
  return field('Version', 'version', ptr(named('string', semver, check, (value) => value)));
}

// ---- etcd -------------------------------------------------------------------------------------

/**
 * Typed form of the CLC `etcd` section. Each option becomes `--<key with - for _>=<value>`; which
 * keys exist depends on the version's option set (etcd-options.ts), others are unknown keys.
 */
export interface EtcdConfig {
  /** etcd release (`X.Y.Z`); selects the option set and sets ETCD_IMAGE_TAG. @default - 3.0.0 (Flatcar 3.5.0), no image tag */
  readonly version?: string;
  /** Member name (`--name`); `{HOSTNAME}` needs `--platform` (docs/ct.md §8). */
  readonly name?: string;
  /** Data directory (`--data-dir`). */
  readonly data_dir?: string;
  /** URLs to listen on for peers (`--listen-peer-urls`). */
  readonly listen_peer_urls?: string;
  /** URLs to listen on for clients (`--listen-client-urls`). */
  readonly listen_client_urls?: string;
  /** Peer URLs advertised to the cluster (`--initial-advertise-peer-urls`). */
  readonly initial_advertise_peer_urls?: string;
  /** Client URLs advertised to the cluster (`--advertise-client-urls`). */
  readonly advertise_client_urls?: string;
  /** Static bootstrap member list, `name=url,...` (`--initial-cluster`). */
  readonly initial_cluster?: string;
  /** `new` or `existing` (`--initial-cluster-state`). */
  readonly initial_cluster_state?: string;
  /** Bootstrap token (`--initial-cluster-token`). */
  readonly initial_cluster_token?: string;
  /** Discovery URL (`--discovery`). */
  readonly discovery?: string;
  /** Client certificate (`--cert-file`). */
  readonly cert_file?: string;
  /** Client key (`--key-file`). */
  readonly key_file?: string;
  /** Client CA (`--trusted-ca-file`). */
  readonly trusted_ca_file?: string;
  /** Any other option of the selected set: strings, ints or bools as the set declares them. */
  readonly [option: string]: string | number | bigint | boolean | undefined;
}

export const ETCD_VERSION_TOO_OLD = 'Etcd version specified is not valid (too old)';
export const ETCD_MINOR_VERSION_TOO_NEW =
  'Etcd minor version specified is too new, only options available in the previous minor version will be accepted';
export const ETCD_MAJOR_VERSION_TOO_NEW = 'Etcd version is not valid (too new)';

/** The version ct assumes without `version:`: upstream 3.0.0, Flatcar 3.5.0 (docs/ct.md §11). */
export function defaultEtcdVersion(dialect: Dialect): Semver {
  return { major: 3n, minor: dialect === 'flatcar' ? 5n : 0n, patch: 0n, preRelease: '', metadata: '' };
}

/** The newest etcd minor (of major 3) that has its own option set in this build. */
function newestEtcdMinor(dialect: Dialect): bigint {
  return dialect === 'flatcar' ? 5n : 3n;
}

/** ct's `EtcdVersion.Validate` (docs/ct.md §5.12). */
export function validateEtcdVersion(v: Semver, dialect: Dialect): Report {
  if (semverLessThanRelease(v, 2n, 3n, 0n)) return Report.of('error', ETCD_VERSION_TOO_OLD);
  if ((v.major === 2n && v.minor > 3n) || (v.major === 3n && v.minor > newestEtcdMinor(dialect))) {
    return Report.of('warning', ETCD_MINOR_VERSION_TOO_NEW);
  }
  if (v.major > 3n) return Report.of('error', ETCD_MAJOR_VERSION_TOO_NEW);
  return new Report();
}

/** ct's `Etcd.UnmarshalYAML`: the option set for a version, or none (docs/ct.md §5.12). */
export function selectEtcdOptions(v: Semver, dialect: Dialect): OptionSet | undefined {
  if (v.major === 2n && v.minor >= 3n) return etcd2Options;
  if (v.major !== 3n || v.minor < 0n) return undefined;
  if (v.minor === 0n) return etcd30Options;
  if (v.minor === 1n) return etcd31Options;
  if (v.minor === 2n) return etcd32Options;
  if (dialect !== 'flatcar' || v.minor === 3n) return etcd33Options;
  return v.minor === 4n ? etcd34Options : etcd35Options;
}

/** The version in effect: the explicit one (already checked by decode), or the default. */
function effectiveEtcdVersion(etcd: GoStruct, dialect: Dialect): Semver {
  const explicit = etcd.version as string | undefined | null;
  return explicit === undefined || explicit === null ? defaultEtcdVersion(dialect) : decodeSemver(explicit, dialect);
}

function etcdDef(dialect: Dialect): StructDef {
  return {
    goName: 'types.Etcd',
    fields: [versionField((v) => validateEtcdVersion(v, dialect), dialect)],
    embedded: (value) => selectEtcdOptions(effectiveEtcdVersion(value, dialect), dialect)?.def,
  };
}

const etcdFields: Record<Dialect, FieldDef> = {
  coreos: field('Etcd', 'etcd', ptr(struct(etcdDef('coreos')))),
  flatcar: field('Etcd', 'etcd', ptr(struct(etcdDef('flatcar')))),
};

/**
 * The top-level `etcd` field. A function of the dialect: the default version, the known option
 * sets and the "minor too new" bound differ between upstream and Flatcar (docs/ct.md §11).
 */
export function etcdField(dialect: Dialect): FieldDef {
  return etcdFields[dialect];
}

/** ct's `etcdContents`: the drop-in text, or a templating error (docs/ct.md §5.12, §8). */
export function etcdDropin(etcd: GoStruct, ctx: Pick<ConvertContext, 'dialect' | 'platform'>): { contents: string } | { error: string } {
  const version = effectiveEtcdVersion(etcd, ctx.dialect);
  const args = renderArgs(heldOptionSet(etcd, selectEtcdOptions(version, ctx.dialect)), etcd);
  // ETCD_IMAGE_TAG only when the version was written out (docs/ct.md §12 item 7).
  const vars = etcd.version === undefined || etcd.version === null ? [] : [`ETCD_IMAGE_TAG=v${semverString(version)}`];
  const unit = assembleUnit('/usr/lib/coreos/etcd-wrapper $ETCD_OPTS', args, vars, ctx.platform);
  return unit.ok ? { contents: unit.value.render() } : { error: unit.error };
}

/** What the etcd section generates: its options are `--flag="value"` lines, Go `%q`-quoted. */
export const ETCD_GENERATED: GeneratedDropin = { kind: 'dropin', section: 'etcd', unit: 'etcd-member.service', dropin: '20-clct-etcd-member.conf', values: 'go-%q' };

export const etcdTranslator: Translator = (config, _ast, out, ctx) => {
  const etcd = config.etcd as GoStruct | undefined | null;
  if (!etcd) return new Report();
  const dropin = etcdDropin(etcd, ctx);
  if ('error' in dropin) return Report.of('error', dropin.error);
  appendTo(out.systemd, 'units', generatedUnit(ETCD_GENERATED.unit, ETCD_GENERATED.dropin, dropin.contents));
  ctx.generated.push(ETCD_GENERATED);
  return new Report();
};

/** The section's part of `ContainerLinuxConfig`. */
export interface EtcdSectionConfig {
  /** etcd-member.service options; `{}` still adds the unit. */
  readonly etcd?: EtcdConfig;
}

/** The etcd section (ct's `config/types/etcd.go`). */
export const etcdSection: SectionDescriptor<EtcdSectionConfig> = {
  source: 'config/types/etcd.go',
  configField: { key: 'etcd', index: 6, def: etcdField },
  translate: etcdTranslator,
  capability: 'etcd',
};

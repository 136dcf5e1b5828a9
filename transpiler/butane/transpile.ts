/**
 * Butane v0.23.0's translation of one config (docs/butane.md §1): dispatch on variant and version,
 * decode, unused keys, source validation, translation (with mount units, trees, and fcos's boot
 * device and GRUB sugar), the variant's field filters, then Ignition's duplicate check and
 * validation of the output, each phase's entries mapped back to YAML paths and positions.
 */
import type { GoStruct, GoType, StructDef } from '../schema';
import { decode, nodeFromValue, parseDocument, YamlError, type YamlNode } from '../yaml';
import { marshalIgnition } from '../ignition-v3/marshal';
import { ignitionType, type IgnitionVersion } from '../ignition-v3/types';
import { validateDuplicates, validateConfig } from '../ignition-v3/validate';
import { dispatch, type SupportedSpec } from './dispatch';
import type { ButaneEntry } from './entry';
import { processBootDevice } from './fcos-boot-device';
import { handleUserGrubCfg } from './fcos-grub';
import { nodeButaneFs, type ButaneFs } from './files-dir';
import { addMountUnits } from './mount-units';
import type { Path } from './path';
import { contextRoot, correlate, isFatal, type PlacedEntry } from './report';
import { butaneConfigType } from './schema/variants';
import { translateBase } from './translate-base';
import type { TranslationSet } from './translation-set';
import { processTrees, type Tree } from './trees';
import { unusedKeys } from './unused-keys';
import { validateSource } from './validate-source';

export interface ButaneOptions {
  /** `-p`: indented JSON. */
  readonly pretty?: boolean;
  /** `-d`: the directory `local`, `contents_local`, `ssh_authorized_keys_local` and `trees` read from ('' or absent: none). */
  readonly filesDir?: string;
  /** How files are read; the real file system relative to the working directory by default. */
  readonly fs?: ButaneFs;
}

export const ERR_INVALID_SOURCE = 'source config is invalid';
export const ERR_INVALID_GENERATED = 'config generated was invalid';

/** What `config.TranslateBytes` returns: the JSON (without the newline the command adds), the report, and the error. */
export interface ButaneOutcome {
  readonly json?: string;
  /** The Ignition config as an object (for the constructs), when translation succeeded. */
  readonly ignition?: GoStruct;
  readonly ignitionVersion?: IgnitionVersion;
  readonly spec?: SupportedSpec;
  readonly entries: readonly PlacedEntry[];
  /** Printed as `Error translating config: <error>`; absent on success. */
  readonly error?: string;
}

/**
 * Translates a Butane config: YAML text or bytes, or a plain object of the same shape (whose
 * entries then carry a path but no line and column).
 */
export function translateButane(input: string | Uint8Array | object, options: ButaneOptions = {}): ButaneOutcome {
  const typed = typeof input !== 'string' && !(input instanceof Uint8Array);
  // config.TranslateBytes reads variant and version first: a syntax error is reported there
  let doc: YamlNode | undefined;
  try {
    doc = typed ? nodeFromValue(input) : parseDocument(input as string | Uint8Array, 'v3');
  } catch (err) {
    if (err instanceof YamlError) return { entries: [], error: `Error unmarshaling yaml: ${err.message}` };
    throw err;
  }
  const routed = dispatch(doc);
  if (!routed.ok) return { entries: [], error: routed.error };
  const spec = routed.spec;
  const ignitionVersion = spec.ignition;
  const yamlType = butaneConfigType(spec.variant, spec.version);
  if (!yamlType) throw new Error(`butane: no schema for ${spec.variant} ${spec.version}`);

  // util.TranslateBytes: decode (errors are yaml.v3's own text), then unused keys
  let config: GoStruct;
  try {
    config = decode(doc, yamlType, 'v3') as GoStruct;
  } catch (err) {
    if (err instanceof YamlError) return { entries: [], error: err.message, spec };
    throw err;
  }
  // a typed object has no positions to give
  const root = typed ? undefined : contextRoot(doc);
  const entries: PlacedEntry[] = unusedKeys(config, yamlType, doc).map((e) => (typed ? { kind: e.kind, message: e.message, path: e.path, unusedKey: e.unusedKey } : e));
  const done = (error?: string, more: readonly ButaneEntry[] = [], ts?: TranslationSet): ButaneOutcome => ({
    entries: correlate([...entries, ...mapPaths(more, ts)], root),
    error,
    spec,
    ignitionVersion,
  });
  if (isFatal(entries)) return done(ERR_INVALID_SOURCE);

  // util.Translate: source validation, translation, filters, duplicates, Ignition's validation
  const phase: ButaneEntry[] = [...validateSource(config, yamlType)];
  if (isFatal(phase)) return done(ERR_INVALID_SOURCE, phase);
  const fs = options.fs ?? nodeButaneFs();
  const filesDir = options.filesDir ?? '';
  const translated = translateVariant(config, yamlType, spec, ignitionVersion, { filesDir, fs });
  phase.push(...translated.entries, ...mapPaths(translated.jsonEntries, translated.ts));
  if (isFatal(phase)) return done(ERR_INVALID_SOURCE, phase);
  phase.push(...mapPaths(fieldFilters(spec, translated.config), translated.ts));
  if (isFatal(phase)) return done(ERR_INVALID_SOURCE, phase);
  phase.push(...mapPaths(validateDuplicates(translated.config, ignitionVersion), translated.ts));
  phase.push(...mapPaths(validateConfig(translated.config, ignitionVersion), translated.ts));
  if (isFatal(phase)) return done(ERR_INVALID_GENERATED, phase);

  const json = marshalIgnition(translated.config, ignitionVersion, options.pretty ?? false);
  return { ...done(undefined, phase), json, ignition: translated.config };
}

interface VariantTranslation {
  readonly config: GoStruct;
  readonly ts: TranslationSet;
  /** Entries with YAML paths (the custom translators', trees'). */
  readonly entries: ButaneEntry[];
  /** Entries with JSON paths, for the translation set to map (fcos's reserved-label check). */
  readonly jsonEntries: ButaneEntry[];
}

/** The variant's `ToIgn3_xUnvalidated`. */
function translateVariant(
  yaml: GoStruct,
  yamlType: GoType,
  spec: SupportedSpec,
  ignitionVersion: IgnitionVersion,
  options: { filesDir: string; fs: ButaneFs },
): VariantTranslation {
  const fromDef = (yamlType as { def: StructDef }).def;
  const toType = ignitionType(ignitionVersion);
  const toDef = (toType as { def: StructDef }).def;
  const base = translateBase(fromDef, toDef, yaml, ignitionVersion, options);
  let { config, ts } = mergeResult(addMountUnits(yaml, base.config, base.ts, ignitionVersion));
  const entries: ButaneEntry[] = [...base.entries];
  const trees = processTrees((yaml.storage as GoStruct | undefined)?.trees as Tree[] | null, config, options.filesDir, options.fs, toType);
  ts.merge(trees.ts);
  entries.push(...trees.entries);
  const jsonEntries: ButaneEntry[] = [];
  if (isFatal(entries) || spec.variant !== 'fcos') return { config, ts, entries, jsonEntries };

  const boot = processBootDevice(yaml, config, ts, ignitionVersion);
  ({ config, ts } = boot);
  jsonEntries.push(...boot.jsonEntries);
  if (spec.version === '1.5.0' || spec.version === '1.6.0') {
    ({ config, ts } = handleUserGrubCfg(yaml, config, ts, ignitionVersion));
  }
  return { config, ts, entries, jsonEntries };
}

const mergeResult = (r: { config: GoStruct; ts: TranslationSet }): { config: GoStruct; ts: TranslationSet } => r;

/** flatcar's `FieldFilters`: no clevis (docs/butane.md §11). */
function fieldFilters(spec: SupportedSpec, config: GoStruct): ButaneEntry[] {
  if (spec.variant !== 'flatcar') return [];
  const luks = ((config.storage as GoStruct | undefined)?.luks as GoStruct[] | undefined) ?? [];
  const out: ButaneEntry[] = [];
  luks.forEach((l, i) => {
    if (!isEmpty(l.clevis)) out.push({ kind: 'error', message: 'clevis is not supported in this spec version', path: ['storage', 'luks', i, 'clevis'] });
  });
  return out;
}

/**
 * butane `config/util/filter.go` `FieldFilters.isEmpty`: a nil pointer, an empty slice, a struct of
 * empty fields. A pointer to `false`, `0` or `""` is *not* empty, so `clevis: {tpm2: false}` is
 * refused too. (Every primitive under `clevis` is a pointer, except `tang[].url`, which only exists
 * inside a non-empty slice; so a set primitive is never empty here.)
 */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as object).every(isEmpty);
  return false;
}

/** `TranslateReportPaths`: JSON paths through the translation set, else camelCase → snake_case. */
function mapPaths(entries: readonly ButaneEntry[], ts: TranslationSet | undefined): ButaneEntry[] {
  if (!ts) return [...entries];
  return entries.map((e) => {
    const t = ts.get(e.path);
    return { ...e, path: t ? t.from : e.path.map((p) => (typeof p === 'string' ? snake(p) : p)) };
  });
}

/** butane `util.Snake`: `typeGuid` → `type_guid`, `sizeMiB` → `size_mib`. */
export function snake(s: string): string {
  return s.replace(/(MiB|[A-Z])/g, '_$1').toLowerCase();
}

export type { Path };

/**
 * Flatcar's `v2_4.Parse` of a 2.x config (ignition-2to3 §2 step 2): version sniffing, the input
 * version's own validation, then the upgrade to the newest 2.x types. The result is Go-shaped
 * 2.3 (`ignition/v2_3.ts`) plus the few 2.4-only fields, which ct never emits.
 */
import { Report } from '../diagnostics';
import { ignitionConfigV22, ignitionConfigV23 } from '../ignition';
import type { GoStruct, GoType } from '../schema';
import { validate } from '../validate';
import { decode, nodeFromValue, YamlError } from '../yaml';
import type { YamlNode } from '../yaml/node';
import { Ign3TranslationError } from './errors';

/** A 2.x config after `v2_4.Parse`: 2.3-shaped, with 2.4's `httpHeaders` and `ignition.proxy` kept when given. */
export interface ParsedV2 {
  readonly config: GoStruct;
  /** The 2.x version the input declared. */
  readonly version: string;
}

const parseError = (detail: string): Ign3TranslationError => new Ign3TranslationError('parse', detail);

function semver(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function asObject(input: string | Uint8Array | object): Record<string, unknown> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    try {
      input = JSON.parse(text) as object;
    } catch {
      throw parseError('config is not valid');
    }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw parseError('config is not valid');
  return input as Record<string, unknown>;
}

/** The JSON value as a YAML node tree, for the decoder; throws like a decode failure. */
function nodeOf(raw: object): YamlNode {
  try {
    return nodeFromValue(raw);
  } catch (err) {
    if (err instanceof YamlError) throw parseError('config is not valid');
    throw err;
  }
}

function decodeAs(node: YamlNode, type: GoType): GoStruct {
  try {
    return decode(node, type, 'v3') as GoStruct;
  } catch (err) {
    if (err instanceof YamlError) throw parseError('config is not valid');
    throw err;
  }
}

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);
const objectAt = (v: unknown): GoStruct => (v && typeof v === 'object' && !Array.isArray(v) ? (v as GoStruct) : {});

/** 2.2 -> 2.3 (`config/v2_3/translate.go`): sector sizes and the label become pointers, set even when 0 (§4.5). */
function upgradePartitionsFrom22(config: GoStruct): void {
  for (const disk of list(config.storage.disks)) {
    for (const p of list(disk.partitions)) {
      p.size ??= 0;
      p.start ??= 0;
      p.label ??= '';
    }
  }
}

/** 2.4's resource headers and proxy, copied from the raw JSON onto the decoded 2.3 values. */
function keep24Fields(config: GoStruct, raw: Record<string, unknown>): void {
  const ignition = objectAt(raw.ignition);
  const headersOf = (v: unknown): unknown => objectAt(v).httpHeaders ?? null;
  const cfg = objectAt(ignition.config);
  list(config.ignition.config.append).forEach((ref, i) => (ref.httpHeaders = headersOf(list(cfg.append)[i])));
  if (config.ignition.config.replace) config.ignition.config.replace.httpHeaders = headersOf(cfg.replace);
  const cas = list(objectAt(objectAt(ignition.security).tls).certificateAuthorities);
  list(config.ignition.security.tls.certificateAuthorities).forEach((ca, i) => (ca.httpHeaders = headersOf(cas[i])));
  const files = list(objectAt(raw.storage).files);
  list(config.storage.files).forEach((f, i) => (f.contents.httpHeaders = headersOf(objectAt(files[i]).contents)));
  config.ignition.proxy = objectAt(ignition.proxy);
}

/**
 * Parses a 2.x config as Flatcar does before translating. Throws Ign3TranslationError with
 * `unable to parse 2.x ignition: ...` for what Flatcar refuses, and 'unsupported' for spec 1,
 * 2.0 and 2.1, which this port does not upgrade.
 */
export function parseV2(input: string | Uint8Array | object): ParsedV2 {
  const raw = asObject(input);
  const version = typeof objectAt(raw.ignition).version === 'string' ? (objectAt(raw.ignition).version as string) : '';
  const v = semver(version);
  if (!v) throw new Ign3TranslationError('unsupported', `config version ${JSON.stringify(version)} is not translated by this port (only 2.2.0 to 2.4.0)`);
  if (v[0] !== 2) throw new Ign3TranslationError('unsupported', `config version ${version} is not a 2.x version`);
  if (v[1] > 4 || (v[1] === 4 && v[2] > 0)) throw parseError('unsupported config version');
  if (v[1] < 2) throw new Ign3TranslationError('unsupported', `config version ${version} is not translated by this port (only 2.2.0 to 2.4.0)`);

  // The input version's own parser validates first; any error is the bare sentinel (§6.4).
  // 2.4 input is checked with the 2.3 rules, the closest this port has (its extra fields are copied below).
  const asOwn = v[1] === 4 ? { ...raw, ignition: { ...objectAt(raw.ignition), version: '2.3.0' } } : raw;
  const node = nodeOf(asOwn);
  const own = decodeAs(node, v[1] === 2 ? ignitionConfigV22 : ignitionConfigV23);
  const ownReport: Report = validate(own, v[1] === 2 ? ignitionConfigV22 : ignitionConfigV23, undefined, false);
  if (ownReport.isFatal()) throw parseError('config is not valid');

  const config = v[1] === 2 ? decodeAs(node, ignitionConfigV23) : own;
  if (v[1] === 2) upgradePartitionsFrom22(config);
  keep24Fields(config, raw);
  return { config, version };
}

/**
 * Flatcar's `v2_4.Parse` of a 2.x config (ignition-2to3 §2 step 2): version sniffing, the input
 * version's own validation, then the upgrade to the newest 2.x types. The result is Go-shaped
 * 2.3 (`ignition/v2_3.ts`) plus the few 2.4-only fields, which ct never emits.
 */
import { Report } from '../diagnostics';
import { ignitionConfigV22, ignitionConfigV23 } from '../ignition';
import type { GoStruct, GoType } from '../schema';
import { validate } from '../validate';
import { buildsNodeTree, decodeJsonValue } from './decode-json';
import { Ign3TranslationError } from './errors';
import { v23MayObject } from './v23-over-v22';

/** A 2.x config after `v2_4.Parse`: 2.3-shaped, with 2.4's `httpHeaders` and `ignition.proxy` kept when given. */
export interface ParsedV2 {
  readonly config: GoStruct;
  /** The 2.x version the input declared. */
  readonly version: string;
  /**
   * `config` validated as 2.3 (`Check2_4` starts from it); empty for 2.2 input known valid when the
   * 2.3 rules provably yield no error or deprecation on it.
   */
  readonly report: Report;
}

const parseError = (detail: string): Ign3TranslationError => new Ign3TranslationError('parse', detail);

function semver(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The input as a JSON object, and the length of its text when it was given as text. */
function asObject(input: string | Uint8Array | object): { raw: Record<string, unknown>; textLength?: number } {
  let textLength: number | undefined;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    textLength = text.length;
    try {
      input = JSON.parse(text) as object;
    } catch {
      throw parseError('config is not valid');
    }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw parseError('config is not valid');
  return { raw: input as Record<string, unknown>, textLength };
}

const fail = (): never => {
  throw parseError('config is not valid');
};

function decodeAs(raw: object, type: GoType): GoStruct {
  return decodeJsonValue(raw, type) ?? fail();
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

/** Go marshals a lone surrogate as `\ufffd`, so such text no longer holds the config that was checked. */
const mayDifferFromMarshalled = (text: string): boolean => text.includes('\ufffd') || text.includes('\\ufffd');

/**
 * Parses a 2.x config as Flatcar does before translating. Throws Ign3TranslationError with
 * `unable to parse 2.x ignition: ...` for what Flatcar refuses, and 'unsupported' for spec 1,
 * 2.0 and 2.1, which this port does not upgrade. `ownVersionValid`: `input` is the Go JSON of a
 * config that passed the validation of the version it declares (ct's own output), which then
 * need not run again.
 */
export function parseV2(input: string | Uint8Array | object, ownVersionValid = false): ParsedV2 {
  const { raw, textLength } = asObject(input);
  const version = typeof objectAt(raw.ignition).version === 'string' ? (objectAt(raw.ignition).version as string) : '';
  const v = semver(version);
  if (!v) throw new Ign3TranslationError('unsupported', `config version ${JSON.stringify(version)} is not translated by this port (only 2.2.0 to 2.4.0)`);
  if (v[0] !== 2) throw new Ign3TranslationError('unsupported', `config version ${version} is not a 2.x version`);
  if (v[1] > 4 || (v[1] === 4 && v[2] > 0)) throw parseError('unsupported config version');
  if (v[1] < 2) throw new Ign3TranslationError('unsupported', `config version ${version} is not translated by this port (only 2.2.0 to 2.4.0)`);

  // The input version's own parser validates first; any error is the bare sentinel (§6.4).
  // 2.4 input is checked with the 2.3 rules, the closest this port has (its extra fields are copied below).
  const asOwn = v[1] === 4 ? { ...raw, ignition: { ...objectAt(raw.ignition), version: '2.3.0' } } : raw;
  if (!buildsNodeTree(asOwn, textLength)) fail();
  if (v[1] === 2) {
    const checked = ownVersionValid && typeof input === 'string' && !mayDifferFromMarshalled(input);
    if (!checked && validate(decodeAs(asOwn, ignitionConfigV22), ignitionConfigV22, undefined, false).isFatal()) fail();
    const config = decodeAs(asOwn, ignitionConfigV23);
    upgradePartitionsFrom22(config);
    keep24Fields(config, raw);
    // a 2.3 report without errors or deprecations is never read (Check2_4), so ct's own valid output
    // is validated again only where 2.3 may object (an empty report stands in for the rest)
    const report = checked && !v23MayObject(config) ? new Report() : validate(config, ignitionConfigV23, undefined, false);
    return { config, version, report };
  }
  const config = decodeAs(asOwn, ignitionConfigV23);
  const report = validate(config, ignitionConfigV23, undefined, false);
  if (report.isFatal()) fail();
  keep24Fields(config, raw);
  // the 2.3 rules ignore the 2.4 fields just copied: the report stands for `config` as it is now
  return { config, version, report };
}

/**
 * How Flatcar's Ignition reads a 2.x config before translating it:
 * `util.GetConfigVersion` (patched for spec 1's `ignitionVersion`), then flatcar/ignition
 * v0.36.2's `v2_4.Parse`, which tries its own types and, when they fail to decode or the version is
 * older, falls back to `v2_3.Parse`, ... `v1.Parse`: each validates with its own rules and the
 * result is upgraded step by step to 2.4 types. The error of the innermost parser that answered
 * is the one returned, so a type error in a 2.3 config usually surfaces as 2.0's or spec 1's
 * `unsupported config version`.
 */
import { Report } from '../diagnostics';
import { field, int, str, struct, type GoStruct, type GoType } from '../schema';
import { validate } from '../validate';
import { ERR_EMPTY, ERR_INVALID, ERR_INVALID_VERSION, ERR_UNKNOWN_VERSION, Ign3TranslationError, parseFailure } from './errors';
import { unmarshalGo, unmarshalMarshalled } from './go-json-decode';
import { isCloudConfigOrScript } from './not-json';
import { parseJsonTree, JsonSyntaxError, type JsonValue } from './json-tree';
import { objectToJsonTree } from './object-tree';
import { ignitionConfigV22Flatcar, ignitionConfigV23Flatcar, ignitionConfigV24 } from './types-v2';
import { upgradeV21ToV22, upgradeV22ToV23, upgradeV23ToV24, ignitionConfigV21 } from './upgrade-v21-v24';
import { parseV20 } from './upgrade-v1-v20';
import { hasBadS3Source, v23MayObject } from './v23-over-v22';
import { compareSemver, newVersion, sameSemver, semver, type Semver } from '../go/semver';

/** `util.versionStub`: no JSON tags, so the keys are the Go field names, matched case-insensitively. */
const stubType: GoType = struct({
  goName: 'util.versionStub',
  fields: [
    field('Ignition', 'Ignition', struct({ goName: 'struct', fields: [field('Version', 'Version', str)] })),
    field('IgnitionVersion', 'IgnitionVersion', int),
  ],
});

/** A 2.x config after `v2_4.Parse`, in 2.4 types (`ignitionConfigV24`). */
export interface ParsedV2 {
  readonly config: GoStruct;
  /** `config` validated as 2.4, as `Check2_4` does; empty where that provably finds nothing it reads. */
  readonly report: Report;
}

/**
 * A config as one level returns it, with its validation report where that report is also the 2.4
 * one `Check2_4` reads (2.3 and 2.4 input: the 2.4 rules add only header checks, and the upgrade
 * to 2.4 adds no headers).
 */
interface Parsed {
  readonly config: GoStruct;
  readonly report?: Report;
}

/** Fails the way a 2.x `Parse` does on a fatal report. */
function validated(config: GoStruct, type: GoType): Parsed {
  const report = validate(config, type, undefined, false);
  if (report.isFatal()) throw parseFailure(ERR_INVALID);
  return { config, report };
}

interface Level {
  readonly type: GoType;
  readonly max: Semver;
  /** The next older parser, upgraded to this level's types. */
  readonly older: (tree: JsonValue, declared: Semver | undefined, trusted: boolean) => Parsed;
}

/** `ignition.version` alone, as the 2.1 to 2.4 types decode it (the same field in each). */
const declaredVersionType: GoType = struct({
  goName: 'types.Config',
  fields: [field('Ignition', 'ignition', struct({ goName: 'types.Ignition', fields: [field('Version', 'version', str)] }))],
});

/**
 * One `v2_N.Parse` (N = 1..4): decode, then fall back where decoding fails, the version does not
 * parse or is older; refuse any other version than its own; validate. `declared`: the version as
 * these types decode it (undefined where that fails), which decides a fall-back before the whole
 * config needs decoding. `trusted`: the input is known to pass its own version's validation
 * (ct's output).
 */
function parseLevel(level: Level, tree: JsonValue, declared: Semver | undefined, trusted: boolean): Parsed {
  if (declared === undefined || compareSemver(declared, level.max) < 0) return level.older(tree, declared, trusted);
  const config = unmarshalGo(tree, level.type);
  if (config === undefined) return level.older(tree, declared, trusted);
  if (!sameSemver(declared, level.max)) throw parseFailure(ERR_UNKNOWN_VERSION);
  // ct v0.9.0 validated its 2.2.0 output with its own, laxer s3 rule
  const known = trusted && !(level === v22 && hasBadS3Source(config));
  return known ? { config } : validated(config, level.type);
}

const v21: Level = { type: ignitionConfigV21, max: semver(2, 1, 0), older: (tree) => ({ config: parseV20(tree) }) };
const v22: Level = { type: ignitionConfigV22Flatcar, max: semver(2, 2, 0), older: (tree, d, t) => ({ config: upgradeV21ToV22(parseLevel(v21, tree, d, t).config) }) };
const v23: Level = { type: ignitionConfigV23Flatcar, max: semver(2, 3, 0), older: (tree, d, t) => ({ config: upgradeV22ToV23(parseLevel(v22, tree, d, t).config) }) };
const v24: Level = {
  type: ignitionConfigV24,
  max: semver(2, 4, 0),
  older: (tree, d, t) => {
    const parsed = parseLevel(v23, tree, d, t);
    return { config: upgradeV23ToV24(parsed.config), report: parsed.report };
  },
};

/** `v2_4.Parse`. */
function parseV24(tree: JsonValue, trusted: boolean): Parsed {
  const stub = unmarshalGo(tree, declaredVersionType);
  return parseLevel(v24, tree, stub === undefined ? undefined : newVersion(stub.ignition.version as string), trusted);
}

/** The input as bytes, or as a tree when it is a JS value. */
function readTree(input: string | Uint8Array | object): JsonValue {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input instanceof Uint8Array ? input : undefined;
  // `GetConfigVersion`: no bytes at all is no config
  if (bytes?.length === 0) throw new Ign3TranslationError('config', ERR_EMPTY);
  try {
    return bytes === undefined ? objectToJsonTree(input as object) : parseJsonTree(bytes);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    // a cloud-config, script or MIME multipart instead of JSON is no config either (patch 0013)
    if (bytes !== undefined && isCloudConfigOrScript(bytes)) throw new Ign3TranslationError('config', ERR_EMPTY);
    throw new Ign3TranslationError('config', ERR_INVALID);
  }
}

/**
 * `util.GetConfigVersion` with Flatcar's patch: `ignition.version`, else `<ignitionVersion>.0.0`,
 * decoded by the standard library (Go 1.21+ key folding). Errors carry no 2.x prefix.
 */
function configVersion(tree: JsonValue): Semver {
  const stub = unmarshalGo(tree, stubType, { folding: 'modern' });
  if (stub === undefined) throw new Ign3TranslationError('config', ERR_INVALID);
  const declared = stub.Ignition.Version as string;
  const version = newVersion(declared !== '' ? declared : `${String(stub.IgnitionVersion)}.0.0`);
  if (version === undefined) throw new Ign3TranslationError('config', ERR_INVALID_VERSION);
  return version;
}

/** Digits JSON.parse may round: any run of 16 or more. */
const LONG_NUMBER = /\d{16}/;

/**
 * ct's own output (Go's JSON of a valid 2.2.0 or 2.3.0 config): `JSON.parse` reads it exactly as
 * Go would, unless a number is long enough to round. Undefined where that shortcut does not apply.
 */
function parseMarshalled(text: string): Parsed | undefined {
  if (LONG_NUMBER.test(text)) return undefined;
  const raw = JSON.parse(text) as { ignition?: { version?: unknown } };
  const version = raw.ignition?.version;
  if (version === '2.3.0') return { config: upgradeV23ToV24(unmarshalMarshalled(raw, ignitionConfigV23Flatcar) as GoStruct) };
  if (version !== '2.2.0') return undefined;
  const config = unmarshalMarshalled(raw, ignitionConfigV22Flatcar) as GoStruct;
  // ct v0.9.0 validated it with its own, laxer s3 rule: then Flatcar's 2.2 rules run in full
  return hasBadS3Source(config) ? undefined : { config: upgradeV23ToV24(upgradeV22ToV23(config)) };
}

/**
 * Parses a 2.x (or spec 1) config as Flatcar does before translating. Throws Ign3TranslationError
 * with Flatcar's text for what it refuses; a 3.x config is 'unsupported' (Flatcar parses it as
 * spec 3, not through this translation). `ownVersionValid`: `input` is the Go JSON of a config
 * that passed the validation of the version it declares (ct's own output), which then need not
 * run again.
 */
export function parseV2(input: string | Uint8Array | object, ownVersionValid = false): ParsedV2 {
  const trusted = ownVersionValid && typeof input === 'string' && !input.includes('\ufffd');
  const marshalled = trusted ? parseMarshalled(input as string) : undefined;
  let parsed: Parsed;
  if (marshalled) parsed = marshalled;
  else {
    const tree = readTree(input);
    const version = configVersion(tree);
    if (version.major === 3n) {
      throw new Ign3TranslationError('unsupported', 'config version 3.x is parsed as spec 3 by Flatcar, not translated from 2.x');
    }
    parsed = parseV24(tree, trusted);
  }
  const config = parsed.config;
  // Check2_4 reads errors and deprecations only; ct's own valid output is validated again only
  // where the 2.4 rules may find one (an empty report stands in for the rest)
  const report = parsed.report ?? (trusted && !v23MayObject(config) ? new Report() : validate(config, ignitionConfigV24, undefined, false));
  return { config, report };
}

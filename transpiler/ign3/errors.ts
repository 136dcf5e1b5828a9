/** Why a 2.x config does not become spec 3, worded as Flatcar's `config.Parse` returns it (docs/ignition-2to3.md §2, §6). */
import { quoteGo } from '../go/quote';

/**
 * - `config`: `util.GetConfigVersion` refused the input before any 2.x parsing (no prefix);
 * - `parse`: `v2_4.Parse` refused the input (`unable to parse 2.x ignition: ...`);
 * - `translate`: `v24tov31.Translate` refused it (`unable to translate 2.x ignition to 3.1: ...`);
 * - `crash`: the real translator panics here; this port refuses instead (§6.6);
 * - `unsupported`: input that is not for this translation (a spec 3 config).
 */
export type Ign3FailureKind = 'config' | 'parse' | 'translate' | 'crash' | 'unsupported';

const PREFIX: Readonly<Record<Ign3FailureKind, string>> = {
  config: '',
  parse: 'unable to parse 2.x ignition: ',
  translate: 'unable to translate 2.x ignition to 3.1: ',
  crash: 'unable to translate 2.x ignition to 3.1: ',
  unsupported: '',
};

export class Ign3TranslationError extends Error {
  /** The error text exactly as Flatcar's `config.Parse` returns it (crash/unsupported: this port's own words). */
  readonly flatcarMessage: string;

  constructor(
    readonly kind: Ign3FailureKind,
    /** The inner error (`Check2_4`'s error, or a 3.1 validation report). */
    readonly detail: string,
  ) {
    super(PREFIX[kind] + detail);
    this.name = 'Ign3TranslationError';
    this.flatcarMessage = PREFIX[kind] + detail;
  }
}

/** Ignition's sentinel errors (`config/shared/errors`), the only detail a failed parse keeps. */
export const ERR_EMPTY = 'not a config (empty)';
export const ERR_INVALID = 'config is not valid';
export const ERR_INVALID_VERSION = "invalid config version (couldn't parse)";
export const ERR_UNKNOWN_VERSION = 'unsupported config version';
/** flatcar/ignition `util.HandleParseErrors` when spec 1 fails to decode but the newest 2.x types do not. */
export const ERR_VALID_CONFIG = 'HandleParseErrors called with a valid config';

/** `unable to parse 2.x ignition: <sentinel>`. */
export const parseFailure = (sentinel: string): Ign3TranslationError => new Ign3TranslationError('parse', sentinel);

export const translateError = (detail: string): Ign3TranslationError => new Ign3TranslationError('translate', detail);

/** `util.DuplicateInodeError` (two spaces after the first full stop are Flatcar's). */
export const duplicateInodeMessage = (old: string, added: string): string =>
  `Config has conflicting inodes: ${quoteGo(old)} and ${quoteGo(added)}.  All files, directories and links must specify a unique \`path\`.`;

/** `util.UsesOwnLinkError`. */
export const usesOwnLinkMessage = (name: string, linkPath: string): string =>
  `${name} uses link defined in config ${quoteGo(linkPath)}. Please use a link not defined in Storage:Links`;

/** `util.DuplicateDropinError`. */
export const duplicateDropinMessage = (unit: string, dropin: string): string =>
  `Config has duplicate dropin name ${quoteGo(dropin)} in unit ${quoteGo(unit)}.  All dropins must specify a unique \`name\`.`;

export const CREATE_WITHOUT_FORCE = 'Config must force filesystem creation in case `mount.create` object is defined.';

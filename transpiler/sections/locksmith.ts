/**
 * CLC `locksmith` (ct's `config/types/locksmith.go`; docs/ct.md §5.14): reboot-coordination settings,
 * written into `/etc/coreos/update.conf` by the update translator.
 */
import type { GeneratedKey } from '../api';
import { Report } from '../diagnostics';
import { parseClock, parseDuration } from '../go/duration';
import { quoteGo } from '../go/quote';
import { field, ptr, str, struct, type FieldDef, type GoStruct, type StructDef } from '../schema';
import type { SectionDescriptor } from '../section';

export const ERR_MISSING_START_OR_LENGTH = 'window-start and window-length must both be specified';
export const ERR_UNKNOWN_STRATEGY = 'unknown reboot strategy';
export const ERR_UNKNOWN_DAY = 'unknown day in window start';
export const ERR_PARSING_WINDOW_START = "couldn't parse window start";
export const ERR_PARSING_WINDOW_LENGTH = "couldn't parse window length";

/** Typed form of the CLC `locksmith` section. */
export interface LocksmithConfig {
  /** `reboot`, `etcd-lock` or `off` (any case); written as REBOOT_STRATEGY. */
  readonly reboot_strategy?: string;
  /** Start of the reboot window, `"[Day ]HH:MM"` (e.g. `"Sun 23:30"`); needs window_length. */
  readonly window_start?: string;
  /** Length of the reboot window as a Go duration (`1h`, `2h30m`); needs window_start. */
  readonly window_length?: string;
  /** Locksmith lock group (LOCKSMITHD_GROUP). */
  readonly group?: string;
  /** etcd endpoints for the lock (LOCKSMITHD_ENDPOINT). */
  readonly etcd_endpoints?: string;
  /** CA file for etcd TLS (LOCKSMITHD_ETCD_CAFILE). */
  readonly etcd_cafile?: string;
  /** Client certificate for etcd TLS (LOCKSMITHD_ETCD_CERTFILE). */
  readonly etcd_certfile?: string;
  /** Client key for etcd TLS (LOCKSMITHD_ETCD_KEYFILE). */
  readonly etcd_keyfile?: string;
}

/** Go field name, YAML key and update.conf variable, in emission order (docs/ct.md §5.14). */
const LOCKSMITH_KEYS: readonly [name: string, key: string, env: string][] = [
  ['RebootStrategy', 'reboot_strategy', 'REBOOT_STRATEGY'],
  ['WindowStart', 'window_start', 'LOCKSMITHD_REBOOT_WINDOW_START'],
  ['WindowLength', 'window_length', 'LOCKSMITHD_REBOOT_WINDOW_LENGTH'],
  ['Group', 'group', 'LOCKSMITHD_GROUP'],
  ['EtcdEndpoints', 'etcd_endpoints', 'LOCKSMITHD_ENDPOINT'],
  ['EtcdCAFile', 'etcd_cafile', 'LOCKSMITHD_ETCD_CAFILE'],
  ['EtcdCertFile', 'etcd_certfile', 'LOCKSMITHD_ETCD_CERTFILE'],
  ['EtcdKeyFile', 'etcd_keyfile', 'LOCKSMITHD_ETCD_KEYFILE'],
];

const isEmpty = (s: unknown): boolean => s === undefined || s === null || s === '';

/** ct's `Locksmith.Validate`, at the locksmith mapping. */
function validateWindowPair(l: GoStruct): Report {
  return isEmpty(l.window_start) !== isEmpty(l.window_length) ? Report.of('error', ERR_MISSING_START_OR_LENGTH) : new Report();
}

function validateRebootStrategy(l: GoStruct): Report {
  const strategy = l.reboot_strategy as string | undefined;
  if (isEmpty(strategy)) return new Report();
  return ['reboot', 'etcd-lock', 'off'].includes((strategy as string).toLowerCase()) ? new Report() : Report.of('error', ERR_UNKNOWN_STRATEGY);
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** ct's `ValidateWindowStart`: an optional day word, then a `15:04` time. */
export function validateWindowStart(l: GoStruct): Report {
  const start = l.window_start as string | undefined;
  if (start === undefined || start === null || start === '') return new Report();
  const words = scanTwoWords(start);
  // Without two words, the whole text is the time and no day is checked.
  const [day, time] = words ?? [undefined, start];
  if (day !== undefined && !DAYS.includes(day.toLowerCase())) return Report.of('error', ERR_UNKNOWN_DAY);
  return parseClock(time).error === undefined ? new Report() : Report.of('error', ERR_PARSING_WINDOW_START);
}

function validateWindowLength(l: GoStruct): Report {
  const length = l.window_length as string | undefined;
  if (length === undefined || length === null || length === '') return new Report();
  return parseDuration(length).error === undefined ? new Report() : Report.of('error', ERR_PARSING_WINDOW_LENGTH);
}

/** Go fmt's `isSpace` (fmt/scan.go). */
function isScanSpace(c: string): boolean {
  const r = c.codePointAt(0) as number;
  return (
    (r >= 0x09 && r <= 0x0d) || r === 0x20 || r === 0x85 || r === 0xa0 || r === 0x1680 || (r >= 0x2000 && r <= 0x200a) ||
    r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000
  );
}

/**
 * Go's `fmt.Sscanf(s, "%s %s", &a, &b)`: two words separated by spaces (newlines are not spaces
 * here); undefined where Sscanf returns an error. Text after the second word is ignored.
 */
export function scanTwoWords(s: string): [string, string] | undefined {
  const chars = [...s];
  let i = 0;
  const word = (): string | undefined => {
    // SkipSpace: a newline (with an optional \r before it) is an error, as is the end of input.
    while (i < chars.length && isScanSpace(chars[i])) {
      if (chars[i] === '\n') return undefined;
      i++;
    }
    if (i >= chars.length) return undefined;
    const from = i;
    while (i < chars.length && !isScanSpace(chars[i])) i++;
    return chars.slice(from, i).join('');
  };
  const first = word();
  if (first === undefined) return undefined;
  // The format's space needs at least one non-newline space (or the end of input).
  if (i < chars.length && (!isScanSpace(chars[i]) || chars[i] === '\n')) return undefined;
  const second = word();
  return second === undefined ? undefined : [first, second];
}

const locksmithDef: StructDef = {
  goName: 'types.Locksmith',
  fields: LOCKSMITH_KEYS.map(([name, key]) => field(name, key, ptr(str))),
  validate: validateWindowPair,
  fieldValidators: {
    RebootStrategy: validateRebootStrategy,
    WindowStart: validateWindowStart,
    WindowLength: validateWindowLength,
  },
};

/** The top-level `locksmith` field. */
export const locksmithField: FieldDef = field('Locksmith', 'locksmith', ptr(struct(locksmithDef)));

/** The update.conf keys the locksmith section writes: every value Go `%q`-quoted. */
export const LOCKSMITH_UPDATE_CONF_KEYS: Readonly<Record<string, GeneratedKey>> = Object.fromEntries(
  LOCKSMITH_KEYS.map(([, key, env]) => [env, { from: `locksmith.${key}`, values: 'go-%q' }]),
);

/** ct's `configLines`: `NAME="value"` (Go `%q`) for every key present, even when empty. */
export function locksmithLines(l: GoStruct): string[] {
  return LOCKSMITH_KEYS.filter(([, key]) => l[key] !== undefined && l[key] !== null).map(
    ([, key, env]) => `${env}=${quoteGo(l[key] as string)}`,
  );
}

/** The section's part of `ContainerLinuxConfig`. */
export interface LocksmithSectionConfig {
  /** Reboot coordination (`/etc/coreos/update.conf`). */
  readonly locksmith?: LocksmithConfig;
}

/** The locksmith section (ct's `config/types/locksmith.go`). */
export const locksmithSection: SectionDescriptor<LocksmithSectionConfig> = {
  source: 'config/types/locksmith.go',
  configField: { key: 'locksmith', index: 10, def: () => locksmithField },
  capability: 'locksmith',
};

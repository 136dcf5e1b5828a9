/**
 * Test helper: what systemd (v252, the version Debian 12 and current Flatcar ship) makes of a
 * service's unit file and drop-ins at the moment it starts ExecStart: the environment and the
 * argv. Modelled on systemd's own code, and checked against systemd itself where the machine has
 * it (systemd-oracle.ts):
 *
 * - unit file syntax (conf-parser.c): `[Section]`, `Key=Value` with whitespace around both trimmed,
 *   `#`/`;` comment lines, a line ending in an unescaped `\` continues on the next line (the `\`
 *   becomes a space) and comment lines inside a continuation are dropped;
 * - drop-ins are applied after the unit file, in order; an empty `ExecStart=` or `Environment=`
 *   resets the list;
 * - `Environment=` (config_parse_environ): words split and unquoted like ExecStart, specifiers
 *   expanded per word, each word a `KEY=VALUE` assignment (invalid ones are ignored);
 * - `EnvironmentFile=` (load_env_file): read at start, a leading `-` makes a missing file fine;
 *   its variables override `Environment=`;
 * - `ExecStart=` (config_parse_exec): split into words with `extract_first_word(EXTRACT_UNQUOTE |
 *   EXTRACT_CUNESCAPE)` (quotes anywhere in a word, C escapes `\a\b\f\n\r\t\v\\\"\'\s`, `\xHH`,
 *   octal `\NNN`, `\uXXXX`, `\UXXXXXXXX`; an unknown escape stays verbatim, with a warning), then
 *   `%` specifiers per word (unit_full_printf), the prefixes `-@:+!` of the first word, a lone `;`
 *   separating commands and `\;` a literal `;`;
 * - at exec time (replace_env_argv): a word that is exactly `$NAME` becomes the variable's value
 *   split into words (unquoted, EXTRACT_RELAX), or no word at all when unset; elsewhere `${NAME}`
 *   is replaced in place (unset: empty), `$$` is a literal `$`, and a braceless `$NAME` inside a
 *   longer word stays as written. The `:` prefix turns all of this off.
 *
 * Specifiers: `%%` and the unit-name ones (`%n %N %p %P %i %I %j %J %f`) are derived from the unit
 * name; host-dependent ones (`%H %m %b ...`) only from `specifiers` given by the caller. Any other
 * `%X` throws: systemd would ignore the whole line (and, with ExecStart= reset by a drop-in, refuse
 * the unit), so a config that relies on it is broken either way.
 *
 * Everything works on byte strings (one char per byte, latin1) like systemd works on bytes, so that
 * `\xHH` escapes and UTF-8 text mix as they do there; results are decoded as UTF-8.
 */
import { readFileSync } from 'node:fs';

/** One `Key=Value` assignment of a unit file, in file order. */
export interface UnitAssignment {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** 1-based line where the (possibly continued) assignment started. */
  readonly line: number;
}

const WHITESPACE = ' \t\n\r';
const COMMENTS = '#;';

const toBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const fromBytes = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');

function strip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && WHITESPACE.includes(s[start])) start++;
  while (end > start && WHITESPACE.includes(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Parses unit file text into its assignments (conf-parser.c config_parse / parse_line). */
export function parseUnitFile(text: string): UnitAssignment[] {
  const out: UnitAssignment[] = [];
  const lines = text.split('\n');
  let section: string | undefined;
  let continuation: string | undefined;
  let continuationLine = 0;
  lines.forEach((raw, index) => {
    if (index === lines.length - 1 && raw === '') return; // text ending in a newline
    const lineNumber = index + 1;
    const firstChar = raw.replace(/^[ \t\n\r]+/, '')[0];
    if (continuation !== undefined && firstChar !== undefined && COMMENTS.includes(firstChar)) return;
    let p = continuation !== undefined ? continuation + raw : raw;
    if (continuation === undefined) continuationLine = lineNumber;
    let escaped = false;
    for (const c of p) escaped = escaped ? false : c === '\\';
    if (escaped) {
      continuation = `${p.slice(0, -1)} `;
      return;
    }
    continuation = undefined;
    p = strip(p);
    if (p === '' || COMMENTS.includes(p[0])) return;
    if (p[0] === '[') {
      if (!p.endsWith(']')) throw new Error(`line ${continuationLine}: invalid section header '${p}'`);
      section = p.slice(1, -1);
      return;
    }
    if (section === undefined) return; // assignment outside of a section: ignored
    const eq = p.indexOf('=');
    if (eq < 0) throw new Error(`line ${continuationLine}: missing '='`);
    out.push({ section, key: strip(p.slice(0, eq)), value: strip(p.slice(eq + 1)), line: continuationLine });
  });
  if (continuation !== undefined) {
    // A continued last line is used as it stands (the `\` already a space).
    const p = strip(continuation);
    const eq = p.indexOf('=');
    if (section !== undefined && eq >= 0) out.push({ section, key: strip(p.slice(0, eq)), value: strip(p.slice(eq + 1)), line: continuationLine });
  }
  return out;
}

/** Thrown where systemd rejects or ignores a setting that matters here. */
export class SystemdParseError extends Error {}

/** What extractWord found: the word (bytes), or undefined at the end; where it stopped. */
interface Extracted {
  readonly word: string | undefined;
  readonly rest: string;
}

/**
 * One word of `input` (bytes), the way extract_first_word does it with EXTRACT_UNQUOTE and
 * EXTRACT_CUNESCAPE (plus EXTRACT_RELAX where `relax`). Returns undefined as word when nothing is
 * left. Throws 'escape' on an invalid escape (the caller retries relaxed) and 'quote' on an
 * unbalanced quote.
 */
function extractWordStrict(input: string, opts: { relax: boolean; unescapeRelax: boolean; cunescape: boolean }): Extracted {
  let i = 0;
  while (i < input.length && WHITESPACE.includes(input[i])) i++;
  if (i >= input.length) return { word: undefined, rest: '' };
  let s = '';
  let quote: string | undefined;
  for (;;) {
    if (i >= input.length) {
      if (quote !== undefined && !opts.relax) throw new ExtractError('quote');
      return { word: s, rest: '' };
    }
    const c = input[i];
    if (c === '\\') {
      i++;
      if (i >= input.length) {
        if (opts.unescapeRelax && (quote === undefined || opts.relax)) return { word: `${s}\\`, rest: '' };
        if (opts.relax) return { word: s, rest: '' };
        throw new ExtractError('escape');
      }
      if (opts.cunescape) {
        const unescaped = cunescapeOne(input, i);
        if (unescaped) {
          s += unescaped.bytes;
          i += unescaped.length;
        } else if (opts.unescapeRelax) {
          s += `\\${input[i]}`;
          i++;
        } else throw new ExtractError('escape');
      } else {
        s += input[i++];
      }
      continue;
    }
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else s += c;
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      i++;
      continue;
    }
    if (WHITESPACE.includes(c)) {
      while (i < input.length && WHITESPACE.includes(input[i])) i++;
      return { word: s, rest: input.slice(i) };
    }
    s += c;
    i++;
  }
}

class ExtractError extends Error {
  constructor(readonly kind: 'escape' | 'quote') {
    super(kind);
  }
}

/** extract_first_word_and_warn: strict first, then keeping unknown escapes verbatim (a warning). */
function extractWord(input: string, warnings: string[], context: string): Extracted {
  try {
    return extractWordStrict(input, { relax: false, unescapeRelax: false, cunescape: true });
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
  }
  try {
    const relaxed = extractWordStrict(input, { relax: false, unescapeRelax: true, cunescape: true });
    warnings.push(`${context}: Ignoring unknown escape sequences: "${fromBytes(relaxed.word ?? '')}"`);
    return relaxed;
  } catch (error) {
    if (error instanceof ExtractError) throw new SystemdParseError(`${context}: Unbalanced quoting, ignoring: "${fromBytes(input)}"`);
    throw error;
  }
}

const HEX = /^[0-9a-fA-F]$/;
const OCT = /^[0-7]$/;

/** cunescape_one (accept_nul = false): the bytes for the escape at `input[i]` (after the `\`), or undefined. */
function cunescapeOne(input: string, i: number): { bytes: string; length: number } | undefined {
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };
  const c = input[i];
  if (c in simple) return { bytes: simple[c], length: 1 };
  if (c === 'x') {
    const h = input.slice(i + 1, i + 3);
    if (h.length < 2 || !HEX.test(h[0]) || !HEX.test(h[1])) return undefined;
    const v = parseInt(h, 16);
    if (v === 0) return undefined;
    return { bytes: String.fromCharCode(v), length: 3 };
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    const h = input.slice(i + 1, i + 1 + n);
    if (h.length < n || ![...h].every((d) => HEX.test(d))) return undefined;
    const v = parseInt(h, 16);
    if (v === 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    return { bytes: toBytes(String.fromCodePoint(v)), length: 1 + n };
  }
  if (OCT.test(c)) {
    const o = input.slice(i, i + 3);
    if (o.length < 3 || ![...o].every((d) => OCT.test(d))) return undefined;
    const v = parseInt(o, 8);
    if (v === 0 || v > 255) return undefined;
    return { bytes: String.fromCharCode(v), length: 3 };
  }
  return undefined;
}

/** The unit whose settings are being read: its name, and values for host-dependent specifiers. */
export interface UnitContext {
  /** Full unit name, e.g. `etcd-member.service`. */
  readonly name: string;
  /** Values of other specifiers, by letter (`H`, `m`, `b`, ...). */
  readonly specifiers?: Readonly<Record<string, string>>;
}

/** Expands `%` specifiers in one word (bytes), like unit_full_printf. */
export function expandSpecifiers(word: string, unit: UnitContext): string {
  const table = specifierTable(unit);
  let out = '';
  for (let i = 0; i < word.length; i++) {
    if (word[i] !== '%') {
      out += word[i];
      continue;
    }
    const letter = word[++i];
    if (letter === undefined) throw new SystemdParseError(`Failed to resolve unit specifiers in "${fromBytes(word)}": trailing %`);
    if (letter === '%') out += '%';
    else if (letter in table) out += toBytes(table[letter]);
    else throw new SystemdParseError(`Failed to resolve unit specifiers in "${fromBytes(word)}": %${letter} is unknown here`);
  }
  return out;
}

function specifierTable(unit: UnitContext): Record<string, string> {
  const dot = unit.name.lastIndexOf('.');
  const base = unit.name.slice(0, dot);
  const at = base.indexOf('@');
  const prefix = at >= 0 ? base.slice(0, at) : base;
  const instance = at >= 0 ? base.slice(at + 1) : '';
  return {
    n: unit.name,
    N: base,
    p: prefix,
    P: unescapeUnitName(prefix),
    i: instance,
    I: unescapeUnitName(instance),
    j: prefix.slice(prefix.lastIndexOf('-') + 1),
    J: unescapeUnitName(prefix.slice(prefix.lastIndexOf('-') + 1)),
    f: `/${unescapeUnitName(instance || prefix).replace(/^\/+/, '')}`,
    ...unit.specifiers,
  };
}

/** unit_name_unescape: `\xHH` escapes, and `-` for `/`. */
function unescapeUnitName(s: string): string {
  return s.replace(/-/g, '/').replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** One command of an ExecStart= (or ExecStartPre=...) setting, before environment expansion. */
export interface ExecCommand {
  /** The path to execute. */
  readonly path: string;
  /** argv, argv[0] included. Not yet environment-expanded. */
  readonly argv: readonly string[];
  /** Prefix `-`: a failure is ignored. */
  readonly ignoreFailure: boolean;
  /** Prefix `:`: no environment variable substitution. */
  readonly noEnvExpand: boolean;
}

/** config_parse_exec for one assignment value: the commands (bytes), or [] for an empty reset. */
function parseExecValue(value: string, unit: UnitContext, warnings: string[], context: string): ExecCommand[] {
  const commands: ExecCommand[] = [];
  let p = toBytes(value);
  for (;;) {
    const first = extractWord(p, warnings, context);
    if (first.word === undefined) return commands;
    p = first.rest;
    let f = first.word;
    let ignoreFailure = false;
    let separateArgv0 = false;
    let noEnvExpand = false;
    let privileges = ''; // `+`, `!` or `!!`: irrelevant to the argv, but each allowed once
    for (;;) {
      if (f.startsWith('-') && !ignoreFailure) ignoreFailure = true;
      else if (f.startsWith('@') && !separateArgv0) separateArgv0 = true;
      else if (f.startsWith(':') && !noEnvExpand) noEnvExpand = true;
      else if (f.startsWith('+') && privileges === '') privileges = '+';
      else if (f.startsWith('!') && (privileges === '' || privileges === '!')) privileges += '!';
      else break;
      f = f.slice(1);
    }
    const path = expandSpecifiers(f, unit);
    if (path === '') throw new SystemdParseError(`${context}: empty executable name`);
    const argv: string[] = [];
    if (!separateArgv0) argv.push(path);
    let semicolon = false;
    while (p !== '') {
      if (p[0] === ';' && (p.length === 1 || WHITESPACE.includes(p[1]))) {
        p = p.slice(1).replace(/^[ \t\n\r]+/, '');
        semicolon = true;
        break;
      }
      if (p.startsWith('\\;') && (p.length === 2 || WHITESPACE.includes(p[2]))) {
        p = p.slice(2).replace(/^[ \t\n\r]+/, '');
        argv.push(';');
        continue;
      }
      const next = extractWord(p, warnings, context);
      if (next.word === undefined) break;
      p = next.rest;
      argv.push(expandSpecifiers(next.word, unit));
    }
    if (argv.length === 0) throw new SystemdParseError(`${context}: empty executable name or zeroeth argument`);
    commands.push({ path: fromBytes(path), argv: argv.map(fromBytes), ignoreFailure, noEnvExpand });
    if (!semicolon) return commands;
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** config_parse_environ for one value: the assignments (UTF-8), in order. */
function parseEnvironmentValue(value: string, unit: UnitContext, warnings: string[], context: string): string[] {
  const out: string[] = [];
  let p = toBytes(value);
  for (;;) {
    // config_parse_environ calls extract_first_word directly: an invalid escape drops the rest.
    let extracted: Extracted;
    try {
      extracted = extractWordStrict(p, { relax: false, unescapeRelax: false, cunescape: true });
    } catch {
      warnings.push(`${context}: Invalid syntax, ignoring: ${value}`);
      return out;
    }
    if (extracted.word === undefined) return out;
    p = extracted.rest;
    const resolved = fromBytes(expandSpecifiers(extracted.word, unit));
    const eq = resolved.indexOf('=');
    if (eq < 0 || !ENV_NAME.test(resolved.slice(0, eq))) {
      warnings.push(`${context}: Invalid environment assignment, ignoring: ${resolved}`);
      continue;
    }
    out.push(resolved);
  }
}

/**
 * An environment file (load_env_file / parse_env_file_internal): `KEY=VALUE` lines, `#`/`;`
 * comments, optional `export `, values unquoted (trailing whitespace dropped, `\` escapes the next
 * char, `\` + newline continues) or in `'...'` (literal) or `"..."` (`\` escapes `"\`$` and newline).
 */
export function parseEnvironmentFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (WHITESPACE.includes(text[i]) || text[i] === '\n')) i++;
    if (i >= n) break;
    if (COMMENTS.includes(text[i])) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    let key = '';
    while (i < n && text[i] !== '=' && text[i] !== '\n') key += text[i++];
    key = strip(key).replace(/^export\s+/, '');
    if (i >= n || text[i] === '\n') continue; // no '=': ignored
    i++; // '='
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    let value = '';
    let trailingSpaceFrom = -1;
    while (i < n && text[i] !== '\n') {
      const c = text[i];
      if (c === "'") {
        i++;
        while (i < n && text[i] !== "'") value += text[i++];
        i++;
        trailingSpaceFrom = -1;
      } else if (c === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) {
            const next = text[i + 1];
            if (next === '\n') i += 2;
            else if ('"\\`$'.includes(next)) {
              value += next;
              i += 2;
            } else value += text[i++];
          } else value += text[i++];
        }
        i++;
        trailingSpaceFrom = -1;
      } else if (c === '\\' && i + 1 < n) {
        if (text[i + 1] !== '\n') value += text[i + 1];
        i += 2;
        trailingSpaceFrom = -1;
      } else {
        if (c === ' ' || c === '\t') {
          if (trailingSpaceFrom < 0) trailingSpaceFrom = value.length;
        } else trailingSpaceFrom = -1;
        value += c;
        i++;
      }
    }
    if (trailingSpaceFrom >= 0) value = value.slice(0, trailingSpaceFrom);
    if (ENV_NAME.test(key)) vars.set(key, value);
  }
  return vars;
}

/**
 * Splits a variable's value for a `$NAME` word: strv_split_full(WHITESPACE, EXTRACT_RELAX |
 * EXTRACT_UNQUOTE), i.e. quotes removed, `\x` is x, unbalanced quotes tolerated, no C escapes.
 */
export function splitVariable(value: string): string[] {
  const words: string[] = [];
  let p = toBytes(value);
  for (;;) {
    const { word, rest } = extractWordStrict(p, { relax: true, unescapeRelax: false, cunescape: false });
    if (word === undefined) return words.map(fromBytes);
    words.push(word);
    p = rest;
  }
}

/** replace_env_full (no extended syntax, no braceless variables) on one word. */
export function replaceEnvInWord(word: string, env: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    if (word[i] === '$' && word[i + 1] === '$') {
      out += '$';
      i += 2;
    } else if (word[i] === '$' && word[i + 1] === '{') {
      const end = word.indexOf('}', i + 2);
      if (end < 0) {
        out += word.slice(i);
        break;
      }
      const name = word.slice(i + 2, end);
      if (name.includes(':')) {
        // `${A:-b}` is not supported there: left as written
        out += word.slice(i, i + 2);
        i += 2;
        continue;
      }
      out += ENV_NAME.test(name) ? (env.get(name) ?? '') : '';
      i = end + 1;
    } else out += word[i++];
  }
  return out;
}

/** replace_env_argv: the argv systemd executes for a command, given the service environment. */
export function replaceEnvArgv(argv: readonly string[], env: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const word of argv) {
    if (word[0] === '$' && word[1] !== '{' && word[1] !== '$') {
      const name = word.slice(1);
      const value = ENV_NAME.test(name) ? env.get(name) : undefined;
      if (value !== undefined) out.push(...splitVariable(value));
      continue;
    }
    out.push(replaceEnvInWord(word, env));
  }
  return out;
}

/** The [Service] settings this helper understands, after the unit file and its drop-ins. */
export interface ServiceDefinition {
  readonly environment: readonly string[];
  readonly environmentFiles: readonly { readonly path: string; readonly optional: boolean }[];
  readonly execStart: readonly ExecCommand[];
  /** systemd's warnings while reading (unknown escapes, invalid assignments). */
  readonly warnings: readonly string[];
}

/** Reads a service from its unit file text and its drop-ins' texts, in order. */
export function loadService(unit: UnitContext, files: readonly { readonly name: string; readonly text: string }[]): ServiceDefinition {
  let environment: string[] = [];
  let environmentFiles: { path: string; optional: boolean }[] = [];
  let execStart: ExecCommand[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    for (const a of parseUnitFile(file.text)) {
      if (a.section !== 'Service') continue;
      const context = `${file.name}:${a.line}`;
      if (a.key === 'Environment') {
        if (a.value === '') environment = [];
        else environment.push(...parseEnvironmentValue(a.value, unit, warnings, context));
      } else if (a.key === 'EnvironmentFile') {
        if (a.value === '') environmentFiles = [];
        else {
          const optional = a.value.startsWith('-');
          environmentFiles.push({ path: fromBytes(expandSpecifiers(toBytes(optional ? a.value.slice(1) : a.value), unit)), optional });
        }
      } else if (a.key === 'ExecStart') {
        if (a.value === '') execStart = [];
        else execStart.push(...parseExecValue(a.value, unit, warnings, context));
      }
    }
  }
  return { environment, environmentFiles, execStart, warnings };
}

/** Where EnvironmentFile= paths are read from: a map of fake files, or the real file system. */
export type FileReader = (path: string) => string | undefined;

export const readRealFile: FileReader = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** What the service's process gets: its environment and, per ExecStart command, the argv. */
export interface ServiceExec {
  readonly environment: ReadonlyMap<string, string>;
  readonly commands: readonly { readonly path: string; readonly argv: readonly string[] }[];
}

/**
 * The environment (Environment=, then EnvironmentFile= on top, over `base`, the manager's own
 * environment) and the expanded argv of each ExecStart= command.
 */
export function execService(service: ServiceDefinition, readFile: FileReader, base: ReadonlyMap<string, string> = new Map()): ServiceExec {
  const environment = new Map(base);
  for (const assignment of service.environment) {
    const eq = assignment.indexOf('=');
    environment.set(assignment.slice(0, eq), assignment.slice(eq + 1));
  }
  for (const file of service.environmentFiles) {
    const text = readFile(file.path);
    if (text === undefined) {
      if (file.optional) continue;
      throw new SystemdParseError(`Failed to load environment files: ${file.path} does not exist`);
    }
    for (const [key, value] of parseEnvironmentFile(text)) environment.set(key, value);
  }
  if (service.execStart.length === 0) throw new SystemdParseError('Service has no ExecStart= setting. Refusing.');
  return {
    environment,
    commands: service.execStart.map((command) => ({
      path: command.path,
      argv: command.noEnvExpand ? [...command.argv] : replaceEnvArgv(command.argv, environment),
    })),
  };
}

/**
 * The argv systemd execs for each `key` command (ExecStart, ExecStartPre, ExecStartPost...) of a
 * service, and its environment: the commands moved to ExecStart= of an otherwise identical
 * [Service], then read as above (EnvironmentFile= through `readFile`).
 */
export function serviceCommands(
  files: readonly { name: string; text: string }[],
  key: string,
  readFile: FileReader = () => undefined,
): { argv: string[]; env: Map<string, string> }[] {
  const texts = files.map((f) => ({
    name: f.name,
    text: f.text
      .split('\n')
      .filter((line) => !/^Exec/.test(line) || line.startsWith(`${key}=`))
      .map((line) => (line.startsWith(`${key}=`) ? `ExecStart=${line.slice(key.length + 1)}` : line))
      .join('\n'),
  }));
  const exec = execService(loadService({ name: files[0].name }, texts), readFile);
  return exec.commands.map((c) => ({ argv: [...c.argv], env: new Map(exec.environment) }));
}

/**
 * The part of spf13/pflag (the commit Butane v0.23.0 pins, v1.0.6-0.20210604193023-d5e0c0615ace)
 * that Butane's `main` uses (docs/butane.md §2): `--long`, `--long=v`, `--long v`, `-s`, grouped
 * `-ps`, `-dv`/`-d v`/`-d=v`, flags between arguments, `--` ends flags, hidden and deprecated
 * flags, the error texts, and the `PrintDefaults` layout (sorted by long name, one column).
 */

export interface PflagDef {
  readonly name: string;
  readonly short?: string;
  readonly kind: 'bool' | 'string';
  readonly usage: string;
  readonly hidden?: boolean;
  /** pflag prints `Flag --<name> has been deprecated, <text>` when such a flag is used. */
  readonly deprecated?: string;
}

/**
 * A failed parse, as `CommandLine` (ExitOnError) reports it: `failf` prints `printed` and the
 * usage to stderr, after any deprecation `notices` already printed, then `Parse` prints `error`
 * to **stdout** (`fmt.Println(err)`) and exits 2.
 */
export interface PflagFailure {
  readonly ok: false;
  readonly error: string;
  /** What `failf` printed: `error`, except that an invalid value's message went through `fmt.Errorf` as a format. */
  readonly printed: string;
  readonly notices: string;
}

export type PflagResult =
  | { readonly ok: true; readonly values: Record<string, string | boolean>; readonly args: string[]; readonly notices: string }
  | PflagFailure;

/** strconv.ParseBool. */
function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

export function parsePflags(defs: readonly PflagDef[], argv: readonly string[]): PflagResult {
  const values: Record<string, string | boolean> = {};
  for (const d of defs) values[d.name] = d.kind === 'bool' ? false : '';
  const args: string[] = [];
  let notices = '';
  const fail = (error: string, printed = error): PflagFailure => ({ ok: false, error, printed, notices });
  // FlagSet.Set; a bool flag's NoOptDefVal is "true"
  const set = (d: PflagDef, value: string): string | undefined => {
    if (d.kind === 'bool') {
      const b = parseBool(value);
      if (b === undefined) {
        const flagName = d.short ? `-${d.short}, --${d.name}` : `--${d.name}`;
        return `invalid argument ${goQuote(value)} for ${goQuote(flagName)} flag: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`;
      }
      values[d.name] = b;
    } else {
      values[d.name] = value;
    }
    if (d.deprecated) notices += `Flag --${d.name} has been deprecated, ${d.deprecated}\n`;
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.length < 2 || a[0] !== '-') {
      args.push(a);
    } else if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    } else if (a[1] === '-') {
      // parseLongArg
      const body = a.slice(2);
      if (body[0] === '-' || body[0] === '=') return fail(`bad flag syntax: ${a}`);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const d = defs.find((f) => f.name === name);
      if (!d) return fail(`unknown flag: --${name}`);
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (d.kind === 'bool') value = 'true';
      else if (i + 1 < argv.length) value = argv[++i];
      else return fail(`flag needs an argument: ${a}`);
      const err = set(d, value);
      if (err) return fail(err, sprintfNoArgs(err));
    } else {
      // parseShortArg: one parseSingleShortArg per letter, on what is left of the group
      let shorthands = a.slice(1);
      while (shorthands.length > 0) {
        if (shorthands.startsWith('test.')) break; // go test's flags are skipped, with the rest of the group
        const c = shorthands[0];
        const d = defs.find((f) => f.short === c);
        // %q of the byte shorthands[0]
        if (!d) return fail(`unknown shorthand flag: ${quoteRune(firstUtf8Byte(shorthands))} in -${shorthands}`);
        let value: string;
        if (shorthands.length > 2 && shorthands[1] === '=') {
          value = shorthands.slice(2);
          shorthands = '';
        } else if (d.kind === 'bool') {
          value = 'true';
          shorthands = shorthands.slice(1); // so `-p=` goes on to an unknown `=`
        } else if (shorthands.length > 1) {
          value = shorthands.slice(1); // `-d=` sets "="
          shorthands = '';
        } else if (i + 1 < argv.length) {
          value = argv[++i];
          shorthands = '';
        } else {
          return fail(`flag needs an argument: ${quoteRune(c.charCodeAt(0))} in -${shorthands}`);
        }
        const err = set(d, value);
        if (err) return fail(err, sprintfNoArgs(err));
      }
    }
  }
  return { ok: true, values, args, notices };
}

/** `PrintDefaults`: visible flags sorted by name, usage text aligned three columns after the longest head. */
export function pflagDefaults(defs: readonly PflagDef[]): string {
  const visible = defs.filter((d) => !d.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const heads = visible.map((d) => `${d.short ? `  -${d.short}, ` : '      '}--${d.name}${d.kind === 'string' ? ' string' : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  // Fprintln(buf, head, spacing, usage): spacing is width+1-len(head) (the \x00 marker counts), plus Println's two separators
  return visible.map((d, i) => `${heads[i]}${' '.repeat(width - heads[i].length + 3)}${d.usage}\n`).join('');
}

// ---- Go's fmt and strconv, as far as pflag's messages need them ---------------------------------

/** The first byte of the UTF-8 encoding of `s`'s first character. */
function firstUtf8Byte(s: string): number {
  const r = s.codePointAt(0) ?? 0;
  if (r < 0x80) return r;
  if (r < 0x800) return 0xc0 | (r >> 6);
  if (r < 0x10000) return 0xe0 | (r >> 12);
  return 0xf0 | (r >> 18);
}

/** strconv.IsPrint. */
function isGoPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r < 0x100) return r >= 0xa1 && r !== 0xad;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(r));
}

/** strconv's appendEscapedRune. */
function escapeRune(r: number, quote: string): string {
  if (r === quote.charCodeAt(0) || r === 0x5c) return `\\${String.fromCodePoint(r)}`;
  if (isGoPrint(r)) return String.fromCodePoint(r);
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
  if (named[r]) return named[r];
  const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd'; // not a valid rune
  return r < 0x10000 ? `\\u${hex(r, 4)}` : `\\U${hex(r, 8)}`;
}

/** `%q` of a string (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0) ?? 0, '"');
  return `${out}"`;
}

/** `%q` of an integer (strconv.QuoteRune). */
function quoteRune(r: number): string {
  return `'${escapeRune(r, "'")}'`;
}

/**
 * `fmt.Errorf(format)` with no arguments (pflag's `failf(err.Error())`): `%%` is `%`, and every
 * other verb, with its flags, width, precision and argument index, turns into Go's complaint.
 */
export function sprintfNoArgs(format: string): string {
  let out = '';
  let i = 0;
  const end = format.length;
  const digits = (): boolean => {
    const from = i;
    while (i < end && format[i] >= '0' && format[i] <= '9') i++;
    return i > from;
  };
  while (i < end) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    while (i < end && '#0+- '.includes(format[i])) i++;
    let goodArgNum = true;
    // an explicit index `[n]` never names an argument here (parseArgNumber, argNumber)
    const argNumber = (): boolean => {
      if (i >= end || format[i] !== '[') return false;
      goodArgNum = false;
      if (end - i < 3) {
        i += 1;
        return false;
      }
      const close = format.indexOf(']', i + 1);
      if (close < 0) {
        i += 1;
        return false;
      }
      const inner = format.slice(i + 1, close);
      i = close + 1;
      return /^[0-9]+$/.test(inner);
    };
    let afterIndex = argNumber();
    if (i < end && format[i] === '*') {
      i++;
      out += '%!(BADWIDTH)';
      afterIndex = false;
    } else if (digits() && afterIndex) {
      goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = argNumber();
      if (i < end && format[i] === '*') {
        i++;
        out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        digits();
      }
    }
    if (!afterIndex) afterIndex = argNumber();
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') out += '%';
    else out += `%!${verb}(${goodArgNum ? 'MISSING' : 'BADINDEX'})`;
  }
  return out;
}

/**
 * go-systemd `unit.Deserialize` as vendored by ct v0.9.0 / Ignition v0.24.0, and the two checks
 * Ignition builds on it (config/v2_2/types/unit.go): unit content validity and the
 * "enabled but no [Install] section" warning.
 */
import { EOF_ERROR, GoBufReader } from './bufio-reader';
import { quoteGo } from './quote';
import { decodeRune } from './utf8';

export interface UnitOption {
  readonly section: string;
  readonly name: string;
  readonly value: string;
}

export interface DeserializeResult {
  /** Options parsed before any error; `null` when none (Go's nil slice). */
  readonly options: UnitOption[] | null;
  /** go-systemd's error text, or undefined when the content parsed. */
  readonly error?: string;
}

/** systemd's LINE_MAX as go-systemd assumes it. */
const LINE_MAX = 2048;
const LINE_TOO_LONG = `line too long (max ${LINE_MAX} bytes)`;

const NL = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;

/** Go's `unicode.IsSpace`. */
function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000;
}

const isComment = (r: number): boolean => r === 0x23 || r === 0x3b;

/** Go's `strings.TrimSpace` (Unicode White_Space at both ends). */
function trimSpace(s: string): string {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // most strings start and end with a printable ASCII character: nothing to trim
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return s;
  return s.replace(EDGE_SPACE, '');
}

const SPACE_RUN = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const EDGE_SPACE = new RegExp(`^${SPACE_RUN}|${SPACE_RUN}$`, 'g');

/** The text of runes read one by one (invalid bytes are one U+FFFD each, as Go's `DecodeRune` gives). */
function runeText(src: Buffer, from: number, to: number): string {
  let ascii = true;
  for (let i = from; i < to; i++) if (src[i] >= 0x80) ascii = false;
  if (ascii) return src.toString('latin1', from, to);
  let out = '';
  for (let i = from; i < to; ) {
    const [r, width] = decodeRune(src, i, to);
    out += String.fromCodePoint(r);
    i += width;
  }
  return out;
}

/** go-systemd's lexer states; each step runs one of them and picks the next (go-systemd's `lexStep` functions). */
const enum Step {
  NextSection,
  SectionName,
  SectionSuffix,
  IgnoreLine,
  NextSectionOrOption,
  OptionName,
  OptionValue,
  Done,
}

class LexError extends Error {}

class UnitLexer {
  readonly options: UnitOption[] = [];
  private readonly buf: GoBufReader;
  /** State the pending step reads: the section, the option being read, the step after an ignored line. */
  private section = '';
  private name = '';
  private partial = '';
  private afterIgnore = Step.NextSection;
  /** The line `toEOL` read, as source offsets. */
  private lineStart = 0;
  private lineEnd = 0;

  constructor(private readonly src: Buffer) {
    this.buf = new GoBufReader(src);
  }

  run(): string | undefined {
    let next = Step.NextSection;
    try {
      while (next !== Step.Done) {
        // systemd truncates lines longer than LINE_MAX; go-systemd refuses them instead, but only
        // looks when at least LINE_MAX bytes are buffered.
        if (this.buf.buffered() >= LINE_MAX) {
          const line = this.buf.peek(LINE_MAX);
          if (line.indexOf(NL) < 0 && line.indexOf(CR) < 0) return LINE_TOO_LONG;
        }
        next = this.step(next);
      }
    } catch (e) {
      if (e instanceof LexError) return e.message;
      throw e;
    }
    return undefined;
  }

  private step(step: Step): Step {
    switch (step) {
      case Step.NextSection:
        return this.nextSection();
      case Step.SectionName:
        return this.sectionName();
      case Step.SectionSuffix:
        return this.sectionSuffix();
      case Step.IgnoreLine:
        return this.ignoreLine();
      case Step.NextSectionOrOption:
        return this.nextSectionOrOption();
      case Step.OptionName:
        return this.optionName();
      case Step.OptionValue:
        return this.optionValue();
      default:
        return Step.Done;
    }
  }

  /** Reads to end of line (or input) and strips one trailing "\r" then one trailing "\n"; true at EOF. */
  private toEOL(): boolean {
    const start = this.buf.offset;
    const eof = this.buf.readBytes(NL);
    let end = this.buf.offset;
    if (end > start && this.src[end - 1] === CR) end--;
    if (end > start && this.src[end - 1] === NL) end--;
    this.lineStart = start;
    this.lineEnd = end;
    return eof;
  }

  private lineText(): string {
    return this.src.toString('utf8', this.lineStart, this.lineEnd);
  }

  private nextSection(): Step {
    const r = this.buf.readRune();
    if (r < 0) return Step.Done;
    if (r === 0x5b) return Step.SectionName;
    if (isComment(r)) return this.ignoreThen(Step.NextSection);
    return Step.NextSection;
  }

  private sectionName(): Step {
    const start = this.buf.offset;
    if (this.buf.readBytes(0x5d)) throw new LexError('unable to find end of section');
    // section names end at an ASCII delimiter, so the chunk is whole UTF-8
    this.section = this.src.toString('utf8', start, this.buf.offset - 1);
    return Step.SectionSuffix;
  }

  private sectionSuffix(): Step {
    this.toEOL();
    const garbage = trimSpace(this.lineText());
    if (garbage.length > 0) {
      // go-systemd prints its never-set `l.section` field (always "") and the bytes with %v.
      const decimal = Array.from(Buffer.from(garbage, 'utf8')).join(' ');
      throw new LexError(`found garbage after section name : [${decimal}]`);
    }
    return Step.NextSectionOrOption;
  }

  private ignoreThen(next: Step): Step {
    this.afterIgnore = next;
    return Step.IgnoreLine;
  }

  private ignoreLine(): Step {
    for (;;) {
      this.toEOL();
      let end = this.lineEnd;
      if (end > this.lineStart && this.src[end - 1] === 0x20) end--;
      if (!(end > this.lineStart && this.src[end - 1] === BACKSLASH)) break;
    }
    return this.afterIgnore;
  }

  private nextSectionOrOption(): Step {
    const r = this.buf.readRune();
    if (r < 0) return Step.Done;
    if (isSpace(r)) return Step.NextSectionOrOption;
    if (r === 0x5b) return Step.SectionName;
    if (isComment(r)) return this.ignoreThen(Step.NextSectionOrOption);
    this.buf.unreadRune();
    return Step.OptionName;
  }

  private optionName(): Step {
    const start = this.buf.offset;
    let end: number;
    for (;;) {
      end = this.buf.offset;
      const r = this.buf.readRune();
      if (r < 0) throw new LexError(EOF_ERROR);
      if (r === NL || r === CR) throw new LexError('unexpected newline encountered while parsing option name');
      if (r === 0x3d) break;
    }
    this.name = trimSpace(runeText(this.src, start, end));
    this.partial = '';
    return Step.OptionValue;
  }

  /** One physical line of a value per step; a trailing backslash continues it with a newline. */
  private optionValue(): Step {
    const eof = this.toEOL();
    const text = this.lineText();
    if (trimSpace(text).length !== 0) {
      this.partial += text;
      if (this.src[this.lineEnd - 1] === BACKSLASH) {
        if (!eof) this.partial += '\n';
        return Step.OptionValue;
      }
    }
    const partial = this.partial;
    const value = partial.endsWith('\n') ? trimSpace(partial) + '\n' : trimSpace(partial);
    this.options.push({ section: this.section, name: this.name, value });
    return Step.NextSectionOrOption;
  }
}

/** go-systemd `unit.Deserialize` of unit file text. */
export function deserializeUnit(contents: string): DeserializeResult {
  const lexer = new UnitLexer(Buffer.from(contents, 'utf8'));
  const error = lexer.run();
  const options = lexer.options.length > 0 ? lexer.options : null;
  return error === undefined ? { options } : { options, error };
}

/** Ignition's `validateUnitContent`: options (null on error) and `invalid unit content: ...`. */
export function validateUnitContent(contents: string): { readonly options: UnitOption[] | null; readonly error?: string } {
  const { options, error } = deserializeUnit(contents);
  return error === undefined ? { options } : { options: null, error: `invalid unit content: ${error}` };
}

/**
 * Ignition's `ValidateInstallSection`: the warning text when an enabled unit with contents parsed
 * into at least one option but none in [Install]; undefined otherwise (including parse failures).
 */
export function installSectionWarning(name: string, enabled: boolean, contents: string, options: UnitOption[] | null): string | undefined {
  if (!enabled || contents === '' || options === null) return undefined;
  if (options.some((o) => o.section === 'Install')) return undefined;
  return `unit ${quoteGo(name)} is enabled, but has no install section so enable does nothing`;
}

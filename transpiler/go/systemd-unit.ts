/**
 * go-systemd `unit.Deserialize` as vendored by ct v0.9.0 / Ignition v0.24.0, and the two checks
 * Ignition builds on it (config/v2_2/types/unit.go): unit content validity and the
 * "enabled but no [Install] section" warning.
 */
import { EOF_ERROR, GoBufReader } from './bufio-reader';
import { quoteGo } from './quote';
import { utf8Bytes } from './utf8';

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

/** Lines and section names end at ASCII delimiters, so each chunk is whole UTF-8. */
const utf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

const SPACE_RUN = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const EDGE_SPACE = new RegExp(`^${SPACE_RUN}|${SPACE_RUN}$`, 'g');

/** Go's `strings.TrimSpace` (Unicode White_Space at both ends). */
function trimSpace(s: string): string {
  return s.replace(EDGE_SPACE, '');
}

/** A lex step returns the next step (or null to stop), or throws a LexError. */
type LexStep = () => LexStep | null;

class LexError extends Error {}

class UnitLexer {
  readonly options: UnitOption[] = [];

  constructor(private readonly buf: GoBufReader) {}

  run(): string | undefined {
    let next: LexStep | null = () => this.nextSection();
    try {
      while (next !== null) {
        // systemd truncates lines longer than LINE_MAX; go-systemd refuses them instead, but only
        // looks when at least LINE_MAX bytes are buffered.
        if (this.buf.buffered() >= LINE_MAX) {
          const line = this.buf.peek(LINE_MAX);
          if (line.indexOf(NL) < 0 && line.indexOf(CR) < 0) return LINE_TOO_LONG;
        }
        next = next();
      }
    } catch (e) {
      if (e instanceof LexError) return e.message;
      throw e;
    }
    return undefined;
  }

  /** Reads to end of line (or input) and strips one trailing "\r" then one trailing "\n". */
  private toEOL(): { line: Uint8Array; eof: boolean } {
    const { bytes, eof } = this.buf.readBytes(NL);
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    if (end > 0 && bytes[end - 1] === NL) end--;
    return { line: bytes.subarray(0, end), eof };
  }

  private nextSection(): LexStep | null {
    const rr = this.buf.readRune();
    if (rr === null) return null;
    if (rr[0] === 0x5b) return () => this.sectionName();
    if (isComment(rr[0])) return this.ignoreLine(() => this.nextSection());
    return () => this.nextSection();
  }

  private sectionName(): LexStep {
    const { bytes, eof } = this.buf.readBytes(0x5d);
    if (eof) throw new LexError('unable to find end of section');
    const section = utf8(bytes.subarray(0, bytes.length - 1));
    return () => this.sectionSuffix(section);
  }

  private sectionSuffix(section: string): LexStep {
    const garbage = trimSpace(utf8(this.toEOL().line));
    if (garbage.length > 0) {
      // go-systemd prints its never-set `l.section` field (always "") and the bytes with %v.
      const decimal = Array.from(Buffer.from(garbage, 'utf8')).join(' ');
      throw new LexError(`found garbage after section name : [${decimal}]`);
    }
    return () => this.nextSectionOrOption(section);
  }

  private ignoreLine(next: LexStep): LexStep {
    return () => {
      for (;;) {
        let { line } = this.toEOL();
        if (line.length > 0 && line[line.length - 1] === 0x20) line = line.subarray(0, line.length - 1);
        if (!(line.length > 0 && line[line.length - 1] === BACKSLASH)) break;
      }
      return next;
    };
  }

  private nextSectionOrOption(section: string): LexStep | null {
    const rr = this.buf.readRune();
    if (rr === null) return null;
    const r = rr[0];
    if (isSpace(r)) return () => this.nextSectionOrOption(section);
    if (r === 0x5b) return () => this.sectionName();
    if (isComment(r)) return this.ignoreLine(() => this.nextSectionOrOption(section));
    this.buf.unreadRune();
    return () => this.optionName(section);
  }

  private optionName(section: string): LexStep {
    let partial = '';
    for (;;) {
      const rr = this.buf.readRune();
      if (rr === null) throw new LexError(EOF_ERROR);
      const r = rr[0];
      if (r === NL || r === CR) throw new LexError('unexpected newline encountered while parsing option name');
      if (r === 0x3d) break;
      partial += String.fromCodePoint(r);
    }
    const name = trimSpace(partial);
    return () => this.optionValue(section, name, '');
  }

  /** One physical line of a value per step; a trailing backslash continues it with a newline. */
  private optionValue(section: string, name: string, partial: string): LexStep {
    const { line, eof } = this.toEOL();
    const text = utf8(line);
    if (trimSpace(text).length !== 0) {
      partial += text;
      if (line[line.length - 1] === BACKSLASH) {
        if (!eof) partial += '\n';
        return () => this.optionValue(section, name, partial);
      }
    }
    const value = partial.endsWith('\n') ? trimSpace(partial) + '\n' : trimSpace(partial);
    this.options.push({ section, name, value });
    return () => this.nextSectionOrOption(section);
  }
}

/** go-systemd `unit.Deserialize` of unit file text. */
export function deserializeUnit(contents: string): DeserializeResult {
  const lexer = new UnitLexer(new GoBufReader(utf8Bytes(contents)));
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

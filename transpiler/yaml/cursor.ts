/**
 * The scanner's view of the decoded input (scannerc.go's buffer primitives): the position as a
 * libyaml mark, character classes at the cursor, and libyaml's `cache()` calls, which only matter
 * when an invalid sequence lies ahead (see reader.ts). Without one, runs of characters are
 * skipped in tight loops rather than one `skip()` each.
 */
import { DASH, DOT, HASH, isBlank, isBlankZ, isBreak, isBreakZ } from './chars';
import { type YamlFlavor, YamlSyntaxError } from './errors';
import type { InputWindow, SourceText } from './reader';

/** `avail` when the whole input is valid: kept a small integer so the hot check stays cheap. */
const NO_LIMIT = 0x3fffffff;

/** ASCII characters a plain scalar simply continues over (block and flow context). */
function plainTable(stops: string): Uint8Array {
  const t = new Uint8Array(128).fill(1);
  for (const ch of stops) t[ch.charCodeAt(0)] = 0;
  t[0] = 0;
  return t;
}
const BLOCK_PLAIN = plainTable(' \t\r\n:');
const FLOW_PLAIN = plainTable(' \t\r\n:,?[]{}');
/** ASCII characters a quoted scalar simply continues over. */
const QUOTED = plainTable(' \t\r\n\'"\\');

export class Cursor {
  protected readonly cps: Int32Array;
  private readonly text: string;
  private readonly offsets: Int32Array | null;
  private readonly window: InputWindow | null;
  protected readonly v3: boolean;
  private avail: number;

  /** Characters consumed: libyaml's `mark.index`. */
  protected pos = 0;
  protected line = 0;
  protected column = 0;
  /** Line breaks consumed since the last non-blank character (v3 line comments). */
  protected newlines = 0;
  /**
   * libyaml's `is_bom` looks at the start of its buffer, not at the cursor: whether the character
   * the buffer was last refilled from is U+FEFF. While it is, the scanner skips the first character
   * of every line it starts a token search on (only possible when the input holds a U+FEFF, which
   * gives it an `InputWindow` to replay the refills).
   */
  protected bomAtBufferStart = false;

  constructor(src: SourceText, flavor: YamlFlavor) {
    this.cps = src.cps;
    this.text = src.text;
    this.offsets = src.offsets;
    this.window = src.window;
    this.avail = src.window ? 0 : NO_LIMIT;
    this.v3 = flavor === 'v3';
  }

  /** libyaml's `cache(parser, n)`: only matters when the input holds an invalid sequence. */
  protected cache(n: number): void {
    if (this.pos + n > this.avail) {
      const w = this.window as InputWindow;
      w.fill(this.pos, n);
      this.avail = w.avail;
      // the refill moved the unread characters to the start of the buffer
      this.bomAtBufferStart = this.cps[this.pos] === 0xfeff;
    }
  }

  protected slice(from: number, to: number): string {
    const o = this.offsets;
    return o ? this.text.slice(o[from], o[to]) : this.text.slice(from, to);
  }

  protected skip(): void {
    const c = this.cps[this.pos];
    if (c !== 0x20 && c !== 0x09) this.newlines = 0;
    this.pos++;
    this.column++;
  }

  /**
   * Advances to the next line break (or the end), as a run of skip() calls would. Without an
   * invalid sequence ahead no buffer refill can fail, so the per-character cache check is skipped.
   */
  protected skipToBreak(): void {
    const cps = this.cps;
    if (this.window) {
      while (!isBreakZ(cps[this.pos])) {
        this.skip();
        this.cache(1);
      }
      return;
    }
    let p = this.pos;
    let nonBlank = false;
    for (let c = cps[p]; !isBreakZ(c); c = cps[++p]) if (c !== 0x20 && c !== 0x09) nonBlank = true;
    if (nonBlank) this.newlines = 0;
    this.column += p - this.pos;
    this.pos = p;
  }

  /** Advances over characters that cannot end a plain scalar (fast path of scanPlainScalar). */
  protected skipPlainRun(flow: boolean): void {
    this.skipRun(flow ? FLOW_PLAIN : BLOCK_PLAIN);
  }

  /** Advances over characters that need no attention inside a quoted scalar (fast path of scanFlowScalar). */
  protected skipQuotedRun(): void {
    this.skipRun(QUOTED);
  }

  /** Advances over ASCII characters marked in `safe` and non-ASCII characters other than line breaks. */
  private skipRun(safe: Uint8Array): void {
    if (this.window) return;
    const cps = this.cps;
    let p = this.pos;
    for (let c = cps[p]; c < 128 ? safe[c] === 1 : c !== 0x85 && c !== 0x2028 && c !== 0x2029; c = cps[++p]);
    if (p > this.pos) {
      this.newlines = 0;
      this.column += p - this.pos;
      this.pos = p;
    }
  }

  protected skipLine(): void {
    const c = this.cps[this.pos];
    if (c === 0x0d && this.cps[this.pos + 1] === 0x0a) {
      this.pos += 2;
    } else if (isBreak(c)) {
      this.pos++;
    } else {
      return;
    }
    this.column = 0;
    this.line++;
    this.newlines++;
  }

  /** Consumes a line break and returns it normalised (`\n`, or LS/PS kept). */
  protected readLine(): string {
    const c = this.cps[this.pos];
    let out: string;
    if (c === 0x0d && this.cps[this.pos + 1] === 0x0a) {
      out = '\n';
      this.pos += 2;
    } else if (c === 0x0d || c === 0x0a || c === 0x85) {
      out = '\n';
      this.pos++;
    } else if (c === 0x2028 || c === 0x2029) {
      out = String.fromCharCode(c);
      this.pos++;
    } else {
      return '';
    }
    this.column = 0;
    this.line++;
    this.newlines++;
    return out;
  }

  protected isDocumentIndicator(): boolean {
    const p = this.pos;
    const c = this.cps;
    return (
      this.column === 0 &&
      ((c[p] === DASH && c[p + 1] === DASH && c[p + 2] === DASH) || (c[p] === DOT && c[p + 1] === DOT && c[p + 2] === DOT)) &&
      isBlankZ(c[p + 3])
    );
  }

  /** @param at where the user's mistake is, when not where the scanner stands (a key without its ':') */
  protected error(contextLine: number, problem: string, at?: { readonly line: number; readonly column: number }): never {
    throw new YamlSyntaxError('scanner', problem, this.line, contextLine, this.column, at);
  }

  protected skipBlanks(): void {
    this.skipSpaces(true);
  }

  /** Advances over spaces, and tabs too when `tabs` is set. */
  protected skipSpaces(tabs: boolean): void {
    const cps = this.cps;
    if (this.window) {
      while (cps[this.pos] === 0x20 || (tabs && cps[this.pos] === 0x09)) {
        this.skip();
        this.cache(1);
      }
      return;
    }
    let p = this.pos;
    for (let c = cps[p]; c === 0x20 || (tabs && c === 0x09); c = cps[++p]);
    this.column += p - this.pos;
    this.pos = p;
  }

  /** Advances over the spaces of an indentation, up to column `indent` (no limit when 0). */
  protected skipIndent(indent: number): void {
    const cps = this.cps;
    if (this.window) {
      while ((indent === 0 || this.column < indent) && cps[this.pos] === 0x20) {
        this.skip();
        this.cache(1);
      }
      return;
    }
    let p = this.pos;
    const stop = indent === 0 ? NO_LIMIT : p + indent - this.column;
    while (p < stop && cps[p] === 0x20) p++;
    if (p > this.pos) {
      this.column += p - this.pos;
      this.pos = p;
    }
  }

  /** v3 consumes a comment that follows a token on the same line right after the token. */
  protected scanLineComment(): void {
    if (this.newlines > 0) return;
    const cps = this.cps;
    for (let peek = 0; peek < 512; peek++) {
      this.cache(peek + 1);
      const c = cps[this.pos + peek];
      if (isBlank(c)) continue;
      if (c === HASH) this.skipThroughComment(this.pos + peek);
      break;
    }
  }

  /** Skips everything (line breaks too) up to the end of the comment whose `#` is at `hashPos`. */
  protected skipThroughComment(hashPos: number): void {
    for (;;) {
      this.cache(1);
      if (isBreakZ(this.cps[this.pos])) {
        if (this.pos >= hashPos) return;
        this.cache(2);
        this.skipLine();
      } else {
        this.skip();
      }
    }
  }
}

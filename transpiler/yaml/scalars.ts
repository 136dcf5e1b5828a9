/** Scalar scanning (scannerc.go): block (`|`, `>`), quoted and plain scalars, with folding and escapes. */
import {
  asHex,
  BACKSLASH,
  COLON,
  COMMA,
  DASH,
  DQUOTE,
  HASH,
  isBlank,
  isBlankZ,
  isBreak,
  isBreakZ,
  isDigit,
  isHex,
  LBRACE,
  LBRACKET,
  QUESTION,
  RBRACE,
  RBRACKET,
  SQUOTE,
} from './chars';
import { Cursor } from './cursor';
import { Style, type Token, Tok, token } from './tokens';

const C = (s: string): number => s.charCodeAt(0);

const SIMPLE_ESCAPES: Record<number, string> = {
  [C('0')]: '\0',
  [C('a')]: '\x07',
  [C('b')]: '\b',
  [C('t')]: '\t',
  0x09: '\t',
  [C('n')]: '\n',
  [C('v')]: '\v',
  [C('f')]: '\f',
  [C('r')]: '\r',
  [C('e')]: '\x1b',
  [C(' ')]: ' ',
  [DQUOTE]: '"',
  [SQUOTE]: "'",
  [BACKSLASH]: '\\',
  [C('N')]: '\x85',
  [C('_')]: '\xa0',
  [C('L')]: '\u2028',
  [C('P')]: '\u2029',
};
const HEX_ESCAPES: Record<number, number> = { [C('x')]: 2, [C('u')]: 4, [C('U')]: 8 };

/** The whitespace between two runs of a multi-line quoted or plain scalar, as libyaml folds it. */
interface Folding {
  leadingBlanks: boolean;
  whitespaces: string;
  leadingBreak: string;
  trailingBreaks: string;
}

/** Clears `fold` for the next scalar (one Folding per scanner: scalars are scanned one at a time). */
function resetFolding(fold: Folding): Folding {
  fold.leadingBlanks = false;
  fold.whitespaces = '';
  fold.leadingBreak = '';
  fold.trailingBreaks = '';
  return fold;
}

/** The pending whitespace, folded (one line break is a space, more keep all but the first), and reset. */
function takeFolded(fold: Folding): string {
  if (!fold.leadingBlanks) {
    const blanks = fold.whitespaces;
    fold.whitespaces = '';
    return blanks;
  }
  const folded = fold.leadingBreak[0] === '\n' ? fold.trailingBreaks || ' ' : fold.leadingBreak + fold.trailingBreaks;
  fold.leadingBreak = '';
  fold.trailingBreaks = '';
  fold.leadingBlanks = false;
  return folded;
}

/** The scalar scanners; the scanner subclass owns the indentation, flow level and simple-key state. */
export abstract class ScalarScanner extends Cursor {
  protected indent = -1;
  protected flowLevel = 0;
  protected simpleKeyAllowed = false;

  private readonly folding: Folding = { leadingBlanks: false, whitespaces: '', leadingBreak: '', trailingBreaks: '' };

  // Out-parameters of scanBlockScalarBreaks.
  private bsIndent = 0;
  private bsBreaks = '';

  protected scanBlockScalar(literal: boolean): Token {
    const cps = this.cps;
    const startLine = this.line;
    const startColumn = this.column;
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    let c = cps[this.pos];
    if (c === C('+') || c === DASH) {
      chomping = c === C('+') ? 1 : -1;
      this.skip();
      this.cache(1);
      if (isDigit(cps[this.pos])) {
        if (cps[this.pos] === C('0')) this.error(startLine, 'found an indentation indicator equal to 0');
        increment = cps[this.pos] - 0x30;
        this.skip();
      }
    } else if (isDigit(c)) {
      if (c === C('0')) this.error(startLine, 'found an indentation indicator equal to 0');
      increment = c - 0x30;
      this.skip();
      this.cache(1);
      c = cps[this.pos];
      if (c === C('+') || c === DASH) {
        chomping = c === C('+') ? 1 : -1;
        this.skip();
      }
    }
    this.cache(1);
    this.skipBlanks();
    if (cps[this.pos] === HASH) {
      if (this.v3) this.scanLineComment();
      while (!isBreakZ(cps[this.pos])) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakZ(cps[this.pos])) this.error(startLine, 'did not find expected comment or line break');
    if (isBreak(cps[this.pos])) {
      this.cache(2);
      this.skipLine();
    }
    let indent = 0;
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment;

    let s = '';
    let leadingBreak = '';
    this.scanBlockScalarBreaks(indent, '', startLine);
    indent = this.bsIndent;
    let trailingBreaks = this.bsBreaks;
    this.cache(1);
    let leadingBlank = false;
    while (this.column === indent && cps[this.pos] !== 0) {
      const trailingBlank = isBlank(cps[this.pos]);
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak[0] === '\n') {
        if (trailingBreaks.length === 0) s += ' ';
      } else {
        s += leadingBreak;
      }
      leadingBreak = '';
      s += trailingBreaks;
      trailingBreaks = '';
      leadingBlank = isBlank(cps[this.pos]);
      const from = this.pos;
      this.skipToBreak();
      s += this.slice(from, this.pos);
      this.cache(2);
      leadingBreak = this.readLine();
      this.scanBlockScalarBreaks(indent, trailingBreaks, startLine);
      indent = this.bsIndent;
      trailingBreaks = this.bsBreaks;
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += trailingBreaks;
    return token(Tok.Scalar, startLine, startColumn, s, '', literal ? Style.Literal : Style.Folded);
  }

  /** Eats indentation and empty lines of a block scalar, settling its indentation if not yet known. */
  protected scanBlockScalarBreaks(indent: number, breaks: string, startLine: number): void {
    const cps = this.cps;
    let maxIndent = 0;
    for (;;) {
      this.cache(1);
      this.skipIndent(indent);
      if (this.column > maxIndent) maxIndent = this.column;
      if ((indent === 0 || this.column < indent) && cps[this.pos] === 0x09) {
        this.error(startLine, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(cps[this.pos])) break;
      this.cache(2);
      breaks += this.readLine();
    }
    if (indent === 0) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    this.bsIndent = indent;
    this.bsBreaks = breaks;
  }

  protected scanFlowScalar(single: boolean): Token {
    const cps = this.cps;
    const startLine = this.line;
    const startColumn = this.column;
    this.skip();
    let s = '';
    const fold = resetFolding(this.folding);
    for (;;) {
      this.cache(4);
      if (this.isDocumentIndicator()) this.error(startLine, 'found unexpected document indicator');
      if (cps[this.pos] === 0) this.error(startLine, 'found unexpected end of stream');
      let run = -1;
      while (!isBlankZ(cps[this.pos])) {
        const c = cps[this.pos];
        if (single && c === SQUOTE && cps[this.pos + 1] === SQUOTE) {
          if (run >= 0) s += this.slice(run, this.pos);
          run = -1;
          s += "'";
          this.skip();
          this.skip();
        } else if (c === (single ? SQUOTE : DQUOTE)) {
          break;
        } else if (!single && c === BACKSLASH && isBreak(cps[this.pos + 1])) {
          if (run >= 0) s += this.slice(run, this.pos);
          run = -1;
          this.cache(3);
          this.skip();
          this.skipLine();
          fold.leadingBlanks = true;
          break;
        } else if (!single && c === BACKSLASH) {
          if (run >= 0) s += this.slice(run, this.pos);
          run = -1;
          s += this.scanEscape(startLine);
        } else {
          if (run < 0) run = this.pos;
          this.skip();
          this.skipQuotedRun();
        }
        this.cache(2);
      }
      if (run >= 0) s += this.slice(run, this.pos);
      this.cache(1);
      if (cps[this.pos] === (single ? SQUOTE : DQUOTE)) break;
      this.consumeFoldable(fold);
      s += takeFolded(fold);
    }
    this.skip();
    return token(Tok.Scalar, startLine, startColumn, s, '', single ? Style.Single : Style.Double);
  }

  /**
   * Consumes blanks and line breaks into `fold`. A plain scalar passes its `indent` (and its start
   * line for the message): a tab in the indentation of a continuation line is refused.
   */
  private consumeFoldable(fold: Folding, indent = -1, startLine = -1): void {
    const cps = this.cps;
    for (;;) {
      const c = cps[this.pos];
      if (c === 0x20 || c === 0x09) {
        if (fold.leadingBlanks) {
          if (startLine >= 0 && this.column < indent && c === 0x09) {
            // (sic: the 2017 fork says "violate")
            this.error(startLine, `found a tab character that ${this.v3 ? 'violates' : 'violate'} indentation`);
          }
          if (c === 0x20) {
            // after a line break blanks are dropped: the spaces of the next line's indentation go at once
            this.skipSpaces(false);
            continue;
          }
        } else {
          fold.whitespaces += c === 0x20 ? ' ' : '\t';
        }
        this.skip();
      } else if (isBreak(c)) {
        this.cache(2);
        if (!fold.leadingBlanks) {
          fold.whitespaces = '';
          fold.leadingBreak = this.readLine();
          fold.leadingBlanks = true;
        } else {
          fold.trailingBreaks += this.readLine();
        }
      } else {
        return;
      }
      this.cache(1);
    }
  }

  protected scanEscape(startLine: number): string {
    const code = this.cps[this.pos + 1];
    const simple = SIMPLE_ESCAPES[code];
    const length = HEX_ESCAPES[code] ?? 0;
    if (simple === undefined && length === 0) this.error(startLine, 'found unknown escape character');
    this.skip();
    this.skip();
    if (length === 0) return simple;
    this.cache(length);
    let value = 0;
    for (let k = 0; k < length; k++) {
      const h = this.cps[this.pos + k];
      if (!isHex(h)) this.error(startLine, 'did not find expected hexdecimal number');
      value = value * 16 + asHex(h);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
      this.error(startLine, 'found invalid Unicode character escape code');
    }
    for (let k = 0; k < length; k++) this.skip();
    return String.fromCodePoint(value);
  }

  protected scanPlainScalar(): Token {
    const cps = this.cps;
    let s = '';
    const fold = resetFolding(this.folding);
    const indent = this.indent + 1;
    const startLine = this.line;
    const startColumn = this.column;
    for (;;) {
      this.cache(4);
      if (this.isDocumentIndicator()) break;
      if (cps[this.pos] === HASH) break;
      let run = -1;
      while (!isBlankZ(cps[this.pos])) {
        const c = cps[this.pos];
        if (this.flowLevel > 0) {
          // The 2017 v2 fork rejects `a:b` inside flow collections.
          if (!this.v3 && c === COLON && !isBlankZ(cps[this.pos + 1])) this.error(startLine, "found unexpected ':'");
          if (c === COMMA || c === QUESTION || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE) break;
        }
        if (c === COLON && isBlankZ(cps[this.pos + 1])) break;
        s += takeFolded(fold);
        if (run < 0) run = this.pos;
        this.skip();
        this.skipPlainRun(this.flowLevel > 0);
        this.cache(2);
      }
      if (run >= 0) s += this.slice(run, this.pos);
      if (!(isBlank(cps[this.pos]) || isBreak(cps[this.pos]))) break;
      this.cache(1);
      this.consumeFoldable(fold, indent, startLine);
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    if (fold.leadingBlanks) this.simpleKeyAllowed = true;
    return token(Tok.Scalar, startLine, startColumn, s, '', Style.Plain);
  }
}

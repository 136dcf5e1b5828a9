/**
 * libyaml's scanner (scannerc.go), continued: directives (`%YAML`, `%TAG`), anchors, aliases and
 * tags. The forks differ only in the tag-URI check, switched on `v3`.
 */
import { asHex, DOT, HASH, isAlpha, isBlank, isBlankZ, isBreak, isBreakZ, isDigit, isHex, isUriChar } from './chars';
import { ScalarScanner } from './scalars';
import { Tok, type Token, type TokenKind, token } from './tokens';

const C = (s: string): number => s.charCodeAt(0);
const PERCENT = 0x25;
/** What may follow an anchor or alias name. */
const ANCHOR_END = new Set([...'?:,]}%@`'].map(C));

export abstract class TagScanner extends ScalarScanner {
  // ----- directives -----

  protected scanDirective(): Token {
    const startLine = this.line;
    const startColumn = this.column;
    this.skip();
    const name = this.scanDirectiveName(startLine);
    let t: Token;
    if (name === 'YAML') {
      this.cache(1);
      this.skipBlanks();
      const major = this.scanVersionNumber(startLine);
      if (this.cps[this.pos] !== DOT) this.error(startLine, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(startLine);
      t = token(Tok.VersionDirective, startLine, startColumn, `${major}.${minor}`);
    } else if (name === 'TAG') {
      this.cache(1);
      this.skipBlanks();
      const handle = this.scanTagHandle(true, startLine);
      this.cache(1);
      if (!isBlank(this.cps[this.pos])) this.error(startLine, 'did not find expected whitespace');
      this.skipBlanks();
      const prefix = this.scanTagUri('', startLine);
      this.cache(1);
      if (!isBlankZ(this.cps[this.pos])) this.error(startLine, 'did not find expected whitespace or line break');
      t = token(Tok.TagDirective, startLine, startColumn, handle, prefix);
    } else {
      this.error(startLine, 'found unknown directive name');
    }
    this.cache(1);
    this.skipBlanks();
    if (this.cps[this.pos] === HASH) {
      while (!isBreakZ(this.cps[this.pos])) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakZ(this.cps[this.pos])) this.error(startLine, 'did not find expected comment or line break');
    if (isBreak(this.cps[this.pos])) {
      this.cache(2);
      this.skipLine();
    }
    return t;
  }

  private scanDirectiveName(startLine: number): string {
    this.cache(1);
    const from = this.pos;
    while (isAlpha(this.cps[this.pos])) {
      this.skip();
      this.cache(1);
    }
    if (this.pos === from) this.error(startLine, 'could not find expected directive name');
    if (!isBlankZ(this.cps[this.pos])) this.error(startLine, 'found unexpected non-alphabetical character');
    return this.slice(from, this.pos);
  }

  private scanVersionNumber(startLine: number): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.cps[this.pos])) {
      if (++length > 2) this.error(startLine, 'found extremely long version number');
      value = value * 10 + (this.cps[this.pos] - 0x30);
      this.skip();
      this.cache(1);
    }
    if (length === 0) this.error(startLine, 'did not find expected version number');
    return value;
  }

  // ----- anchors and tags -----

  protected scanAnchor(kind: TokenKind): Token {
    const startLine = this.line;
    const startColumn = this.column;
    this.skip();
    this.cache(1);
    const from = this.pos;
    while (isAlpha(this.cps[this.pos])) {
      this.skip();
      this.cache(1);
    }
    const c = this.cps[this.pos];
    if (this.pos === from || !(isBlankZ(c) || ANCHOR_END.has(c))) {
      this.error(startLine, 'did not find expected alphabetic or numeric character');
    }
    return token(kind, startLine, startColumn, this.slice(from, this.pos));
  }

  protected scanTag(): Token {
    const startLine = this.line;
    const startColumn = this.column;
    this.cache(2);
    let handle: string;
    let suffix: string;
    if (this.cps[this.pos + 1] === C('<')) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri('', startLine);
      if (this.cps[this.pos] !== C('>')) this.error(startLine, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, startLine);
      if (handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri('', startLine);
      } else {
        suffix = this.scanTagUri(handle, startLine);
        handle = '!';
        if (suffix.length === 0) {
          handle = '';
          suffix = '!';
        }
      }
    }
    this.cache(1);
    if (!isBlankZ(this.cps[this.pos])) this.error(startLine, 'did not find expected whitespace or line break');
    return token(Tok.Tag, startLine, startColumn, handle, suffix);
  }

  private scanTagHandle(directive: boolean, startLine: number): string {
    this.cache(1);
    if (this.cps[this.pos] !== C('!')) this.error(startLine, "did not find expected '!'");
    const from = this.pos;
    this.skip();
    this.cache(1);
    while (isAlpha(this.cps[this.pos])) {
      this.skip();
      this.cache(1);
    }
    if (this.cps[this.pos] === C('!')) {
      this.skip();
    } else if (directive && this.pos - from !== 1) {
      this.error(startLine, "did not find expected '!'");
    }
    return this.slice(from, this.pos);
  }

  private scanTagUri(head: string, startLine: number): string {
    let s = head.length > 1 ? head.slice(1) : '';
    // v2 counts the head and the plain characters (not %-escapes); v3 asks whether anything was seen.
    let length = head.length;
    let hasTag = head.length > 0;
    this.cache(1);
    while (isUriChar(this.cps[this.pos])) {
      if (this.cps[this.pos] === PERCENT) {
        s += this.scanUriEscapes(startLine);
      } else {
        s += this.slice(this.pos, this.pos + 1);
        this.skip();
        length++;
      }
      this.cache(1);
      hasTag = true;
    }
    if (this.v3 ? !hasTag : length === 0) this.error(startLine, 'did not find expected tag URI');
    return s;
  }

  private scanUriEscapes(startLine: number): string {
    const bytes: number[] = [];
    let w = 1024;
    while (w > 0) {
      this.cache(3);
      const p = this.pos;
      if (!(this.cps[p] === C('%') && isHex(this.cps[p + 1]) && isHex(this.cps[p + 2]))) {
        this.error(startLine, 'did not find URI escaped octet');
      }
      const octet = (asHex(this.cps[p + 1]) << 4) + asHex(this.cps[p + 2]);
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) this.error(startLine, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        this.error(startLine, 'found an incorrect trailing UTF-8 octet');
      }
      bytes.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

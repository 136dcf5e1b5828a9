/**
 * libyaml's scanner (scannerc.go): tokens, simple keys, indentation and comments (directives,
 * anchors and tags are in tags.ts, scalars in scalars.ts, the input cursor in cursor.ts). The two
 * forks differ in a few places, switched on `v3`: token lookahead and simple-key expiry, the
 * BLOCK-END position, comment consumption, `:` inside flow plain scalars and tag-URI checks.
 */
import {
  COLON,
  COMMA,
  DASH,
  DQUOTE,
  HASH,
  isBlank,
  isBlankZ,
  isBreak,
  isBreakZ,
  isIndicator,
  LBRACE,
  LBRACKET,
  QUESTION,
  RBRACE,
  RBRACKET,
  SQUOTE,
} from './chars';
import { YamlDepthError } from './errors';
import { TagScanner } from './tags';
import { Tok, type Token, type TokenKind, token } from './tokens';

/** A possible simple key; a stack slot's object is refilled when the slot gets a new key. */
interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  index: number;
  line: number;
  column: number;
}

/**
 * yaml.v3's nesting limit. The v2 fork has none (Go's stack grows to 1 GB); it is applied to v2 too,
 * with v3's message, so that absurd nesting is one diagnostic rather than a quadratic crawl and a
 * stack overflow further down the pipeline.
 */
export const MAX_DEPTH = 10000;
const STAR = 0x2a;
const AMP = 0x26;
const BANG = 0x21;
const PIPE = 0x7c;
const GT = 0x3e;
const PERCENT = 0x25;

export class Scanner extends TagScanner {
  private tokens: Token[] = [];
  private head = 0;
  private parsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  streamEndProduced = false;

  private readonly indents: number[] = [];
  private readonly simpleKeys: SimpleKey[] = [];
  /**
   * v2: no slot below this one holds a possible key. A key becomes possible only in the top slot,
   * so the possible keys are ordered by age from the bottom of the stack up: the stale ones are a
   * prefix of them, and the oldest one left has the lowest token number. libyaml scans the whole
   * stack for both on every token, which is quadratic in the flow depth.
   */
  private firstPossible = 0;
  private readonly keysByToken = new Map<number, number>();

  // ----- parser interface -----

  /** Characters consumed so far (counted in work.ts). */
  get charsRead(): number {
    return this.pos;
  }

  /** Tokens scanned so far, handed to the parser or queued (counted in work.ts). */
  get tokensRead(): number {
    return this.queued();
  }

  peekToken(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  skipToken(): void {
    this.tokenAvailable = false;
    this.parsed++;
    this.streamEndProduced = this.tokens[this.head].kind === Tok.StreamEnd;
    this.head++;
    if (this.head > 256 && this.head === this.tokens.length) {
      this.tokens = [];
      this.head = 0;
    }
  }

  // ----- buffer primitives -----

  private insertToken(at: number, t: Token): void {
    const tokens = this.tokens;
    tokens.push(t);
    if (at < 0) return;
    // Insertions land near the end of the queue (a simple key's KEY), so shifting beats splice().
    const i = this.head + at;
    for (let j = tokens.length - 1; j > i; j--) tokens[j] = tokens[j - 1];
    tokens[i] = t;
  }

  private queued(): number {
    return this.parsed + (this.tokens.length - this.head);
  }

  // ----- token fetching -----

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.v3) {
        // v3 keeps two tokens of lookahead for its comment handling.
        if (this.head < this.tokens.length - 2) {
          // v3's simple_keys_by_tok maps a token number to a stack slot, which may since hold another key.
          const idx = this.keysByToken.get(this.parsed);
          if (idx === undefined || !this.simpleKeyIsValid(this.simpleKeys[idx])) break;
        }
      } else {
        let need = this.head === this.tokens.length;
        if (!need) {
          this.staleSimpleKeys();
          // The parser never passes a possible key's token, so only the oldest key can be at `parsed`.
          const oldest = this.simpleKeys[this.firstPossible] as SimpleKey | undefined;
          need = oldest !== undefined && oldest.tokenNumber === this.parsed;
        }
        if (!need) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    // v3 places BLOCK-END where the scan for this token began.
    const scanLine = this.line;
    const scanColumn = this.column;
    this.scanToNextToken();
    if (this.v3) this.unrollIndent(this.column, scanLine, scanColumn);
    else {
      this.staleSimpleKeys();
      this.unrollIndent(this.column, this.line, this.column);
    }
    this.cache(4);
    const c = this.cps[this.pos];
    if (c === 0) return this.fetchStreamEnd();
    if (this.column === 0 && c === PERCENT) return this.fetchDirective();
    if (this.isDocumentIndicator()) {
      return this.fetchDocumentIndicator(c === DASH ? Tok.DocumentStart : Tok.DocumentEnd);
    }
    this.fetchContentToken(c);
    if (this.v3 && this.tokens[this.tokens.length - 1].kind !== Tok.BlockEntry) this.scanLineComment();
  }

  private fetchContentToken(c: number): void {
    const next = this.cps[this.pos + 1];
    switch (c) {
      case LBRACKET:
        return this.fetchFlowCollectionStart(Tok.FlowSequenceStart);
      case LBRACE:
        return this.fetchFlowCollectionStart(Tok.FlowMappingStart);
      case RBRACKET:
        return this.fetchFlowCollectionEnd(Tok.FlowSequenceEnd);
      case RBRACE:
        return this.fetchFlowCollectionEnd(Tok.FlowMappingEnd);
      case COMMA:
        return this.fetchFlowEntry();
    }
    if (c === DASH && isBlankZ(next)) return this.fetchBlockEntry();
    if (c === QUESTION && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchKey();
    if (c === COLON && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchValue();
    switch (c) {
      case STAR:
        return this.fetchAnchor(Tok.Alias);
      case AMP:
        return this.fetchAnchor(Tok.Anchor);
      case BANG:
        return this.fetchTag();
      case PIPE:
        if (this.flowLevel === 0) return this.fetchBlockScalar(true);
        break;
      case GT:
        if (this.flowLevel === 0) return this.fetchBlockScalar(false);
        break;
      case SQUOTE:
        return this.fetchFlowScalar(true);
      case DQUOTE:
        return this.fetchFlowScalar(false);
    }
    if (
      !(isBlankZ(c) || isIndicator(c)) ||
      (c === DASH && !isBlank(next)) ||
      (this.flowLevel === 0 && (c === QUESTION || c === COLON) && !isBlankZ(next))
    ) {
      return this.fetchPlainScalar();
    }
    this.error(this.line, 'found character that cannot start any token');
  }

  // ----- simple keys -----

  /**
   * v2: expire keys that can no longer be simple keys (other line, or over 1024 characters back),
   * oldest first, stopping at the first live one (see `firstPossible`); leaves `firstPossible` on
   * a possible key, or past the top.
   */
  private staleSimpleKeys(): void {
    const keys = this.simpleKeys;
    for (let i = this.firstPossible; i < keys.length; i++, this.firstPossible = i) {
      const k = keys[i];
      if (!k.possible) continue;
      if (k.line >= this.line && k.index + 1024 >= this.pos) return;
      if (k.required) this.error(k.line, "could not find expected ':'", k);
      k.possible = false;
    }
  }

  /** v3: the same expiry, checked lazily. */
  private simpleKeyIsValid(k: SimpleKey): boolean {
    if (!k.possible) return false;
    if (k.line < this.line || k.index + 1024 < this.pos) {
      if (k.required) this.error(k.line, "could not find expected ':'", k);
      k.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      const tokenNumber = this.queued();
      this.removeSimpleKey();
      const key = this.simpleKeys[this.simpleKeys.length - 1];
      key.possible = true;
      key.required = required;
      key.tokenNumber = tokenNumber;
      key.index = this.pos;
      key.line = this.line;
      key.column = this.column;
      if (this.v3) this.keysByToken.set(tokenNumber, this.simpleKeys.length - 1);
      else this.firstPossible = Math.min(this.firstPossible, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const k = this.simpleKeys[this.simpleKeys.length - 1];
    if (k.possible) {
      if (k.required) this.error(k.line, "could not find expected ':'", k);
      k.possible = false;
      if (this.v3) this.keysByToken.delete(k.tokenNumber);
    }
  }

  private pushSimpleKey(tokenNumber: number): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber, index: this.pos, line: this.line, column: this.column });
  }

  private increaseFlowLevel(): void {
    this.pushSimpleKey(this.queued());
    this.flowLevel++;
    if (this.flowLevel > MAX_DEPTH) this.tooDeep(this.line, this.column);
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const k = this.simpleKeys.pop() as SimpleKey;
      if (this.v3) this.keysByToken.delete(k.tokenNumber);
      else this.firstPossible = Math.min(this.firstPossible, this.simpleKeys.length);
    }
  }

  // ----- indentation -----

  private rollIndent(column: number, number: number, kind: TokenKind, line: number, col: number): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_DEPTH) this.tooDeep(line, col);
      this.insertToken(number > -1 ? number - this.parsed : -1, token(kind, line, col));
    }
  }

  /** The context line is the last simple key slot's, as in yaml.v3 (for a flow level, the new slot's). */
  private tooDeep(line: number, column: number): never {
    const contextLine = this.simpleKeys[this.simpleKeys.length - 1].line;
    throw new YamlDepthError(`exceeded max depth of ${MAX_DEPTH}`, this.line, contextLine, { line: line + 1, column: column + 1, path: '' });
  }

  /** Closes the block collections indented deeper than `column`, with BLOCK-END tokens at `line`:`col`. */
  private unrollIndent(column: number, line: number, col: number): void {
    if (this.flowLevel > 0 || this.indent <= column) return;
    while (this.indent > column) {
      this.insertToken(-1, token(Tok.BlockEnd, line, col));
      this.indent = this.indents.pop() as number;
    }
  }

  // ----- fetchers -----

  private fetchStreamStart(): void {
    this.indent = -1;
    this.pushSimpleKey(0);
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, token(Tok.StreamStart, this.line, this.column));
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1, this.line, this.column);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, token(Tok.StreamEnd, this.line, this.column));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1, this.line, this.column);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(kind: TokenKind): void {
    this.unrollIndent(-1, this.line, this.column);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, token(kind, this.line, this.column));
    this.skip();
    this.skip();
    this.skip();
  }

  private fetchFlowCollectionStart(kind: TokenKind): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(kind);
  }

  private fetchFlowCollectionEnd(kind: TokenKind): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.fetchIndicator(kind);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(Tok.FlowEntry);
  }

  private fetchIndicator(kind: TokenKind): void {
    this.insertToken(-1, token(kind, this.line, this.column));
    this.skip();
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error(this.line, 'block sequence entries are not allowed in this context');
      this.rollIndent(this.column, -1, Tok.BlockSequenceStart, this.line, this.column);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.fetchIndicator(Tok.BlockEntry);
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error(this.line, 'mapping keys are not allowed in this context');
      this.rollIndent(this.column, -1, Tok.BlockMappingStart, this.line, this.column);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.fetchIndicator(Tok.Key);
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    const found = this.v3 ? this.simpleKeyIsValid(key) : key.possible;
    if (found) {
      this.insertToken(key.tokenNumber - this.parsed, token(Tok.Key, key.line, key.column));
      this.rollIndent(key.column, key.tokenNumber, Tok.BlockMappingStart, key.line, key.column);
      key.possible = false;
      if (this.v3) this.keysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.error(this.line, 'mapping values are not allowed in this context');
        this.rollIndent(this.column, -1, Tok.BlockMappingStart, this.line, this.column);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.fetchIndicator(Tok.Value);
  }

  private fetchAnchor(kind: TokenKind): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(kind));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  // ----- whitespace and comments -----

  private scanToNextToken(): void {
    const cps = this.cps;
    for (;;) {
      this.cache(1);
      // "Allow the BOM": whatever character starts the line is skipped (see bomAtBufferStart)
      if (this.column === 0 && this.bomAtBufferStart) this.skip();
      this.cache(1);
      // Tabs are whitespace only in flow context or where a simple key cannot start.
      this.skipSpaces(this.flowLevel > 0 || !this.simpleKeyAllowed);
      if (cps[this.pos] === HASH) {
        if (this.v3) {
          this.scanComments();
        } else {
          this.skipToBreak();
        }
      }
      if (!isBreak(cps[this.pos])) break;
      this.cache(2);
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  /** v3's comment scan: also swallows further comment lines found within a 512-character peek. */
  private scanComments(): void {
    const cps = this.cps;
    for (let peek = 0; peek < 512; peek++) {
      this.cache(peek + 1);
      const c = cps[this.pos + peek];
      if (isBlank(c)) continue;
      const closeFlow = this.flowLevel > 0 && (c === RBRACKET || c === RBRACE);
      if (closeFlow || isBreakZ(c)) {
        if (closeFlow || !isBreak(c)) break;
        continue;
      }
      if (c !== HASH) break;
      this.skipThroughComment(this.pos + peek);
      peek = 0;
    }
  }
}

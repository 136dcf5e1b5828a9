/**
 * vincent-petithory/dataurl as vendored by ct v0.9.0: `Escape` (used for every inline, local and
 * update.conf source) and `DecodeString` (used by Ignition's URL validation of `data:` sources),
 * with the library's error texts.
 */
import { decodeBase64Std } from './base64';
import { goStringBytes } from './raw-bytes';
import { decodeRune, utf8Bytes } from './utf8';

const UPPER_HEX_BYTES = Buffer.from('0123456789ABCDEF', 'latin1');

/** RFC 2396 unreserved bytes, copied as is by Escape. */
const UNRESERVED = (() => {
  const t = new Uint8Array(128);
  for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * `dataurl.Escape`: unreserved bytes stay, every other byte becomes `%XX` (upper-case hex).
 * Text goes through `encodeURIComponent`, which keeps exactly the RFC 2396 unreserved set and
 * percent-encodes the UTF-8 bytes of the rest the same way; it refuses lone surrogates, which
 * are raw bytes of a Go string (go/raw-bytes.ts, e.g. from `!!binary`) or else U+FFFD.
 */
export function escapeDataUrl(data: Uint8Array | string): string {
  if (typeof data === 'string') {
    try {
      return encodeURIComponent(data);
    } catch {
      return escapeBytes(goStringBytes(data));
    }
  }
  return escapeBytes(data);
}

/** `dataurl.Escape` on bytes, into a byte buffer (a string built char by char is slow to read). */
function escapeBytes(bytes: Uint8Array): string {
  const out = Buffer.allocUnsafe(bytes.length * 3);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 128 && UNRESERVED[b]) {
      out[n++] = b;
    } else {
      out[n++] = 0x25;
      out[n++] = UPPER_HEX_BYTES[b >> 4];
      out[n++] = UPPER_HEX_BYTES[b & 15];
    }
  }
  return out.toString('latin1', 0, n);
}

/** `dataurl.Unescape` (rfc2396.go); error texts kept, including the `0x25` it always prints. */
function unescapeRfc2396(s: Uint8Array): Uint8Array {
  // Buffer's pool serves small sizes: no new ArrayBuffer for most data URLs
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; ) {
    const b = s[i];
    if (b >= 0x80 && decodeRune(s, i)[1] > 1) throw new Error('rfc2396: non-ASCII char detected');
    i++;
    if (b !== 0x25) {
      out[n++] = b;
      continue;
    }
    if (i >= s.length) throw new Error('rfc2396: unexpected end of unescape sequence');
    const high = HEX_VALUE[s[i++]];
    if (high < 0) throw new Error('rfc2396: invalid char 0x25 in unescape sequence');
    if (i >= s.length) throw new Error('rfc2396: unexpected end of unescape sequence');
    const low = HEX_VALUE[s[i++]];
    if (low < 0) throw new Error('rfc2396: invalid char 0x25 in unescape sequence');
    out[n++] = (high << 4) | low;
  }
  return out.subarray(0, n);
}

/** Each byte's hex digit value, or -1. */
const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 256; c++) if (isHexByte(c)) t[c] = parseInt(String.fromCharCode(c), 16);
  return t;
})();

function isHexByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

export interface DataUrl {
  readonly mediaType: string;
  readonly params: Readonly<Record<string, string>>;
  readonly encoding: 'base64' | 'ascii';
  readonly data: Uint8Array;
}

export type DecodeDataUrlResult = { readonly dataUrl: DataUrl; readonly error?: undefined } | { readonly dataUrl?: undefined; readonly error: string };

/** `dataurl.DecodeString`: lexes and decodes a `data:` URL; `error` is the library's message. */
export function decodeDataUrl(s: string): DecodeDataUrlResult {
  try {
    return { dataUrl: new DataUrlParser(utf8Bytes(s)).parse() };
  } catch (e) {
    if (e instanceof Error) return { error: e.message };
    throw e;
  }
}

const EOF = -1;

function isTSpecial(r: number): boolean {
  return r >= 0 && r < 128 && '()<>@,;:\\"/[]?='.includes(String.fromCharCode(r));
}

/** Go's `unicode.IsSpace` restricted to ASCII (token runes are ASCII anyway). */
function isAsciiSpace(r: number): boolean {
  return r === 0x20 || (r >= 0x09 && r <= 0x0d);
}

function isTokenRune(r: number): boolean {
  return r >= 0 && r <= 0x7f && !(r < 0x20 || r === 0x7f) && !isAsciiSpace(r) && !isTSpecial(r);
}

function isUrlCharRune(r: number): boolean {
  return r >= 0 && r <= 0x7f && r >= 0x20 && r !== 0x7f && !' <>#"{}|\\^[]`'.includes(String.fromCharCode(r));
}

function isBase64Rune(r: number): boolean {
  return (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || (r >= 0x30 && r <= 0x39) || r === 0x2b || r === 0x2f || r === 0x3d;
}

function byteTable(accept: (r: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 128; b++) t[b] = accept(b) ? 1 : 0;
  return t;
}

const URL_CHAR_BYTES = byteTable(isUrlCharRune);
const BASE64_BYTES = byteTable(isBase64Rune);

const DISCRETE_TYPES = ['text', 'image', 'audio', 'video', 'application'];
const COMPOSITE_TYPES = ['message', 'multipart'];

/**
 * The library's state-machine lexer and its parser folded into one pass: the lexer emits items
 * that the parser consumes in order, so acting on each token as it is lexed gives the same
 * results and the same first error.
 */
class DataUrlParser {
  private pos = 0;
  private start = 0;
  private width = 0;
  private mediaType = 'text/plain';
  private readonly params: Record<string, string> = { charset: 'US-ASCII' };
  private mainType = 'text';
  private subType = 'plain';
  private currentAttr = '';
  private base64 = false;
  private unquoteNextValue = false;

  constructor(private readonly input: Uint8Array) {}

  parse(): DataUrl {
    if (!this.hasPrefix('data:')) throw new Error('missing data prefix');
    this.pos += 5;
    this.start = this.pos;
    this.afterDataPrefix();
    this.mediaType = `${this.mainType}/${this.subType}`;
    return {
      mediaType: this.mediaType,
      params: this.params,
      encoding: this.base64 ? 'base64' : 'ascii',
      data: this.lexData(),
    };
  }

  private hasPrefix(p: string): boolean {
    for (let i = 0; i < p.length; i++) if (this.input[i] !== p.charCodeAt(i)) return false;
    return true;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const b = this.input[this.pos];
    if (b < 0x80) {
      this.width = 1;
      this.pos++;
      return b;
    }
    const [r, w] = decodeRune(this.input, this.pos);
    this.width = w;
    this.pos += w;
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  /** The bytes since the last `take`, as a latin1 string. */
  private pending(): string {
    return Buffer.from(this.input.buffer, this.input.byteOffset + this.start, this.pos - this.start).toString('latin1');
  }

  private take(): string {
    const v = this.pending();
    this.start = this.pos;
    return v;
  }

  /** After the prefix, the media type or a parameter: `;` starts a parameter and `,` the data. */
  private paramOrData(r: number): boolean {
    if (r === EOF) throw new Error('missing comma before data');
    if (r !== 0x3b && r !== 0x2c) return false;
    this.backup();
    if (r === 0x3b) this.paramSemicolon();
    else this.dataComma();
    return true;
  }

  private afterDataPrefix(): void {
    const r = this.next();
    if (this.paramOrData(r)) return;
    if (r === 0x78 || r === 0x58) {
      // "x-" starts an extension token type, anything else after x is a discrete type name.
      if (this.next() === 0x2d) return this.mediaTypeName(false);
      return this.mediaTypeName(true);
    }
    if (isTokenRune(r)) return this.mediaTypeName(true);
    throw new Error('invalid character after data prefix');
  }

  private mediaTypeName(checkKnown: boolean): void {
    for (;;) {
      const r = this.next();
      if (r === 0x2f) {
        this.backup();
        const name = this.pending();
        if (checkKnown && !DISCRETE_TYPES.some((t) => name.startsWith(t)) && !COMPOSITE_TYPES.some((t) => name.startsWith(t))) {
          throw new Error('invalid media type');
        }
        if (this.pos > this.start) {
          this.mainType = this.take();
          delete this.params.charset;
        }
        this.next();
        this.take();
        return this.afterMediaSep();
      }
      if (r === EOF) throw new Error('missing media type slash');
      if (!isTokenRune(r)) throw new Error('invalid character for media type');
    }
  }

  private afterMediaSep(): void {
    for (;;) {
      const r = this.next();
      if (r === 0x3b || r === 0x2c) {
        this.backup();
        if (this.pos > this.start) this.subType = this.take();
        return this.afterParamOrSubType();
      }
      if (r === EOF) throw new Error('incomplete media type');
      if (!isTokenRune(r)) throw new Error('invalid character for media subtype');
    }
  }

  private afterParamOrSubType(): void {
    if (!this.paramOrData(this.next())) throw new Error('expected semicolon or comma');
  }

  private paramSemicolon(): void {
    this.next();
    this.take();
    const r = this.next();
    if (r === EOF || r === 0x3d || r === 0x2c) throw new Error('unterminated parameter sequence');
    if (!isTokenRune(r)) throw new Error('invalid character for parameter attribute');
    this.backup();
    for (;;) {
      const c = this.next();
      if (c === 0x3d) {
        this.backup();
        if (this.pos > this.start) this.currentAttr = this.take();
        this.next();
        this.take();
        return this.paramValue();
      }
      if (c === 0x2c) {
        this.backup();
        // A parameter without "=" must be the base64 marker.
        if (this.pos > this.start) {
          const v = this.take();
          if (v !== 'base64') throw new Error(`expected base64, got ${v}`);
          this.base64 = true;
        }
        return this.dataComma();
      }
      if (c === EOF) throw new Error('unterminated parameter sequence');
      if (!isTokenRune(c)) throw new Error('invalid character for parameter attribute');
    }
  }

  private paramValue(): void {
    const r = this.next();
    if (r === 0x22) {
      this.take();
      this.unquoteNextValue = true;
      return this.quotedParamValue();
    }
    if (r === EOF) throw new Error('missing comma before data');
    if (!isTokenRune(r)) throw new Error('invalid character for parameter value');
    for (;;) {
      const c = this.next();
      if (c === 0x3b || c === 0x2c) {
        this.backup();
        if (this.pos > this.start) this.setParam(this.take());
        return this.afterParamOrSubType();
      }
      if (c === EOF) throw new Error('missing comma before data');
      if (!isTokenRune(c)) throw new Error('invalid character for parameter value');
    }
  }

  private quotedParamValue(): void {
    for (;;) {
      const r = this.next();
      if (r === EOF) throw new Error('unclosed quoted string');
      if (r === 0x5c) {
        // EOF counts as ASCII in the library's check, so it surfaces as "unclosed quoted string".
        if (this.next() > 0x7f) throw new Error('invalid escaped character');
        continue;
      }
      if (r === 0x22) {
        this.backup();
        if (this.pos > this.start) this.setParam(this.take());
        this.next();
        this.take();
        return this.afterParamOrSubType();
      }
      if (r > 0x7f) throw new Error('invalid character for parameter value');
    }
  }

  private setParam(raw: string): void {
    // Like the library, the "unquote" flag set by an opening quote is consumed by the next value
    // emitted, which is a later bare value when the quoted one was empty.
    let value: string;
    if (this.unquoteNextValue) {
      this.unquoteNextValue = false;
      value = unquoteGo(raw);
    } else {
      value = Buffer.from(unescapeRfc2396(Buffer.from(raw, 'latin1'))).toString('latin1');
    }
    this.params[this.currentAttr] = value;
  }

  private dataComma(): void {
    this.next();
    this.take();
  }

  private lexData(): Uint8Array {
    // every accepted rune is ASCII, so bytes can be checked one by one
    const accepted = this.base64 ? BASE64_BYTES : URL_CHAR_BYTES;
    for (; this.pos < this.input.length; this.pos++) {
      if (!accepted[this.input[this.pos]]) throw new Error('invalid data character');
    }
    const raw = this.input.subarray(this.start, this.pos);
    if (raw.length === 0) return new Uint8Array(0);
    return this.base64 ? decodeBase64Std(raw) : unescapeRfc2396(raw);
  }
}

/**
 * `strconv.Unquote("\"" + raw + "\"")` on the ASCII text the lexer lets through; throws Go's
 * `invalid syntax` for a raw newline or a bad escape.
 */
function unquoteGo(raw: string): string {
  const bad = (): never => {
    throw new Error('invalid syntax');
  };
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const c = raw[i++];
    if (c === '\n') bad();
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[i++] ?? bad();
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (simple[e] !== undefined) {
      out += simple[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = raw.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) bad();
      i += n;
      const v = parseInt(digits, 16);
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) bad();
      out += e === 'x' ? String.fromCharCode(v) : String.fromCodePoint(v);
    } else if (e >= '0' && e <= '7') {
      const digits = raw.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) bad();
      i += 2;
      out += String.fromCharCode(parseInt(digits, 8));
    } else {
      bad();
    }
  }
  return out;
}

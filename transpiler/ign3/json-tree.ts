/**
 * JSON text to a tree, checked the way Go's `encoding/json` scanner checks it (`checkValid` runs
 * before any decoding): whitespace is space/tab/CR/LF only, no BOM, at most 10,000 nested
 * collections (Go 1.15+ `maxNestingDepth`). Unlike `JSON.parse` the tree keeps what Go's decoder
 * sees: number text (no rounding past 2^53), every key in order (duplicates included), and strings
 * unquoted like Go's `unquote` (invalid UTF-8 and unpaired surrogate escapes become U+FFFD).
 */
import { decodeRune, RUNE_ERROR } from '../go/utf8';

/** A JSON number, kept as its text: Go parses it only for the type it is decoded into. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON object: members in document order, duplicate keys kept. */
export class JsonObject {
  readonly keys: string[] = [];
  readonly values: JsonValue[] = [];
  /** Indices of string members written with a backslash escape (their raw text differs from the value). */
  escaped?: Set<number>;
}

export type JsonValue = string | boolean | null | JsonNumber | JsonObject | JsonValue[];

export class JsonSyntaxError extends Error {}

/** Go's `maxNestingDepth` (encoding/json, Go 1.15+). */
export const MAX_NESTING_DEPTH = 10000;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

class Parser {
  i = 0;
  /** Set by `string()`: the literal held a backslash escape. */
  lastEscaped = false;
  /** The key of the object member being read. */
  pendingKey = '';

  /** The bytes as a latin1 string (one char per byte): ASCII runs are sliced out of it directly. */
  private readonly text: string;

  constructor(private readonly b: Uint8Array) {
    this.text = Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  }

  fail(): never {
    throw new JsonSyntaxError(`invalid JSON at byte ${this.i}`);
  }

  skipSpace(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i])) this.i++;
  }

  hex4(at: number): number {
    let r = 0;
    for (let k = 0; k < 4; k++) {
      const h = at + k < this.b.length ? hexValue(this.b[at + k]) : -1;
      if (h < 0) return -1;
      r = r * 16 + h;
    }
    return r;
  }

  /** A string literal at `i` (the opening quote), unquoted as Go does. */
  string(): string {
    const b = this.b;
    const start = ++this.i;
    let ascii = true;
    let escaped = false;
    for (;;) {
      if (this.i >= b.length) this.fail();
      const c = b[this.i];
      if (c === 0x22) break;
      if (c < 0x20) this.fail();
      if (c === 0x5c) {
        escaped = true;
        const e = b[this.i + 1];
        if (e === 0x75) {
          if (this.hex4(this.i + 2) < 0) {
            this.i += 2;
            this.fail();
          }
          this.i += 6;
          continue;
        }
        if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
          this.i++;
          this.fail();
        }
        this.i += 2;
        continue;
      }
      if (c >= 0x80) ascii = false;
      this.i++;
    }
    const end = this.i++;
    this.lastEscaped = escaped;
    if (!escaped && ascii) return this.text.slice(start, end);
    return this.unquote(start, end);
  }

  /** Go's `unquote` of the literal body [start, end), already checked by `string()`. */
  unquote(start: number, end: number): string {
    const b = this.b;
    const out: string[] = [];
    let run = '';
    for (let r = start; r < end; ) {
      const c = b[r];
      if (c === 0x5c) {
        const e = b[r + 1];
        if (e !== 0x75) {
          run += e === 0x62 ? '\b' : e === 0x66 ? '\f' : e === 0x6e ? '\n' : e === 0x72 ? '\r' : e === 0x74 ? '\t' : String.fromCharCode(e);
          r += 2;
          continue;
        }
        let rune = this.hex4(r + 2);
        r += 6;
        if (rune >= 0xd800 && rune < 0xe000) {
          // a high surrogate followed by an escaped low one is one rune; anything else is U+FFFD,
          // and the escape that followed is read again on its own
          const low = rune < 0xdc00 && b[r] === 0x5c && b[r + 1] === 0x75 ? this.hex4(r + 2) : -1;
          if (low >= 0xdc00 && low < 0xe000) {
            rune = 0x10000 + ((rune - 0xd800) << 10) + (low - 0xdc00);
            r += 6;
          } else {
            rune = RUNE_ERROR;
          }
        }
        run += String.fromCodePoint(rune);
        continue;
      }
      if (c < 0x80) {
        run += String.fromCharCode(c);
        r++;
        continue;
      }
      const [rune, width] = decodeRune(b, r, end);
      run += String.fromCodePoint(rune);
      r += width;
      if (run.length > 4096) {
        out.push(run);
        run = '';
      }
    }
    out.push(run);
    return out.join('');
  }

  number(): JsonNumber {
    const b = this.b;
    const start = this.i;
    if (b[this.i] === 0x2d) this.i++;
    if (b[this.i] === 0x30) this.i++;
    else if (this.i < b.length && b[this.i] >= 0x31 && b[this.i] <= 0x39) while (isDigit(b[this.i])) this.i++;
    else this.fail();
    if (b[this.i] === 0x2e) {
      this.i++;
      if (!isDigit(b[this.i])) this.fail();
      while (isDigit(b[this.i])) this.i++;
    }
    if (b[this.i] === 0x65 || b[this.i] === 0x45) {
      this.i++;
      if (b[this.i] === 0x2b || b[this.i] === 0x2d) this.i++;
      if (!isDigit(b[this.i])) this.fail();
      while (isDigit(b[this.i])) this.i++;
    }
    return new JsonNumber(this.text.slice(start, this.i));
  }

  literal(word: string, value: boolean | null): boolean | null {
    for (let k = 0; k < word.length; k++) {
      if (this.b[this.i] !== word.charCodeAt(k)) this.fail();
      this.i++;
    }
    return value;
  }

  /** A scalar at `i`, or undefined when a collection starts there. */
  scalar(): JsonValue | undefined {
    switch (this.b[this.i]) {
      case 0x22:
        return this.string();
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x6e:
        return this.literal('null', null);
      case 0x7b:
      case 0x5b:
        return undefined;
      default:
        return this.number();
    }
  }

  /** The whole document; iterative, so nesting depth costs no stack. */
  document(): JsonValue {
    const b = this.b;
    const stack: (JsonObject | JsonValue[])[] = [];
    let root: JsonValue | undefined;
    const attach = (v: JsonValue, escaped: boolean): void => {
      const top = stack[stack.length - 1];
      if (top === undefined) root = v;
      else if (Array.isArray(top)) top.push(v);
      else {
        if (escaped) (top.escaped ??= new Set()).add(top.values.length);
        top.keys.push(this.pendingKey);
        top.values.push(v);
      }
    };
    this.skipSpace();
    for (;;) {
      // at the start of a value
      if (this.i >= b.length) this.fail();
      const c = b[this.i];
      if (c === 0x7b || c === 0x5b) {
        if (stack.length >= MAX_NESTING_DEPTH) this.fail();
        const coll: JsonObject | JsonValue[] = c === 0x7b ? new JsonObject() : [];
        attach(coll, false);
        stack.push(coll);
        this.i++;
        this.skipSpace();
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (b[this.i] === close) {
          this.i++;
          stack.pop();
        } else {
          if (c === 0x7b) this.key();
          continue;
        }
      } else {
        const v = this.scalar() as JsonValue;
        attach(v, typeof v === 'string' && this.lastEscaped);
      }
      // after a value: close collections or move to the next member
      for (;;) {
        this.skipSpace();
        const top = stack[stack.length - 1];
        if (top === undefined) {
          if (this.i !== b.length) this.fail();
          return root as JsonValue;
        }
        const isArray = Array.isArray(top);
        if (b[this.i] === 0x2c) {
          this.i++;
          this.skipSpace();
          if (!isArray) this.key();
          break;
        }
        if (b[this.i] !== (isArray ? 0x5d : 0x7d)) this.fail();
        this.i++;
        stack.pop();
      }
    }
  }

  /** `"key"` `:` and the space before the value. */
  key(): void {
    if (this.b[this.i] !== 0x22) this.fail();
    this.pendingKey = this.string();
    this.skipSpace();
    if (this.b[this.i] !== 0x3a) this.fail();
    this.i++;
    this.skipSpace();
  }
}

/** Parses JSON bytes like Go; throws JsonSyntaxError where Go's scanner reports a syntax error. */
export function parseJsonTree(bytes: Uint8Array): JsonValue {
  return new Parser(bytes).document();
}

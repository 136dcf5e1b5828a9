/**
 * libyaml's reader (readerc.go): encoding detection, UTF-8/UTF-16 decoding and the character
 * checks. The whole input is decoded up front; when it holds an invalid sequence, `InputWindow`
 * replays libyaml's 512-byte buffering so the error surfaces at the same scanner position.
 */
import { YamlSyntaxError } from './errors';

/** Zero padding after the text: libyaml reads NULs past the end, and the v3 comment scan peeks up to 512. */
const PADDING = 1040;
const RAW_BUFFER_SIZE = 512;

interface ReaderFault {
  readonly problem: string;
  /** Bytes the raw window must hold before libyaml can judge the faulty sequence. */
  readonly need: number;
}

export interface SourceText {
  /** Code points after the encoding's BOM, then zero padding (libyaml's NUL terminator). */
  readonly cps: Int32Array;
  /** Number of characters decoded before the end or the first invalid sequence. */
  readonly length: number;
  readonly text: string;
  /** Character index -> UTF-16 offset in `text`; null when every character is one code unit. */
  readonly offsets: Int32Array | null;
  /**
   * Set when the input has an invalid sequence (`length` characters precede it) or holds a U+FEFF:
   * then libyaml's buffer refills are replayed, since they decide where the error surfaces and
   * what the start of the buffer holds (see `InputWindow`).
   */
  readonly window: InputWindow | null;
}

/** The characters libyaml accepts (readerc.go's range check). */
function allowed(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

const CONTROL = 'control characters are not allowed';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

interface Decoded {
  cps: Int32Array;
  count: number;
  text: string;
  /** Set when some character is outside the BMP (two UTF-16 code units). */
  astral: boolean;
  bom: number;
  total: number;
  fault: ReaderFault | null;
  /** Some decoded character is U+FEFF (a BOM that libyaml does not strip). */
  feff: boolean;
  /** Byte width of a character in the raw encoding (for the buffering replay). */
  unitBytes: (cp: number) => number;
}

/**
 * One code-point buffer reused across parses (parsing is synchronous and values are copied out as
 * strings), so a parse does not allocate and zero a fresh typed array.
 */
let shared = new Int32Array(8192);
function codePoints(capacity: number): Int32Array {
  if (shared.length < capacity + PADDING) shared = new Int32Array(Math.max(capacity + PADDING, shared.length * 2));
  return shared;
}

/** The same for the bytes of an ASCII string on their way to `shared`: Buffer.from costs more than the copy. */
let sharedBytes = new Uint8Array(8192);
const encoder = new TextEncoder();
function asciiBytes(text: string): Uint8Array {
  if (sharedBytes.length < text.length) sharedBytes = new Uint8Array(Math.max(text.length, sharedBytes.length * 2));
  return sharedBytes.subarray(0, encoder.encodeInto(text, sharedBytes).written);
}

/** Zeroes the padding after the text (libyaml's NUL terminator). */
function terminate(cps: Int32Array, count: number): void {
  cps.fill(0, count, count + PADDING);
}

const utf8Width = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
const utf16Width = (cp: number): number => (cp < 0x10000 ? 2 : 4);

/** A character other than those libyaml takes as is (printable ASCII, tab, line breaks). */
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;

function decodeString(input: string): Decoded {
  const bom = input.charCodeAt(0) === 0xfeff ? 1 : 0;
  const cps = codePoints(input.length);
  if (bom === 0 && !NOT_PLAIN_ASCII.test(input)) {
    // the common case: one native check and one native copy instead of a loop per character
    cps.set(asciiBytes(input));
    return { cps, count: input.length, text: input, astral: false, bom: 0, total: 0, fault: null, feff: false, unitBytes: utf8Width };
  }
  let count = 0;
  let fault: ReaderFault | null = null;
  let end = input.length;
  let lone = false;
  let astral = false;
  let feff = false;
  for (let i = bom; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      cps[count++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = input.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        cps[count++] = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        astral = true;
        i++;
      } else {
        cps[count++] = 0xfffd; // what the UTF-8 encoding of a lone surrogate becomes
        lone = true;
      }
      continue;
    }
    if (!allowed(c)) {
      fault = { problem: CONTROL, need: utf8Width(c) };
      end = i;
      break;
    }
    if (c === 0xfeff) feff = true;
    cps[count++] = c;
  }
  let text = input.slice(bom, end);
  if (lone) text = text.replace(LONE_SURROGATE, '\ufffd');
  const total = fault || feff ? Buffer.byteLength(input, 'utf8') : 0;
  return { cps, count, text, astral, bom: bom * 3, total, fault, feff, unitBytes: utf8Width };
}

function decodeUtf8(bytes: Uint8Array, start: number): Decoded {
  const n = bytes.length;
  const cps = codePoints(n - start);
  // Printable ASCII is copied in bulk; the character-by-character decoder takes over after it.
  let i = start;
  while (i < n) {
    const o = bytes[i];
    if ((o < 0x20 && o !== 0x09 && o !== 0x0a && o !== 0x0d) || o >= 0x7f) break;
    i++;
  }
  cps.set(bytes.subarray(start, i));
  let count = i - start;
  let fault: ReaderFault | null = null;
  let ascii = true;
  let astral = false;
  let feff = false;
  while (i < n) {
    const o = bytes[i];
    if (o < 0x80) {
      if (o < 0x20 && o !== 0x09 && o !== 0x0a && o !== 0x0d) {
        fault = { problem: CONTROL, need: 1 };
        break;
      }
      if (o === 0x7f) {
        fault = { problem: CONTROL, need: 1 };
        break;
      }
      cps[count++] = o;
      i++;
      continue;
    }
    ascii = false;
    const width = (o & 0xe0) === 0xc0 ? 2 : (o & 0xf0) === 0xe0 ? 3 : (o & 0xf8) === 0xf0 ? 4 : 0;
    if (width === 0) {
      fault = { problem: 'invalid leading UTF-8 octet', need: 1 };
      break;
    }
    if (i + width > n) {
      fault = { problem: 'incomplete UTF-8 octet sequence', need: width };
      break;
    }
    let value = width === 2 ? o & 0x1f : width === 3 ? o & 0x0f : o & 0x07;
    let bad = '';
    for (let k = 1; k < width; k++) {
      const t = bytes[i + k];
      if ((t & 0xc0) !== 0x80) {
        bad = 'invalid trailing UTF-8 octet';
        break;
      }
      value = (value << 6) + (t & 0x3f);
    }
    if (!bad) {
      if ((width === 2 && value < 0x80) || (width === 3 && value < 0x800) || (width === 4 && value < 0x10000)) {
        bad = 'invalid length of a UTF-8 sequence';
      } else if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
        bad = 'invalid Unicode character';
      } else if (!allowed(value)) {
        bad = CONTROL;
      }
    }
    if (bad) {
      fault = { problem: bad, need: width };
      break;
    }
    if (value >= 0x10000) astral = true;
    else if (value === 0xfeff) feff = true;
    cps[count++] = value;
    i += width;
  }
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start);
  const text = ascii ? body.toString('latin1') : body.toString('utf8');
  return { cps, count, text, astral, bom: start, total: n, fault, feff, unitBytes: utf8Width };
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): Decoded {
  const n = bytes.length;
  const lo = littleEndian ? 0 : 1;
  const hi = 1 - lo;
  const cps = codePoints(n >> 1);
  let count = 0;
  let i = 2;
  let fault: ReaderFault | null = null;
  let astral = false;
  let feff = false;
  while (i < n) {
    if (n - i < 2) {
      fault = { problem: 'incomplete UTF-16 character', need: 2 };
      break;
    }
    let value = bytes[i + lo] + (bytes[i + hi] << 8);
    let width = 2;
    if ((value & 0xfc00) === 0xdc00) {
      fault = { problem: 'unexpected low surrogate area', need: 2 };
      break;
    }
    if ((value & 0xfc00) === 0xd800) {
      width = 4;
      if (n - i < 4) {
        fault = { problem: 'incomplete UTF-16 surrogate pair', need: 4 };
        break;
      }
      const value2 = bytes[i + lo + 2] + (bytes[i + hi + 2] << 8);
      if ((value2 & 0xfc00) !== 0xdc00) {
        fault = { problem: 'expected low surrogate area', need: 4 };
        break;
      }
      value = 0x10000 + ((value & 0x3ff) << 10) + (value2 & 0x3ff);
      astral = true;
    }
    if (!allowed(value)) {
      fault = { problem: CONTROL, need: width };
      break;
    }
    if (value === 0xfeff) feff = true;
    cps[count++] = value;
    i += width;
  }
  let text = '';
  for (let k = 0; k < count; k += 4096) text += String.fromCodePoint(...cps.subarray(k, Math.min(count, k + 4096)));
  return { cps, count, text, astral, bom: 2, total: n, fault, feff, unitBytes: utf16Width };
}

/** Decodes the stream as ct hands it to go-yaml (an empty input becomes a single line break). */
export function readSource(input: string | Uint8Array): SourceText {
  let d: Decoded;
  if (typeof input === 'string') {
    d = decodeString(input.length === 0 ? '\n' : input);
  } else {
    const bytes = input.length === 0 ? new Uint8Array([0x0a]) : input;
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) d = decodeUtf16(bytes, true);
    else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) d = decodeUtf16(bytes, false);
    else {
      const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      d = decodeUtf8(bytes, bom);
    }
  }
  const { cps, count } = d;
  terminate(cps, count);
  let offsets: Int32Array | null = null;
  if (d.astral) {
    offsets = new Int32Array(count + PADDING);
    let off = 0;
    for (let k = 0; k < count; k++) {
      offsets[k] = off;
      off += cps[k] >= 0x10000 ? 2 : 1;
    }
    offsets.fill(off, count);
  }
  let window: InputWindow | null = null;
  if (d.fault || d.feff) {
    const raw = new Int32Array(count + 1);
    raw[0] = d.bom;
    for (let k = 0; k < count; k++) raw[k + 1] = raw[k] + d.unitBytes(cps[k]);
    window = new InputWindow(raw, count, d.total, d.bom, d.fault);
  }
  return { cps, length: count, text: d.text, offsets, window };
}

/**
 * Replays libyaml's buffer refills (512 raw bytes at a time, decoded whole) to decide when the
 * scanner first needs characters that lie past the invalid sequence.
 */
export class InputWindow {
  /** Characters (plus NULs at EOF) libyaml has decoded so far. */
  avail = 0;
  private decoded = 0;
  private nuls = 0;
  private rawPos = 0;
  private bufStart = 0;
  private rawEnd = 0;
  private eof = false;
  private encodingKnown = false;

  constructor(
    private readonly raw: Int32Array,
    private readonly count: number,
    private readonly total: number,
    private readonly bom: number,
    /** The invalid sequence after the `count` characters; null when the input is valid to its end. */
    private readonly fault: ReaderFault | null,
  ) {}

  /** libyaml's `yaml_parser_update_buffer(parser, length)` with `pos` characters consumed. */
  fill(pos: number, length: number): void {
    if (this.decoded + this.nuls - pos >= length) return;
    if (!this.encodingKnown) {
      while (!this.eof && this.rawEnd - this.rawPos < 3) this.updateRaw();
      this.rawPos += this.bom;
      this.encodingKnown = true;
    }
    let first = true;
    while (this.decoded + this.nuls - pos < length) {
      if (!first || this.rawPos === this.rawEnd) this.updateRaw();
      first = false;
      while (this.rawPos !== this.rawEnd) {
        const left = this.rawEnd - this.rawPos;
        if (this.decoded === this.count) {
          const fault = this.fault as ReaderFault; // without one, the raw bytes end with the characters
          if (left < fault.need && !this.eof) break;
          throw new YamlSyntaxError('reader', fault.problem, 0, 0);
        }
        const w = this.raw[this.decoded + 1] - this.raw[this.decoded];
        if (w > left) break;
        this.rawPos += w;
        this.decoded++;
      }
      if (this.eof) {
        this.nuls++;
        break;
      }
    }
    this.avail = this.decoded + this.nuls;
  }

  private updateRaw(): void {
    if (this.rawPos === this.bufStart && this.rawEnd - this.bufStart === RAW_BUFFER_SIZE) return;
    if (this.eof) return;
    this.bufStart = this.rawPos;
    if (this.rawEnd === this.total) this.eof = true;
    else this.rawEnd = Math.min(this.total, this.bufStart + RAW_BUFFER_SIZE);
  }
}

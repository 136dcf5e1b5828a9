/**
 * Go 1.19 compress/flate at BestCompression (level 9), byte for byte: deflate.go's lazy-matching
 * compressor (hash chains, `findMatch`, token blocks of 1<<14) and huffman_bit_writer.go's
 * `writeBlock` (smallest of fixed, dynamic and stored), then the empty final stored block that
 * `Close` writes. Butane gzips data URL payloads with it (docs/butane.md §5.1), and its length
 * decides whether gzip wins, so zlib's different stream will not do.
 */
import { FIXED_LITERAL_ENCODING, FIXED_OFFSET_ENCODING, HuffmanEncoder, MAX_NUM_LIT } from './flate-huffman';

const WINDOW_SIZE = 1 << 15;
const WINDOW_MASK = WINDOW_SIZE - 1;
const MIN_MATCH_LENGTH = 4;
const MAX_MATCH_LENGTH = 258;
const BASE_MATCH_LENGTH = 3;
const BASE_MATCH_OFFSET = 1;
const MAX_FLATE_BLOCK_TOKENS = 1 << 14;
const MAX_STORE_BLOCK_SIZE = 65535;
const HASH_BITS = 17;
const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;
const MAX_HASH_OFFSET = 1 << 24;
const HASH_MUL = 0x1e35a7bd;
const MAX_INT32 = 0x7fffffff;

// level 9 of deflate.go's `levels` (fastSkipHashing is skipNever, so only the lazy path exists)
const GOOD = 32;
const LAZY = 258;
const NICE = 258;
const CHAIN = 4096;

// token.go: literal tokens are the byte, matches are matchType | xlength<<22 | xoffset
const MATCH_TYPE = 1 << 30;
const LENGTH_SHIFT = 22;
const OFFSET_MASK = (1 << LENGTH_SHIFT) - 1;
const END_BLOCK_MARKER = 256;

const OFFSET_CODE_COUNT = 30;
const CODEGEN_CODE_COUNT = 19;
const LENGTH_CODES_START = 257;
const BAD_CODE = 255;

const LENGTH_EXTRA_BITS = Uint8Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
);
const LENGTH_BASE = Uint16Array.of(
  0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 255,
);
const OFFSET_EXTRA_BITS = Uint8Array.of(
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
);
const OFFSET_BASE = Uint16Array.of(
  0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0006, 0x0008, 0x000c, 0x0010, 0x0018, 0x0020, 0x0030, 0x0040, 0x0060,
  0x0080, 0x00c0, 0x0100, 0x0180, 0x0200, 0x0300, 0x0400, 0x0600, 0x0800, 0x0c00, 0x1000, 0x1800, 0x2000, 0x3000,
  0x4000, 0x6000,
);
const CODEGEN_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** The code whose base is the largest not above each value: token.go's lengthCodes/offsetCode. */
function codeTable(base: Uint16Array, size: number): Uint8Array {
  const table = new Uint8Array(size);
  let code = 0;
  for (let v = 0; v < size; v++) {
    while (code + 1 < base.length && base[code + 1] <= v) code++;
    table[v] = code;
  }
  return table;
}
const LENGTH_CODES = codeTable(LENGTH_BASE, 256);
const OFFSET_CODES = codeTable(OFFSET_BASE, WINDOW_SIZE);

/** huffman_bit_writer.go: bits go out least significant first into a growing byte buffer. */
class HuffmanBitWriter {
  out: Uint8Array = new Uint8Array(1024);
  outLen = 0;
  private bits = 0;
  private nbits = 0;

  private readonly literalFreq = new Int32Array(MAX_NUM_LIT);
  private readonly offsetFreq = new Int32Array(OFFSET_CODE_COUNT);
  private readonly codegenFreq = new Int32Array(CODEGEN_CODE_COUNT);
  private readonly codegen = new Uint8Array(MAX_NUM_LIT + OFFSET_CODE_COUNT + 1);
  private readonly literalEncoding = new HuffmanEncoder(MAX_NUM_LIT);
  private readonly offsetEncoding = new HuffmanEncoder(OFFSET_CODE_COUNT);
  private readonly codegenEncoding = new HuffmanEncoder(CODEGEN_CODE_COUNT);

  reset(expectedSize: number): void {
    // reuse the buffer, but do not keep a huge one alive after a large payload
    if (this.out.length < expectedSize || this.out.length > Math.max(4 * expectedSize, 1 << 20)) {
      this.out = new Uint8Array(expectedSize);
    }
    this.outLen = 0;
    this.bits = 0;
    this.nbits = 0;
  }

  private ensure(extra: number): void {
    if (this.outLen + extra <= this.out.length) return;
    const grown = new Uint8Array(Math.max(this.out.length * 2, this.outLen + extra));
    grown.set(this.out.subarray(0, this.outLen));
    this.out = grown;
  }

  /** `writeBits` / `writeCode`: `value` has at most 16 significant bits. */
  private writeBits(value: number, nb: number): void {
    this.bits |= value << this.nbits;
    this.nbits += nb;
    if (this.nbits >= 16) {
      this.ensure(2);
      this.out[this.outLen++] = this.bits & 0xff;
      this.out[this.outLen++] = (this.bits >>> 8) & 0xff;
      this.bits >>>= 16;
      this.nbits -= 16;
    }
  }

  /** `flush`: pad the pending bits to a whole byte. */
  flush(): void {
    this.ensure(3);
    while (this.nbits > 0) {
      this.out[this.outLen++] = this.bits & 0xff;
      this.bits >>>= 8;
      this.nbits = Math.max(0, this.nbits - 8);
    }
    this.bits = 0;
  }

  /** `writeBytes` after a stored header (always byte-aligned there). */
  private writeBytes(src: Uint8Array, start: number, end: number): void {
    this.flush();
    this.ensure(end - start);
    this.out.set(src.subarray(start, end), this.outLen);
    this.outLen += end - start;
  }

  writeStoredHeader(length: number, isEof: boolean): void {
    this.writeBits(isEof ? 1 : 0, 3);
    this.flush();
    this.writeBits(length, 16);
    this.writeBits(~length & 0xffff, 16);
  }

  /** `generateCodegen`: run-length code of the concatenated literal and offset code lengths. */
  private generateCodegen(numLiterals: number, numOffsets: number): void {
    const { codegen, codegenFreq } = this;
    codegenFreq.fill(0);
    codegen.set(this.literalEncoding.len.subarray(0, numLiterals));
    codegen.set(this.offsetEncoding.len.subarray(0, numOffsets), numLiterals);
    codegen[numLiterals + numOffsets] = BAD_CODE;

    let size = codegen[0];
    let count = 1;
    let outIndex = 0;
    for (let inIndex = 1; size !== BAD_CODE; inIndex++) {
      const nextSize = codegen[inIndex];
      if (nextSize === size) {
        count++;
        continue;
      }
      if (size !== 0) {
        codegen[outIndex++] = size;
        codegenFreq[size]++;
        count--;
        while (count >= 3) {
          const n = Math.min(6, count);
          codegen[outIndex++] = 16;
          codegen[outIndex++] = n - 3;
          codegenFreq[16]++;
          count -= n;
        }
      } else {
        while (count >= 11) {
          const n = Math.min(138, count);
          codegen[outIndex++] = 18;
          codegen[outIndex++] = n - 11;
          codegenFreq[18]++;
          count -= n;
        }
        if (count >= 3) {
          codegen[outIndex++] = 17;
          codegen[outIndex++] = count - 3;
          codegenFreq[17]++;
          count = 0;
        }
      }
      for (count--; count >= 0; count--) {
        codegen[outIndex++] = size;
        codegenFreq[size]++;
      }
      size = nextSize;
      count = 1;
    }
    codegen[outIndex] = BAD_CODE;
  }

  /** `dynamicSize`: [bits, number of code length codes sent]. */
  private dynamicSize(extraBits: number): [number, number] {
    let numCodegens = CODEGEN_CODE_COUNT;
    while (numCodegens > 4 && this.codegenFreq[CODEGEN_ORDER[numCodegens - 1]] === 0) numCodegens--;
    const header =
      3 + 5 + 5 + 4 + 3 * numCodegens +
      this.codegenEncoding.bitLength(this.codegenFreq) +
      this.codegenFreq[16] * 2 + this.codegenFreq[17] * 3 + this.codegenFreq[18] * 7;
    const size =
      header +
      this.literalEncoding.bitLength(this.literalFreq) +
      this.offsetEncoding.bitLength(this.offsetFreq) +
      extraBits;
    return [size, numCodegens];
  }

  private fixedSize(extraBits: number): number {
    return (
      3 + FIXED_LITERAL_ENCODING.bitLength(this.literalFreq) + FIXED_OFFSET_ENCODING.bitLength(this.offsetFreq) + extraBits
    );
  }

  private writeDynamicHeader(numLiterals: number, numOffsets: number, numCodegens: number, isEof: boolean): void {
    this.writeBits(isEof ? 5 : 4, 3);
    this.writeBits(numLiterals - 257, 5);
    this.writeBits(numOffsets - 1, 5);
    this.writeBits(numCodegens - 4, 4);
    const cg = this.codegenEncoding;
    for (let i = 0; i < numCodegens; i++) this.writeBits(cg.len[CODEGEN_ORDER[i]], 3);
    const { codegen } = this;
    for (let i = 0; ; ) {
      const codeWord = codegen[i++];
      if (codeWord === BAD_CODE) break;
      this.writeBits(cg.code[codeWord], cg.len[codeWord]);
      if (codeWord === 16) this.writeBits(codegen[i++], 2);
      else if (codeWord === 17) this.writeBits(codegen[i++], 3);
      else if (codeWord === 18) this.writeBits(codegen[i++], 7);
    }
  }

  /** `indexTokens`: symbol frequencies and the two dynamic codes; returns [numLiterals, numOffsets]. */
  private indexTokens(tokens: Int32Array, count: number): [number, number] {
    const { literalFreq, offsetFreq } = this;
    literalFreq.fill(0);
    offsetFreq.fill(0);
    for (let i = 0; i < count; i++) {
      const t = tokens[i];
      if (t < MATCH_TYPE) {
        literalFreq[t]++;
        continue;
      }
      literalFreq[LENGTH_CODES_START + LENGTH_CODES[(t - MATCH_TYPE) >>> LENGTH_SHIFT]]++;
      offsetFreq[OFFSET_CODES[t & OFFSET_MASK]]++;
    }
    let numLiterals = MAX_NUM_LIT;
    while (literalFreq[numLiterals - 1] === 0) numLiterals--;
    let numOffsets = OFFSET_CODE_COUNT;
    while (numOffsets > 0 && offsetFreq[numOffsets - 1] === 0) numOffsets--;
    if (numOffsets === 0) {
      // a dynamic header needs at least one offset code
      offsetFreq[0] = 1;
      numOffsets = 1;
    }
    this.literalEncoding.generate(literalFreq, MAX_NUM_LIT, 15);
    this.offsetEncoding.generate(offsetFreq, OFFSET_CODE_COUNT, 15);
    return [numLiterals, numOffsets];
  }

  /**
   * `writeBlock(tokens, false, input)`: `tokens[count]` must have room for the end marker.
   * `input` is window[inputStart:inputEnd], or absent (inputStart < 0) when the block's bytes
   * already left the window, which rules out a stored block.
   */
  writeBlock(tokens: Int32Array, count: number, window: Uint8Array, inputStart: number, inputEnd: number): void {
    tokens[count++] = END_BLOCK_MARKER;
    const [numLiterals, numOffsets] = this.indexTokens(tokens, count);

    const inputLength = inputEnd - inputStart;
    const storable = inputStart >= 0 && inputLength <= MAX_STORE_BLOCK_SIZE;
    const storedSize = storable ? (inputLength + 5) * 8 : 0;
    let extraBits = 0;
    if (storable) {
      for (let lengthCode = LENGTH_CODES_START + 8; lengthCode < numLiterals; lengthCode++) {
        extraBits += this.literalFreq[lengthCode] * LENGTH_EXTRA_BITS[lengthCode - LENGTH_CODES_START];
      }
      for (let offsetCode = 4; offsetCode < numOffsets; offsetCode++) {
        extraBits += this.offsetFreq[offsetCode] * OFFSET_EXTRA_BITS[offsetCode];
      }
    }

    let size = this.fixedSize(extraBits);
    this.generateCodegen(numLiterals, numOffsets);
    this.codegenEncoding.generate(this.codegenFreq, CODEGEN_CODE_COUNT, 7);
    const [dynamicSize, numCodegens] = this.dynamicSize(extraBits);
    let literalEncoding = FIXED_LITERAL_ENCODING;
    let offsetEncoding = FIXED_OFFSET_ENCODING;
    if (dynamicSize < size) {
      size = dynamicSize;
      literalEncoding = this.literalEncoding;
      offsetEncoding = this.offsetEncoding;
    }

    if (storable && storedSize < size) {
      this.writeStoredHeader(inputLength, false);
      this.writeBytes(window, inputStart, inputEnd);
      return;
    }
    if (literalEncoding === FIXED_LITERAL_ENCODING) {
      this.writeBits(2, 3);
    } else {
      this.writeDynamicHeader(numLiterals, numOffsets, numCodegens, false);
    }
    this.writeTokens(tokens, count, literalEncoding, offsetEncoding);
  }

  private writeTokens(tokens: Int32Array, count: number, lit: HuffmanEncoder, off: HuffmanEncoder): void {
    for (let i = 0; i < count; i++) {
      const t = tokens[i];
      if (t < MATCH_TYPE) {
        this.writeBits(lit.code[t], lit.len[t]);
        continue;
      }
      const length = (t - MATCH_TYPE) >>> LENGTH_SHIFT;
      const lengthCode = LENGTH_CODES[length];
      this.writeBits(lit.code[lengthCode + LENGTH_CODES_START], lit.len[lengthCode + LENGTH_CODES_START]);
      const extraLengthBits = LENGTH_EXTRA_BITS[lengthCode];
      if (extraLengthBits > 0) this.writeBits(length - LENGTH_BASE[lengthCode], extraLengthBits);
      const offset = t & OFFSET_MASK;
      const offsetCode = OFFSET_CODES[offset];
      this.writeBits(off.code[offsetCode], off.len[offsetCode]);
      const extraOffsetBits = OFFSET_EXTRA_BITS[offsetCode];
      if (extraOffsetBits > 0) this.writeBits(offset - OFFSET_BASE[offsetCode], extraOffsetBits);
    }
  }
}

/** `hash4` of window[i:i+4]. */
function hash4(w: Uint8Array, i: number): number {
  const word = (w[i] << 24) | (w[i + 1] << 16) | (w[i + 2] << 8) | w[i + 3];
  return Math.imul(word, HASH_MUL) >>> (32 - HASH_BITS);
}

/** deflate.go's `compressor` for levels 4-9, fixed to level 9. */
class Level9Compressor {
  private readonly w = new HuffmanBitWriter();
  private readonly window = new Uint8Array(2 * WINDOW_SIZE);
  private readonly hashHead = new Uint32Array(HASH_SIZE);
  private readonly hashPrev = new Uint32Array(WINDOW_SIZE);
  private readonly tokens = new Int32Array(MAX_FLATE_BLOCK_TOKENS + 1);
  private tokenCount = 0;
  private chainHead = -1;
  private hashOffset = 1;
  private index = 0;
  private windowEnd = 0;
  private blockStart = 0;
  private byteAvailable = false;
  private sync = false;
  private length = MIN_MATCH_LENGTH - 1;
  private offset = 0;
  private maxInsertIndex = 0;
  /** Whether the window slid since the last reset (then the tables hold more than the window shows). */
  private windowShifted = false;

  /** Go's NewWriter, one Write of `data`, then Close: the raw deflate stream. */
  compress(data: Uint8Array): Uint8Array {
    this.reset(data.length);
    let pos = 0;
    while (pos < data.length) {
      this.deflate();
      pos += this.fillDeflate(data, pos);
    }
    this.sync = true;
    this.deflate();
    this.w.writeStoredHeader(0, true);
    this.w.flush();
    return this.w.out.slice(0, this.w.outLen);
  }

  /**
   * Back to a fresh compressor's state. Zeroing 640 KiB of tables per call would dominate small
   * payloads, so when the window never shifted only the entries the last input touched are cleared.
   */
  private reset(inputLength: number): void {
    if (!this.windowShifted && this.windowEnd <= 16384) {
      for (let i = 0; i + MIN_MATCH_LENGTH <= this.windowEnd; i++) this.hashHead[hash4(this.window, i) & HASH_MASK] = 0;
      this.hashPrev.fill(0, 0, this.windowEnd);
    } else {
      this.hashHead.fill(0);
      this.hashPrev.fill(0);
    }
    this.w.reset(Math.min(inputLength, 1 << 20) + 64);
    this.tokenCount = 0;
    this.chainHead = -1;
    this.hashOffset = 1;
    this.index = 0;
    this.windowEnd = 0;
    this.blockStart = 0;
    this.byteAvailable = false;
    this.sync = false;
    this.length = MIN_MATCH_LENGTH - 1;
    this.offset = 0;
    this.maxInsertIndex = 0;
    this.windowShifted = false;
  }

  /** `fillDeflate`: slide the window by 32 KiB when needed, then copy in what fits. */
  private fillDeflate(data: Uint8Array, pos: number): number {
    if (this.index >= 2 * WINDOW_SIZE - (MIN_MATCH_LENGTH + MAX_MATCH_LENGTH)) {
      this.window.copyWithin(0, WINDOW_SIZE, 2 * WINDOW_SIZE);
      this.windowShifted = true;
      this.index -= WINDOW_SIZE;
      this.windowEnd -= WINDOW_SIZE;
      this.blockStart = this.blockStart >= WINDOW_SIZE ? this.blockStart - WINDOW_SIZE : MAX_INT32;
      this.hashOffset += WINDOW_SIZE;
      if (this.hashOffset > MAX_HASH_OFFSET) this.rebaseHashes();
    }
    const n = Math.min(data.length - pos, this.window.length - this.windowEnd);
    this.window.set(data.subarray(pos, pos + n), this.windowEnd);
    this.windowEnd += n;
    return n;
  }

  /** Keeps the stored chain positions within uint32 after 16 MiB of input. */
  private rebaseHashes(): void {
    const delta = this.hashOffset - 1;
    this.hashOffset -= delta;
    this.chainHead -= delta;
    for (const table of [this.hashPrev, this.hashHead]) {
      for (let i = 0; i < table.length; i++) table[i] = table[i] > delta ? table[i] - delta : 0;
    }
  }

  private writeBlock(index: number): void {
    if (index > 0) {
      const hasWindow = this.blockStart <= index;
      this.w.writeBlock(this.tokens, this.tokenCount, this.window, hasWindow ? this.blockStart : -1, index);
      this.blockStart = index;
    }
    this.tokenCount = 0;
  }

  /** `insertHash`: chain window[i:i+4] into the hash table; returns the previous head. */
  private insertHash(i: number): number {
    const h = hash4(this.window, i) & HASH_MASK;
    const previous = this.hashHead[h];
    this.hashPrev[i & WINDOW_MASK] = previous;
    this.hashHead[h] = i + this.hashOffset;
    return previous;
  }

  /** `deflate` with level 9's lazy matching. */
  private deflate(): void {
    if (this.windowEnd - this.index < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH && !this.sync) return;
    const window = this.window;
    this.maxInsertIndex = this.windowEnd - (MIN_MATCH_LENGTH - 1);

    for (;;) {
      const lookahead = this.windowEnd - this.index;
      if (lookahead < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH) {
        if (!this.sync) break;
        if (lookahead === 0) {
          if (this.byteAvailable) {
            this.tokens[this.tokenCount++] = window[this.index - 1];
            this.byteAvailable = false;
          }
          if (this.tokenCount > 0) this.writeBlock(this.index);
          break;
        }
      }
      if (this.index < this.maxInsertIndex) this.chainHead = this.insertHash(this.index);
      const prevLength = this.length;
      const prevOffset = this.offset;
      this.length = MIN_MATCH_LENGTH - 1;
      this.offset = 0;
      const minIndex = Math.max(this.index - WINDOW_SIZE, 0);

      if (this.chainHead - this.hashOffset >= minIndex && lookahead > prevLength && prevLength < LAZY) {
        this.findMatch(this.index, this.chainHead - this.hashOffset, MIN_MATCH_LENGTH - 1, lookahead);
      }
      if (prevLength >= MIN_MATCH_LENGTH && this.length <= prevLength) {
        // the previous position's match is at least as long: emit it
        this.tokens[this.tokenCount++] =
          MATCH_TYPE + ((prevLength - BASE_MATCH_LENGTH) << LENGTH_SHIFT) + (prevOffset - BASE_MATCH_OFFSET);
        const newIndex = this.index + prevLength - 1;
        let index = this.index + 1;
        for (; index < newIndex; index++) {
          if (index < this.maxInsertIndex) this.insertHash(index);
        }
        this.index = index;
        this.byteAvailable = false;
        this.length = MIN_MATCH_LENGTH - 1;
        if (this.tokenCount === MAX_FLATE_BLOCK_TOKENS) this.writeBlock(this.index);
      } else {
        if (this.byteAvailable) {
          this.tokens[this.tokenCount++] = window[this.index - 1];
          if (this.tokenCount === MAX_FLATE_BLOCK_TOKENS) this.writeBlock(this.index);
        }
        this.index++;
        this.byteAvailable = true;
      }
    }
  }

  /**
   * `findMatch`: walk at most CHAIN candidates (a quarter once the match is GOOD) for a match longer
   * than `prevLength`; a 4-byte match only counts within 4096 bytes. Sets length/offset when found.
   */
  private findMatch(pos: number, prevHead: number, prevLength: number, lookahead: number): void {
    const w = this.window;
    const minMatchLook = Math.min(MAX_MATCH_LENGTH, lookahead);
    const nice = Math.min(NICE, minMatchLook);
    let tries = prevLength >= GOOD ? CHAIN >> 2 : CHAIN;
    let length = prevLength;
    let wEnd = w[pos + length];
    const minIndex = pos - WINDOW_SIZE;

    for (let i = prevHead; tries > 0; tries--) {
      if (wEnd === w[i + length]) {
        let n = 0;
        while (n < minMatchLook && w[i + n] === w[pos + n]) n++;
        if (n > length && (n > MIN_MATCH_LENGTH || pos - i <= 4096)) {
          length = n;
          this.length = n;
          this.offset = pos - i;
          if (n >= nice) break;
          wEnd = w[pos + n];
        }
      }
      if (i === minIndex) break;
      i = this.hashPrev[i & WINDOW_MASK] - this.hashOffset;
      if (i < minIndex || i < 0) break;
    }
  }
}

let shared: Level9Compressor | undefined;

/**
 * Raw deflate stream of `data` exactly as Go 1.19's `flate.NewWriter(w, 9)`, one `Write`, `Close`
 * produce it (ends with the empty final stored block `01 00 00 ff ff`).
 */
export function deflateBestCompression(data: Uint8Array): Uint8Array {
  shared ??= new Level9Compressor();
  return shared.compress(data);
}

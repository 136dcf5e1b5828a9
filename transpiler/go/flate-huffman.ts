/**
 * Go 1.19 compress/flate huffman_code.go: the length-limited Huffman code builder behind
 * `huffmanEncoder.generate`, plus the fixed literal/offset codes. Ties are broken exactly as
 * Go's sorts do (frequency, then literal), so the code lengths and codes match bit for bit.
 */

/** Literal/length alphabet size (`maxNumLit`). */
export const MAX_NUM_LIT = 286;

const MAX_INT32 = 0x7fffffff;
/** `maxBitsLimit`; one spare level so `levels[maxBits + 1]` is addressable as in Go's array. */
const LEVEL_SLOTS = 17;

/** Reverses the low `bitLength` bits of `number` (the code is sent least significant bit first). */
function reverseBits(number: number, bitLength: number): number {
  let reversed = 0;
  for (let i = 0; i < bitLength; i++) {
    reversed = (reversed << 1) | ((number >> i) & 1);
  }
  return reversed;
}

export class HuffmanEncoder {
  /** Bit-reversed code of each symbol. */
  readonly code: Uint16Array;
  /** Code length of each symbol (0 = unused). */
  readonly len: Uint8Array;

  // scratch reused by every generate call (sized for the largest alphabet, plus the sentinel)
  private readonly sortKeys = new Float64Array(MAX_NUM_LIT + 1);
  private readonly listLiteral = new Uint16Array(MAX_NUM_LIT + 1);
  private readonly listFreq = new Int32Array(MAX_NUM_LIT + 1);
  private readonly chunk = new Uint16Array(MAX_NUM_LIT);
  private readonly bitCount = new Int32Array(LEVEL_SLOTS);
  private readonly levelLastFreq = new Int32Array(LEVEL_SLOTS);
  private readonly levelNextCharFreq = new Int32Array(LEVEL_SLOTS);
  private readonly levelNextPairFreq = new Int32Array(LEVEL_SLOTS);
  private readonly levelNeeded = new Int32Array(LEVEL_SLOTS);
  private readonly leafCounts = new Int32Array(LEVEL_SLOTS * LEVEL_SLOTS);

  constructor(size: number) {
    this.code = new Uint16Array(size);
    this.len = new Uint8Array(size);
  }

  /** Total bits for `freq` under this code (`bitLength`). */
  bitLength(freq: Int32Array, count = freq.length): number {
    let total = 0;
    for (let i = 0; i < count; i++) {
      const f = freq[i];
      if (f !== 0) total += f * this.len[i];
    }
    return total;
  }

  /** `generate`: the minimum code for `freq[0:count]` with lengths at most `maxBits`. */
  generate(freq: Int32Array, count: number, maxBits: number): void {
    const { listLiteral, listFreq, sortKeys } = this;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const f = freq[i];
      if (f !== 0) {
        sortKeys[n++] = f * 65536 + i;
      } else {
        this.len[i] = 0;
      }
    }
    if (n <= 2) {
      // Go keeps these in literal order: the keys were pushed in ascending literal order
      for (let i = 0; i < n; i++) {
        const literal = sortKeys[i] % 65536;
        this.code[literal] = i;
        this.len[literal] = 1;
      }
      return;
    }
    // byFreq: frequency, then literal; the combined key sorts the same way
    sortKeys.subarray(0, n).sort();
    for (let i = 0; i < n; i++) {
      const key = sortKeys[i];
      listLiteral[i] = key % 65536;
      listFreq[i] = (key - listLiteral[i]) / 65536;
    }
    const bits = this.bitCounts(n, maxBits);
    this.assignEncodingAndSize(bits, n);
  }

  /**
   * `bitCounts`: how many literals get each code length (package-merge by levels). Fills
   * `bitCount[1..maxBits]` and returns the effective maxBits.
   */
  private bitCounts(n: number, maxBitsIn: number): number {
    const { listFreq, levelLastFreq, levelNextCharFreq, levelNextPairFreq, levelNeeded, leafCounts } = this;
    listFreq[n] = MAX_INT32;
    const maxBits = Math.min(maxBitsIn, n - 1);

    // Go starts from zeroed level records and leaf counts on every call (only levels up to
    // maxBits + 1 are ever read)
    for (let level = 0; level <= maxBits + 1; level++) {
      levelLastFreq[level] = 0;
      levelNextCharFreq[level] = 0;
      levelNextPairFreq[level] = 0;
      levelNeeded[level] = 0;
      const row = level * LEVEL_SLOTS;
      for (let j = 0; j <= maxBits + 1; j++) leafCounts[row + j] = 0;
    }
    for (let level = 1; level <= maxBits; level++) {
      levelLastFreq[level] = listFreq[1];
      levelNextCharFreq[level] = listFreq[2];
      levelNextPairFreq[level] = level === 1 ? MAX_INT32 : listFreq[0] + listFreq[1];
      leafCounts[level * LEVEL_SLOTS + level] = 2;
    }
    levelNeeded[maxBits] = 2 * n - 4;

    let level = maxBits;
    for (;;) {
      if (levelNextPairFreq[level] === MAX_INT32 && levelNextCharFreq[level] === MAX_INT32) {
        // out of leaves and pairs: finish this level for good
        levelNeeded[level] = 0;
        levelNextPairFreq[level + 1] = MAX_INT32;
        level++;
        continue;
      }
      const prevFreq = levelLastFreq[level];
      if (levelNextCharFreq[level] < levelNextPairFreq[level]) {
        const leaves = leafCounts[level * LEVEL_SLOTS + level] + 1;
        levelLastFreq[level] = levelNextCharFreq[level];
        leafCounts[level * LEVEL_SLOTS + level] = leaves;
        levelNextCharFreq[level] = listFreq[leaves];
      } else {
        levelLastFreq[level] = levelNextPairFreq[level];
        const row = level * LEVEL_SLOTS;
        for (let j = 0; j < level; j++) leafCounts[row + j] = leafCounts[row - LEVEL_SLOTS + j];
        levelNeeded[level - 1] = 2;
      }
      if (--levelNeeded[level] === 0) {
        if (level === maxBits) break;
        levelNextPairFreq[level + 1] = (prevFreq + levelLastFreq[level]) | 0;
        level++;
      } else {
        while (levelNeeded[level - 1] > 0) level--;
      }
    }
    if (leafCounts[maxBits * LEVEL_SLOTS + maxBits] !== n) {
      throw new Error('flate: leafCounts[maxBits][maxBits] != n');
    }
    let bits = 1;
    const top = maxBits * LEVEL_SLOTS;
    for (let lvl = maxBits; lvl > 0; lvl--) {
      this.bitCount[bits++] = leafCounts[top + lvl] - leafCounts[top + lvl - 1];
    }
    return maxBits;
  }

  /** `assignEncodingAndSize`: canonical codes, each length's literals taken in literal order. */
  private assignEncodingAndSize(maxBits: number, n: number): void {
    const { chunk, listLiteral } = this;
    let code = 0;
    let remaining = n;
    for (let bits = 0; bits <= maxBits; bits++) {
      code = (code << 1) & 0xffff;
      const count = bits === 0 ? 0 : this.bitCount[bits];
      if (count === 0) continue;
      // the `count` least frequent remaining literals get `bits` bits
      chunk.set(listLiteral.subarray(remaining - count, remaining));
      const sorted = chunk.subarray(0, count).sort();
      for (let i = 0; i < count; i++) {
        const literal = sorted[i];
        this.code[literal] = reverseBits(code, bits);
        this.len[literal] = bits;
        code++;
      }
      remaining -= count;
    }
  }
}

/** `generateFixedLiteralEncoding` (RFC 1951 §3.2.6). */
function fixedLiteralEncoding(): HuffmanEncoder {
  const h = new HuffmanEncoder(MAX_NUM_LIT);
  for (let ch = 0; ch < MAX_NUM_LIT; ch++) {
    let bits: number;
    let size: number;
    if (ch < 144) {
      bits = ch + 48;
      size = 8;
    } else if (ch < 256) {
      bits = ch + 400 - 144;
      size = 9;
    } else if (ch < 280) {
      bits = ch - 256;
      size = 7;
    } else {
      bits = ch + 192 - 280;
      size = 8;
    }
    h.code[ch] = reverseBits(bits, size);
    h.len[ch] = size;
  }
  return h;
}

/** `generateFixedOffsetEncoding`: 30 five-bit codes. */
function fixedOffsetEncoding(): HuffmanEncoder {
  const h = new HuffmanEncoder(30);
  for (let ch = 0; ch < 30; ch++) {
    h.code[ch] = reverseBits(ch, 5);
    h.len[ch] = 5;
  }
  return h;
}

export const FIXED_LITERAL_ENCODING = fixedLiteralEncoding();
export const FIXED_OFFSET_ENCODING = fixedOffsetEncoding();

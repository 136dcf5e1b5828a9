/**
 * Just enough of Go's `bufio.Reader` (4096-byte buffer over a `strings.Reader`) to reproduce
 * go-systemd's unit lexer, whose line-length check depends on how full the buffer is.
 */
import { decodeRune } from './utf8';

const BUFFER_SIZE = 4096;
const UTF_MAX = 4;

/** Go's `io.EOF`, the only read error a string source can produce. */
export const EOF_ERROR = 'EOF';

export class GoBufReader {
  private readonly buf = new Uint8Array(BUFFER_SIZE);
  private r = 0;
  private w = 0;
  private srcPos = 0;
  private eof = false;
  private lastRuneSize = -1;

  constructor(private readonly src: Uint8Array) {}

  buffered(): number {
    return this.w - this.r;
  }

  /** One `Read` from the string source into the free tail of the buffer. */
  private fill(): void {
    if (this.r > 0) {
      this.buf.copyWithin(0, this.r, this.w);
      this.w -= this.r;
      this.r = 0;
    }
    const n = Math.min(BUFFER_SIZE - this.w, this.src.length - this.srcPos);
    if (n === 0) {
      this.eof = true;
      return;
    }
    this.buf.set(this.src.subarray(this.srcPos, this.srcPos + n), this.w);
    this.srcPos += n;
    this.w += n;
  }

  private fullRuneBuffered(): boolean {
    const [r, width] = decodeRune(this.buf.subarray(this.r, this.w), 0);
    // A truncated multi-byte prefix decodes as an error of width 1 but is not yet "full".
    if (width === 0) return false;
    if (r !== 0xfffd || width !== 1) return true;
    const b0 = this.buf[this.r];
    const need = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 1;
    return this.buffered() >= need || need === 1 || !this.isValidPrefix();
  }

  /** Whether the buffered bytes could still grow into a valid rune (Go's `utf8.FullRune` logic). */
  private isValidPrefix(): boolean {
    const b0 = this.buf[this.r];
    if (b0 < 0xc2 || b0 > 0xf4) return false;
    for (let i = this.r + 1; i < this.w; i++) if ((this.buf[i] & 0xc0) !== 0x80) return false;
    return true;
  }

  /** `ReadRune`: [rune, size], or null at EOF. */
  readRune(): [number, number] | null {
    while (this.r + UTF_MAX > this.w && !this.fullRuneBuffered() && !this.eof && this.buffered() < BUFFER_SIZE) {
      this.fill();
    }
    this.lastRuneSize = -1;
    if (this.r === this.w) return null;
    const [rune, size] = decodeRune(this.buf.subarray(this.r, this.w), 0);
    this.r += size;
    this.lastRuneSize = size;
    return [rune, size];
  }

  unreadRune(): void {
    if (this.lastRuneSize < 0 || this.r < this.lastRuneSize) return;
    this.r -= this.lastRuneSize;
    this.lastRuneSize = -1;
  }

  /** `ReadBytes(delim)`: the bytes up to and including delim; `eof` when the source ended first. */
  readBytes(delim: number): { bytes: Uint8Array; eof: boolean } {
    const parts: Uint8Array[] = [];
    let scanned = 0;
    for (;;) {
      const i = this.buf.subarray(this.r + scanned, this.w).indexOf(delim);
      if (i >= 0) {
        const end = this.r + scanned + i + 1;
        parts.push(this.buf.slice(this.r, end));
        this.r = end;
        return { bytes: concat(parts), eof: false };
      }
      if (this.eof) {
        parts.push(this.buf.slice(this.r, this.w));
        this.r = this.w;
        return { bytes: concat(parts), eof: true };
      }
      if (this.buffered() >= BUFFER_SIZE) {
        parts.push(this.buf.slice(this.r, this.w));
        this.r = this.w;
        scanned = 0;
        continue;
      }
      scanned = this.w - this.r;
      this.fill();
    }
  }

  /** `Peek(n)` for n within the buffer size. */
  peek(n: number): Uint8Array {
    while (this.buffered() < n && this.buffered() < BUFFER_SIZE && !this.eof) this.fill();
    return this.buf.subarray(this.r, this.r + Math.min(n, this.buffered()));
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts);
}

/**
 * Just enough of Go's `bufio.Reader` (4096-byte buffer over a `strings.Reader`) to reproduce
 * go-systemd's unit lexer, whose line-length check depends on how full the buffer is.
 *
 * The buffer always holds the next unread bytes of the source, so it is modelled as a window
 * `[pos, filled)` over the source rather than as a copy: `fill` moves `filled` on by what Go's
 * `Read` would copy (after sliding the unread bytes to the front, which `fill` always does).
 */
import { decodeRune } from './utf8';

const BUFFER_SIZE = 4096;
const UTF_MAX = 4;

/** Go's `io.EOF`, the only read error a string source can produce. */
export const EOF_ERROR = 'EOF';

export class GoBufReader {
  /** Next unread byte of the source (Go's `r`, as a source offset). */
  private pos = 0;
  /** End of the bytes read into the buffer so far (Go's `w`, as a source offset). */
  private filled = 0;
  private eof = false;
  private lastRuneSize = -1;

  constructor(private readonly src: Uint8Array) {}

  buffered(): number {
    return this.filled - this.pos;
  }

  /** One `Read` from the string source into the free tail of the buffer. */
  private fill(): void {
    const n = Math.min(BUFFER_SIZE - this.buffered(), this.src.length - this.filled);
    if (n === 0) {
      this.eof = true;
      return;
    }
    this.filled += n;
  }

  private fullRuneBuffered(): boolean {
    const [r, width] = decodeRune(this.src, this.pos, this.filled);
    // A truncated multi-byte prefix decodes as an error of width 1 but is not yet "full".
    if (width === 0) return false;
    if (r !== 0xfffd || width !== 1) return true;
    const b0 = this.src[this.pos];
    const need = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 1;
    return this.buffered() >= need || need === 1 || !this.isValidPrefix();
  }

  /** Whether the buffered bytes could still grow into a valid rune (Go's `utf8.FullRune` logic). */
  private isValidPrefix(): boolean {
    const b0 = this.src[this.pos];
    if (b0 < 0xc2 || b0 > 0xf4) return false;
    for (let i = this.pos + 1; i < this.filled; i++) if ((this.src[i] & 0xc0) !== 0x80) return false;
    return true;
  }

  /** `ReadRune`: the rune, or -1 at EOF. */
  readRune(): number {
    if (this.pos < this.filled && this.src[this.pos] < 0x80) {
      // a buffered ASCII byte is a full rune: no refill, no decoding
      this.lastRuneSize = 1;
      return this.src[this.pos++];
    }
    while (this.pos + UTF_MAX > this.filled && !this.fullRuneBuffered() && !this.eof && this.buffered() < BUFFER_SIZE) {
      this.fill();
    }
    this.lastRuneSize = -1;
    if (this.pos === this.filled) return -1;
    const [rune, size] = decodeRune(this.src, this.pos, this.filled);
    this.pos += size;
    this.lastRuneSize = size;
    return rune;
  }

  unreadRune(): void {
    // Go also refuses when the buffer was slid since (`r < lastRuneSize`); only a read slides it,
    // and every read but ReadRune is followed by no UnreadRune here.
    if (this.lastRuneSize < 0) return;
    this.pos -= this.lastRuneSize;
    this.lastRuneSize = -1;
  }

  /** Source offset of the next unread byte; the bytes a read returned end here. */
  get offset(): number {
    return this.pos;
  }

  /**
   * `ReadBytes(delim)`: reads up to and including delim; true when the source ended first. The
   * bytes read are the source from the offset before the call to `offset` (Go's would be a copy).
   */
  readBytes(delim: number): boolean {
    let scanned = 0;
    for (;;) {
      const i = this.src.indexOf(delim, this.pos + scanned);
      if (i >= 0 && i < this.filled) {
        this.pos = i + 1;
        return false;
      }
      if (this.eof) {
        this.pos = this.filled;
        return true;
      }
      if (this.buffered() >= BUFFER_SIZE) {
        // a full buffer without delim is handed over and reading goes on
        this.pos = this.filled;
        scanned = 0;
        continue;
      }
      scanned = this.buffered();
      this.fill();
    }
  }

  /** `Peek(n)` for n within the buffer size. */
  peek(n: number): Uint8Array {
    while (this.buffered() < n && this.buffered() < BUFFER_SIZE && !this.eof) this.fill();
    return this.src.subarray(this.pos, this.pos + Math.min(n, this.buffered()));
  }
}

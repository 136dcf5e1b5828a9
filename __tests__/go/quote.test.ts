import { isPrint } from '../../transpiler/go/isprint';
import { quoteGo, quoteGoBytes } from '../../transpiler/go/quote';

describe('quoteGo (strconv.Quote)', () => {
  // Go's own strconv quotetests (the `out` column).
  it.each([
    ['\x07\b\f\r\n\t\v', '"\\a\\b\\f\\r\\n\\t\\v"'],
    ['\\', '"\\\\"'],
    ['\u263a', '"☺"'],
    ['\u{10ffff}', '"\\U0010ffff"'],
    ['\x04', '"\\x04"'],
    ['!\u00a0!\u2000!\u3000!', '"!\\u00a0!\\u2000!\\u3000!"'],
  ])('quotes %j like Go', (input, want) => {
    expect(quoteGo(input)).toBe(want);
  });

  it('escapes quotes, DEL and other C0 bytes', () => {
    expect(quoteGo('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteGo('\x7f\x00\x1b')).toBe('"\\x7f\\x00\\x1b"');
  });

  it('keeps printable non-ASCII raw and escapes format characters', () => {
    expect(quoteGo('ünï €')).toBe('"ünï €"');
    expect(quoteGo('\ufeffx')).toBe('"\\ufeffx"');
    expect(quoteGo('a\u200bb')).toBe('"a\\u200bb"');
    expect(quoteGo('\u{1f600}')).toBe('"\u{1f600}"');
  });

  it('uses Unicode 13 (Go 1.19): later additions are not printable', () => {
    // U+1FAE0 (melting face) and U+0870 (Arabic) arrived in Unicode 14.
    expect(quoteGo('\u{1fae0}')).toBe('"\\U0001fae0"');
    expect(quoteGo('\u0870')).toBe('"\\u0870"');
    // U+0378 is unassigned.
    expect(quoteGo('\u0378')).toBe('"\\u0378"');
  });

  it('prints a lone surrogate as U+FFFD, which is printable', () => {
    expect(quoteGo('a\ud800b')).toBe('"a\ufffdb"');
  });

  it('matches the spec etcd example (flag values use %q)', () => {
    expect(quoteGo('{HOSTNAME}=http://{PRIVATE_IPV4}:2380')).toBe('"{HOSTNAME}=http://{PRIVATE_IPV4}:2380"');
    expect(quoteGo('{"Network":"10.1.0.0/16"}\n')).toBe('"{\\"Network\\":\\"10.1.0.0/16\\"}\\n"');
  });
});

describe('quoteGoBytes', () => {
  it('escapes each byte of invalid UTF-8 as \\xNN (Go quotetests)', () => {
    expect(quoteGoBytes(Buffer.from('abc\xffdef', 'latin1'))).toBe('"abc\\xffdef"');
    expect(quoteGoBytes(Buffer.from([0xe2, 0x98]))).toBe('"\\xe2\\x98"');
    expect(quoteGoBytes(Buffer.from([0xed, 0xa0, 0x80]))).toBe('"\\xed\\xa0\\x80"');
  });

  it('prints valid UTF-8 like quoteGo', () => {
    expect(quoteGoBytes(Buffer.from('☺\n', 'utf8'))).toBe('"☺\\n"');
  });
});

describe('isPrint', () => {
  it('agrees with Go on the Latin-1 fast path', () => {
    expect(isPrint(0x20)).toBe(true);
    expect(isPrint(0x7e)).toBe(true);
    expect(isPrint(0x7f)).toBe(false);
    expect(isPrint(0xa0)).toBe(false);
    expect(isPrint(0xa1)).toBe(true);
    expect(isPrint(0xad)).toBe(false);
    expect(isPrint(0xff)).toBe(true);
  });

  it('classifies ranges from Go 1.19 tables', () => {
    expect(isPrint(0x4e00)).toBe(true); // CJK
    expect(isPrint(0x9ffc)).toBe(true); // CJK extended in Unicode 13
    expect(isPrint(0x9ffd)).toBe(false); // added in Unicode 14
    expect(isPrint(0xd800)).toBe(false);
    expect(isPrint(0xe000)).toBe(false); // private use
    expect(isPrint(0xfffd)).toBe(true);
    expect(isPrint(0x10ffff)).toBe(false);
    expect(isPrint(0x2a6dd)).toBe(true); // CJK Ext B end in Unicode 13
    expect(isPrint(0xe0100)).toBe(true); // variation selectors supplement
  });
});

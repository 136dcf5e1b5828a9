import { decodeDataUrl, escapeDataUrl } from '../../transpiler/go/dataurl';

const text = (r: ReturnType<typeof decodeDataUrl>): string => {
  if (r.error !== undefined) throw new Error(r.error);
  return Buffer.from(r.dataUrl.data).toString('utf8');
};

describe('escapeDataUrl (dataurl.Escape)', () => {
  it('keeps RFC 2396 unreserved bytes and %-encodes the rest in upper-case hex', () => {
    expect(escapeDataUrl('hi <&> there')).toBe('hi%20%3C%26%3E%20there');
    expect(escapeDataUrl('#!/bin/sh')).toBe('%23!%2Fbin%2Fsh');
    expect(escapeDataUrl("<tag> & 'x'")).toBe("%3Ctag%3E%20%26%20'x'");
    expect(escapeDataUrl("AZaz09-_.!~*'()")).toBe("AZaz09-_.!~*'()");
    expect(escapeDataUrl('a\nb=c:d%e/f')).toBe('a%0Ab%3Dc%3Ad%25e%2Ff');
    expect(escapeDataUrl('')).toBe('');
  });

  it('encodes multi-byte UTF-8 byte by byte', () => {
    expect(escapeDataUrl('ü€')).toBe('%C3%BC%E2%82%AC');
    expect(escapeDataUrl(Uint8Array.from([0x00, 0x0f, 0xff]))).toBe('%00%0F%FF');
  });
});

describe('decodeDataUrl (dataurl.DecodeString)', () => {
  it('decodes ASCII and base64 data', () => {
    expect(text(decodeDataUrl('data:,example%20file%0A'))).toBe('example file\n');
    expect(text(decodeDataUrl('data:text/plain;base64,aGVsbG8gd29ybGQK'))).toBe('hello world\n');
    expect(text(decodeDataUrl('data:,'))).toBe('');
    expect(text(decodeDataUrl('data:;base64,YQ=='))).toBe('a');
  });

  it('reads the media type and parameters', () => {
    const r = decodeDataUrl('data:text/html;charset=utf-8;foo="b\\"r",<b>'.replace('<b>', 'x'));
    expect(r.error).toBeUndefined();
    expect(r.dataUrl).toMatchObject({ mediaType: 'text/html', params: { charset: 'utf-8', foo: 'b"r' }, encoding: 'ascii' });
    expect(decodeDataUrl('data:,x').dataUrl).toMatchObject({ mediaType: 'text/plain', params: { charset: 'US-ASCII' } });
    expect(decodeDataUrl('data:x-foo/bar,x').dataUrl).toMatchObject({ mediaType: 'x-foo/bar' });
  });

  it.each([
    // conformance err-file-bad-data-url
    ['data:text/plain;base64,@@@not-base64@@@', 'invalid data character'],
    ['data:,a b', 'invalid data character'],
    ['data:,ü', 'invalid data character'],
    ['data:,#', 'invalid data character'],
    ['http:,x', 'missing data prefix'],
    ['data:', 'missing comma before data'],
    ['data:text', 'missing media type slash'],
    ['data:foo/bar,x', 'invalid media type'],
    ['data:te xt/plain,x', 'invalid character for media type'],
    // After "x" the library consumes one more rune even when it is not "-", swallowing the slash.
    ['data:x/plain,x', 'invalid character for media type'],
    ['data:x', 'missing media type slash'],
    ['DATA:,x', 'missing data prefix'],
    ['data:@', 'invalid character after data prefix'],
    ['data:text/', 'incomplete media type'],
    ['data:text/pl@in,x', 'invalid character for media subtype'],
    ['data:text/plain', 'incomplete media type'],
    ['data:;,x', 'unterminated parameter sequence'],
    ['data:;a', 'unterminated parameter sequence'],
    ['data:;a=', 'missing comma before data'],
    ['data:;a=b', 'missing comma before data'],
    ['data:;a=b c,x', 'invalid character for parameter value'],
    ['data:;a="b', 'unclosed quoted string'],
    ['data:;a="b\\', 'unclosed quoted string'],
    ['data:;a="b"c,x', 'expected semicolon or comma'],
    ['data:;a="\\q",x', 'invalid syntax'],
    ['data:;a=%zz,x', 'rfc2396: invalid char 0x25 in unescape sequence'],
    ['data:;a=%4,x', 'rfc2396: unexpected end of unescape sequence'],
    ['data:;charset,x', 'expected base64, got charset'],
    ['data:,%zz', 'rfc2396: invalid char 0x25 in unescape sequence'],
    ['data:,%', 'rfc2396: unexpected end of unescape sequence'],
    ['data:;base64,YQ', 'illegal base64 data at input byte 0'],
    ['data:;base64,YWJjZA', 'illegal base64 data at input byte 4'],
    ['data:;base64,YQ=', 'illegal base64 data at input byte 3'],
    ['data:;base64,Y===', 'illegal base64 data at input byte 1'],
    ['data:;base64,YQ==YQ==', 'illegal base64 data at input byte 4'],
    ['data:;base64,YQ=a', 'illegal base64 data at input byte 2'],
  ])('rejects %j', (input, error) => {
    expect(decodeDataUrl(input)).toEqual({ error });
  });

  it('accepts what Escape produces', () => {
    const content = '#!/bin/sh\necho "ünï" <&> 100%\n';
    expect(text(decodeDataUrl('data:,' + escapeDataUrl(content)))).toBe(content);
  });
});

import { parseUrl } from '../../transpiler/go/url';

const roundTrip = (raw: string): string => {
  const r = parseUrl(raw);
  if (r.error !== undefined) throw new Error(r.error);
  return r.url.toString();
};

describe('parseUrl + String() (Go 1.19 net/url)', () => {
  it('re-serialises the spec examples', () => {
    expect(roundTrip('https://example.com/path with space/ünï.txt')).toBe('https://example.com/path%20with%20space/%C3%BCn%C3%AF.txt');
    expect(roundTrip('HTTP://Example.COM:80/x/../y')).toBe('http://Example.COM:80/x/../y');
  });

  it('matches conformance vectors file-remote-url-normalization and file-remote-schemes', () => {
    expect(roundTrip('HTTP://Example.COM:80/x/../y/./z?b=2&a=1#frag')).toBe('http://Example.COM:80/x/../y/./z?b=2&a=1#frag');
    expect(roundTrip('http://user:p%40ss@host.example/%7Efile')).toBe('http://user:p%40ss@host.example/%7Efile');
    expect(roundTrip('s3://bucket-name/key/path.txt')).toBe('s3://bucket-name/key/path.txt');
    expect(roundTrip('tftp://10.1.1.1/pxe/file')).toBe('tftp://10.1.1.1/pxe/file');
    expect(roundTrip('oem:///config/extra.txt')).toBe('oem:///config/extra.txt');
    expect(roundTrip('data:text/plain;base64,aGVsbG8gd29ybGQK')).toBe('data:text/plain;base64,aGVsbG8gd29ybGQK');
  });

  // Go's urltests: input and expected String() (same as input when the second column is omitted).
  it.each([
    ['http://www.google.com', ''],
    ['http://www.google.com/file%20one%26two', ''],
    ['http://www.google.com/#file%20one%26two', ''],
    ['ftp://john%20doe@www.google.com/', ''],
    ['http://www.google.com/?', ''],
    ['http://www.google.com/?foo=bar?', ''],
    ['http://www.google.com/a%20b?q=c+d', ''],
    ['http:%2f%2fwww.google.com/?q=go+language', ''],
    ['mailto:webmaster@golang.org', ''],
    ['/foo?query=http://bad', ''],
    ['//foo', ''],
    ['//user@foo/path?a=b', ''],
    ['///threeslashes', ''],
    ['http://j@ne:password@google.com', 'http://j%40ne:password@google.com'],
    ['http://jane:p@ssword@google.com', 'http://jane:p%40ssword@google.com'],
    ['http://www.google.com/?q=go+language#foo&bar', ''],
    ['http://www.google.com/?q=go+language#foo%26bar', ''],
    ['file:///C:/FooBar/Baz.txt', ''],
    ['MaIlTo:webmaster@golang.org', 'mailto:webmaster@golang.org'],
    ['http://%3Fam:pa%3Fsword@google.com', ''],
    ['http://[fe80::1%25en0]:8080/', ''],
    ['http://[fe80::1%25%65%6e%301-._~]/', 'http://[fe80::1%25en01-._~]/'],
    ['http://rest.rsc.io/foo%2fbar/baz%2Fquux?alt=media', ''],
    ["scheme://!$&'()*+,;=hello!:1/path", ''],
    ["http://host/!$&'()*+,;=:@[hello]", ''],
    ['http://hello.世界.com/foo', 'http://hello.%E4%B8%96%E7%95%8C.com/foo'],
    ['http://hello.%e4%b8%96%e7%95%8c.com/foo', 'http://hello.%E4%B8%96%E7%95%8C.com/foo'],
    ['http://example.com//foo', ''],
    ['myscheme://authority<"hi">/foo', ''],
    ['tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020', ''],
    ['magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn', ''],
    // Go 1.19 OmitHost: no authority is invented for "scheme:/path" (earlier Go wrote "mailto:///...").
    ['mailto:/webmaster@golang.org', ''],
    ['a/b/c', ''],
    ['*', ''],
    ['http://x/%ff%2F', ''],
    ['http://x/a#b c', 'http://x/a#b%20c'],
    ["http://x/#!$&%27()*+,;=", ''],
  ])('Parse(%j).String()', (input, want) => {
    expect(roundTrip(input)).toBe(want === '' ? input : want);
  });

  it('exposes decoded fields', () => {
    const r = parseUrl('HTTP://u:p%40@h.example:8080/a%20b?q=1#f%20g');
    expect(r.error).toBeUndefined();
    const u = r.url!;
    expect([u.scheme, u.host, u.path, u.rawQuery, u.fragment]).toEqual(['http', 'h.example:8080', '/a b', 'q=1', 'f g']);
    expect(u.user).toEqual({ username: 'u', password: 'p@', passwordSet: true });
  });
});

describe('parseUrl errors', () => {
  it.each([
    ['http://[::1/file', `parse "http://[::1/file": missing ']' in host`],
    ['http://%zz/bad.ign', 'parse "http://%zz/bad.ign": invalid URL escape "%zz"'],
    ['http://[::1]:namedport', 'parse "http://[::1]:namedport": invalid port ":namedport" after host'],
    ['http://x:namedport', 'parse "http://x:namedport": invalid port ":namedport" after host'],
    ['http://[::1]a', 'parse "http://[::1]a": invalid port "a" after host'],
    ['http://[::1]:%38%30', 'parse "http://[::1]:%38%30": invalid port ":%38%30" after host'],
    ['http://[%10::1]', 'parse "http://[%10::1]": invalid URL escape "%10"'],
    ['http://%41:8080/', 'parse "http://%41:8080/": invalid URL escape "%41"'],
    ['mysql://x@y(z:123)/foo', 'parse "mysql://x@y(z:123)/foo": invalid port ":123)" after host'],
    [' http://foo.com', 'parse " http://foo.com": first path segment in URL cannot contain colon'],
    ['1http://foo.com', 'parse "1http://foo.com": first path segment in URL cannot contain colon'],
    ['http://a b.com/', 'parse "http://a b.com/": invalid character " " in host name'],
    ['cache_object:foo', 'parse "cache_object:foo": first path segment in URL cannot contain colon'],
    [':foo', 'parse ":foo": missing protocol scheme'],
    ['http://x/\n', 'parse "http://x/\\n": net/url: invalid control character in URL'],
    ['http://x/%', 'parse "http://x/%": invalid URL escape "%"'],
    ['http://x/%a', 'parse "http://x/%a": invalid URL escape "%a"'],
    ['http://x/%ü', 'parse "http://x/%ü": invalid URL escape "%ü"'],
    ['http://x/a%gg', 'parse "http://x/a%gg": invalid URL escape "%gg"'],
    ['http://a\\b@c/', 'parse "http://a\\\\b@c/": net/url: invalid userinfo'],
    // Fragment errors quote the whole input.
    ['http://x/#%zz', 'parse "http://x/#%zz": invalid URL escape "%zz"'],
  ])('Parse(%j) fails like Go', (input, error) => {
    expect(parseUrl(input)).toEqual({ error });
  });

  it.each(['http://[::1]', 'http://[::1]:80', 'http://[::1]/', 'http://[::1%25en0]', 'http://[::1]:', 'http://x:', 'http://[::1%25%41]', 'http://[::1]/%48', 'ahttp://foo.com', 'cache_object/:foo/bar', ''])(
    'accepts %j (Go TestParseErrors)',
    (input) => {
      expect(parseUrl(input).error).toBeUndefined();
    },
  );
});

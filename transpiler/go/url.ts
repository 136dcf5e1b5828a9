/**
 * Go 1.19 `net/url`: `url.Parse` with its exact error texts, and `URL.String()`.
 * Go works on bytes, so everything here runs on "byte strings" (one char per UTF-8 byte); that
 * keeps %-decoded bytes that are not valid UTF-8 intact for re-serialisation.
 */
import { quoteGoBytes } from './quote';
import { fromByteString, isAscii, toByteString } from './utf8';

const UPPER_HEX = '0123456789ABCDEF';

/** Which URL component is being escaped or unescaped (Go's `encoding` enum). */
const enum Mode {
  Path = 1,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

/** A Go-side error: the message `error.Error()` would return. */
class UrlError extends Error {}

function quoteBytes(b: string): string {
  return quoteGoBytes(Buffer.from(b, 'latin1'));
}

const escapeError = (s: string): UrlError => new UrlError('invalid URL escape ' + quoteBytes(s));
const invalidHostError = (s: string): UrlError => new UrlError('invalid character ' + quoteBytes(s) + ' in host name');

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return 0;
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** Go's `shouldEscape(c, mode)`, tabulated below for every byte. */
function shouldEscapeRule(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === Mode.Host || mode === Mode.Zone) && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case Mode.Path:
        return ch === '?';
      case Mode.PathSegment:
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case Mode.UserPassword:
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case Mode.QueryComponent:
        return true;
      case Mode.Fragment:
        return false;
    }
  }
  if (mode === Mode.Fragment && '!()*'.includes(ch)) return false;
  return true;
}

/** `shouldEscapeRule` per mode and byte. */
const SHOULD_ESCAPE: readonly Uint8Array[] = (() => {
  const tables: Uint8Array[] = [];
  for (let mode = Mode.Path; mode <= Mode.Fragment; mode++) {
    tables[mode] = new Uint8Array(256);
    for (let c = 0; c < 256; c++) tables[mode][c] = shouldEscapeRule(c, mode) ? 1 : 0;
  }
  return tables;
})();

function shouldEscape(c: number, mode: Mode): boolean {
  return SHOULD_ESCAPE[mode][c] === 1;
}

/** Go's `unescape(s, mode)`; throws UrlError with Go's message. */
function unescape(s: string, mode: Mode): string {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      n++;
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        throw escapeError(s.slice(i, i + 3));
      }
      const seq = s.slice(i, i + 3);
      // Hosts may %-encode only non-ASCII bytes, apart from %25 (RFC 6874 zones).
      if (mode === Mode.Host && unhex(s.charCodeAt(i + 1)) < 8 && seq !== '%25') throw escapeError(seq);
      if (mode === Mode.Zone) {
        const v = (unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2));
        if (seq !== '%25' && v !== 0x20 && shouldEscape(v, Mode.Host)) throw escapeError(seq);
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === Mode.QueryComponent;
      i++;
    } else {
      if ((mode === Mode.Host || mode === Mode.Zone) && c < 0x80 && shouldEscape(c, mode)) {
        throw invalidHostError(s[i]);
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      out += String.fromCharCode((unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2)));
      i += 2;
    } else if (c === 0x2b) {
      out += mode === Mode.QueryComponent ? ' ' : '+';
    } else {
      out += s[i];
    }
  }
  return out;
}

/** Go's `escape(s, mode)`. */
function escape(s: string, mode: Mode): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!shouldEscape(c, mode)) continue;
    out += s.slice(start, i);
    out += c === 0x20 && mode === Mode.QueryComponent ? '+' : '%' + UPPER_HEX[c >> 4] + UPPER_HEX[c & 15];
    start = i + 1;
  }
  return start === 0 ? s : out + s.slice(start);
}

/** The bytes `validEncoded` accepts in any mode: `!$&'()*+,;=:@[]%`. */
const SUB_DELIMS_ETC = (() => {
  const t = new Uint8Array(256);
  for (const ch of "!$&'()*+,;=:@[]%") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** Go's `validEncoded`: s has no byte that would need escaping in `mode`. */
function validEncoded(s: string, mode: Mode): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (SUB_DELIMS_ETC[c] !== 1 && shouldEscape(c, mode)) return false;
  }
  return true;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

/** RFC 3986 userinfo characters (percent-encoding is checked later by unescape). */
function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

function cut(s: string, sep: string): [string, string, boolean] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, '', false] : [s.slice(0, i), s.slice(i + sep.length), true];
}

export interface GoUserinfo {
  readonly username: string;
  readonly password: string;
  readonly passwordSet: boolean;
}

/** Fields of Go's `url.URL`, as byte strings (see the module comment). */
interface UrlBytes {
  scheme: string;
  opaque: string;
  user?: GoUserinfo;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

/** A parsed URL; string fields are decoded from UTF-8 for reading, `toString()` is Go's `String()`. */
export class GoUrl {
  constructor(private readonly b: UrlBytes) {}

  get scheme(): string {
    return this.b.scheme;
  }
  get opaque(): string {
    return fromByteString(this.b.opaque);
  }
  get host(): string {
    return fromByteString(this.b.host);
  }
  get path(): string {
    return fromByteString(this.b.path);
  }
  get rawQuery(): string {
    return fromByteString(this.b.rawQuery);
  }
  get rawPath(): string {
    return fromByteString(this.b.rawPath);
  }
  get forceQuery(): boolean {
    return this.b.forceQuery;
  }
  /** Go 1.19 `OmitHost`: the URL had a scheme and a path but no authority ("scheme:/path"). */
  get omitHost(): boolean {
    return this.b.omitHost;
  }
  get fragment(): string {
    return fromByteString(this.b.fragment);
  }
  get user(): GoUserinfo | undefined {
    const u = this.b.user;
    return u && { username: fromByteString(u.username), password: fromByteString(u.password), passwordSet: u.passwordSet };
  }

  /** Go's `URL.String()`. */
  toString(): string {
    return fromByteString(formatUrl(this.b));
  }
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quoteBytes(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      return unescape(host.slice(0, zone), Mode.Host) + unescape(host.slice(zone, i), Mode.Zone) + unescape(host.slice(i), Mode.Host);
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quoteBytes(colonPort)} after host`);
    }
  }
  return unescape(host, Mode.Host);
}

function parseAuthority(authority: string): [GoUserinfo | undefined, string] {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return [undefined, host];
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new UrlError('net/url: invalid userinfo');
  if (!userinfo.includes(':')) {
    return [{ username: unescape(userinfo, Mode.UserPassword), password: '', passwordSet: false }, host];
  }
  const [username, password] = cut(userinfo, ':');
  return [{ username: unescape(username, Mode.UserPassword), password: unescape(password, Mode.UserPassword), passwordSet: true }, host];
}

function setPath(u: UrlBytes, p: string): void {
  const path = unescape(p, Mode.Path);
  u.path = path;
  u.rawPath = escape(path, Mode.Path) === p ? '' : p;
}

function setFragment(u: UrlBytes, f: string): void {
  const frag = unescape(f, Mode.Fragment);
  u.fragment = frag;
  u.rawFragment = escape(frag, Mode.Fragment) === f ? '' : f;
}

/** Go's `stringContainsCTLByte`. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const CONTROL_CHAR = /[\x00-\x1f\x7f]/;

/** Go's unexported `parse(rawURL, viaRequest=false)`. */
function parseNoFragment(raw: string): UrlBytes {
  if (CONTROL_CHAR.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  const u: UrlBytes = {
    scheme: '',
    opaque: '',
    host: '',
    path: '',
    rawPath: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
    rawFragment: '',
  };
  if (raw === '*') {
    u.path = '*';
    return u;
  }
  const [scheme, afterScheme] = getScheme(raw);
  u.scheme = scheme.toLowerCase();
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    [rest, u.rawQuery] = cut(rest, '?');
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      // A rootless path after a scheme is opaque (RFC 3986).
      u.opaque = rest;
      return u;
    }
    // Avoid taking "cache_object:foo/bar" for a relative path (golang.org/issue/16822).
    if (cut(rest, '/')[0].includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const i = authority.indexOf('/');
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    [u.user, u.host] = parseAuthority(authority);
  } else if (u.scheme !== '' && rest.startsWith('/')) {
    // Go 1.19: "scheme:/path" has no authority, and String() must not invent one.
    u.omitHost = true;
  }
  setPath(u, rest);
  return u;
}

function userinfoString(u: GoUserinfo): string {
  let s = escape(u.username, Mode.UserPassword);
  if (u.passwordSet) s += ':' + escape(u.password, Mode.UserPassword);
  return s;
}

function escapedPath(u: UrlBytes): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath, Mode.Path)) {
    try {
      if (unescape(u.rawPath, Mode.Path) === u.path) return u.rawPath;
    } catch {
      // an invalid RawPath is ignored, as in Go
    }
  }
  if (u.path === '*') return '*';
  return escape(u.path, Mode.Path);
}

function escapedFragment(u: UrlBytes): string {
  if (u.rawFragment !== '' && validEncoded(u.rawFragment, Mode.Fragment)) {
    try {
      if (unescape(u.rawFragment, Mode.Fragment) === u.fragment) return u.rawFragment;
    } catch {
      // ignored, as in Go
    }
  }
  return escape(u.fragment, Mode.Fragment);
}

/** Go 1.19 `URL.String()` on byte strings. */
function formatUrl(u: UrlBytes): string {
  let out = '';
  if (u.scheme !== '') out += u.scheme + ':';
  if (u.opaque !== '') {
    out += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) out += '//';
        if (u.user !== undefined) out += userinfoString(u.user) + '@';
        if (u.host !== '') out += escape(u.host, Mode.Host);
      }
    }
    const path = escapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    // A relative path whose first segment has a colon would read as a scheme.
    if (out === '' && cut(path, '/')[0].includes(':')) out += './';
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += '?' + u.rawQuery;
  if (u.fragment !== '') out += '#' + escapedFragment(u);
  return out;
}

export type ParseUrlResult = { readonly url: GoUrl; readonly error?: undefined } | { readonly url?: undefined; readonly error: string };

/**
 * Go's `url.Parse(raw)`. On failure `error` is Go's `*url.Error` text, e.g.
 * `parse "http://[::1/file": missing ']' in host`.
 */
export function parseUrl(raw: string): ParseUrlResult {
  const bytes = isAscii(raw) ? raw : toByteString(raw);
  const [beforeHash, frag, hasHash] = cut(bytes, '#');
  let u: UrlBytes;
  try {
    u = parseNoFragment(beforeHash);
  } catch (e) {
    if (e instanceof UrlError) return { error: `parse ${quoteBytes(beforeHash)}: ${e.message}` };
    throw e;
  }
  if (hasHash && frag !== '') {
    try {
      setFragment(u, frag);
    } catch (e) {
      if (e instanceof UrlError) return { error: `parse ${quoteBytes(bytes)}: ${e.message}` };
      throw e;
    }
  }
  return { url: new GoUrl(u) };
}

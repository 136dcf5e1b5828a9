/** Character classes of libyaml's scanner (yamlprivateh.go), on code points. */

export const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
export const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
export const isBreakZ = (c: number): boolean => c === 0 || isBreak(c);
export const isBlankZ = (c: number): boolean => c === 0x20 || c === 0x09 || isBreakZ(c);
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
export const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
export const asHex = (c: number): number => (c <= 0x39 ? c - 0x30 : c <= 0x46 ? c - 0x37 : c - 0x57);
/** Anchor names, directive names and tag handles: `[0-9A-Za-z_-]`. */
export const isAlpha = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;

/** Characters allowed in a tag URI besides alphanumerics. */
const table = (chars: string): Uint8Array => {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
};
const URI_EXTRA = table(";/?:@&=+$,.!~*'()[]%");
export const isUriChar = (c: number): boolean => isAlpha(c) || (c < 128 && URI_EXTRA[c] === 1);

/** Characters that cannot start a plain scalar (before the `-?:` exceptions). */
const INDICATORS = table('-?:,[]{}#&*!|>\'"%@`');
export const isIndicator = (c: number): boolean => c < 128 && INDICATORS[c] === 1;

/** Code points the scanner tests for by name. */
export const HASH = 0x23;
export const DASH = 0x2d;
export const DOT = 0x2e;
export const COLON = 0x3a;
export const SQUOTE = 0x27;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const QUESTION = 0x3f;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

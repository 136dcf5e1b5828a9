/**
 * go-systemd v22 `unit/escape.go`: `systemd-escape [--path]` as Butane links it. Unlike systemd's own
 * tool it writes `\x` + lower-case hex *without* zero padding (`\n` -> `\xa`), so byte-exact output
 * needs this port rather than a call to the system binary.
 */
import { utf8Bytes } from './utf8';

const ALLOWED = new Set(':_.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const SLASH = 0x2f;
const DOT = 0x2e;

function escape(unescaped: string, isPath: boolean): string {
  let out = '';
  let inSlashes = false;
  let start = true;
  for (const c of utf8Bytes(unescaped)) {
    if (isPath) {
      // Runs of '/' collapse into one '-', and leading/trailing runs vanish.
      if (c === SLASH) {
        inSlashes = true;
        continue;
      }
      if (inSlashes) {
        inSlashes = false;
        if (!start) out += '-';
      }
    }
    const ch = String.fromCharCode(c);
    if (c === SLASH) out += '-';
    else if ((start && c === DOT) || c >= 0x80 || !ALLOWED.has(ch)) out += '\\x' + c.toString(16);
    else out += ch;
    start = false;
  }
  if (isPath && out === '') out = '-';
  return out;
}

/** `unit.UnitNameEscape`: `systemd-escape <s>`. */
export function unitNameEscape(unescaped: string): string {
  return escape(unescaped, false);
}

/** `unit.UnitNamePathEscape`: `systemd-escape --path <s>`; names of generated mount and swap units. */
export function unitNamePathEscape(unescaped: string): string {
  return escape(unescaped, true);
}

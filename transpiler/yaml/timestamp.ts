/**
 * yaml.v3's timestamp detection: `time.Parse` with the layouts `2006-1-2T15:4:5.999999999Z07:00`
 * (also with `t` and with a space and no zone) and `2006-1-2`.
 */

interface Cursor {
  s: string;
  i: number;
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39;

/** Go's `getnum(s, false)`: one or two digits. */
function num(c: Cursor): number | undefined {
  if (!isDigit(c.s, c.i)) return undefined;
  const two = isDigit(c.s, c.i + 1);
  const n = Number(c.s.slice(c.i, c.i + (two ? 2 : 1)));
  c.i += two ? 2 : 1;
  return n;
}

function lit(c: Cursor, ch: string): boolean {
  if (c.s[c.i] !== ch) return false;
  c.i++;
  return true;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function date(c: Cursor): boolean {
  for (let k = 0; k < 4; k++) if (!isDigit(c.s, c.i + k)) return false;
  const year = Number(c.s.slice(c.i, c.i + 4));
  c.i += 4;
  if (!lit(c, '-')) return false;
  const month = num(c);
  if (month === undefined || month < 1 || month > 12 || !lit(c, '-')) return false;
  const day = num(c);
  return day !== undefined && day >= 1 && day <= daysIn(month, year);
}

function clock(c: Cursor): boolean {
  const h = num(c);
  if (h === undefined || h > 23 || !lit(c, ':')) return false;
  const m = num(c);
  if (m === undefined || m > 59 || !lit(c, ':')) return false;
  const sec = num(c);
  if (sec === undefined || sec > 59) return false;
  if ((c.s[c.i] === '.' || c.s[c.i] === ',') && isDigit(c.s, c.i + 1)) {
    c.i++;
    while (isDigit(c.s, c.i)) c.i++;
  }
  return true;
}

function zone(c: Cursor): boolean {
  if (lit(c, 'Z')) return true;
  const z = c.s.slice(c.i, c.i + 6);
  if (z.length < 6 || z[3] !== ':' || (z[0] !== '+' && z[0] !== '-')) return false;
  if (!isDigit(z, 1) || !isDigit(z, 2) || !isDigit(z, 4) || !isDigit(z, 5)) return false;
  if (Number(z.slice(1, 3)) > 24 || Number(z.slice(4, 6)) > 60) return false;
  c.i += 6;
  return true;
}

export function parseTimestamp(s: string): boolean {
  let i = 0;
  while (isDigit(s, i)) i++;
  if (i !== 4 || s[i] !== '-') return false;
  const layouts: ((c: Cursor) => boolean)[] = [
    (c) => date(c) && lit(c, 'T') && clock(c) && zone(c),
    (c) => date(c) && lit(c, 't') && clock(c) && zone(c),
    (c) => date(c) && lit(c, ' ') && clock(c),
    (c) => date(c),
  ];
  return layouts.some((layout) => {
    const c = { s, i: 0 };
    return layout(c) && c.i === s.length;
  });
}

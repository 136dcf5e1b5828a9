import { parseClock, parseDuration } from '../../transpiler/go/duration';

const NS = BigInt(1);
const US = BigInt(1000);
const MS = BigInt(1e6);
const S = BigInt(1e9);
const M = BigInt(60e9);
const H = BigInt(3600e9);

describe('parseDuration (time.ParseDuration)', () => {
  // From Go's parseDurationTests.
  it.each<[string, bigint]>([
    ['0', BigInt(0)],
    ['5s', BigInt(5) * S],
    ['1478s', BigInt(1478) * S],
    ['-5s', BigInt(-5) * S],
    ['+5s', BigInt(5) * S],
    ['-0', BigInt(0)],
    ['5.0s', BigInt(5) * S],
    ['5.6s', BigInt(5) * S + BigInt(600) * MS],
    ['5.s', BigInt(5) * S],
    ['.5s', BigInt(500) * MS],
    ['1.004s', S + BigInt(4) * MS],
    ['100.00100s', BigInt(100) * S + MS],
    ['10ns', BigInt(10) * NS],
    ['11us', BigInt(11) * US],
    ['12µs', BigInt(12) * US],
    ['12μs', BigInt(12) * US],
    ['13ms', BigInt(13) * MS],
    ['15m', BigInt(15) * M],
    ['16h', BigInt(16) * H],
    ['3h30m', BigInt(3) * H + BigInt(30) * M],
    ['10.5s4m', BigInt(4) * M + BigInt(10) * S + BigInt(500) * MS],
    ['-2m3.4s', -(BigInt(2) * M + BigInt(3) * S + BigInt(400) * MS)],
    ['1h2m3s4ms5us6ns', H + BigInt(2) * M + BigInt(3) * S + BigInt(4) * MS + BigInt(5) * US + BigInt(6) * NS],
    ['39h9m14.425s', BigInt(39) * H + BigInt(9) * M + BigInt(14) * S + BigInt(425) * MS],
    ['52763797000ns', BigInt(52763797000)],
    ['0.3333333333333333333h', BigInt(20) * M],
    ['9007199254740993ns', BigInt('9007199254740993')],
    ['9223372036854775807ns', BigInt('9223372036854775807')],
    ['9223372036854775.807us', BigInt('9223372036854775807')],
    ['9223372036s854ms775us807ns', BigInt('9223372036854775807')],
    ['-9223372036854775808ns', BigInt('-9223372036854775808')],
    ['-9223372036854775.808us', BigInt('-9223372036854775808')],
    ['-2562047h47m16.854775808s', BigInt('-9223372036854775808')],
    ['0.100000000000000000000h', BigInt(6) * M],
    ['0.830103483285477580700h', BigInt(49) * M + BigInt(48) * S + BigInt(372539827)],
  ])('parses %j', (input, ns) => {
    expect(parseDuration(input)).toEqual({ nanoseconds: ns });
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1h1d', 'time: unknown unit "d" in duration "1h1d"'],
    ['\ufffd', 'time: invalid duration "\\xef\\xbf\\xbd"'],
    ['9223372036854775810ns', 'time: invalid duration "9223372036854775810ns"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['1 h', 'time: unknown unit " h" in duration "1 h"'],
  ])('rejects %j', (input, error) => {
    expect(parseDuration(input)).toEqual({ error });
  });
});

describe('parseClock (time.Parse("15:04", s))', () => {
  it.each([
    ['00:00', 0, 0],
    ['4:15', 4, 15],
    ['07:30', 7, 30],
    ['23:59', 23, 59],
  ])('accepts %j', (input, hour, minute) => {
    expect(parseClock(input)).toEqual({ hour, minute });
  });

  it.each([
    ['24:00', 'parsing time "24:00": hour out of range'],
    ['12:60', 'parsing time "12:60": minute out of range'],
    ['12:5', 'parsing time "12:5" as "15:04": cannot parse "5" as "04"'],
    ['123:45', 'parsing time "123:45" as "15:04": cannot parse "3:45" as ":"'],
    ['ab:cd', 'parsing time "ab:cd" as "15:04": cannot parse "ab:cd" as "15"'],
    ['', 'parsing time "" as "15:04": cannot parse "" as "15"'],
    ['12:00 ', 'parsing time "12:00 ": extra text: " "'],
    [' 1:00', 'parsing time " 1:00" as "15:04": cannot parse " 1:00" as "15"'],
  ])('rejects %j', (input, error) => {
    expect(parseClock(input)).toEqual({ error });
  });
});

describe('locksmith conformance inputs', () => {
  it('rejects "1 hour" (err-locksmith-bad-length) and accepts the corpus lengths', () => {
    expect(parseDuration('1 hour').error).toBe('time: unknown unit " hour" in duration "1 hour"');
    for (const ok of ['1h', '2h30m', '45m']) expect(parseDuration(ok).error).toBeUndefined();
  });

  it('rejects "25:61" (err-locksmith-bad-time) and accepts the corpus start times', () => {
    expect(parseClock('25:61').error).toBe('parsing time "25:61": hour out of range');
    for (const ok of ['03:00', '4:15', '23:30', '01:00']) expect(parseClock(ok).error).toBeUndefined();
  });
});

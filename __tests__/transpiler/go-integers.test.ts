/**
 * Integers are Go's 64-bit integers, never doubles (vectors ct-fuzz/int-beyond-2p53 and
 * ct-fuzz/gid-uint-wraps): exact past 2^53, go-yaml's range checks for int and uint fields, and
 * ct's `int(*u)` conversion of the uint `gid`/`create.uid` into Ignition's int fields.
 */
import { transpile } from '../../transpiler';
import { transpileFailure } from './transpile-failure';
import { floatToInt, floatToUint, intToUint, uintToInt } from '../../transpiler/go/int';
import { marshalGo } from '../../transpiler/go/json';
import { int, ptr, struct, uint } from '../../transpiler/schema';
import type { ContainerLinuxConfig } from '../../transpiler/sections';

type Dialect = 'coreos' | 'flatcar';

function passwdOf(input: string | ContainerLinuxConfig, dialect: Dialect): unknown {
  return transpile(input, { dialect }).ignition.passwd;
}

const failure = (input: string | ContainerLinuxConfig, dialect: Dialect): string => transpileFailure(input, { dialect }).stderr;

const users = (...uids: string[]): string =>
  `passwd:\n  users:\n${uids.map((uid, i) => `    - name: u${i}\n      uid: ${uid}\n`).join('')}`;
const groups = (...gids: string[]): string =>
  `passwd:\n  groups:\n${gids.map((gid, i) => `    - name: g${i}\n      gid: ${gid}\n`).join('')}`;
const jsonOf = (input: string, dialect: Dialect): string => transpile(input, { dialect }).json;

describe.each(['coreos', 'flatcar'] as const)('%s', (dialect) => {
  test('int fields keep every digit past 2^53', () => {
    const json = jsonOf(users('9007199254740993', '-9007199254740993', '9223372036854775807', '0x7fffffffffffffff', '-0x8000000000000000'), dialect);
    expect(json).toContain(
      '"users":[{"name":"u0","uid":9007199254740993},{"name":"u1","uid":-9007199254740993},' +
        '{"name":"u2","uid":9223372036854775807},{"name":"u3","uid":9223372036854775807},' +
        '{"name":"u4","uid":-9223372036854775808}]',
    );
  });

  test('floats convert as go-yaml converts them on amd64', () => {
    // 9.2e+18 is exact in a double; -9223372036854775809 is no int64, so it is read as a float (-2^63)
    const json = jsonOf(users('9.2e+18', '-9223372036854775809', '1.5e+3'), dialect);
    expect(json).toContain('{"name":"u0","uid":9200000000000000000},{"name":"u1","uid":-9223372036854775808},{"name":"u2","uid":1500}');
  });

  test('values an int field cannot hold are type errors', () => {
    expect(failure(users('9223372036854775808', '9.3e+18', '18446744073709551615'), dialect)).toBe(
      'error: yaml: unmarshal errors:\n' +
        '  line 4: cannot unmarshal !!int `9223372...` into int\n' +
        '  line 6: cannot unmarshal !!float `9.3e+18` into int\n' +
        '  line 8: cannot unmarshal !!int `1844674...` into int\n' +
        'Failed to parse config\n',
    );
  });

  test('a uint gid past MaxInt64 wraps into a negative Ignition gid', () => {
    const json = jsonOf(groups('18446744073709551615', '9223372036854775808', '0xFFFFFFFFFFFFFFFE', '9223372036854775807'), dialect);
    expect(json).toContain(
      '"groups":[{"gid":-1,"name":"g0"},{"gid":-9223372036854775808,"name":"g1"},{"gid":-2,"name":"g2"},{"gid":9223372036854775807,"name":"g3"}]',
    );
  });

  test('so does the legacy create.uid', () => {
    const input = 'passwd:\n  users:\n    - name: core\n      create:\n        uid: 18446744073709551614\n';
    expect(passwdOf(input, dialect)).toEqual({ users: [{ name: 'core', create: { uid: -2 } }] });
  });

  test('a negative gid is still a type error', () => {
    expect(failure(groups('-1'), dialect)).toBe(
      'error: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!int `-1` into uint\nFailed to parse config\n',
    );
  });

  test('etcd int options are written with every digit', () => {
    const input = 'etcd:\n  version: 3.1.0\n  snapshot_count: 9223372036854775807\n';
    expect(jsonOf(input, dialect)).toContain('--snapshot-count=9223372036854775807');
  });

  test('a partition of exactly 2^63 bytes overflows to a negative int64', () => {
    const input = 'storage:\n  disks:\n    - device: /dev/sda\n      partitions:\n        - size: 8EiB\n';
    expect(failure(input, dialect)).toBe('error at line 5, column 17\ninvalid dimension (negative): "8EiB"\n');
  });

  describe('typed configs', () => {
    test('a bigint is a Go integer, exactly', () => {
      const config = { passwd: { users: [{ name: 'core', uid: 9007199254740993n }], groups: [{ name: 'g', gid: 18446744073709551615n }] } };
      expect(transpile(config, { dialect }).json).toContain('"passwd":{"groups":[{"gid":-1,"name":"g"}],"users":[{"name":"core","uid":9007199254740993}]}');
    });

    test('a number past 2^53 is read as its digits are in YAML', () => {
      // a JS number cannot hold ...993: it is ...992, and reads as YAML `9007199254740992` does
      const config = { passwd: { users: [{ name: 'core', uid: Number('9007199254740993') }] } };
      expect(transpile(config, { dialect }).json).toBe(jsonOf(users('9007199254740992').replace('u0', 'core'), dialect));
    });

    test('integers past uint64 are floats, as in YAML text', () => {
      const config = { passwd: { groups: [{ name: 'g', gid: 2n ** 64n }], users: [{ name: 'core', uid: 1e21 }] } };
      const stderr = failure(config, dialect);
      expect(stderr).toContain('cannot unmarshal !!float `1000000...` into int');
      // 2^64 fits a uint as a float (math.MaxUint64 rounds to it) and converts to 0
      expect(stderr).not.toContain('into uint');
    });
  });
});

describe('explicit !!float on an integer (yaml.v3 converts an int64, not a uint64)', () => {
  const tagged = (digits: string): string => `passwd:\n  users:\n    - name: a\n      uid: !!float ${digits}\n`;

  test('flatcar: an int64 becomes the nearest double, then an int again', () => {
    expect(jsonOf(tagged('9007199254740993'), 'flatcar')).toContain('"users":[{"name":"a","uid":9007199254740992}]');
  });

  test.each(['coreos', 'flatcar'] as const)('%s: a uint64 cannot be decoded as a float', (dialect) => {
    expect(failure(tagged('18446744073709551615'), dialect)).toBe(
      'error: yaml: cannot decode !!int `18446744073709551615` as a !!float\nFailed to parse config\n',
    );
  });
});

describe('Go integer helpers', () => {
  test('marshalGo writes a bigint as its digits', () => {
    const type = struct({ goName: 'T', fields: [{ name: 'A', key: 'a', type: int }, { name: 'B', key: 'b', type: ptr(uint), omitEmpty: true }] });
    expect(marshalGo({ a: -(2n ** 63n), b: 2n ** 64n - 1n }, type, false)).toBe('{"a":-9223372036854775808,"b":18446744073709551615}');
  });

  test('int <-> uint conversions reinterpret the 64 bits', () => {
    expect(uintToInt(2n ** 64n - 1n)).toBe(-1);
    expect(uintToInt(2n ** 63n)).toBe(-(2n ** 63n));
    expect(uintToInt(5)).toBe(5);
    expect(intToUint(-1)).toBe(2n ** 64n - 1n);
    expect(intToUint(-(2n ** 63n))).toBe(2n ** 63n);
  });

  test('float conversions give exact integers', () => {
    expect(floatToInt(2 ** 63)).toBe(-(2n ** 63n));
    expect(floatToInt(2 ** 62)).toBe(2n ** 62n);
    expect(floatToInt(-1.5)).toBe(-1);
    expect(floatToInt(2 ** 64)).toBeUndefined();
    expect(floatToUint(-1)).toBe(2n ** 64n - 1n);
    expect(floatToUint(2 ** 63)).toBe(2n ** 63n);
    expect(floatToUint(2 ** 64)).toBe(0);
    expect(floatToUint(1e300)).toBeUndefined();
  });
});

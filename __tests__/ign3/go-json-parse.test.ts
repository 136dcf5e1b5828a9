/**
 * Flatcar's reading of a 2.x config: Go's encoding/json decoding (strict scalars, case-folded keys,
 * null elements, surrogates, exact integers), `GetConfigVersion`, the `v2_4.Parse` fallback chain
 * down to spec 1, and the ign3-fuzz vectors of those causes. Expected texts follow the Go sources
 * (flatcar/ignition v0.36.2 `config/v*`, coreos/ignition v2.24.0 `config/util` with Flatcar's
 * patches 0012 and 0013).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ign3TranslationError, marshalV33, translateToV33 } from '../../transpiler/ign3';

interface Outcome {
  readonly exit: number;
  readonly stderr: string;
  readonly compact: string;
}

function run(input: string | Uint8Array | object): Outcome {
  try {
    const t = translateToV33(input);
    return { exit: 0, stderr: t.report === '' ? '' : t.report + '\n', compact: marshalV33(t.config, false) };
  } catch (err) {
    if (!(err instanceof Ign3TranslationError)) throw err;
    return { exit: 1, stderr: err.flatcarMessage + '\n', compact: '' };
  }
}

const fuzzRoot = join(__dirname, '..', 'conformance', 'ign3-fuzz');
const MINE = ['yaml-scalar-coercion', 'case-insensitive-keys', 'null-array-elements-dropped', 'ts-crash-null-header', 'int-precision-2pow53', 'newer-fields-kept', '2.2-rules-from-coreos-ct', 'unsupported-spec1-2.0-2.1', 'odd-version-text'];

describe('ign3-fuzz vectors of the decoding and version causes', () => {
  for (const name of MINE) {
    const dir = join(fuzzRoot, name);
    if (!existsSync(dir)) continue;
    test(name, () => {
      const expected: Outcome = {
        exit: Number(readFileSync(join(dir, 'exit'), 'utf8').trim()),
        stderr: readFileSync(join(dir, 'stderr'), 'utf8'),
        compact: readFileSync(join(dir, 'expected.3_3_0.compact.ign'), 'utf8'),
      };
      expect(run(readFileSync(join(dir, 'input.2x.ign')))).toEqual(expected);
    });
  }
});

const EMPTY_V33 =
  '{"ignition":{"config":{"replace":{"verification":{}}},"proxy":{},"security":{"tls":{}},"timeouts":{},"version":"3.3.0"},"kernelArguments":{},"passwd":{},"storage":{},"systemd":{}}';
const ok = (compact: string): Outcome => ({ exit: 0, stderr: '', compact });
const refused = (text: string): Outcome => ({ exit: 1, stderr: text + '\n', compact: '' });
const PARSE = 'unable to parse 2.x ignition: ';
const withUnits = (units: string): string => `{"ignition":{"version":"2.3.0"},"systemd":{"units":[${units}]}}`;
const v33Units = (units: string): string => EMPTY_V33.replace('"systemd":{}', `"systemd":{"units":[${units}]}`);

describe('GetConfigVersion (patched): refusals without the 2.x prefix', () => {
  test.each([
    ['', 'not a config (empty)'],
    ['#cloud-config\nhostname: x\n', 'not a config (empty)'],
    ['#!/bin/sh\necho hi\n', 'not a config (empty)'],
    ['\ufeff{"ignition":{"version":"2.3.0"}}', 'config is not valid'],
    ['{"ignition":{"version":"2.3.0"}', 'config is not valid'],
    ['{"ignition":{"version":"2.3.0"}} x', 'config is not valid'],
    ['{"ignition":{"version":2}}', 'config is not valid'],
    ['{"ignition":[]}', 'config is not valid'],
    ['{"ignitionVersion":"1"}', 'config is not valid'],
    ['{"ignitionVersion":1.0}', 'config is not valid'],
    ['{"ignitionVersion":1e0}', 'config is not valid'],
    ['{"ignitionVersion":9223372036854775808}', 'config is not valid'],
    ['[]', 'config is not valid'],
    ['"2.3.0"', 'config is not valid'],
    ['1', 'config is not valid'],
    ['{"ignition":{"version":"2.2"}}', "invalid config version (couldn't parse)"],
    ['{"ignition":{"version":"v2.2.0"}}', "invalid config version (couldn't parse)"],
    ['{"ignition":{"version":"2.2.0.0"}}', "invalid config version (couldn't parse)"],
    ['{"ignition":{"version":"2.2.0-a..b"}}', "invalid config version (couldn't parse)"],
    ['{"ignitionVersion":-1}', "invalid config version (couldn't parse)"],
  ])('%j', (input, text) => {
    expect(run(input)).toEqual(refused(text));
  });
});

describe('v2_4.Parse fallbacks: full semver, the innermost error wins', () => {
  test.each([
    ['{"ignition":{"version":"2.3.0-experimental"}}', 'unsupported config version'],
    ['{"ignition":{"version":"2.4.0-experimental"}}', 'unsupported config version'],
    ['{"ignition":{"version":"2.3.0+build"}}', 'unsupported config version'],
    ['{"ignition":{"version":"2.5.0"}}', 'unsupported config version'],
    ['{"ignition":{"version":"4.0.0"}}', 'unsupported config version'],
    ['{"ignition":{"version":"1.0.0"}}', 'unsupported config version'],
    ['{}', 'unsupported config version'],
    ['null', 'unsupported config version'],
    [' \t\r\n{"ignition":null} ', 'unsupported config version'],
    ['{"ignitionVersion":2}', 'unsupported config version'],
    // a type error in a field spec 2.0 does not have: 2.0 decodes it, and refuses 2.3.0
    ['{"ignition":{"version":"2.3.0"},"passwd":{"users":[{"name":"a","uid":"0"}]}}', 'unsupported config version'],
    ['{"ignition":{"version":"2.3.0"},"passwd":{"users":[{"name":"a","uid":9223372036854775808}]}}', 'unsupported config version'],
    // validation errors of the version that accepted the config
    [withUnits('{"name":"a"}'), 'config is not valid'],
    [withUnits('null'), 'config is not valid'],
    ['{"ignition":{"version":"2.4.0"},"ignition":{"config":{"append":[{"source":"http://e/x","httpHeaders":[{"name":""}]}]}}}', 'config is not valid'],
    ['{"ignition":{"version":"2.4.0","config":{"append":[{"source":"http://e/x","httpHeaders":[{"name":"A"},{"name":"A"}]}]}}}', 'config is not valid'],
    ['{"ignition":{"version":"2.2.0"},"storage":{"files":[{"filesystem":"root","path":"/x","contents":{"source":"s3://b/k?versionId="}}]}}', 'config is not valid'],
    // spec 1 fails to decode: `HandleParseErrors` retries with the 2.4 types and reports their verdict
    ['{"ignitionVersion":1,"storage":{"filesystems":[{"files":"x"}]}}', 'HandleParseErrors called with a valid config'],
    ['{"ignitionVersion":1,"systemd":{"units":[{"name":1}]}}', 'config is not valid'],
    // 2.0's version and URL decoders refuse, so spec 1 answers
    ['{"ignition":{"version":"2.0.0"},"ignition":{"config":{"replace":{"source":"http://[::1"}}}}', 'unsupported config version'],
  ])('%j', (input, text) => {
    expect(run(input)).toEqual(refused(PARSE + text));
  });

  test("ct v0.9.0's own valid 2.2.0 output still meets Flatcar's 2.2 rules (s3 versionId)", () => {
    const ct22 =
      '{"ignition":{"config":{},"security":{"tls":{}},"timeouts":{},"version":"2.2.0"},"networkd":{},"passwd":{},' +
      '"storage":{"files":[{"filesystem":"root","path":"/x","contents":{"source":"s3://b/k?versionId=","verification":{}},"mode":420}]},"systemd":{}}';
    for (const trusted of [true, false]) {
      expect(() => translateToV33(ct22, trusted)).toThrow(new Ign3TranslationError('parse', 'config is not valid'));
    }
  });

  test('02.2.0 reads as 2.2.0', () => {
    expect(run('{"ignition":{"version":"02.2.0"}}')).toEqual(ok(EMPTY_V33));
    // an empty pre-release is no pre-release to go-semver
    expect(run('{"ignition":{"version":"2.2.0-"}}')).toEqual(ok(EMPTY_V33));
  });

  test("2.0's unsigned ids: int() wraps a uint64, and a negative one fails 2.0 and spec 1", () => {
    const group = (gid: string): string => `{"ignition":{"version":"2.0.0"},"passwd":{"groups":[{"name":"g","gid":${gid}}]}}`;
    expect(run(group('18446744073709551615'))).toEqual(ok(EMPTY_V33.replace('"passwd":{}', '"passwd":{"groups":[{"gid":-1,"name":"g"}]}')));
    expect(run(group('-1'))).toEqual(refused(PARSE + 'HandleParseErrors called with a valid config'));
  });

  test('a 2.1 file: overwrite defaults to true, mode becomes a pointer even when 0', () => {
    const input = '{"ignition":{"version":"2.1.0"},"storage":{"files":[{"filesystem":"root","path":"/x","contents":{"source":"data:,x"}}]}}';
    const file = '{"group":{},"overwrite":true,"path":"/x","user":{},"contents":{"source":"data:,x","verification":{}},"mode":0}';
    expect(run(input)).toEqual(ok(EMPTY_V33.replace('"storage":{}', `"storage":{"files":[${file}]}`)));
  });
});

describe("Go's encoding/json rules", () => {
  test('keys fold case; members apply in order, the later one winning', () => {
    expect(run(withUnits('{"name":"a.service","Mask":true}'))).toEqual(ok(v33Units('{"mask":true,"name":"a.service"}')));
    expect(run(withUnits('{"name":"a.service","mask":false,"MASK":true}'))).toEqual(ok(v33Units('{"mask":true,"name":"a.service"}')));
    expect(run(withUnits('{"name":"a.service","Mask":true,"mask":false}'))).toEqual(ok(v33Units('{"name":"a.service"}')));
    // the Kelvin sign folds to k (bytes.EqualFold)
    expect(run(withUnits('{"name":"a.service","mas\u212a":true}'))).toEqual(ok(v33Units('{"mask":true,"name":"a.service"}')));
    expect(run('{"IGNITION":{"VERSION":"2.4.0"}}')).toEqual(ok(EMPTY_V33));
  });

  test('a repeated object member merges into the struct the first one filled', () => {
    const input = '{"ignition":{"version":"2.3.0","timeouts":{"httpTotal":5}},"ignition":{"timeouts":{"httpResponseHeaders":7}}}';
    expect(run(input)).toEqual(ok(EMPTY_V33.replace('"timeouts":{}', '"timeouts":{"httpResponseHeaders":7,"httpTotal":5}')));
  });

  test("a repeated array decodes into the earlier elements, even past a shorter repeat (Go's slice capacity)", () => {
    const input =
      '{"ignition":{"version":"2.3.0"},"systemd":{"units":[{"name":"a.service","mask":true},{"name":"b.service","mask":true}]},' +
      '"systemd":{"units":[{"name":"c.service"}]},"systemd":{"units":[{"name":"d.service"},{"name":"e.service"}]}}';
    expect(run(input)).toEqual(ok(v33Units('{"mask":true,"name":"d.service"},{"mask":true,"name":"e.service"}')));
    const shorter = '{"ignition":{"version":"2.3.0"},"systemd":{"units":[{"name":"a.service","mask":true}]},"systemd":{"units":[]},"systemd":{"units":[{"name":"d.service"}]}}';
    expect(run(shorter)).toEqual(ok(v33Units('{"name":"d.service"}')));
  });

  test('null leaves a value alone, and a null element is a zero value', () => {
    expect(run(withUnits('{"name":"a.service","mask":true,"mask":null}'))).toEqual(ok(v33Units('{"mask":true,"name":"a.service"}')));
    const input = '{"ignition":{"version":"2.3.0"},"passwd":{"users":[{"name":"a","sshAuthorizedKeys":[null,"k"]}]}}';
    expect(run(input)).toEqual(ok(EMPTY_V33.replace('"passwd":{}', '"passwd":{"users":[{"name":"a","sshAuthorizedKeys":["","k"]}]}')));
  });

  test('unpaired surrogate escapes and invalid UTF-8 become U+FFFD, written raw', () => {
    const unit = (contents: string): string => `{"contents":${JSON.stringify(contents)},"name":"a.service"}`;
    expect(run(withUnits('{"name":"a.service","contents":"x\ud800y\udc00\ud83d\ude00"}')).compact).toBe(v33Units(unit('x\ufffdy\ufffd\u{1f600}')));
    expect(run(withUnits('{"name":"a.service","contents":"\ud800\u0041"}')).compact).toBe(v33Units(unit('\ufffdA')));
    const bytes = Buffer.concat([Buffer.from('{"ignition":{"version":"2.3.0"},"systemd":{"units":[{"name":"a.service","contents":"'), Buffer.from([0xe2, 0x82, 0x41, 0xed, 0xa0, 0x80]), Buffer.from('"}]}}')]);
    expect(run(bytes).compact).toBe(v33Units(unit('\ufffd\ufffdA\ufffd\ufffd\ufffd')));
  });

  test('integers are int64, exact past 2^53', () => {
    const uid = (n: string): string => `{"ignition":{"version":"2.3.0"},"passwd":{"users":[{"name":"a","uid":${n}}]}}`;
    const v33 = (n: string): string => EMPTY_V33.replace('"passwd":{}', `"passwd":{"users":[{"name":"a","uid":${n}}]}`);
    for (const n of ['9007199254740993', '9223372036854775807', '-9223372036854775808', '-9007199254740993']) expect(run(uid(n))).toEqual(ok(v33(n)));
  });
});

/**
 * go-yaml's type errors quote `value[:7] + "..."` for values over 10 bytes: a cut through a
 * multi-byte character leaves its first bytes raw, and ct writes exactly those bytes (vector
 * ct-fuzz/type-error-truncation-utf8). Library users read U+FFFD in their place.
 */
import { transpile, TranspileError } from '../../transpiler';
import { runCt } from '../../transpiler/cli';
import { goSprintfNoArgs } from '../../transpiler/diagnostics';
import { cutBytes, goStringBytes, goStringFromBytes, readableGoString } from '../../transpiler/go/raw-bytes';

/** The exact stderr of ct for a `mode` holding `value`, the quoted part given as bytes. */
function modeError(quoted: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('error: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `'),
    quoted,
    Buffer.from('` into int\nFailed to parse config\n'),
  ]);
}

function runMode(value: string, dialect: 'coreos' | 'flatcar') {
  const input = Buffer.from(`storage:\n  files:\n    - mode: ${value}\n`);
  return runCt(['--dialect', dialect], input, '/');
}

describe.each(['coreos', 'flatcar'] as const)('%s', (dialect) => {
  test.each([
    // [value, the bytes kept before "...", how a JS reader sees them]
    ['éééééé', 'c3a9c3a9c3a9c3', 'ééé\ufffd'], // a 2-byte character cut after its lead byte
    ['aaaaaa€€', '616161616161e2', 'aaaaaa\ufffd'], // a 3-byte character cut after one byte
    ['aaaaa€€', '6161616161e282', 'aaaaa\ufffd\ufffd'], // ... after two
    ['aaaaaa😀a', '616161616161f0', 'aaaaaa\ufffd'], // a 4-byte character cut after one byte
    ['aaaaa😀aa', '6161616161f09f', 'aaaaa\ufffd\ufffd'], // ... after two
    ['aaaa😀aaa', '61616161f09f98', 'aaaa\ufffd\ufffd\ufffd'], // ... after three
  ])('%s is cut after 7 bytes', (value, kept, readable) => {
    const run = runMode(value, dialect);
    expect(run.exitCode).toBe(1);
    const quoted = Buffer.concat([Buffer.from(kept, 'hex'), Buffer.from('...')]);
    expect(Buffer.from(run.stderrBytes).toString('hex')).toBe(modeError(quoted).toString('hex'));
    expect(run.stderr).toBe(modeError(Buffer.from(`${readable}...`)).toString('utf8'));
  });

  test('values of at most 10 bytes are quoted whole', () => {
    const run = runMode('aaaaaa€x', dialect);
    expect(Buffer.from(run.stderrBytes)).toEqual(modeError(Buffer.from('aaaaaa€x')));
  });

  test('TranspileError keeps the exact bytes and a readable text', () => {
    let err: unknown;
    try {
      transpile('storage:\n  files:\n    - mode: éééééé\n', { dialect });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TranspileError);
    const failure = err as TranspileError;
    expect(Buffer.from(failure.stderrBytes)).toEqual(modeError(Buffer.from('c3a9c3a9c3a9c32e2e2e', 'hex')));
    expect(failure.stderr).toBe('error: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `ééé\ufffd...` into int\nFailed to parse config\n');
    expect(failure.diagnostics[0].message).toContain('`ééé\ufffd...`');
    expect(failure.message).toContain('`ééé\ufffd...`');
  });

  test('a raw byte right after % is a bad verb: fmt prints U+FFFD for it', () => {
    // "aaaaa%é...": the cut leaves `%` + C3, which ct's Sprintf pass reads as verb utf8.RuneError
    const run = runMode('aaaaa%ééé', dialect);
    expect(Buffer.from(run.stderrBytes)).toEqual(modeError(Buffer.from('aaaaa%!\ufffd(MISSING)...')));
  });
});

describe('raw bytes in Go strings', () => {
  test('cutBytes cuts UTF-8 bytes, keeping the head of a split character raw', () => {
    expect(goStringBytes(cutBytes('aé', 2)).toString('hex')).toBe('61c3');
    expect(goStringBytes(cutBytes('a😀', 4)).toString('hex')).toBe('61f09f98');
    expect(cutBytes('abc', 2)).toBe('ab');
    expect(cutBytes('abc', 7)).toBe('abc');
    // a raw byte already in the string counts as one byte
    expect(goStringBytes(cutBytes(cutBytes('aé', 2) + 'x', 2)).toString('hex')).toBe('61c3');
  });

  test('readableGoString shows raw bytes as U+FFFD and leaves surrogate pairs alone', () => {
    expect(readableGoString(cutBytes('€', 2))).toBe('\ufffd\ufffd');
    expect(readableGoString('😀')).toBe('😀');
    expect(goStringBytes('😀').toString('hex')).toBe('f09f9880');
  });

  test('goStringFromBytes keeps each invalid byte raw, like Go string(b)', () => {
    const bytes = Buffer.from('ffc3a9e282f09f9880ef', 'hex');
    expect(goStringBytes(goStringFromBytes(bytes))).toEqual(bytes);
    expect(readableGoString(goStringFromBytes(bytes))).toBe('\ufffdé\ufffd\ufffd😀\ufffd');
    expect(goStringFromBytes(Buffer.from('héllo'))).toBe('héllo');
  });

  test('goSprintfNoArgs: a raw byte as the verb', () => {
    expect(goSprintfNoArgs(`x%${cutBytes('é', 1)}y`)).toBe('x%!\ufffd(MISSING)y');
  });
});

describe.each(['coreos', 'flatcar'] as const)('!!binary values that are not UTF-8, %s', (dialect) => {
  test('keep their bytes: percent-escaped in a data URL, \\ufffd per bad byte in JSON', () => {
    const input =
      'storage:\n  files:\n    - path: /a\n      filesystem: root\n      mode: 0644\n      contents:\n        inline: !!binary /8OpgA==\n' +
      'systemd:\n  units:\n    - name: a.service\n      contents: !!binary /8Op\n';
    const json = transpile(input, { dialect }).json;
    expect(json).toContain('"source":"data:,%FF%C3%A9%80"');
    expect(json).toContain('"contents":"\\ufffdé"');
  });
});

/**
 * `runButane`, the `butane` command (Butane v0.23.0's `internal/main.go` with spf13/pflag at the
 * commit it pins; docs/butane.md §2): input, output, every flag, the usage text, and pflag's own
 * error handling (ExitOnError: error and usage on stderr, the error again on stdout, exit 2).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUTANE_VERSION, runButane } from '../../transpiler/butane/cli';
import { goQuote, sprintfNoArgs } from '../../transpiler/butane/pflag';

const VECTORS = join(__dirname, '../conformance/butane');

/** What Butane v0.23.0 prints for `--help` (pflag's PrintDefaults: sorted by long name, hidden `--debug` and `--input` left out). */
const USAGE = [
  'Usage: butane [options] [input-file]',
  'Options:',
  '  -c, --check              check config without producing output',
  '  -d, --files-dir string   allow embedding local files from this directory',
  '  -h, --help               show usage and exit',
  '  -o, --output string      write to output file instead of stdout',
  '  -p, --pretty             output formatted json',
  '  -r, --raw                never wrap in a MachineConfig; force Ignition output',
  '  -s, --strict             fail on any warning',
  '  -V, --version            print the version and exit',
  '',
].join('\n');

const CONFIG = 'variant: flatcar\nversion: 1.1.0\npasswd:\n  users:\n    - name: core\n      groups: [docker]\n';
const COMPACT = '{"ignition":{"version":"3.4.0"},"passwd":{"users":[{"groups":["docker"],"name":"core"}]}}\n';
const PRETTY = `${JSON.stringify(JSON.parse(COMPACT), null, 2)}\n`;
/** A 1.1-only key under 1.0.0: one `Unused key` warning. */
const WARNING_CONFIG = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  luks:\n    - name: d\n      device: /dev/vdb\n      discard: true\n';
const WARNING = 'warning at $.storage.luks.0.discard, line 7 col 7: Unused key discard\n';
const LOCAL_CONFIG = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/motd\n      contents:\n        local: motd.txt\n';

let dir: string;
const noStdin = (): Uint8Array => {
  throw new Error('stdin read although an input file was named');
};
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const run = (argv: readonly string[], stdin: Uint8Array | (() => Uint8Array) = noStdin) => runButane(argv, stdin, dir);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'butane-cli-'));
  writeFileSync(join(dir, 'config.bu'), CONFIG);
  writeFileSync(join(dir, 'warn.bu'), WARNING_CONFIG);
  writeFileSync(join(dir, 'local.bu'), LOCAL_CONFIG);
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'motd.txt'), 'hello\n');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('input', () => {
  it('reads the named file, relative to the working directory', () => {
    expect(run(['config.bu'])).toEqual({ stdout: COMPACT, stderr: '', exitCode: 0 });
  });

  it('reads stdin when no file is named', () => {
    expect(run([], bytes(CONFIG))).toEqual({ stdout: COMPACT, stderr: '', exitCode: 0 });
    expect(run([], () => bytes(CONFIG))).toEqual({ stdout: COMPACT, stderr: '', exitCode: 0 });
    expect(run(['-p'], bytes(CONFIG))).toEqual({ stdout: PRETTY, stderr: '', exitCode: 0 });
  });

  it('a missing file: os.Open error, exit 1', () => {
    expect(run(['x.bu'])).toEqual({ stdout: '', stderr: 'failed to open x.bu: open x.bu: no such file or directory\n', exitCode: 1 });
    expect(run(['-p', 'sub/x.bu'])).toEqual({ stdout: '', stderr: 'failed to open sub/x.bu: open sub/x.bu: no such file or directory\n', exitCode: 1 });
  });

  it('a directory opens but cannot be read', () => {
    expect(run(['files'])).toEqual({ stdout: '', stderr: 'failed to read files: read files: is a directory\n', exitCode: 1 });
  });

  it('flags may follow the file, and `--` ends the flags', () => {
    expect(run(['config.bu', '--pretty'])).toEqual({ stdout: PRETTY, stderr: '', exitCode: 0 });
    writeFileSync(join(dir, '-p'), CONFIG);
    expect(run(['--', '-p'])).toEqual({ stdout: COMPACT, stderr: '', exitCode: 0 });
  });

  it('the deprecated --input still reads the file, with pflag notice', () => {
    const notice = 'Flag --input has been deprecated, specify filename directly on command line\n';
    expect(run(['--input', 'config.bu'])).toEqual({ stdout: COMPACT, stderr: notice, exitCode: 0 });
    expect(run(['--input=config.bu', '-p'])).toEqual({ stdout: PRETTY, stderr: notice, exitCode: 0 });
    // --input and a positional argument: usage, exit 2
    expect(run(['--input', 'config.bu', 'warn.bu'])).toEqual({ stdout: '', stderr: notice + USAGE, exitCode: 2 });
    expect(run(['--input', 'x.bu'])).toEqual({ stdout: '', stderr: `${notice}failed to open x.bu: open x.bu: no such file or directory\n`, exitCode: 1 });
  });

  it('two positional arguments: usage on stderr, exit 2', () => {
    expect(run(['config.bu', 'warn.bu'])).toEqual({ stdout: '', stderr: USAGE, exitCode: 2 });
    // checked before --help
    expect(run(['-h', 'a', 'b'])).toEqual({ stdout: '', stderr: USAGE, exitCode: 2 });
  });
});

describe('-o/--output', () => {
  it('writes the JSON and a newline with mode 0644 (less the umask), nothing on stdout', () => {
    const r = run(['-o', 'out.ign', 'config.bu']);
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(readFileSync(join(dir, 'out.ign'), 'utf8')).toBe(COMPACT);
    expect(statSync(join(dir, 'out.ign')).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  it('every spelling; an existing file is truncated', () => {
    writeFileSync(join(dir, 'out.ign'), 'x'.repeat(1000));
    for (const argv of [['--output', 'out.ign'], ['--output=out.ign'], ['-oout.ign'], ['-o=out.ign'], ['-po', 'out.ign']]) {
      expect(run([...argv, 'config.bu'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(readFileSync(join(dir, 'out.ign'), 'utf8')).toBe(argv[0] === '-po' ? PRETTY : COMPACT);
    }
  });

  it('warnings still go to stderr', () => {
    expect(run(['warn.bu', '-o', 'w.ign'])).toEqual({ stdout: '', stderr: WARNING, exitCode: 0 });
    expect(readFileSync(join(dir, 'w.ign'), 'utf8')).toMatch(/^\{"ignition":\{"version":"3\.3\.0"\}.*\}\n$/);
  });

  it('is not created when the translation fails or with --check', () => {
    expect(run(['local.bu', '-o', 'no.ign']).exitCode).toBe(1);
    expect(run(['config.bu', '-c', '-o', 'no.ign'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(existsSync(join(dir, 'no.ign'))).toBe(false);
  });

  it('an output that cannot be opened: exit 1', () => {
    expect(run(['config.bu', '-o', 'missing/out.ign'])).toEqual({
      stdout: '',
      stderr: 'failed to open missing/out.ign: open missing/out.ign: no such file or directory\n',
      exitCode: 1,
    });
    expect(run(['config.bu', '-o', 'files'])).toEqual({ stdout: '', stderr: 'failed to open files: open files: is a directory\n', exitCode: 1 });
  });
});

describe('-d/--files-dir', () => {
  const expected = (): string => {
    const r = run(['-d', 'files', 'local.bu']);
    expect(r.exitCode).toBe(0);
    return r.stdout;
  };

  it('every spelling reads the same file', () => {
    const out = expected();
    expect(JSON.parse(out).storage.files[0]).toEqual({ path: '/etc/motd', contents: { compression: '', source: 'data:,hello%0A' } });
    for (const argv of [['-dfiles'], ['-d', 'files'], ['-d=files'], ['--files-dir=files'], ['--files-dir', 'files'], ['-pdfiles']]) {
      const r = run([...argv, 'local.bu']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(argv[0] === '-pdfiles' ? `${JSON.stringify(JSON.parse(out), null, 2)}\n` : out);
    }
  });

  it('absent: the local file is an error', () => {
    expect(run(['local.bu'])).toEqual({
      stdout: '',
      stderr:
        'error at $.storage.files.0.contents.local, line 7 col 16: local file paths are relative to a files directory that must be specified with -d/--files-dir\n' +
        'Error translating config: source config is invalid\n',
      exitCode: 1,
    });
  });

  it('a vector with files/ (ok-flatcar-1_1-ssh-keys-local), from its folder', () => {
    const vector = join(VECTORS, 'ok-flatcar-1_1-ssh-keys-local');
    const expectedIgn = readFileSync(join(vector, 'expected.ign'), 'utf8');
    for (const argv of [['--pretty', '-d', 'files'], ['-p', '-dfiles'], ['--files-dir=files', '--pretty']]) {
      expect(runButane([...argv, 'input.bu'], noStdin, vector)).toEqual({ stdout: expectedIgn, stderr: '', exitCode: 0 });
    }
  });
});

describe('-p/--pretty, -r/--raw', () => {
  it('indent with two spaces', () => {
    expect(run(['-p', 'config.bu']).stdout).toBe(PRETTY);
    expect(run(['--pretty', 'config.bu']).stdout).toBe(PRETTY);
    expect(run(['--pretty=true', 'config.bu']).stdout).toBe(PRETTY);
    expect(run(['--pretty=false', 'config.bu']).stdout).toBe(COMPACT);
    expect(run(['-p=0', 'config.bu']).stdout).toBe(COMPACT);
  });

  it('a vector byte for byte', () => {
    const vector = join(VECTORS, 'ok-flatcar-1_0-users-all-fields');
    const expectedIgn = readFileSync(join(vector, 'expected.ign'), 'utf8');
    expect(runButane(['-p', 'input.bu'], noStdin, vector)).toEqual({ stdout: expectedIgn, stderr: '', exitCode: 0 });
  });

  it('-r/--raw is accepted and changes nothing for flatcar and fcos', () => {
    for (const argv of [['-r'], ['--raw'], ['-rp'], ['--raw=true']]) {
      expect(run([...argv, 'config.bu'])).toEqual({ stdout: argv[0] === '-rp' ? PRETTY : COMPACT, stderr: '', exitCode: 0 });
    }
  });
});

describe('-s/--strict', () => {
  it('fails on a warning: exit 1, nothing on stdout', () => {
    const strict = { stdout: '', stderr: `${WARNING}Config produced warnings and --strict was specified\n`, exitCode: 1 };
    expect(run(['-s', 'warn.bu'])).toEqual(strict);
    expect(run(['--strict', 'warn.bu'])).toEqual(strict);
    expect(run(['-ps', 'warn.bu'])).toEqual(strict);
    expect(run(['warn.bu', '-s', '-o', 'w.ign'])).toEqual(strict);
    expect(existsSync(join(dir, 'w.ign'))).toBe(false);
  });

  it('without it the warning is printed and the config written', () => {
    const r = run(['warn.bu']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(WARNING);
    expect(r.stdout).toBe('{"ignition":{"version":"3.3.0"},"storage":{"luks":[{"device":"/dev/vdb","name":"d"}]}}\n');
  });

  it('a clean config passes', () => {
    expect(run(['-s', 'config.bu'])).toEqual({ stdout: COMPACT, stderr: '', exitCode: 0 });
  });

  it('matches the strict vector', () => {
    const vector = join(VECTORS, 'warn-flatcar-1_0-luks-1_1-fields-strict');
    const stderr = readFileSync(join(vector, 'stderr.txt'), 'utf8');
    expect(runButane(['--pretty', '--strict', 'input.bu'], noStdin, vector)).toEqual({ stdout: '', stderr, exitCode: 1 });
  });
});

describe('-c/--check', () => {
  it('prints no config; the exit code tells', () => {
    expect(run(['-c', 'config.bu'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(run(['--check', 'warn.bu'])).toEqual({ stdout: '', stderr: WARNING, exitCode: 0 });
    expect(run(['--check', '--strict', 'warn.bu'])).toEqual({ stdout: '', stderr: `${WARNING}Config produced warnings and --strict was specified\n`, exitCode: 1 });
    const failed = run(['-c', 'local.bu']);
    expect(failed.stdout).toBe('');
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/Error translating config: source config is invalid\n$/);
  });
});

describe('--help and --version', () => {
  it('-h/--help: the usage on stdout, exit 0', () => {
    for (const argv of [['-h'], ['--help'], ['--help', 'config.bu'], ['-ph'], ['--help=true']]) {
      expect(run(argv)).toEqual({ stdout: USAGE, stderr: '', exitCode: 0 });
    }
    expect(runButane(['-h'], noStdin, dir, '/usr/bin/butane').stdout).toBe(USAGE.replace('Usage: butane', 'Usage: /usr/bin/butane'));
  });

  it('--help wins over --version', () => {
    expect(run(['-V', '-h'])).toEqual({ stdout: USAGE, stderr: '', exitCode: 0 });
  });

  it('-V/--version', () => {
    expect(BUTANE_VERSION).toBe('Butane v0.23.0');
    for (const argv of [['-V'], ['--version'], ['--version', 'x.bu'], ['-pV']]) {
      expect(run(argv)).toEqual({ stdout: 'Butane v0.23.0\n', stderr: '', exitCode: 0 });
    }
  });

  it('the hidden flags are accepted', () => {
    expect(run(['-D', 'config.bu']).exitCode).toBe(0);
    expect(run(['--debug', 'config.bu']).exitCode).toBe(0);
  });
});

describe("pflag's errors: message and usage on stderr, the message on stdout, exit 2", () => {
  const usageError = (message: string, printed = message, notices = '') => ({ stdout: `${message}\n`, stderr: `${notices}${printed}\n${USAGE}`, exitCode: 2 });

  it('an unknown flag', () => {
    expect(run(['--nope'])).toEqual(usageError('unknown flag: --nope'));
    expect(run(['config.bu', '--nope=1'])).toEqual(usageError('unknown flag: --nope'));
    expect(run(['--Pretty'])).toEqual(usageError('unknown flag: --Pretty'));
  });

  it('an unknown shorthand names what is left of the group', () => {
    expect(run(['-x'])).toEqual(usageError("unknown shorthand flag: 'x' in -x"));
    expect(run(['-px', 'config.bu'])).toEqual(usageError("unknown shorthand flag: 'x' in -x"));
    expect(run(['-pqr'])).toEqual(usageError("unknown shorthand flag: 'q' in -qr"));
    // `-p=` is -p, then an unknown `=`
    expect(run(['-p='])).toEqual(usageError("unknown shorthand flag: '=' in -="));
    // the first byte of a non-ASCII letter, quoted as a rune
    expect(run(['-é'])).toEqual(usageError("unknown shorthand flag: 'Ã' in -é"));
    expect(run(["-'"])).toEqual(usageError("unknown shorthand flag: '\\'' in -'"));
  });

  it('a missing value', () => {
    expect(run(['-o'])).toEqual(usageError("flag needs an argument: 'o' in -o"));
    expect(run(['-pd'])).toEqual(usageError("flag needs an argument: 'd' in -d"));
    expect(run(['config.bu', '--output'])).toEqual(usageError('flag needs an argument: --output'));
    // a value may look like a flag
    expect(run(['-o', '-p', 'config.bu'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(readFileSync(join(dir, '-p'), 'utf8')).toBe(COMPACT);
  });

  it('-d= sets the files directory to "="', () => {
    mkdirSync(join(dir, '='));
    writeFileSync(join(dir, '=', 'motd.txt'), 'hello\n');
    expect(run(['-d=', 'local.bu']).exitCode).toBe(0);
  });

  it('a bad boolean', () => {
    expect(run(['--pretty=maybe'])).toEqual(usageError('invalid argument "maybe" for "-p, --pretty" flag: strconv.ParseBool: parsing "maybe": invalid syntax'));
    expect(run(['-s=yes'])).toEqual(usageError('invalid argument "yes" for "-s, --strict" flag: strconv.ParseBool: parsing "yes": invalid syntax'));
    expect(run(['--check='])).toEqual(usageError('invalid argument "" for "-c, --check" flag: strconv.ParseBool: parsing "": invalid syntax'));
    expect(run(['--raw=a"b'])).toEqual(usageError('invalid argument "a\\"b" for "-r, --raw" flag: strconv.ParseBool: parsing "a\\"b": invalid syntax'));
  });

  it('a bad boolean with a % in it: failf used the message as a format', () => {
    const message = 'invalid argument "100%" for "-p, --pretty" flag: strconv.ParseBool: parsing "100%": invalid syntax';
    const printed = 'invalid argument "100%!"(MISSING) for "-p, --pretty" flag: strconv.ParseBool: parsing "100%!"(MISSING): invalid syntax';
    expect(run(['--pretty=100%'])).toEqual(usageError(message, printed));
  });

  it('bad flag syntax', () => {
    expect(run(['---x'])).toEqual(usageError('bad flag syntax: ---x'));
    expect(run(['--=x'])).toEqual(usageError('bad flag syntax: --=x'));
  });

  it('deprecation notices printed before the error stay', () => {
    const notice = 'Flag --input has been deprecated, specify filename directly on command line\n';
    expect(run(['--input', 'config.bu', '--nope'])).toEqual(usageError('unknown flag: --nope', undefined, notice));
  });

  it("go test's -test.* flags are skipped", () => {
    expect(run(['-test.v', 'config.bu'])).toEqual({ stdout: COMPACT, stderr: '', exitCode: 0 });
    expect(run(['-ptest.x', 'config.bu'])).toEqual({ stdout: PRETTY, stderr: '', exitCode: 0 });
  });

  it('a lone - is an argument', () => {
    expect(run(['-'])).toEqual({ stdout: '', stderr: 'failed to open -: open -: no such file or directory\n', exitCode: 1 });
  });
});

describe("Go's fmt and strconv helpers", () => {
  it('goQuote is strconv.Quote', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\t\n\x01\x7f')).toBe('"\\t\\n\\x01\\x7f"');
    expect(goQuote('é\u00a0\u00ad😀\u2028')).toBe('"é\\u00a0\\u00ad😀\\u2028"');
  });

  it('sprintfNoArgs is fmt.Sprintf without arguments', () => {
    expect(sprintfNoArgs('no verbs')).toBe('no verbs');
    expect(sprintfNoArgs('100%% sure')).toBe('100% sure');
    expect(sprintfNoArgs('%d and %-5.2f and %s')).toBe('%!d(MISSING) and %!f(MISSING) and %!s(MISSING)');
    expect(sprintfNoArgs('end %')).toBe('end %!(NOVERB)');
    expect(sprintfNoArgs('%*d')).toBe('%!(BADWIDTH)%!d(MISSING)');
    expect(sprintfNoArgs('%.*d')).toBe('%!(BADPREC)%!d(MISSING)');
    expect(sprintfNoArgs('%[1]d')).toBe('%!d(BADINDEX)');
    expect(sprintfNoArgs('%.')).toBe('%!.(MISSING)');
    expect(sprintfNoArgs('%é')).toBe('%!é(MISSING)');
  });
});

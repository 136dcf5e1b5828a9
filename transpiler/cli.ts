#!/usr/bin/env node
/**
 * `ct`, the Container Linux Config Transpiler, as a drop-in for ct v0.9.0's `internal/main.go`
 * (or Flatcar's v0.9.4 with `--dialect flatcar`): same flags, stdout, stderr and exit codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IgnitionVersion } from './api';
import type { Dialect } from './convert';
import { TranspileError } from './diagnostics';
import { quoteGo } from './go/quote';
import { ignitionVersionError } from './ign3/ct-output';
import { SUPPORTED_PLATFORMS } from './sections/platform';
import { goFileReader, TranspilePanic, transpileWith } from './transpile';
import { writeStdio } from './write-std';
/**
 * A small port of Go's `flag` package as ct's `main` uses it (docs/ct.md §2): `-x` and `--x`,
 * `--x=v` and `--x v`, bool flags, stop at the first non-flag or `--`, lexically sorted usage,
 * and `ExitOnError` handling (exit 2, or 0 for an undefined `-h`/`-help`).
 */

export interface FlagDef {
  readonly name: string;
  readonly kind: 'bool' | 'string';
  readonly usage: string;
  /** Default value of a string flag; '' when absent (Go then prints no `(default ...)`). */
  readonly defaultValue?: string;
}

export type FlagValues = Record<string, string | boolean>;

export type FlagParse =
  | { readonly ok: true; readonly values: FlagValues; readonly args: readonly string[] }
  | { readonly ok: false; readonly exitCode: number; readonly stderr: string };

/** Go's `PrintDefaults` preceded by `Usage of <program>:`. */
export function usage(program: string, defs: readonly FlagDef[]): string {
  let out = `Usage of ${program}:\n`;
  for (const def of [...defs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let line = `  -${def.name}`;
    if (def.kind === 'string') line += ' string';
    // one-letter bool flags keep their usage on the same line
    line += line.length <= 4 ? '\t' : '\n    \t';
    line += def.usage.replace(/\n/g, '\n    \t');
    if (def.defaultValue) line += ` (default ${quoteGo(def.defaultValue)})`;
    out += line + '\n';
  }
  return out;
}

/** strconv.ParseBool. */
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export function parseFlags(program: string, defs: readonly FlagDef[], argv: readonly string[]): FlagParse {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const values: FlagValues = {};
  for (const d of defs) values[d.name] = d.kind === 'bool' ? false : (d.defaultValue ?? '');
  const fail = (message: string): FlagParse => ({ ok: false, exitCode: 2, stderr: `${message}\n${usage(program, defs)}` });

  let i = 0;
  while (i < argv.length) {
    const s = argv[i];
    if (s.length < 2 || s[0] !== '-') break;
    let minuses = 1;
    if (s[1] === '-') {
      minuses = 2;
      if (s.length === 2) {
        i++;
        break;
      }
    }
    let name = s.slice(minuses);
    if (name.length === 0 || name[0] === '-' || name[0] === '=') return fail(`bad flag syntax: ${s}`);
    i++;
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = byName.get(name);
    if (!def) {
      if (name === 'help' || name === 'h') return { ok: false, exitCode: 0, stderr: usage(program, defs) };
      return fail(`flag provided but not defined: -${name}`);
    }
    if (def.kind === 'bool') {
      const parsed = value === undefined ? true : parseGoBool(value);
      if (parsed === undefined) return fail(`invalid boolean value ${quoteGo(value ?? '')} for -${name}: parse error`);
      values[name] = parsed;
      continue;
    }
    if (value === undefined) {
      if (i >= argv.length) return fail(`flag needs an argument: -${name}`);
      value = argv[i++];
    }
    values[name] = value;
  }
  return { ok: true, values, args: argv.slice(i) };
}

/** The `ct` command (ct's `internal/main.go`, docs/ct.md §2); `--dialect` picks which ct to be. */
const PROGRAM = 'ct';
const CT_VERSION: Readonly<Record<Dialect, string>> = { coreos: 'ct v0.9.0', flatcar: 'ct v0.9.4' };
const DIALECTS: readonly string[] = ['coreos', 'flatcar'];

const FLAGS: readonly FlagDef[] = [
  { name: 'help', kind: 'bool', usage: 'Print help and exit.' },
  { name: 'pretty', kind: 'bool', usage: 'Indent the resulting Ignition config.' },
  { name: 'version', kind: 'bool', usage: 'Print the version and exit.' },
  { name: 'in-file', kind: 'string', usage: 'Path to the container linux config. Standard input unless specified otherwise.' },
  { name: 'out-file', kind: 'string', usage: 'Path to the resulting Ignition config. Standard output unless specified otherwise.' },
  { name: 'strict', kind: 'bool', usage: 'Fail if any warnings are encountered.' },
  { name: 'platform', kind: 'string', usage: `Platform to target. Accepted values: [${SUPPORTED_PLATFORMS.join(' ')}].` },
  { name: 'files-dir', kind: 'string', usage: 'Directory to read local files from.' },
  { name: 'dialect', kind: 'string', usage: 'Which ct to behave like: coreos (ct v0.9.0) or flatcar (ct v0.9.4).', defaultValue: 'coreos' },
  {
    name: 'ignition-version',
    kind: 'string',
    usage: "Ignition spec of the output: the dialect's own (2.2.0 coreos, 2.3.0 flatcar) or 3.3.0, translated as Flatcar's Ignition does at boot.",
  },
];

/** What one ct invocation writes and returns. */
export interface CtRun {
  readonly stdout: string;
  /** stderr as text; a byte that is not UTF-8 (a cut character in a message) shows as U+FFFD. */
  readonly stderr: string;
  /** Exactly the bytes ct writes to stderr. */
  readonly stderrBytes: Uint8Array;
  readonly exitCode: number;
}

/** A run whose stderr is plain text (or a failure that already carries its exact bytes). */
function ctRun(stdout: string, stderr: string | TranspileError, exitCode: number): CtRun {
  if (typeof stderr !== 'string') return { stdout, stderr: stderr.stderr, stderrBytes: stderr.stderrBytes, exitCode };
  return { stdout, stderr, stderrBytes: Buffer.from(stderr, 'utf8'), exitCode };
}

/** Go's `os.Open`/`os.Create` error text for a Node fs error. */
function goOpenError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const text: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
  };
  return `open ${path}: ${text[code] ?? (err as Error).message}`;
}

/**
 * Runs ct with `argv` (without the program name), reading stdin lazily and resolving paths
 * against `cwd`; the output file is written only after success.
 */
export function runCt(argv: readonly string[], stdin: Uint8Array | (() => Uint8Array), cwd: string): CtRun {
  const parsed = parseFlags(PROGRAM, FLAGS, argv);
  if (!parsed.ok) return ctRun('', parsed.stderr, parsed.exitCode);
  const flags = parsed.values;
  const dialect = flags.dialect as string;
  if (!DIALECTS.includes(dialect)) {
    const message = `invalid value ${quoteGo(dialect)} for flag -dialect: must be coreos or flatcar`;
    return ctRun('', `${message}\n${usage(PROGRAM, FLAGS)}`, 2);
  }
  const ignitionVersion = flags['ignition-version'] as string;
  const versionError = ignitionVersionError(dialect as Dialect, ignitionVersion || undefined);
  if (versionError) {
    const message = `invalid value ${quoteGo(ignitionVersion)} for flag -ignition-version: ${versionError}`;
    return ctRun('', `${message}\n${usage(PROGRAM, FLAGS)}`, 2);
  }
  if (flags.help) return ctRun('', usage(PROGRAM, FLAGS), 0);
  if (flags.version) return ctRun(CT_VERSION[dialect as Dialect] + '\n', '', 0);

  const inFile = flags['in-file'] as string;
  let input: Uint8Array;
  try {
    input = inFile === '' ? (typeof stdin === 'function' ? stdin() : stdin) : readFileSync(resolve(cwd, inFile));
  } catch (err) {
    // Go opens a directory fine and fails on the read that follows
    const isDir = (err as NodeJS.ErrnoException).code === 'EISDIR';
    const failure = isDir ? `Failed to read: read ${inFile}: is a directory` : `Failed to open: ${goOpenError(inFile, err)}`;
    return ctRun('', failure + '\n', 1);
  }

  let result;
  try {
    result = transpileWith(
      input,
      {
        dialect: dialect as Dialect,
        pretty: flags.pretty as boolean,
        strict: flags.strict as boolean,
        platform: flags.platform as string,
        filesDir: flags['files-dir'] as string,
        origin: inFile || undefined,
        ignitionVersion: (ignitionVersion || undefined) as IgnitionVersion | undefined,
      },
      goFileReader(cwd),
    );
  } catch (err) {
    if (err instanceof TranspilePanic) return ctRun('', err, err.exitCode);
    if (err instanceof TranspileError) return ctRun('', err, 1);
    throw err;
  }

  const outFile = flags['out-file'] as string;
  if (outFile === '') return ctRun(result.json, result.stderr, 0);
  try {
    writeFileSync(resolve(cwd, outFile), result.json);
  } catch (err) {
    return ctRun('', `${result.stderr}Failed to create: ${goOpenError(outFile, err)}\n`, 1);
  }
  return ctRun('', result.stderr, 0);
}

/** The command itself; `dist/bin/ct.js` calls it in the bundle. */
export function main(): void {
  const run = runCt(process.argv.slice(2), () => readFileSync(0), process.cwd());
  writeStdio(run.stdout, run.stderrBytes);
  process.exitCode = run.exitCode;
}

if (require.main === module) main();

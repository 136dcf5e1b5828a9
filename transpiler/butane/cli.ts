#!/usr/bin/env node
/**
 * `butane`, a drop-in for Butane v0.23.0's command (`internal/main.go`, docs/butane.md §2) for the
 * `flatcar` and `fcos` variants: same flags, stdout, stderr and exit codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeButaneFs } from './files-dir';
import { parsePflags, pflagDefaults, type PflagDef } from './pflag';
import { formatReport } from './report';
import { translateButane } from './transpile';
import { writeStdio } from '../write-std';

export const BUTANE_VERSION = 'Butane v0.23.0';

const FLAGS: readonly PflagDef[] = [
  { name: 'help', short: 'h', kind: 'bool', usage: 'show usage and exit' },
  { name: 'version', short: 'V', kind: 'bool', usage: 'print the version and exit' },
  { name: 'debug', short: 'D', kind: 'bool', usage: 'log translations', hidden: true },
  { name: 'check', short: 'c', kind: 'bool', usage: 'check config without producing output' },
  { name: 'strict', short: 's', kind: 'bool', usage: 'fail on any warning' },
  { name: 'pretty', short: 'p', kind: 'bool', usage: 'output formatted json' },
  { name: 'raw', short: 'r', kind: 'bool', usage: 'never wrap in a MachineConfig; force Ignition output' },
  { name: 'input', kind: 'string', usage: 'read from input file instead of stdin', hidden: true, deprecated: 'specify filename directly on command line' },
  { name: 'output', short: 'o', kind: 'string', usage: 'write to output file instead of stdout' },
  { name: 'files-dir', short: 'd', kind: 'string', usage: 'allow embedding local files from this directory' },
];

const usage = (program: string): string => `Usage: ${program} [options] [input-file]\nOptions:\n${pflagDefaults(FLAGS)}`;

export interface ButaneRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** One run of the command; `stdin` is read only when no input file is named. */
export function runButane(argv: readonly string[], stdin: Uint8Array | (() => Uint8Array), cwd: string, program = 'butane'): ButaneRun {
  const parsed = parsePflags(FLAGS, argv);
  // pflag's ExitOnError: failf prints the error and the usage to stderr, then Parse prints the error again, to stdout
  if (!parsed.ok) return { stdout: `${parsed.error}\n`, stderr: `${parsed.notices}${parsed.printed}\n${usage(program)}`, exitCode: 2 };
  const flags = parsed.values;
  let stderr = parsed.notices;
  let input = flags.input as string;
  if (parsed.args.length === 1 && input === '') input = parsed.args[0];
  else if (parsed.args.length > 0) return { stdout: '', stderr: stderr + usage(program), exitCode: 2 };
  if (flags.help) return { stdout: usage(program), stderr, exitCode: 0 };
  if (flags.version) return { stdout: `${BUTANE_VERSION}\n`, stderr, exitCode: 0 };

  let data: Uint8Array;
  try {
    data = input === '' ? (typeof stdin === 'function' ? stdin() : stdin) : readFileSync(resolve(cwd, input));
  } catch (err) {
    // os.Open's error, or, for a directory, the read's
    const isDir = (err as NodeJS.ErrnoException).code === 'EISDIR';
    return { stdout: '', stderr: `${stderr}failed to ${isDir ? 'read' : 'open'} ${input}: ${isDir ? 'read' : 'open'} ${input}: ${goErrno(err)}\n`, exitCode: 1 };
  }
  const outcome = translateButane(data, { pretty: flags.pretty as boolean, filesDir: flags['files-dir'] as string, fs: nodeButaneFs(cwd) });
  stderr += formatReport(outcome.entries);
  if (outcome.error !== undefined) return { stdout: '', stderr: `${stderr}Error translating config: ${outcome.error}\n`, exitCode: 1 };
  if (flags.strict && outcome.entries.length > 0) return { stdout: '', stderr: `${stderr}Config produced warnings and --strict was specified\n`, exitCode: 1 };
  if (flags.check) return { stdout: '', stderr, exitCode: 0 };
  const out = `${outcome.json ?? ''}\n`;
  const output = flags.output as string;
  if (output === '') return { stdout: out, stderr, exitCode: 0 };
  try {
    writeFileSync(resolve(cwd, output), out, { mode: 0o644 });
  } catch (err) {
    return { stdout: '', stderr: `${stderr}failed to open ${output}: open ${output}: ${goErrno(err)}\n`, exitCode: 1 };
  }
  return { stdout: '', stderr, exitCode: 0 };
}

function goErrno(err: unknown): string {
  // Go's syscall.Errno texts
  const text: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ENAMETOOLONG: 'file name too long',
    ELOOP: 'too many levels of symbolic links',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    ENXIO: 'no such device or address',
    ETXTBSY: 'text file busy',
  };
  return text[(err as NodeJS.ErrnoException).code ?? ''] ?? (err as Error).message;
}

/** The command itself; `dist/bin/butane.js` calls it in the bundle. */
export function main(): void {
  const run = runButane(process.argv.slice(2), () => readFileSync(0), process.cwd());
  writeStdio(run.stdout, run.stderr);
  process.exitCode = run.exitCode;
}

if (require.main === module) main();

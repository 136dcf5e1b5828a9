/**
 * Test helper: asks the real systemd how it reads unit files. `systemd --test --system` loads the
 * units of an initial transaction from SYSTEMD_UNIT_PATH and dumps them, with each ExecStart
 * command's argv (after unquoting, unescaping and `%` specifiers; environment variables are only
 * expanded at exec time, which --test never reaches) and each Environment= assignment. It runs
 * as an unprivileged user ("Don't run test mode as root"), needs no running manager and takes
 * well under a second.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const SYSTEMD_BINARY = '/lib/systemd/systemd';

/** Why the oracle cannot run here, or undefined when it can. */
export function systemdOracleUnavailable(): string | undefined {
  try {
    accessSync(SYSTEMD_BINARY, constants.X_OK);
  } catch {
    return `${SYSTEMD_BINARY} not found (apt-get install systemd)`;
  }
  if (process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv not found (util-linux)';
  return undefined;
}

/** A unit to load: its name, its text, and its drop-ins (name to text) in `NAME.d/`. */
export interface OracleUnit {
  readonly name: string;
  readonly text: string;
  readonly dropins?: readonly { readonly name: string; readonly text: string }[];
}

/** What systemd made of one unit. */
export interface OracleResult {
  /** One argv per ExecStart= command; undefined when the unit did not load (see `log`). */
  readonly execStart?: string[][];
  readonly environment: string[];
  /**
   * The unit's other `Key: value` lines, by key, e.g. `Requires` -> `['var-lib-etcd.mount']` or
   * `Where` -> `['/var/lib/etcd']`; systemd's origin note (`(origin-file)`) taken off.
   */
  readonly properties: ReadonlyMap<string, readonly string[]>;
}

/** Loads `units` into one systemd --test run; results by unit name, and systemd's log lines. */
export function askSystemd(units: readonly OracleUnit[]): { results: Map<string, OracleResult>; log: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'systemd-oracle-'));
  try {
    chmodSync(dir, 0o755);
    const write = (file: string, text: string) => {
      writeFileSync(file, text);
      chmodSync(file, 0o644);
    };
    for (const unit of units) {
      write(path.join(dir, unit.name), unit.text);
      if (unit.dropins?.length) {
        const dropinDir = path.join(dir, `${unit.name}.d`);
        mkdirSync(dropinDir);
        chmodSync(dropinDir, 0o755);
        for (const dropin of unit.dropins) write(path.join(dropinDir, dropin.name), dropin.text);
      }
    }
    write(path.join(dir, 'oracle.target'), `[Unit]\n${units.map((u) => `Wants=${u.name}\n`).join('')}`);
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const command = [...asUser, 'env', '-i', `SYSTEMD_UNIT_PATH=${dir}`, SYSTEMD_BINARY, '--test', '--system', '--unit=oracle.target', '--no-pager', '--log-target=console'];
    const run = spawnSync(command[0], command.slice(1), { encoding: 'latin1', timeout: 20_000 });
    if (run.status !== 0) throw new Error(`systemd --test failed (${run.status ?? run.signal}): ${run.stdout}${run.stderr}`);
    return parseDump(`${run.stdout}\n${run.stderr}`, units);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseDump(dump: string, units: readonly OracleUnit[]): { results: Map<string, OracleResult>; log: string[] } {
  const lines = dump.split('\n');
  const results = new Map<string, OracleResult>();
  const wanted = new Set(units.map((u) => u.name));
  for (let i = 0; i < lines.length; i++) {
    const header = /^\t-> Unit (.+):$/.exec(lines[i]);
    if (!header || !wanted.has(header[1])) continue;
    const environment: string[] = [];
    const properties = new Map<string, string[]>();
    let execStart: string[][] | undefined;
    let inExecStart = false;
    let loaded = false;
    for (i++; i < lines.length && !/^\t-> Unit /.test(lines[i]) && !/^-> /.test(lines[i]); i++) {
      const line = lines[i];
      if (/^\t\tUnit Load State: loaded$/.test(line)) loaded = true;
      const env = /^\t\tEnvironment: (.*)$/.exec(line);
      if (env) environment.push(utf8(env[1]));
      const property = /^\t\t([A-Za-z][A-Za-z ]*): (.*?)(?: \((?:origin|destination)-[a-z -]+\))?$/.exec(line);
      if (property) properties.set(property[1], [...(properties.get(property[1]) ?? []), utf8(property[2])]);
      if (/^\t\t-> /.test(line)) inExecStart = line === '\t\t-> ExecStart:';
      const command = /^\t\t\tCommand Line: (.*)$/.exec(line);
      if (command && inExecStart) (execStart ??= []).push(decodeCommandLine(command[1]));
    }
    i--;
    results.set(header[1], { execStart: loaded ? (execStart ?? []) : undefined, environment, properties });
  }
  const log = lines.filter((line) => /\.(service|mount)\b/.test(line) && /:\d+: /.test(line)).map(utf8);
  return { results, log };
}

const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

/**
 * Reverses quote_command_line(SHELL_ESCAPE_EMPTY): words separated by one space, a word that
 * needed quoting in `"..."` with `\` before `"\`$` and C escapes for control bytes. Throws on
 * anything else, so that a change in systemd's format fails loudly instead of mis-comparing.
 */
export function decodeCommandLine(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\', '`': '`', $: '$', "'": "'" };
  while (i < line.length) {
    let word = '';
    if (line[i] === '"') {
      i++;
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unterminated quote in: ${line}`);
        if (line[i] === '\\') {
          const c = line[i + 1];
          if (c in simple) {
            word += simple[c];
            i += 2;
          } else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (/^[0-7]{3}$/.test(line.slice(i + 1, i + 4))) {
            word += String.fromCharCode(parseInt(line.slice(i + 1, i + 4), 8));
            i += 4;
          } else throw new Error(`unknown escape \\${c} in: ${line}`);
        } else word += line[i++];
      }
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') word += line[i++];
    }
    words.push(utf8(word));
    if (i < line.length) {
      if (line[i] !== ' ') throw new Error(`expected a space at ${i} in: ${line}`);
      i++;
    }
  }
  return words;
}

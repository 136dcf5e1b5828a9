/**
 * Test helper: a stub Flatcar root for `systemd-analyze verify --root=`. It holds
 *
 * - the Flatcar units of `fixtures/units/` and systemd's own targets of `fixtures/systemd/` in
 *   /usr/lib/systemd/system (vendor units, as on the image);
 * - what Ignition writes from a config (spec 2.x or 3.x): unit files, drop-ins, masks, unit files
 *   from storage.files/links, and the symlinks enabling a unit makes (from its [Install]), all
 *   in /etc/systemd/system as Ignition does; and every other file of storage.files with a `data:`
 *   source, with its mode (programs a unit runs, such as /opt/bin/fetch-secrets, and the files
 *   units read);
 * - the image layout (/sbin -> bin, /usr/lib/coreos -> flatcar, ...) and an executable stub
 *   (`exit 0`) for each program of `fixtures/flatcar-image.ts`, so that systemd finds exactly
 *   the programs Flatcar has;
 * - with `dockerClientEdges` (the default), a drop-in in /run/systemd/system/UNIT.d/ for each unit
 *   whose Exec lines run a docker client, declaring what the unit needs at run time: a docker
 *   client blocks until dockerd answers on /run/docker.sock, so the unit cannot finish starting
 *   (or stopping) before docker.service has started: `After=docker.service`, plus
 *   `Wants=docker.service` when a start-time command is the client. Without this, a start job
 *   waiting on docker while docker is ordered after it deadlocks at boot and no static check sees it.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FLATCAR_EXECUTABLES, FLATCAR_SYMLINKS, type DaemonClient } from './fixtures/flatcar-image';
import { shellCommands } from './shell-commands';
import { START_EXEC_KEYS, type EffectiveUnit, type ExecCommand } from './unit-files';

export const FIXTURES = path.join(__dirname, 'fixtures');
/** Unit directories in the root, highest priority first (systemd's system search path). */
export const ETC_UNITS = '/etc/systemd/system';
export const RUN_UNITS = '/run/systemd/system';
export const VENDOR_UNITS = '/usr/lib/systemd/system';
export const UNIT_DIRS = [ETC_UNITS, RUN_UNITS, VENDOR_UNITS] as const;
/** The harness's own drop-in name, so that it sorts after every rendered one. */
export const DOCKER_CLIENT_DROPIN = 'zz-harness-docker-client.conf';

/** The units of one Ignition config, merged by name as Ignition applies them. */
export interface IgnitionUnit {
  readonly name: string;
  enabled?: boolean;
  mask?: boolean;
  contents?: string;
  readonly dropins: { name: string; contents: string }[];
}

export interface StubRoot {
  readonly dir: string;
  /** Units the config names (written, changed by drop-ins, masked or enabled). */
  readonly rendered: readonly string[];
  readonly enabled: readonly string[];
  /** Fixture unit names: Flatcar's, and systemd's own (the boundary of the graph check). */
  readonly flatcarFixtures: readonly string[];
  readonly systemdFixtures: readonly string[];
  /** Units given the docker-client drop-in, with the command that made it. */
  readonly dockerClients: ReadonlyMap<string, string>;
  cleanup(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The config's units, merged by name (ct repeats a name for each drop-in source). */
export function ignitionUnits(ignition: Json): IgnitionUnit[] {
  const version = String(ignition?.ignition?.version ?? '');
  if (!/^[23]\./.test(version)) throw new Error(`not an Ignition 2.x or 3.x config (ignition.version "${version}")`);
  const byName = new Map<string, IgnitionUnit>();
  for (const unit of (ignition.systemd?.units ?? []) as Json[]) {
    const known = new Set(['name', 'enable', 'enabled', 'mask', 'contents', 'dropins']);
    const unknown = Object.keys(unit).filter((key) => !known.has(key));
    if (unknown.length > 0) throw new Error(`unit ${unit.name}: keys the harness does not render: ${unknown.join(', ')}`);
    const merged: IgnitionUnit = byName.get(unit.name) ?? { name: unit.name, dropins: [] };
    byName.set(unit.name, merged);
    // 2.x has `enable` (deprecated) and `enabled`; 3.x has `enabled`.
    const enabled = unit.enabled ?? unit.enable;
    if (enabled !== undefined) merged.enabled = merged.enabled === true || enabled === true;
    if (unit.mask !== undefined) merged.mask = merged.mask === true || unit.mask === true;
    if (unit.contents !== undefined) {
      if (merged.contents !== undefined && merged.contents !== unit.contents) throw new Error(`unit ${unit.name}: two different contents`);
      merged.contents = unit.contents;
    }
    for (const dropin of (unit.dropins ?? []) as Json[]) {
      if (merged.dropins.some((d) => d.name === dropin.name)) throw new Error(`unit ${unit.name}: drop-in ${dropin.name} twice`);
      merged.dropins.push({ name: dropin.name, contents: dropin.contents ?? '' });
    }
  }
  return [...byName.values()];
}

/** The bytes of a `data:` URL (the only source a unit file in user-data can have offline). */
export function decodeDataUrl(source: string, compression: string | undefined): Buffer {
  const match = /^data:([^,]*),(.*)$/s.exec(source);
  if (!match) throw new Error(`cannot render a unit file from a non-data source: ${source.slice(0, 60)}`);
  let bytes: Buffer;
  if (/;base64$/i.test(match[1])) {
    bytes = Buffer.from(match[2], 'base64');
  } else {
    const out: number[] = [];
    const data = match[2];
    for (let i = 0; i < data.length; i++) {
      if (data[i] === '%' && /^[0-9a-fA-F]{2}$/.test(data.slice(i + 1, i + 3))) {
        out.push(parseInt(data.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(...Buffer.from(data[i], 'utf8'));
    }
    bytes = Buffer.from(out);
  }
  if (compression === 'gzip') return gunzipSync(bytes);
  if (compression !== undefined && compression !== '' && compression !== null) throw new Error(`unknown compression ${compression}`);
  return bytes;
}

function write(root: string, file: string, text: string | Buffer, mode = 0o644): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  chmodSync(full, mode);
}

function link(root: string, file: string, target: string): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  symlinkSync(target, full);
}

/** Resolves `file` inside `root`, following symlinks (absolute ones relative to root). */
export function resolveInRoot(root: string, file: string, depth = 0): string | undefined {
  if (depth > 40) return undefined;
  const parts = file.split('/').filter((p) => p !== '');
  let current = '/';
  for (let i = 0; i < parts.length; i++) {
    const next = path.posix.join(current, parts[i]);
    const full = path.join(root, next);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      return undefined;
    }
    if (stat.isSymbolicLink()) {
      const target = readlinkSync(full);
      const joined = target.startsWith('/') ? target : path.posix.join(current, target);
      return resolveInRoot(root, path.posix.join(joined, ...parts.slice(i + 1)), depth + 1);
    }
    current = next;
  }
  return current;
}

/** systemd's fixed search path for Exec programs given without a path (merged /usr). */
export const EXEC_SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin'];

/**
 * programInRoot's answers per root. The root's programs are all written before the first question
 * (buildStubRoot) and never change after (later changes are to unit files), and a graph check asks
 * about the same few dozen programs thousands of times: resolving each anew was half its time.
 */
const programsByRoot = new Map<string, Map<string, string | undefined>>();

/** The image's path of `program` (absolute, or found on the search path), symlinks resolved. */
export function programInRoot(root: string, program: string): string | undefined {
  let known = programsByRoot.get(root);
  if (known === undefined) programsByRoot.set(root, (known = new Map()));
  if (!known.has(program)) known.set(program, findProgramInRoot(root, program));
  return known.get(program);
}

function findProgramInRoot(root: string, program: string): string | undefined {
  const candidates = program.startsWith('/') ? [program] : EXEC_SEARCH_PATH.map((dir) => `${dir}/${program}`);
  for (const candidate of candidates) {
    const resolved = resolveInRoot(root, candidate);
    if (resolved === undefined) continue;
    const stat = lstatSync(path.join(root, resolved));
    if (stat.isFile() && (stat.mode & 0o111) !== 0) return resolved;
  }
  return undefined;
}

/** The shells of the image (Flatcar's /bin/sh is bash). */
export const SHELLS: ReadonlySet<string> = new Set(['/usr/bin/bash']);

/** A shell script a command runs: the script of `sh -c SCRIPT`, or the program itself when it is a `#!` shell script. */
export function shellScriptOf(root: string, command: ExecCommand): { readonly text: string; readonly where: string } | undefined {
  const program = programInRoot(root, command.program);
  if (program === undefined) return undefined;
  if (SHELLS.has(program)) {
    const c = command.words.indexOf('-c');
    return c >= 0 && command.words[c + 1] !== undefined ? { text: command.words[c + 1], where: 'its -c script' } : undefined;
  }
  const interpreter = interpreterOf(root, program);
  if (interpreter === undefined || !SHELLS.has(programInRoot(root, interpreter) ?? '')) return undefined;
  return { text: readFileSync(path.join(root, program), 'utf8'), where: program };
}

/** The interpreter a `#!` line names (`#!/usr/bin/env NAME`: NAME), or undefined for a file without one. */
export function interpreterOf(root: string, program: string): string | undefined {
  const head = readFileSync(path.join(root, program)).subarray(0, 256).toString('latin1');
  const line = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(head);
  if (!line) return undefined;
  return /(^|\/)env$/.test(line[1]) && line[2] !== undefined ? line[2] : line[1];
}

/** The programs a command runs: its program, and the commands of the shell script it runs, if any. */
export function programsOf(root: string, command: ExecCommand): string[] {
  const script = shellScriptOf(root, command);
  return [command.program, ...(script === undefined ? [] : shellCommands(script.text).map((c) => c.name))];
}

/** The daemons a command is a client of (FLATCAR_EXECUTABLES' `client`). */
export function clientsOf(root: string, command: ExecCommand): DaemonClient[] {
  const byPath = new Map(FLATCAR_EXECUTABLES.filter((e) => e.client).map((e) => [e.path, e.client as DaemonClient]));
  const clients: DaemonClient[] = [];
  for (const program of programsOf(root, command)) {
    const client = byPath.get(programInRoot(root, program) ?? '');
    if (client && !clients.includes(client)) clients.push(client);
  }
  // `systemctl start|restart docker` from a unit waits for docker.service's job as well.
  const systemctl = command.words.findIndex((w) => /(^|\/)systemctl$/.test(w));
  const later = command.words.slice(systemctl + 1);
  if (systemctl >= 0 && !later.includes('--no-block') && later.some((w) => w === 'docker' || w === 'docker.service')) {
    const docker = byPath.get('/usr/bin/docker');
    if (docker && !clients.includes(docker)) clients.push(docker);
  }
  return clients;
}

/** Lays out the image: directories, symlinks, program stubs, fixture units. */
function layImage(root: string): { flatcarFixtures: string[]; systemdFixtures: string[] } {
  for (const dir of ['usr/bin', 'usr/lib/flatcar', 'usr/libexec', 'usr/local', 'etc/systemd/system', 'run/systemd/system', 'usr/lib/systemd/system', 'dev']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  for (const [file, target] of FLATCAR_SYMLINKS) link(root, file, target);
  for (const program of FLATCAR_EXECUTABLES) write(root, program.path, '#!/bin/sh\n# stub: the harness never runs it\nexit 0\n', 0o755);
  const copy = (dir: string) =>
    readdirSync(path.join(FIXTURES, dir)).sort().map((name) => {
      copyFileSync(path.join(FIXTURES, dir, name), path.join(root, VENDOR_UNITS, name));
      return name;
    });
  return { flatcarFixtures: copy('units'), systemdFixtures: copy('systemd') };
}

/** Writes what Ignition writes for the config's units, unit files and other files. */
function applyIgnition(root: string, ignition: Json): { rendered: string[]; enable: string[] } {
  const rendered = new Set<string>();
  const enable: string[] = [];
  for (const unit of ignitionUnits(ignition)) {
    rendered.add(unit.name);
    if (unit.contents !== undefined) write(root, path.posix.join(ETC_UNITS, unit.name), unit.contents);
    for (const dropin of unit.dropins) write(root, path.posix.join(ETC_UNITS, `${unit.name}.d`, dropin.name), dropin.contents);
    if (unit.mask) {
      rmSync(path.join(root, ETC_UNITS, unit.name), { force: true });
      link(root, path.posix.join(ETC_UNITS, unit.name), '/dev/null');
    }
    if (unit.enabled) enable.push(unit.name);
  }
  const unitPath = (file: string) => file.startsWith(`${ETC_UNITS}/`);
  for (const file of (ignition.storage?.files ?? []) as Json[]) {
    const source = file.contents?.source ?? '';
    // Other files matter as programs units run and files they read; a remote source cannot be had offline.
    const offline = (file.filesystem ?? 'root') === 'root' && source.startsWith('data:');
    if (!unitPath(file.path) && !offline) continue;
    write(root, file.path, decodeDataUrl(source, file.contents?.compression ?? undefined), file.mode ?? 0o644);
    if (unitPath(file.path)) rendered.add(path.posix.basename(file.path.replace(/\.d\/[^/]+$/, '')));
  }
  for (const entry of (ignition.storage?.links ?? []) as Json[]) {
    if (!unitPath(entry.path)) continue;
    if (entry.hard) throw new Error(`hard link ${entry.path}: not rendered by the harness`);
    link(root, entry.path, entry.target);
    rendered.add(path.posix.basename(entry.path));
  }
  return { rendered: [...rendered], enable };
}

/** The unit file of `name` in the root (highest-priority directory first), or undefined. */
export function unitFileOf(root: string, name: string): string | undefined {
  for (const dir of UNIT_DIRS) {
    const file = path.posix.join(dir, name);
    if (existsSync(path.join(root, file)) || isLink(path.join(root, file))) return file;
  }
  return undefined;
}

function isLink(full: string): boolean {
  try {
    return lstatSync(full).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Enables a unit as `systemctl enable` does (Ignition 2.x via a preset, 3.x directly): symlinks
 * from its [Install] section. A unit without a unit file or without [Install] is an error, as it is
 * for systemctl.
 */
function enableUnit(root: string, name: string, install: EffectiveUnit['install'] | 'no-unit', seen: Set<string>, lookup: (name: string) => EffectiveUnit['install'] | 'no-unit'): void {
  if (seen.has(name)) return;
  seen.add(name);
  if (install === 'no-unit') throw new Error(`enabled unit ${name} is neither rendered nor a fixture: add its Flatcar unit to __tests__/systemd/fixtures/units/`);
  if (install === undefined) throw new Error(`enabled unit ${name} has no [Install] section: enabling it does nothing (systemctl: "no installation config")`);
  const file = unitFileOf(root, name) as string;
  const linkTo = (dir: string) => {
    const target = path.posix.join(ETC_UNITS, dir, name);
    if (!isLink(path.join(root, target))) link(root, target, file);
  };
  for (const target of install.wantedBy) linkTo(`${target}.wants`);
  for (const target of install.requiredBy) linkTo(`${target}.requires`);
  for (const target of install.upheldBy) linkTo(`${target}.upholds`);
  for (const alias of install.alias) if (!isLink(path.join(root, ETC_UNITS, alias))) link(root, path.posix.join(ETC_UNITS, alias), file);
  for (const also of install.also) enableUnit(root, also, lookup(also), seen, lookup);
}

export interface StubRootOptions {
  /** Declare docker clients' run-time needs (see the file comment). Default true. */
  readonly dockerClientEdges?: boolean;
}

/**
 * Builds the root for `ignition`. `load` reads the effective units of a root (unit-graph.ts); it is
 * passed in so that enabling and the docker-client drop-ins see drop-ins as systemd would.
 */
export function buildStubRoot(ignition: Json, load: (root: string) => Map<string, EffectiveUnit>, options: StubRootOptions = {}): StubRoot {
  const dir = mkdtempSync(path.join(tmpdir(), 'systemd-graph-'));
  const cleanup = () => {
    programsByRoot.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    chmodSync(dir, 0o755);
    const { flatcarFixtures, systemdFixtures } = layImage(dir);
    const { rendered, enable } = applyIgnition(dir, ignition);
    const before = load(dir);
    const lookup = (name: string) => {
      const unit = before.get(name);
      return unit === undefined || unit.fragment === 'masked' ? 'no-unit' : unit.install;
    };
    const seen = new Set<string>();
    for (const name of enable) enableUnit(dir, name, lookup(name), seen, lookup);

    const dockerClients = new Map<string, string>();
    if (options.dockerClientEdges ?? true) {
      for (const unit of load(dir).values()) {
        if (unit.fragment === 'masked') continue;
        const users = unit.exec.filter((command) => clientsOf(dir, command).some((c) => c.activation === 'socket' && c.service === 'docker.service'));
        if (users.length === 0 || unit.name === 'docker.service') continue;
        const atStart = users.some((command) => (START_EXEC_KEYS as readonly string[]).includes(command.key));
        const first = users[0];
        dockerClients.set(unit.name, `${first.key}=${first.words.join(' ')} (${first.origin})`);
        write(
          dir,
          path.posix.join(RUN_UNITS, `${unit.name}.d`, DOCKER_CLIENT_DROPIN),
          [
            '# Written by __tests__/systemd/stub-root.ts, not by Ignition: this unit runs a docker client',
            `# (${first.key}=${first.words.join(' ')}), which blocks until dockerd answers, so`,
            '# docker.service must have started before this unit can finish starting or stopping.',
            '[Unit]',
            ...(atStart ? ['Wants=docker.service'] : []),
            'After=docker.service',
            '',
          ].join('\n'),
        );
      }
    }
    return { dir, rendered, enabled: enable, flatcarFixtures, systemdFixtures, dockerClients, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** The text of a file in the root (for messages and tests). */
export function readInRoot(root: StubRoot, file: string): string {
  return readFileSync(path.join(root.dir, file), 'utf8');
}

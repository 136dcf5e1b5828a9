/**
 * Test helper: the second oracle. Reads every unit of a stub root as systemd would (unit file by
 * directory priority, drop-ins by file name, `.wants/`/`.requires/`/`.upholds/` symlinks, masks),
 * and checks, for the units a start of `startUnits` pulls in:
 *
 * - references: every unit a rendered or Flatcar unit names exists (rendered or a fixture), or is
 *   one Flatcar does not have (ABSENT_ON_FLATCAR) named only in After=/Before=/Conflicts=;
 * - programs: every Exec command's program exists in the root (systemd-analyze 252 only checks
 *   the first command of each Exec list), can be executed (an ELF binary, or a `#!` script whose
 *   interpreter exists), and, when it is a shell script or `sh -c SCRIPT`, every command of the
 *   script exists too (systemd-analyze does not look inside scripts);
 * - ordering cycles among the start jobs of one transaction, with systemd's implicit orderings
 *   (DefaultDependencies=, a target ordered after what it pulls in, a socket before its service).
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { ABSENT_ON_FLATCAR } from './fixtures/flatcar-image';
import { shellCommands } from './shell-commands';
import { clientsOf, interpreterOf, programInRoot, resolveInRoot, shellScriptOf, UNIT_DIRS, type StubRoot } from './stub-root';
import { effectiveUnit, PULL_IN_KEYS, START_EXEC_KEYS, WEAK_KEYS, type Dependency, type EffectiveUnit, type ExecCommand } from './unit-files';

const UNIT_FILE = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|mount|automount|swap|path|timer|slice|scope|device)$/;

/** Every unit of the root, effective (unit file + drop-ins + dependency symlinks). */
export function loadUnits(root: string): Map<string, EffectiveUnit> {
  const fragments = new Map<string, { path: string; text: string } | 'masked'>();
  const dropins = new Map<string, Map<string, string>>(); // unit -> drop-in name -> path (first dir wins)
  const extra = new Map<string, Dependency[]>();
  const read = (file: string) => {
    const resolved = resolveInRoot(root, file);
    if (resolved === undefined) throw new Error(`${file}: dangling symlink in the stub root`);
    return { path: file, text: readFileSync(path.join(root, resolved), 'utf8') };
  };
  for (const dir of UNIT_DIRS) {
    let entries: string[];
    try {
      entries = readdirSync(path.join(root, dir)).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      const file = path.posix.join(dir, entry);
      const full = path.join(root, file);
      const stat = lstatSync(full);
      const sub = /^(.+)\.(d|wants|requires|upholds)$/.exec(entry);
      if (sub && stat.isDirectory()) {
        const [, unit, kind] = sub;
        for (const name of readdirSync(full).sort()) {
          if (kind === 'd') {
            if (!name.endsWith('.conf')) continue;
            const byName = dropins.get(unit) ?? new Map<string, string>();
            dropins.set(unit, byName);
            if (!byName.has(name)) byName.set(name, path.posix.join(file, name));
          } else {
            const key = kind === 'wants' ? 'WantedBy.wants' : kind === 'requires' ? 'RequiredBy.requires' : 'UpheldBy.upholds';
            extra.set(unit, [...(extra.get(unit) ?? []), { key, unit: name, origin: path.posix.join(file, name) }]);
          }
        }
        continue;
      }
      if (!UNIT_FILE.test(entry) || fragments.has(entry)) continue;
      if (stat.isSymbolicLink() && readlinkSync(full) === '/dev/null') fragments.set(entry, 'masked');
      else fragments.set(entry, read(file));
    }
  }
  const units = new Map<string, EffectiveUnit>();
  for (const [name, fragment] of fragments) {
    const ordered = [...(dropins.get(name) ?? new Map()).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, file]) => read(file));
    units.set(name, effectiveUnit(name, fragment, ordered, extra.get(name) ?? []));
  }
  // Drop-ins or dependency directories for a unit that has no unit file: systemd would report the
  // unit as not found; keep it visible as a unit without a fragment.
  for (const name of new Set([...dropins.keys(), ...extra.keys()])) {
    if (!units.has(name) && UNIT_FILE.test(name)) {
      units.set(name, { ...effectiveUnit(name, { path: `(no unit file for ${name})`, text: '' }, [], extra.get(name) ?? []), fragment: 'none' });
    }
  }
  return units;
}

export interface GraphFindings {
  /** Names no unit file answers to, with who names them. */
  readonly unresolved: string[];
  /** Commands whose program is not on the image. */
  readonly missingPrograms: string[];
  /** Ordering cycles, each as `a -> b -> ... -> a` (a before b ...), per start unit that meets it. */
  readonly cycles: string[];
}

/** The units a start job of `start` pulls into its transaction. */
function transaction(units: Map<string, EffectiveUnit>, start: string): Set<string> {
  const jobs = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    const unit = units.get(name);
    if (jobs.has(name) || unit === undefined || unit.fragment === 'masked' || unit.fragment === 'none') continue;
    jobs.add(name);
    for (const dep of unit.dependencies) if (PULL_IN_KEYS.includes(dep.key)) queue.push(dep.unit);
    if (unit.defaultDependencies && (unit.type === 'service' || unit.type === 'socket')) queue.push('sysinit.target');
  }
  return jobs;
}

/** Ordering edges among `jobs`: [before, after, why]. */
function orderings(units: Map<string, EffectiveUnit>, jobs: Set<string>): [string, string, string][] {
  const edges: [string, string, string][] = [];
  const add = (before: string, after: string, why: string) => {
    if (jobs.has(before) && jobs.has(after) && before !== after) edges.push([before, after, why]);
  };
  for (const name of jobs) {
    const unit = units.get(name) as EffectiveUnit;
    for (const dep of unit.dependencies) {
      if (dep.key === 'After') add(dep.unit, name, `${name}: After=${dep.unit} (${dep.origin})`);
      if (dep.key === 'Before') add(name, dep.unit, `${name}: Before=${dep.unit} (${dep.origin})`);
    }
    if (unit.defaultDependencies && (unit.type === 'service' || unit.type === 'socket')) {
      add('sysinit.target', name, `${name}: DefaultDependencies (After=sysinit.target)`);
      if (unit.type === 'service') add('basic.target', name, `${name}: DefaultDependencies (After=basic.target)`);
      if (unit.type === 'socket') add(name, 'sockets.target', `${name}: DefaultDependencies (Before=sockets.target)`);
    }
    if (unit.type === 'socket' && unit.socketService) add(name, unit.socketService, `${name}: a socket is ordered before its service`);
    if (unit.type === 'target' && unit.defaultDependencies) {
      // A target is ordered after what it pulls in, unless that unit opted out or is ordered after it.
      for (const dep of unit.dependencies) {
        if (!['Requires', 'Requisite', 'Wants', 'BindsTo', 'WantedBy.wants', 'RequiredBy.requires'].includes(dep.key)) continue;
        const other = units.get(dep.unit);
        if (!other || !other.defaultDependencies) continue;
        const targetBefore = unit.dependencies.some((d) => d.key === 'Before' && d.unit === dep.unit) || other.dependencies.some((d) => d.key === 'After' && d.unit === name);
        if (!targetBefore) add(dep.unit, name, `${name}: a target is ordered after what it pulls in (${dep.key}=${dep.unit})`);
      }
    }
  }
  return edges;
}

/** Whether `to` is ordered (transitively) after `from`. */
function reaches(edges: readonly [string, string, string][], from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const [a, b] of edges) {
      if (a !== v || seen.has(b)) continue;
      if (b === to) return true;
      seen.add(b);
      queue.push(b);
    }
  }
  return false;
}

/** The cycles of the ordering graph: per strongly connected component, the shortest cycle through each member. */
export function findCycles(edges: readonly [string, string, string][]): string[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  const nodes = [...new Set(edges.flatMap(([a, b]) => [a, b]))].sort();
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  // For each component, the shortest cycle through each of its members, without repeats.
  const cycles = new Map<string, string[]>();
  for (const component of components) {
    const members = new Set(component);
    for (const start of component) {
      const cycle = shortestCycle(start, members, next);
      const body = cycle.slice(0, -1);
      const first = body.indexOf([...body].sort()[0]);
      const canonical = [...body.slice(first), ...body.slice(0, first)];
      cycles.set(canonical.join(' '), [...canonical, canonical[0]]);
    }
  }
  return [...cycles.values()];
}

/** Breadth-first from `start` back to itself inside `members`. */
function shortestCycle(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() as string;
    for (const w of next.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const cycle = [start];
        for (let u = v; u !== start; u = parent.get(u) as string) cycle.splice(1, 0, u);
        return [...cycle, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Why a command's program, found on the image, would still not run there: it is neither an ELF
 * binary nor a `#!` script, its interpreter is missing, or the shell script it is (or runs with
 * `sh -c`) runs a command the image does not have. A script command named by an environment
 * variable (`"$NAME"`: upper case, never assigned by the script) is what the unit's Environment=
 * sets it to, and that must be on the image; a variable the unit leaves empty or unset names no
 * program, and the script must not run it then (its own tests' business). Any other command named
 * at run time cannot be followed, and is a problem.
 */
export function programProblems(root: string, command: ExecCommand, environment: ReadonlyMap<string, string> = new Map()): string[] {
  const program = programInRoot(root, command.program);
  if (program === undefined) return [];
  if (readFileSync(path.join(root, program)).subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return [];
  const interpreter = interpreterOf(root, program);
  if (interpreter === undefined) return [`${program} is neither an ELF binary nor a #! script: exec fails (ENOEXEC)`];
  if (programInRoot(root, interpreter) === undefined) return [`the interpreter of ${program}, ${interpreter}, is not on the image`];
  const script = shellScriptOf(root, command);
  if (script === undefined) return [];
  return shellCommands(script.text).flatMap(({ name, line }) => {
    const variable = /^\$([A-Z_][A-Z0-9_]*)$/.exec(name)?.[1];
    if (variable !== undefined && !new RegExp(`(^|[\\s;&|(])${variable}=`).test(script.text)) {
      const value = environment.get(variable) ?? '';
      if (value === '') return [];
      return programInRoot(root, value) === undefined ? [`${script.where}, line ${line}, runs ${name}, which the unit sets to ${value}, which is not on the image`] : [];
    }
    if (name.includes('$')) return [`${script.where}, line ${line}, runs a command named at run time (${name}), which the graph check cannot follow`];
    return programInRoot(root, name) === undefined ? [`${script.where}, line ${line}, runs ${name}, which is not on the image`] : [];
  });
}

/** Runs the checks of the file comment for one root. */
export function checkGraph(root: StubRoot, startUnits: readonly string[]): GraphFindings {
  const units = loadUnits(root.dir);
  const boundary = new Set(root.systemdFixtures);
  const absent = new Map(ABSENT_ON_FLATCAR.map((a) => [a.unit, a.why]));
  const unresolved = new Set<string>();
  const missingPrograms = new Set<string>();
  const cycles = new Set<string>();
  for (const start of startUnits) {
    if (!units.has(start)) {
      unresolved.add(`${start}: started by the harness, but neither rendered nor a fixture`);
      continue;
    }
    const jobs = transaction(units, start);
    for (const name of [...jobs, ...root.rendered]) {
      const unit = units.get(name);
      if (unit === undefined || boundary.has(name)) continue;
      if (unit.fragment === 'none') unresolved.add(`${name}: has drop-ins or dependency links, but no unit file is rendered or a fixture`);
      for (const dep of unit.dependencies) {
        const other = units.get(dep.unit);
        if (other && other.fragment !== 'none') {
          if (other.fragment === 'masked' && PULL_IN_KEYS.includes(dep.key)) unresolved.add(`${name}: ${dep.key}=${dep.unit} (${dep.origin}): that unit is masked`);
          continue;
        }
        if (absent.has(dep.unit) && WEAK_KEYS.includes(dep.key)) continue;
        const why = absent.has(dep.unit) ? `Flatcar has no ${dep.unit} (${absent.get(dep.unit)}), and ${dep.key}= needs one` : 'neither rendered nor a fixture';
        unresolved.add(`${name}: ${dep.key}=${dep.unit} (${dep.origin}): ${why}`);
      }
      for (const command of unit.exec) {
        if (programInRoot(root.dir, command.program) === undefined) {
          missingPrograms.add(`${name}: ${command.key}=${command.program} (${command.origin}): no such program on the image`);
        }
        for (const problem of programProblems(root.dir, command, unit.environment)) missingPrograms.add(`${name}: ${command.key}=${command.program} (${command.origin}): ${problem}`);
        // A client of a daemon nothing starts on demand needs the daemon started before it.
        for (const client of clientsOf(root.dir, command)) {
          if (client.activation !== 'none' || client.service === name) continue;
          if (!units.has(client.service)) {
            unresolved.add(`${name}: ${command.key}=${command.program} (${command.origin}) needs ${client.service}, which is neither rendered nor a fixture`);
            continue;
          }
          const atStart = (START_EXEC_KEYS as readonly string[]).includes(command.key);
          const own = transaction(units, name);
          if (atStart && !own.has(client.service)) {
            unresolved.add(`${name}: ${command.key}=${command.program} (${command.origin}) needs ${client.service} (${client.why}), which starting ${name} does not pull in`);
          }
          const edges = orderings(units, new Set([...own, client.service]));
          if (!reaches(edges, client.service, name)) {
            unresolved.add(`${name}: ${command.key}=${command.program} (${command.origin}) needs ${client.service} (${client.why}), but ${name} is not ordered after it`);
          }
        }
      }
    }
    for (const cycle of findCycles(orderings(units, jobs))) cycles.add(`${cycle.join(' -> ')} (starting ${start})`);
  }
  return { unresolved: [...unresolved].sort(), missingPrograms: [...missingPrograms].sort(), cycles: [...cycles] };
}

/** The ordering edges of one start's transaction, for messages: `a before b: why`. */
export function describeOrderings(root: StubRoot, start: string, among: readonly string[]): string[] {
  const units = loadUnits(root.dir);
  const wanted = new Set(among);
  return orderings(units, transaction(units, start))
    .filter(([a, b]) => wanted.has(a) && wanted.has(b))
    .map(([a, b, why]) => `${a} before ${b}: ${why}`);
}

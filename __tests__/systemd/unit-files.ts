/**
 * Test helper: reads systemd unit files the way systemd's parser does, as far as the unit graph
 * needs (systemd.syntax(7)): sections, `Key=value` assignments, `#`/`;` comment lines, lines
 * continued by a trailing backslash, and drop-ins applied in file-name order after the unit file.
 * Anything it does not understand is an error, so that a surprise fails loudly instead of being
 * read as "no dependencies".
 */

/** One assignment, in file order, with where it came from (for messages). */
export interface Assignment {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  readonly origin: string;
}

/** Parses one unit file or drop-in. */
export function parseUnitText(text: string, origin: string): Assignment[] {
  const assignments: Assignment[] = [];
  const lines = text.split('\n');
  let section: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    let line = lines[i].trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    // A trailing backslash continues the line; comment lines inside a continuation are skipped.
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i].trim();
      if (next.startsWith('#') || next.startsWith(';')) continue;
      line = `${line.slice(0, -1)} ${next}`;
    }
    if (line.endsWith('\\')) line = line.slice(0, -1);
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${origin}:${lineNumber}: not an assignment: ${line}`);
    if (section === undefined) throw new Error(`${origin}:${lineNumber}: assignment outside of a section: ${line}`);
    assignments.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), origin: `${origin}:${lineNumber}` });
  }
  return assignments;
}

/** [Unit] directives naming other units. */
export const DEPENDENCY_KEYS = [
  'Requires', 'Requisite', 'Wants', 'BindsTo', 'PartOf', 'Upholds', 'Conflicts', 'Before', 'After',
  'OnFailure', 'OnSuccess', 'PropagatesReloadTo', 'ReloadPropagatedFrom', 'PropagatesStopTo', 'StopPropagatedFrom',
  'JoinsNamespaceOf',
] as const;
export type DependencyKey = (typeof DEPENDENCY_KEYS)[number] | 'WantedBy.wants' | 'RequiredBy.requires' | 'UpheldBy.upholds';

/** Directives that start the named unit along with this one (a start job in the same transaction). */
export const PULL_IN_KEYS: readonly string[] = ['Requires', 'Wants', 'BindsTo', 'Upholds', 'WantedBy.wants', 'RequiredBy.requires', 'UpheldBy.upholds'];
/** Directives systemd is content to see naming a unit that does not exist. */
export const WEAK_KEYS: readonly string[] = ['After', 'Before', 'Conflicts'];

/** The Exec settings of [Service] and [Socket], and when they run. */
export const START_EXEC_KEYS = ['ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost'] as const;
export const OTHER_EXEC_KEYS = ['ExecReload', 'ExecStop', 'ExecStopPost', 'ExecStopPre'] as const;

/** A dependency with where it was declared. */
export interface Dependency {
  readonly key: DependencyKey;
  readonly unit: string;
  readonly origin: string;
}

/** One Exec command: its program (prefixes stripped), its words, and its origin. */
export interface ExecCommand {
  readonly key: string;
  readonly program: string;
  readonly words: readonly string[];
  /** `-` prefix: a failure is ignored (the program must still exist to be useful). */
  readonly ignoreFailure: boolean;
  readonly origin: string;
}

/** The effective unit: unit file plus drop-ins, as systemd merges them. */
export interface EffectiveUnit {
  readonly name: string;
  readonly type: string;
  /** Where the unit file is, or 'masked'. */
  readonly fragment: string;
  readonly dependencies: Dependency[];
  readonly exec: ExecCommand[];
  readonly defaultDependencies: boolean;
  /** [Install] of the unit file (systemctl enable reads the unit file, not drop-ins). */
  readonly install: { wantedBy: string[]; requiredBy: string[]; upheldBy: string[]; alias: string[]; also: string[] } | undefined;
  /** [Socket] Service=, or the socket's same-name service. */
  readonly socketService?: string;
  /** [Service] Environment= assignments, as systemd merges them (EnvironmentFile= is not read). */
  readonly environment: ReadonlyMap<string, string>;
}

const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|mount|automount|swap|path|timer|slice|scope|device)$/;

function splitWords(value: string, origin: string): string[] {
  if (value.includes('%')) throw new Error(`${origin}: unit specifiers (%) are not modelled by the graph check: ${value}`);
  return value.split(/\s+/).filter((word) => word !== '');
}

/** Splits an Exec command line into words (systemd's quoting: "..." and '...', backslash escapes). */
export function execWords(value: string, origin: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value[i])) i++;
    if (i >= value.length) break;
    let word = '';
    while (i < value.length && !/\s/.test(value[i])) {
      const c = value[i];
      if (c === '"' || c === "'") {
        i++;
        while (i < value.length && value[i] !== c) {
          if (value[i] === '\\' && i + 1 < value.length) i++;
          word += value[i++];
        }
        if (i >= value.length) throw new Error(`${origin}: unterminated quote in: ${value}`);
        i++;
      } else if (c === '\\' && i + 1 < value.length) {
        word += value[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}

/**
 * Merges a unit file (or none: masked) and its drop-ins (already in application order) into the
 * effective unit. `extraDependencies` are the `.wants/`, `.requires/` and `.upholds/` symlinks.
 */
export function effectiveUnit(
  name: string,
  fragment: { path: string; text: string } | 'masked',
  dropins: readonly { path: string; text: string }[],
  extraDependencies: readonly Dependency[],
): EffectiveUnit {
  if (!UNIT_NAME.test(name)) throw new Error(`not a unit name: ${name}`);
  const type = name.slice(name.lastIndexOf('.') + 1);
  const dependencies: Dependency[] = [...extraDependencies];
  const exec = new Map<string, ExecCommand[]>();
  const install = { wantedBy: [] as string[], requiredBy: [] as string[], upheldBy: [] as string[], alias: [] as string[], also: [] as string[] };
  let hasInstall = false;
  let defaultDependencies = true;
  let socketService: string | undefined;
  const environment = new Map<string, string>();
  const files = fragment === 'masked' ? [] : [{ ...fragment, isFragment: true }, ...dropins.map((d) => ({ ...d, isFragment: false }))];
  for (const file of files) {
    for (const a of parseUnitText(file.text, file.path)) {
      if (a.section === 'Unit' && (DEPENDENCY_KEYS as readonly string[]).includes(a.key)) {
        for (const unit of splitWords(a.value, a.origin)) {
          if (!UNIT_NAME.test(unit)) throw new Error(`${a.origin}: ${a.key}= names "${unit}", which is not a unit name`);
          dependencies.push({ key: a.key as DependencyKey, unit, origin: a.origin });
        }
      } else if (a.section === 'Unit' && a.key === 'DefaultDependencies') {
        defaultDependencies = !/^(no|false|0|off)$/i.test(a.value);
      } else if ((a.section === 'Service' || a.section === 'Socket') && /^Exec[A-Za-z]+$/.test(a.key)) {
        if (a.value === '') {
          exec.set(a.key, []); // an empty assignment resets the list
          continue;
        }
        const words = execWords(a.value, a.origin);
        let program = words[0] ?? '';
        const prefix = /^[-@:+!|]*/.exec(program)?.[0] ?? '';
        program = program.slice(prefix.length);
        // `ExecStart=-@/usr/bin/foo argv0 ...`: with `@` the second word is argv[0], not an argument.
        const commandWords = prefix.includes('@') ? [program, ...words.slice(2)] : [program, ...words.slice(1)];
        exec.set(a.key, [...(exec.get(a.key) ?? []), { key: a.key, program, words: commandWords, ignoreFailure: prefix.includes('-'), origin: a.origin }]);
      } else if (a.section === 'Service' && a.key === 'Environment') {
        // Words as systemd splits them (quotes keep spaces), each NAME=VALUE; an empty assignment resets.
        if (a.value === '') environment.clear();
        for (const word of execWords(a.value, a.origin)) {
          const eq = word.indexOf('=');
          if (eq <= 0) throw new Error(`${a.origin}: Environment= word "${word}" is not NAME=VALUE`);
          environment.set(word.slice(0, eq), word.slice(eq + 1));
        }
      } else if (a.section === 'Socket' && a.key === 'Service') {
        socketService = a.value;
      } else if (a.section === 'Install' && file.isFragment) {
        hasInstall = true;
        const list = { WantedBy: install.wantedBy, RequiredBy: install.requiredBy, UpheldBy: install.upheldBy, Alias: install.alias, Also: install.also }[a.key];
        if (list) list.push(...splitWords(a.value, a.origin));
      }
    }
  }
  if (type === 'socket') socketService ??= `${name.slice(0, -'.socket'.length)}.service`;
  return {
    name,
    type,
    fragment: fragment === 'masked' ? 'masked' : fragment.path,
    dependencies,
    exec: [...exec.values()].flat(),
    defaultDependencies,
    install: hasInstall ? install : undefined,
    socketService,
    environment,
  };
}

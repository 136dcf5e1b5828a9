/**
 * Merges Container Linux Configs from several origins (an instance's base config and the snippets
 * added to it), keeping track of who set what so that a conflict names both origins.
 *
 * Rules:
 * - mappings merge key by key (`etcd`, `flannel`, `update`, ... combine their options);
 * - lists append, in the order the configs were added; a scalar already in a list is not repeated;
 * - entries of keyed lists with the same key merge by these same rules: units and drop-ins by
 *   `name`, users and groups by `name`, files, directories and links by `path`, filesystems by
 *   `name`; so two configs can each add drop-ins to one unit, or SSH keys to one user;
 * - one key set to two different values is an error naming both origins, e.g. two `contents` for
 *   one unit or one file path.
 */
import type { ContainerLinuxConfig } from '../transpiler';
import { configJson } from './config-json';

/** The key that identifies an entry of each keyed list, by its path (list items as `[]`). */
const LIST_KEYS: Readonly<Record<string, string>> = {
  'passwd.users': 'name',
  'passwd.groups': 'name',
  'systemd.units': 'name',
  'systemd.units[].dropins': 'name',
  'networkd.units': 'name',
  'networkd.units[].dropins': 'name',
  'storage.files': 'path',
  'storage.directories': 'path',
  'storage.links': 'path',
  'storage.filesystems': 'name',
};

type Mapping = Record<string, unknown>;

/** Where a value sits: `schema` names list items `[]`, `shown` names them by key or index. */
interface Location {
  readonly schema: string;
  readonly shown: string;
}

export class ClcMerge {
  private merged: Mapping = {};
  /** The origin of every value put into `merged`, by its shown path. */
  private readonly origins = new Map<string, string>();

  /** The merge of every config added so far. */
  get config(): ContainerLinuxConfig {
    return this.merged as ContainerLinuxConfig;
  }

  /** Merges `config` in; throws on a conflict, leaving the merge as it was. */
  add(config: ContainerLinuxConfig, origin: string): void {
    const pending = new Map<string, string>();
    this.merged = this.mergeMappings(this.merged, config as Mapping, { schema: '', shown: '' }, origin, pending);
    for (const [path, owner] of pending) this.origins.set(path, owner);
  }

  private mergeValues(before: unknown, after: unknown, at: Location, origin: string, pending: Map<string, string>): unknown {
    if (before === undefined || before === null) {
      pending.set(at.shown, origin);
      return after;
    }
    if (after === undefined || after === null) return before;
    if (Array.isArray(before) && Array.isArray(after)) return this.mergeLists(before, after, at, origin, pending);
    if (isMapping(before) && isMapping(after)) return this.mergeMappings(before, after, at, origin, pending);
    if (before === after) return before;
    throw new Error(
      `conflicting values for ${at.shown}: "${this.originOf(at.shown, pending)}" sets ${show(before)} and "${origin}" sets ${show(after)}; ` +
        'set it in one place only',
    );
  }

  private mergeMappings(before: Mapping, after: Mapping, at: Location, origin: string, pending: Map<string, string>): Mapping {
    const result: Mapping = { ...before };
    for (const [key, value] of Object.entries(after)) {
      const child = { schema: join(at.schema, key), shown: join(at.shown, key) };
      result[key] = this.mergeValues(before[key], value, child, origin, pending);
    }
    return result;
  }

  private mergeLists(before: unknown[], after: unknown[], at: Location, origin: string, pending: Map<string, string>): unknown[] {
    const key = LIST_KEYS[at.schema];
    const result = [...before];
    for (const item of after) {
      const identity = key && isMapping(item) ? item[key] : undefined;
      const index = identity === undefined ? -1 : result.findIndex((existing) => isMapping(existing) && existing[key] === identity);
      if (index >= 0) {
        const child = { schema: `${at.schema}[]`, shown: `${at.shown}[${JSON.stringify(identity)}]` };
        result[index] = this.mergeValues(result[index], item, child, origin, pending);
      } else if (isMapping(item) || Array.isArray(item) || !result.includes(item)) {
        const shown = `${at.shown}[${identity === undefined ? result.length : JSON.stringify(identity)}]`;
        pending.set(shown, origin);
        result.push(item);
      }
    }
    return result;
  }

  /** Who set the value at `shown` (or the nearest enclosing value). */
  private originOf(shown: string, pending: Map<string, string>): string {
    for (let path = shown; ; path = parentOf(path)) {
      const owner = this.origins.get(path) ?? pending.get(path);
      if (owner !== undefined || path === '') return owner ?? 'an earlier config';
    }
  }
}

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `a.b["x"].c` -> `a.b["x"]` -> `a.b` -> `a` -> ``. */
function parentOf(path: string): string {
  const match = /(\.[^.[\]]+|\[[^\]]*\])$/.exec(path);
  return match ? path.slice(0, match.index) : '';
}

function show(value: unknown): string {
  const text = configJson(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

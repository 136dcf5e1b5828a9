/**
 * Flatcar's `v24tov31.Check2_4` (docs/ignition-2to3.md §6.1) and the filesystem name -> path map it
 * builds (`util.FSGeneration`, §3). Runs before any output is built; the first problem throws.
 */
import type { Report } from '../diagnostics';
import type { GoStruct } from '../schema';
import { goPathJoin } from '../sections/gopath';
import {
  CREATE_WITHOUT_FORCE,
  duplicateDropinMessage,
  duplicateInodeMessage,
  Ign3TranslationError,
  translateError,
  usesOwnLinkMessage,
} from './errors';
import { refusalReport } from './refusal-v24';

/** Filesystem name -> mount path during provisioning. */
export type FilesystemPaths = Map<string, string>;

const list = (v: unknown): GoStruct[] => (Array.isArray(v) ? (v as GoStruct[]) : []);

/**
 * `FSGeneration` with Flatcar's empty starting map: both counters are per translation here, as in
 * a fresh Ignition process translating its first config (§3). `oem` -> `/oem` (patch 0018).
 */
function generateFilesystemPaths(filesystems: readonly GoStruct[]): FilesystemPaths {
  const paths: FilesystemPaths = new Map([['root', '/']]);
  let generatedNames = 0;
  let addedSuffixes = 0;
  for (const fs of filesystems) {
    let name = fs.name as string;
    // the generated name lives only in the map, so the entry itself gets no path
    if (name === '') name = `ignition${++generatedNames}`;
    if (!paths.has(name)) {
      addedSuffixes++;
      paths.set(name, name === 'oem' ? '/oem' : `/tmp/${name}-ign${addedSuffixes}`);
    }
    // Go dereferences `fs.Mount.Create` here: a path-only filesystem panics (§6.6)
    if (fs.mount === undefined) {
      throw new Ign3TranslationError(
        'crash',
        `filesystem ${JSON.stringify(fs.name)} has a path and no mount; Flatcar's translator crashes on it (nil pointer dereference), so it cannot be translated`,
      );
    }
    const create = (fs.mount as GoStruct).create as GoStruct | undefined;
    if (create !== undefined && !create.force) throw translateError(CREATE_WITHOUT_FORCE);
  }
  return paths;
}

/** `CheckPathUsesLink`: the first link that is a proper ancestor of `path`. */
function linkUsedBy(links: readonly string[], path: string): string | undefined {
  return links.find((l) => path.startsWith(l.endsWith('/') ? l : l + '/') && path !== l);
}

/** Duplicate paths, then paths through a declared link: files, directories, links in that order (§6.1.3). */
function checkNodePaths(storage: GoStruct, paths: FilesystemPaths): void {
  const fullPath = (node: GoStruct): string => goPathJoin('/', paths.get(node.filesystem as string) ?? '', node.path as string);
  const links = list(storage.links).map(fullPath);
  const seen = new Map<string, string>();
  const kinds: [string, string][] = [
    ['files', 'File'],
    ['directories', 'Directory'],
    ['links', 'Link'],
  ];
  for (const [key, kind] of kinds) {
    for (const node of list(storage[key])) {
      const path = fullPath(node);
      const name = `${kind}: ${path}`;
      const old = seen.get(path);
      if (old !== undefined) throw translateError(duplicateInodeMessage(old, name));
      const link = linkUsedBy(links, path);
      if (link !== undefined) throw translateError(usesOwnLinkMessage(name, link));
      seen.set(path, name);
    }
  }
}

/** Duplicate drop-in names per 2.x unit, before units are merged (§6.1.4). */
function checkDropins(units: readonly GoStruct[]): void {
  for (const unit of units) {
    const names = new Set<string>();
    for (const dropin of list(unit.dropins)) {
      const name = dropin.name as string;
      if (names.has(name)) throw translateError(duplicateDropinMessage(unit.name as string, name));
      names.add(name);
    }
  }
}

/**
 * `Check2_4`: the 2.4 report of `config` must hold no error and no deprecation (then the whole
 * report, warnings included, is the error), then filesystems, paths and drop-ins.
 * Returns the path map.
 */
export function checkV24(config: GoStruct, report: Report): FilesystemPaths {
  const deprecated = report.entries.some((e) => e.severity === 'deprecated');
  if (report.isFatal() || deprecated) throw translateError(`Invalid input config:\n${refusalReport(config)}`);
  const storage = config.storage as GoStruct;
  const paths = generateFilesystemPaths(list(storage.filesystems));
  checkNodePaths(storage, paths);
  checkDropins(list((config.systemd as GoStruct).units));
  return paths;
}

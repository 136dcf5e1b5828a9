/**
 * `storage.trees` (butane `base/v0_x/translate.go` `processTrees`/`walkTree`, docs/butane.md §5.3):
 * each local directory is walked in lexical order, its files and symlinks filling in or appending
 * `storage.files` and `storage.links`. Errors are reported at the tree item.
 */
import type { GoStruct, GoType } from '../schema';
import { goPathClean, goPathJoin } from '../sections/gopath';
import { makeDataUrl } from './data-url';
import type { ButaneEntry } from './entry';
import { ERR_FILES_DIR_ESCAPE, ERR_NO_FILES_DIR, pathWithinFilesDir, type ButaneFs, type ButaneStat } from './files-dir';
import type { Path } from './path';
import { TranslationSet, typeAtPath } from './translation-set';

const ERR_TREE_NOT_DIRECTORY = 'root of tree must be a directory';
const ERR_NODE_EXISTS = 'matching filesystem node has existing contents or different type';
const ERR_FILE_TYPE = 'trees may only contain files, directories, and symlinks';

/** `nodeTracker`: the config's files, directories and links by path (later duplicates win, as in a Go map). */
class NodeTracker {
  private readonly files = new Map<string, number>();
  private readonly dirs = new Set<string>();
  private readonly links = new Map<string, number>();

  constructor(private readonly storage: GoStruct) {
    (storage.files as GoStruct[] | undefined)?.forEach((f, i) => this.files.set(f.path as string, i));
    (storage.directories as GoStruct[] | undefined)?.forEach((d) => this.dirs.add(d.path as string));
    (storage.links as GoStruct[] | undefined)?.forEach((l, i) => this.links.set(l.path as string, i));
  }

  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path) || this.links.has(path);
  }

  file(path: string): [number, GoStruct] | undefined {
    const i = this.files.get(path);
    return i === undefined ? undefined : [i, (this.storage.files as GoStruct[])[i]];
  }

  link(path: string): [number, GoStruct] | undefined {
    const i = this.links.get(path);
    return i === undefined ? undefined : [i, (this.storage.links as GoStruct[])[i]];
  }

  addFile(path: string): [number, GoStruct] {
    const files = (this.storage.files ??= []) as GoStruct[];
    const file: GoStruct = { path, group: {}, user: {}, contents: { verification: {} } };
    files.push(file);
    this.files.set(path, files.length - 1);
    return [files.length - 1, file];
  }

  addLink(path: string): [number, GoStruct] {
    const links = (this.storage.links ??= []) as GoStruct[];
    const link: GoStruct = { path, group: {}, user: {} };
    links.push(link);
    this.links.set(path, links.length - 1);
    return [links.length - 1, link];
  }
}

export interface Tree {
  readonly local: string;
  readonly path?: string;
}

/** `processTrees`: returns the translations it made and its report entries; `config.storage` is changed in place. */
export function processTrees(
  trees: readonly Tree[] | null | undefined,
  config: GoStruct,
  filesDir: string,
  fs: ButaneFs,
  /** The Ignition `types.Config`: a new node's every field path maps to its tree, as Go's walk of the struct gives. */
  configType: GoType,
): { ts: TranslationSet; entries: ButaneEntry[] } {
  const ts = new TranslationSet('yaml', 'json');
  const entries: ButaneEntry[] = [];
  if (!trees || trees.length === 0) return { ts, entries };
  const storage = (config.storage ??= {}) as GoStruct;
  const tracker = new NodeTracker(storage);
  for (let i = 0; i < trees.length; i++) {
    const at: Path = ['storage', 'trees', i];
    const error = (message: string): void => void entries.push({ kind: 'error', message, path: at });
    if (filesDir === '') {
      error(ERR_NO_FILES_DIR);
      return { ts, entries };
    }
    const srcBase = goPathJoin(filesDir, trees[i].local);
    if (!pathWithinFilesDir(fs, srcBase, filesDir)) {
      error(ERR_FILES_DIR_ESCAPE);
      continue;
    }
    let info: ButaneStat;
    try {
      info = fs.stat(srcBase);
    } catch (err) {
      error((err as Error).message);
      continue;
    }
    if (!info.isDirectory) {
      error(ERR_TREE_NOT_DIRECTORY);
      continue;
    }
    const destBase = trees[i].path ? (trees[i].path as string) : '/';
    walk(srcBase, '.', { at, ts, error, tracker, fs, destBase, fileType: typeAtPath(configType, ['storage', 'files', 0]), linkType: typeAtPath(configType, ['storage', 'links', 0]) });
  }
  return { ts, entries };
}

interface Walk {
  readonly at: Path;
  readonly ts: TranslationSet;
  readonly error: (message: string) => void;
  readonly tracker: NodeTracker;
  readonly fs: ButaneFs;
  readonly destBase: string;
  readonly fileType?: GoType;
  readonly linkType?: GoType;
}

/** Go's `filepath.Walk` from `srcBase`: lstat each entry, directories in byte order, no symlinks followed. */
function walk(srcBase: string, rel: string, w: Walk): void {
  const srcPath = rel === '.' ? srcBase : goPathJoin(srcBase, rel);
  let info: ButaneStat;
  try {
    info = w.fs.lstat(srcPath);
  } catch (err) {
    w.error((err as Error).message);
    return;
  }
  if (info.isDirectory) {
    let names: string[];
    try {
      names = w.fs.readdir(srcPath);
    } catch (err) {
      w.error((err as Error).message);
      return;
    }
    for (const name of names) walk(srcBase, rel === '.' ? name : `${rel}/${name}`, w);
    return;
  }
  const dest = goPathClean(goPathJoin(w.destBase, rel));
  if (info.isFile) regularFile(srcPath, dest, info, w);
  else if (info.isSymbolicLink) symlink(srcPath, dest, w);
  else w.error(ERR_FILE_TYPE);
}

function regularFile(srcPath: string, dest: string, info: ButaneStat, w: Walk): void {
  let found = w.tracker.file(dest);
  if (found) {
    const source = (found[1].contents as GoStruct | undefined)?.source as string | undefined;
    if (source !== undefined && source !== '') return w.error(ERR_NODE_EXISTS);
  } else {
    if (w.tracker.exists(dest)) return w.error(ERR_NODE_EXISTS);
    found = w.tracker.addFile(dest);
    w.ts.addFromCommonSource(w.at, ['storage', 'files', found[0]], found[1], w.fileType);
    if (found[0] === 0) w.ts.addTranslation(w.at, ['storage', 'files']);
  }
  const [i, file] = found;
  let contents: Uint8Array;
  try {
    contents = w.fs.readFile(srcPath);
  } catch (err) {
    return w.error((err as Error).message);
  }
  const resource = (file.contents ??= {}) as GoStruct;
  const made = makeDataUrl(contents, resource.compression as string | undefined, true);
  resource.source = made.url;
  w.ts.addTranslation(w.at, ['storage', 'files', i, 'contents', 'source']);
  if (made.compression !== undefined) {
    resource.compression = made.compression;
    w.ts.addTranslation(w.at, ['storage', 'files', i, 'contents', 'compression']);
  }
  w.ts.addTranslation(w.at, ['storage', 'files', i, 'contents']);
  if (file.mode === undefined) {
    file.mode = info.mode & 0o111 ? 0o755 : 0o644;
    w.ts.addTranslation(w.at, ['storage', 'files', i, 'mode']);
  }
}

function symlink(srcPath: string, dest: string, w: Walk): void {
  let found = w.tracker.link(dest);
  if (found) {
    const target = found[1].target as string | undefined;
    if (target !== undefined && target !== '') return w.error(ERR_NODE_EXISTS);
  } else {
    if (w.tracker.exists(dest)) return w.error(ERR_NODE_EXISTS);
    found = w.tracker.addLink(dest);
    w.ts.addFromCommonSource(w.at, ['storage', 'links', found[0]], found[1], w.linkType);
    if (found[0] === 0) w.ts.addTranslation(w.at, ['storage', 'links']);
  }
  const [i, link] = found;
  try {
    link.target = w.fs.readlink(srcPath);
  } catch (err) {
    return w.error((err as Error).message);
  }
  w.ts.addTranslation(w.at, ['storage', 'links', i, 'target']);
}

/**
 * Successful transpiles, kept across synths: a synth whose configs did not change since the last
 * one reuses their results instead of transpiling again (a cold transpile costs about a quarter of
 * a millisecond, a third of a CoreOSInstance's share of synth time).
 *
 * Content-addressed and safe against stale entries:
 * - an entry's key is the SHA-256 of everything the transpiler reads: the input (text, or a typed
 *   config as canonical JSON), every option, and the working directory that `local:` paths resolve
 *   against;
 * - an entry also records each local file the transpile read with the SHA-256 of its contents; a hit
 *   re-reads and compares them;
 * - the file belongs to one transpiler: the SHA-256 of every file of the transpiler's code as loaded
 *   (a changed or upgraded transpiler starts an empty cache), vouched for by the files' stat while
 *   that is unchanged (code-identity.ts);
 * - the file carries the SHA-256 of its body (a damaged file is ignored), is written once at exit
 *   through a temporary file and a rename, and keeps this run's entries and as many older ones
 *   (at least OLDER_ENTRIES_FLOOR), MAX_ENTRIES in all: loading the file costs about 15 ms per
 *   thousand entries, so it must stay in proportion to the app that pays for it.
 * Failed transpiles are never cached: their errors are always fresh. The cache is best effort: any
 * problem reading or writing it only costs the transpile.
 *
 * Where: `CDKTF_COREOS_TRANSPILE_CACHE_DIR`, else `node_modules/.cache/cdktf-coreos` in the working
 * directory when `node_modules` exists there; one file per app (its main module).
 * `CDKTF_COREOS_TRANSPILE_CACHE=off` turns it off; it is off under jest and with NODE_ENV=test
 * unless set to `on`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cacheKeyText } from './cache-key';
import { directoryIdentity, type CodeIdentity } from './code-identity';

export const TRANSPILE_CACHE_ENV = 'CDKTF_COREOS_TRANSPILE_CACHE';
export const TRANSPILE_CACHE_DIR_ENV = 'CDKTF_COREOS_TRANSPILE_CACHE_DIR';
/** The default file name; each app gets its own (transpileCacheFileName), so that an app loads only its own entries. */
export const TRANSPILE_CACHE_FILE = 'transpile-cache.json';
/** Bumped whenever an entry's shape changes. */
const FORMAT = 1;
export const MAX_ENTRIES = 20_000;
/**
 * Older entries kept beside this run's: as many as this run used, and at least this many. A stack
 * switched back and forth between two versions (a branch, a revert) still finds the other one;
 * older generations of an app that keeps changing are dropped.
 */
export const OLDER_ENTRIES_FLOOR = 100;

/** A local file a transpile read: its absolute path and the SHA-256 of its contents. */
type FileRead = readonly [path: string, sha256: string];

interface Entry {
  readonly value: unknown;
  readonly reads: readonly FileRead[];
}

/** Reads a local file for the transpiler (a path relative to the working directory). */
export type FileReader = (path: string) => Uint8Array;

interface Header {
  readonly format: number;
  /** The SHA-256 of the transpiler's code (code-identity.ts). */
  readonly transpiler: string;
  /** The stamp of that code when the digest was taken: while it holds, so does the digest. */
  readonly transpilerStamp?: string;
  readonly sha256: string;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export class TranspileCache {
  private entries?: Map<string, Entry>;
  private readonly usedKeys = new Set<string>();
  private added = 0;
  /** The digest of the transpiler's code, once known (computed, or vouched for by its stamp). */
  private transpilerDigest?: string;
  /** The file's entries are this transpiler's but its stamp is not the code's now: rewrite it. */
  private staleStamp = false;
  /** Hits and misses so far, for tests and the benchmark. */
  public readonly stats = { hits: 0, misses: 0 };

  /**
   * @param dir where the cache file lives
   * @param transpiler what identifies the transpiler's code (each part computed on first use)
   * @param fileName the cache file's name in `dir`
   */
  constructor(
    private readonly dir: string,
    private readonly transpiler: CodeIdentity,
    private readonly fileName = TRANSPILE_CACHE_FILE,
  ) {}

  /**
   * The cached value for `keyParts`, or `compute`'s (cached when it returns). `compute` must read
   * local files only through the reader it is given; `keyParts` must hold everything else it reads.
   * Returns `compute(baseReader)` uncached when `keyParts` is not plain data.
   */
  public get<T>(keyParts: unknown, baseReader: FileReader, compute: (readFile: FileReader) => T, codec: ValueCodec<T>): T {
    const keyText = cacheKeyText(keyParts);
    if (keyText === undefined) return compute(baseReader);
    const key = sha256(keyText);
    const entries = this.load();
    const cached = entries.get(key);
    if (cached && readsUnchanged(cached.reads)) {
      const value = codec.decode(cached.value);
      if (value !== undefined) {
        this.stats.hits++;
        this.usedKeys.add(key);
        return value;
      }
    }
    this.stats.misses++;
    const reads: FileRead[] = [];
    const value = compute((path) => {
      const bytes = baseReader(path);
      reads.push([resolve(path), sha256(bytes)]);
      return bytes;
    });
    entries.set(key, { value: codec.encode(value), reads });
    this.usedKeys.add(key);
    this.added++;
    return value;
  }

  /** Writes the file if this run added entries or found its stamp stale; never throws. */
  public flush(): void {
    if ((this.added === 0 && !this.staleStamp) || !this.entries) return;
    const file = join(this.dir, this.fileName);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      const kept: Record<string, Entry> = {};
      let count = 0;
      // this run's entries first, then the older ones in their order (the most recent run's first)
      const limit = Math.min(MAX_ENTRIES, this.usedKeys.size + Math.max(this.usedKeys.size, OLDER_ENTRIES_FLOOR));
      for (const key of [...this.usedKeys, ...this.entries.keys()]) {
        if (count >= limit) break;
        if (key in kept) continue;
        kept[key] = this.entries.get(key) as Entry;
        count++;
      }
      const body = JSON.stringify(kept);
      const header: Header = {
        format: FORMAT,
        transpiler: this.currentTranspilerDigest(),
        transpilerStamp: this.transpiler.stamp(),
        sha256: sha256(body),
      };
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temporary, `${JSON.stringify(header)}\n${body}`);
      renameSync(temporary, file);
      this.added = 0;
      this.staleStamp = false;
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing was written
      }
    }
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    let text: string;
    try {
      text = readFileSync(join(this.dir, this.fileName), 'utf8');
    } catch {
      return this.entries;
    }
    const newline = text.indexOf('\n');
    try {
      const header = JSON.parse(text.slice(0, newline)) as Partial<Header>;
      const body = text.slice(newline + 1);
      if (header.format !== FORMAT || !this.isThisTranspiler(header) || header.sha256 !== sha256(body)) return this.entries;
      const stored = JSON.parse(body) as Record<string, Entry>;
      for (const [key, entry] of Object.entries(stored)) {
        if (isEntry(entry)) this.entries.set(key, entry);
      }
    } catch {
      this.entries.clear();
    }
    return this.entries;
  }

  /** Whether the file was written by this transpiler's code: by the stamp when it holds, else by the digest. */
  private isThisTranspiler(header: Partial<Header>): boolean {
    if (typeof header.transpiler !== 'string') return false;
    const stamp = this.transpiler.stamp();
    if (stamp !== undefined && header.transpilerStamp === stamp) {
      this.transpilerDigest = header.transpiler;
      return true;
    }
    const same = header.transpiler === this.currentTranspilerDigest();
    // rewritten (a rebuild that changed no byte): recording the new stamp spares the next run the digest
    this.staleStamp = same && stamp !== undefined;
    return same;
  }

  private currentTranspilerDigest(): string {
    return (this.transpilerDigest ??= this.transpiler.digest());
  }
}

/** How a cached value is stored: `decode` returns undefined for a value of the wrong shape. */
export interface ValueCodec<T> {
  encode(value: T): unknown;
  decode(stored: unknown): T | undefined;
}

function isEntry(entry: unknown): entry is Entry {
  const candidate = entry as Partial<Entry> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.reads) &&
    candidate.reads.every((read) => Array.isArray(read) && read.length === 2 && typeof read[0] === 'string' && typeof read[1] === 'string')
  );
}

function readsUnchanged(reads: readonly FileRead[]): boolean {
  return reads.every(([path, digest]) => {
    try {
      return sha256(readFileSync(path)) === digest;
    } catch {
      return false;
    }
  });
}

/** Whether the cache is on, per the environment (see the module comment). */
export function transpileCacheEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env[TRANSPILE_CACHE_ENV];
  if (setting === 'off' || setting === '0' || setting === 'false') return false;
  if (setting === 'on' || setting === '1' || setting === 'true') return true;
  return env.JEST_WORKER_ID === undefined && env.NODE_ENV !== 'test';
}

/** The cache directory per the environment, or undefined when there is none to use. */
export function transpileCacheDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env[TRANSPILE_CACHE_DIR_ENV]) return resolve(cwd, env[TRANSPILE_CACHE_DIR_ENV]);
  const modules = join(cwd, 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'cdktf-coreos') : undefined;
}

/** `transpile-cache-<hash of the app's main module>.json`: one file per app in a shared directory. */
export function transpileCacheFileName(mainModule: string | undefined): string {
  return mainModule ? `transpile-cache-${sha256(mainModule).slice(0, 16)}.json` : TRANSPILE_CACHE_FILE;
}

let processCache: TranspileCache | null | undefined;

/**
 * The process's cache (written at exit), or undefined when it is off.
 * @param transpilerEntry the resolved path of the transpiler's entry module: its directory is hashed
 */
export function processTranspileCache(transpilerEntry: () => string): TranspileCache | undefined {
  if (processCache === undefined) {
    const dir = transpileCacheEnabled() ? transpileCacheDir() : undefined;
    processCache =
      dir === undefined
        ? null
        : new TranspileCache(
            dir,
            directoryIdentity(() => dirname(transpilerEntry())),
            transpileCacheFileName(require.main?.filename ?? process.argv[1]),
          );
    if (processCache) {
      const cache = processCache;
      process.once('exit', () => cache.flush());
    }
  }
  return processCache ?? undefined;
}

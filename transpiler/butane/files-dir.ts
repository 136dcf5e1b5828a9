/**
 * Butane's `--files-dir` (docs/butane.md §10, butane `base/util/file.go`): local paths are joined to
 * the files directory and must stay inside it; nothing is read relative to the working directory.
 * Errors are worded as Go's `os` package words them, with the path as the user wrote the files-dir.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { goPathError, goReadFileError } from '../go/os-error';
import { goPathClean, goPathJoin } from '../sections/gopath';

export const ERR_NO_FILES_DIR = 'local file paths are relative to a files directory that must be specified with -d/--files-dir';
export const ERR_FILES_DIR_ESCAPE = 'local file path traverses outside the files directory';

export interface ButaneStat {
  readonly isDirectory: boolean;
  readonly isFile: boolean;
  readonly isSymbolicLink: boolean;
  /** Permission bits. */
  readonly mode: number;
}

/** What the translator reads; every method throws an Error whose message is Go's text for the failure. */
export interface ButaneFs {
  readFile(path: string): Uint8Array;
  stat(path: string): ButaneStat;
  lstat(path: string): ButaneStat;
  /** Entry names, sorted as Go's `filepath.Walk` reads them. */
  readdir(path: string): string[];
  readlink(path: string): string;
  /** The absolute form of a path (Go `filepath.Abs`). */
  abs(path: string): string;
}

const goError = (op: string, path: string, err: unknown): Error => new Error(goPathError(op, path, err));

const toStat = (s: import('node:fs').Stats): ButaneStat => ({
  isDirectory: s.isDirectory(),
  isFile: s.isFile(),
  isSymbolicLink: s.isSymbolicLink(),
  mode: s.mode & 0o7777,
});

/** The real file system, relative paths resolved against `cwd`. */
export function nodeButaneFs(cwd: string = process.cwd()): ButaneFs {
  const at = (p: string): string => resolve(cwd, p);
  const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return {
    readFile(p) {
      try {
        return readFileSync(at(p));
      } catch (err) {
        throw new Error(goReadFileError(p, err));
      }
    },
    stat(p) {
      try {
        return toStat(statSync(at(p)));
      } catch (err) {
        throw goError('stat', p, err);
      }
    },
    lstat(p) {
      try {
        return toStat(lstatSync(at(p)));
      } catch (err) {
        throw goError('lstat', p, err);
      }
    },
    readdir(p) {
      try {
        return readdirSync(at(p)).sort(byteOrder);
      } catch (err) {
        throw goError('open', p, err);
      }
    },
    readlink(p) {
      try {
        return readlinkSync(at(p));
      } catch (err) {
        throw goError('readlink', p, err);
      }
    },
    abs: (p) => (p.startsWith('/') ? goPathClean(p) : goPathJoin(cwd, p)),
  };
}

/** `EnsurePathWithinFilesDir`: the lexical path, made absolute, is the files-dir or below it. */
export function pathWithinFilesDir(fs: ButaneFs, path: string, filesDir: string): boolean {
  const base = fs.abs(filesDir);
  const abs = fs.abs(path);
  // Go's test as is: with `-d /` the prefix is `//`, so every file below it is refused
  return abs === base || abs.startsWith(base + '/');
}

/** `ReadLocalFile`: a `local`, `contents_local` or key file under the files-dir; throws with Butane's or Go's message. */
export function readLocalFile(fs: ButaneFs, local: string, filesDir: string): Uint8Array {
  if (filesDir === '') throw new Error(ERR_NO_FILES_DIR);
  const filePath = goPathJoin(filesDir, local);
  if (!pathWithinFilesDir(fs, filePath, filesDir)) throw new Error(ERR_FILES_DIR_ESCAPE);
  return fs.readFile(filePath);
}

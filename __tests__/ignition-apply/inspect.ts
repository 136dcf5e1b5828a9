/** Reading what Ignition left in the scratch root, by absolute in-root paths (`/etc/passwd`). */
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';

export interface NodeInfo {
  readonly type: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits only (no file type), e.g. 0o644. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Inode number, to tell hard links apart from copies. */
  readonly ino: number;
  readonly links: number;
}

export class ScratchRoot {
  constructor(readonly dir: string) {}

  at(inRoot: string): string {
    return path.join(this.dir, inRoot);
  }

  node(inRoot: string): NodeInfo {
    const stat = lstatSync(this.at(inRoot));
    const type = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'other';
    return { type, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, ino: stat.ino, links: stat.nlink };
  }

  text(inRoot: string): string {
    return readFileSync(this.at(inRoot), 'utf8');
  }

  bytes(inRoot: string): Buffer {
    return readFileSync(this.at(inRoot));
  }

  linkTarget(inRoot: string): string {
    return readlinkSync(this.at(inRoot));
  }

  list(inRoot: string): string[] {
    return readdirSync(this.at(inRoot)).sort();
  }

  /** The line of an account database (`/etc/passwd`, `/etc/group`, ...) for `name`, split on ':'. */
  entry(database: string, name: string): string[] | undefined {
    return this.text(database)
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[0] === name);
  }
}

/** Days since the epoch, as shadow's "last password change" field counts them. */
export function shadowToday(): number {
  return Math.floor(Date.now() / 86_400_000);
}

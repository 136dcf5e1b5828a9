/**
 * Go's `*os.PathError` text (`op path: message`) for a Node fs error: the errno message as Go's
 * `syscall.Errno` words it on Linux, or Node's own message for a code not listed.
 */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EISDIR: 'is a directory',
  EINVAL: 'invalid argument',
};

/** `op path: message`, as Go's `os` functions report a failed `op` on `path`. */
export function goPathError(op: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return `${op} ${path}: ${ERRNO_TEXT[code] ?? (err as Error).message}`;
}

/** `os.ReadFile`'s error: a directory opens fine in Go and fails on read. */
export function goReadFileError(path: string, err: unknown): string {
  return goPathError((err as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open', path, err);
}

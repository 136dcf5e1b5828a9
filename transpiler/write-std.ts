/**
 * A command's output, written straight to file descriptors 1 and 2. Creating `process.stdout`
 * costs a cold run a few milliseconds (streams, and `net` when it is a pipe), and these commands
 * write their whole output once, at the end.
 */
import { writeSync } from 'node:fs';

let sleepCell: Int32Array | undefined;

/** Blocks the thread for 1 ms without spinning. */
function sleepOneMillisecond(): void {
  Atomics.wait((sleepCell ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
}

/**
 * Writes all of `data` to `fd`: writes may be partial, and a pipe shared with a process that made
 * it non-blocking (Node does, for its own stdout) refuses with EAGAIN while full.
 */
export function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      sleepOneMillisecond();
    }
  }
}

/**
 * Writes a run's stdout, then its stderr, as `process.stdout.write` and `process.stderr.write`
 * did: stderr is still written when stdout fails (a closed pipe), and then the failure is thrown.
 */
export function writeStdio(stdout: string | Uint8Array, stderr: string | Uint8Array): void {
  let failure: unknown;
  try {
    if (stdout.length > 0) writeAllSync(1, stdout);
  } catch (err) {
    failure = err;
  }
  if (stderr.length > 0) writeAllSync(2, stderr);
  if (failure !== undefined) throw failure;
}

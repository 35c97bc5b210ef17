import { type Stats, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

// Synchronous file-system reads that answer `undefined` where the path cannot be read. The CLI
// does its small file operations synchronously: faster for dozens of small files than promises
// queued on libuv's threads, and it spares every run from loading node's fs/promises.

/**
 * `file` opened with `flags` (a new file gets `mode`, before the umask), its folders made first
 * where missing (0777 before the umask, as git makes them): most often they are there, and are
 * not looked for (two system calls each) before the open.
 */
export function openMakingFolders(file: string, flags: string, mode: number): number {
  try {
    return openSync(file, flags, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o777 });
  return openSync(file, flags, mode);
}

/**
 * Removes a file, if there is one: `rmSync(p, { force: true })` for a file (a folder is refused
 * all the same), without loading node's recursive remover, which rmSync loads for every call.
 */
export function removeFile(p: string): void {
  try {
    unlinkSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export function statOrNone(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

export function lstatOrNone(p: string): Stats | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export function readOrNone(p: string): Buffer | undefined;
export function readOrNone(p: string, encoding: 'utf8'): string | undefined;
export function readOrNone(p: string, encoding?: 'utf8'): Buffer | string | undefined {
  try {
    // A missing file (the usual case for most settings files) is answered without an error made and thrown.
    const st = lstatSync(p, { throwIfNoEntry: false });
    return st && readRegularAfter(p, st, encoding);
  } catch {
    return undefined;
  }
}

/** What a non-regular, non-folder, non-link thing is, in words; undefined for those three. */
export function specialKind(st: Stats): string | undefined {
  if (st.isFile() || st.isDirectory() || st.isSymbolicLink()) return undefined;
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Why a path cannot be read as a file: the reason, e.g. "is a FIFO (named pipe), not a regular file". */
export class NotRegularFile extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Reads a regular file, and nothing else: the path is lstat-ed first (a FIFO would block an
 * open forever, a device never ends, a link leads elsewhere), then opened without following a
 * link and without blocking, and the opened file is checked again to be that same regular file.
 * Throws NotRegularFile for anything else; ENOENT and other errors as readFileSync does.
 */
export function readRegularFile(p: string): Buffer;
export function readRegularFile(p: string, encoding: 'utf8'): string;
export function readRegularFile(p: string, encoding?: 'utf8'): Buffer | string {
  return readRegularAfter(p, lstatSync(p), encoding);
}

/** readRegularFile, the path's lstat `st` taken. */
function readRegularAfter(p: string, st: Stats, encoding?: 'utf8'): Buffer | string {
  if (!st.isFile()) throw new NotRegularFile(p, st.isDirectory() ? 'is a folder, not a file' : st.isSymbolicLink() ? 'is a symbolic link, not a regular file' : `is ${specialKind(st)}, not a regular file`);
  const fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const now = fstatSync(fd);
    if (!now.isFile() || now.ino !== st.ino || now.dev !== st.dev) throw new NotRegularFile(p, 'changed while it was read');
    // Read to the size the check above saw, as readFileSync would, without asking for it again
    // (a file that says 0 bytes, as some kernel files do, is read to its end by readFileSync).
    const size = now.size;
    if (size === 0) {
      const rest = readFileSync(fd);
      return encoding ? rest.toString(encoding) : rest;
    }
    const data = readUpTo(fd, size);
    return encoding ? data.toString(encoding) : data;
  } finally {
    closeSync(fd);
  }
}

/** Up to `size` bytes from an open file's current position (the start, for a file just opened): fewer where it ends sooner. */
export function readUpTo(fd: number, size: number): Buffer {
  const whole = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, whole, got, size - got, null);
    if (n === 0) break;
    got += n;
  }
  return got === size ? whole : whole.subarray(0, got);
}

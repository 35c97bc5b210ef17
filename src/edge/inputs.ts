import { existsSync, statSync } from 'node:fs';
import { NotRegularFile, readRegularFile } from './fs-quiet.js';

/**
 * Files a command reads as input, outside any project (a repos list, a template's folder, a
 * manifest looked for): read here, so that the use cases above never touch the file system.
 */

/** A file's text; throws the error `fail` makes from the reason (ENOENT...) when it cannot be read. */
export function readText(file: string, fail: (why: string) => Error): string {
  try {
    return readRegularFile(file, 'utf8');
  } catch (e) {
    throw fail(e instanceof NotRegularFile ? e.reason : ((e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}

/** A file's bytes, as readText. */
export function readBytes(file: string, fail: (why: string) => Error): Buffer {
  try {
    return readRegularFile(file);
  } catch (e) {
    throw fail(e instanceof NotRegularFile ? e.reason : ((e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}

export const exists = (p: string): boolean => existsSync(p);

export function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

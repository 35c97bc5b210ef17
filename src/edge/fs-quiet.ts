import { type Stats, lstatSync, readFileSync, statSync } from 'node:fs';

// Synchronous file-system reads that answer `undefined` where the path cannot be read. The CLI
// does its small file operations synchronously: faster for dozens of small files than promises
// queued on libuv's threads, and it spares every run from loading node's fs/promises.

export function statOrNone(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

export function lstatOrNone(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

export function readOrNone(p: string): Buffer | undefined;
export function readOrNone(p: string, encoding: 'utf8'): string | undefined;
export function readOrNone(p: string, encoding?: 'utf8'): Buffer | string | undefined {
  try {
    return encoding ? readFileSync(p, encoding) : readFileSync(p);
  } catch {
    return undefined;
  }
}

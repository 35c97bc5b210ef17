import { linkSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { onInterrupt } from './cleanup.js';
import { processAlive } from './process-alive.js';

/**
 * One sync at a time per project: a lock file holding the owner's pid. A lock whose process is
 * gone (a crash, a kill -9) is stale and taken over. The lock appears with its pid already in it
 * (written beside it, then linked into place): a lock seen empty would look abandoned to a
 * second run, which would take it over from the first.
 */
export function acquireLock(file: string, what: string): () => void {
  // A run killed between writing its pid and linking it left that file: remove it.
  const base = path.basename(file);
  try {
    for (const name of readdirSync(path.dirname(file))) {
      const pid = name.startsWith(`${base}.`) ? Number(name.slice(base.length + 1)) : NaN;
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) rmSync(path.join(path.dirname(file), name), { force: true });
    }
  } catch {
    // no folder to tidy
  }
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    return takeLock(file, mine, what);
  } finally {
    rmSync(mine, { force: true });
  }
}

function takeLock(file: string, mine: string, what: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(mine, file);
      const release = () => rmSync(file, { force: true });
      const unregister = onInterrupt(release);
      return () => {
        unregister();
        release();
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let text: string;
      try {
        text = readFileSync(file, 'utf8').trim();
      } catch {
        continue; // released meanwhile: try again
      }
      const pid = Number(text);
      // A lock without a pid (left by an older release) is held while it is fresh.
      const held = Number.isInteger(pid) && pid > 0 ? processAlive(pid) : Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 60_000;
      if (held) {
        throw new InputError(`${what}: another create-migration (${pid > 0 ? `pid ${pid}` : 'pid unknown'}) is working on it; wait for it to finish (lock: ${file}).`);
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new InputError(`${what}: could not take the lock ${file}.`);
}

import { linkSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readRegularFile, removeFile } from './fs-quiet.js';
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
export async function acquireLock(file: string, what: string, waitMs = lockWaitMs()): Promise<() => void> {
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
    // A second run waits its turn, as git waits for its index.lock: polling, for a bounded time.
    const until = Date.now() + waitMs;
    for (;;) {
      const got = takeLock(file, mine);
      if (typeof got === 'function') return got;
      if (Date.now() >= until) {
        throw new InputError(
          `${what}: another create-migration (${got.pid > 0 ? `pid ${got.pid}` : 'pid unknown'}) is working on it, and it did not finish within ${Math.round(waitMs / 1000)} s; run again when it is done (lock: ${file}).`,
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    removeFile(mine);
  }
}

const POLL_MS = 100;
const DEFAULT_WAIT_MS = 10_000;

/** How long a run waits for the lock: 10 s, or CREATE_MIGRATION_LOCK_WAIT_MS (0 = do not wait). */
function lockWaitMs(): number {
  const raw = process.env.CREATE_MIGRATION_LOCK_WAIT_MS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 600_000) : DEFAULT_WAIT_MS;
}

/** The lock, or who holds it. */
function takeLock(file: string, mine: string): (() => void) | { pid: number } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(mine, file);
      const release = () => removeFile(file);
      const unregister = onInterrupt(release);
      return () => {
        unregister();
        release();
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let text: string;
      try {
        text = readRegularFile(file, 'utf8').trim();
      } catch {
        continue; // released meanwhile: try again
      }
      const pid = Number(text);
      // A lock without a pid (left by an older release) is held while it is fresh.
      const held = Number.isInteger(pid) && pid > 0 ? processAlive(pid) : Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 60_000;
      if (held) return { pid: pid > 0 ? pid : 0 };
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  return { pid: 0 }; // taken and released twice meanwhile: busy, try again
}

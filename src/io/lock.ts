import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { onInterrupt } from './cleanup.js';
import { processAlive } from './process-alive.js';

/**
 * One sync at a time per project: a lock file holding the owner's pid. A lock whose process is
 * gone (a crash, a kill -9) is stale and taken over.
 */
export function acquireLock(file: string, what: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => rmSync(file, { force: true });
      const unregister = onInterrupt(release);
      return () => {
        unregister();
        release();
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new UsageError(`${what}: another create-migration (pid ${pid}) is working on it; wait for it to finish (lock: ${file}).`);
      }
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new UsageError(`${what}: could not take the lock ${file}.`);
}

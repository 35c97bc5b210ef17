import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onInterrupt } from './cleanup.js';

/**
 * Applies a sync's writes and deletes to a project so that, whatever happens, each file is
 * either as it was or as planned, and a failure part way puts every file back.
 *
 * Before touching anything, the original bytes of every path go into a journal file. Each file
 * is written to a temp file beside it and renamed over the old one (atomic on POSIX). If a step
 * fails, or the process is interrupted, the journal restores every path. If the process is
 * killed outright, the next run finds the journal and restores from it before doing anything.
 */

interface Journal {
  version: 1;
  /** Original content per path, base64; null when the path did not exist. */
  originals: Record<string, string | null>;
  /** Folders this run created, deepest last. */
  createdDirs: string[];
}

export class ApplyError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const err = cause as NodeJS.ErrnoException;
    super(`cannot write ${file}: ${err.code ? `${err.code} ` : ''}(${err.message}). Every file was rolled back.`);
  }
}

function atomicWriteSync(full: string, data: Uint8Array): void {
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(4).toString('hex')}.cm-tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, full);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function atomicWrite(full: string, data: Uint8Array, mode?: number): Promise<void> {
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(4).toString('hex')}.cm-tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, full);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Puts every journaled path back as it was; safe to run twice. */
function restore(root: string, journal: Journal): void {
  for (const [rel, original] of Object.entries(journal.originals)) {
    const full = path.join(root, rel);
    if (original === null) rmSync(full, { force: true });
    else {
      const data = Buffer.from(original, 'base64');
      const now = existsSync(full) ? readFileSync(full) : undefined;
      if (!now || !now.equals(data)) atomicWriteSync(full, data);
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) {
    try {
      // rmdir removes only an empty folder: anything in it is not ours to remove.
      rmdirSync(path.join(root, dir));
    } catch {
      // Gone already, or the user has since put files in it: it stays.
    }
  }
}

/** If an earlier run was killed part way, put its files back. Returns the paths restored. */
export function recoverJournal(root: string, journalFile: string): string[] {
  if (!existsSync(journalFile)) return [];
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
  } catch {
    // A journal cut off while it was written means no project file had been touched yet.
    rmSync(journalFile, { force: true });
    return [];
  }
  restore(root, journal);
  rmSync(journalFile, { force: true });
  return Object.keys(journal.originals);
}

export interface ApplyOptions {
  root: string;
  journalFile: string;
  writes: { path: string; data: Uint8Array }[];
  deletes: string[];
  /** Runs after the files are in place (git index, pristine branch); a failure rolls back too. */
  after?: () => Promise<void>;
}

export async function applyChanges(opts: ApplyOptions): Promise<void> {
  const { root, journalFile } = opts;
  const journal: Journal = { version: 1, originals: {}, createdDirs: [] };
  for (const rel of [...opts.writes.map((w) => w.path), ...opts.deletes]) {
    const full = path.join(root, rel);
    const st = await fs.lstat(full).catch(() => undefined);
    if (st?.isSymbolicLink()) throw new ApplyError(rel, new Error('is a symbolic link in the project; sync does not write through links'));
    journal.originals[rel] = st ? (await fs.readFile(full)).toString('base64') : null;
  }
  for (const w of opts.writes) {
    // Folders to create, recorded first so that a rollback can remove them.
    const parts = w.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (!journal.createdDirs.includes(rel) && !existsSync(path.join(root, rel))) journal.createdDirs.push(rel);
    }
  }
  await fs.mkdir(path.dirname(journalFile), { recursive: true });
  await atomicWrite(journalFile, Buffer.from(JSON.stringify(journal)));
  const undo = () => {
    restore(root, journal);
    rmSync(journalFile, { force: true });
  };
  const release = onInterrupt(undo);
  let current = '';
  try {
    for (const dir of journal.createdDirs) {
      current = dir;
      await fs.mkdir(path.join(root, dir));
    }
    for (const w of opts.writes) {
      current = w.path;
      const full = path.join(root, w.path);
      const mode = await fs.stat(full).then((s) => s.mode, () => undefined);
      await atomicWrite(full, w.data, mode);
    }
    for (const d of opts.deletes) {
      current = d;
      await fs.rm(path.join(root, d), { force: true });
    }
    current = '(git)';
    await opts.after?.();
    await fs.rm(journalFile, { force: true });
  } catch (e) {
    undo();
    throw e instanceof ApplyError ? e : new ApplyError(current, e);
  } finally {
    release();
  }
}

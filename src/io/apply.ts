import { randomBytes } from 'node:crypto';
import { type Stats, chmodSync, closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
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
  /**
   * Original permission bits per existing path. A restored file is a new file, so without them
   * a rollback would turn a user's executable script into a plain file (and back into a change).
   */
  modes?: Record<string, number>;
  /** Folders this run created, deepest last. */
  createdDirs: string[];
  /**
   * Where the pristine branch pointed before the run (null: it did not exist), when the run
   * moves it: a rollback of the files must put it back too, or the next sync would take the
   * template version the files were rolled back from as their base.
   */
  pristineTip?: string | null;
}

/** What recovering an interrupted run did. */
export interface Recovery {
  /** The paths put back. */
  restored: string[];
  /** Where the pristine branch must be put back to, when the interrupted run recorded it. */
  pristineTip?: string | null;
}

export class ApplyError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
    /** Paths the rollback could not put back (the journal is kept for the next run to retry). */
    readonly unrestored: string[] = [],
  ) {
    const err = cause as NodeJS.ErrnoException;
    const undone = unrestored.length
      ? `The rollback could not restore ${unrestored.join(', ')}; the next sync retries it from the journal.`
      : 'Every file was rolled back.';
    super(`cannot write ${file}: ${err.code ? `${err.code} ` : ''}(${err.message}). ${undone}`);
  }
}

/**
 * Temp file + rename: a reader (or a killed process) sees the old file or the new one, never
 * half of one. Only the journal is flushed to disk before the files are touched (`durable`);
 * flushing every project file too would cost a disk round trip per file for no safety the
 * journal does not already give. Synchronous on purpose: for many small files, in-turn system
 * calls are several times faster than promises queued on libuv's worker threads.
 */
export function atomicWriteSync(full: string, data: Uint8Array, mode?: number, durable = false): void {
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(4).toString('hex')}.cm-tmp`);
  try {
    if (durable) {
      const fd = openSync(tmp, 'wx');
      try {
        writeSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } else writeFileSync(tmp, data, { flag: 'wx' });
    // Set explicitly: the mode given at creation is filtered by the umask.
    if (mode !== undefined) chmodSync(tmp, mode & 0o7777);
    renameSync(tmp, full);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Removes a file this run created; a path that cannot exist (a parent is a file) is already gone. */
function removeCreated(full: string): void {
  try {
    rmSync(full, { force: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
  }
}

/**
 * Puts every journaled path back as it was; safe to run twice. Each path is restored on its
 * own: one that fails must not stop the others from being put back. Returns the paths that
 * could not be restored.
 */
function restore(root: string, journal: Journal): string[] {
  const failed: string[] = [];
  const entries = Object.entries(journal.originals);
  // What the run created goes first, then the folders it made: a file that a folder replaced
  // (or the other way round) can only come back once the new one is gone.
  for (const [rel, original] of entries) {
    if (original !== null) continue;
    try {
      removeCreated(path.join(root, rel));
    } catch {
      failed.push(rel);
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
  for (const [rel, original] of entries) {
    if (original === null) continue;
    const full = path.join(root, rel);
    try {
      const data = Buffer.from(original, 'base64');
      const mode = journal.modes?.[rel];
      const now = existsSync(full) ? readFileSync(full) : undefined;
      // The folder may have gone with the file (an emptied folder is removed after deletes).
      if (!now) mkdirSync(path.dirname(full), { recursive: true });
      if (!now || !now.equals(data)) atomicWriteSync(full, data, mode);
      else if (mode !== undefined && (statSync(full).mode & 0o7777) !== mode) chmodSync(full, mode);
    } catch {
      failed.push(rel);
    }
  }
  return failed;
}

/** If an earlier run was killed part way, put its files back. Returns the paths restored. */
const TEMP = /^\..+\.[0-9a-f]{8}\.cm-tmp$/;

/** Temp files a killed run left between writing one and renaming it into place. */
function removeStrayTemps(dirs: Iterable<string>): void {
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (TEMP.test(n)) rmSync(path.join(dir, n), { force: true });
  }
}

export function recoverJournal(root: string, journalFile: string): Recovery {
  removeStrayTemps([path.dirname(journalFile)]);
  if (!existsSync(journalFile)) return { restored: [] };
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
  } catch {
    // A journal cut off while it was written means no project file had been touched yet.
    rmSync(journalFile, { force: true });
    return { restored: [] };
  }
  removeStrayTemps(Object.keys(journal.originals).map((p) => path.dirname(path.join(root, p))));
  const failed = restore(root, journal);
  if (failed.length) {
    // Keep the journal: it still holds the only copy of these files' original content.
    throw new Error(`an interrupted sync left ${journalFile}, and ${failed.join(', ')} could not be restored from it; fix what blocks them (permissions, a file in the way) and run again.`);
  }
  rmSync(journalFile, { force: true });
  return { restored: Object.keys(journal.originals), pristineTip: journal.pristineTip };
}

export interface ApplyOptions {
  root: string;
  journalFile: string;
  writes: { path: string; data: Uint8Array }[];
  deletes: string[];
  /** Runs after the files are in place (git index, pristine branch); a failure rolls back too. */
  after?: () => Promise<void>;
  /** The pristine branch's tip before the run, when `after` moves it (see Journal). */
  pristineTip?: string | null;
}

function isFolder(full: string): boolean {
  try {
    return lstatSync(full, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false; // a file on the way: not a folder
  }
}

export async function applyChanges(opts: ApplyOptions): Promise<void> {
  const { root, journalFile } = opts;
  const journal: Journal = { version: 1, originals: {}, modes: {}, createdDirs: [], pristineTip: opts.pristineTip };
  for (const rel of [...opts.writes.map((w) => w.path), ...opts.deletes]) {
    const full = path.join(root, rel);
    let st: Stats | undefined;
    try {
      st = lstatSync(full, { throwIfNoEntry: false });
    } catch (e) {
      // A file where a folder of this path should be: nothing there yet; the write names it.
      if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw new ApplyError(rel, e);
    }
    if (st?.isSymbolicLink()) throw new ApplyError(rel, new Error('is a symbolic link in the project; sync does not write through links'));
    // A folder where a file goes (a template folder that became a file): the plan emptied it,
    // the deletes below remove it, and a rollback has nothing of it to put back but the files.
    if (st?.isDirectory() && opts.writes.some((w) => w.path === rel)) {
      journal.originals[rel] = null;
      continue;
    }
    // Nothing is written yet: an unreadable path (a folder where a file goes) fails naming it.
    let original: Buffer | undefined;
    try {
      original = st ? readFileSync(full) : undefined;
    } catch (e) {
      throw new ApplyError(rel, e);
    }
    journal.originals[rel] = original ? original.toString('base64') : null;
    if (st) journal.modes![rel] = st.mode & 0o7777;
  }
  for (const w of opts.writes) {
    // Folders to create, recorded first so that a rollback can remove them.
    const parts = w.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      // A file that stands there now (one this run deletes) makes way for the folder.
      if (!journal.createdDirs.includes(rel) && !isFolder(path.join(root, rel))) journal.createdDirs.push(rel);
    }
  }
  mkdirSync(path.dirname(journalFile), { recursive: true });
  atomicWriteSync(journalFile, Buffer.from(JSON.stringify(journal)), undefined, true);
  let unrestored: string[] = [];
  const undo = () => {
    unrestored = restore(root, journal);
    if (!unrestored.length) rmSync(journalFile, { force: true });
  };
  const release = onInterrupt(undo);
  let current = '';
  try {
    // Deletes first: a file the template turned into a folder (or the reverse) must be gone, and
    // its emptied folder with it, before the new path can be made.
    for (const d of opts.deletes) {
      current = d;
      rmSync(path.join(root, d), { force: true });
    }
    // A folder whose last file was deleted goes too, as git does on checkout: a rename or a new
    // package name would otherwise leave empty folders behind (guides/, src/old_name/). rmdir
    // removes only empty folders; a rollback recreates them with the files they held.
    for (const d of opts.deletes) {
      for (let dir = path.posix.dirname(d); dir !== '.'; dir = path.posix.dirname(dir)) {
        current = dir;
        try {
          rmdirSync(path.join(root, dir));
        } catch {
          break;
        }
      }
    }
    for (const dir of journal.createdDirs) {
      current = dir;
      if (!isFolder(path.join(root, dir))) mkdirSync(path.join(root, dir), { recursive: true });
    }
    for (const w of opts.writes) {
      current = w.path;
      // A folder that existed (so is not in createdDirs) may have emptied with the deletes above.
      const parent = path.dirname(path.join(root, w.path));
      if (!isFolder(parent)) mkdirSync(parent, { recursive: true });
      atomicWriteSync(path.join(root, w.path), w.data, journal.modes![w.path]);
    }
    current = '(git)';
    await opts.after?.();
    rmSync(journalFile, { force: true });
  } catch (e) {
    undo();
    throw e instanceof ApplyError ? e : new ApplyError(current, e, unrestored);
  } finally {
    release();
  }
}

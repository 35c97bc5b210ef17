import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { LOCAL_JOURNAL, LOCAL_LOCK } from '../core/path-rules.js';
import { atomicWriteSync, dropJournal, newRunId, recoverJournal, type Journal } from './apply.js';
import { PRISTINE_TRAILER } from './git/refs.js';
import { gitText } from './git/run.js';
import { acquireLock } from './lock.js';
import { checkpoint } from './project/checkpoint.js';
import { requireSafePath } from './project/guard.js';
import { onInterrupt } from './cleanup.js';
import { lstatOrNone } from './fs-quiet.js';
import { processAlive } from './process-alive.js';

export interface OutFile {
  path: string;
  data: Uint8Array;
  /** The template ships it executable: it gets the execute bits the umask allows. */
  executable?: boolean;
}

/** Whether a folder is absent or empty: the only targets written without --force. */
export async function targetState(dir: string): Promise<'missing' | 'empty' | 'non-empty' | 'not-a-dir'> {
  const st = lstatOrNone(dir);
  if (!st) return 'missing';
  if (!st.isDirectory()) return 'not-a-dir';
  return readdirSync(dir).length === 0 ? 'empty' : 'non-empty';
}

/** Says which file failed and why; the caller has already undone everything. */
function writeFailed(file: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  return new Error(`cannot write ${file}: ${err.code ?? ''}${err.code ? ' ' : ''}(${err.message}). Everything written was rolled back.`);
}

/**
 * Writes one new file, never over an existing one. Synchronous on purpose: a project is dozens
 * of small files, written several times faster in turn than as promises on libuv's workers.
 */
function writeOne(root: string, f: OutFile, folders: Set<string>): string | undefined {
  requireSafePath(f.path, 'generate', { manifest: true });
  const full = path.join(root, f.path);
  const dir = path.dirname(full);
  let created: string | undefined;
  try {
    if (!folders.has(dir)) {
      created = mkdirSync(dir, { recursive: true });
      // It and every folder above it (up to root) are there now: not asked again.
      for (let d = dir; !folders.has(d); d = path.dirname(d)) {
        folders.add(d);
        if (d.length <= root.length || path.dirname(d) === d) break;
      }
    }
    writeFileSync(full, f.data, { flag: 'wx', mode: f.executable ? 0o777 : 0o666 });
    return created;
  } catch (e) {
    // A file that was there before (EEXIST) is not ours to remove; a half-written one is.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(full, { force: true });
    if (created) rmSync(created, { recursive: true, force: true });
    throw writeFailed(f.path, e);
  }
}

/**
 * Writes new files under `root` (the staging folder of a new project): each through the path
 * rule, none over another. Each folder is made once (a folder made, or found, is not asked for
 * again: two system calls a file fewer).
 */
export function writeFiles(root: string, files: readonly OutFile[]): void {
  const folders = new Set<string>();
  for (const f of files) writeOne(root, f, folders);
}

/** A hidden folder beside the target, where a new project is made before it is renamed into place. */
export interface Stage {
  dir: string;
  /** Makes the files (by us, or by `make`) and renames the folder into place; on failure, removes it. */
  finish(files: OutFile[], make?: (dir: string, files: OutFile[]) => Promise<void>): Promise<void>;
  /** Removes the folder and anything made for it (safe to call more than once). */
  abort(): void;
}

/**
 * Opens the staging folder of a new project. Until `finish` renames it into place, it is
 * removed on any error and on Ctrl-C, along with the parent folders made for it.
 */
export async function openStage(target: string): Promise<Stage> {
  const parent = path.dirname(target);
  const firstMissing = await firstMissingAncestor(parent);
  const prefix = `.${path.basename(target)}.create-migration-`;
  let stage: string;
  try {
    mkdirSync(parent, { recursive: true });
    await removeStaleStages(parent, prefix);
    stage = mkdtempSync(path.join(parent, `${prefix}${process.pid}-`));
  } catch (e) {
    // No folder made for this run may stay behind (`p/` of p/<too long>/x).
    if (firstMissing) rmSync(firstMissing, { recursive: true, force: true });
    throw e;
  }
  let placed = false;
  const abort = () => {
    // Once renamed into place, the folder is the user's project: nothing to undo any more.
    if (placed) return;
    // Retried: on Ctrl-C, a git process may still be adding files while the folder is removed.
    rmSync(stage, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    if (firstMissing && existsSync(firstMissing)) rmSync(firstMissing, { recursive: true, force: true });
  };
  const release = onInterrupt(abort);
  try {
    // mkdtemp makes the folder private; a project folder gets the user's usual permissions.
    chmodSync(stage, 0o777 & ~process.umask());
  } catch (e) {
    abort();
    release();
    throw e;
  }
  return {
    dir: stage,
    abort() {
      abort();
      release();
    },
    async finish(files, make) {
      try {
        if (make) {
          await make(stage, files).catch((e: Error) => {
            throw new Error(`cannot create the project: ${e.message.trim()}. Nothing was left behind.`);
          });
        } else writeFiles(stage, files);
        await checkpoint('generate:staged');
        if ((await targetState(target)) === 'empty') rmdirSync(target);
        renameSync(stage, target);
        placed = true;
      } catch (e) {
        abort();
        throw e;
      } finally {
        release();
      }
    },
  };
}

/**
 * Creates a new project folder whole or not at all: files are written in a hidden sibling
 * folder, and only then is it renamed into place.
 */
export async function createFresh(target: string, files: OutFile[]): Promise<void> {
  await (await openStage(target)).finish(files);
}

/** A run killed outright (SIGKILL) leaves its hidden staging folder: remove those whose process is gone. */
async function removeStaleStages(parent: string, prefix: string): Promise<void> {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    // no folder, no stale stages
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    // A git process the killed run started can outlive it and still be writing there: retry, and
    // never fail this run over another run's leftovers (the next run tries again).
    try {
      rmSync(path.join(parent, name), { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    } catch {
      // left for the next run
    }
  }
}

async function firstMissingAncestor(dir: string): Promise<string | undefined> {
  let missing: string | undefined;
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) missing = d;
  return missing;
}

/**
 * Adds files to an existing folder (--force): refuses up front if any would replace something,
 * creates each file exclusively, and removes everything it made if any write or `finish` fails
 * (`finish` cleans up after itself). Before the first file, a journal in the folder lists what
 * the run will make (files, folders, and whether the folder had a repository), so that a run
 * killed outright is undone by the next one that writes there (see recoverFolder).
 */
export async function addToExisting(
  target: string,
  files: OutFile[],
  finish: (dir: string) => Promise<void>,
): Promise<void> {
  const root = realpathSync(target);
  const unlock = await acquireLock(path.join(root, LOCAL_LOCK), target);
  try {
    await undoKilledRun(root);
    const clashes: string[] = [];
    for (const f of files) {
      const parts = f.path.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const p = path.join(target, ...parts.slice(0, i));
        const st = lstatOrNone(p);
        if (st && (i === parts.length || !st.isDirectory())) {
          clashes.push(parts.slice(0, i).join('/'));
          break;
        }
      }
    }
    if (clashes.length) {
      const shown = [...new Set(clashes)].slice(0, 10).join(', ');
      throw new InputError(
        `${target}: ${clashes.length} generated file(s) would replace existing ones (${shown}${clashes.length > 10 ? ', …' : ''}); nothing was written. Move them aside or pick another folder.`,
      );
    }
    const journalFile = path.join(root, LOCAL_JOURNAL);
    const newRepository = !lstatOrNone(path.join(root, '.git'));
    const journal: Journal = { version: 1, root, run: newRunId(), originals: Object.fromEntries(files.map((f) => [f.path, null])), createdDirs: foldersToMake(root, files), ...(newRepository ? { newRepository } : {}) };
    atomicWriteSync(journalFile, Buffer.from(JSON.stringify(journal)), 0o600, true);
    const made: string[] = [];
    const undo = () => {
      for (const p of made.reverse()) rmSync(p, { recursive: true, force: true });
      // A repository the run was making: a git process stopped with it may still be writing there.
      if (newRepository) rmSync(path.join(root, '.git'), { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
      dropJournal(journalFile);
    };
    const release = onInterrupt(undo);
    try {
      const folders = new Set<string>();
      for (const f of files) {
        const created = writeOne(target, f, folders);
        if (created) made.push(created);
        made.push(path.join(target, f.path));
      }
      await checkpoint('generate:added');
      await finish(target);
      await checkpoint('generate:added-git');
      dropJournal(journalFile);
    } catch (e) {
      undo();
      throw e;
    } finally {
      release();
    }
  } finally {
    unlock();
  }
}

/** The folders writing `files` under `root` makes, each listed before those inside it. */
function foldersToMake(root: string, files: OutFile[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (!dirs.has(rel) && !lstatOrNone(path.join(root, rel))) dirs.add(rel);
    }
  }
  return [...dirs];
}

/**
 * Undoes a run that was killed outright with its journal in the folder itself (generate --force,
 * or a write to a project without git): before anything else writes there, what it made is
 * removed (or what it changed put back), with the repository it made when that holds nothing
 * but its own first commit. Returns the paths put back. Takes the folder's lock only when there
 * is a journal to undo.
 */
export async function recoverFolder(root: string): Promise<string[]> {
  if (!lstatOrNone(path.join(root, LOCAL_JOURNAL))) return [];
  const unlock = await acquireLock(path.join(root, LOCAL_LOCK), root);
  try {
    return await undoKilledRun(root);
  } finally {
    unlock();
  }
}

async function undoKilledRun(root: string): Promise<string[]> {
  const file = path.join(root, LOCAL_JOURNAL);
  if (!lstatOrNone(file)) return [];
  const r = recoverJournal({ root, file, requireRoot: true });
  if (r.newRepository && (await holdsOnlyAFirstCommit(root))) rmSync(path.join(root, '.git'), { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  dropJournal(file);
  return r.restored;
}

/**
 * Whether the folder's own `.git` (one made after a journal said there was none) holds nothing
 * but what generate makes: branches only, all at one root commit with generate's trailer, or no
 * commit yet. A commit or a remote of the user's keeps it.
 */
async function holdsOnlyAFirstCommit(root: string): Promise<boolean> {
  const gitDir = path.join(root, '.git');
  if (!lstatOrNone(gitDir)?.isDirectory()) return false;
  // --git-dir: never a repository around the folder, should this one be cut short.
  const ask = (args: string[]) => gitText(root, [`--git-dir=${gitDir}`, ...args]);
  let refs: string[];
  try {
    refs = (await ask(['for-each-ref', '--format=%(refname) %(objectname)'])).split('\n').filter(Boolean);
  } catch {
    return true; // git does not take it for a repository: a `git init` cut short
  }
  if (refs.some((l) => !l.startsWith('refs/heads/'))) return false;
  if ((await ask(['config', '--local', '--get-regexp', '^remote\\.']).catch(() => '')).trim()) return false;
  const commits = [...new Set(refs.map((l) => l.slice(l.indexOf(' ') + 1)))];
  if (commits.length === 0) return true;
  if (commits.length > 1) return false;
  const body = await ask(['cat-file', 'commit', commits[0]!]).catch(() => '');
  const [header = '', ...message] = body.split('\n\n');
  return body !== '' && !/^parent /m.test(header) && new RegExp(`^${PRISTINE_TRAILER}: `, 'm').test(message.join('\n\n'));
}

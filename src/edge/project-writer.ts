import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
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
function writeOne(root: string, f: OutFile): string | undefined {
  requireSafePath(f.path, 'generate', { manifest: true });
  const full = path.join(root, f.path);
  let created: string | undefined;
  try {
    created = mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, f.data, { flag: 'wx', mode: f.executable ? 0o777 : 0o666 });
    return created;
  } catch (e) {
    // A file that was there before (EEXIST) is not ours to remove; a half-written one is.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(full, { force: true });
    if (created) rmSync(created, { recursive: true, force: true });
    throw writeFailed(f.path, e);
  }
}

/** Writes new files under `root` (the staging folder of a new project): each through the path rule, none over another. */
export function writeFiles(root: string, files: readonly OutFile[]): void {
  for (const f of files) writeOne(root, f);
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
        } else for (const f of files) writeOne(stage, f);
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
 * (`finish` cleans up after itself).
 */
export async function addToExisting(
  target: string,
  files: OutFile[],
  finish: (dir: string) => Promise<void>,
): Promise<void> {
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
  const made: string[] = [];
  const undo = () => {
    for (const p of made.reverse()) rmSync(p, { recursive: true, force: true });
  };
  const release = onInterrupt(undo);
  try {
    for (const f of files) {
      const created = writeOne(target, f);
      if (created) made.push(created);
      made.push(path.join(target, f.path));
    }
    await finish(target);
  } catch (e) {
    undo();
    throw e;
  } finally {
    release();
  }
}

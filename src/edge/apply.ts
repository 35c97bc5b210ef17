import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, write as writeAsync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { readRegularFile, removeFile } from './fs-quiet.js';
import path from 'node:path';
import { ProjectError } from '../core/errors.js';
import { locate, requireSafePath } from './project/guard.js';
import { TEMP_SUFFIX } from '../core/path-rules.js';
import { onInterrupt } from './cleanup.js';

/**
 * Applies a run's writes and deletes to a project so that, whatever happens, each file is
 * either as it was or as planned, and a failure part way puts every file back.
 *
 * Before touching anything, the original bytes of every path go into a journal file. Each file
 * is written to a temp file beside it and renamed over the old one (atomic on POSIX). If a step
 * fails, or the process is interrupted, the journal restores every path. If the process is
 * killed outright, the next run finds the journal and restores from it before doing anything.
 * Only the project session (src/edge/project/session.ts) calls this.
 */

export interface Journal {
  /** 2 when it has `linked` originals (a version that knows no such thing refuses it, and restores nothing wrongly). */
  version: 1 | 2;
  /**
   * The project's real path when the run began. A journal is only ever restored into the project
   * it names: one copied, cloned or planted elsewhere is refused.
   */
  root?: string;
  /** This run's id: its temp files are named with it, so recovery removes only those. */
  run?: string;
  /** Original content per path, base64; null when the path did not exist. */
  originals: Record<string, string | null>;
  /**
   * Paths whose original file (a big one) is kept whole, as a hard link beside the journal
   * (linkedName) instead of its bytes in it: the run replaces the path with a new file, so the
   * link keeps the original as it was, with no copy of it written and flushed.
   */
  linked?: string[];
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
  /** The git index was saved beside the journal before git touched it. */
  index?: boolean;
  /** A branch the run made and switched to (--branch), and the branch it left. */
  branch?: { name: string; from: string };
  /**
   * The folder had no `.git` when the run began (generate --force): one found on recovery was
   * made by the run, and goes too when it holds nothing but the run's own first commit.
   */
  newRepository?: true;
}

/** What recovering an interrupted run found: the paths put back, and the git state to put back. */
export interface Recovery {
  restored: string[];
  pristineTip?: string | null;
  index?: boolean;
  branch?: { name: string; from: string };
  newRepository?: true;
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
      ? `The rollback could not restore ${unrestored.join(', ')}; the next run retries it from the journal.`
      : 'Every file was rolled back.';
    super(`cannot write ${file}: ${err.code ? `${err.code} ` : ''}(${err.message}). ${undone}`);
  }
}

/** Originals this big are linked (see Journal.linked), smaller ones copied into the journal. */
const LINK_MIN = 256 << 10;

/** Where the journal at `journalFile` keeps the `i`th linked original of run `run`. */
function linkedName(journalFile: string, run: string, i: number): string {
  return `${journalFile}.${run}-${i}.orig${TEMP_SUFFIX}`;
}

/** Hard links linked originals left by runs whose journal is gone (a run killed after removing it). */
function removeStrayLinks(journalFile: string): void {
  const dir = path.dirname(journalFile);
  const prefix = `${path.basename(journalFile)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith(prefix) && /^[0-9a-f]{16}-\d+\.orig$/.test(n.slice(prefix.length, -TEMP_SUFFIX.length)) && n.endsWith(TEMP_SUFFIX)) rmSync(path.join(dir, n), { force: true });
  }
}

/** A run's id: 16 hex digits, so that its temp names can neither be guessed nor collide. */
export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

/** The temp file a run writes `full` through ('wx': a file already there is an error, never replaced). */
export function tempName(full: string, run: string): string {
  return path.join(path.dirname(full), `.${path.basename(full)}.${run}${TEMP_SUFFIX}`);
}

/** Writes a file that must not exist yet (exclusive create): a file that appeared meanwhile is never replaced. */
export function writeNewFileSync(full: string, data: Uint8Array): void {
  writeFileSync(full, data, { flag: 'wx' });
}

/**
 * Temp file + rename: a reader (or a killed process) sees the old file or the new one, never
 * half of one. Only the journal is flushed to disk before the files are touched (`durable`);
 * flushing every project file too would cost a disk round trip per file for no safety the
 * journal does not already give. Synchronous on purpose: for many small files, in-turn system
 * calls are several times faster than promises queued on libuv's worker threads.
 */
export function atomicWriteSync(full: string, data: Uint8Array, mode?: number, durable = false, run = newRunId()): void {
  const tmp = tempName(full, run);
  let made = false;
  try {
    if (durable) {
      const fd = openSync(tmp, 'wx');
      made = true;
      try {
        writeSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } else {
      writeFileSync(tmp, data, { flag: 'wx' });
      made = true;
    }
    // Set explicitly: the mode given at creation is filtered by the umask.
    if (mode !== undefined) chmodSync(tmp, mode & 0o777);
    renameSync(tmp, full);
  } catch (e) {
    // Never remove a file this call did not make (a user's file of that name).
    if (made) rmSync(tmp, { force: true });
    throw e;
  }
}

/** Files this big are written on node's thread pool while the run goes on (see startWrite). */
const ASYNC_MIN = 1 << 20;

/** A write under way: its temp file made, its bytes going in on the thread pool. */
interface PendingWrite {
  full: string;
  tmp: string;
  mode: number | undefined;
  /** Settles when every byte is in (or the write failed); never rejects. */
  done: Promise<NodeJS.ErrnoException | undefined>;
  /** Its temp file's descriptor, until closeWrite closes it. */
  fd: number | undefined;
}

/** Closes a write's temp file once (its descriptor's number may be another file's after). */
function closeWrite(w: PendingWrite): void {
  const { fd } = w;
  w.fd = undefined;
  if (fd !== undefined) closeSync(fd);
}

/**
 * atomicWriteSync's first half for a big file: its temp file made ('wx') here, its bytes written
 * on node's thread pool (a 10 MB file: 2-20 ms of copying into the page cache, more when the
 * system throttles dirty pages) while the run's git steps go on; finishWrite renames it into place.
 */
function startWrite(full: string, data: Uint8Array, mode: number | undefined, run: string): PendingWrite {
  const tmp = tempName(full, run);
  const fd = openSync(tmp, 'wx');
  const done = new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const more = (from: number): void => {
      if (from >= data.length) return resolve(undefined);
      writeAsync(fd, data, from, data.length - from, null, (err, n) => {
        if (err) resolve(err);
        else if (n > 0) more(from + n);
        else resolve(Object.assign(new Error('the file system took none of the bytes'), { code: 'EIO' }));
      });
    };
    more(0);
  });
  return { full, tmp, mode, done, fd };
}

/** atomicWriteSync's second half: once the bytes are in, the mode set and the temp file renamed over the path. */
async function finishWrite(w: PendingWrite): Promise<void> {
  const err = await w.done;
  try {
    closeWrite(w);
    if (err) throw err;
    if (w.mode !== undefined) chmodSync(w.tmp, w.mode & 0o777);
    renameSync(w.tmp, w.full);
  } catch (e) {
    rmSync(w.tmp, { force: true });
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
 * could not be restored. The journal was validated first; on disk, a symbolic link on the way
 * makes that path fail rather than be followed.
 */
function restore(root: string, journal: Journal, journalFile: string): string[] {
  const failed: string[] = [];
  const entries = Object.entries(journal.originals);
  // What the run created goes first, then the folders it made: a file that a folder replaced
  // (or the other way round) can only come back once the new one is gone.
  for (const [rel, original] of entries) {
    if (original !== null) continue;
    try {
      const { full, st, blockedBy } = locate(root, rel, 'journal');
      if (journal.run && !blockedBy) rmSync(tempName(full, journal.run), { force: true });
      if (st) removeCreated(full);
    } catch {
      failed.push(rel);
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) {
    try {
      // rmdir removes only an empty folder: anything in it is not ours to remove.
      if (locate(root, dir, 'journal').st?.isDirectory()) rmdirSync(path.join(root, dir));
    } catch {
      // Gone already, or the user has since put files in it: it stays.
    }
  }
  for (const [rel, original] of entries) {
    if (original === null) continue;
    try {
      const { full, st, blockedBy } = locate(root, rel, 'journal');
      if (journal.run && !blockedBy) rmSync(tempName(full, journal.run), { force: true });
      const data = Buffer.from(original, 'base64');
      // Permission bits only: a journal never makes a setuid or setgid file.
      const mode = journal.modes?.[rel] === undefined ? undefined : journal.modes[rel]! & 0o777;
      const now = st?.isFile() ? readRegularFile(full) : undefined;
      // The folder may have gone with the file (an emptied folder is removed after deletes).
      if (!st) mkdirSync(path.dirname(full), { recursive: true });
      // A file linked elsewhere too (nlink > 1) is replaced, never changed in place.
      if (!now || !now.equals(data) || st!.nlink > 1) atomicWriteSync(full, data, mode, false, journal.run);
      else if (mode !== undefined && (st!.mode & 0o777) !== mode) chmodSync(full, mode);
    } catch {
      failed.push(rel);
    }
  }
  (journal.linked ?? []).forEach((rel, i) => {
    try {
      const { full, st, blockedBy } = locate(root, rel, 'journal');
      if (journal.run && !blockedBy) rmSync(tempName(full, journal.run), { force: true });
      const kept = linkedName(journalFile, journal.run!, i);
      const link = lstatSync(kept, { throwIfNoEntry: false });
      // No link: put back already (a restore runs twice when the first was cut short).
      if (!link) return;
      if (!link.isFile()) throw new Error(`${kept} is not a file`);
      if (st && st.ino === link.ino && st.dev === link.dev) {
        // The path still is the original file: the run had not replaced it.
        rmSync(kept, { force: true });
        return;
      }
      if (!st) mkdirSync(path.dirname(full), { recursive: true });
      // The original file itself (its bytes and mode) back in its place, in one rename.
      renameSync(kept, full);
    } catch {
      failed.push(rel);
    }
  });
  return failed;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Reads a journal as the hostile input it may be: its shape, the project it names, and every
 * path in it checked by the one path rule before anything is restored. Throws ProjectError.
 */
export function validateJournal(raw: unknown, root: string, file: string, requireRoot: boolean): Journal {
  const bad = (what: string): never => {
    throw new ProjectError('journal', file, `${file}: ${what}. It was not written by a create-migration run on this project, so nothing was restored from it; remove it if you did not expect it.`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad('is not a journal');
  const j = raw as Partial<Journal>;
  if (j.version !== 1 && j.version !== 2) bad('has an unknown version');
  if (j.root === undefined ? requireRoot : j.root !== root) bad(`names another project (${JSON.stringify(j.root ?? null)})`);
  if (j.run !== undefined && !(typeof j.run === 'string' && /^[0-9a-f]{16}$/.test(j.run))) bad('has a malformed run id');
  if (!j.originals || typeof j.originals !== 'object' || Array.isArray(j.originals)) bad('has no originals');
  const dirs: unknown = j.createdDirs ?? [];
  if (!Array.isArray(dirs) || dirs.some((d) => typeof d !== 'string')) bad('has a malformed createdDirs');
  for (const [rel, v] of Object.entries(j.originals!)) {
    if (v !== null && typeof v !== 'string') bad(`holds a malformed entry for ${JSON.stringify(rel)}`);
    try {
      requireSafePath(rel, file, { manifest: true });
    } catch {
      bad(`holds the path ${JSON.stringify(rel)}, which is not a path inside the project`);
    }
  }
  const linked: unknown = j.linked ?? [];
  if (!Array.isArray(linked) || linked.some((rel) => typeof rel !== 'string' || Object.hasOwn(j.originals!, rel)) || new Set(linked).size !== linked.length) bad('has a malformed linked');
  if ((linked as string[]).length && (j.version !== 2 || j.run === undefined)) bad('has linked originals without a version 2 run');
  for (const rel of linked as string[]) {
    try {
      requireSafePath(rel, file, { manifest: true });
    } catch {
      bad(`holds the path ${JSON.stringify(rel)}, which is not a path inside the project`);
    }
  }
  if (j.modes !== undefined && (typeof j.modes !== 'object' || j.modes === null)) bad('has malformed modes');
  for (const [rel, m] of Object.entries(j.modes ?? {})) {
    if (!(Object.hasOwn(j.originals!, rel) || (linked as string[]).includes(rel)) || !Number.isInteger(m)) bad(`holds a malformed mode for ${JSON.stringify(rel)}`);
  }
  for (const d of dirs as string[]) {
    try {
      requireSafePath(d, file);
    } catch {
      bad(`holds the folder ${JSON.stringify(d)}, which is not a path inside the project`);
    }
  }
  if (j.pristineTip !== undefined && j.pristineTip !== null && !(typeof j.pristineTip === 'string' && SHA.test(j.pristineTip))) bad('has a malformed pristineTip');
  // The branch names go to git on recovery: only plain names, never an option or another ref.
  const refName = /^(?!-)[^\s\\:~^?*[]{1,200}$/;
  if (j.branch !== undefined && !(typeof j.branch?.name === 'string' && refName.test(j.branch.name) && typeof j.branch.from === 'string' && (SHA.test(j.branch.from) || /^refs\/heads\//.test(j.branch.from) && refName.test(j.branch.from)))) bad('has a malformed branch');
  if (j.newRepository !== undefined && j.newRepository !== true) bad('has a malformed newRepository');
  return { ...j, createdDirs: dirs as string[] } as Journal;
}

/** The journal's own temp files, left by a run killed while it wrote the journal. */
function removeStrayTemps(dir: string, journalName: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${journalName}.`;
  for (const n of names) {
    if (n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX) && /^[0-9a-f]{16}$/.test(n.slice(prefix.length, -TEMP_SUFFIX.length))) rmSync(path.join(dir, n), { force: true });
  }
}

export interface JournalPlace {
  /** The project's real path. */
  root: string;
  file: string;
  /** A journal inside the project folder must name the project (one in the git dir may be older). */
  requireRoot: boolean;
}

/** If an earlier run was killed part way, put its files back. Returns what it found. */
export function recoverJournal(place: JournalPlace): Recovery {
  const { root, file } = place;
  removeStrayTemps(path.dirname(file), path.basename(file));
  const st = lstatSync(file, { throwIfNoEntry: false });
  if (!st) {
    removeStrayLinks(file);
    return { restored: [] };
  }
  if (!st.isFile()) throw new ProjectError('journal', file, `${file}: is not a file; remove it.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readRegularFile(file, 'utf8'));
  } catch {
    // A journal cut off while it was written means no project file had been touched yet.
    rmSync(file, { force: true });
    return { restored: [] };
  }
  const journal = validateJournal(raw, root, file, place.requireRoot);
  const failed = restore(root, journal, file);
  if (failed.length) {
    // Keep the journal: it still holds the only copy of these files' original content.
    throw new Error(`an interrupted run left ${file}, and ${failed.join(', ')} could not be restored from it; fix what blocks them (permissions, a file or link in the way) and run again.`);
  }
  return { restored: [...Object.keys(journal.originals), ...(journal.linked ?? [])], pristineTip: journal.pristineTip, index: journal.index, branch: journal.branch, newRepository: journal.newRepository };
}

/** Removes the journal once everything it describes is undone or done. */
export function dropJournal(file: string): void {
  removeFile(file);
}

export interface ApplyOptions {
  place: JournalPlace;
  /** Who asks, for messages ("sync", "add workflow"). */
  what: string;
  /** `executable`: give the file execute bits (true) or take them away (false); absent: keep its mode. */
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
  deletes: string[];
  /** Journal fields the caller's git steps need to be undone (pristineTip, index, branch). */
  git?: Pick<Journal, 'pristineTip' | 'index' | 'branch'>;
  /** Runs once the journal is on disk, before any file is touched (make the --branch). */
  before?: () => Promise<void>;
  /**
   * Runs after the files are in place (git index, pristine branch); a failure rolls back too.
   * With `lateWrites`, a big file may still be landing when it starts (see startWrite):
   * `filesInPlace` waits for every file to be in place, for a step that reads them (a commit of
   * the work tree); applyChanges waits for them after this returns in any case.
   */
  after?: (filesInPlace: () => Promise<void>) => Promise<void>;
  /** Files of 1 MiB or more are written on node's thread pool while `after` runs (see `after`). */
  lateWrites?: boolean;
  /**
   * Puts the git state back (synchronously: it runs on Ctrl-C too). Called after the files are
   * restored; the journal is removed only when it returns.
   */
  undoGit?: () => void;
}

/**
 * A file's mode with the execute bits set or cleared: set where it may be read (as git checks
 * out a 100755 file), the other bits as they were (a new file: as the umask has them).
 */
function withExecutable(mode: number | undefined, executable: boolean | undefined): number | undefined {
  if (executable === undefined) return mode;
  const m = mode ?? 0o666 & ~process.umask();
  return executable ? m | ((m & 0o444) >> 2) : m & ~0o111;
}

function isFolder(full: string): boolean {
  try {
    return lstatSync(full, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false; // a file on the way: not a folder
  }
}

/**
 * The journal as JSON bytes: what `Buffer.from(JSON.stringify(journal))` gives but for the order
 * of its keys (originals last), made without JSON.stringify for big originals. Their base64
 * needs no escaping, and stringifying a big file's base64 and encoding the result costs more
 * than reading, encoding and flushing the file together (a 100,000-line file: ~17 of ~25 ms).
 * Each big original is copied once, as latin1 (base64 is ASCII), into an output sized first.
 * Precondition: every original is null or `Buffer#toString('base64')`, as applyChanges makes them.
 */
export function journalBytes(journal: Journal): Buffer {
  const { originals, ...rest } = journal;
  const head = JSON.stringify(rest);
  const pieces: string[] = [`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"originals":{`];
  let small = '';
  const big: [key: string, value: string][] = [];
  for (const [rel, original] of Object.entries(originals)) {
    const key = JSON.stringify(rel);
    if (original !== null && original.length >= 4096) big.push([key, original]);
    else small += `${small ? ',' : ''}${key}:${JSON.stringify(original)}`;
  }
  pieces.push(small);
  const prefix = Buffer.from(pieces.join(''));
  let size = prefix.length + 2;
  const keys = big.map(([key], i) => Buffer.from(`${small || i > 0 ? ',' : ''}${key}:"`));
  for (let i = 0; i < big.length; i++) size += keys[i]!.length + big[i]![1].length + 1;
  const out = Buffer.allocUnsafe(size);
  let pos = prefix.copy(out, 0);
  for (let i = 0; i < big.length; i++) {
    pos += keys[i]!.copy(out, pos);
    pos += out.write(big[i]![1], pos, 'latin1');
    out[pos++] = 0x22; // "
  }
  out[pos++] = 0x7d; // }
  out[pos++] = 0x7d;
  return out;
}

/**
 * The journal's record of every path the run writes or deletes, taken before anything is touched:
 * its original (bytes, or a link for a big file), its mode, and the folders the writes create.
 */
function journalOriginals(opts: ApplyOptions, journal: Journal, blocked: Map<string, string>): void {
  const { root, file: journalFile } = opts.place;
  const run = journal.run!;
  for (const rel of [...opts.writes.map((w) => w.path), ...opts.deletes]) {
    if (journal.linked?.includes(rel)) continue;
    // The one path rule, then the disk: no symbolic link anywhere on the way.
    requireSafePath(rel, opts.what, { manifest: true });
    const { full, st, blockedBy } = locate(root, rel, opts.what);
    if (blockedBy) blocked.set(rel, blockedBy);
    // A folder where a file goes (a template folder that became a file): the plan emptied it,
    // the deletes below remove it, and a rollback has nothing of it to put back but the files.
    if (st?.isDirectory() && opts.writes.some((w) => w.path === rel)) {
      journal.originals[rel] = null;
      continue;
    }
    // A big file that the run replaces: kept whole as a hard link (where the file system has them).
    if (st?.isFile() && st.size >= LINK_MIN && !Object.hasOwn(journal.originals, rel) && opts.writes.some((w) => w.path === rel)) {
      const i = journal.linked?.length ?? 0;
      try {
        linkSync(full, linkedName(journalFile, run, i));
        (journal.linked ??= []).push(rel);
        journal.version = 2;
        journal.modes![rel] = st.mode & 0o777;
        continue;
      } catch {
        // Another file system, or none with hard links: its bytes go into the journal.
      }
    }
    // Nothing is written yet: an unreadable path (a folder where a file goes) fails naming it.
    let original: Buffer | undefined;
    try {
      original = st ? readRegularFile(full) : undefined;
    } catch (e) {
      throw new ApplyError(rel, e);
    }
    journal.originals[rel] = original ? original.toString('base64') : null;
    if (st) journal.modes![rel] = st.mode & 0o777;
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
}

export async function applyChanges(opts: ApplyOptions): Promise<void> {
  const { root, file: journalFile } = opts.place;
  const run = newRunId();
  const journal: Journal = { version: 1, root, run, originals: {}, modes: {}, createdDirs: [], ...opts.git };
  // Paths under a file (not a folder): nothing can be there; a write to one fails naming it.
  const blocked = new Map<string, string>();
  mkdirSync(path.dirname(journalFile), { recursive: true });
  const dropLinks = () => journal.linked?.forEach((_, i) => rmSync(linkedName(journalFile, run, i), { force: true }));
  try {
    journalOriginals(opts, journal, blocked);
    atomicWriteSync(journalFile, journalBytes(journal), 0o600, true);
  } catch (e) {
    // Nothing is written yet, and no journal names the originals linked so far.
    dropLinks();
    throw e;
  }
  let unrestored: string[] = [];
  let undone = false;
  const undo = () => {
    if (undone) return;
    unrestored = restore(root, journal, journalFile);
    opts.undoGit?.();
    undone = true;
    if (!unrestored.length) dropJournal(journalFile);
  };
  const release = onInterrupt(undo);
  let current = '';
  let done = false;
  const pending: PendingWrite[] = [];
  let landed: Promise<void> | undefined;
  const filesInPlace = (): Promise<void> =>
    (landed ??= (async () => {
      for (const w of pending) {
        current = w.full.slice(root.length + 1);
        await finishWrite(w);
      }
      current = '(git)';
    })());
  try {
    current = '(git)';
    await opts.before?.();
    // Deletes first: a file the template turned into a folder (or the reverse) must be gone, and
    // its emptied folder with it, before the new path can be made.
    for (const d of opts.deletes) {
      current = d;
      if (!blocked.has(d)) rmSync(path.join(root, d), { force: true });
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
      const mode = withExecutable(journal.modes![w.path], w.executable);
      if (opts.lateWrites && w.data.length >= ASYNC_MIN) pending.push(startWrite(path.join(root, w.path), w.data, mode, run));
      else atomicWriteSync(path.join(root, w.path), w.data, mode, false, run);
    }
    current = '(git)';
    await opts.after?.(filesInPlace);
    await filesInPlace();
    dropJournal(journalFile);
    done = true;
  } catch (e) {
    // No write is left under way into a temp file the rollback removes.
    await Promise.all(pending.map((w) => w.done));
    for (const w of pending) {
      try {
        closeWrite(w);
      } catch {
        // the rollback removes its temp file all the same
      }
    }
    try {
      undo();
    } catch {
      // The git state could not be put back: the journal stays for the next run to retry.
    }
    if (e instanceof ProjectError) throw e;
    throw e instanceof ApplyError ? e : new ApplyError(current, e, unrestored);
  } finally {
    release();
  }
  // The originals kept whole go once the run is done and can no longer be undone (an
  // interruption before this undoes it from them); one left by a kill here goes with the next run.
  if (done) dropLinks();
}


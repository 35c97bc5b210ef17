import { closeSync, lstatSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openMakingFolders, readOrNone } from '../fs-quiet.js';
import { lastValue, type GitConfig } from './git-config.js';
import { writeRefusal } from './object-write.js';

/**
 * Moves branches as git's files backend does (what `git fast-import` or `git update-ref` do for
 * them), in-process: each `<ref>.lock` taken with O_EXCL, the value found checked against the
 * one expected (loose, else packed-refs), the new id written into the lock, the reflog line
 * appended (`<old> <new> <committer> <time> <zone>\t<message>`, and HEAD's too when HEAD is the
 * branch), then the lock renamed into place. No hook runs (sync's own git runs none either).
 *
 * `updateRefs` answers false, having changed nothing, wherever it cannot be sure to do exactly
 * what git does: then the caller starts git. Each case has a test in test/git-write.test.ts: all
 * of writeRefusal's (worktrees, extensions such as reftable, bare, environment, ...);
 * core.logAllRefUpdates set to anything but true; a ref name outside the plain refs/heads/ form;
 * a lock held on the ref or on HEAD (git waits core.filesRefLockTimeout, then says so); the ref
 * or its reflog where a folder is, or a file where a folder of its path should be; a packed ref
 * inside the ref's name or holding it as a folder; a symbolic ref; packed-refs unreadable; the
 * ref somewhere other than absent or the value expected (git decides: fast-import may refuse).
 */

const SHA = /^[0-9a-f]{40}$/;
const ZERO = '0'.repeat(40);

export interface RefUpdate {
  /** refs/heads/<name>. */
  ref: string;
  id: string;
  /** What the ref may hold now besides nothing (it is created then): the new commit's parent. */
  expect?: string;
}

/** A plain branch name, by git's check-ref-format rules and a little stricter. */
function plainRef(ref: string): boolean {
  if (!/^refs\/heads\/[A-Za-z0-9._/-]+$/.test(ref) || ref.includes('..') || ref.includes('//') || ref.endsWith('/')) return false;
  return ref.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock') && !part.endsWith('.'));
}

type Kind = 'none' | 'file' | 'folder' | 'other';
function kindOf(p: string): Kind {
  const st = lstatSync(p, { throwIfNoEntry: false });
  return !st ? 'none' : st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
}

/** Whether `p` under `base` can be a file: no file on the way to it, nothing but a file there. */
function fileCanBe(base: string, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const k = kindOf(path.join(base, ...parts.slice(0, i)));
    if (k === 'none') return true;
    if (k !== 'folder') return false;
  }
  const k = kindOf(path.join(base, rel));
  return k === 'none' || k === 'file';
}

/** packed-refs as name -> id; undefined where git must read it. */
function packed(gitDir: string): Map<string, string> | undefined {
  const file = path.join(gitDir, 'packed-refs');
  const text = readOrNone(file, 'utf8');
  const refs = new Map<string, string>();
  if (text === undefined) return kindOf(file) === 'none' ? refs : undefined;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line);
    if (!m) return undefined;
    refs.set(m[2]!, m[1]!);
  }
  return refs;
}

/** Where the reflog must be written: git writes refs/heads/* and HEAD when logAllRefUpdates is true (a work tree's default). */
function logsAll(config: GitConfig): boolean {
  const v = lastValue(config, 'core.logallrefupdates');
  return v === undefined || v === null || /^(true|yes|on|1)$/i.test(v);
}

/** Whether refs of `gitDir` may be moved here at all (what updateRefs checks before looking at any ref). */
export function refsWritable(gitDir: string, config: GitConfig, env: NodeJS.ProcessEnv = process.env): boolean {
  return writeRefusal(gitDir, config, env) === undefined && logsAll(config);
}

/**
 * Moves each ref to its id in one go, with a reflog line for each (`ident`: the committer as
 * git makes it, with the time and zone). Returns false, nothing changed, where git must do it
 * (see the module comment); throws when a file cannot be written once locks are taken (they are
 * removed, no ref moved).
 */
export function updateRefs(gitDir: string, config: GitConfig, updates: RefUpdate[], message: string, ident: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!refsWritable(gitDir, config, env)) return false;
  if (!updates.length || new Set(updates.map((u) => u.ref)).size !== updates.length) return false;
  if (/[\n\0]/.test(message) || /[\n\0]/.test(ident)) return false;
  const pack = packed(gitDir);
  if (!pack) return false;
  const headText = readOrNone(path.join(gitDir, 'HEAD'), 'utf8');
  const headRef = /^ref: (refs\/\S+)\n?$/.exec(headText ?? '')?.[1];
  if (!headRef && !SHA.test(headText?.trim() ?? '')) return false;
  const olds: string[] = [];
  for (const u of updates) {
    if (!plainRef(u.ref) || !SHA.test(u.id) || (u.expect !== undefined && !SHA.test(u.expect))) return false;
    if (!fileCanBe(gitDir, u.ref) || !fileCanBe(path.join(gitDir, 'logs'), u.ref)) return false;
    for (const name of pack.keys()) if (name.startsWith(`${u.ref}/`) || u.ref.startsWith(`${name}/`)) return false;
    const loose = readOrNone(path.join(gitDir, u.ref), 'utf8');
    if (loose !== undefined && !/^[0-9a-f]{40}\n?$/.test(loose)) return false;
    const now = loose?.trim() ?? pack.get(u.ref);
    if (now !== undefined && now !== u.expect) return false;
    olds.push(now ?? ZERO);
  }
  // HEAD, when it is one of the branches moved, gets the line too, under its own lock.
  const logHead = headRef !== undefined && updates.some((u) => u.ref === headRef);
  if (logHead && !fileCanBe(gitDir, 'logs/HEAD')) return false;
  const locks: string[] = [];
  const release = () => {
    for (const l of locks) rmSync(l, { force: true });
  };
  const take = (file: string, content?: string): boolean => {
    let fd: number;
    try {
      fd = openMaking(`${file}.lock`, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    locks.push(`${file}.lock`);
    try {
      if (content !== undefined) writeAll(fd, content);
    } finally {
      closeSync(fd);
    }
    return true;
  };
  try {
    for (const u of updates) {
      if (!take(path.join(gitDir, u.ref), `${u.id}\n`)) {
        release();
        return false;
      }
    }
    if (logHead && !take(path.join(gitDir, 'HEAD'))) {
      release();
      return false;
    }
    // Under the locks: nothing moved since it was read.
    for (const [i, u] of updates.entries()) {
      const loose = readOrNone(path.join(gitDir, u.ref), 'utf8')?.trim();
      const now = loose ?? packed(gitDir)?.get(u.ref) ?? ZERO;
      if (now !== olds[i]) {
        release();
        return false;
      }
    }
    for (const [i, u] of updates.entries()) {
      const line = `${olds[i]} ${u.id} ${ident}\t${message}\n`;
      appendLog(path.join(gitDir, 'logs', u.ref), line);
      if (u.ref === headRef) appendLog(path.join(gitDir, 'logs/HEAD'), line);
    }
    for (const u of updates) {
      const file = path.join(gitDir, u.ref);
      renameSync(`${file}.lock`, file);
      locks.splice(locks.indexOf(`${file}.lock`), 1);
    }
  } catch (e) {
    release();
    throw e;
  }
  release(); // HEAD's lock: only its log changed
  return true;
}

function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text);
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
}

/** `file` opened (a new one 0666 before the umask, as git makes them), its folders made where missing. */
const openMaking = (file: string, flags: 'wx' | 'a') => openMakingFolders(file, flags, 0o666);

function appendLog(file: string, line: string): void {
  const fd = openMaking(file, 'a');
  try {
    writeAll(fd, line);
  } finally {
    closeSync(fd);
  }
}

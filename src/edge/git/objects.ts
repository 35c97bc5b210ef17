import { spawn } from 'node:child_process';
import { isInterrupted, trackChild } from '../cleanup.js';
import { readRepoAt, readTreeFiles } from './files.js';
import { gitIdent, readGitConfig } from './git-config.js';
import { commitBody, editTree, ObjectBatch, parseTree, readyAhead, writeTrees, type TreeChange, type TreeEntry as WrittenEntry } from './object-write.js';
import { plainTreePath } from './tree-path.js';
import { refsWritable, updateRefs } from './ref-write.js';
import { ObjectFiles, readCommitFilesOnce } from './object-files.js';
import { blobId } from './index-file.js';
import { PRISTINE_BRANCH } from './refs.js';
import { gitBytes, READ_ONLY_ENV } from './run.js';

/**
 * Git's objects: trees and blobs read in one batch process, bounded; the pristine commit written
 * in-process (object-write.ts, ref-write.ts) where that is exactly what git writes, else with
 * fast-import.
 */

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

export async function listTree(repo: string, commit: string): Promise<TreeEntry[]> {
  const known = readTreeFiles(repo, commit);
  if (known) return known;
  const out = (await gitBytes(repo, ['ls-tree', '-r', '-z', '--full-tree', commit])).toString('utf8');
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha] = line.slice(0, tab).split(' ') as [string, string, string];
      return { mode, type, sha, path: line.slice(tab + 1) };
    });
}

/** How much one batch read may take in: a blob over `each`, or all over `total`, is refused unread. */
export interface BlobLimits {
  each: number;
  total: number;
  /** Names the object in the error: the request line it answers. */
  describe?: (request: string, size: number) => string;
}

/** Generous defaults for reading a project's own history (a base commit): nothing a render makes. */
export const HISTORY_LIMITS: BlobLimits = { each: 16 * 1024 * 1024, total: 256 * 1024 * 1024 };

export class BlobTooLargeError extends Error {}

/**
 * `git cat-file --batch` for each request line, answers in order (undefined: missing). Each
 * header's size is checked as it arrives, before the blob is taken in: a 400 MB blob in a small
 * repository is refused after reading its header, and git is stopped.
 */
export function catFileBatch(repo: string, requests: string[], limits: BlobLimits = HISTORY_LIMITS): Promise<({ type: string; data: Buffer } | undefined)[]> {
  return new Promise((resolve, reject) => {
    if (isInterrupted()) return reject(new Error('git cat-file not started: interrupted'));
    const out: ({ type: string; data: Buffer } | undefined)[] = [];
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...READ_ONLY_ENV } });
    trackChild(child);
    // Output is queued as it arrives and taken in whole answers: no copy of all that came before.
    const chunks: Buffer[] = [];
    let queued = 0;
    const take = (n: number): Buffer => {
      const parts: Buffer[] = [];
      for (let need = n; need > 0; ) {
        const c = chunks[0]!;
        if (c.length <= need) {
          parts.push(c);
          chunks.shift();
          need -= c.length;
        } else {
          parts.push(c.subarray(0, need));
          chunks[0] = c.subarray(need);
          need = 0;
        }
      }
      queued -= n;
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    };
    const headerEnd = (): number => {
      let offset = 0;
      for (const c of chunks) {
        const i = c.indexOf(0x0a);
        if (i >= 0) return offset + i;
        offset += c.length;
      }
      return -1;
    };
    let want: { type: string; size: number } | undefined;
    let total = 0;
    let failed: Error | undefined;
    const err: Buffer[] = [];
    const fail = (e: Error) => {
      if (failed) return;
      failed = e;
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      chunks.push(chunk);
      queued += chunk.length;
      for (;;) {
        if (!want) {
          const nl = headerEnd();
          if (nl < 0) return;
          const header = take(nl + 1).subarray(0, nl).toString();
          if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
            out.push(undefined);
            continue;
          }
          const [, type, sizeText] = header.split(' ') as [string, string, string];
          const size = Number(sizeText);
          total += size;
          if (!Number.isSafeInteger(size) || size > limits.each || total > limits.total) {
            const request = requests[out.length] ?? '';
            return fail(new BlobTooLargeError(limits.describe?.(request, size) ?? `${request}: ${size} bytes is over the limit of ${limits.each} (${limits.total} in all)`));
          }
          want = { type, size };
        }
        if (queued < want.size + 1) return;
        const data = take(want.size + 1).subarray(0, want.size);
        out.push({ type: want.type, data });
        want = undefined;
      }
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new Error(`git cat-file failed: ${Buffer.concat(err).toString().trim() || `exit ${code}`}`));
      else resolve(out);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(requests.length ? `${requests.join('\n')}\n` : '');
  });
}

/** Reads many blobs with one `git cat-file --batch` process, each size checked before it is read. */
export async function readBlobs(repo: string, shas: string[], limits?: BlobLimits): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  if (!shas.length) return result;
  const answers = await catFileBatch(repo, shas, limits);
  shas.forEach((sha, i) => {
    const a = answers[i];
    if (a) result.set(sha, a.data);
  });
  return result;
}

/**
 * Reads the given paths of a commit with one `git cat-file --batch` process; paths the commit
 * does not have are left out of the result.
 */
export async function readCommitPaths(repo: string, commit: string, paths: string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  if (!paths.length) return result;
  // From the repository's files when they are plain (no git process), else from git.
  const gitDir = readRepoAt(repo)?.gitDir;
  const fromFiles = gitDir ? readCommitFilesOnce(gitDir, commit, paths, HISTORY_LIMITS) : undefined;
  if (fromFiles) return fromFiles;
  // `commit:path` makes git walk the tree for every path: for many paths, list the tree once.
  if (paths.length > 64) {
    const wanted = new Set(paths);
    const entries = (await listTree(repo, commit)).filter((e) => e.type === 'blob' && wanted.has(e.path));
    const blobs = await readBlobs(repo, entries.map((e) => e.sha));
    for (const e of entries) result.set(e.path, blobs.get(e.sha)!);
    return result;
  }
  const answers = await catFileBatch(repo, paths.map((p) => `${commit}:${p}`));
  paths.forEach((p, i) => {
    const a = answers[i];
    if (a?.type === 'blob') result.set(p, a.data);
  });
  return result;
}

export function fastImportPath(p: string): string {
  return p.startsWith('"') || /[\n\\]/.test(p) ? JSON.stringify(p) : p;
}

export function dataBlock(parts: Buffer[], data: Uint8Array): void {
  parts.push(Buffer.from(`data ${data.length}\n`), Buffer.from(data), Buffer.from('\n'));
}

/**
 * With one `git fast-import` process: commits the pristine render onto the pristine branch (its
 * parent the branch's current tip), and stores the blobs of conflicted files. Returns the new
 * commit and each conflict blob's id, in order. Nothing in the work tree or index changes.
 */
export async function writePristine(
  dir: string,
  files: ReadonlyMap<string, Uint8Array>,
  message: string,
  parent: string | undefined,
  extraBlobs: Uint8Array[],
  /** The parent's files, when known: then only what changed is written (one blob per change). */
  parentFiles?: ReadonlyMap<string, Uint8Array>,
  /** Which files are executable (100755), in this render and in the parent's. */
  executable?: { now: ReadonlySet<string>; parent?: ReadonlySet<string> },
  /** The project's pristine branch (a project in a subfolder has its own; see pristineBranchFor). */
  branch = PRISTINE_BRANCH,
): Promise<{ commit: string; blobs: string[] }> {
  const here = await writePristineHere(dir, files, message, parent, extraBlobs, parentFiles, executable, branch);
  if (here) return here;
  const parts: Buffer[] = [];
  // A conflict's base and ours are most often in the repository already (the pristine branch,
  // the team's commit): their ids are known without git, and only the others are sent.
  const gitDir = readRepoAt(dir)?.gitDir;
  const store = gitDir && extraBlobs.length ? ObjectFiles.open(gitDir, HISTORY_LIMITS) : undefined;
  const known = extraBlobs.map((b) => {
    const id = store ? blobId(b) : undefined;
    return id && store!.has(id) ? id : undefined;
  });
  store?.close();
  extraBlobs.forEach((b, i) => {
    if (known[i]) return;
    parts.push(Buffer.from(`blob\nmark :${i + 1}\n`));
    dataBlock(parts, b);
  });
  const commitMark = extraBlobs.length + 1;
  const now = Math.floor(Date.now() / 1000);
  parts.push(Buffer.from(`commit refs/heads/${branch}\nmark :${commitMark}\ncommitter create-migration <create-migration@localhost> ${now} +0000\n`));
  dataBlock(parts, Buffer.from(message));
  if (parent) parts.push(Buffer.from(`from ${parent}\n`));
  const incremental = parent !== undefined && parentFiles !== undefined;
  if (!incremental) parts.push(Buffer.from('deleteall\n'));
  else for (const p of parentFiles.keys()) if (!files.has(p)) parts.push(Buffer.from(`D ${fastImportPath(p)}\n`));
  for (const [p, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = incremental ? parentFiles.get(p) : undefined;
    const exec = executable?.now.has(p) === true;
    if (before && Buffer.compare(before, data) === 0 && exec === (executable?.parent?.has(p) === true)) continue;
    parts.push(Buffer.from(`M ${exec ? '100755' : '100644'} inline ${fastImportPath(p)}\n`));
    dataBlock(parts, data);
  }
  // fast-import prints each asked-for id on stdout, in order: the commit's, then each blob's.
  parts.push(Buffer.from(`\nget-mark :${commitMark}\n`));
  extraBlobs.forEach((_, i) => {
    if (!known[i]) parts.push(Buffer.from(`get-mark :${i + 1}\n`));
  });
  parts.push(Buffer.from('done\n'));
  // unpackLimit=0 keeps the small pack fast-import writes, instead of a second process unpacking
  // it; a blob over 1 MiB is stored whole, not searched for a delta (seconds for a big file).
  const out = await gitBytes(dir, ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done', '--big-file-threshold=1m'], Buffer.concat(parts));
  const [commit, ...sent] = out.toString().split('\n').filter(Boolean);
  if (!commit || sent.length !== known.filter((k) => !k).length) throw new Error('git fast-import did not report the ids it wrote');
  const blobs = known.map((k) => k ?? sent.shift()!);
  return { commit, blobs };
}

/** The id of the file (a regular file's blob) at `file` in tree `root`, read from the repository; undefined if none. */
function treeBlobId(store: ObjectBatch, root: string, file: string): string | undefined {
  let id = root;
  const parts = file.split('/');
  for (let i = 0; i < parts.length; i++) {
    const o = store.read(id);
    const found = o?.type === 'tree' ? parseTree(o.body)?.get(parts[i]!) : undefined;
    if (!found) return undefined;
    const last = i === parts.length - 1;
    if (last ? !/^100(644|755)$/.test(found.mode) : found.mode !== '40000') return undefined;
    id = found.id;
  }
  return id;
}

/** The root tree of commit `id`, read from the repository; undefined when it is not read here. */
function commitTree(store: ObjectBatch, id: string | undefined): string | undefined {
  const top = id === undefined ? undefined : store.read(id);
  return top?.type === 'commit' ? /^tree ([0-9a-f]{40})\n/.exec(top.body.toString('latin1', 0, 46))?.[1] : undefined;
}

/** The identity of the pristine commits: the same for every user, so the same render is the same tree. */
const PRISTINE_IDENT = 'create-migration <create-migration@localhost>';

/** The reflog message of sync's own move of the pristine branch (fleet-read.ts recognises it). */
export const PRISTINE_REFLOG = 'fast-import';

/**
 * writePristine without a git process: the same objects fast-import makes for the same input
 * (blobs, trees, the commit: the same ids), in one pack (see object-write.ts), and the branch moved as git moves
 * it, with the reflog line fast-import writes. Undefined where only git can do it exactly (see
 * object-write.ts and ref-write.ts): then fast-import runs, as before.
 */
async function writePristineHere(
  dir: string,
  files: ReadonlyMap<string, Uint8Array>,
  message: string,
  parent: string | undefined,
  extraBlobs: Uint8Array[],
  parentFiles: ReadonlyMap<string, Uint8Array> | undefined,
  executable: { now: ReadonlySet<string>; parent?: ReadonlySet<string> } | undefined,
  branch: string,
): Promise<{ commit: string; blobs: string[] } | undefined> {
  if (process.env.CREATE_MIGRATION_GIT_WRITE === 'git') return undefined;
  const gitDir = readRepoAt(dir)?.gitDir;
  const config = gitDir ? readGitConfig(gitDir) : undefined;
  if (!gitDir || !config) return undefined;
  const now = Math.floor(Date.now() / 1000);
  // The reflog line names the user, as git's own would.
  const ident = gitIdent(config, 'committer', now);
  if (!ident || ![...files.keys()].every(plainTreePath) || (parent !== undefined && !/^[0-9a-f]{40}$/.test(parent))) return undefined;
  // Nothing written where the branch could not then be moved here (git would write it all again).
  const store = refsWritable(gitDir, config) ? ObjectBatch.open(gitDir, config) : undefined;
  if (!store) return undefined;
  try {
    // A big file deflated ahead (deflateAhead, beside the merge and the file writes) is taken as it is.
    await readyAhead(files.values());
    const mode = (p: string) => (executable?.now.has(p) ? '100755' : '100644');
    const written: { data: Uint8Array; id: string }[] = [];
    const blob = (data: Uint8Array): string => {
      const id = store.write('blob', data);
      written.push({ data, id });
      return id;
    };
    const entries = new Map<string, WrittenEntry>();
    const incremental = parent !== undefined && parentFiles !== undefined;
    let tree: string | undefined;
    const parentRoot = incremental ? commitTree(store, parent) : undefined;
    if (incremental) {
      // fast-import's `from <parent>` then D and M lines: only the trees on the way to a change
      // are read and made again.
      const changes = new Map<string, TreeChange>();
      for (const p of parentFiles.keys()) if (!files.has(p)) changes.set(p, null);
      for (const [p, data] of files) {
        const before = parentFiles.get(p);
        if (before && Buffer.compare(before, data) === 0 && (executable?.now.has(p) === true) === (executable?.parent?.has(p) === true)) continue;
        changes.set(p, { mode: mode(p), id: blob(data) });
      }
      const readTree = (id: string) => {
        const o = store.read(id);
        return o?.type === 'tree' ? o.body : undefined;
      };
      if (parentRoot) tree = await editTree(store, readTree, parentRoot, changes);
    }
    if (tree === undefined && incremental) {
      // fast-import's `from <parent>` then D and M lines: the parent's tree with those changes.
      const listed = readTreeFiles(dir, parent);
      if (!listed) return undefined;
      for (const e of listed) {
        if (!/^1(00644|00755|20000|60000)$/.test(e.mode)) return undefined;
        entries.set(e.path, { path: e.path, mode: e.mode, id: e.sha });
      }
      if (entries.size !== listed.length) return undefined;
      const remove = (p: string) => {
        entries.delete(p);
        for (const k of entries.keys()) if (k.startsWith(`${p}/`)) entries.delete(k);
      };
      for (const p of parentFiles.keys()) if (!files.has(p)) remove(p);
      for (const [p, data] of files) {
        const before = parentFiles.get(p);
        if (before && Buffer.compare(before, data) === 0 && (executable?.now.has(p) === true) === (executable?.parent?.has(p) === true)) continue;
        // A file where a folder was replaces it, and a folder where a file was.
        remove(p);
        for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) entries.delete(p.slice(0, i));
        entries.set(p, { path: p, mode: mode(p), id: blob(data) });
      }
    } else if (tree === undefined) {
      for (const [p, data] of files) entries.set(p, { path: p, mode: mode(p), id: blob(data) });
    }
    const blobs: string[] = [];
    // Each blob hashed once: a conflict's theirs is most often a pristine file written just above
    // (the same bytes, often the same buffer), and a big file costs its hash again.
    // A conflict's base is most often the parent's file at that path: its id is in the parent's tree.
    const inParent = (b: Uint8Array): string | undefined => {
      if (!parentRoot || !parentFiles) return undefined;
      for (const [p, data] of parentFiles) {
        if (data !== b && (data.length !== b.length || Buffer.compare(data, b) !== 0)) continue;
        const id = treeBlobId(store, parentRoot, p);
        if (id) return id;
      }
      return undefined;
    };
    for (const b of extraBlobs) {
      const same = written.find((w) => w.data === b || (w.data.length === b.length && Buffer.compare(w.data, b) === 0));
      blobs.push(same ? same.id : (inParent(b) ?? store.write('blob', b)));
    }
    tree ??= await writeTrees(store, entries.values());
    if (!tree) return undefined;
    const who = `${PRISTINE_IDENT} ${now} +0000`;
    const commit = store.write('commit', commitBody(tree, parent ? [parent] : [], who, who, message));
    store.finish();
    if (!updateRefs(gitDir, config, [{ ref: `refs/heads/${branch}`, id: commit, expect: parent }], PRISTINE_REFLOG, ident)) return undefined;
    return { commit, blobs };
  } finally {
    store.abandon();
  }
}

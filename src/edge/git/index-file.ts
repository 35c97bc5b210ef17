import { closeSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hashHex } from '../../core/sha256.js';
import path from 'node:path';
import { objectId } from './object-id.js';

/**
 * Writes git's index for files just written to a new work tree, as `git reset` would after the
 * commit that holds them: version 2, one stage-0 entry per file with its id and the stat data
 * the file has now, sorted as git sorts them. Generate writes each file once and then this, where
 * `git reset --hard` was a further git process that wrote every file again.
 */

/** A blob's id: SHA-1 of "blob <size>\0" and the bytes, as git computes it. */
export function blobId(data: Uint8Array): string {
  return objectId('blob', data);
}

export interface IndexFile {
  path: string;
  /** The blob id of the bytes written. */
  id: string;
  executable?: boolean;
}

const compareBytes = (a: Buffer, b: Buffer) => Buffer.compare(a, b);

/**
 * The index of `gitDir` for `files` under `root`, written through index.lock as git does (a lock
 * held by another git is an error, and nothing is replaced). Every file must be a regular file.
 */
export function writeIndex(gitDir: string, root: string, files: readonly IndexFile[]): void {
  const entries = files.map((f) => ({ ...f, name: Buffer.from(f.path, 'utf8') })).sort((a, b) => compareBytes(a.name, b.name));
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries.length, 8);
  parts.push(header);
  for (const e of entries) {
    const st = lstatSync(path.join(root, e.path), { bigint: true });
    if (!st.isFile()) throw new Error(`${e.path}: not a regular file; the index was not written`);
    // 62 bytes of fixed fields, the name, and 1 to 8 NULs to a multiple of 8.
    const size = (62 + e.name.length + 8) & ~7;
    const b = Buffer.alloc(size);
    const u32 = (v: bigint) => Number(v & 0xffffffffn);
    b.writeUInt32BE(u32(st.ctimeNs / 1_000_000_000n), 0);
    b.writeUInt32BE(Number(st.ctimeNs % 1_000_000_000n), 4);
    b.writeUInt32BE(u32(st.mtimeNs / 1_000_000_000n), 8);
    b.writeUInt32BE(Number(st.mtimeNs % 1_000_000_000n), 12);
    b.writeUInt32BE(u32(st.dev), 16);
    b.writeUInt32BE(u32(st.ino), 20);
    b.writeUInt32BE(e.executable ? 0o100755 : 0o100644, 24);
    b.writeUInt32BE(u32(st.uid), 28);
    b.writeUInt32BE(u32(st.gid), 32);
    b.writeUInt32BE(u32(st.size), 36);
    b.write(e.id, 40, 'hex');
    b.writeUInt16BE(Math.min(e.name.length, 0xfff), 60);
    e.name.copy(b, 62);
    parts.push(b);
  }
  writeIndexFile(path.join(gitDir, 'index'), Buffer.concat(parts), openSync(path.join(gitDir, 'index.lock'), 'wx', 0o644));
}

/**
 * An index file as git puts one in place: `body` and its SHA-1 written into `<file>.lock`
 * (opened by the caller, exclusively), then the lock renamed over the file. A failed write
 * removes the lock.
 */
function writeIndexFile(file: string, body: Buffer, fd: number): void {
  const lock = `${file}.lock`;
  try {
    const data = Buffer.concat([body, Buffer.from(hashHex('sha1', body), 'hex')]);
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
  } catch (e) {
    closeSync(fd);
    rmSync(lock, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(lock, file);
}

/** One stage of a conflicted file: 1 base, 2 ours, 3 theirs. */
export interface UnmergedStage {
  stage: 1 | 2 | 3;
  mode: '100644' | '100755';
  id: string;
}

interface RawEntry {
  name: Buffer;
  stage: number;
  data: Buffer;
}

/**
 * What `git update-index --index-info` does for lines `0 <zero id>\t<path>` and then
 * `<mode> <id> <stage>\t<path>`: each path's entries replaced by its conflict stages (no stat
 * data, as git records them), the cache tree invalidated along each path, written through
 * index.lock. False, with nothing written, wherever git's own write could differ, so that git
 * then runs: the index moved or versioned by the environment, any `index.*`, `feature.*`,
 * `extensions.*`, split index, untracked cache, fsmonitor or sparse-checkout setting, no index
 * or a held index.lock, a version other than 2 or 3, a bad checksum, an extension other than
 * TREE and REUC, a sparse folder entry, a path already conflicted (git records its stages for
 * `checkout -m`), an entry with empty extended flags, and a racily clean entry git would look
 * at again (its recorded mtime not older than the index, and its file of the recorded size).
 * Each is tested against git's own write (test/git-index.test.ts).
 */
export function stageUnmergedHere(gitDir: string, root: string, config: readonly [string, string | null][], paths: ReadonlyMap<string, readonly UnmergedStage[]>, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const k of ['GIT_INDEX_FILE', 'GIT_INDEX_VERSION', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_TEST_SPLIT_INDEX']) if (env[k] !== undefined) return false;
  for (const [key] of config) {
    if (/^(index|feature|extensions)\./.test(key) || /^core\.(splitindex|untrackedcache|fsmonitor|sparsecheckout|sparsecheckoutcone)$/.test(key)) return false;
  }
  const file = path.join(gitDir, 'index');
  if (lstatSync(`${file}.lock`, { throwIfNoEntry: false })) return false;
  let data: Buffer;
  let indexStat: ReturnType<typeof statSync>;
  try {
    indexStat = statSync(file, { bigint: true });
    data = readFileSync(file);
  } catch {
    return false;
  }
  if (data.length < 12 + 20 || data.toString('latin1', 0, 4) !== 'DIRC') return false;
  const version = data.readUInt32BE(4);
  if (version !== 2 && version !== 3) return false;
  const end = data.length - 20;
  if (hashHex('sha1', data.subarray(0, end)) !== data.toString('hex', end)) return false;
  const indexSec = Number((indexStat.mtimeNs as bigint) / 1_000_000_000n);
  const names = new Set([...paths.keys()].map((p) => Buffer.from(p, 'utf8').toString('latin1')));
  const entries: RawEntry[] = [];
  let at = 12;
  for (let i = data.readUInt32BE(8); i > 0; i--) {
    if (at + 62 > end) return false;
    const start = at;
    const mode = data.readUInt32BE(at + 24);
    if ((mode & 0o170000) === 0o040000) return false;
    const flags = data.readUInt16BE(at + 60);
    let nameAt = at + 62;
    if (flags & 0x4000) {
      if (version < 3 || data.readUInt16BE(nameAt) === 0) return false;
      nameAt += 2;
    }
    const nul = data.indexOf(0, nameAt);
    if (nul < 0 || nul >= end) return false;
    const size = (nameAt - at + (nul - nameAt) + 8) & ~7;
    const name = data.subarray(nameAt, nul);
    const stage = (flags >> 12) & 3;
    const entry = data.subarray(at, at + size);
    at += size;
    if (names.has(name.toString('latin1'))) {
      if (stage !== 0) return false;
      continue;
    }
    // git's write looks again at a file it cannot tell from its entry (see above).
    const mtimeSec = data.readUInt32BE(start + 8);
    if ((mode & 0o170000) !== 0o160000 && indexSec <= mtimeSec) {
      const st = lstatSync(path.join(root, name.toString('utf8')), { throwIfNoEntry: false });
      if (st && st.size % 2 ** 32 === data.readUInt32BE(start + 36)) return false;
    }
    entries.push({ name, stage, data: entry });
  }
  let tree: CacheTree | undefined;
  let resolveUndo: Buffer | undefined;
  while (at < end) {
    if (at + 8 > end) return false;
    const sig = data.toString('latin1', at, at + 4);
    const len = data.readUInt32BE(at + 4);
    if (at + 8 + len > end) return false;
    const body = data.subarray(at + 8, at + 8 + len);
    at += 8 + len;
    if (sig === 'TREE' && !tree) {
      const parsed = parseCacheTree(body);
      if (!parsed) return false;
      tree = parsed;
    } else if (sig === 'REUC' && !resolveUndo) resolveUndo = body;
    else return false;
  }
  for (const [p, stages] of paths) {
    const name = Buffer.from(p, 'utf8');
    for (const s of stages) {
      const e = Buffer.alloc((62 + name.length + 8) & ~7);
      e.writeUInt32BE(Number.parseInt(s.mode, 8), 24);
      e.write(s.id, 40, 'hex');
      e.writeUInt16BE(Math.min(name.length, 0xfff) | (s.stage << 12), 60);
      name.copy(e, 62);
      entries.push({ name, stage: s.stage, data: e });
    }
    if (tree) invalidatePath(tree, p.split('/'));
  }
  entries.sort((a, b) => Buffer.compare(a.name, b.name) || a.stage - b.stage);
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(entries.some((e) => e.data.readUInt16BE(60) & 0x4000) ? 3 : 2, 4);
  header.writeUInt32BE(entries.length, 8);
  const parts = [header, ...entries.map((e) => e.data)];
  const extension = (sig: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.write(sig, 0, 'latin1');
    head.writeUInt32BE(body.length, 4);
    parts.push(head, body);
  };
  if (tree) extension('TREE', Buffer.concat(writeCacheTree(tree, [])));
  if (resolveUndo) extension('REUC', resolveUndo);
  let fd: number;
  try {
    fd = openSync(`${file}.lock`, 'wx', 0o644);
  } catch {
    return false;
  }
  writeIndexFile(file, Buffer.concat(parts), fd);
  return true;
}

/** The TREE extension: a folder's entry count (-1: invalid), its tree id when valid, its subfolders in git's order. */
interface CacheTree {
  name: Buffer;
  count: number;
  id?: Buffer;
  down: CacheTree[];
}

function parseCacheTree(body: Buffer): CacheTree | undefined {
  let at = 0;
  const node = (depth: number): CacheTree | undefined => {
    if (depth > 4096) return undefined;
    const nul = body.indexOf(0, at);
    const lf = nul < 0 ? -1 : body.indexOf(0x0a, nul);
    if (nul < 0 || lf < 0) return undefined;
    const m = /^(-?\d+) (\d+)$/.exec(body.toString('latin1', nul + 1, lf));
    if (!m) return undefined;
    const t: CacheTree = { name: body.subarray(at, nul), count: Number(m[1]), down: [] };
    at = lf + 1;
    if (t.count >= 0) {
      if (at + 20 > body.length) return undefined;
      t.id = body.subarray(at, at + 20);
      at += 20;
    }
    for (let n = Number(m[2]); n > 0; n--) {
      const d = node(depth + 1);
      if (!d) return undefined;
      t.down.push(d);
    }
    return t;
  };
  const root = node(0);
  return root && at === body.length ? root : undefined;
}

/** git's cache_tree_invalidate_path: each folder on the way invalid, a subfolder named as the file dropped. */
function invalidatePath(t: CacheTree, parts: string[]): void {
  t.count = -1;
  t.id = undefined;
  const [first, ...rest] = parts;
  const name = Buffer.from(first!, 'utf8');
  const i = t.down.findIndex((d) => d.name.equals(name));
  if (i < 0) return;
  if (rest.length === 0) t.down.splice(i, 1);
  else invalidatePath(t.down[i]!, rest);
}

function writeCacheTree(t: CacheTree, out: Buffer[]): Buffer[] {
  out.push(t.name, Buffer.from(`\0${t.count} ${t.down.length}\n`, 'latin1'));
  if (t.count >= 0 && t.id) out.push(t.id);
  for (const d of t.down) writeCacheTree(d, out);
  return out;
}

import { closeSync, lstatSync, renameSync, rmSync, writevSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hashHex } from '../../core/sha256.js';
import { crc32, deflate, deflateSync } from 'node:zlib';
import path from 'node:path';
import { lastValue, type GitConfig } from './git-config.js';
import { ObjectFiles, type GitObject } from './object-files.js';
import { objectId } from './object-id.js';
import { openMakingFolders } from '../fs-quiet.js';

/**
 * Writes git objects (blobs, trees, commits) in-process, as one pack, exactly as git reads
 * them: each object `<type> <size>\0<body>` is named by its SHA-1 and deflated whole (level 1,
 * git's default for loose objects; no deltas, as fast-import writes what it has not seen) into
 * `objects/pack/tmp_pack_*`, its index (version 2) into `tmp_idx_*`, then both renamed into
 * place as `pack-<checksum>.pack` and, last, its `.idx` (git sees a pack through its index).
 * They are not flushed to disk (fsync): these objects are the ones `git add` and `git commit`
 * would write loose, which git does not flush either (core.fsync's default leaves loose objects
 * out); a flush cost 4-9 ms here. One pack per batch: a generated project's hundred objects are
 * two files, where loose objects would be three hundred file operations (measured: 80 ms of
 * system time more per generate). An object the repository has already (loose or packed) is not
 * written again. (Stored, uncompressed zlib blocks were tried to skip node's zlib stream per
 * object, ~10 ms a generate: they put every file's bytes into the pack as they are, three times
 * the size git's own would be, and were dropped for blobs; trees and commits go in stored, see
 * STORED_TREE.)
 *
 * It opens only where that is certain to be what git does (see `writeRefusal`); everywhere else
 * the caller starts git (fast-import) instead. The fallbacks, each with a test in
 * test/git-write.test.ts: environment that moves the repository or its objects, a linked
 * worktree (commondir), a bare repository or core.worktree, any repository extension (sha256
 * object format, reftable ref storage, partial clone, ...) or format version over 1,
 * core.sharedRepository (group permissions), core.compression / core.looseCompression,
 * pack.compression / pack.indexVersion, core.fsync* and core.createObject, alternates, replace
 * refs; and, for refs, see ref-write.ts.
 */

export type ObjectType = 'blob' | 'tree' | 'commit';

/** Bodies this big may be deflated ahead (see deflateAhead); a smaller one costs less than a thread's round trip. */
const AHEAD_MIN = 256 << 10;
/** Deflates started ahead, by the bytes object, and those finished. */
const ahead = new WeakMap<Uint8Array, Promise<void>>();
const deflatedAhead = new WeakMap<Uint8Array, Buffer>();

/**
 * Starts deflating a big blob body that a batch will likely write (a sync's new pristine file),
 * on node's thread pool, as `write` would deflate it: the main thread meanwhile merges and
 * writes the journal and the files, and `write` takes the result instead of deflating the bytes
 * itself (see `readyAhead`). The bytes must not change after this (file contents never are, here).
 * A body never written costs only the thread's work; one that fails to deflate is deflated again.
 */
export function deflateAhead(body: Uint8Array): void {
  if (body.length < AHEAD_MIN || ahead.has(body)) return;
  ahead.set(
    body,
    new Promise((resolve) => {
      // Room for all of a text's output in one piece (a quarter of the input; code deflates to
      // a sixth or less): node's async zlib goes back to the main thread after each piece it
      // fills, and the main thread is busy merging. (Room for the input's whole size made a
      // buffer big enough to cost a full garbage collection.)
      deflate(body, { level: 1, chunkSize: (body.length >>> 3) + 65536 }, (err, out) => {
        if (!err) deflatedAhead.set(body, out);
        resolve();
      });
    }),
  );
}

/** Waits for the deflates started ahead for any of `bodies`. */
export async function readyAhead(bodies: Iterable<Uint8Array>): Promise<void> {
  const waiting: Promise<void>[] = [];
  for (const b of bodies) {
    const p = ahead.get(b);
    if (p) waiting.push(p);
  }
  await Promise.all(waiting);
}

const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3 };

/**
 * A body that fits in an 8 KiB window is deflated with that window (and a hash table to match):
 * the same matches as zlib's 32 KiB default can find in it, and a quarter of the memory that
 * node's zlib sets up (and clears) for every object, which was most of a small object's cost
 * (measured over a generated project's 73 files: 11 ms with the default, 6-9 with this).
 */
const SMALL_BODY = 8192;
const SMALL_DEFLATE = { level: 1, windowBits: 13, memLevel: 7 } as const;

/**
 * Trees and commits up to this size go into the pack as zlib streams of one stored
 * (uncompressed) block: node's zlib costs ~0.05-0.2 ms a call whatever the size (a stream object
 * made and its memory set up), where a tree deflates by a fifth at most (its ids are random
 * bytes). Git reads any zlib stream; the ids hash the bytes before compression, so they are the
 * same. Blobs are always deflated, as git writes them: a file's text never stands readable in
 * .git (test/boundary-property.test.ts looks for a template's text in every file there).
 */
const STORED_TREE = 16 << 10;

/** Adler-32 of `data`, as a zlib stream ends with. */
function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    // Reduced every 5552 bytes, as zlib does (its NMAX): the sums stay below 2^32.
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return b * 65536 + a;
}

/** A zlib stream holding `body` (at most 65535 bytes) in one stored block. */
function storedZlib(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + 5 + body.length + 4);
  // 0x78 0x01: deflate with a 32 KiB window, no dictionary, "fastest" (the header's check bits make it a multiple of 31).
  out[0] = 0x78;
  out[1] = 0x01;
  // The last block (1), stored (00), then its length and the length's complement, low byte first.
  // (Bytes set one by one: Buffer's own writeUInt* are compiled on their first call, ~0.2 ms.)
  const n = body.length;
  out[2] = 1;
  out[3] = n & 0xff;
  out[4] = n >>> 8;
  out[5] = ~n & 0xff;
  out[6] = (~n >>> 8) & 0xff;
  out.set(body, 7);
  const sum = adler32(body);
  out[7 + n] = sum >>> 24;
  out[8 + n] = (sum >>> 16) & 0xff;
  out[9 + n] = (sum >>> 8) & 0xff;
  out[10 + n] = sum & 0xff;
  return out;
}

/** The object's body as it goes into the pack: see STORED_TREE and SMALL_DEFLATE. */
function packed(type: ObjectType, body: Uint8Array): Buffer {
  if (type !== 'blob' && body.length <= STORED_TREE) return storedZlib(body);
  return deflatedAhead.get(body) ?? deflateSync(body, body.length <= SMALL_BODY ? SMALL_DEFLATE : { level: 1 });
}

/**
 * writeRefusal's answers for the process's environment, by config as read and git folder: one
 * write asks three times (before it starts, as its objects are opened, as the branch is moved),
 * each time three files looked for and every setting matched, for a config read just before.
 */
const refusals = new WeakMap<GitConfig, Map<string, string | undefined>>();

/** Why objects and refs of `gitDir` are not written here exactly as git would; undefined when they are. */
export function writeRefusal(gitDir: string, config: GitConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env !== process.env) return refusalOf(gitDir, config, env);
  let known = refusals.get(config);
  if (!known) refusals.set(config, (known = new Map()));
  if (!known.has(gitDir)) known.set(gitDir, refusalOf(gitDir, config, env));
  return known.get(gitDir);
}

function refusalOf(gitDir: string, config: GitConfig, env: NodeJS.ProcessEnv): string | undefined {
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH', 'GIT_INDEX_FILE']) {
    if (env[k] !== undefined) return `${k} is set`;
  }
  if (lstatSync(path.join(gitDir, 'commondir'), { throwIfNoEntry: false })) return 'a linked worktree';
  if (lstatSync(path.join(gitDir, 'reftable'), { throwIfNoEntry: false })) return 'reftable refs';
  if (lstatSync(path.join(gitDir, 'objects/info/alternates'), { throwIfNoEntry: false })) return 'alternates';
  const version = lastValue(config, 'core.repositoryformatversion');
  if (version !== undefined && version !== '0' && version !== '1') return `repository format ${version}`;
  for (const [key, value] of config) {
    if (key.startsWith('extensions.')) return key;
    if (/^core\.(sharedrepository|compression|loosecompression|fsync.*|createobject|worktree)$/.test(key)) return key;
    if (/^pack\.(compression|indexversion)$/.test(key)) return key;
    if (key === 'core.bare' && (value === null || !/^(false|no|off|0)$/i.test(value))) return key;
  }
  return undefined;
}

/**
 * All of `parts`, in order, with as few system calls as the system takes (writev: a pack is two
 * pieces an object, and a sync's was 20 writes), each short write taken up where it stopped.
 */
function writeAll(fd: number, parts: readonly Uint8Array[]): void {
  const left = [...parts];
  for (let i = 0; i < left.length; ) {
    // At most IOV_MAX (1024 on Linux) pieces a call.
    let n = writevSync(fd, left.slice(i, i + 1024));
    while (i < left.length && n >= left[i]!.length) n -= left[i++]!.length;
    if (n > 0) left[i] = left[i]!.subarray(n);
  }
}

/** A pack entry's header: its type and inflated size (4 bits in the first byte, then 7 a byte). */
function entryHeader(type: ObjectType, size: number): Buffer {
  const out = [(TYPE_CODE[type] << 4) | (size & 0x0f)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out[out.length - 1]! |= 0x80;
    out.push(rest & 0x7f);
    rest = Math.floor(rest / 128);
  }
  return Buffer.from(out);
}

interface Written {
  id: Buffer;
  offset: number;
  crc: number;
}

/** The objects of one batch, written as one pack when `finish` is called; see the module comment. */
export class ObjectBatch {
  private readonly entries: Written[] = [];
  private readonly ids = new Set<string>();
  /** Each entry's header and deflated data, as they go into the pack (never a whole body). */
  private readonly chunks: Buffer[] = [];
  private offset = 12;

  private constructor(
    private readonly objects: string,
    private readonly existing: ObjectFiles,
  ) {}

  /** A writer for `gitDir`, or undefined when git must write (see writeRefusal). */
  static open(gitDir: string, config: GitConfig, env: NodeJS.ProcessEnv = process.env): ObjectBatch | undefined {
    if (writeRefusal(gitDir, config, env) !== undefined) return undefined;
    // The reader refuses what it cannot read for certain (replace refs among it): then git writes.
    // It reads trees too (an update edits its parent's): within git's own bounds for history.
    const existing = ObjectFiles.open(gitDir, { each: 16 << 20, total: 256 << 20 }, env);
    return existing && new ObjectBatch(path.join(gitDir, 'objects'), existing);
  }

  /** Whether the repository has the object already (loose, packed, or in this batch). */
  has(id: string): boolean {
    return this.ids.has(id) || this.existing.has(id);
  }

  /** An object the repository had before this batch, read from its files (undefined where git must say). */
  read(id: string): GitObject | undefined {
    return this.existing.read(id);
  }

  /** Adds one object to the batch (unless the repository has it) and returns its id. */
  write(type: ObjectType, body: Uint8Array): string {
    // A big blob hashed before (the template cache's check, the clean-tree proof) is not hashed again.
    const id = objectId(type, body);
    if (this.has(id)) return id;
    const head = entryHeader(type, body.length);
    const data = packed(type, body);
    if (this.offset + head.length + data.length >= 2 ** 31) throw new Error('pack would be over 2 GiB');
    this.chunks.push(head, data);
    this.entries.push({ id: Buffer.from(id, 'hex'), offset: this.offset, crc: crc32(data, crc32(head)) });
    this.ids.add(id);
    this.offset += head.length + data.length;
    return id;
  }

  /**
   * Writes the pack and its index and puts both in place: after this the
   * repository has every object of the batch. Nothing is left behind when it throws.
   */
  finish(): void {
    this.existing.close();
    if (!this.entries.length) return;
    const dir = path.join(this.objects, 'pack');
    // Six characters, as git's own; made without the system's random source (opened with O_EXCL, a name taken is an error, not an overwrite).
    const tag = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
    const tmpPack = path.join(dir, `tmp_pack_${tag}`);
    const tmpIdx = path.join(dir, `tmp_idx_${tag}`);
    try {
      const header = Buffer.alloc(12);
      const view = new DataView(header.buffer, header.byteOffset, 12);
      view.setUint32(0, 0x5041434b); // "PACK"
      view.setUint32(4, 2);
      view.setUint32(8, this.entries.length);
      const packHash = sha1Of([header, ...this.chunks]);
      writeNewFile(tmpPack, [header, ...this.chunks, packHash]);
      writeNewFile(tmpIdx, [indexFor(this.entries, packHash)]);
      const name = path.join(dir, `pack-${packHash.toString('hex')}`);
      renameSync(tmpPack, `${name}.pack`);
      renameSync(tmpIdx, `${name}.idx`);
    } catch (e) {
      rmSync(tmpPack, { force: true });
      rmSync(tmpIdx, { force: true });
      throw e;
    } finally {
      this.chunks.length = 0;
    }
  }

  /** Forgets the batch: nothing of it was written. */
  abandon(): void {
    this.existing.close();
    this.chunks.length = 0;
  }
}

/** A new file (mode 0444, as git's packs) holding `parts`; its folder made where missing (most often it is there, and not looked for). */
function writeNewFile(file: string, parts: Buffer[]): void {
  const fd = openMakingFolders(file, 'wx', 0o444);
  try {
    writeAll(fd, parts);
  } finally {
    closeSync(fd);
  }
}

/** A version-2 pack index: fan-out, sorted names, CRCs, offsets, the pack's checksum, its own. */
function indexFor(entries: Written[], packHash: Buffer): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.id, b.id));
  const n = sorted.length;
  const out = Buffer.alloc(8 + 256 * 4 + n * (20 + 4 + 4) + 20 + 20);
  // Big-endian numbers through a DataView (V8's own), not Buffer's writeUInt32BE (compiled on its first call).
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  const put = (v: number, at: number) => (view.setUint32(at, v), at + 4);
  let at = put(2, put(0xff744f63, 0));
  for (let b = 0, i = 0; b < 256; b++) {
    while (i < n && sorted[i]!.id[0]! <= b) i++;
    at = put(i, at);
  }
  for (const e of sorted) at += e.id.copy(out, at);
  for (const e of sorted) at = put(e.crc >>> 0, at);
  for (const e of sorted) at = put(e.offset, at);
  at += packHash.copy(out, at);
  sha1Of([out.subarray(0, at)]).copy(out, at);
  return out;
}

/** Up to this many bytes are hashed in one call (copied together first); a bigger pack is streamed. */
const ONE_SHOT_MAX = 1 << 20;

/**
 * The SHA-1 of the pieces, as git ends a pack or its index with: a small pack's in one call of
 * node's one-shot hash (core/sha256.ts), since a Hash object's first use costs a run ~0.3 ms.
 */
function sha1Of(parts: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const p of parts) size += p.length;
  if (size <= ONE_SHOT_MAX) return Buffer.from(hashHex('sha1', parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)), 'hex');
  const sum = createHash('sha1');
  for (const p of parts) sum.update(p);
  return sum.digest();
}

export interface TreeEntry {
  path: string;
  /** 100644, 100755, 120000 or 160000. */
  mode: string;
  id: string;
}

interface Folder {
  files: Map<string, { mode: string; id: string }>;
  folders: Map<string, Folder>;
}


/** The folder at `parts` under `root`, made where missing; undefined where `blocked` says a file is on the way. */
function folderAt<F extends { folders: Map<string, F> }>(root: F, parts: string[], blocked: (at: F, part: string) => boolean, make: () => F = () => ({ files: new Map(), folders: new Map() }) as unknown as F): F | undefined {
  let at = root;
  for (const part of parts) {
    if (blocked(at, part)) return undefined;
    let next = at.folders.get(part);
    if (!next) at.folders.set(part, (next = make()));
    at = next;
  }
  return at;
}

/** Only characters below 128: a string whose order is its UTF-8 bytes' order, and whose length is their count. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * A tree object's body: its entries sorted as git sorts them, by the bytes of their names (a
 * folder's name as if it ended in "/"), written into one buffer. ASCII names (the usual) are
 * sorted as strings, the same order; others by their UTF-8 bytes.
 */
function treeBody(entries: ReadonlyMap<string, { mode: string; id: string }>): Buffer {
  const rows: { key: string; name: string; mode: string; id: string }[] = [];
  let ascii = true;
  let size = 0;
  for (const [name, e] of entries) {
    if (ascii && !ASCII.test(name)) ascii = false;
    rows.push({ key: e.mode === '40000' ? `${name}/` : name, name, mode: e.mode, id: e.id });
  }
  if (ascii) rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  else {
    const bytes = new Map(rows.map((r) => [r, Buffer.from(r.key)]));
    rows.sort((a, b) => Buffer.compare(bytes.get(a)!, bytes.get(b)!));
  }
  for (const r of rows) size += r.mode.length + 1 + (ascii ? r.name.length : Buffer.byteLength(r.name)) + 1 + 20;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const r of rows) {
    at += out.write(r.mode, at, 'latin1');
    out[at++] = 0x20;
    at += out.write(r.name, at, 'utf8');
    out[at++] = 0;
    at += out.write(r.id, at, 'hex');
  }
  return out;
}

/**
 * Writes the trees of `entries` (files at their paths) and returns the root tree's id; undefined,
 * nothing written, when a path is twice, or both a file and a folder. Entries are sorted as git sorts them: by name, a
 * folder's name compared as if it ended in "/".
 */
export async function writeTrees(store: ObjectBatch, entries: Iterable<TreeEntry>): Promise<string | undefined> {
  const root: Folder = { files: new Map(), folders: new Map() };
  for (const e of entries) {
    const parts = e.path.split('/');
    const name = parts.pop()!;
    const at = folderAt(root, parts, (f, part) => f.files.has(part));
    if (!at || at.folders.has(name) || at.files.has(name)) return undefined;
    at.files.set(name, { mode: e.mode, id: e.id });
  }
  const write = async (folder: Folder): Promise<string> => {
    const rows = new Map<string, { mode: string; id: string }>(folder.files);
    for (const [name, sub] of folder.folders) rows.set(name, { mode: '40000', id: await write(sub) });
    return store.write('tree', treeBody(rows));
  };
  return write(root);
}

/** A commit object's body, as git and fast-import write it. */
export function commitBody(tree: string, parents: string[], author: string, committer: string, message: string): Buffer {
  return Buffer.from(`tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${author}\ncommitter ${committer}\n\n${message}`);
}

/** A change to a tree at a path: a file (mode and blob id), or null to remove whatever is there. */
export type TreeChange = { mode: string; id: string } | null;

interface ChangeNode {
  files: Map<string, TreeChange>;
  folders: Map<string, ChangeNode>;
}

const TREE_MODES = new Set(['40000', '100644', '100755', '120000', '160000']);

/** A tree object's entries in order, or undefined where a name or mode is not one written back exactly. */
export function parseTree(body: Buffer): Map<string, { mode: string; id: string }> | undefined {
  const out = new Map<string, { mode: string; id: string }>();
  for (let at = 0; at < body.length; ) {
    const space = body.indexOf(0x20, at);
    const nul = body.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > body.length) return undefined;
    const mode = body.toString('latin1', at, space);
    // ASCII (the usual) reads back as the same bytes; other names only where they are UTF-8 exactly.
    let name = body.toString('latin1', space + 1, nul);
    if (!ASCII.test(name)) {
      const raw = body.subarray(space + 1, nul);
      name = raw.toString('utf8');
      if (!Buffer.from(name).equals(raw)) return undefined;
    }
    if (!TREE_MODES.has(mode) || out.has(name)) return undefined;
    out.set(name, { mode, id: body.toString('hex', nul + 1, nul + 21) });
    at = nul + 21;
  }
  return out;
}

/**
 * The tree `root` (a tree id) with `changes` made, as fast-import makes it from its parent with
 * `M` and `D` lines: only the trees on the way to a change are read and written again; a file
 * set where a folder is replaces the folder, a folder needed where a file is replaces the file,
 * and a folder left empty goes. Undefined, nothing written, where a tree cannot be read here
 * for certain or two changes collide (a file and a folder at one path).
 */
export async function editTree(store: ObjectBatch, readTree: (id: string) => Buffer | undefined, root: string, changes: ReadonlyMap<string, TreeChange>): Promise<string | undefined> {
  const top: ChangeNode = { files: new Map(), folders: new Map() };
  for (const [p, change] of changes) {
    const parts = p.split('/');
    const name = parts.pop()!;
    // A file set on the way (not one removed) collides with the folder.
    const at = folderAt(top, parts, (f, part) => !!f.files.get(part));
    if (!at || (change && at.folders.has(name))) return undefined;
    at.files.set(name, change);
  }
  // Every tree on the way is read first; the new ones are written bottom-up after (nothing
  // is written when a read fails).
  const build = (id: string | undefined, node: ChangeNode): (() => string | null) | undefined => {
    let entries: Map<string, { mode: string; id: string }>;
    if (id === undefined) entries = new Map();
    else {
      const body = readTree(id);
      const parsed = body && parseTree(body);
      if (!parsed) return undefined;
      entries = parsed;
    }
    const later = new Map<string, () => string | null>();
    for (const [name, child] of node.folders) {
      const e = entries.get(name);
      // A folder removed and then filled again (D a, M a/x) starts empty.
      const removed = node.files.has(name);
      const made = build(!removed && e?.mode === '40000' ? e.id : undefined, child);
      if (!made) return undefined;
      later.set(name, made);
    }
    return () => {
      for (const [name, change] of node.files) {
        if (change) entries.set(name, change);
        else entries.delete(name);
      }
      for (const [name, made] of later) {
        const sub = made();
        if (sub === null) {
          // A folder with nothing left goes; a file there that was not changed stays.
          if (entries.get(name)?.mode === '40000') entries.delete(name);
        } else entries.set(name, { mode: '40000', id: sub });
      }
      return entries.size ? store.write('tree', treeBody(entries)) : null;
    };
  };
  return build(root, top)?.() ?? undefined;
}

import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import path from 'node:path';
import { commonDir } from './files.js';
import { readOrNone } from '../fs-quiet.js';
import { objectId } from './object-id.js';
import { configMatches } from './config-scan.js';

/**
 * Reads git objects (loose, and packed with their deltas) from a repository's files, without
 * starting `git cat-file`: a sync reads its base from the pristine branch, and `sync --check` over
 * many projects would otherwise start one git process per project for it. Every object returned
 * is checked against its id (SHA-1 of its header and body), so a misread is never an answer: it
 * is `undefined`, and the caller asks git. So is anything this does not read for certain:
 * environment overrides, alternates, replace refs, SHA-256 or other repository extensions, a
 * version-1 pack index, an object over the size bound.
 */

const SHA = /^[0-9a-f]{40}$/;
const TYPES = ['', 'commit', 'tree', 'blob', 'tag'] as const;

export interface GitObject {
  type: 'commit' | 'tree' | 'blob' | 'tag';
  body: Buffer;
}

interface PackIndex {
  pack: string;
  fanout: Uint32Array;
  ids: Buffer;
  offsets: Buffer;
  large: Buffer;
  count: number;
  fd?: number;
  size?: number;
}

/** How much one read may take in: an object over `each`, or all over `total`, is left to git. */
export interface ObjectLimits {
  each: number;
  total: number;
}

/**
 * The commits and trees already read in this process, by objects folder and id: an id names its
 * content, so the one read (inflated, deltas applied, checked against the id) answers every later
 * read of the same object. A sync reads the pristine commit and its top tree twice (the base,
 * then the new pristine commit made on top of it). Blobs are not kept: they are the big ones, and
 * callers hold them already. A small bounded total, then nothing more is kept.
 */
const kept = new Map<string, GitObject>();
let keptBytes = 0;
// A sync's pristine commit and trees are a few KB; a check of many projects keeps this much at most.
const KEEP_TOTAL = 512 << 10;

/** The objects of one repository, read from its files; see the module comment. */
export class ObjectFiles {
  private packs: PackIndex[] | undefined;
  private taken = 0;

  private constructor(
    private readonly objects: string,
    private readonly limits: ObjectLimits,
  ) {}

  /** A reader for `gitDir`'s objects, or undefined when git must be asked (see the module comment). */
  static open(gitDir: string, limits: ObjectLimits, env: NodeJS.ProcessEnv = process.env): ObjectFiles | undefined {
    if (env.GIT_DIR || env.GIT_OBJECT_DIRECTORY || env.GIT_ALTERNATE_OBJECT_DIRECTORIES || env.GIT_COMMON_DIR || env.GIT_REPLACE_REF_BASE) return undefined;
    const common = commonDir(gitDir);
    const config = readOrNone(path.join(common, 'config'), 'utf8');
    if (config === undefined) return undefined;
    // Extensions (objectformat, partialclone, ...) change what objects are or where they come from.
    if (
      configMatches(config, [['[', 'extensions', '\\b']], /^\s*\[\s*extensions\b/im) ||
      configMatches(config, [['objectformat'], ['repositoryformatversion', '=', '[^0\\s]']], /^\s*(objectformat|repositoryformatversion\s*=\s*[^0\s])/im)
    )
      return undefined;
    const objects = path.join(common, 'objects');
    if (readOrNone(path.join(objects, 'info/alternates')) !== undefined) return undefined;
    // Replace refs make git read another object in place of the one asked for.
    if (!env.GIT_NO_REPLACE_OBJECTS) {
      try {
        if (readdirSync(path.join(common, 'refs/replace')).length) return undefined;
      } catch {
        // none loose
      }
      if (/ refs\/replace\//.test(readOrNone(path.join(common, 'packed-refs'), 'utf8') ?? '')) return undefined;
    }
    return new ObjectFiles(objects, limits);
  }

  /** Closes the pack files it opened. */
  close(): void {
    for (const p of this.packs ?? []) if (p.fd !== undefined) closeSync(p.fd);
    this.packs = undefined;
  }

  /** The object `sha`, checked against its id; undefined when it is not read here for certain. */
  read(sha: string): GitObject | undefined {
    if (!SHA.test(sha)) return undefined;
    const key = `${this.objects}\0${sha}`;
    const known = kept.get(key);
    if (known) return this.count(known.body.length) ? known : undefined;
    const found = this.loose(sha) ?? this.packed(sha, 0);
    if (!found) return undefined;
    const id = objectId(found.type, found.body);
    if (id !== sha) return undefined;
    if (found.type !== 'blob' && keptBytes + found.body.length <= KEEP_TOTAL) {
      kept.set(key, found);
      keptBytes += found.body.length;
    }
    return found;
  }

  private count(size: number): boolean {
    if (size > this.limits.each || this.taken + size > this.limits.total) return false;
    this.taken += size;
    return true;
  }

  private loose(sha: string): GitObject | undefined {
    const raw = readOrNone(path.join(this.objects, sha.slice(0, 2), sha.slice(2)));
    if (!raw) return undefined;
    let data: Buffer;
    try {
      data = inflateSync(raw, { maxOutputLength: this.limits.each + 64 });
    } catch {
      return undefined;
    }
    const nul = data.indexOf(0);
    const header = /^(commit|tree|blob|tag) (\d+)$/.exec(data.toString('latin1', 0, Math.max(nul, 0)));
    if (!header || Number(header[2]) !== data.length - nul - 1 || !this.count(data.length - nul - 1)) return undefined;
    return { type: header[1] as GitObject['type'], body: data.subarray(nul + 1) };
  }

  private indexes(): PackIndex[] {
    if (this.packs) return this.packs;
    const dir = path.join(this.objects, 'pack');
    const packs: PackIndex[] = [];
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => /^pack-[0-9a-f]{40}\.idx$/.test(n));
    } catch {
      // no packs
    }
    for (const name of names.sort()) {
      const idx = readOrNone(path.join(dir, name));
      // Version 2 only ("\377tOc", 2): version 1 is git's to read.
      if (!idx || idx.length < 8 + 1024 + 40 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) continue;
      const fanout = new Uint32Array(256);
      for (let i = 0; i < 256; i++) fanout[i] = idx.readUInt32BE(8 + i * 4);
      const count = fanout[255]!;
      const idsAt = 8 + 1024;
      const offsetsAt = idsAt + count * 20 + count * 4;
      if (offsetsAt + count * 4 + 40 > idx.length) continue;
      packs.push({
        pack: path.join(dir, name.replace(/\.idx$/, '.pack')),
        fanout,
        count,
        ids: idx.subarray(idsAt, idsAt + count * 20),
        offsets: idx.subarray(offsetsAt, offsetsAt + count * 4),
        large: idx.subarray(offsetsAt + count * 4, idx.length - 40),
      });
    }
    this.packs = packs;
    return packs;
  }

  /** Whether the repository has the object (loose, or in a pack's index), without reading it. */
  has(sha: string): boolean {
    if (!SHA.test(sha)) return false;
    if (lstatSync(path.join(this.objects, sha.slice(0, 2), sha.slice(2)), { throwIfNoEntry: false })?.isFile()) return true;
    const id = Buffer.from(sha, 'hex');
    return this.indexes().some((p) => position(p, id) >= 0);
  }

  private packed(sha: string, depth: number): GitObject | undefined {
    const id = Buffer.from(sha, 'hex');
    for (const p of this.indexes()) {
      const at = position(p, id);
      if (at < 0) continue;
      const small = p.offsets.readUInt32BE(at * 4);
      let offset = small;
      if (small & 0x80000000) {
        const large = (small & 0x7fffffff) * 8;
        if (large + 8 > p.large.length) return undefined;
        offset = Number(p.large.readBigUInt64BE(large));
      }
      return this.entry(p, offset, depth);
    }
    return undefined;
  }

  private bytes(p: PackIndex, offset: number, length: number): Buffer | undefined {
    if (p.fd === undefined) {
      try {
        // Never blocks on a FIFO planted as a pack: opened without waiting, and read only if regular.
        const fd = openSync(p.pack, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
        const st = fstatSync(fd);
        if (!st.isFile()) {
          closeSync(fd);
          return undefined;
        }
        p.fd = fd;
        p.size = st.size;
      } catch {
        return undefined;
      }
    }
    const n = Math.min(length, p.size! - 20 - offset);
    if (n <= 0) return undefined;
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const r = readSync(p.fd, buf, got, n - got, offset + got);
      if (r === 0) break;
      got += r;
    }
    return buf.subarray(0, got);
  }

  /** The object at `offset` in a pack, its deltas applied (a chain at most 64 deep). */
  private entry(p: PackIndex, offset: number, depth: number): GitObject | undefined {
    if (depth > 64) return undefined;
    const head = this.bytes(p, offset, 32);
    if (!head) return undefined;
    let at = 0;
    let c = head[at++]!;
    const kind = (c >> 4) & 7;
    let size = c & 15;
    for (let shift = 4; c & 0x80; shift += 7) {
      if (at >= head.length || shift > 45) return undefined;
      c = head[at++]!;
      size += (c & 0x7f) * 2 ** shift;
    }
    let base: GitObject | undefined;
    if (kind === 6) {
      c = head[at++]!;
      let back = c & 0x7f;
      while (c & 0x80) {
        if (at >= head.length) return undefined;
        c = head[at++]!;
        back = (back + 1) * 128 + (c & 0x7f);
      }
      if (back <= 0 || back > offset) return undefined;
      base = this.entry(p, offset - back, depth + 1);
    } else if (kind === 7) {
      if (at + 20 > head.length) return undefined;
      base = this.packed(head.toString('hex', at, at + 20), depth + 1) ?? this.loose(head.toString('hex', at, at + 20));
      at += 20;
    } else if (!TYPES[kind]) return undefined;
    if ((kind >= 6 && !base) || size > this.limits.each) return undefined;
    // A deflated stream is at most a little larger than what it holds: read that much, and
    // inflate to the end of the stream (what follows it is the next object).
    const packed = this.bytes(p, offset + at, size + Math.ceil(size / 1000) + 256);
    if (!packed) return undefined;
    let data: Buffer;
    try {
      // Into one buffer of the size the entry gives (room for a byte more, so that zlib stops
      // there): not 16 KiB pieces joined again after (a 3 MB base: ~3 ms, and its size twice over).
      data = inflateSync(packed, { maxOutputLength: Math.max(size, 1), chunkSize: Math.max(size + 1, 64) });
    } catch {
      return undefined;
    }
    if (data.length !== size) return undefined;
    if (kind < 6) return this.count(size) ? { type: TYPES[kind] as GitObject['type'], body: data } : undefined;
    const body = applyDelta(base!.body, data, this.limits.each);
    return body && this.count(body.length) ? { type: base!.type, body } : undefined;
  }
}

/** Where the pack index lists `id` (its fan-out narrows the search), or -1. */
function position(p: PackIndex, id: Buffer): number {
  const first = id[0]!;
  let lo = first ? p.fanout[first - 1]! : 0;
  let hi = p.fanout[first]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = p.ids.compare(id, 0, 20, mid * 20, mid * 20 + 20);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/** A git delta applied to `base`; undefined when it is malformed or makes more than `max` bytes. */
function applyDelta(base: Buffer, delta: Buffer, max: number): Buffer | undefined {
  let at = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      if (at >= delta.length || shift > 49) return -1;
      const c = delta[at++]!;
      n += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(c & 0x80)) return n;
    }
  };
  const from = varint();
  const to = varint();
  if (from !== base.length || to < 0 || to > max) return undefined;
  const out = Buffer.allocUnsafe(to);
  let w = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let off = 0;
      let len = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) off += delta[at++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (16 << i)) len += delta[at++]! * 2 ** (8 * i);
      if (len === 0) len = 0x10000;
      if (at > delta.length || off + len > base.length || w + len > to) return undefined;
      base.copy(out, w, off, off + len);
      w += len;
    } else if (op) {
      if (at + op > delta.length || w + op > to) return undefined;
      delta.copy(out, w, at, at + op);
      at += op;
      w += op;
    } else return undefined;
  }
  return w === to ? out : undefined;
}

/**
 * The given paths of `commit` (what `git cat-file --batch` answers for `<commit>:<path>`: a file's
 * or a symbolic link's blob; a folder or submodule is left out, as is a path the commit lacks),
 * read from the repository's files. Undefined when any object on the way is not read here.
 */
export function readCommitFiles(objects: ObjectFiles, commit: string, paths: readonly string[]): Map<string, Buffer> | undefined {
  const top = objects.read(commit);
  if (top?.type !== 'commit') return undefined;
  const root = /^tree ([0-9a-f]{40})\n/.exec(top.body.toString('latin1', 0, 46))?.[1];
  if (!root) return undefined;
  const trees = new Map<string, Map<string, { mode: string; id: string }> | null>();
  const treeAt = (dir: string): Map<string, { mode: string; id: string }> | null | undefined => {
    if (trees.has(dir)) return trees.get(dir);
    let id = root;
    if (dir) {
      const slash = dir.lastIndexOf('/');
      const parent = treeAt(slash < 0 ? '' : dir.slice(0, slash));
      if (parent === undefined) return undefined;
      const e = parent?.get(dir.slice(slash + 1));
      if (!e || e.mode !== '40000') {
        trees.set(dir, null);
        return null;
      }
      id = e.id;
    }
    const obj = objects.read(id);
    if (obj?.type !== 'tree') return undefined;
    const entries = new Map<string, { mode: string; id: string }>();
    const body = obj.body;
    for (let at = 0; at < body.length; ) {
      const space = body.indexOf(0x20, at);
      const nul = body.indexOf(0, space + 1);
      if (space < 0 || nul < 0 || nul + 21 > body.length) return undefined;
      entries.set(body.toString('utf8', space + 1, nul), { mode: body.toString('latin1', at, space), id: body.toString('hex', nul + 1, nul + 21) });
      at = nul + 21;
    }
    trees.set(dir, entries);
    return entries;
  };
  const out = new Map<string, Buffer>();
  for (const p of paths) {
    // What `commit:path` would not take literally (an empty segment, ./..): git's to answer.
    if (!p || p.split('/').some((s) => !s || s === '.' || s === '..')) return undefined;
    const slash = p.lastIndexOf('/');
    const tree = treeAt(slash < 0 ? '' : p.slice(0, slash));
    if (tree === undefined) return undefined;
    const e = tree?.get(p.slice(slash + 1));
    if (!e || e.mode === '40000' || e.mode === '160000') continue;
    const blob = objects.read(e.id);
    if (blob?.type !== 'blob') return undefined;
    out.set(p, blob.body);
  }
  return out;
}

/** readCommitFiles with a reader opened and closed for the one read; undefined: ask git. */
export function readCommitFilesOnce(gitDir: string, commit: string, paths: readonly string[], limits: ObjectLimits): Map<string, Buffer> | undefined {
  const objects = ObjectFiles.open(gitDir, limits);
  if (!objects) return undefined;
  try {
    return readCommitFiles(objects, commit, paths);
  } finally {
    objects.close();
  }
}

/** One entry of a commit's tree, as `git ls-tree -r` lists it. */
export interface TreeFile {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

/**
 * What `git ls-tree -r --full-tree <commit>` lists, read from the object files; undefined when any
 * object on the way is not read here for certain, or a mode is not one git writes.
 */
export function commitFiles(objects: ObjectFiles, commit: string): TreeFile[] | undefined {
  const top = objects.read(commit);
  if (top?.type !== 'commit') return undefined;
  const tree = /^tree ([0-9a-f]{40})\n/.exec(top.body.toString('latin1'))?.[1];
  if (!tree) return undefined;
  const out: TreeFile[] = [];
  const walk = (sha: string, prefix: string, depth: number): boolean => {
    if (depth > 64) return false;
    const obj = objects.read(sha);
    if (obj?.type !== 'tree') return false;
    const body = obj.body;
    for (let at = 0; at < body.length; ) {
      const space = body.indexOf(0x20, at);
      const nul = body.indexOf(0, space + 1);
      if (space < 0 || nul < 0 || nul + 21 > body.length) return false;
      const mode = body.toString('latin1', at, space).padStart(6, '0');
      const name = body.toString('utf8', space + 1, nul);
      const id = body.toString('hex', nul + 1, nul + 21);
      at = nul + 21;
      if (mode === '040000') {
        if (!walk(id, `${prefix}${name}/`, depth + 1)) return false;
      } else if (mode === '160000') out.push({ mode, type: 'commit', sha: id, path: `${prefix}${name}` });
      else if (/^1[02]0[0-7]{3}$/.test(mode)) out.push({ mode, type: 'blob', sha: id, path: `${prefix}${name}` });
      else return false;
    }
    return true;
  };
  return walk(tree, '', 0) ? out : undefined;
}

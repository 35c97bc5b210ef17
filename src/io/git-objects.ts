import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { readOrNone } from './fs-quiet.js';

/**
 * Writes a commit into a repository's object store and moves a branch to it, as git's own
 * plumbing would, without starting git: sync's pristine commit is a handful of new objects (the
 * changed files, the folders above them, the commit), and a git process for them cost more than
 * everything else sync does after merging. Only the plain layout is written this way (SHA-1
 * objects, loose refs, no shared-repository permissions); `canWriteObjects` says when, and the
 * caller uses `git fast-import` otherwise. An object already stored, loose or in a pack, is not
 * written again; every other object is written loose, as `git hash-object -w` would.
 */

export interface GitObject {
  type: 'blob' | 'tree' | 'commit';
  id: string;
  body: Uint8Array;
}

export function gitObject(type: GitObject['type'], body: Uint8Array): GitObject {
  const id = createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
  return { type, id, body };
}

/**
 * The tree objects of a set of files (all mode 100644), deepest first, and the root's id. Entries
 * are in git's order: by name, a folder compared as if its name ended with '/'.
 */
export function buildTrees(blobs: ReadonlyMap<string, string>): { root: string; trees: GitObject[] } {
  type Dir = { files: Map<string, string>; dirs: Map<string, Dir> };
  const top: Dir = { files: new Map(), dirs: new Map() };
  for (const [p, id] of blobs) {
    const parts = p.split('/');
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { files: new Map(), dirs: new Map() }));
      dir = next;
    }
    dir.files.set(parts[parts.length - 1]!, id);
  }
  const trees: GitObject[] = [];
  const write = (dir: Dir): string => {
    const entries: { key: string; mode: string; name: string; id: string }[] = [];
    for (const [name, id] of dir.files) entries.push({ key: name, mode: '100644', name, id });
    for (const [name, sub] of dir.dirs) entries.push({ key: `${name}/`, mode: '40000', name, id: write(sub) });
    entries.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const body = Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.id, 'hex')]));
    const tree = gitObject('tree', body);
    trees.push(tree);
    return tree.id;
  };
  return { root: write(top), trees };
}

/** The commit object fast-import makes for a commit that names only a committer. */
export function commitObject(tree: string, parent: string | undefined, ident: string, message: string): GitObject {
  return gitObject('commit', Buffer.from(`tree ${tree}\n${parent ? `parent ${parent}\n` : ''}author ${ident}\ncommitter ${ident}\n\n${message}`));
}

/** Whether this repository is one whose objects and refs `writeCommit` may write itself. */
export function canWriteObjects(gitDir: string): boolean {
  if (readOrNone(path.join(gitDir, 'commondir'))) return false; // a linked worktree: let git find its way
  const config = readOrNone(path.join(gitDir, 'config'), 'utf8');
  if (config === undefined) return false;
  // SHA-256 objects, reftable refs, group-shared permissions, precious objects or an alternate
  // object store are git's to handle.
  return !/^\s*(objectformat|refstorage|sharedrepository|preciousobjects)\s*=/im.test(config) && !readOrNone(path.join(gitDir, 'objects/info/alternates'));
}

/** The object ids a pack index (version 2) holds, to look one up without reading the pack. */
class PackIndex {
  private constructor(
    private readonly fd: number,
    private readonly fanout: Uint32Array,
  ) {}

  static open(file: string): PackIndex | undefined {
    const fd = openSync(file, 'r');
    const head = Buffer.alloc(8 + 256 * 4);
    if (readSync(fd, head, 0, head.length, 0) !== head.length || head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) {
      closeSync(fd);
      return undefined;
    }
    const fanout = new Uint32Array(256);
    for (let i = 0; i < 256; i++) fanout[i] = head.readUInt32BE(8 + i * 4);
    return new PackIndex(fd, fanout);
  }

  has(id: Buffer): boolean {
    const first = id[0]!;
    let lo = first === 0 ? 0 : this.fanout[first - 1]!;
    let hi = this.fanout[first]!;
    const at = Buffer.alloc(20);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      readSync(this.fd, at, 0, 20, 8 + 256 * 4 + mid * 20);
      const c = Buffer.compare(at, id);
      if (c === 0) return true;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A repository's object store, for writing objects it does not hold yet. */
export class ObjectStore {
  private packs: PackIndex[] | undefined;
  /** What this store wrote, for `discard`: object files, and the folders made for them. */
  private readonly created: string[] = [];
  private readonly createdDirs: string[] = [];

  constructor(private readonly gitDir: string) {}

  private loosePath(id: string): string {
    return path.join(this.gitDir, 'objects', id.slice(0, 2), id.slice(2));
  }

  has(id: string): boolean {
    if (lstatSync(this.loosePath(id), { throwIfNoEntry: false })) return true;
    if (!this.packs) {
      const dir = path.join(this.gitDir, 'objects/pack');
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        // no packs yet
      }
      this.packs = names.filter((n) => n.endsWith('.idx')).flatMap((n) => PackIndex.open(path.join(dir, n)) ?? []);
    }
    const raw = Buffer.from(id, 'hex');
    return this.packs.some((p) => p.has(raw));
  }

  /** Stores the object loose unless the store has it already. */
  put(o: GitObject): void {
    if (this.has(o.id)) return;
    const file = this.loosePath(o.id);
    const made = mkdirSync(path.dirname(file), { recursive: true });
    if (made) this.createdDirs.push(path.dirname(file));
    const tmp = path.join(path.dirname(file), `tmp_obj_${process.pid}_${o.id.slice(2)}`);
    writeFileSync(tmp, deflateSync(Buffer.concat([Buffer.from(`${o.type} ${o.body.length}\0`), o.body])), { mode: 0o444 });
    try {
      // As git does: link, so that an object another process wrote meanwhile is kept as it is.
      linkSync(tmp, file);
      this.created.push(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        rmSync(tmp, { force: true });
        throw e;
      }
    }
    rmSync(tmp, { force: true });
  }

  /** Removes what this store wrote: when the commit could not be made, .git is left as it was. */
  discard(): void {
    for (const f of this.created) rmSync(f, { force: true });
    for (const d of this.createdDirs.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // not empty: another process put an object there
      }
    }
  }

  close(): void {
    for (const p of this.packs ?? []) p.close();
  }
}

/**
 * Moves `refs/heads/<branch>` from `expected` (undefined: the branch is not there) to `id`, the
 * way git does: under its lock file, checked against the expected value, with a reflog line.
 */
export function updateBranch(gitDir: string, branch: string, id: string, expected: string | undefined, ident: string, reason: string): void {
  const ref = path.join(gitDir, 'refs/heads', branch);
  const lock = `${ref}.lock`;
  mkdirSync(path.dirname(ref), { recursive: true });
  writeFileSync(lock, `${id}\n`, { flag: 'wx' });
  try {
    const now = readOrNone(ref, 'utf8')?.trim();
    // A packed-only branch has no loose file: its packed value is what the caller read.
    if (now !== undefined && now !== expected) throw new Error(`refs/heads/${branch} moved while this ran (${now.slice(0, 7)})`);
    renameSync(lock, ref);
  } catch (e) {
    rmSync(lock, { force: true });
    throw e;
  }
  // A branch's reflog, as git keeps one unless core.logAllRefUpdates says not to.
  if (/^\s*logallrefupdates\s*=\s*false\s*$/im.test(readOrNone(path.join(gitDir, 'config'), 'utf8') ?? '')) return;
  const log = path.join(gitDir, 'logs/refs/heads', branch);
  try {
    mkdirSync(path.dirname(log), { recursive: true });
    appendFileSync(log, `${expected ?? '0'.repeat(40)} ${id} ${ident}\t${reason}\n`);
  } catch {
    // The branch has moved; a reflog line that cannot be added is only history lost.
  }
}

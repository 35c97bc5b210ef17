import { closeSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { createDeflate, deflateSync } from 'node:zlib';
import path from 'node:path';
import { lastValue, type GitConfig } from './git-config.js';
import { ObjectFiles } from './object-files.js';

/**
 * Writes git objects (blobs, trees, commits) as loose object files, in-process, exactly as git
 * writes them: `<type> <size>\0<body>`, its SHA-1 the id, deflated at git's level for loose
 * objects (core.looseCompression's default, 1: a 3 MB blob takes milliseconds, not the 90 ms
 * fast-import's level-9 pack took), into a `tmp_obj_*` file (mode 0444) beside its place,
 * then hard-linked there (never replacing an object already there) and the temporary removed.
 * An object the repository has already (loose or packed) is not written again.
 *
 * It opens only where that is certain to be what git does (see `writeRefusal`); everywhere else
 * the caller starts git (fast-import) instead. The fallbacks, each with a test in
 * test/git-write.test.ts: environment that moves the repository or its objects, a linked
 * worktree (commondir), a bare repository or core.worktree, any repository extension (sha256
 * object format, reftable ref storage, partial clone, ...) or format version over 1,
 * core.sharedRepository (group permissions), core.compression / core.looseCompression,
 * core.fsync* and core.createObject, alternates, replace refs; and, for refs, see ref-write.ts.
 */

export type ObjectType = 'blob' | 'tree' | 'commit';

/** A blob over this is deflated as a stream straight into its file: no whole compressed copy. */
const STREAM_OVER = 1 << 20;

/** Why objects and refs of `gitDir` are not written here exactly as git would; undefined when they are. */
export function writeRefusal(gitDir: string, config: GitConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
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
    if (key === 'core.bare' && (value === null || !/^(false|no|off|0)$/i.test(value))) return key;
  }
  return undefined;
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
}

/** The loose objects of one repository, written as git writes them; see the module comment. */
export class LooseObjects {
  private constructor(
    private readonly objects: string,
    private readonly existing: ObjectFiles,
  ) {}

  /** A writer for `gitDir`, or undefined when git must write (see writeRefusal). */
  static open(gitDir: string, config: GitConfig, env: NodeJS.ProcessEnv = process.env): LooseObjects | undefined {
    if (writeRefusal(gitDir, config, env) !== undefined) return undefined;
    // The reader refuses what it cannot read for certain (replace refs among it): then git writes.
    const existing = ObjectFiles.open(gitDir, { each: 0, total: 0 }, env);
    return existing && new LooseObjects(path.join(gitDir, 'objects'), existing);
  }

  close(): void {
    this.existing.close();
  }

  /** Whether the repository has the object already (loose or packed). */
  has(id: string): boolean {
    return this.existing.has(id);
  }

  /** Writes one object (unless the repository has it) and returns its id. */
  async write(type: ObjectType, body: Uint8Array): Promise<string> {
    const header = Buffer.from(`${type} ${body.length}\0`);
    const id = createHash('sha1').update(header).update(body).digest('hex');
    if (this.existing.has(id)) return id;
    const dir = path.join(this.objects, id.slice(0, 2));
    let tmp = '';
    let fd = -1;
    for (let tries = 0; fd < 0; tries++) {
      tmp = path.join(dir, `tmp_obj_${randomBytes(6).toString('base64url').slice(0, 6)}`);
      try {
        fd = openSync(tmp, 'wx', 0o444);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && tries === 0) mkdirSync(dir, { mode: 0o777 });
        else if (code !== 'EEXIST' || tries > 8) throw e;
      }
    }
    try {
      if (body.length <= STREAM_OVER) writeAll(fd, deflateSync(Buffer.concat([header, body]), { level: 1 }));
      else await deflateInto(fd, header, body);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    // As git: a link never replaces an object already there (EEXIST is that object); where the
    // file system has no hard links, a rename.
    try {
      linkSync(tmp, path.join(dir, id.slice(2)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        renameSync(tmp, path.join(dir, id.slice(2)));
        return id;
      }
    }
    unlinkSync(tmp);
    return id;
  }
}

/** Deflates header and body as one stream, each compressed piece written as it comes. */
function deflateInto(fd: number, header: Buffer, body: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const z = createDeflate({ level: 1 });
    z.on('data', (chunk: Buffer) => {
      try {
        writeAll(fd, chunk);
      } catch (e) {
        z.destroy(e as Error);
      }
    });
    z.on('error', reject);
    z.on('end', resolve);
    z.write(header);
    z.end(body);
  });
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

/** Whether fast-import would take `p` as it is: no empty, `.` or `..` part, no leading or trailing slash. */
export function plainTreePath(p: string): boolean {
  return p.length > 0 && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\0'));
}

/**
 * Writes the trees of `entries` (files at their paths) and returns the root tree's id; undefined,
 * nothing written, when a path is twice, or both a file and a folder. Entries are sorted as git sorts them: by name, a
 * folder's name compared as if it ended in "/".
 */
export async function writeTrees(store: LooseObjects, entries: Iterable<TreeEntry>): Promise<string | undefined> {
  const root: Folder = { files: new Map(), folders: new Map() };
  for (const e of entries) {
    const parts = e.path.split('/');
    const name = parts.pop()!;
    let at = root;
    for (const part of parts) {
      if (at.files.has(part)) return undefined;
      let next = at.folders.get(part);
      if (!next) at.folders.set(part, (next = { files: new Map(), folders: new Map() }));
      at = next;
    }
    if (at.folders.has(name) || at.files.has(name)) return undefined;
    at.files.set(name, { mode: e.mode, id: e.id });
  }
  const write = async (folder: Folder): Promise<string> => {
    const rows: { key: Buffer; name: Buffer; mode: string; id: string }[] = [];
    for (const [name, f] of folder.files) rows.push({ key: Buffer.from(name), name: Buffer.from(name), mode: f.mode, id: f.id });
    for (const [name, sub] of folder.folders) rows.push({ key: Buffer.from(`${name}/`), name: Buffer.from(name), mode: '40000', id: await write(sub) });
    rows.sort((a, b) => Buffer.compare(a.key, b.key));
    const body: Buffer[] = [];
    for (const r of rows) body.push(Buffer.from(`${r.mode} `), r.name, Buffer.from([0]), Buffer.from(r.id, 'hex'));
    return store.write('tree', Buffer.concat(body));
  };
  return write(root);
}

/** A commit object's body, as git and fast-import write it. */
export function commitBody(tree: string, parents: string[], author: string, committer: string, message: string): Buffer {
  return Buffer.from(`tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${author}\ncommitter ${committer}\n\n${message}`);
}

import { type BigIntStats, type Stats, closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InputError, ProjectError } from '../../core/errors.js';
import { parseManifest, type Manifest } from '../../core/manifest.js';
import { MANIFEST_FILE, pathProblem } from '../../core/path-rules.js';
import { statOrNone } from '../fs-quiet.js';
import { locate, requireSafePath } from './guard.js';

/**
 * The read-only project session: how `fleet` and `status` (without --write) read a project, and
 * what the writing session (./session.ts) reads through, so there is one read path. Every path
 * passes the path rule, every folder on the way is lstat-ed (never followed), only a regular file
 * is opened (without following a link or blocking, then checked to be the file lstat saw), and
 * no read is larger than its bound. It takes no lock, reads no journal and starts no process: a
 * read-only look may run beside a writing run and sees the files as they are.
 */

/**
 * The bound of a read-only session's reads unless the caller names a smaller one: no project file
 * of ours is near it. The writing session reads what sync merges unbounded, as it always has.
 */
export const READ_LIMIT = 64 * 1024 * 1024;

export interface ReadOptions {
  /** Larger files are refused (ProjectError "too-large") without being read. */
  maxBytes?: number;
}

/** What reading a project needs: its plain files, never through a link. */
export interface ProjectFiles {
  /** The project's real path, when the files are a folder's (an index of them may then be kept). */
  readonly root?: string;
  read(rel: string, from?: string, opts?: ReadOptions): Uint8Array | undefined;
  listFiles(dir: string, from?: string): string[];
}

export interface ReadRequest {
  dir: string;
  /** The flag or argument that named it, for messages ("[dir]", "--project"). */
  label?: string;
  /** "required": a project made (or adopted) by the tool; "absent": one not yet linked (adopt). */
  manifest: 'required' | 'absent' | 'optional';
}

export class ProjectReader implements ProjectFiles {
  /** The mode of each file read (a regular file, as opened): what executableAmong asks, known without another lstat. */
  readonly modes = new Map<string, number>();
  /**
   * The full stat data (nanoseconds) of the open file each read took its bytes from, by those
   * bytes, when the session keeps them (the writing session: its clean-tree proof compares them
   * with git's index instead of looking at each file again).
   */
  private readonly statsOfBytes?: WeakMap<Uint8Array, BigIntStats>;

  constructor(
    /** The project's real path. */
    readonly root: string,
    readonly manifest: Manifest | undefined,
    /** No read is larger (a caller may name a smaller bound). */
    protected readonly limit = READ_LIMIT,
    keepStats = false,
  ) {
    if (keepStats) this.statsOfBytes = new WeakMap();
  }

  /** Opens a project folder for reading: its real path and its manifest, nothing else. */
  static openReadOnly(req: ReadRequest): ProjectReader {
    const label = req.label ?? '[dir]';
    const root = projectRoot(req.dir, label);
    return new ProjectReader(root, readManifest(root, req, label));
  }

  /** A project file's bytes, or undefined when nothing (or a folder) is there. Never through a link. */
  read(rel: string, from = 'project', opts: ReadOptions = {}): Uint8Array | undefined {
    return this.readIn(rel, from, opts);
  }

  private readIn(rel: string, from: string, opts: ReadOptions, folders?: Set<string>): Uint8Array | undefined {
    requireSafePath(rel, from, { manifest: true });
    const { full, st } = locate(this.root, rel, from, folders);
    if (!st?.isFile()) return undefined;
    const data = readBounded(full, st, rel, from, Math.min(opts.maxBytes ?? this.limit, this.limit), this.statsOfBytes);
    this.modes.set(rel, st.mode);
    return data;
  }

  /** The stat data of the open file that `bytes` (as this session's read returned them) were read from, when kept. */
  statOf(bytes: Uint8Array): BigIntStats | undefined {
    return this.statsOfBytes?.get(bytes);
  }

  /** Many files at once: the ones that are there (each folder on the way looked at once). */
  readMany(paths: Iterable<string>, from = 'project'): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    const folders = new Set<string>();
    for (const p of paths) {
      const data = this.readIn(p, from, {}, folders);
      if (data) out.set(p, data);
    }
    return out;
  }

  /** Whether anything at all (a file, folder or link) stands at the path. */
  exists(rel: string, from = 'project'): boolean {
    requireSafePath(rel, from, { manifest: true });
    try {
      return locate(this.root, rel, from).st !== undefined;
    } catch (e) {
      if (e instanceof ProjectError && e.kind === 'symlink') return true;
      throw e;
    }
  }

  /** The plain files directly in a project folder (none through a link), sorted. */
  listFiles(dir: string, from = 'project'): string[] {
    requireSafePath(dir, from);
    const { full, st } = locate(this.root, dir, from);
    if (!st?.isDirectory()) return [];
    return readdirSync(full, { withFileTypes: true })
      .filter((e) => e.isFile() && !pathProblem(`${dir}/${e.name}`))
      .map((e) => `${dir}/${e.name}`)
      .sort();
  }
}

/** The real path of a project folder, or a ProjectError naming the flag that gave it. */
export function projectRoot(dir: string, label: string): string {
  if (!statOrNone(path.resolve(dir))?.isDirectory()) throw new ProjectError('not-a-project', dir, `${label}: ${dir} is not a folder.`);
  return realpathSync.native(path.resolve(dir));
}

/**
 * A regular file's bytes, at most `max` of them: opened without following a link and without
 * blocking, checked to be a regular file no larger than `max` on the open descriptor (what is
 * read is what was measured), and read to that size.
 */
function readBounded(full: string, seen: Stats, rel: string, from: string, max: number, keep?: WeakMap<Uint8Array, BigIntStats>): Buffer {
  const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    // With `keep`, in full (nanoseconds): the stat data kept beside the bytes.
    const exact = keep ? fstatSync(fd, { bigint: true }) : undefined;
    const st = exact ? { isFile: () => exact.isFile(), ino: Number(exact.ino), dev: Number(exact.dev), size: Number(exact.size) } : fstatSync(fd);
    if (!st.isFile() || st.ino !== seen.ino || st.dev !== seen.dev) throw new ProjectError('special', rel, `${from}: ${rel}: changed into something other than a regular file while it was read; create-migration never opens one.`);
    if (st.size > max) throw new ProjectError('too-large', rel, `${from}: ${rel}: is ${st.size} bytes, more than the ${max} bytes read of a project file; not read.`);
    const data = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, data, got, st.size - got, null);
      if (n === 0) break;
      got += n;
    }
    const out = got === st.size ? data : data.subarray(0, got);
    if (exact) keep!.set(out, exact);
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why a folder is no project, and what to do: most often the person is only in the wrong folder,
 * so `adopt` is suggested only for a repository that looks like a migration project (checklists,
 * TASKS.md) and was not made by the tool.
 */
export function notAProject(root: string): string {
  const looksLikeOne = ['docs/phases', 'docs/checklists', 'TASKS.md'].some((p) => statOrNone(path.join(root, p)) !== undefined);
  if (looksLikeOne && statOrNone(path.join(root, '.git')) !== undefined) {
    return `${root} has no ${MANIFEST_FILE}: it looks like a migration project that is not linked to a template; link it with \`create-migration adopt\`, or see \`create-migration adopt --help\`.`;
  }
  return `${root} has no ${MANIFEST_FILE}: it is not a migration project. \`cd\` into a project made by create-migration, or give its folder as an argument; see --help for more.`;
}

/** The manifest as the request wants it: required, optional, or required to be absent (adopt). */
export function readManifest(root: string, req: ReadRequest, label: string, limit = READ_LIMIT): Manifest | undefined {
  const { full, st } = locate(root, MANIFEST_FILE, label);
  if (req.manifest === 'absent') {
    if (st) throw new InputError(`${root}: already has ${MANIFEST_FILE}; it is linked, so use \`create-migration sync\`.`);
    return undefined;
  }
  if (!st?.isFile()) {
    if (req.manifest === 'optional') return undefined;
    throw new ProjectError('not-a-project', req.dir, notAProject(root));
  }
  return parseManifest(readBounded(full, st, MANIFEST_FILE, label, limit).toString('utf8'), full);
}

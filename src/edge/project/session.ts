import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ProjectError, InputError } from '../../core/errors.js';
import { applyChanges, dropJournal, recoverJournal, type JournalPlace } from '../apply.js';
import { createHash } from 'node:crypto';
import { pristineBranchFor, pristineRefs, repoAround, tracksAnything } from '../git.js';
import { statOrNone, readRegularFile } from '../fs-quiet.js';
import { acquireLock } from '../lock.js';
import { parseManifest, type Manifest } from '../../core/manifest.js';
import { checkpoint } from './checkpoint.js';
import { locate, requireSafePath } from './guard.js';
import { LOCAL_JOURNAL, LOCAL_LOCK, MANIFEST_FILE } from '../../core/path-rules.js';

/**
 * The project session: the one way any command reaches a project's files. It finds the root and
 * its git folder, takes the lock, recovers (or refuses) a journal an earlier run left, reads and
 * validates the manifest, and hands out the only functions that read, write, rename or delete
 * project files. Every path goes through the one path rule (./path-rules.ts) and the disk check
 * (./guard.ts) here, whoever named it.
 *
 * Inside a git repository the lock and the journal live in the git folder, where neither a
 * template nor a commit can put a file. Without git they sit at the root under names the path
 * rule refuses to any template or manifest, and the journal records the root it belongs to.
 */

export interface OpenRequest {
  /** The project folder as the user gave it. */
  dir: string;
  /** The flag or argument that named it, for messages ("[dir]", "--project"). */
  label?: string;
  /** Whether the command writes: then it takes the lock and first undoes a killed run. */
  write: boolean;
  /** "required": a project made (or adopted) by the tool; "absent": one not yet linked (adopt). */
  manifest: 'required' | 'absent' | 'optional';
}

export interface ApplyRequest {
  /** Who writes, for messages. */
  what: string;
  writes: { path: string; data: Uint8Array; executable?: boolean }[];
  deletes?: string[];
  /** git steps after the files are in place; each is undone with the files if anything fails. */
  git?: {
    /** The run moves the pristine branch: a rollback puts it back to where it was. */
    movesPristine?: boolean;
    /** The run changes the index (unmerged stages, a commit): it is saved first. */
    touchesIndex?: boolean;
    /** Make this branch and switch to it before writing (sync --branch). */
    branch?: string;
    after: () => Promise<void>;
  };
}

const GIT_JOURNAL = 'create-migration-journal.json';
const GIT_LOCK = 'create-migration.lock';
const INDEX_BACKUP = 'create-migration-index';

/** A state file's name for the project at `prefix` of its work tree: its own, beside the others'. */
function perProject(name: string, prefix: string): string {
  if (!prefix) return name;
  const id = createHash('sha256').update(prefix).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${id}${name.slice(dot)}` : `${name}-${id}`;
}

/** git, synchronously: undo steps run on Ctrl-C too, where nothing asynchronous finishes. */
function gitSync(cwd: string, args: string[]): string {
  // The git work of a run is its own: none of the user's hooks runs for it (see edge/git.ts).
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class ProjectSession {
  private released = false;

  private constructor(
    /** The project's real path. */
    readonly root: string,
    /** The absolute git folder of the work tree the root is the top of, or a folder in. */
    readonly gitDir: string | undefined,
    /**
     * Where the project sits in that work tree: "" at its top, "sub/dir" in a bigger repository
     * (a monorepo). Such a project gets every guarantee of a top-level one: its own pristine
     * branch, its conflicts in the index, its own journal; one run per repository at a time.
     */
    readonly prefix: string,
    readonly manifest: Manifest | undefined,
    /** The project's pristine branch (see pristineBranchFor). */
    readonly pristineBranch: string,
    /** Paths an interrupted earlier run had changed, put back before this one began. */
    readonly recovered: string[],
    private readonly journal: JournalPlace,
    private readonly unlock: (() => void) | undefined,
  ) {}

  static async open(req: OpenRequest): Promise<ProjectSession> {
    const label = req.label ?? '[dir]';
    const given = path.resolve(req.dir);
    if (!statOrNone(given)?.isDirectory()) throw new ProjectError('not-a-project', req.dir, `${label}: ${req.dir} is not a folder.`);
    const root = realpathSync(given);
    const around = await repoAround(root);
    // A project in a subfolder is that repository's when the repository tracks its files.
    const repo = around && (around.prefix === '' || (await tracksAnything(root))) ? around : undefined;
    const gitDir = repo?.gitDir;
    const prefix = repo?.prefix ?? '';
    const journal: JournalPlace = gitDir
      ? { root, file: path.join(gitDir, perProject(GIT_JOURNAL, prefix)), requireRoot: prefix !== '' }
      : { root, file: path.join(root, LOCAL_JOURNAL), requireRoot: true };
    const unlock = req.write ? await acquireLock(gitDir ? path.join(gitDir, GIT_LOCK) : path.join(root, LOCAL_LOCK), req.dir) : undefined;
    try {
      let recovered: string[] = [];
      if (req.write) {
        const r = recoverJournal(journal);
        if (gitDir) undoGit(root, gitDir, prefix, r);
        dropJournal(journal.file);
        recovered = r.restored;
      }
      await checkpoint('session:locked');
      const manifest = readManifest(root, req, label);
      return new ProjectSession(root, gitDir, prefix, manifest, pristineBranchFor(prefix), recovered, journal, unlock);
    } catch (e) {
      unlock?.();
      throw e;
    }
  }

  /** Releases the lock; safe to call twice. */
  close(): void {
    if (this.released) return;
    this.released = true;
    this.unlock?.();
  }

  /** A project file's bytes, or undefined when nothing (or a folder) is there. Never through a link. */
  read(rel: string, from = 'project'): Uint8Array | undefined {
    requireSafePath(rel, from, { manifest: true });
    const { full, st } = locate(this.root, rel, from);
    return st?.isFile() ? readRegularFile(full) : undefined;
  }

  /** Many files at once: the ones that are there. */
  readMany(paths: Iterable<string>, from = 'project'): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) {
      const data = this.read(p, from);
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
      .filter((e) => e.isFile() && !requireSafeQuiet(`${dir}/${e.name}`))
      .map((e) => `${dir}/${e.name}`)
      .sort();
  }

  /**
   * Writes and deletes atomically under the journal, then runs the git steps; anything failing
   * (or Ctrl-C) puts every file, the index and the branches back as they were.
   */
  async apply(req: ApplyRequest): Promise<void> {
    if (!this.unlock) throw new Error('a read-only project session cannot write');
    const { root, gitDir } = this;
    const g = req.git;
    if (g && !gitDir) throw new InputError(`${req.what}: ${root} is not a git repository.`);
    let pristineTip: string | null | undefined;
    let branch: { name: string; from: string } | undefined;
    let index = false;
    if (g && gitDir) {
      if (g.movesPristine) pristineTip = (await pristineRefs(root, gitDir, this.pristineBranch)).local ?? null;
      if (g.branch) branch = { name: g.branch, from: headRef(root) };
      if (g.touchesIndex && statOrNone(path.join(gitDir, 'index'))?.isFile()) {
        copyFileSync(path.join(gitDir, 'index'), path.join(gitDir, perProject(INDEX_BACKUP, this.prefix)));
        index = true;
      }
    }
    const recovery = { restored: [], pristineTip, index, branch };
    try {
      await applyChanges({
        place: this.journal,
        what: req.what,
        writes: req.writes,
        deletes: req.deletes ?? [],
        git: { pristineTip, index, branch },
        before: async () => {
          await checkpoint('apply:journal');
          if (branch) {
            gitSync(root, ['checkout', '-q', '-b', branch.name]);
            await checkpoint('apply:branch');
          }
        },
        after: async () => {
          await checkpoint('apply:files');
          await g?.after();
          await checkpoint('apply:git');
        },
        undoGit: () => {
          if (gitDir) undoGit(root, gitDir, this.prefix, recovery);
        },
      });
    } finally {
      if (gitDir) rmSync(path.join(gitDir, perProject(INDEX_BACKUP, this.prefix)), { force: true });
    }
  }
}

function requireSafeQuiet(rel: string): boolean {
  try {
    requireSafePath(rel, 'project');
    return false;
  } catch {
    return true;
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
    return `${root} looks like a migration project but is not linked to a template (it has no ${MANIFEST_FILE}): link it with \`create-migration adopt\`, or see \`create-migration adopt --help\`.`;
  }
  return `${root} is not a migration project (it has no ${MANIFEST_FILE}). \`cd\` into a project made by create-migration, or give its folder as an argument; see --help for more.`;
}

function readManifest(root: string, req: OpenRequest, label: string): Manifest | undefined {
  const file = path.join(root, MANIFEST_FILE);
  const { st } = locate(root, MANIFEST_FILE, label);
  if (req.manifest === 'absent') {
    if (st) throw new InputError(`${root}: already has ${MANIFEST_FILE}; it is linked, so use \`create-migration sync\`.`);
    return undefined;
  }
  if (!st?.isFile()) {
    if (req.manifest === 'optional') return undefined;
    throw new ProjectError('not-a-project', req.dir, notAProject(root));
  }
  return parseManifest(readRegularFile(file, 'utf8'), file);
}

/** A ref's commit, or undefined when there is no such ref. */
function localRef(root: string, ref: string): string | undefined {
  try {
    return gitSync(root, ['rev-parse', '--verify', '--quiet', ref]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What HEAD is: the branch it names, or the commit when it is detached. */
function headRef(root: string): string {
  try {
    return gitSync(root, ['symbolic-ref', '-q', 'HEAD']).trim();
  } catch {
    return gitSync(root, ['rev-parse', 'HEAD']).trim();
  }
}

/**
 * Puts back the git state a run recorded in its journal: the index it saved, the pristine
 * branch where it pointed, and HEAD on the branch it left (the branch the run made deleted).
 * Work tree files are not touched here: the journal restored them already.
 */
function undoGit(root: string, gitDir: string, prefix: string, r: { pristineTip?: string | null; index?: boolean; branch?: { name: string; from: string } }): void {
  const backup = path.join(gitDir, perProject(INDEX_BACKUP, prefix));
  if (r.index && statOrNone(backup)?.isFile()) renameSync(backup, path.join(gitDir, 'index'));
  if (r.pristineTip !== undefined) {
    const ref = `refs/heads/${pristineBranchFor(prefix)}`;
    if (r.pristineTip) gitSync(root, ['update-ref', ref, r.pristineTip]);
    else if (localRef(root, ref)) gitSync(root, ['update-ref', '-d', ref]);
  }
  if (r.branch) {
    const { name, from } = r.branch;
    if (from.startsWith('refs/')) gitSync(root, ['symbolic-ref', 'HEAD', from]);
    else gitSync(root, ['update-ref', '--no-deref', 'HEAD', from]);
    if (localRef(root, `refs/heads/${name}`)) gitSync(root, ['update-ref', '-d', `refs/heads/${name}`]);
  }
}

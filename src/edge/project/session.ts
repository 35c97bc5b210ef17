import { execFileSync } from 'node:child_process';
import { copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { applyChanges, dropJournal, recoverJournal, type JournalPlace } from '../apply.js';
import { createHash } from 'node:crypto';
import { pristineBranchFor, pristineRefs } from '../git/refs.js';
import { repoAround } from '../git/repo.js';
import { tracksAnything } from '../git/worktree.js';
import { removeFile, statOrNone } from '../fs-quiet.js';
import { acquireLock } from '../lock.js';
import { recoverFolder } from '../project-writer.js';
import type { Manifest } from '../../core/manifest.js';
import { checkpoint } from './checkpoint.js';
import { notAProject, ProjectReader, projectRoot, readManifest } from './reader.js';
import { LOCAL_JOURNAL, LOCAL_LOCK } from '../../core/path-rules.js';

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
    /** With `lateWrites`, `filesInPlace` waits for big files still being written (see applyChanges), for a step that reads them. */
    after: (filesInPlace: () => Promise<void>) => Promise<void>;
    /** Big files may be written while `after` runs (see ApplyOptions.lateWrites). */
    lateWrites?: boolean;
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
  // The git work of a run is its own: none of the user's hooks runs for it (see edge/git/run.ts).
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export { notAProject };

/** A writing project session; its reads are the read-only session's (./reader.ts). */
export class ProjectSession extends ProjectReader {
  private released = false;

  private constructor(
    root: string,
    /** The absolute git folder of the work tree the root is the top of, or a folder in. */
    readonly gitDir: string | undefined,
    /**
     * Where the project sits in that work tree: "" at its top, "sub/dir" in a bigger repository
     * (a monorepo). Such a project gets every guarantee of a top-level one: its own pristine
     * branch, its conflicts in the index, its own journal; one run per repository at a time.
     */
    readonly prefix: string,
    manifest: Manifest | undefined,
    /** The project's pristine branch (see pristineBranchFor). */
    readonly pristineBranch: string,
    /** Paths an interrupted earlier run had changed, put back before this one began. */
    readonly recovered: string[],
    private readonly journal: JournalPlace,
    private readonly unlock: (() => void) | undefined,
  ) {
    // Its reads are unbounded, as they were before the read-only mode: sync merges what is there.
    // A writing session keeps the stat data of each read beside its bytes, for its clean-tree
    // proof (statOf); one that only reads (sync --check) proves nothing and keeps none.
    super(root, manifest, Infinity, unlock !== undefined);
  }

  /**
   * The writing session (`write: true`: the lock, and a killed run's journal undone first), or one
   * that only reads but knows the project's git folder (sync --check, add --dry-run). A look that
   * needs neither (fleet, status) takes `ProjectReader.openReadOnly`: no lock, journal or git.
   */
  static async open(req: OpenRequest): Promise<ProjectSession> {
    const label = req.label ?? '[dir]';
    const root = projectRoot(req.dir, label);
    // A run killed with its journal in the folder itself (generate --force, which may have made
    // the repository too) is undone first: the repository found next is then the folder's own.
    const early = req.write ? await recoverFolder(root) : [];
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
        recovered = [...early, ...r.restored];
      }
      await checkpoint('session:locked');
      const manifest = readManifest(root, req, label, Infinity);
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
        lateWrites: g?.lateWrites,
        after: async (filesInPlace) => {
          await checkpoint('apply:files');
          await g?.after(filesInPlace);
          await checkpoint('apply:git');
        },
        undoGit: () => {
          if (gitDir) undoGit(root, gitDir, this.prefix, recovery);
        },
      });
    } finally {
      if (gitDir) removeFile(path.join(gitDir, perProject(INDEX_BACKUP, this.prefix)));
    }
  }
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

import { lstatSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../fs-quiet.js';
import { boundMs } from '../bounds.js';
import { readRepoAt } from './files.js';
import { blobId, writeIndex } from './index-file.js';
import { dataBlock, fastImportPath, PRISTINE_REFLOG, writePristine } from './objects.js';
import { gitIdent, readGitConfig, varsFromConfig, type GitConfig } from './git-config.js';
import { initWithoutGit } from './init-snapshot.js';
import { commitBody, ObjectBatch, writeTrees } from './object-write.js';
import { plainTreePath } from './tree-path.js';
import { refsWritable, updateRefs } from './ref-write.js';
import { headCommit, INITIAL_BRANCH, PRISTINE_BRANCH, pristineBranchFor, pristineRefs } from './refs.js';
import { commitWithIdentity, gitBytes, gitText, NO_HOOKS, READ_ONLY_ENV, runGit } from './run.js';

/** Where a repository is (around a project, or a template source), and making one: init, the first commit, a bare clone. */

/** Whether dir is inside a git work tree. */
export async function isRepo(dir: string): Promise<boolean> {
  try {
    return (await gitText(dir, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * Whether `dir` is itself a git repository: the top of a work tree, a bare repository, or a git
 * folder. A folder somewhere inside another repository (a monorepo, a clone of this package) is
 * not: it is read as the folder it is, not as that repository's HEAD.
 */
export async function isRepoRoot(dir: string): Promise<boolean> {
  // The top of a plain work tree is certain from its files; anything else (a bare repository, a
  // folder inside a work tree) is git's to say.
  if (readRepoAt(dir)) return true;
  try {
    const [, , prefix] = (await gitText(dir, ['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--show-prefix'])).split('\n');
    return prefix === '';
  } catch {
    return false;
  }
}

/** The work tree's top folder and the absolute .git folder, with one git process. */
export async function gitLocation(dir: string): Promise<{ top: string; gitDir: string } | undefined> {
  try {
    const [top, gd] = (await gitText(dir, ['rev-parse', '--show-toplevel', '--absolute-git-dir'])).trim().split('\n');
    return top && gd ? { top, gitDir: gd } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The repository a project folder belongs to: the one whose work tree it is the top of
 * (prefix ""), or one whose work tree holds it in a subfolder (prefix "sub/dir").
 */
export async function repoAround(root: string): Promise<{ gitDir: string; prefix: string } | undefined> {
  const known = readRepoAt(root);
  if (known) return { gitDir: known.gitDir, prefix: '' };
  // No .git here (and no GIT_DIR) nor in any folder above: git would find no repository either,
  // so most projects made with --no-git pay no git process for the question.
  if (known === null && !gitEntryAbove(root)) return undefined;
  const where = await gitLocation(root);
  if (!where) return undefined;
  const rel = path.relative(realpathSync.native(where.top), realpathSync.native(root));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return { gitDir: where.gitDir, prefix: rel.split(path.sep).join('/') };
}

/** Whether any folder above `dir` holds a `.git` entry (folder, file or link), looked at with lstat. */
function gitEntryAbove(dir: string): boolean {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (lstatSync(path.join(d, '.git'), { throwIfNoEntry: false })) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** A bare copy of a remote template repo, for reading tags and trees. */
export async function cloneBare(url: string, into: string): Promise<void> {
  await runGit(process.cwd(), [...NO_HOOKS, 'clone', '--bare', '--quiet', '--', url, into], undefined, { GIT_TERMINAL_PROMPT: '0' }, boundMs('network'));
}

/** Removes a repository this run made beside files already in a folder (its first commit failed). */
export function removeRepository(dir: string): void {
  rmSync(path.join(dir, '.git'), { recursive: true, force: true });
}

/**
 * Makes a new repository in a folder that already held files (generate --force): its first
 * commit holds only the generated paths, exactly as rendered, and the pristine branch points
 * at it as the base of the first sync. A new folder goes through createRepository instead.
 */
export async function initialCommit(dir: string, message: string, paths: string[]): Promise<string> {
  await gitBytes(dir, ['-c', `init.defaultBranch=${INITIAL_BRANCH}`, 'init', '-q']);
  // The folder already held files: commit only what was generated.
  await gitBytes(dir, ['add', '--', ...paths]);
  await commitWithIdentity(dir, ['commit', '-q', '--no-verify', '-m', message]);
  const sha = await headCommit(dir);
  // A loose ref is what `git branch` would write in a new repository.
  try {
    writeFileSync(path.join(dir, '.git/refs/heads', PRISTINE_BRANCH), `${sha}\n`, { flag: 'wx' });
  } catch {
    await gitBytes(dir, ['branch', PRISTINE_BRANCH, sha]);
  }
  return sha;
}

/** A new, empty repository: its branch, and git's variables (the user's identity among them). */
export interface NewRepository {
  head: string;
  vars: string;
  /** git's config as read in-process (then `vars` was made from it, no `git var`); undefined when git was asked. */
  config?: GitConfig;
}

/**
 * `git init` (it writes what the user's init.templateDir holds: hooks, config), then the user's
 * identities and config as `git var -l` prints them inside the new repository: read from the
 * config files where that is certain (git-config.ts), else from `git var -l` itself (so that
 * conditional includes apply as they will to every later commit). Generate starts this while it
 * loads the template and renders; aborting `signal` stops it (the promise settles once git has
 * exited).
 */
export async function initRepository(dir: string, signal?: AbortSignal): Promise<NewRepository> {
  // Made without git where what it would write is known (./init-snapshot.ts), else by git (and kept for next time).
  const known = initWithoutGit(dir);
  if (!known.made) {
    await gitBytes(dir, ['-c', `init.defaultBranch=${INITIAL_BRANCH}`, 'init', '-q'], undefined, undefined, signal);
    if (signal?.aborted) throw new Error('git init cancelled');
    known.record?.();
  }
  const head = /^ref: (refs\/heads\/\S+)/.exec(readRegularFile(path.join(dir, '.git/HEAD'), 'utf8'))?.[1] ?? 'refs/heads/main';
  const config = process.env.CREATE_MIGRATION_GIT_WRITE === 'git' ? undefined : readGitConfig(path.join(dir, '.git'));
  const fromConfig = config && varsFromConfig(config, Math.floor(Date.now() / 1000));
  if (fromConfig) return { head, vars: fromConfig, config };
  const vars = await gitBytes(dir, ['var', '-l'], undefined, READ_ONLY_ENV, signal).then(
    (b) => b.toString('utf8'),
    (e: Error) => {
      if (signal?.aborted) throw e;
      return '';
    },
  );
  return { head, vars };
}

/**
 * A new repository whose first commit holds `files`, made with four git processes: init, the
 * identities, one fast-import of every file from memory, and a reset that writes the work tree
 * and index from that commit. Writing the files ourselves and then `git add` would write them,
 * read them back and hash them; this writes each once. The pristine branch points at the same
 * commit: it is exactly what the template rendered, the base of the first sync.
 */
export async function createRepository(
  dir: string,
  files: { path: string; data: Uint8Array; executable?: boolean }[],
  message: string,
  /** The repository, when initRepository was started earlier. */
  repository: Promise<NewRepository> = initRepository(dir),
  /** Writes `files` into `dir` (the caller's writer); without it, git writes them. */
  writeTree?: () => void,
): Promise<string> {
  const { head, vars, config } = await repository;
  const now = Math.floor(Date.now() / 1000);
  const fallback = `create-migration <create-migration@localhost> ${now} +0000`;
  // An address git only guessed (user@host.(none)) is one `git commit` would refuse: use ours.
  const ident = (name: string) => {
    const found = new RegExp(`^${name}=(.+<.*>.*)$`, 'm').exec(vars)?.[1];
    return found && !/\(none\)>/.test(found) ? found : fallback;
  };
  const plain = writeTree !== undefined && checkoutIsPlain(dir, vars, files);
  const here = config && (await commitHere(dir, config, head, files, message, ident('GIT_AUTHOR_IDENT'), ident('GIT_COMMITTER_IDENT')));
  if (here) {
    if (plain) {
      writeTree();
      writeIndex(path.join(dir, '.git'), dir, files.map((f) => ({ path: f.path, id: blobId(f.data), executable: f.executable })));
    } else await gitBytes(dir, ['reset', '-q', '--hard']);
    return here;
  }
  const parts: Buffer[] = [Buffer.from(`commit ${head}\nmark :1\nauthor ${ident('GIT_AUTHOR_IDENT')}\ncommitter ${ident('GIT_COMMITTER_IDENT')}\n`)];
  dataBlock(parts, Buffer.from(message));
  for (const f of files) {
    parts.push(Buffer.from(`M ${f.executable ? '100755' : '100644'} inline ${fastImportPath(f.path)}\n`));
    dataBlock(parts, f.data);
  }
  parts.push(Buffer.from(`reset refs/heads/${PRISTINE_BRANCH}\nfrom :1\n\nget-mark :1\ndone\n`));
  const importing = gitBytes(dir, ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done'], Buffer.concat(parts));
  // Where checking out converts nothing, the files are written as they are while git imports
  // them, and the index beside them: what `git reset --hard` would make, without its process.
  if (plain) {
    try {
      writeTree();
    } catch (e) {
      await importing.catch(() => undefined);
      throw e;
    }
  }
  const commit = (await importing).toString().trim();
  if (plain) writeIndex(path.join(dir, '.git'), dir, files.map((f) => ({ path: f.path, id: blobId(f.data), executable: f.executable })));
  else await gitBytes(dir, ['reset', '-q', '--hard']);
  return commit;
}

/**
 * The first commit without a git process: the objects fast-import would write for the same
 * input (the same ids), in one pack, and the branch HEAD names and the pristine branch created at it,
 * with the reflog lines fast-import leaves. Undefined where git must do it (see object-write.ts,
 * ref-write.ts): then fast-import runs.
 */
async function commitHere(
  dir: string,
  config: GitConfig,
  head: string,
  files: readonly { path: string; data: Uint8Array; executable?: boolean }[],
  message: string,
  author: string,
  committer: string,
): Promise<string | undefined> {
  const gitDir = path.join(dir, '.git');
  const ident = gitIdent(config, 'committer', Math.floor(Date.now() / 1000));
  if (!ident || !files.every((f) => plainTreePath(f.path)) || new Set(files.map((f) => f.path)).size !== files.length) return undefined;
  // Nothing written where the branch could not then be moved here (git would write it all again).
  const store = refsWritable(gitDir, config) ? ObjectBatch.open(gitDir, config) : undefined;
  if (!store) return undefined;
  try {
    const entries = [];
    for (const f of files) entries.push({ path: f.path, mode: f.executable ? '100755' : '100644', id: store.write('blob', f.data) });
    const tree = await writeTrees(store, entries);
    if (!tree) return undefined;
    const commit = store.write('commit', commitBody(tree, [], author, committer, message));
    store.finish();
    const moved = updateRefs(gitDir, config, [{ ref: head, id: commit }, { ref: `refs/heads/${PRISTINE_BRANCH}`, id: commit }], PRISTINE_REFLOG, ident);
    return moved ? commit : undefined;
  } finally {
    store.abandon();
  }
}

/**
 * Whether checking `files` out in the new repository at `dir` writes each exactly as it is: no
 * attributes file among them or around (the repository's, the user's), and no setting of the
 * user's that converts line endings or names an attributes file (`vars`: what `git var -l` said,
 * every config file and include as git read them).
 */
function checkoutIsPlain(dir: string, vars: string, files: readonly { path: string }[]): boolean {
  if (!vars || /^(core\.(autocrlf|eol|safecrlf|attributesfile|symlinks|checkroundtripencoding)|filter\.)/im.test(vars)) return false;
  if (files.some((f) => f.path === '.gitattributes' || f.path.endsWith('/.gitattributes'))) return false;
  const home = process.env.HOME ?? '';
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  return [path.join(dir, '.git/info/attributes'), path.join(xdg, 'git/attributes'), '/etc/gitattributes'].every((f) => !lstatSync(f, { throwIfNoEntry: false }));
}

/**
 * A new project in a subfolder of a repository the user already has (generate --no-git in a
 * monorepo, or --force into such a folder): its render goes onto its own pristine branch there,
 * so its first sync has a base, after a clone too. Nothing is committed to the user's branches.
 * Returns the branch, or undefined when the folder is not inside a repository's work tree.
 */
export async function recordPristineAround(
  dir: string,
  files: { path: string; data: Uint8Array; executable?: boolean }[],
  message: string,
): Promise<string | undefined> {
  const repo = await repoAround(dir);
  if (!repo || repo.prefix === '') return undefined;
  const branch = pristineBranchFor(repo.prefix);
  const tips = await pristineRefs(dir, undefined, branch);
  const executable = { now: new Set(files.filter((f) => f.executable).map((f) => f.path)) };
  await writePristine(dir, new Map(files.map((f) => [f.path, f.data])), message, tips.local, [], undefined, executable, branch);
  return branch;
}

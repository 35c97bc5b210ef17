import { spawn } from 'node:child_process';
import { lstatSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from './fs-quiet.js';
import { boundMs } from './bounds.js';
import { killsItsGroup } from './process-group.js';
import { isInterrupted, trackChild } from './cleanup.js';
import { readBranchRefs, readIndexPaths, readRepoAt, readTagCommit, readTagNames, readTreeFiles } from './git-files.js';

/** The branch that holds each pristine render of the template: sync's merge base. */
export const PRISTINE_BRANCH = 'migration-template';
/**
 * The branch a new project starts on, whatever init.defaultBranch says: the generated CI runs on
 * pushes to `main`, so the repository has to have that branch (as create-next-app makes it).
 */
export const INITIAL_BRANCH = 'main';
export const PRISTINE_TRAILER = 'Migration-Template';

/** Used only when the user has no git identity configured, so a commit never fails for it. */
const FALLBACK_IDENTITY = ['-c', 'user.name=create-migration', '-c', 'user.email=create-migration@localhost'];
const NO_IDENTITY = /tell me who you are|user\.email|empty ident/i;

/** A commit with the user's identity, or ours when they have none configured. */
async function commitWithIdentity(dir: string, args: string[]): Promise<void> {
  await gitBytes(dir, args).catch((e: Error) => {
    if (!NO_IDENTITY.test(e.message)) throw e;
    return gitBytes(dir, [...FALLBACK_IDENTITY, ...args]);
  });
}

/** The commit HEAD points at, read from the loose refs a fresh repository has (else asked of git). */
async function headCommit(dir: string): Promise<string> {
  try {
    const head = readRegularFile(path.join(dir, '.git/HEAD'), 'utf8').trim();
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    const sha = ref ? readRegularFile(path.join(dir, '.git', ref), 'utf8').trim() : head;
    if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
  } catch {
    // packed or reftable refs: ask git
  }
  return (await gitBytes(dir, ['rev-parse', 'HEAD'])).toString().trim();
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
}

/**
 * `git init`, then `git var -l` inside the new repository (so that conditional includes of the
 * user's config apply as they will to every later commit). Generate starts this while it renders.
 */
export async function initRepository(dir: string): Promise<NewRepository> {
  await gitBytes(dir, ['-c', `init.defaultBranch=${INITIAL_BRANCH}`, 'init', '-q']);
  const head = /^ref: (refs\/heads\/\S+)/.exec(readRegularFile(path.join(dir, '.git/HEAD'), 'utf8'))?.[1] ?? 'refs/heads/main';
  const vars = await gitText(dir, ['var', '-l']).catch(() => '');
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
): Promise<string> {
  const { head, vars } = await repository;
  const now = Math.floor(Date.now() / 1000);
  const fallback = `create-migration <create-migration@localhost> ${now} +0000`;
  // An address git only guessed (user@host.(none)) is one `git commit` would refuse: use ours.
  const ident = (name: string) => {
    const found = new RegExp(`^${name}=(.+<.*>.*)$`, 'm').exec(vars)?.[1];
    return found && !/\(none\)>/.test(found) ? found : fallback;
  };
  const parts: Buffer[] = [Buffer.from(`commit ${head}\nmark :1\nauthor ${ident('GIT_AUTHOR_IDENT')}\ncommitter ${ident('GIT_COMMITTER_IDENT')}\n`)];
  dataBlock(parts, Buffer.from(message));
  for (const f of files) {
    parts.push(Buffer.from(`M ${f.executable ? '100755' : '100644'} inline ${fastImportPath(f.path)}\n`));
    dataBlock(parts, f.data);
  }
  parts.push(Buffer.from(`reset refs/heads/${PRISTINE_BRANCH}\nfrom :1\n\nget-mark :1\ndone\n`));
  const commit = (await gitBytes(dir, ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done'], Buffer.concat(parts))).toString().trim();
  await gitBytes(dir, ['reset', '-q', '--hard']);
  return commit;
}

/** Whether dir is inside a git work tree. */
export async function isRepo(dir: string): Promise<boolean> {
  try {
    return (await gitText(dir, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/** The git command in an argument list, past `-c key=value` options. */
function subcommand(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return args[0] ?? '';
}

/**
 * The git work sync does for itself (checkout, branch, fast-import, update-ref, reset, ...) is
 * not the user's: their hooks (post-checkout, reference-transaction, post-commit) must not run
 * for it, nor fail it. Only the commit the user asks for with --branch runs their hooks.
 */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

/** Runs git with optional stdin and returns stdout as bytes; every git process the CLI starts goes through here (or catFileBatch, or runGit for the user's own commit), so an interrupt can stop it. */
export function gitBytes(cwd: string, args: string[], input?: Uint8Array, env?: Record<string, string>): Promise<Buffer> {
  return runGit(cwd, [...NO_HOOKS, ...args], input, env);
}

/** A git command that failed, with what it printed (a hook's own words among it). */
export class GitFailure extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
    readonly code: number | null,
  ) {
    super(`git ${command} failed: ${output || `exit ${code}`}`);
  }
}

function runGit(cwd: string, args: string[], input?: Uint8Array, env?: Record<string, string>, timeoutMs?: number): Promise<Buffer> {
  // git starts before this returns: a caller may start git, then render while it runs.
  return new Promise((resolve, reject) => {
    // Once interrupted, the run is being undone: no new git work may start.
    if (isInterrupted()) return reject(new Error(`git ${subcommand(args)} not started: interrupted`));
    // A network step runs in a group of its own, stopped whole (with git's remote helpers).
    const child = spawn('git', args, { cwd, detached: timeoutMs !== undefined, stdio: ['pipe', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    const killGroup = timeoutMs === undefined ? undefined : killsItsGroup(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    trackChild(child);
    // A network step (a clone of a template URL) is bounded: a server that never answers is left.
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup?.('SIGKILL');
      if (code === 0) resolve(Buffer.concat(out));
      else if (timedOut) reject(new GitFailure(subcommand(args), `no answer within ${timeoutMs! / 1000} s (set CREATE_MIGRATION_TIMEOUT_NETWORK to allow more)`, code));
      else reject(new GitFailure(subcommand(args), `${Buffer.concat(err).toString()}${Buffer.concat(out).toString()}`.trim(), code));
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all input; its exit code tells
    child.stdin.end(input);
  });
}

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

export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  const known = readTagCommit(repo, ref);
  if (known) return known;
  try {
    return (await gitBytes(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function listTags(repo: string): Promise<string[]> {
  const known = readTagNames(repo);
  if (known) return known;
  return (await gitBytes(repo, ['tag', '--list'])).toString().split('\n').filter(Boolean);
}

/** A bare copy of a remote template repo, for reading tags and trees. */
export async function cloneBare(url: string, into: string): Promise<void> {
  await runGit(process.cwd(), [...NO_HOOKS, 'clone', '--bare', '--quiet', '--', url, into], undefined, { GIT_TERMINAL_PROMPT: '0' }, boundMs('network'));
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

/** Git environment that never takes optional locks: --check and --dry-run must not even refresh the index. */
const READ_ONLY_ENV = { GIT_OPTIONAL_LOCKS: '0' };

export async function gitText(cwd: string, args: string[], input?: Uint8Array): Promise<string> {
  return (await gitBytes(cwd, args, input, READ_ONLY_ENV)).toString('utf8');
}

/** Tracked files with uncommitted changes (untracked files are the user's and never touched). */
export async function dirtyFiles(dir: string): Promise<string[]> {
  // Only the project's folder counts: in a bigger repository, other folders are other work.
  const out = await gitText(dir, ['status', '--porcelain', '-z', '--untracked-files=no', '--', '.']);
  return out.split('\0').filter(Boolean).map((l) => l.slice(3));
}

/**
 * The pristine branch's tips: every copy (local first, then remotes'), and the local one on its
 * own, if there is one (a fresh clone has only a remote copy). Read from the repository's files
 * when `gitDir` is given and its refs are plain; else with one git process.
 */
export async function pristineRefs(dir: string, gitDir?: string, branch = PRISTINE_BRANCH): Promise<{ tips: string[]; local?: string }> {
  const local = `refs/heads/${branch}`;
  const refs =
    (gitDir !== undefined ? readBranchRefs(gitDir, branch) : undefined) ??
    (await gitText(dir, ['for-each-ref', '--format=%(refname) %(objectname)', local, `refs/remotes/*/${branch}`]))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]);
  refs.sort(([a], [b]) => Number(b === local) - Number(a === local));
  return { tips: [...new Set(refs.map(([, sha]) => sha))], local: refs.find(([name]) => name === local)?.[1] };
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
 * The repository whose work tree `root` is the top of, if any: a project nested in some other
 * repository's work tree is not in git as far as its own state goes. Read from the files when
 * the layout is plain, else asked of git.
 */
export async function repoAt(root: string): Promise<{ gitDir: string } | undefined> {
  const known = readRepoAt(root);
  if (known !== undefined) return known ?? undefined;
  const where = await gitLocation(root);
  return where && path.resolve(where.top) === realpathSync(root) ? { gitDir: where.gitDir } : undefined;
}

/**
 * The pristine branch of a project: `migration-template` at the top of a work tree, and
 * `migration-template/<folder>` for one in a subfolder of a bigger repository (a monorepo),
 * so that each project there keeps its own base. Its commits hold the project's files at
 * their root, whatever folder the project sits in.
 */
export function pristineBranchFor(prefix: string): string {
  return prefix ? `${PRISTINE_BRANCH}/${prefix}` : PRISTINE_BRANCH;
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
  const rel = path.relative(realpathSync(where.top), realpathSync(root));
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

/**
 * Whether the repository tracks anything in `dir`: a folder that merely sits somewhere inside a
 * work tree (a home folder kept in git) is not part of that repository's work.
 */
export async function tracksAnything(dir: string): Promise<boolean> {
  try {
    return (await gitText(dir, ['ls-files', '-z', '--', '.'])).length > 0;
  } catch {
    return false;
  }
}

/** Why `name` cannot be made a new branch, or undefined when it can. Reads only. */
export async function newBranchProblem(dir: string, name: string): Promise<string | undefined> {
  try {
    await gitText(dir, ['check-ref-format', '--branch', name]);
  } catch {
    return `"${name}" is not a valid branch name`;
  }
  try {
    await gitText(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]);
    return `a branch named "${name}" exists already; give a new name`;
  } catch {
    return undefined;
  }
}

/** Commits in HEAD's history made by `create-migration` generate: each is a pristine render. */
export async function generatedCommits(dir: string, limit = 20): Promise<string[]> {
  try {
    const out = await gitText(dir, ['log', `-n${limit}`, '--format=%H', `--grep=^${PRISTINE_TRAILER}: `, 'HEAD']);
    return out.split('\n').filter(Boolean);
  } catch {
    return []; // no commits yet
  }
}

/**
 * Reads the given paths of a commit with one `git cat-file --batch` process; paths the commit
 * does not have are left out of the result.
 */
export async function readCommitPaths(repo: string, commit: string, paths: string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  if (!paths.length) return result;
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

function fastImportPath(p: string): string {
  return p.startsWith('"') || /[\n\\]/.test(p) ? JSON.stringify(p) : p;
}

function dataBlock(parts: Buffer[], data: Uint8Array): void {
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
  const parts: Buffer[] = [];
  extraBlobs.forEach((b, i) => {
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
  extraBlobs.forEach((_, i) => parts.push(Buffer.from(`get-mark :${i + 1}\n`)));
  parts.push(Buffer.from('done\n'));
  // unpackLimit=0 keeps the small pack fast-import writes, instead of a second process unpacking it.
  const out = await gitBytes(dir, ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done'], Buffer.concat(parts));
  const [commit, ...blobs] = out.toString().split('\n').filter(Boolean);
  if (!commit || blobs.length !== extraBlobs.length) throw new Error('git fast-import did not report the ids it wrote');
  return { commit, blobs };
}

const fileMode = (executable: boolean | undefined) => (executable ? '100755' : '100644');

/** Marks files as unmerged in the index (stages 1/2/3), as git does for a conflicted merge. */
export async function recordUnmerged(
  dir: string,
  entries: { path: string; base?: string; ours?: string; theirs?: string; executable?: { base?: boolean; ours?: boolean; theirs?: boolean } }[],
  prefix = '',
): Promise<void> {
  if (!entries.length) return;
  // --index-info takes paths from the top of the work tree; a project in a subfolder is under it.
  const at = prefix ? `${prefix}/` : '';
  entries = entries.map((e) => ({ ...e, path: at + e.path }));
  const zero = '0'.repeat(40);
  const lines = entries.flatMap((e) => [
    `0 ${zero}\t${e.path}`,
    ...(e.base ? [`${fileMode(e.executable?.base)} ${e.base} 1\t${e.path}`] : []),
    ...(e.ours ? [`${fileMode(e.executable?.ours)} ${e.ours} 2\t${e.path}`] : []),
    ...(e.theirs ? [`${fileMode(e.executable?.theirs)} ${e.theirs} 3\t${e.path}`] : []),
  ]);
  await gitBytes(dir, ['update-index', '--index-info'], Buffer.from(`${lines.join('\n')}\n`));
}

export async function createBranch(dir: string, name: string): Promise<void> {
  await gitBytes(dir, ['checkout', '-q', '-b', name]);
}

/** The user's commit hooks refused the commit sync made for them; the index is as before. */
export class HookRefused extends Error {
  constructor(readonly output: string) {
    super(output);
  }
}

/**
 * Commits the given paths (additions, changes and deletions) with the user's identity: the one
 * commit the user asked for, so their hooks (pre-commit, commit-msg, ...) run as for any commit
 * of theirs. If git refuses it, the paths are unstaged again and HookRefused carries git's and
 * the hook's output.
 */
export async function commitPaths(dir: string, paths: string[], message: string): Promise<string> {
  await gitBytes(dir, ['-c', 'core.quotepath=false', 'add', '-A', '--', ...paths]);
  // Only these paths: anything else the user had staged (elsewhere in a bigger repository) stays out.
  const args = ['commit', '-q', '-m', message, '--', ...paths];
  try {
    await runGit(dir, args).catch((e: unknown) => {
      if (!(e instanceof GitFailure) || !NO_IDENTITY.test(e.output)) throw e;
      return runGit(dir, [...FALLBACK_IDENTITY, ...args]);
    });
  } catch (e) {
    await gitBytes(dir, ['reset', '-q', '--', ...paths]).catch(() => undefined);
    throw e instanceof GitFailure ? new HookRefused(e.output) : e;
  }
  return (await gitBytes(dir, ['rev-parse', 'HEAD'])).toString().trim();
}

/** Puts the pristine branch back where it was (or removes it) when a sync is rolled back. */
export async function movePristine(dir: string, tip: string | undefined): Promise<void> {
  const ref = `refs/heads/${PRISTINE_BRANCH}`;
  await gitBytes(dir, tip ? ['update-ref', ref, tip] : ['update-ref', '-d', ref]);
}

/** Returns to the branch the sync started from and deletes the one it made. */
export async function leaveBranch(dir: string, name: string): Promise<void> {
  await gitBytes(dir, ['checkout', '-q', '-']);
  await gitBytes(dir, ['branch', '-q', '-D', name]);
}

/** What `ls-files --cached` run in the project's folder lists, read from the index file; undefined when it cannot be. */
function trackedFromIndex(gitDir: string, prefix: string): Set<string> | undefined {
  const all = readIndexPaths(gitDir);
  if (!all || !prefix) return all;
  const under = `${prefix}/`;
  return new Set([...all].filter((p) => p.startsWith(under)).map((p) => p.slice(under.length)));
}

/**
 * Which of `paths` (relative to `dir`) git does not track, and which of those it ignores: an
 * ignored file (a `.env`) holds what must never reach git's object store, so sync neither
 * stages nor merges it. One `ls-files` and, for the untracked ones, one `check-ignore`.
 */
export async function untrackedAmong(
  dir: string,
  paths: string[],
  /** The repository's git folder and the project's folder in its work tree: its index is then read as a file, where it can be. */
  repo?: { gitDir: string; prefix: string },
): Promise<{ untracked: Set<string>; ignored: Set<string> }> {
  const tracked = (repo && trackedFromIndex(repo.gitDir, repo.prefix)) ?? new Set((await gitText(dir, ['-c', 'core.quotepath=false', 'ls-files', '-z', '--cached'])).split('\0').filter(Boolean));
  const untracked = new Set(paths.filter((p) => !tracked.has(p)));
  const ignored = new Set<string>();
  if (!untracked.size) return { untracked, ignored };
  try {
    const out = await gitText(dir, ['check-ignore', '-z', '--stdin'], Buffer.from([...untracked].join('\0') + '\0'));
    for (const p of out.split('\0')) if (p) ignored.add(p);
  } catch {
    // exit 1: none of them is ignored
  }
  return { untracked, ignored };
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

/** Where HEAD is (its branch ref, or a commit when detached), and where a ref points (undefined: nowhere). */
export async function gitState(dir: string, ref: string): Promise<{ head: string; tip?: string }> {
  const head = await gitText(dir, ['symbolic-ref', '-q', 'HEAD']).catch(() => gitText(dir, ['rev-parse', 'HEAD']));
  const tip = await gitText(dir, ['rev-parse', '--verify', '--quiet', ref]).catch(() => '');
  return { head: head.trim(), tip: tip.trim() || undefined };
}

/**
 * Takes a --branch run across versions back whole: HEAD on the branch it left, the branch it
 * made deleted, the pristine branch where it pointed. The work tree is clean (each step's own
 * rollback ran), so the checkout changes only what the steps committed.
 */
export async function dropBranch(dir: string, before: { head: string; branch: string; pristineRef: string; pristineTip?: string }): Promise<void> {
  await gitText(dir, ['checkout', '-q', before.head.replace(/^refs\/heads\//, '')]);
  await gitText(dir, ['branch', '-q', '-D', '--', before.branch]).catch(() => undefined);
  if (before.pristineTip) await gitText(dir, ['update-ref', before.pristineRef, before.pristineTip]);
}

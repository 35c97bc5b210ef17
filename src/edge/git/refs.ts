import path from 'node:path';
import { readRegularFile } from '../fs-quiet.js';
import { readBranchRefs, readTagCommit, readTagNames, type RepoAt } from './files.js';
import { gitBytes, gitText } from './run.js';

/** Branches, tags and HEAD: the pristine branch and its copies, release tags, a --branch run's refs. */

/** The branch that holds each pristine render of the template: sync's merge base. */
export const PRISTINE_BRANCH = 'migration-template';
/**
 * The branch a new project starts on, whatever init.defaultBranch says: the generated CI runs on
 * pushes to `main`, so the repository has to have that branch (as create-next-app makes it).
 */
export const INITIAL_BRANCH = 'main';
export const PRISTINE_TRAILER = 'Migration-Template';

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

/** The commit HEAD points at, read from the loose refs a fresh repository has (else asked of git). */
export async function headCommit(dir: string): Promise<string> {
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

/** The commit `ref` names in the repository at `repo` (`at`: readRepoAt's answer for it, where known). */
export async function resolveCommit(repo: string, ref: string, at?: RepoAt): Promise<string | undefined> {
  const known = readTagCommit(repo, ref, process.env, at);
  if (known) return known;
  try {
    return (await gitBytes(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function listTags(repo: string, at?: RepoAt): Promise<string[]> {
  const known = readTagNames(repo, process.env, at);
  if (known) return known;
  return (await gitBytes(repo, ['tag', '--list'])).toString().split('\n').filter(Boolean);
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

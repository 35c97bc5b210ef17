import type { BigIntStats } from 'node:fs';
import { readIndexPaths, readRepoAt } from './files.js';
import { readGitConfig } from './git-config.js';
import { stageUnmergedHere } from './index-file.js';
import { provedClean } from './clean.js';
import { FALLBACK_IDENTITY, gitBytes, GitFailure, gitText, NO_IDENTITY, runGit } from './run.js';

/** The index and the work tree as git sees them: status, tracked and ignored files, conflict stages, the user's commit. */

/** Tracked files with uncommitted changes (untracked files are the user's and never touched). */
export async function dirtyFiles(dir: string, known?: ReadonlyMap<string, Uint8Array>, statOf?: (bytes: Uint8Array) => BigIntStats | undefined): Promise<string[]> {
  // A project at the top of its work tree whose index proves it clean needs no git status.
  if (provedClean(dir, known, process.env, statOf)) return [];
  // Only the project's folder counts: in a bigger repository, other folders are other work.
  const out = await gitText(dir, ['status', '--porcelain', '-z', '--untracked-files=no', '--', '.']);
  return out.split('\0').filter(Boolean).map((l) => l.slice(3));
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

const fileMode = (executable: boolean | undefined): '100644' | '100755' => (executable ? '100755' : '100644');

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
  // Written here where that is what git writes (see stageUnmergedHere); git otherwise.
  const gitDir = readRepoAt(dir)?.gitDir;
  const config = gitDir && process.env.CREATE_MIGRATION_GIT_WRITE !== 'git' ? readGitConfig(gitDir) : undefined;
  if (gitDir && config) {
    const stages = new Map(
      entries.map((e) => [
        e.path,
        (['base', 'ours', 'theirs'] as const).flatMap((side, i) => (e[side] ? [{ stage: (i + 1) as 1 | 2 | 3, mode: fileMode(e.executable?.[side]), id: e[side]! }] : [])),
      ]),
    );
    if (stages.size === entries.length && stageUnmergedHere(gitDir, dir, config, stages)) return;
  }
  const zero = '0'.repeat(40);
  const lines = entries.flatMap((e) => [
    `0 ${zero}\t${e.path}`,
    ...(e.base ? [`${fileMode(e.executable?.base)} ${e.base} 1\t${e.path}`] : []),
    ...(e.ours ? [`${fileMode(e.executable?.ours)} ${e.ours} 2\t${e.path}`] : []),
    ...(e.theirs ? [`${fileMode(e.executable?.theirs)} ${e.theirs} 3\t${e.path}`] : []),
  ]);
  await gitBytes(dir, ['update-index', '--index-info'], Buffer.from(`${lines.join('\n')}\n`));
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

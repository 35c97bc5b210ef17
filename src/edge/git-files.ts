import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { readOrNone } from './fs-quiet.js';

/**
 * Reads what git keeps in plain files (where a repository's .git is, and its refs) without
 * starting git: each git process costs several milliseconds, and sync over many projects asks
 * these for each. Every function answers only the common layouts it can read for certain, and
 * returns `undefined` for anything else (environment overrides, a relocated work tree, reftable,
 * symbolic refs, a repository owned by another user), so that the caller asks git instead.
 */

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The git folder of `root` when root is the top of a work tree; null when it is not one; undefined when unsure. */
export function readRepoAt(root: string, env: NodeJS.ProcessEnv = process.env): { gitDir: string } | null | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_COMMON_DIR) return undefined;
  const dotGit = path.join(root, '.git');
  const st = lstatSync(dotGit, { throwIfNoEntry: false });
  // No .git here: root is not the top of a work tree (it may sit inside one, which is not the project's own).
  if (!st) return null;
  let gitDir: string;
  if (st.isDirectory()) gitDir = dotGit;
  else if (st.isFile()) {
    // A linked worktree or a submodule: "gitdir: <path>".
    const m = /^gitdir: (.+?)\r?\n?$/.exec(readOrNone(dotGit, 'utf8') ?? '');
    if (!m) return undefined;
    gitDir = path.resolve(root, m[1]!);
  } else return undefined;
  const dir = lstatSync(gitDir, { throwIfNoEntry: false });
  if (!dir?.isDirectory() || !lstatSync(path.join(gitDir, 'HEAD'), { throwIfNoEntry: false })?.isFile()) return undefined;
  // git refuses a repository another user owns (safe.directory): let it say so.
  if (typeof process.getuid === 'function' && dir.uid !== process.getuid()) return undefined;
  const config = readOrNone(path.join(commonDir(gitDir), 'config'), 'utf8') ?? '';
  // A work tree set elsewhere, or a bare repository: git knows better.
  if (/^\s*(worktree|bare\s*=\s*true)/im.test(config)) return undefined;
  return { gitDir: realpathSync(gitDir) };
}

/** Where refs and objects live: the main repository's folder, for a linked worktree. */
function commonDir(gitDir: string): string {
  const common = readOrNone(path.join(gitDir, 'commondir'), 'utf8')?.trim();
  return common ? path.resolve(gitDir, common) : gitDir;
}

/**
 * The commits that refs/heads/<branch> and refs/remotes/<remote>/<branch> point at, in the order
 * `git for-each-ref` lists them (by ref name), from loose and packed refs. Undefined when the
 * repository stores refs in a way this does not read (reftable) or a ref is symbolic.
 */
export function readBranchRefs(gitDir: string, branch: string): [string, string][] | undefined {
  const common = commonDir(gitDir);
  const config = readOrNone(path.join(common, 'config'), 'utf8') ?? '';
  if (/^\s*refstorage\s*=/im.test(config) || lstatSync(path.join(common, 'reftable'), { throwIfNoEntry: false })) return undefined;
  const found = new Map<string, string>();
  const wanted = (name: string) => name === `refs/heads/${branch}` || new RegExp(`^refs/remotes/[^/]+/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(name);
  for (const line of (readOrNone(path.join(common, 'packed-refs'), 'utf8') ?? '').split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    const name = line.slice(space + 1).trim();
    if (wanted(name)) found.set(name, line.slice(0, space));
  }
  // Loose refs win over packed ones.
  const loose = [`refs/heads/${branch}`];
  try {
    for (const remote of readdirSync(path.join(common, 'refs/remotes'))) loose.push(`refs/remotes/${remote}/${branch}`);
  } catch {
    // no remotes
  }
  for (const name of loose) {
    const text = readOrNone(path.join(common, name), 'utf8');
    if (text === undefined) continue;
    found.set(name, text.trim());
  }
  const refs = [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return refs.every(([, sha]) => SHA.test(sha)) ? refs : undefined;
}

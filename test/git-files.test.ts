import { mkdirSync, realpathSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBranchRefs, readRepoAt } from '../src/edge/git-files.js';
import { tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// What sync reads from git's files instead of starting git must be what git itself says, in
// every layout a project's repository may have; where it cannot be sure, it must say so.

function repoWithCommits(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  gitIn(dir, 'init', '-q', '-b', 'main');
  const shas: string[] = [];
  for (const n of [1, 2, 3]) {
    writeFileSync(path.join(dir, 'f.txt'), `${n}\n`);
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', `c${n}`);
    shas.push(gitIn(dir, 'rev-parse', 'HEAD').trim());
  }
  return shas;
}

/** git's own answer, as for-each-ref lists it. */
function gitsRefs(dir: string, branch: string): [string, string][] {
  return gitIn(dir, 'for-each-ref', '--format=%(refname) %(objectname)', `refs/heads/${branch}`, `refs/remotes/*/${branch}`)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ') as [string, string]);
}

const gitDirOf = (dir: string) => realpathSync(path.resolve(dir, gitIn(dir, 'rev-parse', '--git-dir').trim()));

describe('reading git files without starting git', () => {
  it('finds the .git folder of a work tree top, and nothing for a folder inside one', () => {
    const repo = path.join(tempDir(), 'r');
    repoWithCommits(repo);
    expect(readRepoAt(repo, {})).toEqual({ gitDir: gitDirOf(repo) });
    mkdirSync(path.join(repo, 'sub'));
    expect(readRepoAt(path.join(repo, 'sub'), {})).toBeNull();
    expect(readRepoAt(tempDir(), {})).toBeNull();
  });

  it('follows a linked worktree .git file, and reads the refs from the main repository', () => {
    const root = tempDir();
    const repo = path.join(root, 'r');
    const [a, b] = repoWithCommits(repo);
    gitIn(repo, 'branch', 'migration-template', a!);
    gitIn(repo, 'worktree', 'add', '-q', path.join(root, 'wt'), b!);
    const wt = path.join(root, 'wt');
    const found = readRepoAt(wt, {});
    expect(found).toEqual({ gitDir: gitDirOf(wt) });
    expect(readBranchRefs(found!.gitDir, 'migration-template')).toEqual(gitsRefs(wt, 'migration-template'));
  });

  it('reads loose, packed and remote copies of a branch as for-each-ref lists them', () => {
    const root = tempDir();
    const origin = path.join(root, 'origin');
    const [a, b, c] = repoWithCommits(origin);
    gitIn(origin, 'branch', 'migration-template', a!);
    gitIn(origin, 'branch', 'migration-template-old', b!); // a longer name must not match
    gitIn(root, 'clone', '-q', origin, 'clone');
    const clone = path.join(root, 'clone');
    gitIn(clone, 'remote', 'add', 'backup', origin);
    gitIn(clone, 'fetch', '-q', 'backup');
    const gitDir = readRepoAt(clone, {})!.gitDir;
    // A fresh clone: only packed remote copies.
    expect(readBranchRefs(gitDir, 'migration-template')).toEqual(gitsRefs(clone, 'migration-template'));
    expect(gitsRefs(clone, 'migration-template')).toHaveLength(2);
    // A local branch, loose; then everything packed; then a loose ref newer than its packed copy.
    gitIn(clone, 'branch', 'migration-template', b!);
    expect(readBranchRefs(gitDir, 'migration-template')).toEqual(gitsRefs(clone, 'migration-template'));
    gitIn(clone, 'pack-refs', '--all');
    expect(readBranchRefs(gitDir, 'migration-template')).toEqual(gitsRefs(clone, 'migration-template'));
    gitIn(clone, 'update-ref', 'refs/heads/migration-template', c!);
    expect(readBranchRefs(gitDir, 'migration-template')).toEqual(gitsRefs(clone, 'migration-template'));
    expect(readBranchRefs(gitDir, 'migration-template')![0]).toEqual(['refs/heads/migration-template', c]);
    expect(readBranchRefs(gitDir, 'no-such-branch')).toEqual([]);
  });

  it('leaves to git what it cannot be sure of', () => {
    const repo = path.join(tempDir(), 'r');
    const [a] = repoWithCommits(repo);
    const gitDir = readRepoAt(repo, {})!.gitDir;
    // Environment overrides of where the repository is.
    expect(readRepoAt(repo, { GIT_DIR: gitDir })).toBeUndefined();
    expect(readRepoAt(repo, { GIT_WORK_TREE: repo })).toBeUndefined();
    // A symbolic ref.
    gitIn(repo, 'symbolic-ref', 'refs/heads/migration-template', 'refs/heads/main');
    expect(readBranchRefs(gitDir, 'migration-template')).toBeUndefined();
    gitIn(repo, 'update-ref', '--no-deref', 'refs/heads/migration-template', a!);
    expect(readBranchRefs(gitDir, 'migration-template')).toEqual([['refs/heads/migration-template', a]]);
    // Refs kept in a reftable, and a work tree configured elsewhere.
    appendFileSync(path.join(gitDir, 'config'), '[extensions]\n\trefStorage = reftable\n');
    expect(readBranchRefs(gitDir, 'migration-template')).toBeUndefined();
    appendFileSync(path.join(gitDir, 'config'), '[core]\n\tworktree = /elsewhere\n');
    expect(readRepoAt(repo, {})).toBeUndefined();
  });
});

import { chmodSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBranchRefs, readIndexPaths, readRepoAt, readTagCommit, readTagNames, readTreeFiles } from '../src/edge/git/files.js';
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

  it('lists the index as ls-files --cached does: index versions 2, 3 (extended flags) and 4, long and unicode names', () => {
    const repo = path.join(tempDir(), 'r');
    repoWithCommits(repo);
    mkdirSync(path.join(repo, 'docs/deep/er'), { recursive: true });
    for (const f of ['docs/a.md', 'docs/deep/er/b.md', 'docs/deep/é ü.md', 'z.txt']) writeFileSync(path.join(repo, f), `${f}\n`);
    gitIn(repo, 'add', 'docs', 'z.txt');
    // A name over 4,095 bytes (its length no longer fits the entry's flags), put in the index only.
    const long = Array.from({ length: 20 }, (_, i) => `${i}${'n'.repeat(220)}`).join('/');
    const blob = gitIn(repo, 'hash-object', '-w', 'z.txt').trim();
    gitIn(repo, 'update-index', '--add', '--cacheinfo', `100644,${blob},${long}`);
    writeFileSync(path.join(repo, 'new.txt'), 'x\n');
    const gitDir = readRepoAt(repo, {})!.gitDir;
    const gits = () => new Set(gitIn(repo, '-c', 'core.quotepath=false', 'ls-files', '-z', '--cached').split('\0').filter(Boolean));
    for (const version of ['2', '3', '4']) {
      gitIn(repo, 'update-index', '--index-version', version);
      // Version 3 stores an extended flag for an intent-to-add entry.
      if (version === '3') gitIn(repo, 'add', '-N', 'new.txt');
      expect(readIndexPaths(gitDir, {}), `index v${version}`).toEqual(gits());
    }
    expect(readIndexPaths(gitDir, {})!.has(long)).toBe(true);
    // A split index keeps entries in another file: git is asked.
    expect(readIndexPaths(gitDir, { GIT_INDEX_FILE: path.join(gitDir, 'other') })).toBeUndefined();
    gitIn(repo, 'update-index', '--split-index');
    expect(readIndexPaths(gitDir, {})).toBeUndefined();
  });

  it('an index cut short or corrupted is left to git', () => {
    const repo = path.join(tempDir(), 'r');
    repoWithCommits(repo);
    const gitDir = readRepoAt(repo, {})!.gitDir;
    const index = path.join(gitDir, 'index');
    const whole = readFileSync(index);
    writeFileSync(index, whole.subarray(0, whole.length - 25));
    expect(readIndexPaths(gitDir, {})).toBeUndefined();
    const bad = Buffer.from(whole);
    bad.write('XXXX', 0, 'latin1');
    writeFileSync(index, bad);
    expect(readIndexPaths(gitDir, {})).toBeUndefined();
  });

  it('lists tags and finds the commit a tag names as git does: loose, packed, annotated, nested', () => {
    const repo = path.join(tempDir(), 'r');
    const [a, b, c] = repoWithCommits(repo);
    gitIn(repo, 'tag', 'v1.0.0', a!);
    gitIn(repo, 'tag', '-a', '-m', 'annotated', 'v1.1.0', b!);
    gitIn(repo, 'tag', 'team/v2', c!);
    const gitsTags = () => gitIn(repo, 'tag', '--list').split('\n').filter(Boolean);
    const gitsCommit = (t: string) => gitIn(repo, 'rev-parse', '--verify', '--quiet', `${t}^{commit}`).trim();
    expect(readTagNames(repo, {})).toEqual(gitsTags());
    expect(readTagCommit(repo, 'v1.0.0', {})).toBe(gitsCommit('v1.0.0'));
    expect(readTagCommit(repo, 'v1.1.0', {})).toBe(gitsCommit('v1.1.0'));
    gitIn(repo, 'pack-refs', '--all');
    gitIn(repo, 'tag', 'v3', c!);
    expect(readTagNames(repo, {})).toEqual(gitsTags());
    // Packed refs record an annotated tag's commit; a loose object's type is read.
    expect(readTagCommit(repo, 'v1.1.0', {})).toBe(gitsCommit('v1.1.0'));
    expect(readTagCommit(repo, 'v1.0.0', {})).toBe(a);
    // Once the objects are packed, they are read from the pack, as git reads them.
    gitIn(repo, 'gc', '-q');
    expect(readTagCommit(repo, 'v3', {})).toBe(gitsCommit('v3'));
    expect(readTagCommit(repo, 'v1.1.0', {})).toBe(gitsCommit('v1.1.0'));
    // Replace refs would make git read other objects: git is asked then.
    gitIn(repo, 'replace', '-f', c!, a!);
    expect(readTagCommit(repo, 'v3', {})).toBeUndefined();
    gitIn(repo, 'replace', '-d', c!);
    expect(readTagNames(repo, {})).toEqual(gitsTags());
    // No such tag, a branch of that name, a name git looks up elsewhere first: git is asked.
    expect(readTagCommit(repo, 'main', {})).toBeUndefined();
    expect(readTagCommit(repo, 'HEAD', {})).toBeUndefined();
    expect(readTagCommit(repo, '../x', {})).toBeUndefined();
  });

  it('a tag pointing at a tree, or at a blob, is not a commit', () => {
    const repo = path.join(tempDir(), 'r');
    repoWithCommits(repo);
    const tree = gitIn(repo, 'rev-parse', 'HEAD^{tree}').trim();
    gitIn(repo, 'tag', 'atree', tree);
    expect(readTagCommit(repo, 'atree', {})).toBeUndefined();
  });

  it('lists the files of a commit from loose objects as ls-tree -r does: folders, modes, links, submodules, unicode', () => {
    const repo = path.join(tempDir(), 'r');
    repoWithCommits(repo);
    mkdirSync(path.join(repo, 'files/docs/deep'), { recursive: true });
    writeFileSync(path.join(repo, 'files/docs/deep/a.md'), 'a\n');
    writeFileSync(path.join(repo, 'files/docs/é ü.md'), 'u\n');
    writeFileSync(path.join(repo, 'files/run.sh'), '#!/bin/sh\n');
    chmodSync(path.join(repo, 'files/run.sh'), 0o755);
    writeFileSync(path.join(repo, 'files-b'), 'sorts after files/ as git sorts trees\n');
    symlinkSync('run.sh', path.join(repo, 'files/link'));
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'update-index', '--add', '--cacheinfo', `160000,${gitIn(repo, 'rev-parse', 'HEAD').trim()},vendor/sub`);
    gitIn(repo, 'commit', '-qm', 'tree');
    const head = gitIn(repo, 'rev-parse', 'HEAD').trim();
    const gits = gitIn(repo, 'ls-tree', '-r', '-z', '--full-tree', head)
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, sha] = line.slice(0, tab).split(' ');
        return { mode, type, sha, path: line.slice(tab + 1) };
      });
    expect(gits.length).toBeGreaterThan(5);
    expect(readTreeFiles(repo, head, {})).toEqual(gits);
    // Not a commit id: git is asked. Its objects packed: read from the pack, as git lists them.
    expect(readTreeFiles(repo, 'HEAD', {})).toBeUndefined();
    gitIn(repo, 'gc', '-q');
    expect(readTreeFiles(repo, head, {})).toEqual(gits);
  });
});


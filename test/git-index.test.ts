import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobId, stageUnmergedHere, writeIndex, type UnmergedStage } from '../src/edge/git/index-file.js';
import { readGitConfig } from '../src/edge/git/git-config.js';
import { recordUnmerged } from '../src/edge/git/worktree.js';
import { tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// Generate writes the index of a new project itself (where `git reset --hard` was a git process
// of its own): git must read it as its own, with the same entries and stat data it would record.

const FILES: [string, string, boolean?][] = [
  ['README.md', '# p\n'],
  ['docs/a b.md', 'spaces\n'],
  ['docs/deep/é.md', 'non-ASCII name\n'],
  ['docs-x.md', 'sorts between docs and docs/ as bytes\n'],
  ['run.sh', '#!/bin/sh\n', true],
  ['empty', ''],
];

function files(dir: string): void {
  for (const [p, text, exec] of FILES) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
    if (exec) chmodSync(path.join(dir, p), 0o755);
  }
}

describe('writing the index of a new project', () => {
  it('gives the ids git computes, and an index git reads as its own: same entries, same stat data, nothing to refresh', () => {
    const dir = tempDir();
    files(dir);
    gitIn(dir, 'init', '-q', '-b', 'main');
    for (const [p, text] of FILES) expect(blobId(Buffer.from(text))).toBe(gitIn(dir, 'hash-object', '--', p).trim());
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'first');
    const gits = gitIn(dir, 'ls-files', '-s', '--debug');
    rmSync(path.join(dir, '.git/index'));
    writeIndex(path.join(dir, '.git'), dir, FILES.map(([p, text, exec]) => ({ path: p, id: blobId(Buffer.from(text)), executable: exec })));
    expect(gitIn(dir, 'ls-files', '-s', '--debug')).toBe(gits);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
    expect(gitIn(dir, 'diff-files', '--name-only')).toBe('');
  });

  it('writes nothing while another git holds the index lock', () => {
    const dir = tempDir();
    files(dir);
    gitIn(dir, 'init', '-q');
    writeFileSync(path.join(dir, '.git/index.lock'), '');
    expect(() => writeIndex(path.join(dir, '.git'), dir, [{ path: 'README.md', id: blobId(Buffer.from('# p\n')) }])).toThrow(/EEXIST/);
    expect(gitIn(dir, 'ls-files')).toBe('');
  });
});

// Sync marks a conflicted file's three versions in the index. Written here, the index must be the
// very bytes `git update-index --index-info` writes from the same lines; where that is not
// certain, git writes it (and the result is git's, checked the same way).
describe('conflict stages in the index', () => {
  const ids = { base: blobId(Buffer.from('base\n')), ours: blobId(Buffer.from('ours\n')), theirs: blobId(Buffer.from('theirs\n')) };
  const conflicted = [
    { path: 'docs/deep/é.md', base: ids.base, ours: ids.ours, theirs: ids.theirs },
    { path: 'run.sh', ours: ids.ours, theirs: ids.theirs, executable: { ours: true, theirs: false } },
  ];
  const stages = new Map<string, UnmergedStage[]>([
    ['docs/deep/é.md', [{ stage: 1, mode: '100644', id: ids.base }, { stage: 2, mode: '100644', id: ids.ours }, { stage: 3, mode: '100644', id: ids.theirs }]],
    ['run.sh', [{ stage: 2, mode: '100755', id: ids.ours }, { stage: 3, mode: '100644', id: ids.theirs }]],
  ]);

  /** A committed repository (its index has a cache tree), set up by `prepare`, and its copy. */
  function pair(prepare: (dir: string) => void = () => {}): [string, string] {
    const dir = tempDir();
    files(dir);
    gitIn(dir, 'init', '-q', '-b', 'main');
    for (const [p, text] of [['base', 'base\n'], ['ours', 'ours\n'], ['theirs', 'theirs\n']]) writeFileSync(path.join(dir, `.${p}`), text!);
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'first');
    prepare(dir);
    // Not racily clean: the index newer than every file it records (as any index a while after its commit).
    const later = Date.now() / 1000 + 5;
    utimesSync(path.join(dir, '.git/index'), later, later);
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    return [dir, copy];
  }

  async function throughGit(dir: string): Promise<void> {
    const saved = process.env.CREATE_MIGRATION_GIT_WRITE;
    process.env.CREATE_MIGRATION_GIT_WRITE = 'git';
    try {
      await recordUnmerged(dir, conflicted);
    } finally {
      if (saved === undefined) delete process.env.CREATE_MIGRATION_GIT_WRITE;
      else process.env.CREATE_MIGRATION_GIT_WRITE = saved;
    }
  }

  const sameAsGit = (here: string, viaGit: string) => {
    expect(readFileSync(path.join(here, '.git/index'))).toEqual(readFileSync(path.join(viaGit, '.git/index')));
    expect(gitIn(here, 'ls-files', '--stage')).toBe(gitIn(viaGit, 'ls-files', '--stage'));
    expect(gitIn(here, 'status', '--porcelain')).toBe(gitIn(viaGit, 'status', '--porcelain'));
  };

  it('writes, without git, the bytes git update-index writes: stages and modes, the cache tree invalidated along each path', async () => {
    const [here, viaGit] = pair();
    // git commit left a cache tree (TREE) that the stages must invalidate.
    expect(readFileSync(path.join(here, '.git/index')).includes('TREE')).toBe(true);
    const config = readGitConfig(path.join(here, '.git'))!;
    expect(stageUnmergedHere(path.join(here, '.git'), here, config, stages)).toBe(true);
    await throughGit(viaGit);
    sameAsGit(here, viaGit);
    // And so does sync's recordUnmerged.
    const [mine, gits] = pair();
    await recordUnmerged(mine, conflicted);
    await throughGit(gits);
    sameAsGit(mine, gits);
    expect(gitIn(here, 'ls-files', '--stage', 'run.sh')).toBe(`100755 ${ids.ours} 2\trun.sh\n100644 ${ids.theirs} 3\trun.sh\n`);
    expect(gitIn(here, 'status', '--porcelain')).toMatch(/^UU "docs\/deep\/\\303\\251.md"\nAA run.sh\n/m);
  });

  const fallbacks: [string, (dir: string) => void][] = [
    ['index version 4', (d) => gitIn(d, 'update-index', '--index-version', '4')],
    ['a split index', (d) => gitIn(d, 'update-index', '--split-index')],
    ['an untracked cache', (d) => gitIn(d, 'update-index', '--untracked-cache')],
    ['an index.* setting', (d) => gitIn(d, 'config', 'index.skipHash', 'true')],
    ['a sparse checkout', (d) => gitIn(d, 'config', 'core.sparseCheckout', 'true')],
  ];
  for (const [what, prepare] of fallbacks) {
    it(`leaves it to git with ${what}, and the result is git's`, async () => {
      const [here, viaGit] = pair(prepare);
      const config = readGitConfig(path.join(here, '.git'))!;
      expect(stageUnmergedHere(path.join(here, '.git'), here, config, stages)).toBe(false);
      await recordUnmerged(here, conflicted);
      await throughGit(viaGit);
      sameAsGit(here, viaGit);
    });
  }

  it('writes what git writes for an index with no cache tree (as generate writes it)', async () => {
    const [here, viaGit] = pair((d) => {
      rmSync(path.join(d, '.git/index'));
      const all: [string, string, boolean?][] = [...FILES, ['.base', 'base\n'], ['.ours', 'ours\n'], ['.theirs', 'theirs\n']];
      writeIndex(path.join(d, '.git'), d, all.map(([p, text, exec]) => ({ path: p, id: blobId(Buffer.from(text)), executable: exec })));
    });
    expect(readFileSync(path.join(here, '.git/index')).includes('TREE')).toBe(false);
    expect(stageUnmergedHere(path.join(here, '.git'), here, readGitConfig(path.join(here, '.git'))!, stages)).toBe(true);
    await throughGit(viaGit);
    sameAsGit(here, viaGit);
  });

  it('keeps a resolve-undo record (REUC) as git keeps it', async () => {
    const [here, viaGit] = pair((d) => {
      // A conflict on README.md resolved with git add: git records its stages, to undo that.
      const lines = `0 ${'0'.repeat(40)}\tREADME.md\n100644 ${ids.base} 1\tREADME.md\n100644 ${ids.ours} 2\tREADME.md\n`;
      execFileSync('git', ['update-index', '--index-info'], { cwd: d, input: lines });
      gitIn(d, 'add', 'README.md');
    });
    expect(readFileSync(path.join(here, '.git/index')).includes('REUC')).toBe(true);
    expect(stageUnmergedHere(path.join(here, '.git'), here, readGitConfig(path.join(here, '.git'))!, stages)).toBe(true);
    await throughGit(viaGit);
    sameAsGit(here, viaGit);
  });

  it('leaves it to git for a file already conflicted (git keeps its stages to undo) and for a racily clean entry', async () => {
    const [here] = pair();
    const config = readGitConfig(path.join(here, '.git'))!;
    // Racily clean: README.md recorded with an mtime not older than the index's.
    const now = Date.now() / 1000 + 10;
    utimesSync(path.join(here, 'README.md'), now, now);
    gitIn(here, 'update-index', 'README.md');
    utimesSync(path.join(here, '.git/index'), now, now);
    expect(stageUnmergedHere(path.join(here, '.git'), here, config, stages)).toBe(false);
    const [again] = pair();
    await recordUnmerged(again, conflicted);
    expect(stageUnmergedHere(path.join(again, '.git'), again, readGitConfig(path.join(again, '.git'))!, stages)).toBe(false);
  });

  it('writes nothing while another git holds the index lock', () => {
    const [here] = pair();
    const before = readFileSync(path.join(here, '.git/index'));
    writeFileSync(path.join(here, '.git/index.lock'), '');
    expect(stageUnmergedHere(path.join(here, '.git'), here, readGitConfig(path.join(here, '.git'))!, stages)).toBe(false);
    expect(readFileSync(path.join(here, '.git/index'))).toEqual(before);
  });
});

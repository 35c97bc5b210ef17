import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitIdent, readGitConfig } from '../src/edge/git/git-config.js';
import { writePristine } from '../src/edge/git/objects.js';
import { deflateAhead, editTree, ObjectBatch, type TreeChange } from '../src/edge/git/object-write.js';
import { plainTreePath } from '../src/edge/git/tree-path.js';
import { tempDir } from './helpers/cli.js';
import { gitIn, recordingGit } from './helpers/git.js';

// Sync and generate write the pristine commit, its trees and blobs, and move the branch
// in-process (no git process) wherever that is exactly what git's fast-import would have done;
// everywhere else they start git as before. Both halves are proved here against git itself.

const IDENT = { GIT_AUTHOR_NAME: 'Test User', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test User', GIT_COMMITTER_EMAIL: 'test@example.com', GIT_CONFIG_NOSYSTEM: '1' };
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(IDENT)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const enc = (s: string) => Buffer.from(s);
const BRANCH = 'migration-template';

/** A work tree with one commit on main, as a generated project has. */
function project(dir: string, ...initArgs: string[]): string {
  mkdirSync(dir, { recursive: true });
  gitIn(dir, 'init', '-q', '-b', 'main', ...initArgs);
  writeFileSync(path.join(dir, 'README.md'), 'team\n');
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', 'start');
  return dir;
}

function gitDirOf(dir: string): string {
  return realpathSync(path.resolve(dir, gitIn(dir, 'rev-parse', '--git-common-dir').trim()));
}

/** A git on PATH that logs each call: what `fn` started. */
async function gitCalls<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  const git = recordingGit(tempDir());
  const before = process.env.PATH;
  process.env.PATH = git.env.PATH;
  try {
    return { result: await fn(), calls: git.calls() };
  } finally {
    process.env.PATH = before;
  }
}

/** Whether fn wrote in-process: no git process at all. */
async function inProcess<T>(fn: () => Promise<T>): Promise<T> {
  const { result, calls } = await gitCalls(fn);
  expect(calls).toEqual([]);
  return result;
}

/** Whether fn left the writing to git fast-import. */
async function byGit<T>(fn: () => Promise<T>): Promise<T> {
  const { result, calls } = await gitCalls(fn);
  expect(calls.some((c) => /\bfast-import\b/.test(c))).toBe(true);
  return result;
}

/** With sync's git writer forced: what fast-import makes. */
async function withGitWriter<T>(fn: () => Promise<T>): Promise<T> {
  process.env.CREATE_MIGRATION_GIT_WRITE = 'git';
  try {
    return await fn();
  } finally {
    delete process.env.CREATE_MIGRATION_GIT_WRITE;
  }
}

/** A commit's text with its times taken out: the rest must be byte for byte git's. */
const commitText = (dir: string, id: string) => gitIn(dir, 'cat-file', 'commit', id).replace(/> \d+ [+-]\d{4}$/gm, '> T');
const lastReflog = (dir: string, ref: string) => {
  const lines = readFileSync(path.join(gitDirOf(dir), 'logs', ref), 'utf8').trimEnd().split('\n');
  return lines.at(-1)!.replace(/> \d+ [+-]\d{4}\t/, '> T\t');
};

const FIRST = new Map<string, Uint8Array>([
  ['README.md', enc('# Migration\n')],
  ['docs/phases/01-discovery.md', enc('discover\n')],
  ['docs/runbook.md', enc('run\n')],
  ['scripts/run.sh', enc('#!/bin/sh\necho hi\n')],
  ['empty', enc('')],
  ['a-b/c', enc('sorted after a.b and before a/ as git sorts\n')],
  ['a.b', enc('x\n')],
  ['a/z', enc('y\n')],
]);
const FIRST_EXEC = new Set(['scripts/run.sh']);

describe('in-process git writer', () => {
  it('writes the pristine commit fast-import would, with no git process: same trees, blobs, commit text and reflog line, in one pack git verifies', async () => {
    const tmp = tempDir();
    const here = project(path.join(tmp, 'here'));
    const there = project(path.join(tmp, 'there'));
    const extra = [enc('a conflict base\n'), enc('team\n')];
    const a = await inProcess(() => writePristine(here, FIRST, 'Template kailash-migration 1.0.0', undefined, extra, undefined, { now: FIRST_EXEC }));
    const b = await byGit(() => withGitWriter(() => writePristine(there, FIRST, 'Template kailash-migration 1.0.0', undefined, extra, undefined, { now: FIRST_EXEC })));
    // One pack and its index, which git itself checks entry by entry.
    const packs = readdirSync(path.join(gitDirOf(here), 'objects/pack'));
    expect(packs.filter((n) => n.endsWith('.idx'))).toHaveLength(1);
    expect(packs.some((n) => n.startsWith('tmp_'))).toBe(false);
    const verified = gitIn(here, 'verify-pack', '-v', path.join(gitDirOf(here), 'objects/pack', packs.find((n) => n.endsWith('.idx'))!));
    expect(verified).toContain(a.commit);
    expect(verified).toMatch(/non delta: 1\d objects/);
    expect(a.blobs).toEqual(b.blobs);
    expect(commitText(here, a.commit)).toBe(commitText(there, b.commit));
    expect(gitIn(here, 'rev-parse', `${BRANCH}^{tree}`)).toBe(gitIn(there, 'rev-parse', `${BRANCH}^{tree}`));
    expect(gitIn(here, 'ls-tree', '-r', BRANCH)).toContain('100755 blob');
    expect(lastReflog(here, `refs/heads/${BRANCH}`)).toBe(lastReflog(there, `refs/heads/${BRANCH}`).replace(b.commit, a.commit));
    expect(gitIn(here, 'fsck', '--strict', '--no-dangling')).toBe('');
    for (const [i, blob] of extra.entries()) expect(gitIn(here, 'cat-file', 'blob', a.blobs[i]!)).toBe(blob.toString());
    // The work tree and index are the team's: untouched.
    expect(gitIn(here, 'status', '--porcelain')).toBe('');
  });

  it('an update on top of its parent: removals, changes, an executable bit flipped, a file where a folder was and a folder where a file was', async () => {
    const tmp = tempDir();
    const sides = [project(path.join(tmp, 'here')), project(path.join(tmp, 'there'))] as const;
    const next = new Map(FIRST);
    next.delete('docs/runbook.md');
    next.set('README.md', enc('# Migration, v2\n'));
    next.delete('a/z');
    next.set('a', enc('now a file\n'));
    next.delete('a.b');
    next.set('a.b/inner', enc('now a folder\n'));
    const commits: string[] = [];
    for (const [i, dir] of sides.entries()) {
      const write = () => writePristine(dir, FIRST, 'v1', undefined, [], undefined, { now: FIRST_EXEC });
      const first = i === 0 ? await inProcess(write) : await withGitWriter(write);
      const update = () => writePristine(dir, next, 'v2', first.commit, [], FIRST, { now: new Set(['empty']), parent: FIRST_EXEC });
      const second = i === 0 ? await inProcess(update) : await withGitWriter(update);
      commits.push(second.commit);
      expect(gitIn(dir, 'rev-parse', `${BRANCH}^`).trim()).toBe(first.commit);
    }
    expect(gitIn(sides[0], 'ls-tree', '-r', BRANCH)).toBe(gitIn(sides[1], 'ls-tree', '-r', BRANCH));
    expect(gitIn(sides[0], 'ls-tree', '-r', '--name-only', BRANCH).trim().split('\n')).toEqual(['README.md', 'a', 'a-b/c', 'a.b/inner', 'docs/phases/01-discovery.md', 'empty', 'scripts/run.sh']);
    expect(commitText(sides[0], commits[0]!)).toBe(commitText(sides[1], commits[1]!).replace(/^parent \S+$/m, `parent ${gitIn(sides[0], 'rev-parse', `${BRANCH}^`).trim()}`));
    expect(gitIn(sides[0], 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('an update edits only the trees on the way to its changes: the same trees git makes from an index with those changes', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const files: Record<string, string> = {
      'README.md': 'r\n',
      'docs/a.md': 'a\n',
      'docs/deep/b.md': 'b\n',
      'docs/deep/er/c.md': 'c\n',
      'only/one.md': 'one\n',
      'x': 'file to become a folder\n',
      'keep/k.md': 'k\n',
    };
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), t);
    }
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'parent');
    const parentTree = gitIn(dir, 'rev-parse', 'HEAD^{tree}').trim();
    const blob = (t: string) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: t, encoding: 'utf8' }).trim();
    const cases: [string, Record<string, string | null>][] = [
      ['a change deep down', { 'docs/deep/er/c.md': 'c2\n' }],
      ['a folder emptied goes, its parent stays', { 'docs/deep/er/c.md': null, 'docs/deep/b.md': null }],
      ['the last file of a top folder', { 'only/one.md': null }],
      ['a file removed and a folder of that name made', { x: null, 'x/inner.md': 'inside\n' }],
      ['new folders and an executable', { 'new/sub/n.sh': '#!/bin/sh\n', 'README.md': 'r2\n' }],
    ];
    const config = readGitConfig(gitDirOf(dir))!;
    for (const [name, change] of cases) {
      const changes = new Map<string, TreeChange>();
      for (const [p, t] of Object.entries(change)) changes.set(p, t === null ? null : { mode: p.endsWith('.sh') ? '100755' : '100644', id: blob(t) });
      const batch = ObjectBatch.open(gitDirOf(dir), config)!;
      const read = (id: string) => {
        const o = batch.read(id);
        return o?.type === 'tree' ? o.body : undefined;
      };
      const ours = await editTree(batch, read, parentTree, changes);
      batch.finish();
      // git's answer: the parent's tree in a scratch index, the same changes, write-tree.
      const env = { ...process.env, GIT_INDEX_FILE: path.join(dir, '.git', 'scratch-index') };
      const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
      g('read-tree', parentTree);
      for (const [p, c] of changes) {
        if (c === null) g('update-index', '--force-remove', p);
        else g('update-index', '--add', '--replace', '--cacheinfo', `${c.mode},${c.id},${p}`);
      }
      expect(ours, name).toBe(g('write-tree').trim());
      expect(gitIn(dir, 'ls-tree', '-r', ours!), name).toBe(g('ls-files', '-s').replace(/^(\d+) (\S+) 0\t/gm, (_m, mode: string, id: string) => `${mode} blob ${id}\t`));
    }
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('names outside ASCII: trees sorted by their UTF-8 bytes as git sorts them, and read back to be edited, the same trees as fast-import makes', async () => {
    // U+FF5A (UTF-8 EF BD 9A) sorts before U+1F600 (F0 9F 98 80) by bytes, after it by UTF-16 units.
    const names = ['\u{FF5A}.md', '\u{1F600}.md', 'é.md', 'e.md', '~.md', 'a.b', 'a-b', 'a0', 'a/x.md', '\u{FF5A}/in.md', '\u{1F600}/in.md', 'dé/ü/x.md', 'dé/u.md'];
    const first = new Map(names.map((n) => [n, enc(`${n}\n`)] as [string, Uint8Array]));
    const second = new Map(first).set('dé/ü/x.md', enc('changed\n')).set('\u{1F600}/new.md', enc('new\n'));
    second.delete('\u{FF5A}/in.md');
    const base = tempDir();
    const here = project(path.join(base, 'here'));
    const byGit = project(path.join(base, 'git'));
    const a = await inProcess(() => writePristine(here, first, 'v1', undefined, []));
    const b = await inProcess(() => writePristine(here, second, 'v2', a.commit, [], first));
    process.env.CREATE_MIGRATION_GIT_WRITE = 'git';
    try {
      const ga = await writePristine(byGit, first, 'v1', undefined, []);
      await writePristine(byGit, second, 'v2', ga.commit, [], first);
    } finally {
      delete process.env.CREATE_MIGRATION_GIT_WRITE;
    }
    const tree = (dir: string, rev: string) => gitIn(dir, 'rev-parse', `${rev}^{tree}`).trim();
    expect(tree(here, a.commit)).toBe(tree(byGit, `${BRANCH}~1`));
    expect(tree(here, b.commit)).toBe(tree(byGit, BRANCH));
    expect(gitIn(here, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('folders git has not made yet (objects/pack, the reflogs, a branch in a folder) are made as the pack and the branch are written', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const gitDir = gitDirOf(dir);
    rmSync(path.join(gitDir, 'objects/pack'), { recursive: true });
    rmSync(path.join(gitDir, 'logs'), { recursive: true });
    const branch = 'templates/sub/pristine';
    const w = await inProcess(() => writePristine(dir, FIRST, 'v1', undefined, [], undefined, undefined, branch));
    expect(gitIn(dir, 'rev-parse', `refs/heads/${branch}`).trim()).toBe(w.commit);
    expect(readFileSync(path.join(gitDir, 'logs/refs/heads', branch), 'utf8')).toMatch(new RegExp(`^0{40} ${w.commit} .*\tfast-import\n$`));
    expect(readdirSync(path.join(gitDir, 'objects/pack')).filter((f) => f.endsWith('.idx'))).toHaveLength(1);
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it("paths fast-import would not take as they are (an empty, '.' or '..' part, a NUL) are told apart from plain ones, dots inside names included", () => {
    for (const p of ['a', 'a/b', '.a', 'a.', 'a..b', '...', 'a/.b/c', '.../x', 'é/ü']) expect(plainTreePath(p), p).toBe(true);
    for (const p of ['', '.', '..', './a', 'a/.', 'a/./b', 'a/../b', 'a/..', '/a', 'a/', 'a//b', 'a\0b', '\0']) expect(plainTreePath(p), JSON.stringify(p)).toBe(false);
  });

  it('a big blob goes into the pack and reads back whole', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const big = Buffer.from(Array.from({ length: 60000 }, (_, i) => `line ${i} of a big file\n`).join(''));
    await inProcess(() => writePristine(dir, new Map([['big.txt', big]]), 'big', undefined, []));
    expect(execFileSync('git', ['cat-file', 'blob', `${BRANCH}:big.txt`], { cwd: dir, maxBuffer: 1 << 26 }).equals(big)).toBe(true);
  });

  it("big blobs deflated ahead on another thread (a sync's new pristine file) go into the pack as git reads them, with the ids git computes; one not asked ahead is deflated in turn", async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const there = project(path.join(tempDir(), 'there'));
    const ahead = Buffer.from(Array.from({ length: 40000 }, (_, i) => `  const value${i} = compute(theirs, ${i});\n`).join(''));
    const inTurn = Buffer.from(Array.from({ length: 30000 }, (_, i) => `other ${i}\n`).join(''));
    const ours = Buffer.from(Array.from({ length: 40000 }, (_, i) => `  const value${i} = compute(ours, ${i});\n`).join(''));
    deflateAhead(ahead);
    deflateAhead(ours);
    const files = new Map([['src/big.py', ahead], ['src/other.txt', inTurn]]);
    const a = await inProcess(() => writePristine(dir, files, 'big', undefined, [ours, ahead]));
    const b = await byGit(() => withGitWriter(() => writePristine(there, files, 'big', undefined, [ours, ahead])));
    expect(a.blobs).toEqual(b.blobs);
    expect(gitIn(dir, 'rev-parse', `${BRANCH}^{tree}`)).toBe(gitIn(there, 'rev-parse', `${BRANCH}^{tree}`));
    for (const [name, body] of files) expect(execFileSync('git', ['cat-file', 'blob', `${BRANCH}:${name}`], { cwd: dir, maxBuffer: 1 << 26 }).equals(body), name).toBe(true);
    expect(execFileSync('git', ['cat-file', 'blob', a.blobs[0]!], { cwd: dir, maxBuffer: 1 << 26 }).equals(ours)).toBe(true);
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('bodies on either side of the small-object window (8 KiB) read back whole, repeats far apart included', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    // A repeat 8 KiB back is just outside the small window: both deflate settings must still give git the bytes.
    const chunk = Buffer.from(Array.from({ length: 4096 }, (_, i) => 33 + ((i * 7919) % 94)));
    const sizes = [8191, 8192, 8193, 12288, 16384];
    const files = new Map(sizes.map((n) => [`f${n}.txt`, Buffer.concat([chunk, Buffer.alloc(Math.max(0, n - 2 * 4096), 120), chunk]).subarray(0, n)]));
    await inProcess(() => writePristine(dir, files, 'sizes', undefined, []));
    for (const [name, body] of files) expect(execFileSync('git', ['cat-file', 'blob', `${BRANCH}:${name}`], { cwd: dir }).equals(body), name).toBe(true);
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('trees and the commit stored whole in the pack, blobs deflated, read back as git wrote them: the same tree as fast-import makes, the pack verified, no blob readable in it', async () => {
    const base = tempDir();
    // Bytes of 0xff push Adler-32's sums furthest between its reductions; a folder of 400 files
    // makes a tree over 5552 bytes (more than one reduction) and under 16 KiB, one of 900 a tree over it.
    const ff = (n: number) => Buffer.alloc(n, 0xff);
    const files = new Map<string, Uint8Array>([
      ['empty.txt', Buffer.alloc(0)],
      ['small/511.bin', ff(511)],
      ['small/512.bin', ff(512)],
      ['small/513.bin', ff(513)],
      ...Array.from({ length: 400 }, (_, i) => [`many/file-with-a-longer-name-${i}.txt`, enc(`${i}\n`)] as [string, Uint8Array]),
      ...Array.from({ length: 900 }, (_, i) => [`more/file-with-a-longer-name-${i}.txt`, enc(`more ${i}\n`)] as [string, Uint8Array]),
    ]);
    const here = project(path.join(base, 'here'));
    const byGit = project(path.join(base, 'git'));
    const ours = await inProcess(() => writePristine(here, files, 'stored', undefined, []));
    process.env.CREATE_MIGRATION_GIT_WRITE = 'git';
    try {
      await writePristine(byGit, files, 'stored', undefined, []);
    } finally {
      delete process.env.CREATE_MIGRATION_GIT_WRITE;
    }
    expect(gitIn(here, 'rev-parse', `${ours.commit}^{tree}`).trim()).toBe(gitIn(byGit, 'rev-parse', `${BRANCH}^{tree}`).trim());
    expect(gitIn(here, 'ls-tree', `${BRANCH}:many`).trim().split('\n').length).toBe(400);
    for (const name of ['small/511.bin', 'small/512.bin', 'small/513.bin', 'empty.txt', 'more/file-with-a-longer-name-899.txt']) {
      expect(execFileSync('git', ['cat-file', 'blob', `${BRANCH}:${name}`], { cwd: here }).equals(Buffer.from(files.get(name)!)), name).toBe(true);
    }
    expect(gitIn(here, 'fsck', '--strict', '--no-dangling')).toBe('');
    const packs = readdirSync(path.join(gitDirOf(here), 'objects/pack')).filter((f) => f.endsWith('.idx'));
    for (const idx of packs) gitIn(here, 'verify-pack', path.join(gitDirOf(here), 'objects/pack', idx));
    // A file's text never stands readable in .git: blobs go in deflated, even the smallest.
    const all = Buffer.concat(packs.map((idx) => readFileSync(path.join(gitDirOf(here), 'objects/pack', idx.replace(/\.idx$/, '.pack')))));
    expect(all.includes('more 899\n')).toBe(false);
    // (A tree, stored whole, does show its names.)
    expect(all.includes('100644 513.bin')).toBe(true);
  });

  it('a pack over 1 MiB (a blob that does not compress) ends with the checksum git reads, as a small one does', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const noise = randomBytes(1536 << 10);
    const ours = await inProcess(() => writePristine(dir, new Map([['big.bin', noise], ['small.txt', enc('small\n')]]), 'big', undefined, []));
    expect(execFileSync('git', ['cat-file', 'blob', `${ours.commit}:big.bin`], { cwd: dir, maxBuffer: 8 << 20 }).equals(noise)).toBe(true);
    const packDir = path.join(gitDirOf(dir), 'objects/pack');
    const packs = readdirSync(packDir).filter((f) => f.endsWith('.pack'));
    expect(packs.some((f) => statSync(path.join(packDir, f)).size > 1 << 20)).toBe(true);
    for (const f of packs) gitIn(dir, 'verify-pack', path.join(packDir, f.replace(/\.pack$/, '.idx')));
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('moves a branch git keeps in packed-refs, as git would: a loose ref over the packed one', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const first = await writePristine(dir, FIRST, 'v1', undefined, []);
    gitIn(dir, 'pack-refs', '--all');
    expect(existsSync(path.join(gitDirOf(dir), 'refs/heads', BRANCH))).toBe(false);
    const second = await inProcess(() => writePristine(dir, new Map([['README.md', enc('v2\n')]]), 'v2', first.commit, []));
    expect(gitIn(dir, 'rev-parse', BRANCH).trim()).toBe(second.commit);
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('a held lock on the branch: git is left to say so, the lock and the branch stay as they were', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const first = await writePristine(dir, FIRST, 'v1', undefined, []);
    const lock = path.join(gitDirOf(dir), 'refs/heads', `${BRANCH}.lock`);
    writeFileSync(lock, 'someone else\n');
    await expect(writePristine(dir, new Map([['README.md', enc('v2\n')]]), 'v2', first.commit, [])).rejects.toThrow(/lock/i);
    expect(readFileSync(lock, 'utf8')).toBe('someone else\n');
    expect(gitIn(dir, 'rev-parse', BRANCH).trim()).toBe(first.commit);
  });

  it('a branch that moved since sync read it is not moved over: git decides (and refuses)', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    const first = await writePristine(dir, FIRST, 'v1', undefined, []);
    const moved = await writePristine(dir, new Map([['x', enc('x\n')]]), 'elsewhere', first.commit, []);
    await expect(writePristine(dir, new Map([['y', enc('y\n')]]), 'stale', first.commit, [])).rejects.toThrow();
    expect(gitIn(dir, 'rev-parse', BRANCH).trim()).toBe(moved.commit);
  });

  // Each of these is a repository git writes differently from the plain case (or that only git
  // may judge): the writer must step aside, and fast-import (a pack) write the same commit.
  const fallbacks: [string, (dir: string) => string][] = [
    ['sha256 object format', (dir) => project(dir, '--object-format=sha256')],
    ['core.compression set', (dir) => (project(dir), gitIn(dir, 'config', 'core.compression', '9'), dir)],
    ['core.looseCompression set', (dir) => (project(dir), gitIn(dir, 'config', 'core.looseCompression', '0'), dir)],
    ['core.sharedRepository (group permissions)', (dir) => (project(dir), gitIn(dir, 'config', 'core.sharedRepository', 'group'), dir)],
    ['core.logAllRefUpdates off', (dir) => (project(dir), gitIn(dir, 'config', 'core.logAllRefUpdates', 'false'), dir)],
    ['a config include (only git reads it)', (dir) => {
      project(dir);
      writeFileSync(path.join(dir, '..', 'extra.cfg'), '[core]\n\tcompression = 9\n');
      gitIn(dir, 'config', 'include.path', path.join(dir, '..', 'extra.cfg'));
      return dir;
    }],
    ['alternates', (dir) => {
      const other = project(`${dir}-other`);
      project(dir);
      writeFileSync(path.join(dir, '.git/objects/info/alternates'), `${path.join(other, '.git/objects')}\n`);
      return dir;
    }],
    ['a linked worktree', (dir) => {
      const main = project(`${dir}-main`);
      gitIn(main, 'worktree', 'add', '-q', '-b', 'side', dir);
      return dir;
    }],
  ];
  for (const [name, make] of fallbacks) {
    it(`falls back to git fast-import: ${name}`, async () => {
      const dir = make(path.join(tempDir(), 'p'));
      const r = await byGit(() => writePristine(dir, FIRST, 'v1', undefined, [enc('base\n')], undefined, { now: FIRST_EXEC }));
      expect(gitIn(dir, 'rev-parse', BRANCH).trim()).toBe(r.commit);
      expect(gitIn(dir, 'ls-tree', '-r', '--name-only', BRANCH).trim().split('\n')).toHaveLength(FIRST.size);
      expect(gitIn(dir, 'cat-file', 'blob', r.blobs[0]!)).toBe('base\n');
    });
  }

  it('falls back where the environment moves the repository (GIT_DIR) or asks for git itself', async () => {
    const dir = project(path.join(tempDir(), 'p'));
    process.env.GIT_INDEX_FILE = path.join(dir, '.git/index');
    let r1: { commit: string };
    try {
      r1 = await byGit(() => writePristine(dir, FIRST, 'v1', undefined, []));
    } finally {
      delete process.env.GIT_INDEX_FILE;
    }
    await byGit(() => withGitWriter(() => writePristine(dir, new Map([['x', enc('x\n')]]), 'v2', r1.commit, [])));
  });
});

describe("git's config read in-process", () => {
  it('gives the identity `git var` gives, from the repository config over the user\'s', () => {
    const tmp = tempDir();
    const home = path.join(tmp, 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Home User\n\temail = home@example.com\n[core]\n\tautocrlf = input ; a comment\n');
    const dir = path.join(tmp, 'p');
    mkdirSync(dir);
    const env = { PATH: process.env.PATH!, HOME: home, GIT_CONFIG_NOSYSTEM: '1', TZ: 'UTC' };
    execFileSync('git', ['init', '-q'], { cwd: dir, env });
    execFileSync('git', ['config', 'user.name', 'Repo User'], { cwd: dir, env });
    const config = readGitConfig(path.join(dir, '.git'), env)!;
    expect(config).toBeDefined();
    const now = Math.floor(Date.now() / 1000);
    const ours = gitIdent(config, 'committer', now, env)!;
    const gits = execFileSync('git', ['var', 'GIT_COMMITTER_IDENT'], { cwd: dir, env, encoding: 'utf8' }).trim();
    expect(ours.replace(/ \d+ /, ' T ')).toBe(gits.replace(/ \d+ /, ' T '));
    expect(ours).toMatch(/^Repo User <home@example\.com> /);
    expect(config).toContainEqual(['core.autocrlf', 'input']);
  });

  it('reads the settings git reads from plain lines: comments cut, blanks around trimmed, tabs inside made spaces, CRLF lines, bare keys, subsections', () => {
    const tmp = tempDir();
    const gitDir = path.join(tmp, '.git');
    mkdirSync(gitDir);
    const env = { PATH: process.env.PATH!, HOME: tmp, GIT_CONFIG_NOSYSTEM: '1' };
    const file = path.join(gitDir, 'config');
    const texts = [
      '[core]\n\tautocrlf = input ; a comment\n\tbare\n[User]\n  Name =  A \t B  # comment\t\n',
      '[a "Sub.Name"]\r\n\tk = v\r\n\tempty =\r\n\tx=1;2\r\n',
      '; only a comment\n# another\n[s]\n\tk1=a\tb\tc \t\n\tK2 = #\n\tk3\t=\tv\n',
    ];
    for (const text of texts) {
      writeFileSync(file, text);
      const ours = readGitConfig(gitDir, env);
      expect(ours, text).toBeDefined();
      const gits = execFileSync('git', ['config', '--file', file, '--list'], { encoding: 'utf8' }).trim().split('\n');
      expect(ours!.map(([k, v]) => (v === null ? k : `${k}=${v}`)), text).toEqual(gits);
    }
  });

  it('answers "ask git" for what it does not read exactly: includes, quoting, continued lines, config moved by the environment', () => {
    const tmp = tempDir();
    const dir = path.join(tmp, 'p');
    mkdirSync(dir);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const env = { PATH: process.env.PATH!, HOME: tmp, GIT_CONFIG_NOSYSTEM: '1' };
    const cfg = path.join(dir, '.git/config');
    const plain = readFileSync(cfg, 'utf8');
    expect(readGitConfig(path.join(dir, '.git'), env)).toBeDefined();
    for (const extra of ['[include]\n\tpath = x\n', '[user]\n\tname = "Quoted"\n', '[user]\n\tname = a \\\n b\n', '[includeIf "gitdir:/x/"]\n\tpath = y\n']) {
      writeFileSync(cfg, plain + extra);
      expect(readGitConfig(path.join(dir, '.git'), env), extra).toBeUndefined();
    }
    writeFileSync(cfg, plain);
    expect(readGitConfig(path.join(dir, '.git'), { ...env, GIT_CONFIG_GLOBAL: path.join(tmp, 'g') })).toBeUndefined();
    // An identity git would have to guess (no name anywhere) is git's to make.
    expect(gitIdent(readGitConfig(path.join(dir, '.git'), env)!, 'committer', 0, env)).toBeUndefined();
  });
});

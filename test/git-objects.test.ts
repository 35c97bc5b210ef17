import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectFiles, readCommitFiles, readCommitFilesOnce } from '../src/edge/git/object-files.js';
import { tempDir, testEnv } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// Sync reads its base (the pristine branch) from git's object files instead of starting
// `git cat-file`: every answer must be git's own, whether the objects are loose, packed whole or
// packed as deltas (against an offset or an id); where it cannot be sure, it must say so.

const LIMITS = { each: 16 << 20, total: 256 << 20 };

/** A repository whose files change over several commits (so that a repack makes delta chains). */
function repoWithHistory(dir: string): void {
  mkdirSync(path.join(dir, 'docs/deep/er'), { recursive: true });
  gitIn(dir, 'init', '-q', '-b', 'main');
  const body = Array.from({ length: 400 }, (_, i) => `line ${i} of a file long enough to delta well\n`).join('');
  for (let n = 0; n < 6; n++) {
    writeFileSync(path.join(dir, 'a.txt'), body.replace(`line ${n * 7} `, `line ${n * 7} (edit ${n}) `));
    writeFileSync(path.join(dir, 'docs/deep/er/b.md'), `${body}\nversion ${n}\n`);
    writeFileSync(path.join(dir, 'docs/c.md'), `c ${n}\n`);
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', `c${n}`);
  }
  symlinkSync('a.txt', path.join(dir, 'link'));
  writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'run.sh'), 0o755);
  writeFileSync(path.join(dir, 'empty'), '');
  // Bigger than zlib's 16 KiB output piece: inflated whole into one buffer of the entry's size.
  writeFileSync(path.join(dir, 'big.txt'), Array.from({ length: 8000 }, (_, i) => `big line ${i}\n`).join(''));
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', 'last');
}

/** Every object git has, as `git cat-file` gives it. */
function gitsObjects(dir: string): { sha: string; type: string; body: Buffer }[] {
  const list = gitIn(dir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)').trim().split('\n');
  return list.map((l) => {
    const [sha, type] = l.split(' ') as [string, string];
    return { sha, type, body: execFileSync('git', ['cat-file', type, sha], { cwd: dir, env: testEnv() }) };
  });
}

const gitDirOf = (dir: string) => realpathSync(path.join(dir, '.git'));

/** Whether the pack holds delta entries (verify-pack lists a chain length for them). */
const hasDeltas = (dir: string) => {
  const pack = readdirSync(path.join(dir, '.git/objects/pack')).find((n) => n.endsWith('.idx'))!;
  return /chain length = [1-9]/.test(gitIn(dir, 'verify-pack', '-v', path.join('.git/objects/pack', pack)));
};

function expectSameObjects(dir: string): void {
  const objects = ObjectFiles.open(gitDirOf(dir), LIMITS, {})!;
  expect(objects).toBeDefined();
  try {
    const all = gitsObjects(dir);
    expect(all.length).toBeGreaterThan(20);
    for (const o of all) {
      const got = objects.read(o.sha);
      expect(got?.type, o.sha).toBe(o.type);
      expect(Buffer.compare(got!.body, o.body), `${o.type} ${o.sha}`).toBe(0);
    }
  } finally {
    objects.close();
  }
}

/** What `git cat-file --batch` answers for commit:path, as readCommitPaths keeps it (blobs only). */
function gitsPaths(dir: string, commit: string, paths: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const p of paths) {
    const r = execFileSync('git', ['cat-file', '--batch'], { cwd: dir, input: `${commit}:${p}\n`, env: testEnv() });
    const nl = r.indexOf(10);
    const [, type, size] = r.subarray(0, nl).toString().split(' ');
    if (type === 'blob') out.set(p, r.subarray(nl + 1, nl + 1 + Number(size)));
  }
  return out;
}

const PATHS = ['a.txt', 'docs/deep/er/b.md', 'docs/c.md', 'link', 'run.sh', 'empty', 'missing', 'docs', 'docs/deep', 'a.txt/x', 'docs/nope/x', 'sub'];

describe('reading git objects from files', () => {
  it('reads every loose object as git does', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    expectSameObjects(dir);
  });

  it('reads every packed object, deltas against an offset applied, as git does', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    gitIn(dir, 'repack', '-a', '-d', '-f', '-q', '--depth=50', '--window=50');
    expect(readdirSync(path.join(dir, '.git/objects')).filter((n) => /^[0-9a-f]{2}$/.test(n))).toEqual([]);
    expect(hasDeltas(dir)).toBe(true);
    expectSameObjects(dir);
  });

  it('reads deltas against an object id (REF_DELTA) as git does', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    gitIn(dir, '-c', 'repack.useDeltaBaseOffset=false', 'repack', '-a', '-d', '-f', '-q');
    expect(hasDeltas(dir)).toBe(true);
    expectSameObjects(dir);
  });

  it('reads a commit’s paths as `git cat-file --batch` answers commit:path, from a fast-import pack and from loose objects', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    // A submodule entry, as fast-import writes one, is no blob: left out as git leaves it out.
    const head = gitIn(dir, 'rev-parse', 'HEAD').trim();
    execFileSync('git', ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done'], {
      cwd: dir,
      env: testEnv(),
      input: `commit refs/heads/pristine\ncommitter t <t@e> 0 +0000\ndata 2\nx\nfrom ${head}\nM 160000 ${head} sub\nM 100644 inline docs/c.md\ndata 4\nnew\n\ndone\n`,
    });
    const pristine = gitIn(dir, 'rev-parse', 'pristine').trim();
    // Whether an object is there, without reading it: loose, packed, or neither.
    const store = ObjectFiles.open(gitDirOf(dir), LIMITS, {})!;
    expect(store.has(gitIn(dir, 'rev-parse', `${pristine}:docs/c.md`).trim())).toBe(true);
    expect(store.has(gitIn(dir, 'rev-parse', `${head}:a.txt`).trim())).toBe(true);
    expect(store.has('0123456789abcdef0123456789abcdef01234567')).toBe(false);
    store.close();
    for (const commit of [head, pristine]) {
      const got = readCommitFilesOnce(gitDirOf(dir), commit, PATHS, LIMITS);
      expect(got).toEqual(gitsPaths(dir, commit, PATHS));
    }
    expect(readCommitFilesOnce(gitDirOf(dir), pristine, ['docs/c.md'], LIMITS)?.get('docs/c.md')?.toString()).toBe('new\n');
  });

  it('says it cannot answer, rather than answer wrongly: a corrupt object, alternates, replace refs, an object over the bound', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    const gitDir = gitDirOf(dir);
    const head = gitIn(dir, 'rev-parse', 'HEAD').trim();
    const blob = gitIn(dir, 'rev-parse', 'HEAD:a.txt').trim();
    // Over the bound: git is asked (and its own limit check speaks).
    expect(readCommitFilesOnce(gitDir, head, ['a.txt'], { each: 100, total: 1000 })).toBeUndefined();
    // A loose object whose bytes are not what its id says.
    const file = path.join(gitDir, 'objects', blob.slice(0, 2), blob.slice(2));
    const other = gitIn(dir, 'rev-parse', 'HEAD:docs/c.md').trim();
    const good = readFileSync(file);
    chmodSync(file, 0o644);
    writeFileSync(file, readFileSync(path.join(gitDir, 'objects', other.slice(0, 2), other.slice(2))));
    expect(ObjectFiles.open(gitDir, LIMITS, {})!.read(blob)).toBeUndefined();
    writeFileSync(file, good);
    expect(ObjectFiles.open(gitDir, LIMITS, {})!.read(blob)?.type).toBe('blob');
    // Replace refs: git would read another object.
    gitIn(dir, 'replace', blob, other);
    expect(ObjectFiles.open(gitDir, LIMITS, {})).toBeUndefined();
    expect(ObjectFiles.open(gitDir, LIMITS, { GIT_NO_REPLACE_OBJECTS: '1' })).toBeDefined();
    gitIn(dir, 'replace', '-d', blob);
    expect(ObjectFiles.open(gitDir, LIMITS, {})).toBeDefined();
    // Objects borrowed from elsewhere, or an object directory set in the environment.
    writeFileSync(path.join(gitDir, 'objects/info/alternates'), `${tempDir()}\n`);
    expect(ObjectFiles.open(gitDir, LIMITS, {})).toBeUndefined();
    expect(ObjectFiles.open(gitDir, LIMITS, { GIT_OBJECT_DIRECTORY: gitDir })).toBeUndefined();
  });

  it('reads a commit or tree once a process: read again, it is answered without its file, within the bound; another repository reads its own file', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    const head = gitIn(dir, 'rev-parse', 'HEAD').trim();
    const looseFile = (gitDir: string) => path.join(gitDir, 'objects', head.slice(0, 2), head.slice(2));
    const first = ObjectFiles.open(gitDirOf(dir), LIMITS, {})!.read(head);
    expect(first?.type).toBe('commit');
    // Gone from disk: the commit read already is still the same commit (its id names its bytes).
    rmSync(looseFile(gitDirOf(dir)), { force: true });
    expect(ObjectFiles.open(gitDirOf(dir), LIMITS, {})!.read(head)?.body.equals(first!.body)).toBe(true);
    // The bound still holds for it.
    expect(ObjectFiles.open(gitDirOf(dir), { each: 10, total: 1000 }, {})!.read(head)).toBeUndefined();
    // Another repository holding the same id reads its own file: corrupt there, it cannot answer.
    const theirs = looseFile(gitDirOf(copy));
    chmodSync(theirs, 0o644);
    writeFileSync(theirs, 'not a commit');
    expect(ObjectFiles.open(gitDirOf(copy), LIMITS, {})!.read(head)).toBeUndefined();
  });

  it('walks only the folders the paths are in', () => {
    const dir = tempDir();
    repoWithHistory(dir);
    const objects = ObjectFiles.open(gitDirOf(dir), LIMITS, {})!;
    let reads = 0;
    const read = objects.read.bind(objects);
    objects.read = (sha: string) => {
      reads++;
      return read(sha);
    };
    const head = gitIn(dir, 'rev-parse', 'HEAD').trim();
    expect([...readCommitFiles(objects, head, ['a.txt', 'empty'])!.keys()]).toEqual(['a.txt', 'empty']);
    // The commit, its tree, and the two blobs: no folder below the top.
    expect(reads).toBe(4);
    objects.close();
  });
  it('does not wait on a FIFO planted where a pack should be: it says it cannot answer', () => {
    const dir = tempDir('objfifo');
    repoWithHistory(dir);
    gitIn(dir, 'repack', '-a', '-d', '-q');
    const sha = gitIn(dir, 'rev-parse', 'HEAD:a.txt').trim();
    const packDir = path.join(dir, '.git/objects/pack');
    const pack = readdirSync(packDir).find((n) => n.endsWith('.pack'))!;
    rmSync(path.join(packDir, pack));
    execFileSync('mkfifo', [path.join(packDir, pack)]);
    const objects = ObjectFiles.open(gitDirOf(dir), LIMITS, {})!;
    try {
      expect(objects.read(sha)).toBeUndefined();
    } finally {
      objects.close();
    }
  });
});

import { appendFileSync, chmodSync, cpSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provedClean } from '../src/edge/git/clean.js';
import { ProjectReader } from '../src/edge/project/reader.js';
import { tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// sync refuses a project with uncommitted changes: where the index proves the work tree clean,
// it starts no `git status`. A "clean" from the files must be git's own answer every time; where
// the files do not prove it, the answer is "not proved" and git is asked.

function project(dir: string): string {
  mkdirSync(path.join(dir, 'docs/deep'), { recursive: true });
  writeFileSync(path.join(dir, 'README.md'), '# p\n');
  writeFileSync(path.join(dir, 'docs/deep/a.md'), 'a\n'.repeat(50));
  writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'run.sh'), 0o755);
  gitIn(dir, 'init', '-q', '-b', 'main');
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', 'first');
  return dir;
}

const gitSaysClean = (dir: string) => gitIn(dir, 'status', '--porcelain', '-z', '--untracked-files=no', '--', '.') === '';

/** provedClean, checked against git: a "true" is never wrong. */
function proved(dir: string): boolean {
  const answer = provedClean(dir, new Map(), {});
  if (answer) expect(gitSaysClean(dir)).toBe(true);
  return answer === true;
}

describe('a clean work tree proved from git files', () => {
  it('proves a freshly committed project clean, and a copy of it (new inodes and change times, same content)', () => {
    const dir = project(tempDir());
    expect(proved(dir)).toBe(true);
    const copy = path.join(tempDir(), 'copy');
    cpSync(dir, copy, { recursive: true });
    expect(proved(copy)).toBe(true);
    // An untracked file is not a change (--untracked-files=no).
    writeFileSync(path.join(copy, 'notes.txt'), 'mine\n');
    expect(proved(copy)).toBe(true);
  });

  it('proves nothing from an index whose checksum does not hold (cut short, or a byte changed after git wrote it)', () => {
    const dir = project(tempDir());
    const indexFile = path.join(dir, '.git/index');
    const whole = readFileSync(indexFile);
    expect(proved(dir)).toBe(true);
    // A changed byte in an entry's stat data (its ctime): the entries still parse.
    const edited = Buffer.from(whole);
    edited[12] = edited[12]! ^ 1;
    writeFileSync(indexFile, edited);
    expect(provedClean(dir, new Map(), {})).toBeUndefined();
    const cut = Buffer.concat([whole.subarray(0, whole.length - 20), Buffer.alloc(20)]);
    writeFileSync(indexFile, cut);
    expect(provedClean(dir, new Map(), {})).toBeUndefined();
    writeFileSync(indexFile, whole);
    expect(proved(dir)).toBe(true);
  });

  it('proves nothing when a file changed, even at the same size and with its time put back', () => {
    const dir = project(tempDir());
    const file = path.join(dir, 'docs/deep/a.md');
    const before = statSync(file);
    writeFileSync(file, 'b\n'.repeat(50));
    utimesSync(file, before.atime, before.mtime);
    expect(gitSaysClean(dir)).toBe(false);
    expect(provedClean(dir, new Map(), {})).toBeUndefined();
  });

  it('proves nothing for a staged change, a deleted file, an execute bit changed, or files named as already read that differ', () => {
    const staged = project(tempDir());
    appendFileSync(path.join(staged, 'README.md'), 'more\n');
    gitIn(staged, 'add', 'README.md');
    writeFileSync(path.join(staged, 'README.md'), '# p\n');
    expect(gitSaysClean(staged)).toBe(false);
    expect(provedClean(staged, new Map(), {})).toBeUndefined();

    const deleted = project(tempDir());
    writeFileSync(path.join(deleted, 'x'), '');
    gitIn(deleted, 'add', 'x');
    gitIn(deleted, 'commit', '-qm', 'x');
    expect(proved(deleted)).toBe(true);
    gitIn(deleted, 'rm', '-q', '--cached', 'x');
    expect(provedClean(deleted, new Map(), {})).toBeUndefined();

    const mode = project(tempDir());
    chmodSync(path.join(mode, 'run.sh'), 0o644);
    expect(gitSaysClean(mode)).toBe(false);
    expect(provedClean(mode, new Map(), {})).toBeUndefined();

    const copy = path.join(tempDir(), 'copy');
    cpSync(project(tempDir()), copy, { recursive: true });
    expect(provedClean(copy, new Map([['README.md', Buffer.from('# q\n')]]), {})).toBeUndefined();
    expect(provedClean(copy, new Map([['README.md', readFileSync(path.join(copy, 'README.md'))]]), {})).toBe(true);
  });

  it('takes the stat data kept with files a session read (nanoseconds, mode, from the descriptor read): the same answers as looking at each file', () => {
    const read = (dir: string) => {
      const reader = new ProjectReader(realpathSync(dir), undefined, Infinity, true);
      const known = reader.readMany(['README.md', 'docs/deep/a.md', 'run.sh']);
      for (const bytes of known.values()) expect(reader.statOf(bytes)).toBeDefined();
      return provedClean(dir, known, {}, (b) => reader.statOf(b));
    };
    const copy = path.join(tempDir(), 'copy');
    cpSync(project(tempDir()), copy, { recursive: true });
    expect(read(copy)).toBe(true);
    // Not kept unless asked: a read-only look (status, fleet) keeps none.
    const plain = new ProjectReader(realpathSync(copy), undefined);
    expect(plain.statOf(plain.read('README.md')!)).toBeUndefined();

    const changed = project(tempDir());
    const file = path.join(changed, 'docs/deep/a.md');
    const before = statSync(file);
    writeFileSync(file, 'b\n'.repeat(50));
    utimesSync(file, before.atime, before.mtime);
    expect(gitSaysClean(changed)).toBe(false);
    expect(read(changed)).toBeUndefined();

    const mode = project(tempDir());
    chmodSync(path.join(mode, 'run.sh'), 0o644);
    expect(read(mode)).toBeUndefined();
  });

  it('leaves to git what could convert content or hide a change: attributes, line-ending settings, links, flagged entries, no commit', () => {
    const attrs = project(tempDir());
    writeFileSync(path.join(attrs, '.gitattributes'), '*.md text eol=crlf\n');
    gitIn(attrs, 'add', '.gitattributes');
    gitIn(attrs, 'commit', '-qm', 'attrs');
    expect(provedClean(attrs, new Map(), {})).toBeUndefined();

    const crlf = project(tempDir());
    gitIn(crlf, 'config', 'core.autocrlf', 'true');
    expect(provedClean(crlf, new Map(), {})).toBeUndefined();

    const link = project(tempDir());
    symlinkSync('README.md', path.join(link, 'link'));
    gitIn(link, 'add', 'link');
    gitIn(link, 'commit', '-qm', 'link');
    expect(provedClean(link, new Map(), {})).toBeUndefined();

    const flagged = project(tempDir());
    gitIn(flagged, 'update-index', '--assume-unchanged', 'README.md');
    expect(provedClean(flagged, new Map(), {})).toBeUndefined();

    const unborn = tempDir();
    writeFileSync(path.join(unborn, 'a'), 'a\n');
    gitIn(unborn, 'init', '-q');
    gitIn(unborn, 'add', 'a');
    expect(provedClean(unborn, new Map(), {})).toBeUndefined();

    const env = project(tempDir());
    expect(provedClean(env, new Map(), { GIT_INDEX_FILE: path.join(env, '.git/index') })).toBeUndefined();
    expect(provedClean(env, new Map(), { GIT_CONFIG_PARAMETERS: "'core.autocrlf'='true'" })).toBeUndefined();
    const global = path.join(tempDir(), 'gitconfig');
    writeFileSync(global, '[core]\n\tautocrlf = input\n');
    expect(provedClean(env, new Map(), { GIT_CONFIG_GLOBAL: global })).toBeUndefined();
    expect(provedClean(env, new Map(), { GIT_CONFIG_NOSYSTEM: '1' })).toBe(true);
  });

  it('takes the index cache of trees only when it names HEAD’s tree: after a soft reset, the index is ahead of HEAD', () => {
    const dir = project(tempDir());
    writeFileSync(path.join(dir, 'README.md'), '# p, second\n');
    gitIn(dir, 'commit', '-qam', 'second');
    expect(proved(dir)).toBe(true);
    gitIn(dir, 'reset', '-q', '--soft', 'HEAD~1');
    expect(gitSaysClean(dir)).toBe(false);
    expect(provedClean(dir, new Map(), {})).toBeUndefined();
  });

  it('proves a project clean after a packed history (objects read from the pack)', () => {
    const dir = project(tempDir());
    writeFileSync(path.join(dir, 'docs/deep/a.md'), 'a\n'.repeat(51));
    gitIn(dir, 'commit', '-qam', 'second');
    gitIn(dir, 'gc', '-q');
    expect(proved(dir)).toBe(true);
  });
});

import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writePristine } from '../src/io/git.js';
import { canWriteObjects, updateBranch } from '../src/io/git-objects.js';
import { tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// Sync writes its pristine commit into the project's repository itself when the layout is
// plain. What it writes must be exactly what `git fast-import` writes for the same input, and a
// repository git itself finds sound.

const enc = (s: string) => new TextEncoder().encode(s);
const files = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, enc(v)]));

/** A repository whose pristine branch holds a first render, packed, as generate leaves it. */
async function repoWithPristine(): Promise<{ dir: string; gitDir: string; tip: string }> {
  const dir = path.join(tempDir(), 'p');
  gitIn(path.dirname(dir), 'init', '-q', dir);
  const first = files({ 'README.md': '# one\n', 'src/pkg/a.py': 'a = 1\n', 'src/pkg/b.py': 'b = 1\n', 'docs/x.md': 'x\n', '.migration-template.json': '{}\n' });
  const { commit } = await writePristine(dir, first, 'first\n', undefined, []);
  return { dir, gitDir: path.join(dir, '.git'), tip: commit };
}

const looseObjects = (gitDir: string) =>
  readdirSync(path.join(gitDir, 'objects'))
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => readdirSync(path.join(gitDir, 'objects', d)).map((f) => d + f));

describe('writing the pristine commit without git', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes the very commit fast-import makes, and git finds the repository sound', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_790_000_000_000);
    const a = await repoWithPristine();
    const b = path.join(tempDir(), 'copy');
    cpSync(a.dir, b, { recursive: true });
    // Changed, added (in a new nested folder), removed, and unchanged files, and conflict blobs.
    const next = files({ 'README.md': '# two\n', 'src/pkg/a.py': 'a = 1\n', 'src/pkg/sub/c.py': 'c = 3\n', 'docs/x.md': 'x\n', 'Z-last.md': 'z\n', 'src/pkg.md': 'sorts before the folder src/pkg/\n', '.migration-template.json': '{"v":2}\n' });
    const extra = [enc('base\n'), enc('ours\n'), enc('theirs\n')];
    const viaGit = await writePristine(b, next, "second\n\nbody\n", a.tip, extra);
    const before = looseObjects(a.gitDir).length;
    const ours = await writePristine(a.dir, next, 'second\n\nbody\n', a.tip, extra, undefined, { gitDir: a.gitDir, tip: a.tip });
    expect(ours).toEqual(viaGit);
    expect(gitIn(a.dir, 'rev-parse', 'migration-template').trim()).toBe(ours.commit);
    expect(gitIn(a.dir, 'rev-parse', 'migration-template^').trim()).toBe(a.tip);
    gitIn(a.dir, 'fsck', '--strict', '--no-dangling');
    expect(gitIn(a.dir, 'ls-tree', '-r', '--name-only', 'migration-template').split('\n').filter(Boolean).sort()).toEqual([...next.keys()].sort());
    for (const [i, id] of ours.blobs.entries()) expect(gitIn(a.dir, 'cat-file', 'blob', id)).toBe(['base\n', 'ours\n', 'theirs\n'][i]);
    // Only what the store did not hold was written: the packed, unchanged files were not.
    const written = looseObjects(a.gitDir).length - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(next.size + extra.length + 6);
    expect(gitIn(a.dir, 'reflog', 'show', '--format=%H %gs', 'migration-template').split('\n')[0]).toBe(`${ours.commit} create-migration: pristine render`);
  });

  it('starts the branch when there is none (a fresh clone has only the remote copy)', async () => {
    const a = await repoWithPristine();
    gitIn(a.dir, 'update-ref', '-d', 'refs/heads/migration-template');
    const r = await writePristine(a.dir, files({ 'a.md': 'a\n' }), 'm\n', a.tip, [], undefined, { gitDir: a.gitDir, tip: undefined });
    expect(gitIn(a.dir, 'rev-parse', 'migration-template').trim()).toBe(r.commit);
    gitIn(a.dir, 'fsck', '--strict', '--no-dangling');
  });

  it('refuses to move a branch that moved meanwhile, and leaves no lock behind', async () => {
    const a = await repoWithPristine();
    const ref = path.join(a.gitDir, 'refs/heads/migration-template');
    expect(() => updateBranch(a.gitDir, 'migration-template', 'f'.repeat(40), 'e'.repeat(40), 'x <x@y> 0 +0000', 'test')).toThrow(/moved while this ran/);
    expect(readFileSync(ref, 'utf8').trim()).toBe(a.tip);
    expect(existsSync(`${ref}.lock`)).toBe(false);
    // Another git process holding the lock: refused, the lock is not ours to remove.
    writeFileSync(`${ref}.lock`, '');
    expect(() => updateBranch(a.gitDir, 'migration-template', 'f'.repeat(40), a.tip, 'x <x@y> 0 +0000', 'test')).toThrow(/EEXIST/);
    expect(existsSync(`${ref}.lock`)).toBe(true);
  });

  it('leaves to git the repositories it does not write itself', async () => {
    const a = await repoWithPristine();
    expect(canWriteObjects(a.gitDir)).toBe(true);
    for (const setting of ['[extensions]\n\tobjectFormat = sha256\n', '[core]\n\tsharedRepository = group\n', '[extensions]\n\trefStorage = reftable\n']) {
      const copy = path.join(tempDir(), 'c');
      cpSync(a.dir, copy, { recursive: true });
      appendFileSync(path.join(copy, '.git/config'), setting);
      expect(canWriteObjects(path.join(copy, '.git')), setting).toBe(false);
    }
    const alt = path.join(tempDir(), 'alt');
    cpSync(a.dir, alt, { recursive: true });
    writeFileSync(path.join(alt, '.git/objects/info/alternates'), '/elsewhere/objects\n');
    expect(canWriteObjects(path.join(alt, '.git'))).toBe(false);
  });
});

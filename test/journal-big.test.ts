import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalBytes, type Journal } from '../src/edge/apply.js';
import { holdAndSignal, runCli, snapshot, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

// The journal of a run holds the original bytes of every file it writes. A big file's original
// is written into it without JSON.stringify (see journalBytes): what is read back must be the
// journal, and a run killed outright must be undone from it.

const rel = fc.oneof(fc.constantFrom('src/big.py', 'a "quoted" name', 'back\\slash', 'ünï/cödé 😀', 'ctl\u0001\n'), fc.string({ minLength: 1, maxLength: 12 }));
const original = fc.oneof(
  fc.constant(null),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
  // Big enough to take the unescaped path.
  fc.tuple(fc.integer({ min: 3072, max: 40_000 }), fc.integer()).map(([n, seed]) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)).toString('base64')),
);
const journal: fc.Arbitrary<Journal> = fc.record(
  {
    version: fc.constant(1 as const),
    root: fc.constantFrom('/tmp/p', '/tmp/ü "x"'),
    run: fc.constant('0123456789abcdef'),
    originals: fc.dictionary(rel, original, { maxKeys: 5 }),
    modes: fc.dictionary(rel, fc.integer({ min: 0, max: 0o777 }), { maxKeys: 3 }),
    createdDirs: fc.array(rel, { maxLength: 3 }),
    pristineTip: fc.option(fc.constant('a'.repeat(40)), { nil: null }),
    index: fc.boolean(),
    branch: fc.record({ name: fc.constant('up'), from: fc.constant('refs/heads/main') }),
  },
  { requiredKeys: ['version', 'originals', 'createdDirs'] },
);

describe('journalBytes', () => {
  it('reads back as the journal it wrote, big originals and every kind of path name included', () => {
    fc.assert(
      fc.property(journal, (j) => {
        const bytes = journalBytes(j);
        expect(JSON.parse(bytes.toString('utf8'))).toEqual(j);
        expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(j)));
      }),
      { seed: 26, numRuns: 300 },
    );
  });

  it('writes a big original unescaped, once', () => {
    const big = Buffer.alloc(100_000, 'x').toString('base64');
    const bytes = journalBytes({ version: 1, originals: { 'a.txt': big, 'b.txt': null }, createdDirs: [] });
    expect(bytes.length).toBeLessThan(big.length + 200);
    expect(JSON.parse(bytes.toString('utf8')).originals).toEqual({ 'a.txt': big, 'b.txt': null });
  });
});

/**
 * A project made from a template repository whose v1.1.0 adds a heading to README.md, with the
 * team's `lines` lines added at the end of its README and committed; `finished`: what an
 * uninterrupted sync of a copy (`ref`) leaves.
 */
async function bigReadmeProject(prefix: string, lines: number): Promise<{ project: string; finished: Record<string, string>; ref: string }> {
  const tmp = tempDir(prefix);
  const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `Template v1.1 heading\n${t}`));
  expect((await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp })).code).toBe(0);
  const project = path.join(tmp, 'proj');
  edit(path.join(project, 'README.md'), (t) => t + Array.from({ length: lines }, (_, i) => `team line ${i} ü\n`).join(''));
  gitIn(project, 'commit', '-qam', 'team edit');
  const ref = path.join(tempDir(`${prefix}ref-`), 'p');
  cpSync(project, ref, { recursive: true });
  const r = await runCli(['sync'], { cwd: ref });
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(path.join(ref, 'README.md'), 'utf8')).toMatch(new RegExp(`^Template v1\\.1 heading\\n[\\s\\S]*team line ${lines - 1} ü\\n$`));
  return { project, finished: snapshot(ref, false), ref };
}

describe('a sync of a big file both sides changed, killed once its files are written', () => {
  let project: string;
  let finished: Record<string, string>;

  beforeAll(async () => {
    // The team's README: a few thousand lines added at its end (its journal original is big).
    ({ project, finished } = await bigReadmeProject('cm-journal-big-', 3000));
  }, 120_000);

  it('is undone from its journal by the next run, which then syncs as an uninterrupted run does', async () => {
    const dir = path.join(tempDir('cm-journal-big-kill-'), 'p');
    cpSync(project, dir, { recursive: true });
    const ours = readFileSync(path.join(dir, 'README.md'));
    const r = await holdAndSignal(['sync'], dir, 'apply:files', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    // Killed with the merged file in place and the journal beside it.
    expect(readFileSync(path.join(dir, 'README.md')).equals(ours)).toBe(false);
    const journalFile = path.join(dir, '.git', 'create-migration-journal.json');
    const j = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
    expect(Buffer.from(j.originals['README.md']!, 'base64').equals(ours)).toBe(true);
    // status reads only; sync takes the lock, restores the team's file, and merges again.
    const again = await runCli(['sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(snapshot(dir, false)).toEqual(finished);
  }, 60_000);
});

// A file of 256 KiB or more is not copied into the journal: the run keeps the original file itself
// as a hard link beside the journal (Journal.linked) and replaces the path with a new file, so a
// rollback renames the original back, bytes and mode as they were.
describe('a sync of a file over 256 KiB both sides changed', () => {
  let project: string;
  let finished: Record<string, string>;
  const links = (dir: string) => readdirSync(path.join(dir, '.git')).filter((n) => n.endsWith('.orig.cm-tmp'));

  beforeAll(async () => {
    const tmp = tempDir('cm-journal-link-');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `Template v1.1 heading\n${t}`));
    expect((await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp })).code).toBe(0);
    project = path.join(tmp, 'proj');
    edit(path.join(project, 'README.md'), (t) => t + Array.from({ length: 20_000 }, (_, i) => `team line ${i} ü\n`).join(''));
    chmodSync(path.join(project, 'README.md'), 0o640);
    gitIn(project, 'commit', '-qam', 'team edit');
    const ref = path.join(tempDir('cm-journal-link-ref-'), 'p');
    cpSync(project, ref, { recursive: true });
    const r = await runCli(['sync'], { cwd: ref });
    expect(r.code, r.stderr).toBe(0);
    finished = snapshot(ref, false);
    expect(links(ref)).toEqual([]);
    expect(readFileSync(path.join(ref, 'README.md'), 'utf8')).toMatch(/^Template v1\.1 heading\n[\s\S]*team line 19999 ü\n$/);
  }, 120_000);

  it('killed once its files are written, is undone from the linked original by the next run', async () => {
    const dir = path.join(tempDir('cm-journal-link-kill-'), 'p');
    cpSync(project, dir, { recursive: true });
    const ours = readFileSync(path.join(dir, 'README.md'));
    const r = await holdAndSignal(['sync'], dir, 'apply:files', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    expect(readFileSync(path.join(dir, 'README.md')).equals(ours)).toBe(false);
    const j = JSON.parse(readFileSync(path.join(dir, '.git', 'create-migration-journal.json'), 'utf8')) as Journal;
    expect(j.version).toBe(2);
    expect(j.linked).toEqual(['README.md']);
    expect(j.originals['README.md']).toBeUndefined();
    expect(links(dir)).toEqual([`create-migration-journal.json.${j.run}-0.orig.cm-tmp`]);
    expect(readFileSync(path.join(dir, '.git', links(dir)[0]!)).equals(ours)).toBe(true);
    // The next sync puts the team's file back (its mode too), then merges again.
    const again = await runCli(['sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(snapshot(dir, false)).toEqual(finished);
    expect(links(dir)).toEqual([]);
  }, 60_000);

  it('killed before it touched a file, leaves the file as it was', async () => {
    const dir = path.join(tempDir('cm-journal-link-early-'), 'p');
    cpSync(project, dir, { recursive: true });
    const r = await holdAndSignal(['sync'], dir, 'apply:journal', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    expect(links(dir)).toHaveLength(1);
    // status does not write; a sync --check neither: the next writing run recovers, then syncs.
    const again = await runCli(['sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(snapshot(dir, false)).toEqual(finished);
    expect(links(dir)).toEqual([]);
  }, 60_000);

  it('interrupted (Ctrl-C) once its files are written, rolls back to the original file, mode included', async () => {
    const dir = path.join(tempDir('cm-journal-link-int-'), 'p');
    cpSync(project, dir, { recursive: true });
    const before = snapshot(dir, false);
    const ours = readFileSync(path.join(dir, 'README.md'));
    const r = await holdAndSignal(['sync'], dir, 'apply:files', 'SIGINT');
    expect(r.held, r.stderr).toBe(true);
    expect(r.code).not.toBe(0);
    expect(readFileSync(path.join(dir, 'README.md')).equals(ours)).toBe(true);
    expect(statSync(path.join(dir, 'README.md')).mode & 0o777).toBe(0o640);
    expect(snapshot(dir, false)).toEqual(before);
    expect(links(dir)).toEqual([]);
    expect(existsSync(path.join(dir, '.git', 'create-migration-journal.json'))).toBe(false);
  }, 60_000);

  it('a linked original left without its journal (a run killed as it finished) goes with the next run', async () => {
    const dir = path.join(tempDir('cm-journal-link-stray-'), 'p');
    cpSync(project, dir, { recursive: true });
    const stray = path.join(dir, '.git', 'create-migration-journal.json.0123456789abcdef-0.orig.cm-tmp');
    writeFileSync(stray, 'left behind\n');
    const again = await runCli(['sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(stray)).toBe(false);
    expect(snapshot(dir, false)).toEqual(finished);
  }, 60_000);
});

// A merged file of 1 MiB or more is written on node's thread pool while the run writes the
// pristine commit and the index (see startWrite in src/edge/apply.ts), and renamed into place
// after them: interrupted meanwhile, the run is undone all the same; a commit of the sync holds
// the file as it lands.
describe('a sync whose merged file is over 1 MiB', () => {
  let project: string;
  let finished: Record<string, string>;
  const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.cm-tmp'));

  beforeAll(async () => {
    let ref: string;
    ({ project, finished, ref } = await bigReadmeProject('cm-journal-async-', 70_000));
    expect(statSync(path.join(ref, 'README.md')).size).toBeGreaterThan(1 << 20);
    expect(temps(ref)).toEqual([]);
  }, 120_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`interrupted (${signal}) once the pristine commit is written, rolls back to the team's file`, async () => {
      const dir = path.join(tempDir('cm-journal-async-int-'), 'p');
      cpSync(project, dir, { recursive: true });
      const before = snapshot(dir, false);
      const r = await holdAndSignal(['sync'], dir, 'sync:pristine', signal);
      expect(r.held, r.stderr).toBe(true);
      expect(r.code).not.toBe(0);
      expect(snapshot(dir, false)).toEqual(before);
      expect(temps(dir)).toEqual([]);
      expect(existsSync(path.join(dir, '.git', 'create-migration-journal.json'))).toBe(false);
    }, 60_000);
  }

  it('killed once the pristine commit is written, is undone by the next run, which syncs as an uninterrupted run does', async () => {
    const dir = path.join(tempDir('cm-journal-async-kill-'), 'p');
    cpSync(project, dir, { recursive: true });
    const r = await holdAndSignal(['sync'], dir, 'sync:pristine', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    expect(existsSync(path.join(dir, '.git', 'create-migration-journal.json'))).toBe(true);
    const again = await runCli(['sync'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(snapshot(dir, false)).toEqual(finished);
    expect(temps(dir)).toEqual([]);
  }, 60_000);

  it('committed with --branch, the commit holds the merged file as it landed', async () => {
    const dir = path.join(tempDir('cm-journal-async-branch-'), 'p');
    cpSync(project, dir, { recursive: true });
    const r = await runCli(['sync', '--branch', 'template-up'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(dir, false)).toEqual(finished);
    expect(gitIn(dir, 'status', '--porcelain')).toBe('');
    expect(gitIn(dir, 'rev-parse', 'HEAD:README.md')).toBe(gitIn(dir, 'hash-object', 'README.md'));
  }, 60_000);
});

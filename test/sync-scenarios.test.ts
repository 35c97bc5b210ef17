import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, snapshot, type Run } from './helpers/cli.js';
import { buildTemplateRepo, buildV2OnlyRepo, copyDir, crlfLines, git, lfLines as lf, read, readBytes, renderedV1, renderedV2, writeTree } from './helpers/template-repo.js';

/**
 * `create-migration sync` end to end: a real template repo with tagged versions, real projects
 * generated from it by the built CLI, real user edits committed with git, and the built CLI
 * spawned as a process for every sync. Each case asserts the exact files, statuses and exit code.
 */

// ---------------------------------------------------------------------------------------------
// Fixtures: one template repo and one generated v1 project, copied for every scenario.

const SCRATCH: string[] = [];
function scratch(prefix = 'cm-sync-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  SCRATCH.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of SCRATCH) rmSync(d, { recursive: true, force: true });
});

let TPL = '';
let PRISTINE = '';

beforeAll(async () => {
  const root = scratch();
  TPL = buildTemplateRepo(path.join(root, 'tpl'));
  const r = await runCli(['proj', '--template', `${TPL}#v1.0.0`, '--yes'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  PRISTINE = path.join(root, 'proj');
});

/** A fresh copy of the generated v1 project (with its .git unless told not to), in its own folder. */
function project(opts: { withGit?: boolean } = {}): string {
  return copyDir(PRISTINE, path.join(scratch(), 'proj'), opts);
}

const sync = (dir: string, ...args: string[]): Promise<Run> => runCli(['sync', ...args], { cwd: dir });

interface JsonProject {
  dir: string;
  exitCode: number;
  error?: string;
  from: string;
  to: string;
  base: string;
  baseDetail?: string;
  outcomes: { path: string; status: string; from?: string; note?: string; rej?: string }[];
  conflicts: number;
  behind: boolean;
  written: boolean;
  diff?: string;
}
interface JsonSync {
  ok: boolean;
  command: string;
  exitCode: number;
  projects: JsonProject[];
}
const parse = (r: Run): JsonSync => JSON.parse(r.stdout) as JsonSync;
const statuses = (p: JsonProject) => Object.fromEntries(p.outcomes.map((o) => [o.path, o.status]));

const edit = (dir: string, rel: string, fn: (s: string) => string) => writeFileSync(path.join(dir, rel), fn(read(dir, rel)));
const exists = (dir: string, rel: string) => existsSync(path.join(dir, rel));
const commit = (dir: string, msg = 'my edits') => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', msg);
};
const porcelain = (dir: string) => git(dir, 'status', '--porcelain').split('\n').filter(Boolean);
const manifest = (dir: string) => JSON.parse(read(dir, '.migration-template.json'));
const v1 = renderedV1();
const v2 = renderedV2();

/** Edits that merge cleanly with v2.0.0. */
const CHECKLIST_MINE = (v1['CHECKLIST.md'] as string).replace('- [ ] Inventory', '- [x] Inventory');
const CHECKLIST_MERGED = (v2['CHECKLIST.md'] as string).replace('- [ ] Inventory', '- [x] Inventory');
const USER_ONLY_MINE = lf('# Team notes', '', 'We own this now.');
const MOD_MERGED = (v2['src/proj/mod.py'] as string).replace('return 0', 'return 42');
function cleanEdits(dir: string): void {
  writeFileSync(path.join(dir, 'CHECKLIST.md'), CHECKLIST_MINE);
  writeFileSync(path.join(dir, 'docs/user-only.md'), USER_ONLY_MINE);
  edit(dir, 'src/proj/mod.py', (s) => s.replace('return 0', 'return 42'));
}

/** The overlapping edit: batch_size changed by the user and by v2. */
function conflictEdit(dir: string): void {
  edit(dir, 'docs/conflict.md', (s) => s.replace('batch_size = 100', 'batch_size = 250'));
}

const canChattr = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-chattr-'));
  const probe = path.join(dir, 'probe');
  try {
    writeFileSync(probe, 'x');
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** Runs fn with the immutable attribute on `target`, always taking it off again. */
async function withImmutable<T>(target: string, fn: () => Promise<T>): Promise<T> {
  execFileSync('chattr', ['+i', target]);
  try {
    return await fn();
  } finally {
    execFileSync('chattr', ['-i', target]);
  }
}

// ---------------------------------------------------------------------------------------------

describe('one sync from v1.0.0 to v2.0.0 over every rule (inline conflicts)', () => {
  let dir = '';
  let run: Run;
  let res: JsonProject;
  let untracked: Record<string, string>;

  beforeAll(async () => {
    dir = project();
    cleanEdits(dir);
    conflictEdit(dir);
    edit(dir, 'docs/removed-edited.md', (s) => `${s}A: and a user answer.\n`);
    rmSync(path.join(dir, 'docs/user-deleted.md'));
    edit(dir, 'NOTES.md', (s) => `${s}My own note.\n`);
    edit(dir, 'guides/setup.md', (s) => s.replace('Step 1: clone', 'Step 1: clone (use the mirror)'));
    edit(dir, 'docs/howto.md', (s) => s.replace('two\n', 'two, edited\n'));
    writeFileSync(path.join(dir, 'assets/both.bin'), Uint8Array.from([0, 1, 2, 3, 7]));
    edit(dir, 'notes/crlf-user.md', (s) => s.replace(/\n/g, '\r\n'));
    edit(dir, 'scripts/run.bat', (s) => s.replace('rem step one', 'rem step one (mine)'));
    writeFileSync(path.join(dir, 'nonl.txt'), 'first\nsecond\nthird\nfourth (mine)');
    commit(dir);
    // Untracked files: one where v2 adds a file, two the template knows nothing of.
    writeTree(dir, { 'docs/clash.md': 'my own clash file\n', 'scratch/mine.txt': 'scratch\n', 'docs/extra.md': 'extra\n' });
    untracked = Object.fromEntries(['scratch/mine.txt', 'docs/extra.md'].map((f) => [f, snapshot(dir, false)[f]!]));
    run = await sync(dir, '--json');
    res = parse(run).projects[0]!;
  });

  it('exits 1 because conflicts were left, from the pristine branch base, with every status', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(res).toMatchObject({ from: '1.0.0', to: '2.0.0', base: 'pristine-branch', behind: true, written: true, conflicts: 3, exitCode: 1 });
    expect(statuses(res)).toEqual({
      'CHECKLIST.md': 'merged',
      'NOTES.md': 'skipped',
      'README.md': 'updated',
      'assets/both.bin': 'conflict',
      'assets/logo.bin': 'updated',
      'docs/clash.md': 'conflict',
      'docs/conflict.md': 'conflict',
      'docs/decisions.md': 'skipped',
      'docs/how-to.md': 'renamed',
      'docs/new.md': 'added',
      'docs/removed-clean.md': 'removed',
      'docs/removed-edited.md': 'kept',
      'docs/user-deleted.md': 'kept',
      'handbook/setup.md': 'renamed',
      'nonl.txt': 'merged',
      'notes/crlf-user.md': 'updated',
      'scripts/run.bat': 'merged',
      'scripts/run.sh': 'updated',
      'src/proj/mod.py': 'merged',
    });
  });

  it('1. a file the user never changed takes the template\'s new version', () => {
    expect(read(dir, 'README.md')).toBe(v2['README.md']);
    expect(read(dir, 'scripts/run.sh')).toBe(v2['scripts/run.sh']);
  });

  it('2. a file only the user changed keeps the user\'s version', () => {
    expect(read(dir, 'docs/user-only.md')).toBe(USER_ONLY_MINE);
    expect(read(dir, 'docs/guide.md')).toBe(v1['docs/guide.md']);
  });

  it('3. both changed, apart: a clean merge with both edits', () => {
    expect(read(dir, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
    expect(read(dir, 'src/proj/mod.py')).toBe(MOD_MERGED);
  });

  it('4. both changed, overlapping: inline markers labelled yours / template 1.0.0 / template 2.0.0, unmerged in the index', () => {
    expect(read(dir, 'docs/conflict.md')).toBe(
      lf('# Settings', 'Owner: platform team', 'a', 'b', 'c', 'd', '<<<<<<< yours', 'batch_size = 250', '||||||| template 1.0.0', 'batch_size = 100', '=======', 'batch_size = 500', '>>>>>>> template 2.0.0', 'e', 'f', 'g', 'h', 'End.'),
    );
    expect(porcelain(dir)).toContain('UU docs/conflict.md');
    // The three stages are the base, the user's file before the sync, and the template's.
    expect(git(dir, 'show', ':1:docs/conflict.md')).toBe(v1['docs/conflict.md']);
    expect(git(dir, 'show', ':2:docs/conflict.md')).toBe((v1['docs/conflict.md'] as string).replace('batch_size = 100', 'batch_size = 250'));
    expect(git(dir, 'show', ':3:docs/conflict.md')).toBe(v2['docs/conflict.md']);
    expect(res.outcomes.find((o) => o.path === 'docs/conflict.md')?.note).toBe('1 conflicting hunk marked inline');
  });

  it('6. a file the template adds is added', () => {
    expect(read(dir, 'docs/new.md')).toBe(v2['docs/new.md']);
  });

  it('7. the template adds a file where an untracked user file stands: conflict, the user\'s text kept in it', () => {
    expect(read(dir, 'docs/clash.md')).toBe(lf('<<<<<<< yours', 'my own clash file', '||||||| no common version', '=======', '# Clash', 'template text', '>>>>>>> template 2.0.0'));
    expect(porcelain(dir)).toContain('AA docs/clash.md');
  });

  it('8. a file the template removes and the user never changed is removed', () => {
    expect(exists(dir, 'docs/removed-clean.md')).toBe(false);
  });

  it('9. a file the template removes but the user changed is kept', () => {
    expect(read(dir, 'docs/removed-edited.md')).toBe(`${v1['docs/removed-edited.md']}A: and a user answer.\n`);
    expect(res.outcomes.find((o) => o.path === 'docs/removed-edited.md')?.note).toMatch(/you changed it/);
  });

  it('10. a file the user deleted stays deleted, though the template changed it', () => {
    expect(exists(dir, 'docs/user-deleted.md')).toBe(false);
    expect(res.outcomes.find((o) => o.path === 'docs/user-deleted.md')?.note).toMatch(/deleted by you/);
  });

  it('11. untracked user files are never touched', () => {
    const now = snapshot(dir, false);
    for (const [f, hash] of Object.entries(untracked)) expect(now[f], f).toBe(hash);
    expect(porcelain(dir)).toEqual(expect.arrayContaining(['?? scratch/', '?? docs/extra.md']));
  });

  it('12. project-owned paths are never touched, though the template changed them', () => {
    expect(read(dir, 'NOTES.md')).toBe(`${v1['NOTES.md']}My own note.\n`);
    expect(read(dir, 'docs/decisions.md')).toBe(v1['docs/decisions.md']);
    expect(porcelain(dir).filter((l) => /NOTES\.md|decisions\.md/.test(l))).toEqual([]);
  });

  it('13. a declared rename moves the user\'s edits to the new path, the old path is gone', () => {
    expect(read(dir, 'handbook/setup.md')).toBe((v2['handbook/setup.md'] as string).replace('Step 1: clone', 'Step 1: clone (use the mirror)'));
    expect(exists(dir, 'guides')).toBe(false); // the emptied folder goes with its last file
    expect(res.outcomes.find((o) => o.path === 'handbook/setup.md')?.from).toBe('guides/setup.md');
  });

  it('14. a rename detected by content moves the user\'s edits too', () => {
    expect(read(dir, 'docs/how-to.md')).toBe((v2['docs/how-to.md'] as string).replace('two\n', 'two, edited\n'));
    expect(exists(dir, 'docs/howto.md')).toBe(false);
    expect(res.outcomes.find((o) => o.path === 'docs/how-to.md')?.from).toBe('docs/howto.md');
  });

  it('15. binary: changed only by the template takes theirs; changed by both keeps ours and is reported', () => {
    expect(readBytes(dir, 'assets/logo.bin').equals(Buffer.from(v2['assets/logo.bin'] as Uint8Array))).toBe(true);
    expect([...readBytes(dir, 'assets/both.bin')]).toEqual([0, 1, 2, 3, 7]);
    expect(res.outcomes.find((o) => o.path === 'assets/both.bin')?.note).toMatch(/binary.*yours was kept/);
    expect(porcelain(dir)).toContain('UU assets/both.bin');
  });

  it('16. line endings survive: a file the user made CRLF stays CRLF with the change; a CRLF template file merges in CRLF', () => {
    expect(read(dir, 'notes/crlf-user.md')).toBe(crlfLines('alpha', 'beta', 'gamma v2', 'delta', 'epsilon'));
    expect(read(dir, 'scripts/run.bat')).toBe(crlfLines('@echo off', 'rem step one (mine)', 'rem step two', 'rem step three', 'rem step four v2'));
  });

  it('17. a file without a final newline keeps it missing', () => {
    expect(read(dir, 'nonl.txt')).toBe('first v2\nsecond\nthird\nfourth (mine)');
  });

  it('moves the pristine branch to the v2 render and records v2 in the manifest', () => {
    expect(git(dir, 'show', 'migration-template:README.md')).toBe(v2['README.md']);
    expect(git(dir, 'show', 'migration-template:docs/clash.md')).toBe(v2['docs/clash.md']);
    expect(git(dir, 'rev-parse', 'migration-template^')).toBe(git(PRISTINE, 'rev-parse', 'migration-template'));
    const m = manifest(dir);
    expect(m.template).toMatchObject({ version: '2.0.0', ref: 'v2.0.0', source: TPL, commit: git(TPL, 'rev-parse', 'v2.0.0').trim() });
    expect(JSON.parse(git(dir, 'show', 'migration-template:.migration-template.json'))).toEqual(m);
    expect(exists(dir, '.git/create-migration-journal.json')).toBe(false);
    expect(exists(dir, '.git/create-migration.lock')).toBe(false);
  });
});

describe('5. --conflict rej', () => {
  it('keeps the user\'s version in the conflicted region, applies the clean hunks, and writes the template hunk to .rej', async () => {
    const dir = project();
    conflictEdit(dir);
    commit(dir);
    writeTree(dir, { 'docs/clash.md': 'my own clash file\n' });
    const r = await sync(dir, '--conflict', 'rej');
    expect(r.code, r.stderr).toBe(1);
    expect(read(dir, 'docs/conflict.md')).toBe((v2['docs/conflict.md'] as string).replace('batch_size = 500', 'batch_size = 250'));
    expect(read(dir, 'docs/conflict.md.rej')).toBe(
      [
        '--- a/docs/conflict.md (template 1.0.0)',
        '+++ b/docs/conflict.md (template 2.0.0)',
        '@@ -4,7 +4,7 @@',
        ' b',
        ' c',
        ' d',
        '-batch_size = 100',
        '+batch_size = 500',
        ' e',
        ' f',
        ' g',
        '',
      ].join('\n'),
    );
    // The user's own file where the template adds one stays as it is; the template's is in .rej.
    expect(read(dir, 'docs/clash.md')).toBe('my own clash file\n');
    expect(read(dir, 'docs/clash.md.rej')).toBe('--- /dev/null\n+++ b/docs/clash.md (template 2.0.0)\n@@ -0,0 +1,2 @@\n+# Clash\n+template text\n');
    expect(r.stdout).toMatch(/conflict\s+docs\/conflict\.md\s+\(1 conflicting hunk in docs\/conflict\.md\.rej\)/);
    expect(r.stdout).toMatch(/2 file\(s\) need you/);
    expect(porcelain(dir)).toEqual(expect.arrayContaining(['UU docs/conflict.md', 'AA docs/clash.md', '?? docs/conflict.md.rej', '?? docs/clash.md.rej']));
    // Everything else still synced.
    expect(read(dir, 'README.md')).toBe(v2['README.md']);
  });

  it('never overwrites a user file that already has a .rej name: the next free name is used', async () => {
    const dir = project();
    conflictEdit(dir);
    commit(dir);
    writeTree(dir, { 'docs/conflict.md.rej': 'mine 0\n', 'docs/conflict.md.1.rej': 'mine 1\n' });
    const r = await sync(dir, '--conflict', 'rej', '--json');
    expect(r.code, r.stderr).toBe(1);
    expect(read(dir, 'docs/conflict.md.rej')).toBe('mine 0\n');
    expect(read(dir, 'docs/conflict.md.1.rej')).toBe('mine 1\n');
    expect(read(dir, 'docs/conflict.md.2.rej')).toMatch(/^-batch_size = 100\n\+batch_size = 500\n/m);
    expect(parse(r).projects[0]!.outcomes.find((o) => o.path === 'docs/conflict.md')?.rej).toBe('docs/conflict.md.2.rej');
  });
});

describe('18. answers changed at sync time (--set)', () => {
  it('re-renders the files that use the answer and keeps the user\'s edits elsewhere', async () => {
    const dir = project();
    edit(dir, 'README.md', (s) => s.replace('Middle line.', 'Middle line, edited.'));
    commit(dir);
    const r = await sync(dir, '--to', 'v1.0.0', '--set', 'title=Billing & "Ops"', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'README.md')).toBe(lf('# Billing & "Ops"', '', 'Project proj.', '', 'Intro line.', 'Middle line, edited.', 'Footer v1.'));
    expect(statuses(parse(r).projects[0]!)).toEqual({ 'README.md': 'merged' });
    expect(porcelain(dir)).toEqual([' M .migration-template.json', ' M README.md']);
    expect(manifest(dir)).toMatchObject({ template: { version: '1.0.0' }, answers: { project_name: 'proj', title: 'Billing & "Ops"' } });
  });

  it('a new slug behind a path expression moves the file, with the user\'s edits', async () => {
    const dir = project();
    edit(dir, 'src/proj/mod.py', (s) => s.replace('return 0', 'return 42'));
    commit(dir);
    const r = await sync(dir, '--to', 'v1.0.0', '--set', 'project_name=other-name', '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = parse(r).projects[0]!;
    expect(statuses(res)).toEqual({ 'README.md': 'updated', 'src/other_name/mod.py': 'renamed' });
    expect(res.outcomes.find((o) => o.path === 'src/other_name/mod.py')?.from).toBe('src/proj/mod.py');
    expect(read(dir, 'src/other_name/mod.py')).toBe((renderedV1('other-name')['src/other_name/mod.py'] as string).replace('return 0', 'return 42'));
    expect(exists(dir, 'src/proj')).toBe(false);
    expect(read(dir, 'README.md')).toContain('Project other-name.');
  });
});

describe('19. --check', () => {
  it('exits 1 when behind and 0 when current, writing nothing at all (.git included)', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    let before = snapshot(dir, true);
    const behind = await sync(dir, '--check');
    expect(behind.code, behind.stderr).toBe(1);
    expect(behind.stdout).toMatch(/behind \(1\.0\.0 -> 2\.0\.0\)/);
    expect(behind.stderr).not.toMatch(/behind/); // the report is stdout's
    expect(snapshot(dir, true)).toEqual(before);

    expect((await sync(dir)).code).toBe(0);
    commit(dir, 'sync');
    before = snapshot(dir, true);
    const current = await sync(dir, '--check', '--json');
    expect(current.code, current.stderr).toBe(0);
    expect(parse(current).projects[0]).toMatchObject({ behind: false, written: false, exitCode: 0, from: '2.0.0', to: '2.0.0' });
    expect(snapshot(dir, true)).toEqual(before);
  });
});

describe('20. --dry-run', () => {
  it('prints the unified diff on stdout and leaves everything byte-identical, .git included', async () => {
    const dir = project();
    cleanEdits(dir);
    conflictEdit(dir);
    commit(dir);
    const before = snapshot(dir, true);
    const r = await sync(dir, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--- a/README.md\n+++ b/README.md\n@@ -4,4 +4,4 @@\n \n Intro line.\n Middle line.\n-Footer v1.\n+Footer v2.\n');
    expect(r.stdout).toContain('--- /dev/null\n+++ b/docs/new.md\n@@ -0,0 +1,2 @@\n+# New in 2.0\n+A page the template added.\n');
    expect(r.stdout).toContain('--- a/docs/removed-clean.md\n+++ /dev/null\n');
    expect(r.stdout).toContain(' d\n+<<<<<<< yours\n batch_size = 250\n+||||||| template 1.0.0\n+batch_size = 100\n+=======\n+batch_size = 500\n+>>>>>>> template 2.0.0\n e\n');
    expect(r.stdout).toContain('Binary file assets/logo.bin changed\n');
    expect(r.stdout).toMatch(/^-\s+"version": "1\.0\.0",$/m);
    expect(r.stderr).toMatch(/would sync 1\.0\.0 -> 2\.0\.0/);
    expect(snapshot(dir, true)).toEqual(before);
  });

  it('with --json, stdout is one JSON object that carries the diff', async () => {
    const dir = project();
    const before = snapshot(dir, true);
    const r = await sync(dir, '--dry-run', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = parse(r); // throws if anything follows the object
    expect(out.projects[0]!.diff).toContain('-Footer v1.\n+Footer v2.\n');
    expect(out.projects[0]!.written).toBe(false);
    expect(snapshot(dir, true)).toEqual(before);
  });
});

describe('21. a dirty work tree', () => {
  it('is refused with exit 2 naming the files, nothing written; --allow-dirty runs and keeps the uncommitted edits', async () => {
    const dir = project();
    edit(dir, 'README.md', (s) => s.replace('Intro line.', 'Intro line, not committed.'));
    edit(dir, 'docs/guide.md', (s) => `${s}more\n`);
    const before = snapshot(dir, true);
    const r = await sync(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes \(README\.md, docs\/guide\.md\).*--allow-dirty/);
    expect(r.stdout).toBe('');
    expect(snapshot(dir, true)).toEqual(before);

    const ok = await sync(dir, '--allow-dirty');
    expect(ok.code, ok.stderr).toBe(0);
    expect(read(dir, 'README.md')).toBe((v2['README.md'] as string).replace('Intro line.', 'Intro line, not committed.'));
    expect(read(dir, 'docs/guide.md')).toBe(`${v1['docs/guide.md']}more\n`);
  });
});

describe('22. a fresh clone of the project', () => {
  it('finds the base on the remote pristine branch (origin/migration-template)', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const clone = path.join(scratch(), 'clone');
    git(path.dirname(clone), 'clone', '-q', dir, clone);
    expect(git(clone, 'branch', '--list', 'migration-template')).toBe('');
    const remoteTip = git(clone, 'rev-parse', 'origin/migration-template').trim();
    const r = await sync(clone, '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = parse(r).projects[0]!;
    expect(res.base).toBe('pristine-branch');
    expect(res.baseDetail).toBe(remoteTip.slice(0, 7));
    expect(read(clone, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
    expect(read(clone, 'src/proj/mod.py')).toBe(MOD_MERGED);
    // The local pristine branch now exists, on top of the remote one.
    expect(git(clone, 'rev-parse', 'migration-template^').trim()).toBe(remoteTip);
  });

  it('says where the base came from in the human report', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const clone = path.join(scratch(), 'clone');
    git(path.dirname(clone), 'clone', '-q', dir, clone);
    const r = await sync(clone);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/base: the migration-template branch \([0-9a-f]{7}\)/);
    expect(r.stdout).toMatch(/merged\s+CHECKLIST\.md/);
    expect(r.stdout).toMatch(/renamed\s+handbook\/setup\.md <- guides\/setup\.md/);
  });
});

describe('23. the template source is gone', () => {
  let tplCopy = '';
  let gen = '';
  beforeAll(async () => {
    const root = scratch();
    tplCopy = copyDir(TPL, path.join(root, 'tpl-copy'));
    const r = await runCli(['proj', '--template', `${tplCopy}#v1.0.0`, '--yes'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    gen = path.join(root, 'proj');
    cleanEdits(gen);
    commit(gen);
    renameSync(tplCopy, path.join(root, 'tpl-moved'));
  });
  const moved = () => path.join(path.dirname(tplCopy), 'tpl-moved');

  it('without --template: exit 2 naming the recorded source and --template, nothing written', async () => {
    const dir = copyDir(gen, path.join(scratch(), 'proj'));
    const before = snapshot(dir, true);
    const r = await sync(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the template source recorded in .migration-template.json cannot be opened (${tplCopy} is not a folder`);
    expect(r.stderr).toMatch(/If it moved, give its new place with --template <src>\./);
    expect(snapshot(dir, true)).toEqual(before);
  });

  it('with --template <moved path>: the base still comes from the project\'s pristine branch', async () => {
    const dir = copyDir(gen, path.join(scratch(), 'proj'));
    const r = await sync(dir, '--template', moved(), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r).projects[0]).toMatchObject({ base: 'pristine-branch', from: '1.0.0', to: '2.0.0' });
    expect(read(dir, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
    expect(manifest(dir).template.source).toBe(moved());
  });

  it('without the pristine branch either: the base comes from the generated commit in history', async () => {
    const dir = copyDir(gen, path.join(scratch(), 'proj'));
    git(dir, 'branch', '-q', '-D', 'migration-template');
    const first = git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const r = await sync(dir, '--template', moved(), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r).projects[0]).toMatchObject({ base: 'history', baseDetail: first.slice(0, 7) });
    expect(read(dir, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
    expect(read(dir, 'src/proj/mod.py')).toBe(MOD_MERGED);
  });
});

describe('24. no git history', () => {
  it('a project copied without .git: the base is a fresh render of the recorded version', async () => {
    const dir = project({ withGit: false });
    cleanEdits(dir);
    const r = await sync(dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = parse(r).projects[0]!;
    expect(res.base).toBe('rendered');
    expect(res.baseDetail).toBe(`${TPL}@${git(TPL, 'rev-parse', 'v1.0.0^{commit}').trim()}`);
    expect(read(dir, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
    expect(read(dir, 'src/proj/mod.py')).toBe(MOD_MERGED);
    expect(read(dir, 'handbook/setup.md')).toBe(v2['handbook/setup.md']);
    expect(exists(dir, '.git')).toBe(false);
    expect(exists(dir, '.migration-template.journal')).toBe(false);
    expect(exists(dir, '.migration-template.lock')).toBe(false);
  });

  it('a --no-git project: the base is a fresh render too', async () => {
    const root = scratch();
    const g = await runCli(['plain', '--template', `${TPL}#v1.0.0`, '--yes', '--no-git'], { cwd: root });
    expect(g.code, g.stderr).toBe(0);
    const dir = path.join(root, 'plain');
    edit(dir, 'CHECKLIST.md', (s) => s.replace('- [ ] Map', '- [x] Map'));
    const r = await sync(dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r).projects[0]!.base).toBe('rendered');
    expect(read(dir, 'CHECKLIST.md')).toBe((renderedV2('plain')['CHECKLIST.md'] as string).replace('- [ ] Map', '- [x] Map'));
  });

  it('the v1 tag deleted from the template repo: the recorded commit still renders the base', async () => {
    const tpl = copyDir(TPL, path.join(scratch(), 'tpl-no-tag'));
    git(tpl, 'tag', '-d', 'v1.0.0');
    const dir = project({ withGit: false });
    cleanEdits(dir);
    const r = await sync(dir, '--template', tpl, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r).projects[0]!.base).toBe('rendered');
    expect(read(dir, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
  });

  it('v1 gone from the template entirely: two-way mode updates unchanged files and reports changed ones untouched', async () => {
    const tpl = buildV2OnlyRepo(path.join(scratch(), 'tpl-v2-only'));
    const dir = project({ withGit: false });
    cleanEdits(dir);
    writeTree(dir, { 'docs/clash.md': 'my own clash file\n' });
    const r = await sync(dir, '--template', tpl, '--json');
    expect(r.code, r.stderr).toBe(1);
    const res = parse(r).projects[0]!;
    expect(res.base).toBe('none');
    expect(statuses(res)).toMatchObject({
      'README.md': 'updated',
      'CHECKLIST.md': 'conflict',
      'src/proj/mod.py': 'conflict',
      'docs/clash.md': 'conflict',
      'docs/removed-clean.md': 'removed',
      'docs/new.md': 'added',
      'NOTES.md': 'skipped',
    });
    expect(read(dir, 'README.md')).toBe(v2['README.md']);
    expect(read(dir, 'CHECKLIST.md')).toBe(CHECKLIST_MINE);
    expect(read(dir, 'src/proj/mod.py')).toBe((v1['src/proj/mod.py'] as string).replace('return 0', 'return 42'));
    expect(read(dir, 'docs/user-only.md')).toBe(USER_ONLY_MINE);
    expect(read(dir, 'docs/clash.md')).toBe('my own clash file\n');
    expect(read(dir, 'docs/new.md')).toBe(v2['docs/new.md']);
    expect(exists(dir, 'docs/removed-clean.md')).toBe(false);
    expect(read(dir, 'NOTES.md')).toBe(v1['NOTES.md']);
  });
});

describe('25. a failure part way rolls every file back', () => {
  it.skipIf(!canChattr)('a write that fails (immutable file): exit 3 names it, the project is byte-identical (.git too), a rerun succeeds', async () => {
    const dir = project();
    cleanEdits(dir);
    chmodSync(path.join(dir, 'scripts/run.sh'), 0o755); // written before the failing file: its mode must come back too
    commit(dir);
    const target = path.join(dir, 'src/proj/mod.py');
    const before = snapshot(dir, true);
    const r = await withImmutable(target, () => sync(dir));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write src\/proj\/mod\.py: EPERM .*Every file was rolled back/);
    expect(snapshot(dir, true)).toEqual(before);
    expect(exists(dir, '.git/create-migration-journal.json')).toBe(false);

    const again = await sync(dir);
    expect(again.code, again.stderr).toBe(0);
    expect(read(dir, 'src/proj/mod.py')).toBe(MOD_MERGED);
    expect(read(dir, 'scripts/run.sh')).toBe(v2['scripts/run.sh']);
    expect(statSync(path.join(dir, 'scripts/run.sh')).mode & 0o777).toBe(0o755);
  });

  it.skipIf(!canChattr)('a failure in the git step, after every write and delete: all undone, .git untouched', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const before = snapshot(dir, true);
    const r = await withImmutable(path.join(dir, '.git/objects/pack'), () => sync(dir));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write \(git\): EPERM .*objects\/pack.*Every file was rolled back/);
    expect(snapshot(dir, true)).toEqual(before);
    expect(read(dir, 'docs/removed-clean.md')).toBe(v1['docs/removed-clean.md']);
    expect(read(dir, 'guides/setup.md')).toBe(v1['guides/setup.md']); // its folder was removed, and is back
    expect(exists(dir, 'handbook')).toBe(false);
  });

  it('a user file standing where a folder must be made: moved aside to <name>~yours (never lost), the folder made, exit 1', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    writeFileSync(path.join(dir, 'handbook'), 'my handbook\n');
    const r = await sync(dir, '--json');
    expect(r.code, r.stderr).toBe(1);
    expect(read(dir, 'handbook~yours')).toBe('my handbook\n');
    expect(read(dir, 'handbook/setup.md')).toBe(v2['handbook/setup.md']);
    expect(parse(r).projects[0]!.outcomes.find((o) => o.path === 'handbook')).toMatchObject({ status: 'conflict' });
    // git never had the user's file: nothing of it goes into the index
    expect(porcelain(dir).filter((l) => l.includes('handbook~yours') || l.startsWith('U'))).toEqual(['?? handbook~yours']);
  });

  it('a failure after the pristine commit, in a fresh clone: files rolled back, no local pristine branch left behind', async () => {
    const dir = project();
    conflictEdit(dir);
    commit(dir);
    const clone = path.join(scratch(), 'clone');
    git(path.dirname(clone), 'clone', '-q', dir, clone);
    // Another git process holds the index: recording the conflict in it fails.
    writeFileSync(path.join(clone, '.git/index.lock'), '');
    const before = snapshot(clone, false);
    const refs = git(clone, 'for-each-ref');
    const r = await sync(clone);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write \(git\): .*index\.lock.*Every file was rolled back/s);
    expect(snapshot(clone, false)).toEqual(before);
    expect(git(clone, 'for-each-ref')).toBe(refs);
    expect(exists(clone, '.git/create-migration-journal.json')).toBe(false);

    rmSync(path.join(clone, '.git/index.lock'));
    const again = await sync(clone, '--json');
    expect(again.code, again.stderr).toBe(1);
    expect(parse(again).projects[0]).toMatchObject({ base: 'pristine-branch', conflicts: 1 });
    expect(porcelain(clone)).toContain('UU docs/conflict.md');
  });

  it('a journal left by a killed run is rolled back before the next sync does anything', async () => {
    const dir = project();
    // What a run killed after writing README.md and docs/new.md leaves behind.
    writeFileSync(path.join(dir, 'README.md'), 'half-synced\n');
    writeTree(dir, { 'docs/new.md': 'half\n' });
    const journal = { version: 1, originals: { 'README.md': Buffer.from(v1['README.md'] as string).toString('base64'), 'docs/new.md': null }, createdDirs: [] };
    writeFileSync(path.join(dir, '.git/create-migration-journal.json'), JSON.stringify(journal));
    const r = await sync(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/an interrupted run was rolled back first \(2 files restored\)/);
    expect(read(dir, 'README.md')).toBe(v2['README.md']);
    expect(read(dir, 'docs/new.md')).toBe(v2['docs/new.md']);
    expect(exists(dir, '.git/create-migration-journal.json')).toBe(false);
  });
  it('a run killed after the pristine branch moved: the branch goes back with the files, and the rerun merges from the old base', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const t0 = git(dir, 'rev-parse', 'migration-template').trim();
    // Run the sync to its end, then leave what a run killed just before removing its journal
    // leaves: the new files, the moved branch, and the journal of the old files.
    const first = await sync(dir);
    expect(first.code, first.stderr).toBe(0);
    expect(git(dir, 'rev-parse', 'migration-template').trim()).not.toBe(t0);
    const originals: Record<string, string | null> = {};
    for (const line of git(dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean)) {
      const p = line.slice(3);
      originals[p] = line.startsWith('??') ? null : execFileSync('git', ['show', `HEAD:${p}`], { cwd: dir }).toString('base64');
    }
    expect(Object.keys(originals).length).toBeGreaterThan(1);
    writeFileSync(path.join(dir, '.git/create-migration-journal.json'), JSON.stringify({ version: 1, originals, createdDirs: [], pristineTip: t0 }));
    const again = await sync(dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/an interrupted run was rolled back first/);
    // Synced again from the version the files were rolled back to: the new pristine commit sits on t0.
    expect(again.stdout).toMatch(/synced 1\.0\.0 -> 2\.0\.0/);
    expect(git(dir, 'rev-parse', 'migration-template^').trim()).toBe(t0);
    expect(read(dir, 'README.md')).toBe(v2['README.md']);
    expect(exists(dir, '.git/create-migration-journal.json')).toBe(false);
  });
});

describe('26. a second sync right after a committed sync', () => {
  it('is a no-op: up to date, exit 0, nothing changes', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const first = await sync(dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Review with `git diff`, then commit/);
    commit(dir, 'sync');
    const before = snapshot(dir, true);
    const second = await sync(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/: up to date/);
    expect(snapshot(dir, true)).toEqual(before);
  });
});

describe('27. several projects in one call', () => {
  function three(): { root: string; a: string; b: string; c: string } {
    const root = scratch();
    const a = copyDir(PRISTINE, path.join(root, 'a'));
    const c = copyDir(PRISTINE, path.join(root, 'c'));
    for (const d of [a, c]) {
      cleanEdits(d);
      commit(d);
    }
    const b = path.join(root, 'b');
    mkdirSync(b);
    writeFileSync(path.join(b, 'README.md'), 'not a generated project\n');
    return { root, a, b, c };
  }

  it('syncs the good ones, reports the broken one, prints a summary and exits 2', async () => {
    const { root, a, b, c } = three();
    const bBefore = snapshot(b, true);
    const r = await runCli(['sync', 'a', 'b', 'c'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/b: .*has no \.migration-template\.json/);
    expect(r.stdout).toMatch(/^a: synced 1\.0\.0 -> 2\.0\.0/m);
    expect(r.stdout).toMatch(/^c: synced 1\.0\.0 -> 2\.0\.0/m);
    expect(r.stdout).toContain('3 projects: 0 up to date, 2 synced, 1 failed.');
    for (const d of [a, c]) {
      expect(manifest(d).template.version).toBe('2.0.0');
      expect(read(d, 'CHECKLIST.md')).toBe(CHECKLIST_MERGED);
    }
    expect(snapshot(b, true)).toEqual(bBefore);
  });

  it('--json lists each project with its own exit code', async () => {
    const { root, a, b, c } = three();
    const r = await runCli(['sync', 'a', 'b', 'c', '--json'], { cwd: root });
    expect(r.code).toBe(2);
    const out = parse(r);
    expect(out).toMatchObject({ ok: false, command: 'sync', exitCode: 2 });
    expect(out.projects.map((p) => [p.dir, p.exitCode])).toEqual([
      [a, 0],
      [b, 2],
      [c, 0],
    ]);
    expect(out.projects[1]!.error).toMatch(/has no \.migration-template\.json/);
    expect(out.projects[0]).toMatchObject({ from: '1.0.0', to: '2.0.0', written: true });
  });
});

describe('28. downgrades are refused', () => {
  it('--to an older version than the project\'s: exit 2, nothing written', async () => {
    const dir = project();
    const before = snapshot(dir, true);
    const r = await sync(dir, '--to', 'v0.9.0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to: 0\.9\.0 is older than 1\.0\.0.*does not downgrade/);
    expect(snapshot(dir, true)).toEqual(before);
  });

  it('a project on v2 asked for v1: exit 2, nothing written', async () => {
    const dir = project();
    expect((await sync(dir)).code).toBe(0);
    commit(dir, 'sync');
    const before = snapshot(dir, true);
    const r = await sync(dir, '--to', 'v1.0.0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to: 1\.0\.0 is older than 2\.0\.0/);
    expect(snapshot(dir, true)).toEqual(before);
  });
});

describe('29. --branch', () => {
  it('creates the branch and commits the sync on it', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const start = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
    const startTip = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await sync(dir, '--branch', 'sync-v2');
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('sync-v2');
    expect(porcelain(dir)).toEqual([]);
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('Sync template demo 1.0.0 -> 2.0.0');
    expect(git(dir, 'rev-parse', 'HEAD^').trim()).toBe(startTip);
    expect(git(dir, 'rev-parse', start).trim()).toBe(startTip);
    const changed = git(dir, 'diff', '--name-status', '--no-renames', start, 'sync-v2').trim().split('\n').sort();
    expect(changed).toEqual(
      [
        'M\t.migration-template.json',
        'M\tCHECKLIST.md',
        'M\tREADME.md',
        'M\tassets/both.bin',
        'M\tassets/logo.bin',
        'M\tdocs/conflict.md',
        'A\tdocs/clash.md',
        'A\tdocs/how-to.md',
        'D\tdocs/howto.md',
        'A\tdocs/new.md',
        'D\tdocs/removed-clean.md',
        'D\tdocs/removed-edited.md',
        'M\tdocs/user-deleted.md',
        'D\tguides/setup.md',
        'A\thandbook/setup.md',
        'M\tnonl.txt',
        'M\tnotes/crlf-user.md',
        'M\tscripts/run.bat',
        'M\tscripts/run.sh',
        'M\tsrc/proj/mod.py',
      ].sort(),
    );
    expect(git(dir, 'show', 'sync-v2:CHECKLIST.md')).toBe(CHECKLIST_MERGED);
  });

  it('an existing branch name is refused with exit 2 before anything is written', async () => {
    const dir = project();
    const start = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
    const before = snapshot(dir, true);
    const r = await sync(dir, '--branch', start);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`--branch: .*${start}.*exists`));
    expect(snapshot(dir, true)).toEqual(before);
  });
});

describe('more refusals and edges', () => {
  it('--to a version the template does not have: exit 2, nothing written', async () => {
    const dir = project();
    const before = snapshot(dir, true);
    const r = await sync(dir, '--to', 'v9.9.9');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no tag, branch or commit "v9\.9\.9"/);
    expect(snapshot(dir, true)).toEqual(before);
  });

  it('a symbolic link where the template has a file: exit 2, nothing read through it or written', async () => {
    const dir = project();
    rmSync(path.join(dir, 'README.md'));
    writeFileSync(path.join(dir, 'elsewhere.md'), 'target\n');
    execFileSync('ln', ['-s', 'elsewhere.md', path.join(dir, 'README.md')]);
    commit(dir);
    const before = snapshot(dir, true);
    const r = await sync(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/README\.md: is a symbolic link/);
    expect(snapshot(dir, true)).toEqual(before);
  });

  it('one sync at a time: a live lock holder is refused with exit 2, a stale lock is taken over', async () => {
    const dir = project();
    const lock = path.join(dir, '.git/create-migration.lock');
    writeFileSync(lock, String(process.pid)); // this test process: alive
    const before = snapshot(dir, true);
    // (it waits for the lock first: a short wait here, sync-real.test.ts tests the wait)
    const r = await runCli(['sync'], { cwd: dir, env: { CREATE_MIGRATION_LOCK_WAIT_MS: '200' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`another create-migration (pid ${process.pid}) is working on it`);
    expect(snapshot(dir, true)).toEqual(before);

    writeFileSync(lock, '999999999'); // no such process
    const ok = await sync(dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(exists(dir, '.git/create-migration.lock')).toBe(false);
    expect(manifest(dir).template.version).toBe('2.0.0');
  });

  it('--check and --dry-run run on a dirty work tree (they write nothing)', async () => {
    const dir = project();
    edit(dir, 'README.md', (s) => s.replace('Intro line.', 'Intro line, not committed.'));
    const before = snapshot(dir, true);
    expect((await sync(dir, '--check')).code).toBe(1);
    const dry = await sync(dir, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(' Intro line, not committed.\n');
    expect(snapshot(dir, true)).toEqual(before);
  });

  it('--branch with conflicts: the branch is made and the conflicts left on it, uncommitted (exit 1)', async () => {
    const dir = project();
    conflictEdit(dir);
    commit(dir);
    const tip = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await sync(dir, '--branch', 'sync-v2');
    expect(r.code, r.stderr).toBe(1);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('sync-v2');
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(tip);
    expect(porcelain(dir)).toContain('UU docs/conflict.md');
  });

  it('a rename whose user edit overlaps the template change: conflict at the new path, the old path gone', async () => {
    const dir = project();
    edit(dir, 'guides/setup.md', (s) => s.replace('Step 4: run old tool', 'Step 4: run my tool'));
    commit(dir);
    const r = await sync(dir, '--json');
    expect(r.code, r.stderr).toBe(1);
    const o = parse(r).projects[0]!.outcomes.find((x) => x.path === 'handbook/setup.md');
    expect(o).toMatchObject({ status: 'conflict', from: 'guides/setup.md' });
    expect(read(dir, 'handbook/setup.md')).toContain('<<<<<<< yours\nStep 4: run my tool\n');
    expect(exists(dir, 'guides/setup.md')).toBe(false);
    expect(porcelain(dir)).toEqual(expect.arrayContaining([' D guides/setup.md']));
    expect(git(dir, 'show', ':2:handbook/setup.md')).toContain('Step 4: run my tool');
  });
});

describe('30. --json for one project', () => {
  it('prints one object with the documented shape, and nothing else on stdout or stderr', async () => {
    const dir = project();
    cleanEdits(dir);
    commit(dir);
    const r = await sync(dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = parse(r);
    expect(out).toEqual({
      ok: true,
      command: 'sync',
      exitCode: 0,
      projects: [
        {
          dir,
          exitCode: 0,
          from: '1.0.0',
          to: '2.0.0',
          base: 'pristine-branch',
          fromRef: 'v1.0.0',
          toRef: 'v2.0.0',
          baseDetail: git(dir, 'rev-parse', '--short=7', 'migration-template^').trim(),
          outcomes: expect.any(Array),
          conflicts: 0,
          behind: true,
          written: true,
          recovered: [],
          template: 'demo',
          notes: [],
          answerChanges: [],
        },
      ],
    });
    const outcomes = out.projects[0]!.outcomes;
    for (const o of outcomes) expect(Object.keys(o).every((k) => ['path', 'status', 'from', 'note', 'rej'].includes(k))).toBe(true);
    expect(outcomes).toContainEqual({ path: 'handbook/setup.md', from: 'guides/setup.md', status: 'renamed', note: 'updated' });
    expect(outcomes).toContainEqual({ path: 'docs/new.md', status: 'added' });
    expect(outcomes).toContainEqual({ path: 'NOTES.md', status: 'skipped', note: 'project-owned' });
    expect(outcomes.map((o) => o.status)).not.toContain('unchanged');
  });
});

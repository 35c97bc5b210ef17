import { cpSync, existsSync, linkSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, snapshot, tempDir } from './helpers/cli.js';
import { git, writeTree, type Tree } from './helpers/template-repo.js';

// Each attack from issue 10 as its user would meet it: the built CLI on real folders and git
// repositories. "Nothing written" is checked on the whole sandbox, the project's .git included.

const SPEC = (version: string) => `name: t
version: ${version}
questions:
  - { key: project_name, type: slug, default: "{{dir_name}}" }
  - { key: p, type: text, default: "x", required: false }
`;

/** A git template: v1.0.0 holds `v1`, v1.1.0 holds `v2` (both under files/). */
function templateRepo(dir: string, v1: Tree, v2: Tree): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  const commitVersion = (version: string, files: Tree) => {
    git(dir, 'rm', '-rq', '--ignore-unmatch', 'files');
    writeTree(dir, { 'template.yaml': SPEC(version), ...Object.fromEntries(Object.entries(files).map(([p, d]) => [`files/${p}`, d])) });
    // git itself would refuse some of the hostile names a template may hold on other systems.
    git(dir, '-c', 'core.protectNTFS=false', 'add', '-A');
    git(dir, 'commit', '-qm', version);
    git(dir, 'tag', `v${version}`);
  };
  commitVersion('1.0.0', v1);
  commitVersion('1.1.0', v2);
  return dir;
}

/** A template folder (not git) holding `files`. */
function templateDir(dir: string, files: Tree): string {
  writeTree(dir, { 'template.yaml': SPEC('1.0.0'), ...Object.fromEntries(Object.entries(files).map(([p, d]) => [`files/${p}`, d])) });
  return dir;
}

const BASE: Tree = { 'README.md': '# Project\n', 'docs/guide.md': 'guide v1\n', 'docs/deep/more/page.md': 'page v1\n' };
const NEXT: Tree = { 'README.md': '# Project\nv1.1\n', 'docs/guide.md': 'guide v1.1\n', 'docs/deep/more/page.md': 'page v1.1\n', 'docs/added.md': 'new\n' };

/** A sandbox with a template and a project generated from its v1.0.0 (with git unless told). */
async function projectFrom(v2Extra: Tree, opts: { git?: boolean } = {}) {
  const tmp = realpathSync(tempDir('cm-boundary-'));
  const tpl = templateRepo(path.join(tmp, 'tpl'), BASE, { ...NEXT, ...v2Extra });
  const args = ['proj', '--template', `${tpl}#v1.0.0`, '--yes', ...(opts.git === false ? ['--no-git'] : [])];
  const r = await runCli(args, { cwd: tmp });
  expect(r.code, r.stderr).toBe(0);
  const dir = path.join(tmp, 'proj');
  // Sync to the newest tag, not the pinned one.
  const manifestFile = path.join(dir, '.migration-template.json');
  const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
  m.template.ref = undefined;
  writeFileSync(manifestFile, `${JSON.stringify(m, null, 2)}\n`);
  if (opts.git !== false) git(dir, 'commit', '-qam', 'unpin');
  return { tmp, tpl, dir };
}

async function refusedEverywhere(tmp: string, args: string[], cwd: string, message: RegExp): Promise<void> {
  const before = snapshot(tmp);
  const r = await runCli(args, { cwd });
  expect(r.stderr).toMatch(message);
  expect(r.code, r.stderr).toBe(2);
  expect(snapshot(tmp)).toEqual(before);
}

describe('a template may not write into any .git, in any letter case or disguise', () => {
  const PATHS = ['sub/dot_git/config', 'sub/.git/config', '.GIT/config', '.Git/hooks/post-checkout', 'a/b/c/dot_gIt/config', 'x/.git./config', 'x/GIT~1/config'];

  it.each(PATHS)('generate --no-git refuses %s: exit 2, nothing written', async (p) => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'README.md': 'hi\n', [p]: '[core]\n\tfsmonitor = "touch /tmp/pwned"\n' });
    await refusedEverywhere(tmp, ['p', '--yes', '--no-git', '--template', 'tpl'], tmp, /writes inside git's own folder/);
  });

  // A git tree cannot hold a literal .git name; dot_ renders to it, in every case.
  const IN_GIT = ['sub/dot_git/config', 'dot_GIT/config', 'dot_Git/hooks/post-checkout', 'a/b/c/dot_gIt/config', 'x/dot_git./config', 'x/GIT~1/config'];

  it.each(IN_GIT)('sync refuses a new version that adds %s: exit 2, nothing written', async (p) => {
    const { tmp, dir } = await projectFrom({ [p]: '[core]\n\tfsmonitor = "touch /tmp/pwned"\n' });
    await refusedEverywhere(tmp, ['sync'], dir, /writes inside git's own folder/);
  });
});

describe("the tool's own names cannot come from a template", () => {
  it.each(['dot_migration-template.lock', 'dot_migration-template.json', 'sub/dot_migration-template.journal', 'dot_Migration-Template.JSON', 'docs/.x.0123456789abcdef.cm-tmp'])(
    'sync refuses a new version that adds %s (no lock-out, no permanent conflict)',
    async (p) => {
      const { tmp, dir } = await projectFrom({ [p]: '1\n' });
      await refusedEverywhere(tmp, ['sync'], dir, /a name create-migration keeps for its own files/);
    },
  );

  it('generate refuses the same', async () => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'README.md': 'hi\n', 'dot_migration-template.lock': '1\n' });
    await refusedEverywhere(tmp, ['p', '--yes', '--template', 'tpl'], tmp, /\.migration-template\.lock.*keeps for its own files/);
  });
});

describe('a planted journal never writes outside the project', () => {
  const journal = (originals: Record<string, string | null>, extra: object = {}) =>
    JSON.stringify({ version: 1, originals: Object.fromEntries(Object.entries(originals).map(([k, v]) => [k, v === null ? null : Buffer.from(v).toString('base64')])), createdDirs: [], ...extra });

  it.each([
    ['../victim.sh', {}],
    ['../../victim.sh', {}],
    ['sub/../../victim.sh', {}],
    ['.git/hooks/pre-commit', {}],
    ['.GIT/config', {}],
    ['/tmp/cm-victim.sh', {}],
  ])('in a --no-git project, an entry %s: exit 2 naming the journal, nothing restored', async (target, extra) => {
    const { tmp, dir } = await projectFrom({}, { git: false });
    writeFileSync(path.join(dir, '.migration-template.journal'), journal({ [target]: '#!/bin/sh\necho pwned\n' }, { root: dir, modes: { [target]: 0o4755 }, ...extra }));
    const before = snapshot(tmp);
    const r = await runCli(['sync'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.migration-template\.journal: holds the path .* which is not a path inside the project/);
    expect(snapshot(tmp)).toEqual(before);
    expect(existsSync('/tmp/cm-victim.sh')).toBe(false);
  });

  it('a linked original (a big file kept as a hard link) is restored only inside the project, and only from a version 2 journal', async () => {
    const { tmp, dir } = await projectFrom({}, { git: false });
    const run = '0123456789abcdef';
    writeFileSync(path.join(dir, `.migration-template.journal.${run}-0.orig.cm-tmp`), '#!/bin/sh\necho pwned\n');
    for (const [linked, version, message] of [
      [['../victim.sh'], 2, /holds the path .* which is not a path inside the project/],
      [['/tmp/cm-victim.sh'], 2, /holds the path .* which is not a path inside the project/],
      [['README.md'], 1, /has linked originals without a version 2 run/],
      [['README.md', 'README.md'], 2, /has a malformed linked/],
    ] as const) {
      writeFileSync(path.join(dir, '.migration-template.journal'), JSON.stringify({ version, root: dir, run, originals: {}, linked, createdDirs: [] }));
      const before = snapshot(tmp);
      const r = await runCli(['sync'], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(snapshot(tmp)).toEqual(before);
      expect(existsSync('/tmp/cm-victim.sh')).toBe(false);
    }
  });

  it('a journal that names no project, or another one, is refused whole', async () => {
    const { tmp, dir } = await projectFrom({}, { git: false });
    for (const root of [undefined, '/somewhere/else', path.join(tmp, 'other')]) {
      writeFileSync(path.join(dir, '.migration-template.journal'), journal({ 'README.md': 'planted\n' }, root ? { root } : {}));
      const before = snapshot(tmp);
      const r = await runCli(['sync'], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/names another project/);
      expect(snapshot(tmp)).toEqual(before);
    }
  });

  it('a journal shipped by a template (dot_migration-template.journal) is refused at generate', async () => {
    const tmp = tempDir();
    templateDir(path.join(tmp, 'tpl'), { 'README.md': 'hi\n', 'dot_migration-template.journal': journal({ '../x': 'y' }) });
    await refusedEverywhere(tmp, ['p', '--yes', '--no-git', '--template', 'tpl'], tmp, /keeps for its own files/);
  });

  it('an entry under a folder symlinked out of the project, two levels up, is not restored through the link', async () => {
    const { tmp, dir } = await projectFrom({});
    const outside = path.join(tmp, 'outside');
    mkdirSync(path.join(outside, 'more'), { recursive: true });
    writeFileSync(path.join(outside, 'more/page.md'), 'outside\n');
    renameSync(path.join(dir, 'docs/deep'), path.join(tmp, 'deep-moved'));
    symlinkSync(outside, path.join(dir, 'docs/deep'));
    writeFileSync(path.join(dir, '.git/create-migration-journal.json'), journal({ 'docs/deep/more/page.md': 'planted\n', 'docs/deep/more/new.md': 'planted\n' }));
    const r = await runCli(['sync', '--allow-dirty'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(readFileSync(path.join(outside, 'more/page.md'), 'utf8')).toBe('outside\n');
    expect(existsSync(path.join(outside, 'more/new.md'))).toBe(false);
    // The journal stays: it still holds what it could not restore.
    expect(existsSync(path.join(dir, '.git/create-migration-journal.json'))).toBe(true);
  });

  it('restores permission bits only (never setuid), and never changes a hard-linked file in place', async () => {
    const { tmp, dir } = await projectFrom({});
    const victim = path.join(tmp, 'victim.txt');
    writeFileSync(victim, readFileSync(path.join(dir, 'README.md')));
    const before = statSync(victim).mode & 0o7777;
    // README.md in the project is a hard link to a file outside it.
    linkSync(victim, path.join(dir, 'README.tmp'));
    renameSync(path.join(dir, 'README.tmp'), path.join(dir, 'README.md'));
    writeFileSync(path.join(dir, '.git/create-migration-journal.json'), journal({ 'README.md': readFileSync(victim, 'utf8'), 'docs/guide.md': 'guide v1\n' }, { modes: { 'README.md': 0o4755, 'docs/guide.md': 0o6755 } }));
    const r = await runCli(['sync', '--allow-dirty'], { cwd: dir });
    expect([0, 1], r.stderr).toContain(r.code);
    expect(statSync(victim).mode & 0o7777).toBe(before);
    expect(statSync(path.join(dir, 'docs/guide.md')).mode & 0o7000).toBe(0);
  });
});

describe('manifest keys are paths, checked like any other', () => {
  it.each(['../victim/data.txt', '../../victim/data.txt', '.git/description', '.GIT/info/exclude', 'docs/.Git/config', '/etc/hostname', 'a/../../victim/data.txt', '.migration-template.lock'])(
    'files key %s: exit 2 naming the key, nothing deleted',
    async (key) => {
      const { tmp, dir } = await projectFrom({}, { git: false });
      mkdirSync(path.join(tmp, 'victim'));
      writeFileSync(path.join(tmp, 'victim/data.txt'), 'precious\n');
      const file = path.join(dir, '.migration-template.json');
      const m = JSON.parse(readFileSync(file, 'utf8'));
      // The hash of the victim's content: the two-way mode would delete it as "unchanged".
      m.files[key] = 'a'.repeat(64);
      writeFileSync(file, JSON.stringify(m));
      await refusedEverywhere(tmp, ['sync'], dir, new RegExp(`files key ${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      expect(readFileSync(path.join(tmp, 'victim/data.txt'), 'utf8')).toBe('precious\n');
    },
  );

  it('a manifest nested a million deep: exit 2, no stack overflow', async () => {
    const { tmp, dir } = await projectFrom({}, { git: false });
    const m = JSON.parse(readFileSync(path.join(dir, '.migration-template.json'), 'utf8'));
    const text = JSON.stringify(m).replace(/}$/, `,"x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    writeFileSync(path.join(dir, '.migration-template.json'), text);
    await refusedEverywhere(tmp, ['sync'], dir, /\.migration-template\.json: .* nests deeper/);
  });
});

describe('no read or write through a symbolic link in the project', () => {
  it('a committed link docs -> ../outside: exit 2, nothing outside written', async () => {
    const { tmp, dir } = await projectFrom({});
    const outside = path.join(tmp, 'outside');
    cpSync(path.join(dir, 'docs'), outside, { recursive: true });
    git(dir, 'rm', '-rq', 'docs');
    symlinkSync('../outside', path.join(dir, 'docs'));
    git(dir, 'add', 'docs');
    git(dir, 'commit', '-qm', 'link');
    await refusedEverywhere(tmp, ['sync'], dir, /docs: is a symbolic link in the project/);
  });

  it('a link two levels up (docs/deep -> outside): exit 2, nothing outside written', async () => {
    const { tmp, dir } = await projectFrom({});
    const outside = path.join(tmp, 'outside');
    cpSync(path.join(dir, 'docs/deep'), outside, { recursive: true });
    git(dir, 'rm', '-rq', 'docs/deep');
    symlinkSync('../../outside', path.join(dir, 'docs/deep'));
    git(dir, 'add', 'docs/deep');
    git(dir, 'commit', '-qm', 'link');
    await refusedEverywhere(tmp, ['sync'], dir, /docs\/deep: is a symbolic link in the project/);
  });

  it('status does not read checklists through a link', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes', '--no-git'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    mkdirSync(path.join(tmp, 'secret'));
    writeFileSync(path.join(tmp, 'secret/passwords.md'), '# Secrets\n\n- [ ] hunter2\n');
    symlinkSync(path.join(tmp, 'secret/passwords.md'), path.join(dir, 'docs/checklists/zz-link.md'));
    const r = await runCli(['status', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const paths = JSON.parse(r.stdout).checklists.map((c: { path: string }) => c.path);
    expect(paths).not.toContain('docs/checklists/zz-link.md');
    expect(paths.length).toBeGreaterThan(4);
  });
});

describe('add and adopt go through the lock and the journal', () => {
  const addArgs = ['add', 'workflow', 'billing', '--pattern', 'etl', '--yes'];

  it('add is refused while another run holds the lock', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    writeFileSync(path.join(dir, '.git/create-migration.lock'), String(process.pid));
    const before = snapshot(tmp);
    const r = await runCli(addArgs, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another create-migration \(pid \d+\) is working on it/);
    expect(snapshot(tmp)).toEqual(before);
  });

  it('adopt is refused while another run holds the lock', async () => {
    const tmp = tempDir();
    const dir = path.join(tmp, 'repo');
    mkdirSync(dir);
    git(dir, 'init', '-q');
    writeFileSync(path.join(dir, '.git/create-migration.lock'), String(process.pid));
    const before = snapshot(tmp);
    const r = await runCli(['adopt', '--yes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(snapshot(tmp)).toEqual(before);
  });

  it('adopt killed after its files and branch are written: the next adopt rolls it back first, then adopts once', async () => {
    const tmp = tempDir();
    const dir = path.join(tmp, 'repo');
    mkdirSync(dir);
    git(dir, 'init', '-q');
    writeFileSync(path.join(dir, 'README.md'), '# Ours\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'start');
    const { spawn } = await import('node:child_process');
    const { CLI, testEnv } = await import('./helpers/cli.js');
    const child = spawn(process.execPath, [CLI, 'adopt', '--yes'], { cwd: dir, env: testEnv({ CREATE_MIGRATION_HOLD: 'apply:git' }), stdio: ['ignore', 'ignore', 'pipe'] });
    const done = new Promise<string | null>((resolve) => child.on('close', (_c, sig) => resolve(sig)));
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('hold apply:git')) child.kill('SIGKILL');
    });
    expect(await done).toBe('SIGKILL');
    // Killed with the manifest written and the pristine branch moved: both are undone first.
    expect(existsSync(path.join(dir, '.git/create-migration-journal.json'))).toBe(true);
    const r = await runCli(['adopt', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, 'rev-list', '--count', 'migration-template').trim()).toBe('1');
    expect(existsSync(path.join(dir, '.git/create-migration-journal.json'))).toBe(false);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('# Ours\n');
  });

  it('add after a killed sync first rolls the sync back from its journal, and never replaces it', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    const original = readFileSync(path.join(dir, 'README.md'), 'utf8');
    // What a sync killed after writing README.md leaves.
    writeFileSync(path.join(dir, 'README.md'), 'half-synced\n');
    writeFileSync(path.join(dir, '.git/create-migration-journal.json'), JSON.stringify({ version: 1, originals: { 'README.md': Buffer.from(original).toString('base64') }, createdDirs: [] }));
    const r = await runCli(addArgs, { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(original);
    expect(existsSync(path.join(dir, '.git/create-migration-journal.json'))).toBe(false);
  });

  it('add in a linked worktree keeps its journal and lock in that worktree git folder, as sync does', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes'], { cwd: tmp })).code).toBe(0);
    const main = path.join(tmp, 'p');
    git(main, 'worktree', 'add', '-q', path.join(tmp, 'wt'));
    const wt = path.join(tmp, 'wt');
    const gitDir = git(wt, 'rev-parse', '--absolute-git-dir').trim();
    writeFileSync(path.join(gitDir, 'create-migration.lock'), String(process.pid));
    const r = await runCli(addArgs, { cwd: wt });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another create-migration/);
  });

  async function pinnedProject(tmp: string) {
    const { builtinTemplateRepo, edit } = await import('./helpers/git.js');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/docs/kailash-mapping.md'), (t) => `${t}\nTemplate 1.1 note.\n`));
    expect((await runCli(['p', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp })).code).toBe(0);
    const proto = path.join(tmp, 'p');
    const m = JSON.parse(readFileSync(path.join(proto, '.migration-template.json'), 'utf8'));
    m.template.ref = undefined;
    writeFileSync(path.join(proto, '.migration-template.json'), `${JSON.stringify(m, null, 2)}\n`);
    git(proto, 'commit', '-qam', 'unpin');
    return proto;
  }

  it('add while a sync is part way through its writes is refused; after it, both edits are there', async () => {
    const tmp = tempDir();
    const dir = await pinnedProject(tmp);
    const { spawn } = await import('node:child_process');
    const { CLI, testEnv } = await import('./helpers/cli.js');
    const sync = spawn(process.execPath, [CLI, 'sync'], { cwd: dir, env: testEnv({ CREATE_MIGRATION_HOLD: 'apply:files' }), stdio: ['ignore', 'ignore', 'pipe'] });
    const syncDone = new Promise<number | null>((resolve) => sync.on('close', (c) => resolve(c)));
    await new Promise<void>((resolve) => {
      let err = '';
      sync.stderr.on('data', (d) => {
        err += d;
        if (err.includes('hold apply:files')) resolve();
      });
    });
    const beside = await runCli(addArgs, { cwd: dir });
    expect(beside.code).toBe(2);
    expect(beside.stderr).toMatch(/another create-migration \(pid \d+\) is working on it/);
    sync.kill('SIGTERM');
    expect(await syncDone).toBe(143);
    const a = await runCli(addArgs, { cwd: dir });
    expect(a.code, a.stderr).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'add billing');
    const s2 = await runCli(['sync'], { cwd: dir });
    expect(s2.code, s2.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'docs/kailash-mapping.md'), 'utf8');
    expect(text).toMatch(/billing/);
    expect(text).toContain('Template 1.1 note.');
  }, 60_000);

  it('add and sync started together, 4 times: both edits of docs/kailash-mapping.md survive, or one run is refused', async () => {
    const tmp = tempDir();
    const proto = await pinnedProject(tmp);
    for (let i = 0; i < 4; i++) {
      const dir = path.join(tmp, `run${i}`);
      cpSync(proto, dir, { recursive: true });
      const [a, s] = await Promise.all([runCli(addArgs, { cwd: dir }), runCli(['sync', '--allow-dirty'], { cwd: dir })]);
      expect([0, 2], a.stderr).toContain(a.code);
      expect([0, 1, 2], s.stderr).toContain(s.code);
      const text = readFileSync(path.join(dir, 'docs/kailash-mapping.md'), 'utf8');
      if (a.code === 0) expect(text, `run ${i}: add's row`).toMatch(/billing/);
      if (s.code === 0) expect(text, `run ${i}: sync's change`).toContain('Template 1.1 note.');
      expect(existsSync(path.join(dir, '.git/create-migration-journal.json'))).toBe(false);
    }
  }, 120_000);
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn, recordingGit } from './helpers/git.js';

// Every git process is a start-up's worth of time: commands that need none must start none.
// A `git` first on PATH (recordingGit) records each call, then runs the real one.

describe('git processes', () => {
  it('a project made with --no-git, with no repository around it: status and sync --check start no git', async () => {
    const tmp = tempDir();
    const gen = await runCli(['p', '--yes', '--no-git'], { cwd: tmp });
    expect(gen.code, gen.stderr).toBe(0);
    const git = recordingGit(tmp);
    const status = await runCli(['status'], { cwd: path.join(tmp, 'p'), env: git.env });
    expect(status.code, status.stderr).toBe(0);
    const check = await runCli(['sync', '--check'], { cwd: path.join(tmp, 'p'), env: git.env });
    expect(check.code, check.stderr).toBe(0);
    expect(git.calls()).toEqual([]);
  });

  it('sync --check over projects made from a template repository: no git process for a template whose objects are loose, nor for a project the team changed (its base read from the pristine branch files)', async () => {
    const tmp = tempDir();
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (d) => edit(path.join(d, 'files/README.md'), (t) => `${t}\nNew in 1.1.0.\n`));
    for (const name of ['clean', 'edited', 'current']) {
      const g = await runCli([name, '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp });
      expect(g.code, g.stderr).toBe(0);
    }
    const dir = (name: string) => path.join(tmp, name);
    edit(path.join(dir('edited'), 'TASKS.md'), (t) => `${t}\n- team note\n`);
    gitIn(dir('edited'), 'commit', '-qam', 'team note');
    const synced = await runCli(['sync', dir('current')], { cwd: tmp });
    expect(synced.code, synced.stderr).toBe(0);
    gitIn(dir('current'), 'add', '-A');
    gitIn(dir('current'), 'commit', '-qm', 'sync');
    // The parsed template is cached after its first read (as on a developer's machine or a CI
    // runner keeping its cache); only what is asked after that is counted.
    await runCli(['sync', '--check', dir('clean')], { cwd: tmp });

    const count = async (...dirs: string[]) => {
      const git = recordingGit(tempDir());
      const r = await runCli(['sync', '--check', '--json', ...dirs], { cwd: tmp, env: git.env });
      return { r, calls: git.calls() };
    };
    // Up to date: the template's tags, commit and tree (to check the cache against) are read
    // from its files, and nothing is asked for the project.
    const up = await count(dir('current'));
    expect(up.r.code, up.r.stderr).toBe(0);
    expect(up.calls).toEqual([]);
    // Behind with every file as last rendered: the base is the project's own files.
    const clean = await count(dir('clean'));
    expect(clean.r.code).toBe(1);
    expect(JSON.parse(clean.r.stdout).projects[0]).toMatchObject({ behind: true, base: 'as-rendered' });
    expect(clean.calls).toEqual([]);
    // Behind with a change of the team's: the base of that one file, read from the pristine
    // branch's objects in the repository's files (its pack, as generate wrote it).
    const edited = await count(dir('edited'));
    expect(edited.r.code).toBe(1);
    expect(JSON.parse(edited.r.stdout).projects[0]).toMatchObject({ behind: true, base: 'pristine-branch' });
    expect(edited.calls).toEqual([]);
    // Many at once: none asks git.
    const all = await count(dir('clean'), dir('edited'), dir('current'));
    expect(all.r.code).toBe(1);
    expect(all.calls).toEqual([]);
    // Once git packs the template's objects (as in a clone), the tag's commit and its tree are
    // read from the pack: still no git process.
    gitIn(tpl, 'gc', '-q');
    const packed = await count(dir('clean'), dir('edited'));
    expect(packed.r.code).toBe(1);
    expect(packed.calls).toEqual([]);
  });

  it('sync of a committed project behind its template starts no git (the pristine commit written in-process, as fast-import would); a dirty one is refused by git status', async () => {
    const tmp = tempDir();
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (d) => edit(path.join(d, 'files/README.md'), (t) => `${t}\nNew in 1.1.0.\n`));
    for (const name of ['edited', 'dirty']) {
      const g = await runCli([name, '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp });
      expect(g.code, g.stderr).toBe(0);
      edit(path.join(tmp, name, 'TASKS.md'), (t) => `${t}\n- team note\n`);
      gitIn(path.join(tmp, name), 'commit', '-qam', 'team note');
    }
    edit(path.join(tmp, 'dirty', 'README.md'), (t) => `${t}\nnot committed\n`);
    await runCli(['sync', '--check', path.join(tmp, 'edited')], { cwd: tmp });

    const git = recordingGit(tempDir());
    const synced = await runCli(['sync', path.join(tmp, 'edited')], { cwd: tmp, env: git.env });
    expect(synced.code, synced.stderr).toBe(0);
    // The work tree proved clean from the index, the base read from the pristine branch's files:
    // no status, no cat-file; the new pristine commit and the branch's move written in-process.
    expect(git.calls()).toEqual([]);
    expect(gitIn(path.join(tmp, 'edited'), 'log', '-1', '--format=%s', 'migration-template')).toMatch(/^Template kailash-migration 1\.1\.0/);
    expect(gitIn(path.join(tmp, 'edited'), 'fsck', '--strict', '--no-dangling')).toBe('');
    expect(gitIn(path.join(tmp, 'edited'), 'status', '--porcelain', '--untracked-files=no')).toMatch(/README\.md/);
    expect(readFileSync(path.join(tmp, 'edited', 'TASKS.md'), 'utf8')).toMatch(/team note/);

    const git2 = recordingGit(tempDir());
    const refused = await runCli(['sync', path.join(tmp, 'dirty')], { cwd: tmp, env: git2.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/uncommitted changes \(README\.md\)/);
    expect(git2.calls().some((c) => /\bstatus\b/.test(c))).toBe(true);
  });

  it('generate starts only git init: identities read from the config files, the commit, branches, files and index written without git var, fast-import or reset, as git would write them', async () => {
    const tmp = tempDir();
    const git = recordingGit(tmp);
    const g = await runCli(['p', '--yes'], { cwd: tmp, env: git.env });
    expect(g.code, g.stderr).toBe(0);
    expect(git.calls().map((c) => c.replace(/^(-c \S+ )+/, '').split(' ')[0])).toEqual(['init']);
    const dir = path.join(tmp, 'p');
    expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    expect(gitIn(dir, 'rev-parse', 'HEAD')).toBe(gitIn(dir, 'rev-parse', 'migration-template'));
    expect(gitIn(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    // The index's stat data are the files' own: nothing for git to look at again.
    expect(gitIn(dir, 'diff-files', '--name-only')).toBe('');
    expect(gitIn(dir, 'ls-files').trim().split('\n').length).toBeGreaterThan(50);
  });

  it('generate leaves the checkout to git where the user asks it to convert line endings', async () => {
    const tmp = tempDir();
    const git = recordingGit(tmp);
    const config = path.join(tmp, 'gitconfig');
    writeFileSync(config, '[core]\n\tautocrlf = true\n');
    const g = await runCli(['p', '--yes'], { cwd: tmp, env: { ...git.env, GIT_CONFIG_GLOBAL: config } });
    expect(g.code, g.stderr).toBe(0);
    expect(git.calls().map((c) => c.replace(/^(-c \S+ )+/, '').split(' ')[0])).toEqual(['init', 'var', 'fast-import', 'reset']);
    // As git checks files out under autocrlf: with CRLF line endings.
    expect(readFileSync(path.join(tmp, 'p/README.md'), 'utf8')).toContain('\r\n');
  });

  it('generate with autocrlf in the user\'s own ~/.gitconfig: read in-process, the checkout still left to git reset', async () => {
    const tmp = tempDir();
    const git = recordingGit(tmp);
    const home = path.join(tmp, 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Home User\n\temail = home@example.com\n[core]\n\tautocrlf = true\n');
    const g = await runCli(['p', '--yes'], { cwd: tmp, env: { ...git.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } });
    expect(g.code, g.stderr).toBe(0);
    expect(git.calls().map((c) => c.replace(/^(-c \S+ )+/, '').split(' ')[0])).toEqual(['init', 'reset']);
    expect(readFileSync(path.join(tmp, 'p/README.md'), 'utf8')).toContain('\r\n');
    expect(gitIn(path.join(tmp, 'p'), '-c', 'core.autocrlf=true', 'status', '--porcelain')).toBe('');
  });
});

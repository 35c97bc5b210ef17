// Who makes a move (`job <id> --to ...` without --by) comes from git's user.name, read from its
// config files instead of a `git config` process. It must be what git itself says in every layout
// a user's config and a project's repository may have; where it cannot be sure it must say so
// (undefined), and the move asks git.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { userNameFromFiles } from '../src/edge/git/config-name.js';
import { CLI, runCli, tempDir, testEnv } from './helpers/cli.js';

interface Layout {
  name: string;
  home?: string;
  xdg?: string;
  repo?: string | null;
  /** The project sits in a subfolder of the repository. */
  sub?: boolean;
  xdgHome?: boolean;
  /** The files alone cannot say: undefined is the right answer. */
  unsure?: boolean;
}

const layouts: Layout[] = [
  { name: 'nothing anywhere', repo: null },
  { name: 'the user file', home: '[user]\n\tname = Jane Doe\n\temail = jane@example.com\n', repo: null },
  { name: 'the XDG file', xdg: '[user]\n  name = From Xdg\n', repo: null },
  { name: 'the XDG file moved by XDG_CONFIG_HOME', xdg: '[user]\n  name = Moved Xdg\n', xdgHome: true, repo: null },
  { name: '~/.gitconfig over the XDG file', xdg: '[user]\nname = Xdg\n', home: '[user]\nname = Home\n', repo: null },
  { name: 'the repository over the user', home: '[user]\nname = Home\n', repo: '[core]\n\tbare = false\n[user]\n\tname = Repo Person\n' },
  { name: 'the repository, from a subfolder', home: '[user]\nname = Home\n', repo: '[user]\n\tname = Repo Person\n', sub: true },
  { name: 'a repository without a name', home: '[user]\nname = Home\n', repo: '' },
  { name: 'the last of two', home: '[user]\nname = First\n[core]\n\tpager = less\n[user]\nname = Second\n', repo: null },
  { name: 'case of section and key, comments', home: '# mine\n[User]\n\tNAME = Case Person ; a comment\n\t; name = not this\n', repo: null },
  { name: 'spaces around =, a comment after the header', home: '[user] # me\nname=Tight   Spaced\n', repo: null },
  { name: 'a subsection is not the section', home: '[user]\n\tname = Me\n[user "work"]\n\tname = Not Me\n', repo: null },
  { name: 'an empty name', home: '[user]\n\tname =\n', repo: null },
  { name: 'CRLF lines', home: '[user]\r\n\tname = Windows Person\r\n', repo: null },
  { name: 'quoted', home: '[user]\n\tname = "Quoted # Person"\n', repo: null, unsure: true },
  { name: 'an include', home: '[include]\n\tpath = other\n[user]\n\tname = Included\n', repo: null, unsure: true },
  { name: 'a conditional include', home: '[user]\n\tname = Home\n', repo: '[includeIf "gitdir:/"]\n\tpath = x\n', unsure: true },
  { name: 'a continued value', home: '[user]\n\temail = a \\\nname = Inside\n', repo: null, unsure: true },
  { name: 'a bare key', home: '[user]\n\tname\n', repo: null, unsure: true },
  { name: 'per-worktree config', repo: '[extensions]\n\tworktreeConfig = true\n[user]\n\tname = R\n', unsure: true },
];

function gitsAnswer(cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync('git', ['config', 'user.name'], { cwd, env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function sameDeviceUp(dir: string): boolean {
  const dev = statSync(dir).dev;
  for (let d = dir; ; d = path.dirname(d)) {
    if (statSync(d).dev !== dev) return false;
    if (path.dirname(d) === d) return true;
  }
}

describe("git's user.name read from its files", () => {
  it('is what `git config user.name` prints, or undefined where the files alone cannot say', () => {
    for (const l of layouts) {
      const tmp = tempDir();
      const home = path.join(tmp, 'home');
      mkdirSync(home);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
      if (l.home !== undefined) writeFileSync(path.join(home, '.gitconfig'), l.home);
      const xdgDir = l.xdgHome ? path.join(tmp, 'xdg') : path.join(home, '.config');
      if (l.xdgHome) env.XDG_CONFIG_HOME = xdgDir;
      if (l.xdg !== undefined) {
        mkdirSync(path.join(xdgDir, 'git'), { recursive: true });
        writeFileSync(path.join(xdgDir, 'git/config'), l.xdg);
      }
      const repo = path.join(tmp, 'repo');
      mkdirSync(repo);
      if (l.repo !== null) {
        expect(spawnSync('git', ['init', '-q', repo], { env }).status).toBe(0);
        if (l.repo !== undefined) writeFileSync(path.join(repo, '.git/config'), `[core]\n\trepositoryformatversion = 0\n${l.repo}`);
      }
      const dir = l.sub ? path.join(repo, 'sub/proj') : repo;
      mkdirSync(dir, { recursive: true });
      const got = userNameFromFiles(dir, env);
      const git = gitsAnswer(dir, env);
      if (l.unsure) expect(got, l.name).toBeUndefined();
      else if (l.repo !== null || sameDeviceUp(dir)) expect(got, l.name).toBe(git);
      else if (got !== undefined) expect(got, l.name).toBe(git);
    }
  });

  it('leaves it to git where the environment moves its config or its repository', () => {
    const tmp = tempDir();
    for (const k of ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_PARAMETERS', 'GIT_DIR', 'GIT_CEILING_DIRECTORIES']) expect(userNameFromFiles(tmp, { HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', [k]: 'x' }), k).toBeUndefined();
    expect(userNameFromFiles(tmp, { HOME: tmp, GIT_CONFIG_NOSYSTEM: '0' })).toBeUndefined();
    expect(userNameFromFiles(tmp, { GIT_CONFIG_NOSYSTEM: '1' })).toBeUndefined();
  });
});

const canTrace = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', '-o', '/dev/null', 'true']).status === 0;

describe('a move names who made it without starting git', () => {
  it.skipIf(!canTrace)('job <id> --to ported records user.name from ~/.gitconfig, and node is the only program it runs', async () => {
    const tmp = tempDir();
    const home = path.join(tmp, 'home');
    mkdirSync(home);
    writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Traced Person\n');
    const env = { HOME: home };
    for (const args of [['p', '--yes', '--no-git'], ['add', 'workflow', 'nightly', '--pattern', 'etl', '--yes']]) {
      const r = await runCli(args, { cwd: args[0] === 'p' ? tmp : path.join(tmp, 'p'), env });
      expect(r.code, r.stderr).toBe(0);
    }
    const trace = path.join(tmp, 'trace');
    const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', '-o', trace, process.execPath, CLI, 'job', 'nightly', '--to', 'ported'], { cwd: path.join(tmp, 'p'), env: testEnv(env), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const programs = readFileSync(trace, 'utf8').split('\n').filter((l) => /execve\(/.test(l) && !/ = -1 /.test(l));
    expect(programs.map((l) => /execve\("([^"]+)"/.exec(l)![1])).toEqual([process.execPath]);
    const jobs = parse(readFileSync(path.join(tmp, 'p/jobs.yaml'), 'utf8'));
    expect(jobs.jobs[0].history.at(-1)).toMatchObject({ to: 'ported', by: 'Traced Person' });
  }, 60_000);
});

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { git, lfLines as lf } from './helpers/template-repo.js';
import { versionsRepo, type Version } from './helpers/versions-repo.js';

/** `sync --branch` across several versions: one commit per version, for a reviewer to read in turn. */

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const versions: Version[] = [
  { version: '1.0.0', tree: { 'README.md': lf('# r', 'a = 1', 'b = 1', 'c', 'd', 'e', 'f = 1') } },
  { version: '1.1.0', tree: { 'README.md': lf('# r', 'a = 1', 'b = 1', 'c', 'd', 'e', 'f = 2') } },
  { version: '2.0.0-rc.1', tree: { 'README.md': lf('# r', 'a = 1', 'b = rc', 'c', 'd', 'e', 'f = 2') } },
  { version: '2.0.0', tree: { 'README.md': lf('# r', 'a = 1', 'b = 3', 'c', 'd', 'e', 'f = 2'), 'new.md': lf('new in 2') } },
];

async function setup() {
  const root = tempDir('cm-commits-');
  const tpl = versionsRepo(path.join(root, 'tpl'), versions);
  const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  return { root, dir: path.join(root, 'proj') };
}
const subjects = (dir: string, range: string) => git(dir, 'log', '--reverse', '--format=%s', range).trim().split('\n');

describe('sync --branch across versions', () => {
  it('one commit per released version, oldest first; the pre-release is not a step', async () => {
    const { dir } = await setup();
    const r = await runCli(['sync', '--branch', 'up', '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(subjects(dir, 'main..up')).toEqual(['Sync template real 1.0.0 -> 1.1.0', 'Sync template real 1.1.0 -> 2.0.0']);
    expect(git(dir, 'show', 'up~1:README.md')).toBe(lf('# r', 'a = 1', 'b = 1', 'c', 'd', 'e', 'f = 2'));
    expect(read(dir, 'README.md')).toBe(lf('# r', 'a = 1', 'b = 3', 'c', 'd', 'e', 'f = 2'));
    expect(git(dir, 'show', '--name-only', '--format=', 'up')).toContain('new.md');
    const json = JSON.parse(r.stdout).projects[0];
    expect(json).toMatchObject({ from: '1.0.0', to: '2.0.0' });
    expect(json.steps.map((s: { to: string; committed: boolean }) => [s.to, s.committed])).toEqual([['1.1.0', true], ['2.0.0', true]]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect((await runCli(['sync', '--check'], { cwd: dir })).code).toBe(0);
  });

  it('--to naming the target (with or without v) steps through the versions before it too', async () => {
    const { dir } = await setup();
    const r = await runCli(['sync', '--branch', 'up', '--to', '2.0.0'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(subjects(dir, 'main..up')).toEqual(['Sync template real 1.0.0 -> 1.1.0', 'Sync template real 1.1.0 -> 2.0.0']);
    expect(r.stdout).toContain('committed 1.0.0 -> 1.1.0');
  });

  it('a version with conflicts stops there: earlier versions committed, its markers left for the team', async () => {
    const { dir } = await setup();
    writeFileSync(path.join(dir, 'README.md'), lf('# r', 'a = 1', 'b = team', 'c', 'd', 'e', 'f = 1'));
    git(dir, 'commit', '-qam', 'team');
    const r = await runCli(['sync', '--branch', 'up', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(subjects(dir, 'main..up')).toEqual(['Sync template real 1.0.0 -> 1.1.0']);
    expect(read(dir, 'README.md')).toContain('<<<<<<< yours');
    expect(JSON.parse(r.stdout).projects[0].steps.map((s: { to: string; conflicts: number }) => [s.to, s.conflicts])).toEqual([['1.1.0', 0], ['2.0.0', 1]]);
  });

  it('a step your hooks refuse takes the whole run back: your branch, no new branch, the pristine branch as it was', async () => {
    const { dir } = await setup();
    const pristine = git(dir, 'rev-parse', 'migration-template').trim();
    const hook = path.join(dir, '.git/hooks/commit-msg');
    writeFileSync(hook, '#!/bin/sh\nif grep -q "2.0.0" "$1"; then echo "no 2.0.0 here" >&2; exit 1; fi\n');
    chmodSync(hook, 0o755);
    const r = await runCli(['sync', '--branch', 'up'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no 2.0.0 here');
    expect(git(dir, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('main');
    expect(git(dir, 'branch', '--list', 'up')).toBe('');
    expect(git(dir, 'rev-parse', 'migration-template').trim()).toBe(pristine);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(read(dir, 'README.md')).toBe(lf('# r', 'a = 1', 'b = 1', 'c', 'd', 'e', 'f = 1'));
  });
});

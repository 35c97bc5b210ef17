import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { merge3 } from '../src/core/merge/merge3.js';
import { runCli, tempDir } from './helpers/cli.js';
import { git, lfLines as lf } from './helpers/template-repo.js';
import { versionsRepo, type Version } from './helpers/versions-repo.js';

/**
 * `--conflict diff3` and `--conflict merge`: conflicts written byte for byte as git's
 * `merge.conflictStyle` diff3 and merge styles write them (checked against `git merge-file`).
 */

const base = lf('# Settings', 'a', 'size = 1', 'b', 'c', 'd', 'e', 'tail = 1');
const theirs = lf('# Settings', 'a', 'size = 2', 'b', 'c', 'd', 'e', 'tail = 2');
const ours = lf('# Settings', 'a', 'size = 3', 'b', 'c', 'd', 'e', 'tail = 1');

const versions: Version[] = [
  { version: '1.0.0', tree: { 'settings.md': base } },
  { version: '2.0.0', tree: { 'settings.md': theirs } },
];

/** What `git merge-file` writes for the same three texts and labels. */
function gitMergeFile(style: 'diff3' | 'merge'): string {
  const dir = tempDir('cm-mf-');
  writeFileSync(path.join(dir, 'ours'), ours);
  writeFileSync(path.join(dir, 'base'), base);
  writeFileSync(path.join(dir, 'theirs'), theirs);
  const args = ['merge-file', '-p', ...(style === 'diff3' ? ['--diff3'] : []), '-L', 'yours', '-L', 'template 1.0.0', '-L', 'template 2.0.0', 'ours', 'base', 'theirs'];
  try {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    return (e as { stdout: string }).stdout; // exit status = number of conflicts
  }
}

async function project() {
  const root = tempDir('cm-style-');
  const tpl = versionsRepo(path.join(root, 'tpl'), versions);
  const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  const dir = path.join(root, 'proj');
  writeFileSync(path.join(dir, 'settings.md'), ours);
  git(dir, 'commit', '-qam', 'ours');
  return dir;
}

describe('conflict styles', () => {
  it('--conflict diff3: the base section between ||||||| and =======, as git merge-file --diff3 writes it', async () => {
    const dir = await project();
    const r = await runCli(['sync', '--conflict', 'diff3'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const text = readFileSync(path.join(dir, 'settings.md'), 'utf8');
    expect(text).toContain(lf('<<<<<<< yours', 'size = 3', '||||||| template 1.0.0', 'size = 1', '=======', 'size = 2', '>>>>>>> template 2.0.0'));
    expect(text).toBe(gitMergeFile('diff3'));
    // the clean change elsewhere is merged, and --check sees the markers
    expect(text).toContain('tail = 2');
    git(dir, 'add', 'settings.md');
    git(dir, 'commit', '-qm', 'markers left in');
    const check = await runCli(['sync', '--check', '--json'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).projects[0].unresolved).toEqual([{ path: 'settings.md', lines: '3-9' }]);
  });

  it('--conflict merge: no base section, as git merge-file writes it by default', async () => {
    const dir = await project();
    const r = await runCli(['sync', '--conflict', 'merge'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const text = readFileSync(path.join(dir, 'settings.md'), 'utf8');
    expect(text).not.toContain('|||||||');
    expect(text).toBe(gitMergeFile('merge'));
  });

  it('inline (the default) is the diff3 style', () => {
    const a = merge3(base, ours, theirs, { labels: { ours: 'yours', base: 'template 1.0.0', theirs: 'template 2.0.0' } });
    expect(a.text).toBe(gitMergeFile('diff3'));
  });

  it('an unknown style is exit 2 naming the flag and the styles', async () => {
    const dir = await project();
    const r = await runCli(['sync', '--conflict', 'zdiff4'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--conflict: "zdiff4" must be inline (the same as diff3), diff3, merge or rej');
  });
});

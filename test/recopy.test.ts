import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { git, lfLines as lf } from './helpers/template-repo.js';
import { versionsRepo, type Version } from './helpers/versions-repo.js';

/** `recopy`: rebuild from the template at the recorded answers and merge, for a project whose base is lost or broken. */

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const versions: Version[] = [
  { version: '1.0.0', tree: { 'README.md': lf('# r', 'a = 1', 'b', 'c', 'd', 'tail = 1'), 'plain.md': lf('plain v1') } },
  { version: '2.0.0', tree: { 'README.md': lf('# r', 'a = 1', 'b', 'c', 'd', 'tail = 2'), 'plain.md': lf('plain v2') } },
];

async function setup() {
  const root = tempDir('cm-recopy-');
  const tpl = versionsRepo(path.join(root, 'tpl'), versions);
  const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  const dir = path.join(root, 'proj');
  writeFileSync(path.join(dir, 'README.md'), lf('# r', 'a = team', 'b', 'c', 'd', 'tail = 1'));
  git(dir, 'commit', '-qam', 'team edit');
  return { root, tpl, dir };
}

/** Someone committed the team's README onto the pristine branch by hand: its base now says the team never edited it. */
function breakPristine(dir: string) {
  git(dir, 'checkout', '-q', 'migration-template');
  writeFileSync(path.join(dir, 'README.md'), lf('# r', 'a = team', 'b', 'c', 'd', 'tail = 1'));
  git(dir, 'commit', '-qam', 'oops: edited the pristine branch');
  git(dir, 'checkout', '-q', 'main');
}

describe('recopy', () => {
  it('a pristine branch broken by hand: sync would drop the team edit; recopy merges it, checked against the manifest', async () => {
    const { dir } = await setup();
    breakPristine(dir);
    const dry = await runCli(['sync', '--dry-run'], { cwd: dir });
    expect(dry.stdout).toContain('-a = team'); // the broken base takes the team's line away
    const r = await runCli(['recopy', '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(read(dir, 'README.md')).toBe(lf('# r', 'a = team', 'b', 'c', 'd', 'tail = 2'));
    expect(read(dir, 'plain.md')).toBe(lf('plain v2'));
    const p = JSON.parse(r.stdout).projects[0];
    expect(p.base).toBe('recopy');
    expect(p.to).toBe('2.0.0');
    // the pristine branch is made right again: the next sync is up to date
    git(dir, 'commit', '-qam', 'recopy');
    expect(JSON.parse(read(dir, '.migration-template.json')).template.version).toBe('2.0.0');
    expect(git(dir, 'show', 'migration-template:README.md')).toBe(lf('# r', 'a = 1', 'b', 'c', 'd', 'tail = 2'));
    expect((await runCli(['sync', '--check'], { cwd: dir })).code).toBe(0);
  });

  it('at the recorded version (--to): repairs without moving the version', async () => {
    const { dir } = await setup();
    breakPristine(dir);
    const r = await runCli(['recopy', '--to', 'v1.0.0', '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(read(dir, 'README.md')).toBe(lf('# r', 'a = team', 'b', 'c', 'd', 'tail = 1'));
    expect(git(dir, 'show', 'migration-template:README.md')).toBe(lf('# r', 'a = 1', 'b', 'c', 'd', 'tail = 1'));
    // and a plain sync now merges right
    const s = await runCli(['sync'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect(read(dir, 'README.md')).toBe(lf('# r', 'a = team', 'b', 'c', 'd', 'tail = 2'));
  });

  it('base lost entirely (no pristine branch, the recorded tag gone): untouched files updated, edited ones merged as added on both sides, in conflict', async () => {
    const { dir, tpl } = await setup();
    git(dir, 'branch', '-q', '-D', 'migration-template');
    git(tpl, 'tag', '-d', 'v1.0.0');
    const head = JSON.parse(read(dir, '.migration-template.json'));
    delete head.template.commit;
    writeFileSync(path.join(dir, '.migration-template.json'), `${JSON.stringify(head, null, 2)}\n`);
    git(dir, 'commit', '-qam', 'the recorded commit is gone too');
    const r = await runCli(['recopy', '--json'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(read(dir, 'plain.md')).toBe(lf('plain v2'));
    const readme = read(dir, 'README.md');
    expect(readme).toContain('<<<<<<< yours');
    expect(readme).toContain('||||||| no common version');
    expect(readme).toContain('a = team');
    expect(readme).toContain('tail = 2');
    expect(git(dir, 'status', '--porcelain')).toContain('AA README.md');
  });
});

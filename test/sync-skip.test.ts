import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, type Run } from './helpers/cli.js';
import { git, lfLines as lf } from './helpers/template-repo.js';
import { versionsRepo, type Version } from './helpers/versions-repo.js';

/** `sync --skip <version>`: the team declines a version; --check, sync and fleet pass over it until a newer one. */

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const manifest = (dir: string) => JSON.parse(read(dir, '.migration-template.json')) as { template: { version: string }; skipped?: string[] };
type Json = { exitCode: number; projects: { to: string; behind: boolean; skipped?: string; exitCode: number }[] };
const json = (r: Run) => JSON.parse(r.stdout) as Json;
const sync = (dir: string, ...args: string[]) => runCli(['sync', '--json', ...args], { cwd: dir });

const versions: Version[] = [
  { version: '1.0.0', tree: { 'README.md': lf('# r', 'v1') } },
  { version: '2.0.0', tree: { 'README.md': lf('# r', 'v2') } },
];

async function setup() {
  const root = tempDir('cm-skip-');
  const tpl = versionsRepo(path.join(root, 'tpl'), versions);
  const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  return { root, tpl, dir: path.join(root, 'proj') };
}

describe('sync --skip', () => {
  it('records the declined version; --check passes, sync and fleet offer nothing; the next version is offered', async () => {
    const { root, tpl, dir } = await setup();
    expect((await sync(dir, '--check')).code).toBe(1);
    const skip = await runCli(['sync', '--skip', 'v2.0.0'], { cwd: dir });
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stdout).toContain('2.0.0 skipped');
    expect(manifest(dir).skipped).toEqual(['2.0.0']);
    // only the manifest changed, and nothing else: the team commits it
    expect(git(dir, 'status', '--porcelain').trim()).toBe('M .migration-template.json');
    expect(read(dir, 'README.md')).toBe(lf('# r', 'v1'));
    git(dir, 'commit', '-qam', 'skip template 2.0.0');

    const check = await sync(dir, '--check');
    expect(check.code, check.stdout).toBe(0);
    expect(json(check).projects[0]).toMatchObject({ behind: false, skipped: '2.0.0' });
    const plain = await runCli(['sync'], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('2.0.0 skipped by the team');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const fleet = JSON.parse((await runCli(['fleet', 'proj', '--json'], { cwd: root })).stdout) as { exitCode: number; projects: { behind: boolean; skipped?: string }[] };
    expect(fleet.projects[0]).toMatchObject({ behind: false, skipped: '2.0.0' });
    expect(fleet.exitCode).toBe(0);

    // a newer version comes: offered, and taken, and the skip is done with
    git(tpl, 'checkout', '-q', 'v2.0.0');
    writeFileSync(path.join(tpl, 'template.yaml'), read(tpl, 'template.yaml').replace('version: 2.0.0', 'version: 2.1.0'));
    writeFileSync(path.join(tpl, 'files/README.md'), lf('# r', 'v2.1'));
    git(tpl, 'commit', '-qam', '2.1.0');
    git(tpl, 'tag', 'v2.1.0');
    const again = await sync(dir, '--check');
    expect(again.code).toBe(1);
    expect(json(again).projects[0]!.to).toBe('2.1.0');
    const r = await sync(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'README.md')).toBe(lf('# r', 'v2.1'));
    expect(manifest(dir).skipped).toBeUndefined();
  });

  it('--to naming a skipped version still takes it', async () => {
    const { dir } = await setup();
    expect((await runCli(['sync', '--skip', '2.0.0'], { cwd: dir })).code).toBe(0);
    git(dir, 'commit', '-qam', 'skip');
    const r = await sync(dir, '--to', 'v2.0.0');
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'README.md')).toBe(lf('# r', 'v2'));
  });

  it.each([
    [['--skip', '1.0.0'], '--skip: 1.0.0 is not newer than 1.0.0'],
    [['--skip', '9.9.9'], 'offers no version 9.9.9'],
    [['--skip', 'latest'], '--skip: "latest" is not a template version'],
    [['--skip', '2.0.0', '--check'], 'leave out --check'],
    [['--skip', '2.0.0', '--set', 'project_name=x'], 'leave out --set'],
  ])('sync %j: exit 2, nothing written', async (args, message) => {
    const { dir } = await setup();
    const r = await runCli(['sync', ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

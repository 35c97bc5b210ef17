import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdAndSignal, runCli, snapshot, tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// generate --force adds a project beside the files a folder already holds. Interrupted at each of
// its steps, the folder is as before (SIGINT, SIGTERM); killed outright (SIGKILL), the next run
// that writes there (generate again, or any command) first takes away what the killed one made.

/** A folder with the team's own files in it, none of them a path the template renders. */
function folderWithFiles(): { parent: string; dir: string } {
  const parent = tempDir('cm-sig-force-');
  const dir = path.join(parent, 'existing');
  mkdirSync(path.join(dir, 'legacy/jobs'), { recursive: true });
  writeFileSync(path.join(dir, 'notes.txt'), 'the team notes\n');
  writeFileSync(path.join(dir, 'legacy/jobs/extract.sh'), '#!/bin/sh\necho extract\n', { mode: 0o755 });
  return { parent, dir };
}

const ARGS = ['existing', '--yes', '--force'];
const leftovers = (dir: string) => readdirSync(dir).filter((n) => /migration-template\.(journal|lock)|cm-tmp/.test(n));

describe('generate --force interrupted at every step', () => {
  let whole: Record<string, string>;
  let teamFiles: Record<string, string>;

  beforeAll(async () => {
    const { parent, dir } = folderWithFiles();
    teamFiles = snapshot(dir);
    const r = await runCli(ARGS, { cwd: parent });
    expect(r.code, r.stderr).toBe(0);
    whole = snapshot(dir, false);
  }, 60_000);

  for (const point of ['generate:added', 'generate:added-git']) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
      it(`${signal} at ${point}: the folder as before (SIGKILL: the next generate undoes it, then makes the project whole)`, async () => {
        const { parent, dir } = folderWithFiles();
        const r = await holdAndSignal(ARGS, parent, point, signal);
        expect(r.held, r.stderr).toBe(true);
        if (signal !== 'SIGKILL') {
          expect(r.code, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
          expect(snapshot(dir)).toEqual(teamFiles);
          return;
        }
        expect(r.signal).toBe('SIGKILL');
        // Killed with the project half there: without the journal, every file would now clash.
        expect(existsSync(path.join(dir, '.migration-template.journal'))).toBe(true);
        const again = await runCli(ARGS, { cwd: parent });
        expect(again.code, again.stderr).toBe(0);
        expect(snapshot(dir, false)).toEqual(whole);
        expect(gitIn(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
        expect(gitIn(dir, 'status', '--porcelain', '--untracked-files=no')).toBe('');
        expect(leftovers(dir)).toEqual([]);
      }, 60_000);
    }
  }

  it('SIGKILL, then another command in the folder (sync): it undoes the killed generate first, and says there is no project', async () => {
    const { parent, dir } = folderWithFiles();
    const r = await holdAndSignal(ARGS, parent, 'generate:added-git', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    // The files, the manifest and the first commit are all there: only the journal says the run never finished.
    expect(existsSync(path.join(dir, '.migration-template.json'))).toBe(true);
    const sync = await runCli(['sync'], { cwd: dir });
    expect(sync.code).toBe(2);
    expect(sync.stderr).toMatch(/migration-template\.json/);
    expect(snapshot(dir)).toEqual(teamFiles);
  }, 60_000);

  it('SIGKILL after the first commit, then a commit of the team in that repository: the repository and their commit are kept', async () => {
    const { parent, dir } = folderWithFiles();
    const r = await holdAndSignal(ARGS, parent, 'generate:added-git', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    writeFileSync(path.join(dir, 'notes.txt'), 'the team notes, edited\n');
    gitIn(dir, 'add', 'notes.txt');
    gitIn(dir, '-c', 'user.name=Team', '-c', 'user.email=team@example.com', 'commit', '-qm', 'team work');
    const again = await runCli(ARGS, { cwd: parent });
    expect(again.code, again.stderr).toBe(0);
    expect(gitIn(dir, 'log', '--format=%s')).toMatch(/team work/);
    expect(gitIn(dir, 'show', 'HEAD:notes.txt')).toBe('the team notes, edited\n');
    // The project is made again beside it, left uncommitted in the team's repository.
    expect(existsSync(path.join(dir, '.migration-template.json'))).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it('a copy of a killed run (its journal names another folder) is refused whole, nothing removed', async () => {
    const { parent, dir } = folderWithFiles();
    const r = await holdAndSignal(ARGS, parent, 'generate:added', 'SIGKILL');
    expect(r.held, r.stderr).toBe(true);
    const copy = path.join(parent, 'copy');
    cpSync(dir, copy, { recursive: true });
    // The killed run's lock came along: its process is gone, so it is taken over (and let go).
    const { ['.migration-template.lock']: staleLock, ...before } = snapshot(copy);
    expect(staleLock).toBeDefined();
    const again = await runCli(['copy', '--yes', '--force'], { cwd: parent });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/names another project/);
    expect(snapshot(copy)).toEqual(before);
  }, 60_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './helpers/cli.js';
import { buildTemplateRepo, copyDir, git, lfLines as lf, read } from './helpers/template-repo.js';

/**
 * Conflict markers a team committed, and the labels sync writes on them: real template repos,
 * projects generated and synced by the built CLI, edits committed with git.
 */

const SCRATCH: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-markers-'));
  SCRATCH.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of SCRATCH) rmSync(d, { recursive: true, force: true });
});

let PRISTINE = '';
beforeAll(async () => {
  const root = scratch();
  const tpl = buildTemplateRepo(path.join(root, 'tpl'));
  const r = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  PRISTINE = path.join(root, 'proj');
});

const project = (): string => copyDir(PRISTINE, path.join(scratch(), 'proj'));
const sync = (dir: string, ...args: string[]): Promise<Run> => runCli(['sync', ...args], { cwd: dir });
const edit = (dir: string, rel: string, fn: (s: string) => string) => writeFileSync(path.join(dir, rel), fn(read(dir, rel)));
const commitAll = (dir: string, msg: string) => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', msg);
};

/** Syncs to v2.0.0 over an overlapping edit, then commits the file with its markers unresolved. */
async function committedConflict(): Promise<string> {
  const dir = project();
  edit(dir, 'docs/conflict.md', (s) => s.replace('batch_size = 100', 'batch_size = 250'));
  commitAll(dir, 'my edits');
  const r = await sync(dir, '--to', 'v2.0.0');
  expect(r.code, r.stderr).toBe(1);
  expect(read(dir, 'docs/conflict.md')).toContain('<<<<<<< yours');
  commitAll(dir, 'sync (markers left in by mistake)');
  return dir;
}

describe('sync --check and committed conflict markers', () => {
  it('fails with exit 1 and names each file that still holds markers, though the project is up to date', async () => {
    const dir = await committedConflict();
    // A Markdown heading underline is text, not a marker: this file is not named.
    edit(dir, 'docs/guide.md', (s) => s.replace('# Guide\n', 'Guide\n=======\n'));
    commitAll(dir, 'setext heading');
    const r = await sync(dir, '--check');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/unresolved docs\/conflict\.md {2}\(conflict markers at lines \d+-\d+: resolve them, then commit\)/);
    expect(r.stdout).not.toContain('docs/guide.md');
    const json = JSON.parse((await sync(dir, '--check', '--json')).stdout);
    expect(json.exitCode).toBe(1);
    expect(json.projects[0].behind).toBe(false);
    expect(json.projects[0].unresolved).toEqual([{ path: 'docs/conflict.md', lines: expect.stringMatching(/^\d+-\d+$/) }]);
  });

  it('passes again once the markers are resolved', async () => {
    const dir = await committedConflict();
    writeFileSync(path.join(dir, 'docs/conflict.md'), lf('# Settings', 'Owner: platform team', 'a', 'b', 'c', 'd', 'batch_size = 250', 'e', 'f', 'g', 'h', 'End.'));
    commitAll(dir, 'resolved');
    const r = await sync(dir, '--check');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('unresolved');
  });
});

describe('conflict labels after --set', () => {
  it('say which answers differ when the version is the same on both sides', async () => {
    const dir = project();
    edit(dir, 'README.md', (s) => s.replace('# Demo Project', '# Our Project'));
    commitAll(dir, 'my title');
    const r = await sync(dir, '--to', 'v1.0.0', '--set', 'title=Billing');
    expect(r.code, r.stderr).toBe(1);
    expect(read(dir, 'README.md')).toBe(
      lf(
        '<<<<<<< yours',
        '# Our Project',
        '||||||| template 1.0.0 (answers before)',
        '# Demo Project',
        '=======',
        '# Billing',
        '>>>>>>> template 1.0.0 (title=Billing)',
        '',
        'Project proj.',
        '',
        'Intro line.',
        'Middle line.',
        'Footer v1.',
      ),
    );
  });
});

describe('status and committed conflict markers', () => {
  it('warns on stderr naming the checklist, and counts no box inside the markers', async () => {
    const root = scratch();
    const gen = await runCli(['p', '--yes'], { cwd: root });
    expect(gen.code, gen.stderr).toBe(0);
    const dir = path.join(root, 'p');
    const status = async () => {
      const r = await runCli(['status', '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return { out: JSON.parse(r.stdout) as { checklists: { path: string; done: number; total: number }[] }, stderr: r.stderr };
    };
    const before = await status();
    const first = before.out.checklists[0]!;
    // One open box becomes a conflict whose sides hold three boxes, one of them ticked.
    edit(dir, first.path, (s) => {
      const box = /^- \[ \] .*$/m.exec(s)![0];
      return s.replace(box, ['<<<<<<< yours', box.replace('[ ]', '[x]'), '||||||| template 1.0.0', box, '=======', `${box} (v2)`, '>>>>>>> template 1.1.0'].join('\n'));
    });
    commitAll(dir, 'markers committed');
    const after = await status();
    const now = after.out.checklists.find((c) => c.path === first.path)!;
    expect({ done: now.done, total: now.total }).toEqual({ done: first.done, total: first.total - 1 });
    expect(after.stderr).toContain(`warning: ${first.path}: unresolved conflict markers (lines`);
    expect(before.stderr).not.toContain('unresolved');
  });
});

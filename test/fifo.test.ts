import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, snapshot, tempDir, type Run } from './helpers/cli.js';
import { builtinTemplateRepo, gitIn } from './helpers/git.js';

// A FIFO opened for reading blocks until someone writes to it: a project from a pull request, a
// template or a file named on the command line that holds one must never hang the tool. Nothing
// opens a path it has not lstat-ed as a regular file; every run here is stopped after 60 s
// (the old code hung until then) and must end by itself, saying what is wrong.

const mkfifo = (p: string) => {
  rmSync(p, { force: true });
  mkdirSync(path.dirname(p), { recursive: true });
  execFileSync('mkfifo', [p]);
};
const BOUND = { timeoutMs: 60_000 };
const ended = (r: Run) => expect(r.timedOut, `${r.stdout}\n${r.stderr}`).toBeUndefined();
const stillFifo = (p: string) => expect(lstatSync(p).isFIFO()).toBe(true);

describe('FIFOs in a project', () => {
  let tmp: string;
  let tpl: string;
  let project: string;

  beforeAll(async () => {
    tmp = tempDir('cm-fifo-');
    tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => writeFileSync(path.join(repo, 'files/docs/new-page.md'), '# New in 1.1\n'));
    const r = await runCli(['proj', '--yes', '--template', `${tpl}#v1.0.0`], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    project = path.join(tmp, 'proj');
  }, 120_000);

  const copy = () => {
    const dir = path.join(tempDir('cm-fifo-p-'), 'p');
    cpSync(project, dir, { recursive: true });
    return dir;
  };

  for (const [what, rel, args] of [
    ['an untracked FIFO where the new version adds a file', 'docs/new-page.md', ['--allow-dirty']],
    ['a FIFO where a tracked file was', 'docs/kailash-mapping.md', ['--allow-dirty']],
    ['an untracked FIFO where the new version adds a file (--dry-run)', 'docs/new-page.md', ['--allow-dirty', '--dry-run']],
    ['an untracked FIFO where the new version adds a file (--check)', 'docs/new-page.md', ['--check']],
  ] as const) {
    it(`sync with ${what}: exit 2 naming it, nothing written`, async () => {
      const dir = copy();
      mkfifo(path.join(dir, rel));
      const before = snapshot(dir, false);
      const r = await runCli(['sync', ...args], { cwd: dir, ...BOUND });
      ended(r);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${rel}: is a FIFO (named pipe), not a regular file`);
      expect(snapshot(dir, false)).toEqual(before);
      stillFifo(path.join(dir, rel));
    }, 90_000);
  }

  it('add workflow, with a FIFO where it registers the workflow: exit 2 naming it, nothing written', async () => {
    const dir = copy();
    mkfifo(path.join(dir, 'docs/kailash-mapping.md'));
    const before = snapshot(dir, false);
    const r = await runCli(['add', 'workflow', 'billing', '--pattern', 'etl', '--yes'], { cwd: dir, ...BOUND });
    ended(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('docs/kailash-mapping.md: is a FIFO (named pipe)');
    expect(snapshot(dir, false)).toEqual(before);
  }, 90_000);

  it('add node, with a FIFO where its module goes: exit 2 naming it', async () => {
    const dir = copy();
    const pkg = JSON.parse(execFileSync('cat', [path.join(dir, '.migration-template.json')], { encoding: 'utf8' })).answers.project_name.replace(/-/g, '_');
    mkfifo(path.join(dir, `src/${pkg}/nodes/ledger.py`));
    const r = await runCli(['add', 'node', 'Ledger', '--yes'], { cwd: dir, ...BOUND });
    ended(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`src/${pkg}/nodes/ledger.py: is a FIFO`);
  }, 90_000);

  it('status skips a FIFO checklist; status --write refuses a FIFO README.md, naming it', async () => {
    const dir = copy();
    mkfifo(path.join(dir, 'docs/phases/phase-9-extra.md'));
    const r = await runCli(['status', '--json'], { cwd: dir, ...BOUND });
    ended(r);
    expect(r.code, r.stderr).toBe(0);
    mkfifo(path.join(dir, 'README.md'));
    const before = snapshot(dir, false);
    const w = await runCli(['status', '--write'], { cwd: dir, ...BOUND });
    ended(w);
    expect(w.code, w.stderr).toBe(2);
    expect(w.stderr).toContain('README.md: is a FIFO');
    expect(snapshot(dir, false)).toEqual(before);
  }, 90_000);

  it('status and sync with a FIFO manifest: exit 2 naming it', async () => {
    const dir = copy();
    mkfifo(path.join(dir, '.migration-template.json'));
    for (const args of [['status'], ['sync', '--check']]) {
      const r = await runCli(args, { cwd: dir, ...BOUND });
      ended(r);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('.migration-template.json: is a FIFO');
    }
  }, 90_000);

  it('adopt of a folder with a FIFO where the template puts a file (--add-missing): exit 2 naming it, nothing written', async () => {
    const dir = path.join(tempDir('cm-fifo-adopt-'), 'legacy');
    mkdirSync(dir);
    gitIn(dir, 'init', '-q');
    writeFileSync(path.join(dir, 'notes.txt'), 'ours\n');
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'legacy');
    mkfifo(path.join(dir, 'README.md'));
    const before = snapshot(dir, false);
    const r = await runCli(['adopt', '--yes', '--add-missing'], { cwd: dir, ...BOUND });
    ended(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('README.md: is a FIFO');
    expect(snapshot(dir, false)).toEqual(before);
  }, 90_000);

  it('fleet: a FIFO manifest is that row\'s error; the other rows still print', async () => {
    const dir = copy();
    mkfifo(path.join(dir, '.migration-template.json'));
    const r = await runCli(['fleet', dir, project, '--json'], { cwd: tmp, ...BOUND });
    ended(r);
    const out = JSON.parse(r.stdout);
    expect(out.projects[0].error).toMatch(/\.migration-template\.json: is a FIFO/);
    expect(out.projects[1]).toMatchObject({ version: '1.0.0', behind: true });
  }, 90_000);
});

describe('FIFOs in a template and in files named on the command line', () => {
  const template = (dir: string) => {
    cpSync(path.join(ROOT, 'templates/kailash-migration'), dir, { recursive: true });
    return dir;
  };

  it('template check and generate: a FIFO template.yaml or a FIFO under files/ is named, never opened', async () => {
    for (const rel of ['template.yaml', 'files/docs/extra.md', 'generators/node/extra.md']) {
      const tmp = tempDir('cm-fifo-tpl-');
      const tpl = template(path.join(tmp, 'tpl'));
      mkfifo(path.join(tpl, rel));
      const check = await runCli(['template', 'check', tpl, '--json'], { cwd: tmp, ...BOUND });
      ended(check);
      expect(check.code, check.stderr).not.toBe(0);
      expect(`${check.stdout}${check.stderr}`).toMatch(/is a FIFO/);
      const gen = await runCli(['p', '--yes', '--template', tpl], { cwd: tmp, ...BOUND });
      ended(gen);
      expect(gen.code, gen.stderr).toBe(2);
      expect(gen.stderr).toContain(`${rel === 'template.yaml' ? 'template.yaml' : rel.replace(/^files\//, 'files/')}`);
      expect(gen.stderr).toMatch(/is a FIFO/);
      stillFifo(path.join(tpl, rel));
    }
  }, 120_000);

  it('--answers, --repos and --rules given a FIFO: exit 2 naming the flag', async () => {
    const tmp = tempDir('cm-fifo-args-');
    const fifo = path.join(tmp, 'pipe');
    mkfifo(fifo);
    const gen = await runCli(['p', '--yes', '--answers', fifo], { cwd: tmp, ...BOUND });
    ended(gen);
    expect(gen.code).toBe(2);
    expect(gen.stderr).toMatch(/--answers: .*pipe cannot be read \(is a FIFO/);
    const fleet = await runCli(['fleet', '--repos', fifo], { cwd: tmp, ...BOUND });
    ended(fleet);
    expect(fleet.code).toBe(2);
    expect(fleet.stderr).toMatch(/--repos: cannot read .*pipe \(is a FIFO/);
  }, 90_000);
});

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, holdAndSignal, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

// Every phase of generate and sync, interrupted there: the run is held at a named point
// (CREATE_MIGRATION_HOLD, see src/edge/project/checkpoint.ts), signalled, and the project and its
// branches must be as before (SIGINT, SIGTERM) or put back / finished by the next run (SIGKILL).

/** Everything a user could see change: files, every ref, HEAD, the index with its stages. */
function state(dir: string) {
  return {
    files: snapshot(dir, false),
    refs: gitIn(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    head: gitIn(dir, 'rev-parse', '--symbolic-full-name', 'HEAD'),
    index: gitIn(dir, 'ls-files', '-s'),
  };
}

const leftovers = (dir: string) => [...readdirSync(path.join(dir, '.git')).filter((n) => n.startsWith('create-migration')), ...Object.keys(snapshot(dir, false)).filter((f) => /cm-tmp|migration-template\.(journal|lock)/.test(f))];

describe('sync interrupted at every phase', () => {
  let project: string;
  let before: ReturnType<typeof state>;
  const finished: Record<string, ReturnType<typeof state>['files']> = {};

  beforeAll(async () => {
    const tmp = tempDir('cm-signals-');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => {
      edit(path.join(repo, 'files/README.md'), (t) => `${t}\nv1.1\n`);
      edit(path.join(repo, 'files/TASKS.md'), (t) => `${t}\nv1.1 task\n`);
    });
    expect((await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp })).code).toBe(0);
    project = path.join(tmp, 'proj');
    const m = path.join(project, '.migration-template.json');
    edit(m, (t) => t.replace(/"ref": "v1\.0\.0",\n\s*/, ''));
    edit(path.join(project, 'docs/kailash-mapping.md'), (t) => `${t}\nTeam note.\n`);
    gitIn(project, 'commit', '-qam', 'team edit');
    before = state(project);
    for (const branch of [false, true]) {
      const ref = path.join(tempDir('cm-signals-ref-'), 'p');
      cpSync(project, ref, { recursive: true });
      const r = await runCli(['sync', ...(branch ? ['--branch', 'up'] : [])], { cwd: ref });
      expect(r.code, r.stderr).toBe(0);
      finished[String(branch)] = snapshot(ref, false);
    }
  }, 120_000);

  const POINTS: [string, boolean][] = [
    ['session:locked', false],
    ['apply:journal', false],
    ['apply:branch', true],
    ['apply:files', false],
    ['apply:files', true],
    ['sync:pristine', false],
    ['sync:pristine', true],
    ['apply:git', false],
    ['apply:git', true],
  ];

  for (const [point, branch] of POINTS) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
      it(`${signal} at ${point}${branch ? ' (--branch)' : ''}`, async () => {
        const dir = path.join(tempDir('cm-sig-'), 'p');
        cpSync(project, dir, { recursive: true });
        const args = ['sync', ...(branch ? ['--branch', 'up'] : [])];
        const r = await holdAndSignal(args, dir, point, signal);
        expect(r.held, r.stderr).toBe(true);
        if (signal === 'SIGKILL') {
          expect(r.signal).toBe('SIGKILL');
          // The next run puts everything back first, then does the whole sync.
          const again = await runCli(args, { cwd: dir });
          expect(again.code, again.stderr).toBe(0);
          expect(snapshot(dir, false)).toEqual(finished[String(branch)]);
          if (branch) expect(gitIn(dir, 'rev-parse', '--symbolic-full-name', 'HEAD').trim()).toBe('refs/heads/up');
        } else {
          expect(r.code, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
          expect(state(dir)).toEqual(before);
        }
        expect(leftovers(dir)).toEqual([]);
      }, 60_000);
    }
  }
});

describe('sync with a conflict interrupted once the conflict is staged', () => {
  // A sync without conflicts leaves the index alone (nothing to put back); one with a conflict
  // stages it unmerged, and an interrupted run must put the index back as it was.
  let project: string;
  let before: ReturnType<typeof state>;

  beforeAll(async () => {
    const tmp = tempDir('cm-signals-conflict-');
    const tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `${t}\nThe template's last line.\n`));
    expect((await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp })).code).toBe(0);
    project = path.join(tmp, 'proj');
    edit(path.join(project, '.migration-template.json'), (t) => t.replace(/"ref": "v1\.0\.0",\n\s*/, ''));
    edit(path.join(project, 'README.md'), (t) => `${t}\nThe team's last line.\n`);
    gitIn(project, 'commit', '-qam', 'team edit');
    before = state(project);
    const ref = path.join(tempDir('cm-signals-conflict-ref-'), 'p');
    cpSync(project, ref, { recursive: true });
    const r = await runCli(['sync'], { cwd: ref });
    expect(r.code, r.stderr).toBe(1);
    expect(gitIn(ref, 'ls-files', '-u')).toMatch(/ 1\tREADME\.md\n[\s\S]* 3\tREADME\.md\n/);
  }, 120_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} at apply:git: the index is as before, without the stages`, async () => {
      const dir = path.join(tempDir('cm-sig-conflict-'), 'p');
      cpSync(project, dir, { recursive: true });
      const r = await holdAndSignal(['sync'], dir, 'apply:git', signal);
      expect(r.held, r.stderr).toBe(true);
      expect(r.code, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(state(dir)).toEqual(before);
      expect(leftovers(dir)).toEqual([]);
    }, 60_000);
  }
});

describe('generate interrupted at every phase', () => {
  for (const point of ['generate:rendered', 'generate:committed', 'generate:staged']) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
      it(`${signal} at ${point}: no project, no staging folder, no parent folder left (SIGKILL: the next run cleans up)`, async () => {
        const parent = tempDir('cm-sig-gen-');
        const r = await holdAndSignal(['a/b/p', '--yes'], parent, point, signal);
        expect(r.held, r.stderr).toBe(true);
        if (signal !== 'SIGKILL') {
          expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143);
          expect(readdirSync(parent)).toEqual([]);
          return;
        }
        const again = await runCli(['a/b/p', '--yes'], { cwd: parent });
        expect(again.code, again.stderr).toBe(0);
        expect(readdirSync(path.join(parent, 'a/b'))).toEqual(['p']);
        expect(existsSync(path.join(parent, 'a/b/p/.git'))).toBe(true);
      }, 60_000);
    }
  }

  it('SIGTERM at random moments, 8 times: the project is whole or absent, never a staging folder', async () => {
    let s = 3;
    const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 8; i++) {
      const parent = tempDir('cm-sig-rand-');
      const child = spawn(process.execPath, [CLI, 'p', '--yes'], { cwd: parent, env: testEnv(), stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGTERM'), 40 + random() * 400);
      const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, k) => resolve([c, k])));
      clearTimeout(timer);
      const names = readdirSync(parent);
      // Whole: the project with its manifest and its first commit, and nothing beside it.
      const whole = () => {
        expect(names).toEqual(['p']);
        expect(existsSync(path.join(parent, 'p/.migration-template.json'))).toBe(true);
        expect(spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: path.join(parent, 'p') }).status).toBe(0);
      };
      if (code === 0) whole();
      else if (code === null) {
        // Killed by the signal itself: it landed before node ran the CLI's handler (nothing has
        // started, nothing is there) or after the CLI finished and let go of it (the project is
        // whole, the process was only on its way out).
        expect(sig).toBe('SIGTERM');
        if (names.length) whole();
      } else {
        expect(code).toBe(143);
        expect(names).toEqual([]);
      }
    }
  }, 120_000);
});

describe('add, adopt, status --write and assess --write interrupted at every phase', () => {
  // Each writes through the project session (lock, journal, apply): held at each of its points
  // and signalled, the project is as before (SIGINT, SIGTERM), or the next run finishes it (SIGKILL).
  let tmp: string;
  let project: string;
  let legacyRepo: string;
  let legacyTree: string;

  beforeAll(async () => {
    tmp = tempDir('cm-signals-cmd-');
    expect((await runCli(['proj', '--yes'], { cwd: tmp })).code).toBe(0);
    project = path.join(tmp, 'proj');
    // A ticked box, so that status --write has lines to change.
    const phase1 = readdirSync(path.join(project, 'docs/phases')).sort()[0]!;
    edit(path.join(project, 'docs/phases', phase1), (t) => t.replace('- [ ]', '- [x]'));
    gitIn(project, 'commit', '-qam', 'one box ticked');
    legacyRepo = path.join(tmp, 'legacy');
    mkdirSync(legacyRepo);
    gitIn(legacyRepo, 'init', '-q');
    writeFileSync(path.join(legacyRepo, 'README.md'), '# Our legacy repo\n');
    gitIn(legacyRepo, 'add', '-A');
    gitIn(legacyRepo, 'commit', '-qm', 'legacy');
    legacyTree = path.join(tmp, 'legacy-tree');
    mkdirSync(legacyTree);
    writeFileSync(path.join(legacyTree, 'crontab'), '0 2 * * 1-5 /opt/billing/bin/extract.sh --full\n');
  }, 120_000);

  const COMMANDS: { name: string; from: () => string; args: () => string[] }[] = [
    { name: 'add workflow', from: () => project, args: () => ['add', 'workflow', 'billing', '--pattern', 'etl', '--yes'] },
    { name: 'adopt --add-missing', from: () => legacyRepo, args: () => ['adopt', '--yes', '--add-missing'] },
    { name: 'status --write', from: () => project, args: () => ['status', '--write'] },
    { name: 'assess --write', from: () => project, args: () => ['assess', legacyTree, '--write'] },
  ];

  // jobs.yaml's history records when each move was made: two runs differ in that time alone.
  const settled = (dir: string) => {
    const snap = snapshot(dir, false);
    const jobs = path.join(dir, 'jobs.yaml');
    if (snap['jobs.yaml']) snap['jobs.yaml'] = readFileSync(jobs, 'utf8').replace(/\bat: "?\d{4}-\d\d-\d\dT[\d:.]+Z"?/g, 'at: <time>');
    return snap;
  };
  for (const cmd of COMMANDS) {
    let finished: ReturnType<typeof snapshot> | undefined;
    const reference = async () => {
      if (finished) return finished;
      const dir = path.join(tempDir('cm-sig-ref-'), 'p');
      cpSync(cmd.from(), dir, { recursive: true });
      const r = await runCli(cmd.args(), { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(snapshot(dir, false)).not.toEqual(snapshot(cmd.from(), false)); // it does write
      finished = settled(dir);
      return finished;
    };
    for (const point of ['session:locked', 'apply:journal', 'apply:files', 'apply:git']) {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
        it(`${cmd.name}: ${signal} at ${point}`, async () => {
          const want = await reference();
          const dir = path.join(tempDir('cm-sig-cmd-'), 'p');
          cpSync(cmd.from(), dir, { recursive: true });
          const before = state(dir);
          const r = await holdAndSignal(cmd.args(), dir, point, signal);
          expect(r.held, r.stderr).toBe(true);
          if (signal === 'SIGKILL') {
            const again = await runCli(cmd.args(), { cwd: dir });
            expect(again.code, again.stderr).toBe(0);
            expect(settled(dir)).toEqual(want);
          } else {
            expect(r.code, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
            expect(state(dir)).toEqual(before);
          }
          expect(leftovers(dir)).toEqual([]);
        }, 60_000);
      }
    }
  }
});

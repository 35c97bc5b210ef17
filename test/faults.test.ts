import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../src/edge/lock.js';
import { CLI, listFiles, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

// Kills are bounded and seeded for CI; `KILL_RUNS=200 npx vitest run test/faults.test.ts` runs longer.
const KILL_RUNS = Number(process.env.KILL_RUNS ?? 12);

/** A small seeded PRNG so every run kills at the same moments. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Spawns the CLI and SIGKILLs it after `delayMs` (if it is still running). */
function runAndKill(args: string[], cwd: string, delayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: testEnv(), stdio: 'ignore' });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, delayMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ killed: killed && code === null, code });
    });
  });
}

async function timed(args: string[], cwd: string): Promise<number> {
  const t = performance.now();
  await runCli(args, { cwd });
  return performance.now() - t;
}

const workTree = (dir: string) => Object.fromEntries(Object.entries(snapshot(dir, false)).filter(([k]) => !k.endsWith('/')));
const leftovers = (dir: string) => listFiles(dir).filter((f) => /\.cm-tmp$|create-migration-journal|\.migration-template\.(journal|lock)$/.test(f));

describe('SIGKILL at random points', () => {
  let template: string;
  let project: string;
  let expected: Record<string, string>;
  let before: Record<string, string>;
  let syncMs: number;

  beforeAll(async () => {
    const tmp = tempDir('cm-faults-');
    // A template version that changes every text file, so a sync writes many files.
    template = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => {
      for (const f of readdirSync(path.join(repo, 'files'), { recursive: true }) as string[]) {
        if (/\.(md|py|toml|yml)$/.test(f) && !f.endsWith('__init__.py')) edit(path.join(repo, 'files', f), (t) => `${t}\n${f.endsWith('.md') ? '<!-- 1.1.0 -->' : '# 1.1.0'}\n`);
      }
    });
    const r = await runCli(['proj', '--template', `${template}#v1.0.0`, '--yes', '--set', 'patterns=etl,api,reporting'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    project = path.join(tmp, 'proj');
    edit(path.join(project, 'TASKS.md'), (t) => `${t}\nTeam note.\n`);
    gitIn(project, 'commit', '-qam', 'team edit');
    before = workTree(project);
    const ref = path.join(tmp, 'reference');
    cpSync(project, ref, { recursive: true });
    syncMs = await timed(['sync'], ref);
    expected = workTree(ref);
    expect(Object.keys(expected).length).toBeGreaterThan(20);
  }, 120_000);

  it(`sync: killed ${KILL_RUNS} times, never a half-written file; a rerun finishes the job`, async () => {
    const random = rng(42);
    let killedMidway = 0;
    for (let i = 0; i < KILL_RUNS; i++) {
      const dir = path.join(tempDir('cm-kill-'), 'p');
      cpSync(project, dir, { recursive: true });
      const { killed } = await runAndKill(['sync'], dir, random() * syncMs * 1.1);
      // Every file is either as it was or as the sync makes it: never in between.
      const now = workTree(dir);
      for (const [file, hash] of Object.entries(now)) {
        if (leftovers(dir).includes(file)) continue;
        expect([before[file], expected[file]], `${file} after a kill at run ${i}`).toContain(hash);
      }
      if (killed && JSON.stringify(now) !== JSON.stringify(before)) killedMidway++;
      const again = await runCli(['sync', '--allow-dirty'], { cwd: dir });
      expect([0, 1], again.stderr).toContain(again.code);
      const final = workTree(dir);
      expect(final, `run ${i}`).toEqual(expected);
      expect(leftovers(dir)).toEqual([]);
      expect(existsSync(path.join(dir, '.git/create-migration-journal.json'))).toBe(false);
      expect(existsSync(path.join(dir, '.git/create-migration.lock'))).toBe(false);
    }
    console.info(`sync kills: ${KILL_RUNS}, of which ${killedMidway} left the project part way changed; all recovered`);
  }, 300_000);

  it(`generate: killed ${KILL_RUNS} times, the project is whole or absent; a rerun makes it`, async () => {
    const random = rng(7);
    const ref = tempDir();
    const ms = await timed(['p', '--yes'], ref);
    const reference = workTree(path.join(ref, 'p'));
    for (let i = 0; i < KILL_RUNS; i++) {
      const parent = tempDir('cm-kill-gen-');
      await runAndKill(['p', '--yes'], parent, random() * ms * 1.1);
      const target = path.join(parent, 'p');
      if (existsSync(target)) {
        const files = workTree(target);
        expect(Object.keys(files).sort()).toEqual(Object.keys(reference).sort());
      }
      const again = existsSync(target) ? { code: 0, stderr: '' } : await runCli(['p', '--yes'], { cwd: parent });
      expect(again.code, again.stderr).toBe(0);
      expect(readdirSync(parent).filter((n) => n.includes('.create-migration-'))).toEqual([]);
      const files = workTree(target);
      expect(Object.keys(files).sort()).toEqual(Object.keys(reference).sort());
      for (const [f, h] of Object.entries(reference)) if (f !== '.migration-template.json') expect(files[f], f).toBe(h);
    }
  }, 300_000);
});

describe('two syncs at once', () => {
  it('the second is refused while the first holds the lock, and a stale lock is taken over', async () => {
    const tmp = tempDir();
    const template = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `${t}\nv1.1\n`));
    await runCli(['p', '--template', `${template}#v1.0.0`, '--yes'], { cwd: tmp });
    const dir = path.join(tmp, 'p');
    const lock = path.join(dir, '.git/create-migration.lock');
    // A live process holds it: this test's own pid.
    writeFileSync(lock, String(process.pid));
    const before = snapshot(dir);
    const refused = await runCli(['sync'], { cwd: dir, env: { CREATE_MIGRATION_LOCK_WAIT_MS: '200' } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`another create-migration \\(pid ${process.pid}\\) is working on it`));
    expect(snapshot(dir)).toEqual(before);
    // A crashed run's lock: its pid is gone.
    writeFileSync(lock, '999999');
    const ok = await runCli(['sync'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('v1.1');
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock without a pid is held while fresh, and one left by a killed run is cleaned up', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'x.lock');
    // What a run killed between writing its pid and taking the lock leaves beside it.
    writeFileSync(`${lock}.999999`, '999999');
    writeFileSync(lock, '');
    await expect(acquireLock(lock, 'p', 0)).rejects.toThrow(/another create-migration \(pid unknown\) is working on it/);
    expect(existsSync(`${lock}.999999`)).toBe(false);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    const release = await acquireLock(lock, 'p');
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    expect(readdirSync(dir)).toEqual(['x.lock']);
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('two real syncs started together: one applies, the other is refused or finds nothing to do', async () => {
    const tmp = tempDir();
    const template = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files/README.md'), (t) => `${t}\nv1.1\n`));
    await runCli(['p', '--template', `${template}#v1.0.0`, '--yes'], { cwd: tmp });
    const dir = path.join(tmp, 'p');
    const [a, b] = await Promise.all([runCli(['sync'], { cwd: dir }), runCli(['sync'], { cwd: dir })]);
    const codes = [a.code, b.code].sort();
    expect(codes[0]).toBe(0);
    expect([0, 2], `${a.stderr}\n${b.stderr}`).toContain(codes[1]);
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8').match(/v1\.1/g)).toHaveLength(1);
  });
});

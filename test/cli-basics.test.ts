import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';

describe('help and version', () => {
  it('--help (answered without loading the parser) is exactly what the parser prints', async () => {
    const fast = await runCli(['--help'], { cwd: ROOT });
    const parsed = await runCli(['--json', '--help'], { cwd: ROOT });
    expect(fast.code).toBe(0);
    expect(fast.stdout).toBe(parsed.stdout);
    for (const cmd of ['sync', 'status', 'add', 'adopt', '--template', '--answers', '--dry-run']) expect(fast.stdout).toContain(cmd);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], { cwd: ROOT });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version);
  });

  it('each command has its own help', async () => {
    for (const cmd of ['sync', 'status', 'add', 'adopt']) {
      const r = await runCli([cmd, '--help'], { cwd: ROOT });
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: create-migration ${cmd}`);
    }
  });
});

describe('the code cache dist/cli.js starts with', () => {
  const cacheName = `main.${process.versions.v8}.cache`;

  it('is made by the build for the node that built it', () => {
    expect(existsSync(path.join(ROOT, 'dist', cacheName))).toBe(true);
  });

  it('is optional: without it, or with one that does not fit, the CLI makes the same project', async () => {
    const made: Record<string, string>[] = [];
    for (const cache of ['shipped', 'none', 'garbage'] as const) {
      const root = tempDir();
      const dist = path.join(root, 'dist');
      cpSync(path.join(ROOT, 'dist'), dist, { recursive: true, filter: (src) => cache === 'shipped' || !src.endsWith('.cache') });
      if (cache === 'garbage') writeFileSync(path.join(dist, cacheName), Buffer.alloc(4096, 7));
      const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'p', '--yes', '--no-git'], { cwd: root, env: testEnv(), encoding: 'utf8' });
      expect(r.status, `${cache}: ${r.stderr}`).toBe(0);
      made.push(snapshot(path.join(root, 'p'), false));
    }
    expect(Object.keys(made[0]!).length).toBeGreaterThan(20);
    expect(made[1]).toEqual(made[0]);
    expect(made[2]).toEqual(made[0]);
  });
});

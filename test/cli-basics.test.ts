import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

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

import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';

/**
 * Every git process is a start-up's worth of time: commands that need none must start none.
 * A `git` first on PATH records each call, then runs the real one.
 */
function recordingGit(root: string): { env: Record<string, string>; calls: () => string[] } {
  const bin = path.join(root, 'bin');
  const log = path.join(root, 'git-calls.log');
  mkdirSync(bin);
  const real = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'git')).find((g) => existsSync(g));
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return {
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

describe('git processes', () => {
  it('a project made with --no-git, with no repository around it: status and sync --check start no git', async () => {
    const tmp = tempDir();
    const gen = await runCli(['p', '--yes', '--no-git'], { cwd: tmp });
    expect(gen.code, gen.stderr).toBe(0);
    const git = recordingGit(tmp);
    const status = await runCli(['status'], { cwd: path.join(tmp, 'p'), env: git.env });
    expect(status.code, status.stderr).toBe(0);
    const check = await runCli(['sync', '--check'], { cwd: path.join(tmp, 'p'), env: git.env });
    expect(check.code, check.stderr).toBe(0);
    expect(git.calls()).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, snapshot, tempDir } from './helpers/cli.js';

// What a new user trips over on a first run (issue 13), each through the built CLI.

describe('an answers file that is not valid YAML', () => {
  it('names the line it stumbled on, not a dangling colon', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'a.yaml'), 'owner: Data Team\nsystem_name: a: b\n');
    const before = snapshot(tmp);
    const r = await runCli(['p', '--yes', '--answers', 'a.yaml'], { cwd: tmp });
    expect(r.code).toBe(2);
    const message = r.stderr.trim();
    expect(message).toMatch(/--answers: a\.yaml is not valid YAML or JSON: .*at line 2, column \d+/);
    expect(message).toContain('"system_name: a: b"');
    expect(message).not.toMatch(/:$/);
    expect(snapshot(tmp)).toEqual(before);
  });
});

describe('the generated CI', () => {
  it('runs on the branch the new repository really has, on a current Node and current actions', async () => {
    const tmp = tempDir();
    // A user whose git makes "master" by default (init.defaultBranch unset, or set to master).
    for (const config of ['', '[init]\n\tdefaultBranch = master\n']) {
      const home = tempDir('cm-home-');
      writeFileSync(path.join(home, '.gitconfig'), config);
      const name = config ? 'configured' : 'unset';
      const r = await runCli([name, '--yes', '--set', 'ci=github'], { cwd: tmp, env: { HOME: home, XDG_CONFIG_HOME: home } });
      expect(r.code, r.stderr).toBe(0);
      const dir = path.join(tmp, name);
      const branch = execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
      const ci = parseYaml(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'));
      expect(ci.on.push.branches, name).toContain(branch);
      const steps = Object.values(ci.jobs as Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>).flatMap((j) => j.steps);
      const uses = steps.map((s) => s.uses).filter(Boolean);
      for (const [action, major] of [['actions/checkout', 7], ['actions/setup-python', 7], ['actions/setup-node', 7]] as const) {
        const found = uses.filter((u) => u!.startsWith(`${action}@`));
        expect(found.length, action).toBeGreaterThan(0);
        for (const u of found) expect(Number(/@v(\d+)/.exec(u!)?.[1]), u).toBeGreaterThanOrEqual(major);
      }
      const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with!['node-version'];
      // Node 20 reached its end of life in April 2026: the drift job runs on the current LTS.
      expect(String(node)).toBe('lts/*');
    }
  });

  it('on GitLab, runs the drift job on the current Node LTS image', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--no-git', '--set', 'ci=gitlab'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const ci = parseYaml(readFileSync(path.join(tmp, 'p/.gitlab-ci.yml'), 'utf8'));
    expect(ci['template-drift'].image).toBe('node:lts');
  });
});

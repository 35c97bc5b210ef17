import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, ROOT, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';
const VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

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

describe('the published package', () => {
  it('carries an MIT LICENSE and its metadata, and its README shows flags passed after `--`, as npm create needs', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['create', 'migration', 'kailash']));
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(pkg.name).toBe('create-kailash-migration');
    expect(pkg.bin).toEqual({ 'create-migration': 'dist/cli.js', 'create-kailash-migration': 'dist/cli.js' });
    const example = /^npm create kailash-migration@(\S+) (\S+) -- --yes\b/m.exec(readme);
    expect(example, 'README shows `npm create kailash-migration@<version> <dir> -- --yes`').not.toBeNull();
    // Pinned to this very version, never @latest.
    expect(example![1]).toBe(pkg.version);

    // npm create kailash-migration runs `npm exec create-kailash-migration` with what follows `--`:
    // do exactly that from the packed tarball, and see the project made without a question.
    const tmp = tempDir();
    const npmEnv = testEnv({ npm_config_cache: path.join(tmp, 'cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' });
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', env: npmEnv }))[0];
    expect(packed.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/cli.js']));
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const r = spawnSync('npm', ['exec', '--yes', `--package=${path.join(tmp, packed.filename)}`, '--', 'create-kailash-migration', example![2]!, '--yes', '--no-git'], { cwd: tmp, encoding: 'utf8', env: npmEnv, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(tmp, example![2]!, '.migration-template.json'))).toBe(true);
    // Installed, the same package answers to its short name too.
    const short = spawnSync('npm', ['exec', '--yes', `--package=${path.join(tmp, packed.filename)}`, '--', 'create-migration', '--version'], { cwd: tmp, encoding: 'utf8', env: npmEnv, timeout: 120_000 });
    expect(short.status, short.stderr).toBe(0);
    expect(short.stdout.trim()).toBe(pkg.version);
    // dist/sync.js from the installed copy: a plain sync runs without the argument parser, and
    // anything else (help here) loads the parser inside the same bundle on demand.
    const exec = (...args: string[]) => spawnSync('npm', ['exec', '--yes', `--package=${path.join(tmp, packed.filename)}`, '--', 'create-migration', ...args], { cwd: tmp, encoding: 'utf8', env: npmEnv, timeout: 120_000 });
    const check = exec('sync', '--check', example![2]!);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/: up to date$/m);
    const help = exec('sync', '--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: create-migration sync \[options\] \[dir\.\.\.\]/);
  }, 240_000);
});

describe("a command's report is its output", () => {
  it('status, add and sync print their reports on stdout, so a pipe gets them', async () => {
    const tmp = tempDir();
    expect((await runCli(['proj', '--yes'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'proj');
    const status = await runCli(['status'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.split('\n').filter((l) => /Phase/.test(l)).length).toBeGreaterThanOrEqual(4);
    expect(status.stdout).toMatch(/% complete/);
    expect(status.stderr).toBe('');

    const add = await runCli(['add', 'workflow', 'nightly_load', '--pattern', 'etl', '--source', 'csv', '--yes'], { cwd: dir });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/added\s+src\/proj\/workflows\/nightly_load\.py/);

    const check = await runCli(['sync', '--check', '--allow-dirty'], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^\.: up to date$/m);
  });
});

describe('a command typed wrong is not a project', () => {
  it('`help --yes` shows the help and creates nothing', async () => {
    const tmp = tempDir();
    const r = await runCli(['help', '--yes'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: create-migration');
    expect(snapshot(tmp)).toEqual({});
    const sub = await runCli(['help', 'sync'], { cwd: tmp });
    expect(sub.stdout).toContain('Usage: create-migration sync');
  });

  it.each([
    ['stauts', 'status'],
    ['synk', 'sync'],
    ['sync-', 'sync'],
    ['adpot', 'adopt'],
    ['ad', 'add'],
    ['Status', 'status'],
    ['flete', 'fleet'],
    ['templates', 'template'],
    ['asess', 'assess'],
  ])('"%s" exits 2 suggesting %s, and writes nothing', async (word, command) => {
    const tmp = tempDir();
    const r = await runCli([word, '--yes'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`did you mean \`create-migration ${command}\`?`);
    expect(r.stderr).toContain(`./${word}`);
    expect(snapshot(tmp)).toEqual({});
  });

  it('./name makes the project anyway, and a name far from every command needs nothing', async () => {
    const tmp = tempDir();
    for (const dir of ['./sync', 'billing']) {
      const r = await runCli([dir, '--yes', '--no-git'], { cwd: tmp });
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(path.join(tmp, dir, '.migration-template.json'))).toBe(true);
    }
  });
});

describe('"Next:" lines can be pasted as they stand', () => {
  const noRunner = { npm_command: '', npm_execpath: '', npm_config_user_agent: '' };
  const nextLines = (stderr: string) => stderr.slice(stderr.indexOf('Next:')).split('\n').slice(1).map((l) => l.trim()).filter(Boolean);

  it("quote the folder, use the project's Python, and say npx when the tool is not on PATH", async () => {
    const tmp = tempDir();
    const r = await runCli(["Bad Dir's $HOME", '--yes', '--no-git', '--set', 'python_version=3.12'], { cwd: tmp, env: { ...noRunner, PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' } });
    expect(r.code, r.stderr).toBe(0);
    const lines = nextLines(r.stderr);
    const cd = lines.find((l) => l.startsWith('cd '))!;
    // The shell, given the line, lands in the folder.
    const where = execFileSync('sh', ['-c', `${cd} && pwd -P`], { cwd: tmp, encoding: 'utf8' }).trim();
    expect(where).toBe(path.join(realpathSync(tmp), "Bad Dir's $HOME"));
    expect(lines.some((l) => l.startsWith('python3.12 -m venv .venv'))).toBe(true);
    expect(readFileSync(path.join(tmp, "Bad Dir's $HOME/pyproject.toml"), 'utf8')).toMatch(/requires-python = ">=3\.12"/);
    expect(r.stderr).toContain(`\`npx create-kailash-migration@${VERSION} status\``);
  });

  it('name the tool bare only when it is on PATH and was not run through npx or npm create', async () => {
    const tmp = tempDir();
    const bin = path.join(tmp, 'bin');
    mkdirSync(bin);
    // As npm installs a bin: an executable on PATH.
    writeFileSync(path.join(bin, 'create-migration'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const PATH = `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`;
    const installed = await runCli(['a', '--yes', '--no-git'], { cwd: tmp, env: { ...noRunner, PATH } });
    expect(installed.stderr).toContain('`create-migration status`');
    expect(installed.stderr).not.toContain('npx');
    const viaNpx = await runCli(['b', '--yes', '--no-git'], { cwd: tmp, env: { ...noRunner, PATH, npm_command: 'exec', npm_config_user_agent: 'npm/11.0.0 node/v24.0.0 linux x64' } });
    expect(viaNpx.stderr).toContain(`\`npx create-kailash-migration@${VERSION} status\``);
  });
});

describe('missing answers without a terminal', () => {
  it("are named as the command's own flags", async () => {
    const tmp = tempDir();
    const gen = await runCli(['p', '--set', 'system_name=Billing'], { cwd: tmp });
    expect(gen.code).toBe(2);
    expect(gen.stderr).toMatch(/give them with --set owner=<value> --set legacy_stack=<value> /);
    expect(gen.stderr).not.toMatch(/project_name|description/);
    expect((await runCli(['p', '--yes', '--no-git'], { cwd: tmp })).code).toBe(0);
    const add = await runCli(['add', 'workflow', 'nightly', '--pattern', 'etl'], { cwd: path.join(tmp, 'p') });
    expect(add.code).toBe(2);
    // Only what is required: --schedule and --time-zone have defaults and are optional.
    expect(add.stderr).toMatch(/Missing answers for: --source\. .*give them with --source <source> /);
    expect(add.stderr).not.toMatch(/--set/);
    // Given as flags, the schedule lands in the workflow's CronJob.
    const full = await runCli(['add', 'workflow', 'nightly', '--pattern', 'etl', '--source', 'csv', '--schedule', '30 1 * * 1-5', '--time-zone', 'Europe/Paris'], { cwd: path.join(tmp, 'p') });
    expect(full.code, full.stderr).toBe(0);
    const cronJob = readFileSync(path.join(tmp, 'p/deploy/kubernetes/nightly-cronjob.yaml'), 'utf8');
    expect(cronJob).toMatch(/schedule: "?30 1 \* \* 1-5"?/);
    expect(cronJob).toMatch(/timeZone: "?Europe\/Paris"?/);
    expect((await runCli(['add', 'checklist', 'sec', '--schedule', '1 * * * *', '--yes'], { cwd: path.join(tmp, 'p') })).stderr).toContain('--schedule: add checklist takes no --schedule.');
  });
});

describe('a cutover date already past, given by flag', () => {
  it('is taken, with a warning that says how to change it', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--no-git', '--set', 'target_date=2020-01-01'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Warning: target_date 2020-01-01 is in the past; .*sync --set target_date=YYYY-MM-DD/);
    const ok = await runCli(['q', '--yes', '--no-git', '--set', 'target_date=2099-01-01'], { cwd: tmp });
    expect(ok.stderr).not.toMatch(/Warning/);
  });
});

describe('a reader that stops early', () => {
  it('closes the pipe without a crash: status | head -1, status | true', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes', '--no-git'], { cwd: tmp })).code).toBe(0);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" status | head -1`], { cwd: path.join(tmp, 'p'), env: testEnv(), encoding: 'utf8' });
    expect(r.stdout.trim()).not.toBe('');
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    // A reader gone before the first line is written.
    const gone = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" status | true; echo "exit $?"`], { cwd: path.join(tmp, 'p'), env: testEnv(), encoding: 'utf8' });
    expect(gone.stderr).toBe('');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS } from './fixtures.js';
import { listFiles, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';
import { asRendered, oneLine } from './helpers/markdown.js';
import { pythonCheck } from './helpers/python.js';

const hostile = HOSTILE_STRINGS[0]!; // R&D "Ops" <legacy> \ {{x}}

const ANSWER_SETS: Record<string, Record<string, unknown>> = {
  defaults: {},
  everything: {
    system_name: 'Billing Batch',
    owner: 'Data Platform',
    legacy_stack: ['cron_shell', 'point_to_point', 'static_reports', 'stored_procedures', 'message_queue', 'manual_process'],
    data_sources: ['csv', 'database', 'rest_api', 'sftp', 'queue', 'spreadsheet'],
    database_kind: 'oracle',
    daily_volume: 2500000,
    patterns: ['etl', 'api', 'reporting'],
    llm_provider: 'anthropic',
    compliance: ['gdpr', 'hipaa', 'sox', 'pci_dss'],
    cutover: 'phased',
    target_date: '2027-03-31',
    python_version: '3.12',
    ci: 'gitlab',
  },
  hostile: {
    system_name: hostile,
    owner: 'Ünïcode Team 🚀 \\ "quoted" \'single\' {{owner}}',
    description: 'Line one with "quotes" and \\backslash\nLine two: {{#if x}} <b>&amp;</b>\n\ttabbed: key: value # not a comment',
    patterns: ['etl', 'api', 'reporting'],
    data_sources: ['database', 'rest_api'],
    database_kind: 'sqlite',
    llm_provider: 'ollama',
    compliance: ['gdpr'],
    ci: 'github',
  },
};

function gitStatus(dir: string): string {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8', env: testEnv() });
}

describe('create-migration [dir] with --answers --yes', () => {
  it.each(Object.keys(ANSWER_SETS))('generates a whole, valid, committed project (%s answers)', async (set) => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'a.json'), JSON.stringify(ANSWER_SETS[set]));
    const r = await runCli(['my-proj', '--answers', 'a.json', '--yes'], { cwd: tmp });
    expect(r.stderr).toContain('Created my-proj');
    expect(r.code).toBe(0);
    const dir = path.join(tmp, 'my-proj');
    const files = listFiles(dir);
    for (const f of ['README.md', 'TASKS.md', 'pyproject.toml', '.gitignore', '.env.example', '.migration-template.json', 'docs/kailash-mapping.md']) {
      expect(files).toContain(f);
    }
    expect(pythonCheck(dir, files)).toEqual([]);
    expect(files.filter((f) => f.endsWith('.py')).length).toBeGreaterThan(4);
    // The work tree is clean after the initial commit, and the pristine branch marks it.
    expect(gitStatus(dir)).toBe('');
    const branches = execFileSync('git', ['branch', '--format=%(refname:short)'], { cwd: dir, encoding: 'utf8' });
    expect(branches).toContain('migration-template');
    const manifest = JSON.parse(readFileSync(path.join(dir, '.migration-template.json'), 'utf8'));
    expect(manifest.template).toMatchObject({ name: 'kailash-migration', source: 'builtin' });
    expect(Object.keys(manifest.files).sort()).toEqual(files.filter((f) => f !== '.migration-template.json'));
    if (set === 'hostile') {
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(asRendered(readme)).toContain(oneLine(hostile));
      expect(asRendered(readme)).toContain(oneLine(ANSWER_SETS.hostile!.owner));
      expect(manifest.answers.system_name).toBe(hostile);
      const toml = execFileSync('python3', ['-c', 'import tomllib,sys,json; print(json.dumps(tomllib.load(open(sys.argv[1],"rb"))))', path.join(dir, 'pyproject.toml')], { encoding: 'utf8' });
      expect(JSON.parse(toml).project.description).toContain(hostile);
      // The multi-line description reaches the package metadata through the README, as typed once rendered.
      // As typed, but for each line's indentation, which Markdown drops anyway (it would make code).
      expect(asRendered(readme)).toContain(String(ANSWER_SETS.hostile!.description).replace(/\n[ \t]+/g, '\n'));
    }
    if (set === 'everything') {
      expect(files).toContain('.gitlab-ci.yml');
      expect(files).not.toContain('.github/workflows/ci.yml');
      for (const m of ['etl_pipeline', 'api_integration', 'report_generation']) expect(files).toContain(`src/my_proj/workflows/${m}.py`);
    }
  });

  it('takes --set over the answers file and shows the dry-run plan without writing', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--set', 'ci=none', '--set', 'patterns=api', '--dry-run'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^add README\.md \(\d+ bytes\)$/m);
    expect(r.stdout).toContain('add src/p/workflows/api_integration.py');
    expect(r.stdout).not.toContain('etl_pipeline');
    expect(r.stdout).not.toContain('.github');
    expect(existsSync(path.join(tmp, 'p'))).toBe(false);
    expect(snapshot(tmp)).toEqual({});
  });

  it('prints one JSON object on stdout with --json', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--json', '--no-git'], { cwd: tmp });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, command: 'generate', dryRun: false });
    expect(out.changes.map((c: { path: string }) => c.path)).toContain('README.md');
    expect(existsSync(path.join(tmp, 'p/.git'))).toBe(false);
  });

  it('adds beside existing files with --force, never replacing one', async () => {
    const tmp = tempDir();
    const dir = path.join(tmp, 'existing');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = await runCli(['existing', '--yes', '--force'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(gitStatus(dir)).toBe('?? notes.txt\n'); // only generated files were committed
  });
});

describe('bad input: exit 2, one clear message, nothing written', () => {
  const cases: [string, string[], RegExp, ((tmp: string) => void)?][] = [
    ['a non-empty target without --force', ['full', '--yes'], /full is not empty.*--force/, (t) => { mkdirSync(path.join(t, 'full')); writeFileSync(path.join(t, 'full/x'), 'x'); }],
    ['--force over an existing generated path', ['full', '--yes', '--force'], /would replace existing ones \(README\.md\); nothing was written/, (t) => { mkdirSync(path.join(t, 'full')); writeFileSync(path.join(t, 'full/README.md'), 'mine'); }],
    // Only required answers nobody gave: not project_name (the folder gave it), not description (optional).
    ['missing answers without a terminal', ['p'], /Missing answers for: system_name, owner, legacy_stack, .*--yes/],
    ['an invalid --set answer', ['p', '--yes', '--set', 'daily_volume=lots'], /daily_volume \(--set\): "lots" is not a number/],
    // git init has started in a staging folder by then (the folder was known): stopped, and the folders made for it removed.
    ['an invalid --set answer, the project in new folders', ['a/b/p', '--yes', '--set', 'daily_volume=lots'], /daily_volume \(--set\): "lots" is not a number/],
    ['an unknown answer key', ['p', '--yes', '--set', 'colour=blue'], /--set: "colour" is not a question/],
    ['a --set without =', ['p', '--yes', '--set', 'ci'], /--set: "ci" must be key=value/],
    ['a project name that escapes', ['p', '--yes', '--set', 'project_name=../x'], /project_name \(--set\): "\.\.\/x" must be lowercase/],
    ['an absolute project name', ['p', '--yes', '--set', 'project_name=/etc'], /project_name \(--set\): "\/etc" must be lowercase/],
    ['a missing answers file', ['p', '--yes', '--answers', 'nope.json'], /--answers: nope\.json does not exist\.$/m],
    ['a broken answers file', ['p', '--yes', '--answers', 'bad.json'], /--answers: bad\.json is not valid JSON/, (t) => writeFileSync(path.join(t, 'bad.json'), '{"a":')],
    ['an answers file with __proto__', ['p', '--yes', '--answers', 'evil.json'], /key "__proto__" is not allowed/, (t) => writeFileSync(path.join(t, 'evil.json'), '{"__proto__": {"x": 1}}')],
    ['a template folder without template.yaml', ['p', '--yes', '--template', 'tpl'], /--template: .*tpl has no template\.yaml/, (t) => mkdirSync(path.join(t, 'tpl'))],
    ['a template that does not exist', ['p', '--yes', '--template', 'nowhere'], /--template: nowhere is not a folder, a git repo or a URL/],
    ['an invalid template.yaml', ['p', '--yes', '--template', 'tpl'], /template\.yaml: version: "x" is not a semantic version/, (t) => { mkdirSync(path.join(t, 'tpl/files'), { recursive: true }); writeFileSync(path.join(t, 'tpl/template.yaml'), 'name: t\nversion: x\n'); }],
    ['an unknown flag', ['p', '--colour'], /unknown option '--colour'/],
  ];

  it.each(cases)('%s', async (_name, args, message, setup) => {
    const tmp = tempDir();
    setup?.(tmp);
    const before = snapshot(tmp);
    const r = await runCli(args, { cwd: tmp });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(snapshot(tmp)).toEqual(before);
  });

  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    try {
      execFileSync('mountpoint', ['-q', '/']);
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!canMount)('a disk that fills up part way: exit 3 names the file, and everything is rolled back', async () => {
    const tmp = tempDir();
    const mnt = path.join(tmp, 'small');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mnt]);
    try {
      mkdirSync(path.join(mnt, 'existing'));
      writeFileSync(path.join(mnt, 'existing/keep.txt'), 'mine');
      const before = snapshot(mnt);
      for (const args of [['fresh', '--yes'], ['existing', '--yes', '--force']]) {
        const r = await runCli(args, { cwd: mnt });
        // Which file and why: ours where we write (--force, and a new repository's files), git's where git checks them out.
        expect(r.stderr).toMatch(/cannot write [^:]+: ENOSPC|cannot create the project: .*'[^']+': No space left on device/s);
        expect(r.stderr).toMatch(/rolled back|Nothing was left behind/);
        expect(r.code).toBe(3);
        expect(snapshot(mnt)).toEqual(before);
      }
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

describe('git identity', () => {
  it('commits with the user identity, or a clear fallback when git has none', async () => {
    const { spawnSync } = await import('node:child_process');
    const { CLI } = await import('./helpers/cli.js');
    const tmp = tempDir();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: tmp, GIT_CONFIG_NOSYSTEM: '1' };
    const r = spawnSync(process.execPath, [CLI, 'p', '--yes'], { cwd: tmp, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const who = execFileSync('git', ['log', '--format=%an <%ae>'], { cwd: path.join(tmp, 'p'), encoding: 'utf8' }).trim();
    expect(who).toBe('create-migration <create-migration@localhost>');

    const mine = await runCli(['q', '--yes'], { cwd: tmp });
    expect(mine.code).toBe(0);
    expect(execFileSync('git', ['log', '--format=%an <%ae>'], { cwd: path.join(tmp, 'q'), encoding: 'utf8' }).trim()).toBe('Test User <test@example.com>');
  });
});

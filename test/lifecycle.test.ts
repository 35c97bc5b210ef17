import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFiles, runCli, snapshot, tempDir } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';
import { pythonCheck } from './helpers/python.js';

const boxes = (text: string) => ({
  open: (text.match(/^\s*- \[ \] /gm) ?? []).length,
  done: (text.match(/^\s*- \[[xX]\] /gm) ?? []).length,
});

/** Ticks the first n open boxes of a file, as a person would in an editor. */
function tick(file: string, n: number): void {
  let left = n;
  edit(file, (t) => t.replace(/^(\s*- )\[ \]/gm, (m, p: string) => (left-- > 0 ? `${p}[x]` : m)));
}

async function generate(parent: string, name: string, args: string[] = []): Promise<string> {
  const r = await runCli([name, '--yes', ...args], { cwd: parent });
  expect(r.code, r.stderr).toBe(0);
  return path.join(parent, name);
}

describe('status', () => {
  it('counts boxes ticked by hand exactly, per phase and overall', async () => {
    const dir = await generate(tempDir(), 'proj');
    const phases = readdirSync(path.join(dir, 'docs/phases')).sort();
    expect(phases).toHaveLength(4);
    tick(path.join(dir, 'docs/phases', phases[0]!), 1000); // phase 1 done
    tick(path.join(dir, 'docs/phases', phases[1]!), 3);
    tick(path.join(dir, 'docs/checklists/pre-migration.md'), 2);
    const r = await runCli(['status', dir, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    const files = [...phases.map((p) => `docs/phases/${p}`), ...readdirSync(path.join(dir, 'docs/checklists')).sort().map((p) => `docs/checklists/${p}`)];
    let done = 0;
    let total = 0;
    for (const f of files) {
      const b = boxes(readFileSync(path.join(dir, f), 'utf8'));
      const c = s.checklists.find((x: { path: string }) => x.path === f);
      expect(c, f).toBeDefined();
      expect([c.done, c.total]).toEqual([b.done, b.done + b.open]);
      expect(c.percent).toBe(Math.floor((100 * b.done) / (b.done + b.open)));
      if (f.startsWith('docs/phases/')) {
        done += b.done; // overall progress counts the four phases
        total += b.done + b.open;
      }
    }
    expect(s.checklists.find((c: { phase?: number }) => c.phase === 2).done).toBe(3);
    expect(s.overall).toEqual({ done, total, percent: Math.floor((100 * done) / total) });
    expect([s.phasesDone, s.phases]).toEqual([1, 4]);
    expect(s.next.checklist).toBe(`docs/phases/${phases[1]}`);

    const human = await runCli(['status', dir], { cwd: dir });
    expect(human.stdout).toMatch(/1\/4 phases done/);
    expect(human.stdout).toMatch(new RegExp(`${Math.floor((100 * done) / total)}% complete`));
  });

  it('--write changes only the progress lines of README.md and TASKS.md', async () => {
    const dir = await generate(tempDir(), 'proj');
    const phase1 = readdirSync(path.join(dir, 'docs/phases')).sort()[0]!;
    tick(path.join(dir, 'docs/phases', phase1), 2);
    const before = { readme: readFileSync(path.join(dir, 'README.md'), 'utf8').split('\n'), tasks: readFileSync(path.join(dir, 'TASKS.md'), 'utf8').split('\n') };
    const r = await runCli(['status', '--write'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const after = { readme: readFileSync(path.join(dir, 'README.md'), 'utf8').split('\n'), tasks: readFileSync(path.join(dir, 'TASKS.md'), 'utf8').split('\n') };
    for (const k of ['readme', 'tasks'] as const) {
      expect(after[k]).toHaveLength(before[k].length);
      const changed = after[k].filter((l, i) => l !== before[k][i]);
      expect(changed.length, k).toBeGreaterThan(0);
      for (const l of changed) expect(l, k).toMatch(/\d+\/\d+ \(\d+%\)/);
    }
    expect(after.readme.find((l) => l.includes(phase1))).toMatch(/\| 2\/\d+ \(\d+%\) \| In progress \|$/);
    expect(after.tasks.some((l) => /^- Phase 1: .* — 2\/\d+ \(\d+%\)$/.test(l))).toBe(true);
  });

  const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);

  it.skipIf(!chromium)('--html writes a page that a real browser shows with the bars and open items', async () => {
    const dir = await generate(tempDir(), 'proj', ['--set', 'system_name=R&D "Ops" <legacy>']);
    const phase1 = readdirSync(path.join(dir, 'docs/phases')).sort()[0]!;
    tick(path.join(dir, 'docs/phases', phase1), 1000);
    const page = path.join(dir, 'progress.html');
    const r = await runCli(['status', '--html', page], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const profile = tempDir('cm-chrome-');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
    const dom = execFileSync(chromium!, [...flags, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dom).toContain('Migration progress: R&amp;D "Ops" &lt;legacy&gt;');
    expect(dom).toMatch(/aria-valuenow="100"/); // phase 1's bar is full
    expect(dom).toMatch(/<strong>1\/4<\/strong> phases done/);
    expect(dom).toMatch(/Next in <a [^>]*>Phase 2/);
    const shot = path.join(profile, 'shot.png');
    execFileSync(chromium!, [...flags, '--window-size=1000,900', `--screenshot=${shot}`, `file://${page}`], { timeout: 60_000, stdio: 'ignore' });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.KEEP_SCREENSHOT) writeFileSync(process.env.KEEP_SCREENSHOT, readFileSync(shot));
  });
});

describe('add', () => {
  let template: string;
  beforeAll(() => {
    template = builtinTemplateRepo(tempDir('cm-tpl-'), (repo) => {
      edit(path.join(repo, 'files/docs/kailash-mapping.md'), (t) => `${t}\nTemplate 1.1.0 note on mapping.\n`);
      edit(path.join(repo, 'files/README.md'), (t) => `${t}\nTemplate 1.1.0 note.\n`);
    });
  });

  it.each([
    ['workflow', ['billing_sync', '--pattern', 'etl', '--source', 'csv'], ['src/proj/workflows/billing_sync.py', 'tests/test_billing_sync.py'], 'billing_sync'],
    ['workflow', ['partner-feed', '--pattern', 'api', '--source', 'rest_api'], ['src/proj/workflows/partner_feed.py', 'tests/test_partner_feed.py'], 'partner_feed'],
    ['workflow', ['monthly_kpis', '--pattern', 'reporting'], ['src/proj/workflows/monthly_kpis.py', 'tests/test_monthly_kpis.py'], 'monthly_kpis'],
    ['node', ['CobolFileReader'], ['src/proj/nodes/cobol_file_reader.py', 'tests/test_cobol_file_reader_node.py'], 'CobolFileReaderNode'],
  ])('add %s %s: compiling Python and a test, registered, never overwritten, kept by sync', async (kind, args, files, registered) => {
    const parent = tempDir();
    const dir = await generate(parent, 'proj', ['--template', `${template}#v1.0.0`, '--set', 'data_sources=csv,rest_api', '--set', 'patterns=etl']);
    const dry = await runCli(['add', kind, ...args, '--project', dir, '--yes', '--dry-run'], { cwd: parent });
    expect(dry.code, dry.stderr).toBe(0);
    for (const f of files) expect(dry.stdout).toContain(`add ${f}`);
    expect(existsSync(path.join(dir, files[0]!))).toBe(false);

    const r = await runCli(['add', kind, ...args, '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(pythonCheck(dir, files)).toEqual([]);
    expect(readFileSync(path.join(dir, 'docs/kailash-mapping.md'), 'utf8')).toContain(registered);

    const before = snapshot(dir);
    const again = await runCli(['add', kind, ...args, '--yes'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists?; add never replaces a file/);
    expect(snapshot(dir)).toEqual(before);

    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', `add ${kind}`);
    const added = Object.fromEntries(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const s = await runCli(['sync'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    for (const f of files) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(added[f]);
    const mapping = readFileSync(path.join(dir, 'docs/kailash-mapping.md'), 'utf8');
    expect(mapping).toContain(registered); // the team's registration survived the merge
    expect(mapping).toContain('Template 1.1.0 note on mapping.');
  });

  it('add checklist: a new checklist that status counts', async () => {
    const dir = await generate(tempDir(), 'proj');
    const r = await runCli(['add', 'checklist', 'security-review', '--title', 'Security review', '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(dir, 'docs/checklists/security-review.md');
    const b = boxes(readFileSync(file, 'utf8'));
    expect(b.open).toBeGreaterThan(0);
    tick(file, 1);
    const s = JSON.parse((await runCli(['status', '--json'], { cwd: dir })).stdout);
    expect(s.checklists.find((c: { path: string }) => c.path === 'docs/checklists/security-review.md')).toMatchObject({ title: 'Security review', done: 1, total: b.open });
  });

  it.each([
    [['workflow', 'Bad Name', '--pattern', 'etl', '--yes'], /name: "Bad Name" must be lowercase/],
    [['workflow', 'class', '--pattern', 'etl', '--yes'], /name: "class" is a Python keyword/],
    [['workflow', 'settings', '--pattern', 'etl', '--yes'], /name: "settings" would shadow a module/],
    [["workflow", "x", "--pattern", "cobol"], /pattern \(--pattern\): "cobol" is not one of etl, api, reporting/],
    [['workflow', 'x'], /Missing answers for: --pattern, --source\. There is no terminal.*--source <source>/],
    [['node', 'lowercase', '--yes'], /name: "lowercase" must be a PascalCase class name/],
    [['widget', 'x'], /<generator>: "widget" is not one of workflow, node, checklist/],
    [['node', 'X', '--pattern', 'etl'], /--pattern: add node takes no --pattern/],
  ])('refuses bad input with exit 2 and writes nothing: %j', async (args, message) => {
    const dir = await generate(tempDir(), 'proj');
    const before = snapshot(dir);
    const r = await runCli(['add', ...args], { cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses outside a project', async () => {
    const r = await runCli(['add', 'node', 'X', '--yes'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no \.migration-template\.json/);
  });
});

describe('adopt', () => {
  it('links a hand-made repo; a later sync brings the template in and loses no team edit', async () => {
    const tmp = tempDir();
    const template = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => {
      edit(path.join(repo, 'files/README.md'), (t) => `${t}\nAdded in template 1.1.0.\n`);
      edit(path.join(repo, 'files/dot_gitignore'), (t) => `${t}.ruff_cache/\n`);
    });
    // A repo started by hand from a copy of the template: some files identical, some edited, some missing.
    await generate(tmp, 'seed', ['--template', `${template}#v1.0.0`, '--no-git', '--set', 'project_name=handmade']);
    const repo = path.join(tmp, 'handmade');
    mkdirSync(repo);
    for (const f of listFiles(path.join(tmp, 'seed'))) {
      if (f === '.migration-template.json') continue;
      mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
      writeFileSync(path.join(repo, f), readFileSync(path.join(tmp, 'seed', f)));
    }
    edit(path.join(repo, 'README.md'), (t) => t.replace(/^# .*$/m, '# Our own title'));
    rmSync(path.join(repo, 'docs/risk-register.md'));
    writeFileSync(path.join(repo, 'OURS.md'), 'team file\n');
    gitIn(repo, 'init', '-q');
    gitIn(repo, 'add', '-A');
    gitIn(repo, 'commit', '-qm', 'hand-made');

    const before = snapshot(repo);
    const dry = await runCli(['adopt', '--template', `${template}#v1.0.0`, '--yes', '--dry-run', '--json'], { cwd: repo });
    expect(dry.code, dry.stderr).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    const cmp = JSON.parse(dry.stdout).files as { path: string; state: string }[];
    expect(cmp.find((c) => c.path === 'README.md')?.state).toBe('edited');
    expect(cmp.find((c) => c.path === 'docs/risk-register.md')?.state).toBe('missing');
    expect(cmp.find((c) => c.path === '.gitignore')?.state).toBe('identical');

    const r = await runCli(['adopt', '--template', `${template}#v1.0.0`, '--yes'], { cwd: repo });
    expect(r.stdout).toMatch(/Adopted \. to kailash-migration 1\.0\.0: \d+ identical/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 edited \(kept as your changes\), 1 missing/);
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toMatch(/^# Our own title/m);
    gitIn(repo, 'add', '.migration-template.json');
    gitIn(repo, 'commit', '-qm', 'adopt');

    const s = await runCli(['sync', '--json'], { cwd: repo });
    const out = JSON.parse(s.stdout);
    expect(out.projects[0]).toMatchObject({ from: '1.0.0', to: '1.1.0', base: 'pristine-branch' });
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toMatch(/^# Our own title/m); // the team's edit
    expect(readme).toContain('Added in template 1.1.0.'); // the template's change, merged in
    expect(readFileSync(path.join(repo, '.gitignore'), 'utf8')).toContain('.ruff_cache/');
    expect(existsSync(path.join(repo, 'docs/risk-register.md'))).toBe(false); // missing stays missing
    expect(readFileSync(path.join(repo, 'OURS.md'), 'utf8')).toBe('team file\n');
    expect(s.code, s.stderr).toBe(0);
  });

  it('--add-missing writes the files the repo lacks; a second adopt is refused', async () => {
    const tmp = tempDir();
    const dir = await generate(tmp, 'p', ['--no-git']);
    rmSync(path.join(dir, '.migration-template.json'));
    rmSync(path.join(dir, 'TASKS.md'));
    const r = await runCli(['adopt', '--yes', '--add-missing'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'TASKS.md'))).toBe(true);
    const again = await runCli(['adopt', '--yes'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has \.migration-template\.json/);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unmergedPaths } from '../src/core/fleet/git-index.js';
import { parseReposFile, redactUrl } from '../src/core/fleet/repos-file.js';
import { daysUntil } from '../src/core/fleet/row.js';
import { runCli, tempDir } from './helpers/cli.js';
import { runInPty } from './helpers/pty.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

const RISK = 'docs/risk-register.md';

describe('fleet (pure parts)', () => {
  it('reads unmerged entries from a real index file, as git ls-files -u does', () => {
    const dir = tempDir();
    gitIn(dir, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, 'a.txt'), 'base\n');
    writeFileSync(path.join(dir, 'b.txt'), 'same\n');
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'base');
    gitIn(dir, 'checkout', '-qb', 'other');
    writeFileSync(path.join(dir, 'a.txt'), 'theirs\n');
    gitIn(dir, 'commit', '-qam', 'theirs');
    gitIn(dir, 'checkout', '-q', 'main');
    writeFileSync(path.join(dir, 'a.txt'), 'ours\n');
    gitIn(dir, 'commit', '-qam', 'ours');
    spawnSync('git', ['merge', 'other'], { cwd: dir });
    expect(unmergedPaths(readFileSync(path.join(dir, '.git/index')))).toEqual(['a.txt']);
    gitIn(dir, 'add', 'a.txt');
    expect(unmergedPaths(readFileSync(path.join(dir, '.git/index')))).toEqual([]);
  });

  it('repos file: comments skipped, option-like and unknown-scheme lines refused, credentials never shown', () => {
    const lines = parseReposFile('# fleet\nhttps://tok:x@git.example.com/a.git\n\n--upload-pack=touch\next://x\n../local  # a path\n');
    expect(lines.map((l) => [l.line, l.kind, Boolean(l.problem)])).toEqual([
      [2, 'url', false],
      [4, 'path', true],
      [5, 'url', true],
      [6, 'path', false],
    ]);
    expect(lines[3]!.text).toBe('../local');
    expect(redactUrl('https://tok:x@git.example.com/a.git')).toBe('https://git.example.com/a.git');
  });

  it('days left count whole UTC days', () => {
    expect(daysUntil('2027-01-10', new Date('2027-01-01T23:59:00Z'))).toBe(9);
    expect(daysUntil('2026-12-31', new Date('2027-01-01T00:00:00Z'))).toBe(-1);
    expect(daysUntil('not a date', new Date())).toBeUndefined();
  });
});

describe('fleet', () => {
  let tmp: string;
  let tpl: string;
  const dirs: Record<string, string> = {};

  const generate = async (name: string, ref: string, sets: string[] = []) => {
    const r = await runCli([name, '--yes', '--template', `${tpl}${ref}`, ...sets], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    return path.join(tmp, name);
  };
  const conflicted = async (name: string) => {
    const dir = await generate(name, '#v1.0.0');
    edit(path.join(dir, RISK), (t) => t.replace(/^# .*$/m, '# Our own risks'));
    gitIn(dir, 'commit', '-qam', 'team edit');
    const s = await runCli(['sync'], { cwd: dir });
    expect(s.code, s.stderr).toBe(1);
    return dir;
  };

  beforeAll(async () => {
    tmp = tempDir();
    tpl = builtinTemplateRepo(path.join(tmp, 'tpl'), (repo) => edit(path.join(repo, 'files', RISK), (t) => t.replace(/^# .*$/m, '# Risk register 1.1')));
    dirs.current = await generate('current', '', ['--set', 'target_date=2099-01-01']);
    const phase1 = readdirSync(path.join(dirs.current, 'docs/phases')).sort()[0]!;
    edit(path.join(dirs.current, 'docs/phases', phase1), (t) => t.replace(/- \[ \]/g, '- [x]'));
    gitIn(dirs.current, 'commit', '-qam', 'phase 1 done');
    dirs.behind = await generate('behind', '#v1.0.0');
    dirs.conflict = await conflicted('conflict');
    dirs.committed = await conflicted('committed');
    gitIn(dirs.committed, 'add', '-A');
    gitIn(dirs.committed, 'commit', '-qm', 'commit the markers');
    dirs.unreadable = await generate('unreadable', '');
    writeFileSync(path.join(dirs.unreadable, '.migration-template.json'), '{ not json');
    dirs.plain = path.join(tmp, 'plain');
    mkdirSync(dirs.plain);
  });

  const all = () => ['current', 'behind', 'conflict', 'committed', 'unreadable', 'plain'];

  it('reports each state in JSON, and exits 1 (some are behind or in conflict)', async () => {
    const r = await runCli(['fleet', ...all(), '--json'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    const row = (name: string) => out.projects.find((p: { project: string }) => p.project === name);
    expect(row('current')).toMatchObject({ template: 'kailash-migration', version: '1.1.0', newest: '1.1.0', behind: false, conflicts: [], targetDate: '2099-01-01' });
    expect(row('current').progress).toMatchObject({ phasesDone: 1, phases: 4 });
    expect(row('current').progress.percent).toBeGreaterThan(0);
    expect(row('current').daysLeft).toBeGreaterThan(20_000);
    // never synced: no "last sync" date (the generation is not a sync); a synced one has it
    expect(row('current').lastSync).toBeUndefined();
    expect(row('conflict').lastSync).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // a local project with no forge remote: the request columns say why they are empty
    expect(row('current').request).toEqual({ why: 'no origin remote' });
    expect(row('current').error).toBeUndefined();
    expect(row('behind')).toMatchObject({ version: '1.0.0', newest: '1.1.0', behind: true, conflicts: [] });
    expect(row('conflict')).toMatchObject({ version: '1.1.0', behind: false, conflicts: [RISK] });
    expect(row('committed')).toMatchObject({ version: '1.1.0', behind: false, conflicts: [RISK] });
    expect(row('unreadable').error).toMatch(/\.migration-template\.json: not valid JSON/);
    expect(row('plain').error).toMatch(/not a create-migration project/);
    expect(out.totals).toMatchObject({ projects: 6, behind: 1, inConflict: 2, errors: 2, current: 1 });

    const one = await runCli(['fleet', 'current', '--json'], { cwd: tmp });
    expect(one.code).toBe(0); // current and clean: the gate passes
  });

  it('prints a table: one row per project, with the error column', async () => {
    const r = await runCli(['fleet', ...all()], { cwd: tmp });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^project\s+template\s+version\s+newest\s+behind\s+conflicts\s+progress\s+phases\s+jobs green\s+on parity\s+cutover\s+days\s+last sync\s+update request\s+checks\s+review\s+error$/);
    expect(lines.find((l) => l.startsWith('current '))).toMatch(/\s-\s+- \(no origin remote\)\s+-\s+-$/);
    expect(lines.find((l) => l.startsWith('behind '))).toMatch(/kailash-migration\s+1\.0\.0\s+1\.1\.0\s+yes\s+0\s/);
    expect(lines.find((l) => l.startsWith('conflict '))).toMatch(/1\.1\.0\s+1\.1\.0\s+no\s+1\s/);
    expect(lines.find((l) => l.startsWith('plain '))).toMatch(/not a create-migration project/);
    expect(r.stdout).toContain('6 projects: 1 current, 1 behind, 2 in conflict, 2 unreadable.');
    expect(r.stderr).not.toMatch(/fleet: \d/); // no progress counter when stderr is not a terminal
  });

  it('on a terminal, counts the projects on stderr while it works, and clears the count', () => {
    const r = runInPty(tmp, ['fleet', ...all()], []);
    expect(r.code).toBe(1);
    // (the driver's transcript drops the erase-line escape that follows)
    expect(r.transcript).toMatch(/\rfleet: 1\/6[\s\S]*\rfleet: 6\/6\rproject /);
    expect(r.transcript).toContain('6 projects: 1 current');
  });

  const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);

  it('--html: counts at the top, a row per project with its state; sortable in a real browser', async () => {
    const page = path.join(tmp, 'fleet.html');
    const r = await runCli(['fleet', ...all(), '--html', page], { cwd: tmp });
    expect(r.code).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/id="count-behind"><strong>1<\/strong>/);
    expect(html).toMatch(/id="count-conflict"><strong>2<\/strong>/);
    expect(html).toMatch(/<tr class="conflict">\n<td class="project" data-sort="committed">/);
    expect(html).toMatch(/<tr class="behind">\n<td class="project" data-sort="behind">/);
    expect(html).not.toMatch(/<link|src="http|href="http/);
    if (!chromium) return;
    // The page's own script sorts it: click "Days left" in a copy with one line that clicks.
    const clicked = path.join(tmp, 'clicked.html');
    writeFileSync(clicked, html.replace('</body>', '<script>[...document.querySelectorAll(\'th[data-col]\')].find((t) => t.textContent.startsWith(\'Days left\')).click();</script></body>'));
    const profile = tempDir('cm-chrome-');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
    const dom = execFileSync(chromium, [...flags, '--dump-dom', `file://${clicked}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const order = [...dom.matchAll(/<td class="project" data-sort="([^"]+)"/g)].map((m) => m[1]);
    // 2027-06-30 (default) for the generated ones, 2099 for current, none for the unreadable two.
    expect(order.slice(-3)).toEqual(expect.arrayContaining(['current']));
    expect(order.indexOf('current')).toBeGreaterThan(order.indexOf('behind'));
    expect(dom).toContain('aria-sort="ascending"');
    const shot = path.join(profile, 'shot.png');
    execFileSync(chromium, [...flags, '--window-size=1400,700', `--screenshot=${shot}`, `file://${page}`], { timeout: 60_000, stdio: 'ignore' });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.KEEP_SCREENSHOT) writeFileSync(process.env.KEEP_SCREENSHOT, readFileSync(shot));
  });

  it('--repos: clones URLs into the cache, refreshes them next run; a bad line or repo never stops the rest', async () => {
    const cache = tempDir('cm-cache-');
    const remote = path.join(tmp, 'remote.git');
    execFileSync('git', ['clone', '-q', '--bare', dirs.current, remote]);
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, `# the fleet\nfile://${remote}\n--upload-pack=evil\nfile://${tmp}/nowhere.git\nbehind\n`);
    const env = { XDG_CACHE_HOME: cache };
    const r = await runCli(['fleet', '--repos', list, '--json'], { cwd: tmp, env });
    const out = JSON.parse(r.stdout);
    expect(out.projects).toHaveLength(4);
    const [cloned, bad, missing, local] = out.projects;
    expect(cloned).toMatchObject({ project: `file://${remote}`, version: '1.1.0', behind: false, conflicts: [] });
    expect(cloned.lastSync).toBeUndefined(); // a clone of a project never synced
    expect(cloned.request).toEqual({ why: 'the origin remote is not a repository on a forge' });
    expect(bad.error).toMatch(/line 3: starts with "-"/);
    expect(missing.error).toMatch(/cannot clone/);
    expect(local).toMatchObject({ project: 'behind', behind: true });
    expect(readdirSync(path.join(cache, 'create-migration/fleet'))).toHaveLength(1);

    // A team ticks boxes upstream: the next run sees them.
    const work = path.join(tmp, 'work');
    execFileSync('git', ['clone', '-q', remote, work]);
    const phase2 = readdirSync(path.join(work, 'docs/phases')).sort()[1]!;
    edit(path.join(work, 'docs/phases', phase2), (t) => t.replace(/- \[ \]/g, '- [x]'));
    gitIn(work, 'commit', '-qam', 'phase 2 done');
    gitIn(work, 'push', '-q', 'origin', 'HEAD');
    const again = JSON.parse((await runCli(['fleet', '--repos', list, '--json'], { cwd: tmp, env })).stdout);
    expect(again.projects[0].progress.phasesDone).toBe(2);
  });
});

describe('fleet page (pure)', () => {
  it('escapes every value a repository controls', async () => {
    const { fleetHtml } = await import('../src/core/fleet/html.js');
    const { fleetTable } = await import('../src/core/fleet/table.js');
    const { emptyCounts } = await import('../src/core/jobs/summary.js');
    const row = { project: '<img src=x onerror=alert(1)>', template: '"><script>x()</script>', version: '1.0.0', newest: '1.1.0', behind: true, conflicts: ['a<b>.md'], targetDate: '2027-01-01', error: "it's & <bad>" };
    const html = fleetHtml([row], { projects: 1, behind: 1, inConflict: 1, errors: 1, current: 0, jobs: { total: 0, counts: emptyCounts(), green: 0, blockedOnParity: [] } }, 'now');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>x()');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('a&#60;b&#62;.md');
    // A name with a control character cannot move the terminal's cursor.
    expect(fleetTable([{ ...row, project: 'p\x1b[2J\rq' }], { projects: 1, behind: 1, inConflict: 1, errors: 1, current: 0, jobs: { total: 0, counts: emptyCounts(), green: 0, blockedOnParity: [] } })).toContain('p?[2J?q');
  });
});

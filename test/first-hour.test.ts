// What a new team meets in its first hour, through the real CLI (issue 24): help pages, errors,
// answers given on the command line, and the documents the project starts with.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, snapshot, tempDir, testEnv } from './helpers/cli.js';
import { localToday, monthEndAfter } from '../src/core/answers/validate.js';

const help = (args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8', env: testEnv() });

function markdownFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).flatMap((name) => {
    const r = rel ? `${rel}/${name}` : name;
    if (name === '.git') return [];
    if (statSync(path.join(dir, r)).isDirectory()) return markdownFiles(dir, r);
    return r.endsWith('.md') ? [r] : [];
  });
}

describe('help pages', () => {
  it.each([[[]], [['sync']], [['status']], [['add']], [['adopt']], [['assess']], [['fleet']], [['template', 'check']], [['completion']], [['add', 'workflow']], [['add', 'node']], [['add', 'checklist']]])(
    'create-migration %j --help ends with examples',
    (args) => {
      const r = help(args);
      expect(r.status).toBe(0);
      const examples = r.stdout.split('\nExamples:\n')[1];
      expect(examples, r.stdout).toBeDefined();
      expect(examples!.split('\n').filter((l) => l.startsWith('  $ create-migration')).length).toBeGreaterThan(0);
    },
  );

  it('add <generator> --help shows only the flags that generator takes', () => {
    const own: Record<string, string[]> = { workflow: ['--pattern', '--source', '--schedule', '--time-zone'], node: [], checklist: ['--title'] };
    const all = Object.values(own).flat();
    for (const [kind, flags] of Object.entries(own)) {
      const r = help(['add', kind]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: create-migration add ${kind}`);
      for (const f of all) {
        if (flags.includes(f)) expect(r.stdout, `${kind} ${f}`).toContain(f);
        else expect(r.stdout, `${kind} ${f}`).not.toContain(`${f} `);
      }
      expect(r.stdout).toContain('--dry-run');
    }
  });

  it("sync --help lists --conflict's choices", () => {
    expect(help(['sync']).stdout).toMatch(/--conflict <inline\|diff3\|merge\|rej>[\s\S]*inline:[\s\S]*merge:[\s\S]*rej:/);
  });
});

describe('shell completion', () => {
  it('the bash script, sourced in bash, completes commands, flags, their values and generators', () => {
    const script = spawnSync(process.execPath, [CLI, 'completion', 'bash'], { encoding: 'utf8', env: testEnv() });
    expect(script.status).toBe(0);
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'c.bash'), script.stdout);
    const complete = (...words: string[]) => {
      const r = spawnSync('bash', ['-c', `source c.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _create_migration; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: tmp, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(complete('create-migration', 'sy')).toEqual(['sync']);
    expect(complete('create-migration', 'sync', '--con')).toEqual(['--conflict']);
    expect(complete('create-migration', 'sync', '--conflict', '')).toEqual(['inline', 'rej']);
    expect(complete('create-migration', 'add', '')).toEqual(['workflow', 'node', 'checklist']);
    expect(complete('create-migration', 'add', 'workflow', '--pat')).toEqual(['--pattern']);
    expect(complete('create-migration', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(complete('create-migration', 'status', '--')).toContain('--html');
    expect(complete('create-migration', 'status', '--')).not.toContain('--conflict');
    expect(spawnSync('bash', ['-c', 'source c.bash; complete -p create-kailash-migration'], { cwd: tmp, encoding: 'utf8' }).stdout).toContain('_create_migration');
  });

  it('zsh and fish scripts are printed; an unknown shell is refused', async () => {
    const tmp = tempDir();
    for (const shell of ['zsh', 'fish']) {
      const r = await runCli(['completion', shell], { cwd: tmp });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('create-migration');
    }
    expect((await runCli(['completion', 'fish'], { cwd: tmp })).stdout).toContain("-l conflict -x -a 'inline rej'");
    const bad = await runCli(['completion', 'tcsh'], { cwd: tmp });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('<shell>: "tcsh" is not one of bash, zsh, fish.');
  });
});

describe('errors a newcomer meets', () => {
  it('--answers with a file that is not there says so in words', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--answers', 'nope.yaml'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--answers: nope.yaml does not exist.');
    expect(r.stderr).not.toMatch(/ENOENT/);
  });

  it('sync and status in a folder that is no project: the wrong folder, not adopt', async () => {
    const tmp = tempDir();
    for (const cmd of ['sync', 'status']) {
      const r = await runCli([cmd], { cwd: tmp });
      expect(r.code, cmd).toBe(2);
      expect(r.stderr, cmd).toMatch(/is not a migration project\. `cd` into a project made by create-migration.*--help/);
      expect(r.stderr, cmd).not.toContain('adopt');
    }
  });

  it('a repository that looks like a migration project but has no manifest is pointed to adopt', async () => {
    const tmp = tempDir();
    mkdirSync(path.join(tmp, 'docs/phases'), { recursive: true });
    writeFileSync(path.join(tmp, 'docs/phases/phase-1.md'), '- [ ] one\n');
    spawnSync('git', ['init', '-q'], { cwd: tmp });
    const r = await runCli(['sync'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a migration project that is not linked to a template');
    expect(r.stderr).toContain('create-migration adopt');
  });

  it('an answers file with several mistakes reports every one, at once, and writes nothing', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp, 'a.yaml'), 'daily_volume: lots\ncutover: overnight\ntarget_date: 2027-13-40\nowner: ""\n');
    const before = snapshot(tmp);
    const r = await runCli(['p', '--yes', '--answers', 'a.yaml'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('4 answers are wrong:');
    for (const key of ['daily_volume', 'cutover', 'target_date', 'owner']) expect(r.stderr).toMatch(new RegExp(`- ${key} \\(--answers a\\.yaml\\): `));
    expect(r.stderr).toContain('"overnight" is not one of parallel_run, phased, big_bang');
    expect(snapshot(tmp)).toEqual(before);
  });

  it('--set for a question that does not apply is named, with its condition, at generate', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--no-git', '--set', 'database_kind=mysql', '--set', 'data_sources=csv'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: --set database_kind: has no effect: it is asked only when data_sources includes database, which does not hold here.');
  });
});

describe('answers given on the command line', () => {
  it('records per day as people write them, a folder that names the project, a cutover date from today', async () => {
    for (const [given, want] of [['2,000,000', 2000000], ['2_000_000', 2000000], ['1,234', 1234]] as const) {
      const tmp = tempDir();
      const r = await runCli(['Billing Jobs', '--yes', '--no-git', '--set', `daily_volume=${given}`], { cwd: tmp });
      expect(r.code, r.stderr).toBe(0);
      const answers = JSON.parse(readFileSync(path.join(tmp, 'Billing Jobs/.migration-template.json'), 'utf8')).answers;
      expect(answers.daily_volume).toBe(want);
      expect(answers.project_name).toBe('billing-jobs');
      expect(answers.target_date).toBe(monthEndAfter(localToday(), 6));
    }
    const tmp = tempDir();
    for (const bad of ['2,00,000', '2__000', '1,5']) {
      const r = await runCli(['p', '--yes', '--no-git', '--set', `daily_volume=${bad}`], { cwd: tmp });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`daily_volume (--set): "${bad}" is not a number`);
    }
  });

  it('another database and no LLM make a project that says so, in every file that mentions them', async () => {
    const tmp = tempDir();
    const r = await runCli(
      ['p', '--yes', '--no-git', '--set', 'data_sources=database,sftp,other', '--set', 'database_kind=other', '--set', 'database_other=IBM Db2 for z/OS', '--set', 'data_source_other=Mainframe EBCDIC files', '--set', 'patterns=etl,reporting', '--set', 'llm_provider=none'],
      { cwd: tmp },
    );
    expect(r.code, r.stderr).toBe(0);
    const read = (f: string) => readFileSync(path.join(tmp, 'p', f), 'utf8');
    expect(read('README.md')).toContain('| **Data sources** | Database (IBM Db2 for z/OS), SFTP drops, Mainframe EBCDIC files |');
    expect(read('src/p/sources.py')).toContain('"other": _extract_other');
    expect(read('docs/kailash-mapping.md')).toMatch(/^\| Mainframe EBCDIC files \| a custom node of yours \(`extract_other`/m);
    expect(read('README.md')).toContain('(figures only, no LLM)');
    expect(read('docs/assessment.md')).toContain('Database (IBM Db2 for z/OS), SFTP drops, Mainframe EBCDIC files');
    expect(read('.env.example')).toContain('LLM_PROVIDER=none');
    expect(read('.env.example')).toContain('# --- Database (IBM Db2 for z/OS)');
    expect(read('src/p/settings.py')).toContain('database_url: str = "dialect+driver://');
    expect(read('docs/kailash-mapping.md')).toContain('LLM: none (`LLM_PROVIDER=none`)');
    const py = spawnSync('python3', ['-c', 'import ast,sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)', ...['src/p/settings.py', 'src/p/sources.py', 'src/p/workflows/report_generation.py', 'src/p/workflows/etl_pipeline.py'].map((f) => path.join(tmp, 'p', f))], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
  });
});

describe('the generated documents', () => {
  const OWNER = 'Team <team@acme.example>';
  const SYSTEM = 'R&D *Billing* _v2_ | `core` \\ ops';

  it('hold no HTML entity outside Mermaid, and show hostile answers as typed through a CommonMark renderer', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--no-git', '--set', `owner=${OWNER}`, '--set', `system_name=${SYSTEM}`, '--set', 'legacy_stack=cron_shell,static_reports', '--set', 'data_sources=database,sftp', '--set', 'database_kind=postgresql'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const dir = path.join(tmp, 'p');
    const md = new MarkdownIt('default', { html: true });
    const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    let ownerSeen = 0;
    for (const f of markdownFiles(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const outsideMermaid = text.replace(/```mermaid[\s\S]*?```/g, '');
      expect(outsideMermaid, f).not.toMatch(/&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-f]+);/i);
      // The source reads as typed: the owner with only the backslash that keeps it from being a link.
      if (text.includes('team@acme.example')) {
        expect(text, f).toContain('Team \\<team@acme.example>');
        expect(text, f).not.toContain('Team <team@acme.example>');
      }
      const rendered = md.render(text);
      expect(rendered, f).not.toContain('href="mailto:team@acme.example"');
      const cells = [...rendered.matchAll(/<(td|p|li|h\d)>([\s\S]*?)<\/\1>/g)].map((m) => decode(m[2]!.replace(/<br>\n?/g, ' ').replace(/<(?!\/?(?:em|strong|code)\b)[^>]*>/g, '')));
      ownerSeen += cells.filter((c) => c.includes(OWNER)).length;
      for (const c of cells.filter((c) => c.includes('R&D'))) expect(c, f).toContain(SYSTEM);
    }
    expect(ownerSeen).toBeGreaterThan(10);
  });

  it('numbers risks without gaps, merges the near-duplicates, cites ResilientHTTPNode only with a REST source', async () => {
    const tmp = tempDir();
    const gen = async (name: string, ...sets: string[]) => {
      const r = await runCli([name, '--yes', '--no-git', ...sets.flatMap((s) => ['--set', s])], { cwd: tmp });
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(path.join(tmp, name, 'docs/risk-register.md'), 'utf8');
    };
    const ids = (text: string) => [...text.matchAll(/^\| (R-\d\d) \|/gm)].map((m) => m[1]!);
    const consecutive = (list: string[]) => list.every((id, i) => id === `R-${String(i + 1).padStart(2, '0')}`);
    const manual = await gen('a', 'legacy_stack=manual_process', 'patterns=reporting', 'data_sources=csv');
    expect(ids(manual)).toHaveLength(11);
    expect(consecutive(ids(manual))).toBe(true);
    expect(manual).not.toContain('ResilientHTTPNode');
    const rest = await gen('b', 'legacy_stack=cron_shell,stored_procedures,message_queue,manual_process', 'patterns=etl,reporting', 'data_sources=rest_api');
    expect(ids(rest)).toHaveLength(14);
    expect(consecutive(ids(rest))).toBe(true);
    expect(rest).toContain('ResilientHTTPNode');
    for (const text of [manual, rest]) {
      expect(text.match(/\*\*Performance issues\*\*.*\*\*performance requirements\*\*/g)).toHaveLength(1);
      expect(text.match(/^\|.*\*\*Performance/gim)).toHaveLength(1);
      expect(text.match(/^\|.*\*\*Integration (failures|dependencies)/gim)).toHaveLength(1);
    }
  });

  it('answer labels read right in sentences; the ETL docstring names only the project\'s sources', async () => {
    const tmp = tempDir();
    const r = await runCli(['p', '--yes', '--no-git', '--set', 'data_sources=database,sftp', '--set', 'database_kind=postgresql', '--set', 'cutover=parallel_run'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const read = (f: string) => readFileSync(path.join(tmp, 'p', f), 'utf8');
    expect(read('README.md')).toContain('Database (PostgreSQL), SFTP drops');
    expect(read('docs/data-migration.md')).toContain('Database (PostgreSQL), SFTP drops');
    expect(read('docs/phases/phase-4-deployment.md')).toContain('Run the parallel run and switch, as the cutover plan says, by');
    const doc = read('src/p/workflows/etl_pipeline.py').split('"""')[1]!;
    expect(doc).toContain('SQLDatabaseNode for database');
    expect(doc).toContain('SFTPDropReaderNode for sftp');
    expect(doc).not.toMatch(/CSVReaderNode|ResilientHTTPNode|QueueConsumerNode/);
    expect(existsSync(path.join(tmp, 'p/src/p/workflows/etl_pipeline.py'))).toBe(true);
  });
});

describe('status, in the terminal and on the page', () => {
  it('rounds, lists as many next items in both, dates each phase back from the cutover and shows what is overdue', async () => {
    const tmp = tempDir();
    // A cutover 30 days away: phases 1 to 3 were due already.
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await runCli(['p', '--yes', '--no-git', '--set', `target_date=${soon}`], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    const { phaseDue } = await import('../src/core/status/due.js');
    const term = await runCli(['status'], { cwd: dir });
    expect(term.code).toBe(0);
    for (const phase of [1, 2, 3]) expect(term.stdout).toMatch(new RegExp(`Phase ${phase}:.*due ${phaseDue(phase, soon)}, overdue by \\d+ days`));
    expect(term.stdout).toMatch(new RegExp(`Phase 4:.*due ${soon}$`, 'm'));
    const first = await runCli(['status', '--html', 'page.html'], { cwd: dir });
    expect(first.stderr).toContain('Created page.html.');
    const again = await runCli(['status', '--html', 'page.html'], { cwd: dir });
    expect(again.stderr).toContain('Updated page.html.');
    const page = readFileSync(path.join(dir, 'page.html'), 'utf8');
    expect(page.match(/overdue by \d+ days/g)).toHaveLength(3);
    const termItems = term.stdout.split('\n').filter((l) => l.startsWith('  - [ ] ')).length;
    const pageItems = (/<ul class="open">([\s\S]*?)<\/ul>/.exec(page)![1]!.match(/<li>/g) ?? []).length;
    expect(termItems).toBeGreaterThan(0);
    expect(pageItems).toBe(termItems);
    expect(page).not.toMatch(/UTC\+00:00 \((?:Etc\/)?UTC\)/);
    if (!chromium) return;
    // With what is overdue in it, the page still fits a desktop and a phone: nothing cut off.
    for (const width of [1200, 390]) {
      const fit = measure(dir, 'page.html', width, `[...d.querySelectorAll('th,td,h1,h2,p,li,.late')].filter(e=>e.getBoundingClientRect().right>w.innerWidth+0.5).map(e=>e.textContent.trim().slice(0,30))`);
      expect(fit.w).toBe(width);
      expect(fit.found, `${width}px`).toEqual([]);
      expect(fit.scroll, `${width}px`).toBeLessThanOrEqual(width);
    }
  }, 120_000);
});

/**
 * A page as Chromium lays it out at a width: shown in a frame that wide (Chromium's window has a
 * minimum width above a phone's) beside a script that evaluates `probe` (with `w` the frame's
 * window and `d` its document) into the DOM. Returns {w, scroll, found}.
 */
function measure(dir: string, page: string, width: number, probe: string): { w: number; scroll: number; found: unknown } {
  const profile = tempDir('cm-chrome-');
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--allow-file-access-from-files', `--user-data-dir=${profile}`];
  const file = path.join(dir, `probe-${width}.html`);
  const script = `<script>f.addEventListener('load',()=>{const w=f.contentWindow,d=f.contentDocument;document.body.setAttribute('data-fit',JSON.stringify({w:w.innerWidth,scroll:d.documentElement.scrollWidth,found:${probe}}));});</script>`;
  writeFileSync(file, `<!doctype html><html><body style="margin:0"><iframe id="f" src="${page}" style="border:0;width:${width}px;height:900px;display:block"></iframe>${script}</body></html>`);
  const dom = spawnSync(chromium!, [...flags, `--window-size=${Math.max(width, 600)},900`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 }).stdout;
  return JSON.parse(/data-fit="([^"]*)"/.exec(dom)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);

describe('the fleet page', () => {
  it.skipIf(!chromium)('is usable at 1200 px and 390 px in Chromium: nothing cut, cards wrap, project names are links', async () => {
    const tmp = tempDir();
    for (const n of ['billing-extracts', 'payroll-reports-and-a-long-project-name']) expect((await runCli([n, '--yes'], { cwd: tmp })).code).toBe(0);
    mkdirSync(path.join(tmp, 'notproj'));
    mkdirSync(path.join(tmp, 'out'));
    const r = await runCli(['fleet', 'billing-extracts', 'payroll-reports-and-a-long-project-name', 'notproj', '--html', 'out/fleet.html'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(1);
    const page = path.join(tmp, 'out/fleet.html');
    const html = readFileSync(page, 'utf8');
    // Links from the page's folder to each project's.
    expect(html).toContain('<a href="../billing-extracts/">billing-extracts</a>');
    const profile = tempDir('cm-chrome-');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--allow-file-access-from-files', `--user-data-dir=${profile}`];
    for (const [name, width] of [['desktop', 1200], ['phone', 390]] as const) {
      const probe = path.join(tmp, 'out', `probe-${name}.html`);
      // The page in a frame of the screen's width, measured by a script beside it.
      const measure = `<script>f.addEventListener('load',()=>{const w=f.contentWindow,d=f.contentDocument;const box=d.querySelector('.scroll');const out=[...d.querySelectorAll('h1,p,li,.scroll')].filter(e=>e.getBoundingClientRect().right>w.innerWidth+0.5).map(e=>e.textContent.trim().slice(0,30));const cells=[...d.querySelectorAll('th,td')].filter(e=>e.getBoundingClientRect().right>box.getBoundingClientRect().right+0.5).length;document.body.setAttribute('data-fit',JSON.stringify({w:w.innerWidth,scroll:d.documentElement.scrollWidth,out,cells,boxScrolls:box.scrollWidth>box.clientWidth,links:d.querySelectorAll('td.project a').length}));});</script>`;
      writeFileSync(probe, `<!doctype html><html><body style="margin:0"><iframe id="f" src="fleet.html" style="border:0;width:${width}px;height:900px;display:block"></iframe>${measure}</body></html>`);
      const dom = spawnSync(chromium!, [...flags, `--window-size=${Math.max(width, 600)},900`, '--dump-dom', `file://${probe}`], { encoding: 'utf8', timeout: 60_000 }).stdout;
      const fit = JSON.parse(/data-fit="([^"]*)"/.exec(dom)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
      expect(fit.w, name).toBe(width);
      // Nothing of the page goes past the window: the count cards wrap, the table scrolls in its box.
      expect(fit.out, name).toEqual([]);
      expect(fit.scroll, name).toBeLessThanOrEqual(width);
      expect(fit.links, name).toBe(3);
      // On a desktop the whole table shows, its Error column included.
      if (name === 'desktop') {
        expect(fit.boxScrolls, name).toBe(false);
        expect(fit.cells, name).toBe(0);
      }
      const shot = path.join(profile, `${name}.png`);
      spawnSync(chromium!, [...flags, `--window-size=${Math.max(width, 600)},900`, `--screenshot=${shot}`, `file://${probe}`], { timeout: 60_000 });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    }
  }, 120_000);
});

describe('the README quick start', () => {
  it('generates the project beside the checkout, never inside it (no nested repository in git status)', async () => {
    const readme = readFileSync(path.join(path.dirname(CLI), '..', 'README.md'), 'utf8');
    const first = /```sh\n([^\n]+)\n/.exec(readme)![1]!;
    const args = /node dist\/cli\.js (.*?)\s+#/.exec(first)![1]!.split(/\s+/);
    const tmp = tempDir();
    const checkout = path.join(tmp, 'create-migration');
    mkdirSync(checkout);
    spawnSync('git', ['init', '-q'], { cwd: checkout });
    const r = await runCli(args, { cwd: checkout });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(checkout)).toEqual(['.git']);
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: checkout, encoding: 'utf8' }).stdout).toBe('');
    const made = readdirSync(tmp).filter((n) => n !== 'create-migration');
    expect(made).toHaveLength(1);
    expect(existsSync(path.join(tmp, made[0]!, '.migration-template.json'))).toBe(true);
  });
});

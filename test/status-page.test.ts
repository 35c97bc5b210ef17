import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { edit } from './helpers/git.js';

/** Ticks the first n open boxes of a file, as a person would in an editor. */
function tick(file: string, n: number): void {
  let left = n;
  edit(file, (t) => t.replace(/^(\s*- )\[ \]/gm, (m, p: string) => (left-- > 0 ? `${p}[x]` : m)));
}

const inDays = (n: number) => {
  const d = new Date(Date.now() + n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** Today's date (YYYY-MM-DD) in a time zone; without one, in the test's own. */
const todayIn = (timeZone?: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

async function project(): Promise<string> {
  const parent = tempDir();
  const r = await runCli(['proj', '--yes', '--no-git', '--set', 'owner=Data Platform', '--set', `target_date=${inDays(120)}`, '--set', 'system_name=R&D "Ops" <legacy>'], { cwd: parent });
  expect(r.code, r.stderr).toBe(0);
  const dir = path.join(parent, 'proj');
  tick(path.join(dir, 'docs/phases/phase-1-assessment.md'), 1000);
  tick(path.join(dir, 'docs/phases/phase-2-infrastructure.md'), 5);
  tick(path.join(dir, 'docs/checklists/pre-migration.md'), 1000);
  return dir;
}

const ORDER = [/Pre-Migration/, /Phase 1:/, /Phase 2:/, /Phase 3:/, /Phase 4:/, /Post-Migration/];

describe('status in the terminal', () => {
  it('lists the checklists in the order the work is done, with the owner and the days left, and says what its headline leaves out', async () => {
    const dir = await project();
    const r = await runCli(['status'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const at = ORDER.map((re) => lines.findIndex((l) => re.test(l) && /\d+\/\d+/.test(l)));
    expect(at.every((i) => i >= 0), r.stdout).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(r.stdout).toMatch(/owner Data Platform · cutover by \d{4}-\d{2}-\d{2} \(120 days left\)/);
    expect(r.stdout).toMatch(/\(19\/50 items in the 4 phases\), 1\/4 phases done/);
    expect(r.stdout).toMatch(/Not in that count: Pre-Migration Checklist, Post-Migration Validation: 10\/20 items\./);
  });
});

const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);

describe('status --html', () => {
  it('shows the phases in order, the owner, target date and days left, links to each checklist, and a time with its zone', async () => {
    const dir = await project();
    mkdirSync(path.join(dir, 'reports'));
    const page = path.join(dir, 'reports/progress.html');
    const r = await runCli(['status', '--html', 'reports/progress.html'], { cwd: dir, env: { TZ: 'Asia/Kolkata' } });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(page, 'utf8');
    const body = html.slice(html.indexOf('<tbody>'));
    const at = ORDER.map((re) => body.search(re));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain('Owner <strong>Data Platform</strong>');
    // The target is 120 days from today where the test runs; the page counts from today in
    // Kolkata, a day later from 18:30 UTC on.
    const left = 120 - (Date.parse(todayIn('Asia/Kolkata')) - Date.parse(todayIn())) / 86_400_000;
    expect(html).toMatch(new RegExp(`Cutover by <strong>\\d{4}-\\d{2}-\\d{2}</strong> <span class="">\\(${left} days left\\)</span>`));
    expect(html).toMatch(/generated <span class="stamp">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+05:30 \(Asia\/(Kolkata|Calcutta)\)<\/span>/);
    // The headline says what it counts, and the gates it leaves out are counted beside it.
    expect(html).toMatch(/<strong>38%<\/strong> of the 4 phase checklists \(19\/50 items\)/);
    expect(html).toMatch(/Not in that count: Pre-Migration Checklist, Post-Migration Validation .*: 10\/20 items/);
    // Every link leads to the checklist file, from where the page is.
    const links = [...body.matchAll(/<a href="([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));
    expect(links.length).toBeGreaterThanOrEqual(6);
    for (const l of links) expect(existsSync(path.resolve(path.dirname(page), l)), l).toBe(true);
  });

  it.skipIf(!chromium)('fits a desktop and a phone screen in headless Chromium, no column cut off', async () => {
    const dir = await project();
    const page = path.join(dir, 'progress.html');
    expect((await runCli(['status', '--html', page], { cwd: dir })).code).toBe(0);
    // The page has no script. It is shown in a frame of the screen's width (Chromium's window has a
    // minimum width above a phone's), and a script beside it measures the layout into the DOM.
    const profile = tempDir('cm-chrome-');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--allow-file-access-from-files', `--user-data-dir=${profile}`];
    for (const [name, width, height] of [['desktop', 1000, 900], ['phone', 390, 844]] as const) {
      const probe = path.join(dir, `probe-${name}.html`);
      const measure = `<script>f.addEventListener('load',()=>{const w=f.contentWindow,d=f.contentDocument;const cut=[...d.querySelectorAll('th,td,h1,h2,p,li')].filter(e=>e.getBoundingClientRect().right>w.innerWidth+0.5).map(e=>e.textContent.trim().slice(0,30));document.body.setAttribute('data-fit',JSON.stringify({w:w.innerWidth,scroll:d.documentElement.scrollWidth,cut}));});</script>`;
      writeFileSync(probe, `<!doctype html><html><body style="margin:0"><iframe id="f" src="progress.html" style="border:0;width:${width}px;height:${height}px;display:block"></iframe>${measure}</body></html>`);
      const window = `--window-size=${Math.max(width, 600)},${height}`;
      const dom = execFileSync(chromium!, [...flags, window, '--dump-dom', `file://${probe}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
      const fit = JSON.parse(/data-fit="([^"]*)"/.exec(dom)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
      expect(fit.w, name).toBe(width);
      expect(fit.cut, name).toEqual([]);
      expect(fit.scroll, name).toBeLessThanOrEqual(fit.w);
      const shot = path.join(profile, `${name}.png`);
      execFileSync(chromium!, [...flags, window, `--screenshot=${shot}`, `file://${probe}`], { timeout: 60_000, stdio: 'ignore' });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      if (process.env.KEEP_SCREENSHOTS) writeFileSync(path.join(process.env.KEEP_SCREENSHOTS, `${name}.png`), readFileSync(shot));
    }
  }, 120_000);
});

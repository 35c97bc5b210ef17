/**
 * Where the jobs stand: status (terminal, --json, --html, seen in Chromium at desktop and phone
 * width) and fleet show the jobs by state with their parity evidence; status reads only the
 * reports the gate needs, however many there are.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobsSummaryOf } from '../src/edge/jobs-files.js';
import { ProjectReader } from '../src/edge/project/reader.js';
import { runCli, tempDir } from './helpers/cli.js';

const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);

async function cli(args: string[], cwd: string, code = 0) {
  const r = await runCli(args, { cwd });
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(code);
  return r;
}

function report(proj: string, job: string, date: string, verdict: 'green' | 'red', md = false): void {
  const dir = path.join(proj, 'reports/parity', job);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${date}.json`), JSON.stringify({ schema: 'parity-report/1', job, date, verdict, generated_at: `${date}T03:00:00Z` }));
  if (md) writeFileSync(path.join(dir, `${date}.md`), `# Parity ${job} ${date}: ${verdict}\n`);
}

/** The business days (Mon-Fri) of the `n` days ending at `last`, oldest first. */
function businessDays(last: string, n: number): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.parse(`${last}T00:00:00Z`) - i * 86_400_000);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** A project with three jobs: one in parallel (5 green days since a red one), one switched, one inventoried. */
async function projectWithJobs(tmp: string): Promise<string> {
  mkdirSync(path.join(tmp, 'legacy/systemd'), { recursive: true });
  writeFileSync(path.join(tmp, 'legacy/crontab'), 'CRON_TZ=Europe/Berlin\n0 2 * * 1-5 /opt/billing/bin/extract.sh --full\n30 6 * * * /opt/billing/bin/ledger.sh\n');
  writeFileSync(path.join(tmp, 'legacy/systemd/cleanup.timer'), '[Timer]\nOnCalendar=Mon..Fri *-*-* 23:15:00 America/New_York\n');
  await cli(['proj', '--assess', 'legacy', '--yes', '--no-git', '--set', 'owner=Billing team'], tmp);
  const proj = path.join(tmp, 'proj');
  for (const to of ['ported', 'parallel']) {
    await cli(['job', 'extract', '--to', to], proj);
    await cli(['job', 'ledger', '--to', to], proj);
  }
  const days = businessDays('2026-12-04', 14);
  days.forEach((d, i) => report(proj, 'extract', d, i === days.length - 6 ? 'red' : 'green', true));
  await cli(['job', 'ledger', '--to', 'switched', '--force', '--reason', 'owner signed off'], proj);
  report(proj, 'ledger', '2026-12-03', 'green', true);
  return proj;
}

describe('status and fleet show the jobs', () => {
  it('by state, with owner, schedule, days in state and the evidence of the cutover items', async () => {
    const tmp = tempDir();
    const proj = await projectWithJobs(tmp);
    const j = JSON.parse((await cli(['status', '--json'], proj)).stdout).jobs;
    expect(j.counts).toMatchObject({ inventoried: 1, parallel: 1, switched: 1 });
    expect(j.blockedOnParity).toEqual(['extract']);
    expect(j.evidence).toEqual([
      { item: 'Run legacy and Kailash systems in parallel', evidence: '2/3 jobs running in parallel or beyond; 1/3 jobs green' },
      { item: 'Complete cutover when validation passes', evidence: '1/3 jobs green; 1/3 jobs switched' },
    ]);
    const extract = j.rows.find((r: { id: string }) => r.id === 'extract');
    expect(extract).toMatchObject({ owner: 'Billing team', schedule: '0 2 * * 1-5', time_zone: 'Europe/Berlin', days_in_state: 0, parity: { days: 5, criterion: 10, met: false, latest: 'reports/parity/extract/2026-12-04.md' } });
    expect(extract.parity.last_red).toMatch(/^reports\/parity\/extract\/2026-11-\d\d\.json$/);

    const text = (await cli(['status'], proj)).stdout;
    expect(text).toMatch(/Jobs: 3 \(1 inventoried, 1 parallel, 1 switched\); 1\/3 green/);
    expect(text).toMatch(/extract\s+0 2 \* \* 1-5 Europe\/Berlin\s+Billing team\s+0d in state\s+parity 5\/10, 5 to go/);
    expect(text).toContain('Complete cutover when validation passes: 1/3 jobs green; 1/3 jobs switched');

    mkdirSync(path.join(proj, 'out'));
    await cli(['status', '--html', 'out/status.html'], proj);
    const html = readFileSync(path.join(proj, 'out/status.html'), 'utf8');
    expect(html).toContain('<h2>Jobs (3)</h2>');
    const links = [...html.slice(html.indexOf('<section id="jobs">')).matchAll(/<a href="([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));
    expect(links).toEqual(expect.arrayContaining(['../reports/parity/extract/2026-12-04.md', '../reports/parity/ledger/2026-12-03.md']));
    for (const l of links) expect(existsSync(path.resolve(proj, 'out', l)), l).toBe(true);

    const fleet = JSON.parse((await cli(['fleet', proj, '--json'], tmp)).stdout);
    expect(fleet.totals.jobs).toMatchObject({ total: 3, green: 1, counts: { inventoried: 1, ported: 0, parallel: 1, switched: 1, legacy_off: 0, decommissioned: 0 }, blockedOnParity: [`${proj}/extract`] });
    expect(fleet.projects[0].jobs).toMatchObject({ total: 3, green: 1, blockedOnParity: ['extract'] });
    const table = (await cli(['fleet', proj], tmp)).stdout;
    expect(table).toContain('3 jobs: 1 inventoried, 1 parallel, 1 switched; 1 green; 1 waiting on parity');
    await cli(['fleet', proj, '--html', path.join(tmp, 'fleet.html')], tmp);
    expect(readFileSync(path.join(tmp, 'fleet.html'), 'utf8')).toMatch(/id="jobs-by-state">.*<strong>1<\/strong>parallel/);

    if (!chromium) return;
    const profile = tempDir('cm-chrome-');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--allow-file-access-from-files', `--user-data-dir=${profile}`];
    for (const [name, width] of [['desktop', 1200], ['phone', 390]] as const) {
      // The page in a frame of the screen's width, measured by a script beside it (the page has none).
      const probe = path.join(proj, 'out', `probe-${name}.html`);
      const measure = `<script>f.addEventListener('load',()=>{const w=f.contentWindow,d=f.contentDocument;const cut=[...d.querySelectorAll('#jobs th,#jobs td,#jobs li')].filter(e=>e.getBoundingClientRect().right>w.innerWidth+0.5).map(e=>e.textContent.trim().slice(0,30));document.body.setAttribute('data-fit',JSON.stringify({w:w.innerWidth,scroll:d.documentElement.scrollWidth,cut,rows:d.querySelectorAll('#jobs tbody tr').length}));});</script>`;
      writeFileSync(probe, `<!doctype html><html><body style="margin:0"><iframe id="f" src="status.html" style="border:0;width:${width}px;height:2400px;display:block"></iframe>${measure}</body></html>`);
      const window = `--window-size=${Math.max(width, 600)},2400`;
      const dom = execFileSync(chromium, [...flags, window, '--dump-dom', `file://${probe}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
      const fit = JSON.parse(/data-fit="([^"]*)"/.exec(dom)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
      expect(fit.rows, name).toBe(3);
      expect(fit.cut, name).toEqual([]);
      expect(fit.scroll, name).toBeLessThanOrEqual(fit.w);
      const shot = path.join(profile, `${name}.png`);
      execFileSync(chromium, [...flags, window, `--screenshot=${shot}`, `file://${probe}`], { timeout: 60_000, stdio: 'ignore' });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      if (process.env.KEEP_SCREENSHOTS) writeFileSync(path.join(process.env.KEEP_SCREENSHOTS, `jobs-${name}.png`), readFileSync(shot));
    }
  }, 180_000);

  it('with 100 jobs in parallel and a year of reports each, reads ten reports a job', async () => {
    const root = tempDir();
    const days = businessDays('2026-12-04', 365);
    const jobs = Array.from({ length: 100 }, (_, i) => `job-${i}`);
    writeFileSync(
      path.join(root, 'jobs.yaml'),
      `version: 1\njobs:\n${jobs.map((id, i) => `  - {id: ${id}, state: parallel, workflow: w${i}, cronjob: deploy/kubernetes/w${i}-cronjob.yaml, legacy: {kind: cron, schedule: "0 2 * * *", command: x, found_in: "crontab:${i + 1}"}}`).join('\n')}\n`,
    );
    for (const id of jobs) for (const d of days) report(root, id, d, 'green');
    const files = ProjectReader.openReadOnly({ dir: root, manifest: 'optional' });
    const reads: string[] = [];
    const counting = { read: (p: string, from?: string) => (reads.push(p), files.read(p, from)), listFiles: (d: string, from?: string) => files.listFiles(d, from) };
    const s = (await jobsSummaryOf(counting, new Date('2026-12-05T00:00:00Z')))!;
    expect(s.total).toBe(100);
    expect(s.green).toBe(100);
    expect(reads.filter((p) => p.startsWith('reports/'))).toHaveLength(100 * 10);
    expect(reads.filter((p) => p.startsWith('reports/')).every((p) => days.slice(-10).some((d) => p.endsWith(`${d}.json`)))).toBe(true);
  }, 300_000);
});

/**
 * The job inventory end to end, through the built CLI: a legacy folder to a project with its jobs
 * in one step, every move of a job with its CronJob checked at each state, the parity gate on
 * report files written as the contract says, and what a malformed jobs.yaml gets.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cronJobProblems } from '../src/core/jobs/cronjob.js';
import { ROOT, runCli, snapshot, tempDir } from './helpers/cli.js';
import { pythonCheck } from './helpers/python.js';

const PYTHON = process.env.KAILASH_PYTHON || 'python3';
const hasSdk = spawnSync(PYTHON, ['-c', 'import kailash, kaizen, aiohttp, sqlalchemy, pytest'], { encoding: 'utf8' }).status === 0;

/** Three legacy jobs: two lines of one crontab (with its zone) and one systemd timer. */
function legacyFolder(dir: string): string {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  mkdirSync(path.join(dir, 'systemd'), { recursive: true });
  writeFileSync(path.join(dir, 'crontab'), 'MAILTO=ops@example.com\nCRON_TZ=Europe/Berlin\n0 2 * * 1-5 /opt/billing/bin/extract.sh --full\n30 6 * * * /opt/billing/bin/ledger.sh\n');
  writeFileSync(path.join(dir, 'bin/extract.sh'), '#!/bin/sh\npsql -c "select * from invoices" > /srv/out/invoices.csv\n');
  writeFileSync(path.join(dir, 'bin/ledger.sh'), '#!/bin/sh\nawk -F, \'$3 > 100\' /srv/in/ledger.csv > /srv/out/ledger.csv\n');
  writeFileSync(path.join(dir, 'systemd/cleanup.timer'), '[Unit]\nDescription=cleanup\n\n[Timer]\nOnCalendar=Mon..Fri *-*-* 23:15:00 America/New_York\nUnit=cleanup.service\n');
  writeFileSync(path.join(dir, 'systemd/cleanup.service'), '[Service]\nExecStart=/opt/billing/bin/cleanup.sh\n');
  return dir;
}

const read = (f: string) => readFileSync(f, 'utf8');
const jobsOf = (proj: string) => parse(read(path.join(proj, 'jobs.yaml'))) as { calendar: { holidays: string[] }; jobs: Record<string, any>[] };
const cronOf = (proj: string, file: string) => parse(read(path.join(proj, file)));
const envOf = (c: any) => Object.fromEntries(c.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));

async function cli(args: string[], cwd: string, code = 0) {
  const r = await runCli(args, { cwd });
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(code);
  return r;
}

describe('create-migration <dir> --assess <legacy>: a working project in one step', () => {
  it('has one inventory entry, one workflow and one suspended CronJob per legacy job, and a filled assessment', async () => {
    const tmp = tempDir();
    legacyFolder(path.join(tmp, 'legacy'));
    const r = await cli(['p', '--assess', 'legacy', '--yes'], tmp);
    const proj = path.join(tmp, 'p');
    const { jobs } = jobsOf(proj);
    expect(jobs.map((j) => [j.legacy.found_in, j.legacy.kind, j.legacy.schedule, j.legacy.time_zone, j.state])).toEqual([
      ['../legacy/crontab:3', 'cron', '0 2 * * 1-5', 'Europe/Berlin', 'inventoried'],
      ['../legacy/crontab:4', 'cron', '30 6 * * *', 'Europe/Berlin', 'inventoried'],
      ['../legacy/systemd/cleanup.timer:5', 'systemd_timer', '15 23 * * 1-5', 'America/New_York', 'inventoried'],
    ]);
    expect(jobs[0]!.legacy).toMatchObject({ command: '/opt/billing/bin/extract.sh --full', script: '../legacy/bin/extract.sh' });
    expect(jobs[0]!.history[0]).toMatchObject({ from: null, to: 'inventoried', reason: 'found by assess in ../legacy/crontab:3' });
    const kustomization = parse(read(path.join(proj, 'deploy/kubernetes/kustomization.yaml')));
    expect(kustomization.resources.sort()).toEqual(jobs.map((j) => j.cronjob.replace('deploy/kubernetes/', '')).sort());
    // The samples are left out where a legacy job covers their pattern.
    expect(readdirSync(path.join(proj, 'deploy/kubernetes')).filter((f) => f.endsWith('-cronjob.yaml')).sort()).toEqual(kustomization.resources.sort());
    for (const j of jobs) {
      const module = path.join(proj, `src/p/workflows/${j.workflow}.py`);
      const doc = read(module);
      expect(doc).toContain(`From: ${j.legacy.found_in}`);
      expect(doc).toContain(j.legacy.command);
      if (j.legacy.script) expect(doc).toContain(`script ${j.legacy.script}`);
      const c = cronOf(proj, j.cronjob);
      expect(cronJobProblems(c)).toEqual([]);
      expect(c.spec).toMatchObject({ suspend: true, schedule: j.legacy.schedule, timeZone: j.legacy.time_zone });
      expect(envOf(c)).toMatchObject({ JOB_ID: j.id, JOB_MODE: 'shadow', RUN_TIME_LIMIT_SECONDS: '3300' });
      expect(c.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
      expect(c.metadata.labels).toMatchObject({ 'kailash-migration/job': j.id, 'app.kubernetes.io/part-of': 'p' });
      expect(c.spec.jobTemplate.spec.template.spec.containers[0].image).toBe(kustomization.images[0].name);
    }
    const assessment = read(path.join(proj, 'docs/assessment.md'));
    const region = assessment.slice(assessment.indexOf('<!-- assess:start -->'), assessment.indexOf('<!-- assess:end -->'));
    expect(region).toContain('legacy/crontab:3');
    expect(region).toContain('cleanup.timer');
    expect(r.stderr).toMatch(/Read \d+ files in legacy: 3 schedules/);
    expect(r.stderr).toContain('3 legacy jobs in jobs.yaml');
    // All of it committed: the work tree is clean, in two commits.
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: proj, encoding: 'utf8' }).stdout).toBe('');
    expect(spawnSync('git', ['log', '--format=%s'], { cwd: proj, encoding: 'utf8' }).stdout).toMatch(/^Add the legacy jobs found by assess \(3\)\nGenerate migration project/);
    expect(pythonCheck(proj, [...jobs.map((j) => `src/p/workflows/${j.workflow}.py`), ...jobs.map((j) => `tests/test_${j.workflow}.py`), 'jobs.yaml', 'deploy/kubernetes/kustomization.yaml'])).toEqual([]);

    // assess --write again: every job is known, nothing is added twice; a job that is gone is reported and kept.
    writeFileSync(path.join(tmp, 'legacy/crontab'), 'CRON_TZ=Europe/Berlin\n0 2 * * 1-5 /opt/billing/bin/extract.sh --full\n');
    const again = await cli(['assess', '../legacy', '--write', '--json'], proj);
    const out = JSON.parse(again.stdout);
    expect(out.jobs.gone).toEqual([{ job: jobs[1]!.id, found_in: '../legacy/crontab:4' }]);
    expect(out.jobs.known.map((k: { job: string }) => k.job).sort()).toEqual([jobs[0]!.id, jobs[2]!.id].sort());
    expect(jobsOf(proj).jobs.map((j) => j.id)).toEqual(jobs.map((j) => j.id));
  });

  it.skipIf(!hasSdk)('the project it makes passes its own tests against the Kailash SDK', async () => {
    const tmp = tempDir();
    legacyFolder(path.join(tmp, 'legacy'));
    await cli(['p', '--assess', 'legacy', '--yes', '--no-git'], tmp);
    const r = spawnSync(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-x'], { cwd: path.join(tmp, 'p'), encoding: 'utf8', timeout: 900_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/\b\d+ passed/);
    const ids = spawnSync(PYTHON, ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider'], { cwd: path.join(tmp, 'p'), encoding: 'utf8' }).stdout;
    for (const w of ['legacy_extract', 'legacy_ledger', 'legacy_cleanup']) expect(ids).toContain(`tests/test_${w}.py::`);
  }, 900_000);
});

/** A project with one job, `billing_sync`, moved to `parallel`. */
async function parallelJob(tmp: string, name = 'proj'): Promise<string> {
  await cli([name, '--yes', '--no-git'], tmp);
  const proj = path.join(tmp, name);
  await cli(['add', 'workflow', 'billing_sync', '--pattern', 'etl', '--schedule', '0 3 * * 1-5', '--time-zone', 'Europe/Berlin', '--yes'], proj);
  await cli(['job', 'billing-sync', '--to', 'ported', '--by', 'Ann'], proj);
  await cli(['job', 'billing-sync', '--to', 'parallel', '--by', 'Ann'], proj);
  return proj;
}

function report(proj: string, date: string, verdict: 'green' | 'red', job = 'billing-sync'): void {
  const dir = path.join(proj, 'reports/parity', job);
  mkdirSync(dir, { recursive: true });
  const body = { schema: 'parity-report/1', job, date, verdict, generated_at: `${date}T03:10:00Z`, legacy: {}, new: {}, rules: {}, counts: {}, differences: {}, examples: {} };
  writeFileSync(path.join(dir, `${date}.json`), JSON.stringify(body));
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(body));
}

/** Business days back from `from` (inclusive), newest first; weekends and `holidays` skipped. */
function businessDays(from: string, n: number, holidays: string[] = []): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); out.length < n; t -= 86_400_000) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !holidays.includes(iso)) out.push(iso);
  }
  return out;
}

describe('job <id> --to: every state and back, the CronJob in step', () => {
  it('moves through the cutover, refuses what its gate forbids, and prints the legacy line to disable', async () => {
    const tmp = tempDir();
    legacyFolder(path.join(tmp, 'legacy'));
    await cli(['p', '--assess', 'legacy', '--yes'], tmp);
    const proj = path.join(tmp, 'p');
    const id = 'extract';
    const file = jobsOf(proj).jobs.find((j) => j.id === id)!.cronjob;
    const state = () => jobsOf(proj).jobs.find((j) => j.id === id)!;
    const check = (suspend: boolean, mode: string) => {
      const c = cronOf(proj, file);
      expect(c.spec.suspend).toBe(suspend);
      expect(envOf(c).JOB_MODE).toBe(mode);
      expect(cronJobProblems(c)).toEqual([]);
    };
    check(true, 'shadow');

    // The ported gate: the workflow module must exist. Refused with exit 2, nothing written.
    const module = path.join(proj, 'src/p/workflows/legacy_extract.py');
    renameSync(module, `${module}.away`);
    const before = snapshot(proj);
    const refused = await cli(['job', id, '--to', 'ported'], proj, 2);
    expect(refused.stderr).toContain('the workflow module of legacy_extract does not exist');
    expect(snapshot(proj)).toEqual(before);
    renameSync(`${module}.away`, module);

    await cli(['job', id, '--to', 'ported', '--by', 'Ann'], proj);
    check(true, 'shadow');
    await cli(['job', id, '--to', 'parallel', '--by', 'Ann'], proj);
    check(false, 'shadow');
    const gate = await cli(['job', id, '--to', 'switched'], proj, 2);
    expect(gate.stderr).toMatch(/cannot move to switched: the parity criterion is not met: 0 of 10 .* 10 more needed; there is no report yet/);
    for (const d of businessDays('2026-12-04', 10)) report(proj, d, 'green', id);
    await cli(['job', id, '--to', 'switched', '--by', 'Ann'], proj);
    check(false, 'live');
    const back = await cli(['job', id, '--to', 'parallel'], proj, 2);
    expect(back.stderr).toContain('needs --reason');
    await cli(['job', id, '--to', 'parallel', '--reason', 'totals differ on Mondays', '--by', 'Bo'], proj);
    check(false, 'shadow');
    await cli(['job', id, '--to', 'switched', '--by', 'Ann'], proj);
    check(false, 'live');
    const off = await cli(['job', id, '--to', 'legacy_off', '--by', 'Ann'], proj);
    expect(off.stdout).toContain('Disable the crontab line 3 of ../legacy/crontab');
    expect(off.stdout).toContain('# 0 2 * * 1-5 /opt/billing/bin/extract.sh --full');
    check(false, 'live');
    const cronBefore = read(path.join(proj, file));
    await cli(['job', id, '--to', 'decommissioned', '--by', 'Ann'], proj);
    expect(read(path.join(proj, file))).toBe(cronBefore);
    const skip = await cli(['job', id, '--to', 'switched'], proj, 2);
    expect(skip.stderr).toContain('decommissioned is the last state');

    const h = state().history;
    expect(h.map((x: { to: string }) => x.to)).toEqual(['inventoried', 'ported', 'parallel', 'switched', 'parallel', 'switched', 'legacy_off', 'decommissioned']);
    expect(h[4]).toMatchObject({ from: 'switched', by: 'Bo', reason: 'totals differ on Mondays' });
    expect(state().state).toBe('decommissioned');

    // The systemd timer's legacy_off names the unit to disable.
    for (const to of ['ported', 'parallel']) await cli(['job', 'cleanup', '--to', to], proj);
    await cli(['job', 'cleanup', '--to', 'switched', '--force', '--reason', 'no output to compare'], proj);
    const timer = await cli(['job', 'cleanup', '--to', 'legacy_off'], proj);
    expect(timer.stdout).toContain('sudo systemctl disable --now cleanup.timer');

    const list = JSON.parse((await cli(['jobs', '--json'], proj)).stdout);
    expect(list.counts).toMatchObject({ inventoried: 1, decommissioned: 1, legacy_off: 1 });
    expect(list.jobs.find((j: { id: string }) => j.id === 'cleanup')).toMatchObject({ state: 'legacy_off', schedule: '15 23 * * 1-5', time_zone: 'America/New_York', days_in_state: 0 });
  });
});

describe('the parity gate, through the CLI', () => {
  it('9 green business days are refused, the 10th allows switched; a red day resets; weekends and holidays are skipped; --force is recorded', async () => {
    const tmp = tempDir();
    const proj = await parallelJob(tmp);
    // Ten business days to 2026-12-29, over a weekend and the holiday of 2026-12-25 (a Friday).
    const jobsFile = path.join(proj, 'jobs.yaml');
    writeFileSync(jobsFile, read(jobsFile).replace('holidays: []', 'holidays: [2026-12-25]  # Christmas'));
    const days = businessDays('2026-12-29', 10, ['2026-12-25']).reverse();
    for (const d of days.slice(0, 9)) report(proj, d, 'green');
    const nine = await cli(['job', 'billing-sync', '--to', 'switched'], proj, 2);
    expect(nine.stderr).toContain('9 of 10 consecutive green business days, 1 more needed');
    expect(read(jobsFile)).toContain('# Christmas');

    // A red day resets: the 10th green day after it is not enough.
    report(proj, days[4]!, 'red');
    report(proj, days[9]!, 'green');
    const red = await cli(['job', 'billing-sync', '--to', 'switched'], proj, 2);
    expect(red.stderr).toContain(`5 of 10 consecutive green business days, 5 more needed; the last red report is reports/parity/billing-sync/${days[4]}.json`);
    const status = JSON.parse((await cli(['jobs', '--json'], proj)).stdout);
    expect(status.blockedOnParity).toEqual(['billing-sync']);
    expect(status.jobs[0].parity).toMatchObject({ days: 5, criterion: 10, met: false, last_red: `reports/parity/billing-sync/${days[4]}.json` });

    report(proj, days[4]!, 'green'); // the rerun of that date came out green
    await cli(['job', 'billing-sync', '--to', 'switched', '--by', 'Ann'], proj);
    expect(jobsOf(proj).jobs[0]!.state).toBe('switched');

    // Back to parallel; a red newest day; --force with a reason passes and is recorded.
    await cli(['job', 'billing-sync', '--to', 'parallel', '--reason', 'consumer saw a gap'], proj);
    report(proj, '2026-12-30', 'red');
    await cli(['job', 'billing-sync', '--to', 'switched'], proj, 2);
    const noReason = await cli(['job', 'billing-sync', '--to', 'switched', '--force'], proj, 2);
    expect(noReason.stderr).toContain('--force: needs --reason');
    await cli(['job', 'billing-sync', '--to', 'switched', '--force', '--reason', 'the red day is a known legacy bug', '--by', 'Cy'], proj);
    const last = jobsOf(proj).jobs[0]!.history.at(-1);
    expect(last).toMatchObject({ from: 'parallel', to: 'switched', by: 'Cy', forced: true });
    expect(last.reason).toMatch(/^the red day is a known legacy bug \(forced past: the parity criterion is not met: 0 of 10/);
  });
});

describe('a malformed jobs.yaml', () => {
  it('is exit 2 naming the entry and the field, with nothing written', async () => {
    const tmp = tempDir();
    const proj = await parallelJob(tmp);
    const jobsFile = path.join(proj, 'jobs.yaml');
    const cases: [string, string, RegExp][] = [
      ['state: parallel', 'state: running', /jobs\.yaml: job billing-sync \(jobs\[0\]\)\.state: "running" is not a state/],
      ['cronjob: deploy/kubernetes/billing_sync-cronjob.yaml', 'cronjob: ../outside.yaml', /jobs\.yaml: job billing-sync \(jobs\[0\]\)\.cronjob: "\.\.\/outside\.yaml" leaves the project folder/],
      ['- id: billing-sync', '- id: "Billing Sync"', /jobs\.yaml: jobs\[0\]\.id: "Billing Sync" must be a slug/],
      ['time_limit_seconds: 3300', 'time_limit_seconds: -5', /time_limit_seconds: must be a whole number from 1 to 604800/],
    ];
    const good = read(jobsFile);
    for (const [from, to, message] of cases) {
      expect(good).toContain(from);
      writeFileSync(jobsFile, good.replace(from, to));
      const before = snapshot(proj);
      for (const args of [['job', 'billing-sync', '--to', 'switched', '--force', '--reason', 'x'], ['jobs'], ['add', 'workflow', 'other', '--pattern', 'etl', '--yes']]) {
        const r = await cli(args, proj, 2);
        expect(r.stderr, args.join(' ')).toMatch(message);
      }
      // status still counts the checklists, and says what is wrong with the inventory.
      const status = await cli(['status'], proj);
      expect(status.stderr).toMatch(message);
      expect(snapshot(proj)).toEqual(before);
    }
    writeFileSync(jobsFile, good);
    const unknown = await cli(['job', 'billing-syn', '--to', 'switched'], proj, 2);
    expect(unknown.stderr).toContain('no job "billing-syn" in jobs.yaml; its jobs are billing-sync');
  });
});

describe('deployment that fits a real cluster', () => {
  it('every CronJob is valid batch/v1 with names within limits and apart, however long the project and job names', async () => {
    const tmp = tempDir();
    const name = `p${'x'.repeat(62)}`;
    await cli([name, '--yes', '--no-git', '--set', 'patterns=etl,api,reporting', '--set', 'data_sources=csv'], tmp);
    const proj = path.join(tmp, name);
    const long = 'w'.repeat(58);
    for (const wf of [`${long}_a`, `${long}_b`, 'short']) await cli(['add', 'workflow', wf, '--pattern', 'etl', '--yes'], proj);
    const dir = path.join(proj, 'deploy/kubernetes');
    const files = readdirSync(dir).filter((f) => f.endsWith('-cronjob.yaml'));
    expect(files).toHaveLength(6);
    const names = new Set<string>();
    const secrets = new Set<string>();
    for (const f of files) {
      const docs = parseAllDocuments(read(path.join(dir, f)));
      expect(docs).toHaveLength(1);
      const c = docs[0]!.toJS();
      expect(cronJobProblems(c), f).toEqual([]);
      expect(c.spec.suspend).toBe(true);
      expect(c.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(Number(envOf(c).RUN_TIME_LIMIT_SECONDS) + 300);
      names.add(c.metadata.name);
      secrets.add(c.spec.jobTemplate.spec.template.spec.containers[0].envFrom[0].secretRef.name);
    }
    expect(names.size).toBe(6);
    expect(secrets.size).toBe(1);
    expect(pythonCheck(proj, files.map((f) => `deploy/kubernetes/${f}`))).toEqual([]);
    const k = parse(read(path.join(dir, 'kustomization.yaml')));
    expect(k.resources.sort()).toEqual(files.sort());
    expect(jobsOf(proj).jobs.map((j) => j.id)).toEqual([`${'w'.repeat(58)}-a`, `${'w'.repeat(58)}-b`, 'short']);
  });

  it('add workflow registers its job with the schedule and zone given', async () => {
    const tmp = tempDir();
    await cli(['proj', '--yes', '--no-git'], tmp);
    const proj = path.join(tmp, 'proj');
    await cli(['add', 'workflow', 'partner_feed', '--pattern', 'api', '--schedule', '*/15 6-20 * * 1-5', '--time-zone', 'Asia/Tokyo', '--yes'], proj);
    const [j] = jobsOf(proj).jobs;
    expect(j).toMatchObject({ id: 'partner-feed', state: 'inventoried', workflow: 'partner_feed', cronjob: 'deploy/kubernetes/partner_feed-cronjob.yaml' });
    expect(j!.legacy).toMatchObject({ kind: 'manual', schedule: '*/15 6-20 * * 1-5', time_zone: 'Asia/Tokyo' });
    expect(existsSync(path.join(proj, j!.cronjob))).toBe(true);
    const again = await cli(['add', 'workflow', 'partner-feed', '--pattern', 'api', '--yes'], proj, 2);
    expect(again.stderr).toMatch(/already exist/);
  });

  it('sync never touches jobs.yaml, and merges a template change of the kustomization with the jobs it lists', async () => {
    const tmp = tempDir();
    const tpl = path.join(tmp, 'tpl');
    cpSync(path.join(ROOT, 'templates/kailash-migration'), tpl, { recursive: true });
    await cli(['p', '--yes', '--template', tpl], tmp);
    const proj = path.join(tmp, 'p');
    await cli(['add', 'workflow', 'billing_sync', '--pattern', 'etl', '--yes'], proj);
    await cli(['job', 'billing-sync', '--to', 'ported', '--by', 'Ann'], proj);
    spawnSync('git', ['add', '-A'], { cwd: proj });
    spawnSync('git', ['commit', '-qm', 'the billing job'], { cwd: proj });
    const jobsBefore = read(path.join(proj, 'jobs.yaml'));
    const spec = path.join(tpl, 'template.yaml');
    writeFileSync(spec, read(spec).replace(/^version: .*$/m, 'version: 9.0.0'));
    writeFileSync(path.join(tpl, 'files/jobs.yaml'), read(path.join(tpl, 'files/jobs.yaml')).replace('holidays: []', 'holidays: [2027-01-01]'));
    const k = path.join(tpl, 'files/deploy/kubernetes/kustomization.yaml');
    writeFileSync(k, `${read(k)}    # pin the digest here once releases are signed\n`);
    const r = await cli(['sync', '--template', tpl], proj);
    expect(`${r.stdout}${r.stderr}`).toMatch(/skipped\s+jobs\.yaml\s+\(project-owned\)/);
    expect(read(path.join(proj, 'jobs.yaml'))).toBe(jobsBefore);
    const merged = read(path.join(proj, 'deploy/kubernetes/kustomization.yaml'));
    expect(merged).toContain('# pin the digest here');
    expect(parse(merged).resources).toEqual(['etl_pipeline-cronjob.yaml', 'billing_sync-cronjob.yaml']);
  });
});

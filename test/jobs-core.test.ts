import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cronJobForState, cronJobProblems, deploymentOf } from '../src/core/jobs/cronjob.js';
import { appendJobs, EMPTY_JOBS_FILE, jobsText, recordMove } from '../src/core/jobs/edit.js';
import { legacyOffSteps, matchSchedules, newJob, readinessOf } from '../src/core/jobs/from-assess.js';
import { isBusinessDay, parityStreak, previousBusinessDay, reportDates, verdictOf, type Streak, type Verdict } from '../src/core/jobs/gate.js';
import { decideMove } from '../src/core/jobs/moves.js';
import { parseJobs } from '../src/core/jobs/parse.js';
import { isIsoDate, STATES, type Job } from '../src/core/jobs/schema.js';
import { addResource, removeResource } from '../src/core/jobs/kustomize.js';
import { dnsName } from '../src/core/template/formats.js';
import type { Schedule } from '../src/core/assess/types.js';

const JOB = `# team comment at the top
version: 1
calendar:
  holidays: [2026-12-25]
jobs:
  # the billing extract, moved first
  - id: billing-extract
    title: Nightly billing extract
    owner: Billing team
    state: parallel
    legacy:
      kind: cron
      schedule: "0 2 * * 1-5"
      time_zone: Europe/Berlin
      command: /opt/billing/bin/extract.sh --full
      script: bin/extract.sh
      found_in: crontab:3
      host: null
      user: billing
    workflow: billing_extract
    cronjob: deploy/kubernetes/billing_extract-cronjob.yaml
    time_limit_seconds: 1200
    parity:
      key: [invoice_id]
      criterion_days: 3
    history:
      - {at: "2026-12-01T10:00:00Z", from: null, to: inventoried, by: "Jane", reason: "found by assess"}
`;

const job = (): Job => parseJobs(JOB).inventory.jobs[0]!;

describe('jobs.yaml: parse and validate', () => {
  it('reads the contract example', () => {
    const { inventory } = parseJobs(JOB);
    expect(inventory.holidays).toEqual(['2026-12-25']);
    expect(inventory.jobs[0]).toMatchObject({ id: 'billing-extract', state: 'parallel', time_limit_seconds: 1200, parity: { criterion_days: 3, key: ['invoice_id'] } });
    expect(inventory.jobs[0]!.legacy).toMatchObject({ kind: 'cron', schedule: '0 2 * * 1-5', time_zone: 'Europe/Berlin', found_in: 'crontab:3' });
  });

  const bad: [string, (t: string) => string, RegExp][] = [
    ['a state that is none', (t) => t.replace('state: parallel', 'state: live'), /job billing-extract \(jobs\[0\]\)\.state: "live" is not a state/],
    ['an id that is not a slug', (t) => t.replace('id: billing-extract', 'id: Billing_Extract'), /jobs\[0\]\.id: "Billing_Extract" must be a slug/],
    ['an id ending in -', (t) => t.replace('id: billing-extract', 'id: billing-'), /jobs\[0\]\.id/],
    ['a cronjob outside the project', (t) => t.replace('cronjob: deploy/kubernetes/billing_extract-cronjob.yaml', 'cronjob: ../../etc/cron.yaml'), /\.cronjob: "\.\.\/\.\.\/etc\/cron\.yaml" leaves the project folder/],
    ['a cronjob inside .git', (t) => t.replace('cronjob: deploy/kubernetes/billing_extract-cronjob.yaml', 'cronjob: deploy/.GIT/config.yaml'), /\.cronjob: .*git's own folder/],
    ['a cronjob that is not under deploy/', (t) => t.replace('cronjob: deploy/kubernetes/billing_extract-cronjob.yaml', 'cronjob: src/x.yaml'), /\.cronjob: "src\/x\.yaml" must be a file under deploy\//],
    ['a workflow that is not a module', (t) => t.replace('workflow: billing_extract', 'workflow: ../x'), /\.workflow: "\.\.\/x" must be a Python module name/],
    ['a schedule of four fields', (t) => t.replace('"0 2 * * 1-5"', '"0 2 * *"'), /legacy\.schedule: "0 2 \* \*" must be five cron fields/],
    ['a zone with a path in it', (t) => t.replace('Europe/Berlin', '../../zone'), /legacy\.time_zone: "\.\.\/\.\.\/zone" is not an IANA/],
    ['an unknown legacy kind', (t) => t.replace('kind: cron', 'kind: at'), /legacy\.kind: "at" is not one of cron/],
    ['a criterion of 0 days', (t) => t.replace('criterion_days: 3', 'criterion_days: 0'), /parity\.criterion_days: must be a whole number from 1 to 365/],
    ['a history entry without a date', (t) => t.replace('at: "2026-12-01T10:00:00Z"', 'at: "yesterday"'), /history\[0\]\.at: "yesterday" is not a date/],
    ['a holiday that is no date', (t) => t.replace('[2026-12-25]', '[2026-02-30]'), /calendar\.holidays\[0\]: "2026-02-30" is not an ISO date/],
    ['another version', (t) => t.replace('version: 1', 'version: 2'), /version: 2 is not a version/],
    ['a duplicate id', (t) => t + t.slice(t.indexOf('  - id:')).replace('workflow: billing_extract', 'workflow: other'), /the id billing-extract is used twice/],
    ['a control character in a command', (t) => t.replace('--full', '--full\\u001b[2J').replace('command: /opt', 'command: "/opt').replace('[2J', '[2J"'), /legacy\.command: must be one line/],
    ['a duplicate key', (t) => t.replace('    owner: Billing team', '    owner: Billing team\n    owner: Ops'), /YAML: Map keys must be unique/],
  ];
  for (const [what, edit, message] of bad) {
    it(`refuses ${what}, naming the entry and field`, () => {
      expect(() => parseJobs(edit(JOB))).toThrow(message);
    });
  }

  it('is bounded: size, nesting and aliases', () => {
    expect(() => parseJobs(`version: 1\njobs: []\n# ${'x'.repeat(3 * 1024 * 1024)}`)).toThrow(/larger than/);
    expect(() => parseJobs(`version: 1\njobs: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)).toThrow(/nests deeper than/);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(() => parseJobs(`version: 1\njobs: []\n${laughs}\n`)).toThrow(/jobs\.yaml: YAML/);
  });

  it('keeps every comment when a move is recorded and jobs are appended', () => {
    const { doc } = parseJobs(JOB);
    recordMove(doc, 0, 'switched', { at: '2026-12-08T09:00:00Z', from: 'parallel', to: 'switched', by: 'Ann', reason: 'ten green days', forced: true });
    appendJobs(doc, [newJob({ id: 'report', workflow: 'legacy_report', title: 'Report', owner: '', cronjob: 'deploy/kubernetes/legacy_report-cronjob.yaml', legacy: { kind: 'manual', schedule: null, time_zone: null, command: '', script: null, found_in: '', host: null, user: null }, at: '2026-12-08T09:00:00Z', by: 'Ann', reason: 'x' })]);
    const text = jobsText(doc);
    expect(text).toContain('# team comment at the top');
    expect(text).toContain('# the billing extract, moved first');
    expect(text).toContain('- {at: "2026-12-08T09:00:00Z", from: parallel, to: switched, by: Ann, reason: ten green days, forced: true}');
    const again = parseJobs(text).inventory;
    expect(again.jobs.map((j) => [j.id, j.state])).toEqual([['billing-extract', 'switched'], ['report', 'inventoried']]);
    expect(again.jobs[0]!.history.at(-1)).toMatchObject({ forced: true, by: 'Ann' });
    expect(parseJobs(EMPTY_JOBS_FILE).inventory.jobs).toEqual([]);
    // A file saved with CRLF keeps CRLF.
    const crlf = JOB.replace(/\n/g, '\r\n');
    const p = parseJobs(crlf);
    recordMove(p.doc, 0, 'switched', { at: '2026-12-08T09:00:00Z', from: 'parallel', to: 'switched', by: 'Ann', reason: 'r' });
    expect(jobsText(p.doc, p.source).split('\r\n').length).toBe(jobsText(p.doc).split('\n').length);
    expect(jobsText(p.doc, p.source)).not.toMatch(/[^\r]\n/);
  });
});

describe('moves', () => {
  const facts = { workflowExists: true, cronjobExists: true };
  const at = '2026-12-08T09:00:00Z';
  const at2 = (state: Job['state']): Job => ({ ...job(), state });

  it('go one step forward, and back only from switched to parallel with a reason', () => {
    for (let i = 0; i + 1 < STATES.length; i++) {
      const d = decideMove(at2(STATES[i]!), { to: STATES[i + 1]!, by: 'Ann', at }, { ...facts, streak: { days: 3, criterion: 3, met: true, missing: 0, reads: 3, used: 3 } });
      expect(d.entry).toMatchObject({ from: STATES[i], to: STATES[i + 1], by: 'Ann', at });
    }
    expect(() => decideMove(at2('inventoried'), { to: 'parallel', by: 'A', at }, facts)).toThrow(/one step forward, to ported, not to parallel/);
    expect(() => decideMove(at2('decommissioned'), { to: 'inventoried', by: 'A', at }, facts)).toThrow(/decommissioned is the last state/);
    expect(() => decideMove(at2('switched'), { to: 'parallel', by: 'A', at }, facts)).toThrow(/rollback .* needs --reason/);
    expect(decideMove(at2('switched'), { to: 'parallel', by: 'A', at, reason: 'totals off' }, facts).entry.reason).toBe('totals off');
    expect(() => decideMove(at2('legacy_off'), { to: 'parallel', by: 'A', at, reason: 'x' }, facts)).toThrow(/one step forward/);
    expect(() => decideMove(at2('parallel'), { to: 'parallel', by: 'A', at }, facts)).toThrow(/already parallel/);
    expect(() => decideMove(at2('parallel'), { to: 'done', by: 'A', at }, facts)).toThrow(/"done" is not a state/);
  });

  it('to ported needs the workflow and its CronJob; to switched the parity streak; --force needs a reason and is recorded', () => {
    expect(() => decideMove(at2('inventoried'), { to: 'ported', by: 'A', at }, { workflowExists: false, cronjobExists: false })).toThrow(
      /workflow module of billing_extract does not exist.*CronJob deploy\/kubernetes\/billing_extract-cronjob\.yaml does not exist/,
    );
    const streak = { days: 1, criterion: 3, met: false, missing: 2, lastRed: { date: '2026-12-03', path: 'reports/parity/billing-extract/2026-12-03.json' }, reads: 2, used: 2 };
    expect(() => decideMove(at2('parallel'), { to: 'switched', by: 'A', at }, { ...facts, streak })).toThrow(/1 of 3 .* 2 more needed; the last red report is reports\/parity\/billing-extract\/2026-12-03\.json/);
    expect(() => decideMove(at2('parallel'), { to: 'switched', by: 'A', at, force: true }, { ...facts, streak })).toThrow(/--force: needs --reason/);
    const d = decideMove(at2('parallel'), { to: 'switched', by: 'A', at, force: true, reason: 'accepted by owner' }, { ...facts, streak });
    expect(d.entry).toMatchObject({ forced: true, reason: 'accepted by owner' });
    expect(d.skipped[0]).toMatch(/2 more needed/);
  });
});

describe('the parity gate', () => {
  // 2026-12-07 is a Monday.
  const run = (reports: Record<string, Verdict>, criterion = 10, holidays: string[] = []) => {
    const read: string[] = [];
    const dates = Object.keys(reports).sort().reverse();
    const s = parityStreak(dates, (d) => (read.push(d), reports[d]!), holidays, criterion, 'reports/parity/j/');
    return { ...s, read };
  };
  const businessDays = (from: string, n: number, holidays: string[] = []) => {
    const out: string[] = [];
    let t = Date.parse(`${from}T00:00:00Z`);
    while (out.length < n) {
      const d = new Date(t).toISOString().slice(0, 10);
      if (isBusinessDay(d, new Set(holidays))) out.push(d);
      t -= 86_400_000;
    }
    return out;
  };

  it('counts consecutive green business days over weekends and holidays, ending at the newest report', () => {
    const nine = Object.fromEntries(businessDays('2026-12-18', 9).map((d) => [d, 'green' as Verdict]));
    expect(run(nine)).toMatchObject({ days: 9, met: false, missing: 1 });
    const ten = Object.fromEntries(businessDays('2026-12-21', 10).map((d) => [d, 'green' as Verdict]));
    expect(run(ten)).toMatchObject({ days: 10, met: true, missing: 0 });
    // A holiday in the calendar is skipped; without the calendar, it is a day without a report.
    const withHoliday = Object.fromEntries(businessDays('2026-12-29', 10, ['2026-12-25']).map((d) => [d, 'green' as Verdict]));
    expect(run(withHoliday, 10, ['2026-12-25'])).toMatchObject({ met: true });
    expect(run(withHoliday)).toMatchObject({ met: false, brokenBy: 'a business day without a report (2026-12-25)' });
  });

  it('a red report resets the streak; a missing business day breaks it; a weekend report does not count', () => {
    const days = businessDays('2026-12-18', 12);
    const reports = Object.fromEntries(days.map((d) => [d, 'green' as Verdict]));
    reports[days[4]!] = 'red';
    expect(run(reports)).toMatchObject({ days: 4, met: false, lastRed: { date: days[4], path: `reports/parity/j/${days[4]}.json` } });
    reports[days[0]!] = 'red';
    expect(run(reports)).toMatchObject({ days: 0, lastRed: { date: days[0] } });
    const gap = Object.fromEntries(days.filter((_, i) => i !== 2).map((d) => [d, 'green' as Verdict]));
    expect(run(gap)).toMatchObject({ days: 2, brokenBy: `a business day without a report (${days[2]})` });
    expect(run({ '2026-12-12': 'green', '2026-12-13': 'green', '2026-12-11': 'green' })).toMatchObject({ days: 1 });
    expect(run({})).toMatchObject({ days: 0, met: false, missing: 10, newest: undefined });
  });

  it('reads only the reports the streak needs, newest first', () => {
    const year = Object.fromEntries(businessDays('2026-12-18', 260).map((d) => [d, 'green' as Verdict]));
    const r = run(year);
    expect(r.met).toBe(true);
    expect(r.read).toEqual(businessDays('2026-12-18', 10));
  });

  it('says how many dates it stood on: a listing cut after fewer than it used gives the same streak', () => {
    // What the views' index relies on: it keeps only the newest dates of a folder, and lists the
    // folder again whenever the streak used all it kept.
    const days = businessDays('2026-12-18', 40);
    const withWeekends = Object.fromEntries([...days, '2026-12-12', '2026-12-13', '2026-12-05'].map((d) => [d, 'green' as Verdict]));
    const cases: Record<string, Verdict>[] = [
      Object.fromEntries(days.map((d) => [d, 'green' as Verdict])),
      { ...Object.fromEntries(days.map((d) => [d, 'green' as Verdict])), [days[6]!]: 'red' },
      Object.fromEntries(days.filter((_, i) => i !== 3).map((d) => [d, 'green' as Verdict])),
      { ...withWeekends, '2026-12-13': 'invalid' },
      withWeekends,
    ];
    const same = (s: Streak) => ({ days: s.days, met: s.met, brokenBy: s.brokenBy, lastRed: s.lastRed, newest: s.newest });
    for (const reports of cases) {
      const dates = Object.keys(reports).sort().reverse();
      const full = parityStreak(dates, (d) => reports[d]!, [], 10, 'reports/parity/j/');
      expect(full.used).toBeLessThan(dates.length);
      let decided = 0;
      for (let n = 0; n < dates.length; n++) {
        const cut = parityStreak(dates.slice(0, n), (d) => reports[d]!, [], 10, 'reports/parity/j/');
        if (cut.used < n) {
          decided++;
          expect(same(cut)).toEqual(same(full));
        } else expect(cut.used).toBe(n);
      }
      expect(decided).toBe(dates.length - full.used - 1);
    }
  });

  it('knows the calendar: weekends and the business day before, across months, leap years and centuries', () => {
    const hol = new Set(['2024-02-29', '2026-12-25']);
    const days = (from: string, to: string) => Array.from({ length: (Date.parse(to) - Date.parse(from)) / 86_400_000 }, (_, i) => Date.parse(from) + i * 86_400_000);
    for (const t of [...days('1999-12-01', '2000-04-01'), ...days('2023-12-01', '2027-02-01')]) {
      const d = new Date(t).toISOString().slice(0, 10);
      const wd = new Date(t).getUTCDay();
      expect(isBusinessDay(d, hol), d).toBe(wd !== 0 && wd !== 6 && !hol.has(d));
      let p = t - 86_400_000;
      while ([0, 6].includes(new Date(p).getUTCDay()) || hol.has(new Date(p).toISOString().slice(0, 10))) p -= 86_400_000;
      expect(previousBusinessDay(d, hol), d).toBe(new Date(p).toISOString().slice(0, 10));
    }
  });

  it('only files named for a real day are reports', () => {
    expect(reportDates(['2026-12-07.json', '2026-12-07.md', 'latest.json', '2026-13-45.json', '2026-02-30.json', '2026-12-04.json', 'x2026-12-08.json'])).toEqual(['2026-12-07', '2026-12-04']);
  });

  it('a report is green or red only when it says so for its job and date', () => {
    expect(verdictOf('{"schema":"parity-report/1","job":"j","date":"2026-12-07","verdict":"green"}', 'j', '2026-12-07')).toBe('green');
    expect(verdictOf('{"job":"j","date":"2026-12-07","verdict":"red"}', 'j', '2026-12-07')).toBe('red');
    expect(verdictOf('{"job":"other","date":"2026-12-07","verdict":"green"}', 'j', '2026-12-07')).toBe('invalid');
    expect(verdictOf('{"job":"j","date":"2026-12-08","verdict":"green"}', 'j', '2026-12-07')).toBe('invalid');
    expect(verdictOf('{"verdict":"GREEN"}', 'j', '2026-12-07')).toBe('invalid');
    expect(verdictOf('not json', 'j', '2026-12-07')).toBe('invalid');
  });
});

const CRONJOB = `# a comment the team wrote
apiVersion: batch/v1
kind: CronJob
metadata:
  name: p-billing-extract
spec:
  schedule: "0 2 * * 1-5"
  suspend: true
  jobTemplate:
    spec:
      activeDeadlineSeconds: 3600
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: billing-extract
              image: p
              command: ["python", "-m", "p.workflows.billing_extract"]
              env:
                - name: JOB_MODE
                  value: shadow
`;

describe('the CronJob follows the state', () => {
  it('suspended until parallel, shadow while parallel, live once switched, untouched when decommissioned', () => {
    for (const state of STATES) {
      const text = cronJobForState(CRONJOB, 'x.yaml', job(), 'p', state);
      const o = parse(text);
      const env = Object.fromEntries(o.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
      if (state === 'decommissioned') {
        expect(text).toBe(CRONJOB);
        continue;
      }
      const d = deploymentOf(state)!;
      expect(o.spec.suspend, state).toBe(d.suspend);
      expect(env.JOB_MODE, state).toBe(state === 'switched' || state === 'legacy_off' ? 'live' : 'shadow');
      expect(env).toMatchObject({ JOB_ID: 'billing-extract', RUN_TIME_LIMIT_SECONDS: '1200' });
      expect(o.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(1500);
      expect(o.metadata.labels).toEqual({ 'kailash-migration/job': 'billing-extract', 'app.kubernetes.io/part-of': 'p' });
      expect(text).toContain('# a comment the team wrote');
      expect(text).toContain('command: ["python", "-m", "p.workflows.billing_extract"]');
      expect(cronJobProblems(o)).toEqual([]);
    }
    expect(() => cronJobForState('kind: Deployment\n', 'x.yaml', job(), 'p', 'parallel')).toThrow(/x\.yaml: is not a CronJob/);
  });

  it('names stay within Kubernetes limits and apart, however long', () => {
    const long = 'a'.repeat(64);
    const a = dnsName(long, 'billing_extract');
    const b = dnsName(long, 'billing_extract_2');
    expect(a).not.toBe(b);
    for (const n of [a, b, dnsName(long, 'env'), dnsName('p', 'x'.repeat(60))]) {
      expect(n.length).toBeLessThanOrEqual(52);
      expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(dnsName('p', 'billing_extract')).toBe('p-billing-extract');
    expect(cronJobProblems({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x'.repeat(53) }, spec: {} })).toEqual(
      expect.arrayContaining([expect.stringMatching(/metadata\.name/), expect.stringMatching(/spec\.schedule/), expect.stringMatching(/containers/)]),
    );
  });

  it('the kustomization lists each CronJob once, comments kept', () => {
    const k = '# images here\nkind: Kustomization\nresources:\n  - a-cronjob.yaml\n';
    const added = addResource(addResource(k, 'b-cronjob.yaml'), 'b-cronjob.yaml');
    expect(parse(added).resources).toEqual(['a-cronjob.yaml', 'b-cronjob.yaml']);
    expect(added).toContain('# images here');
    expect(parse(removeResource(added, 'a-cronjob.yaml')).resources).toEqual(['b-cronjob.yaml']);
  });
});

describe('assess to inventory', () => {
  const s = (line: number, command: string, cron = '0 2 * * *'): Schedule => ({ file: 'crontab', line, kind: 'crontab', expression: cron, cron, command, words: '' });

  it('matches known jobs by place or command, reports the ones no longer found, and keeps them', () => {
    const known = { ...job(), legacy: { ...job().legacy, found_in: 'crontab:3', command: '/opt/billing/bin/extract.sh --full' } };
    const moved = { ...job(), id: 'moved', workflow: 'moved', legacy: { ...job().legacy, found_in: 'old-crontab:9', command: '/bin/moved.sh' } };
    const gone = { ...job(), id: 'gone', workflow: 'gone', legacy: { ...job().legacy, found_in: 'crontab:7', command: '/bin/gone.sh' } };
    const m = matchSchedules([s(3, '/opt/billing/bin/extract.sh --full'), s(5, '/bin/moved.sh'), s(6, '/bin/new.sh')], [known, moved, gone]);
    expect(m.known.map((k) => k.job)).toEqual(['billing-extract', 'moved']);
    expect(m.fresh.map((f) => f.command)).toEqual(['/bin/new.sh']);
    expect(m.gone.map((g) => g.id)).toEqual(['gone']);
  });

  it('copies the readiness assess gives a job, when it is well formed', () => {
    const withReadiness = { ...s(3, '/bin/a.sh'), readiness: { class: 'ready_with_conditions', reasons: ['writes to /srv'], confidence: 0.7, effort_days: 3 } } as Schedule;
    expect(readinessOf(withReadiness)).toEqual({ class: 'ready_with_conditions', reasons: ['writes to /srv'], confidence: 0.7, effort_days: 3 });
    expect(readinessOf({ ...s(3, '/bin/a.sh'), readiness: { class: 'maybe' } } as Schedule)).toBeUndefined();
    expect(readinessOf(s(3, '/bin/a.sh'))).toBeUndefined();
    const m = matchSchedules([{ ...s(9, '/bin/boot.sh'), cron: undefined, expression: '@reboot' }], []);
    expect([m.fresh.length, m.noCron.map((x) => x.expression)]).toEqual([0, ['@reboot']]);
  });

  it('legacy_off names the exact line or timer to disable', () => {
    expect(legacyOffSteps(job()).join('\n')).toContain('# 0 2 * * 1-5 /opt/billing/bin/extract.sh --full');
    expect(legacyOffSteps(job()).join('\n')).toContain('crontab -u billing -e');
    const timer = { ...job(), legacy: { ...job().legacy, kind: 'systemd_timer' as const, found_in: 'etc/systemd/cleanup.timer:5' } };
    expect(legacyOffSteps(timer).join('\n')).toContain('sudo systemctl disable --now cleanup.timer');
    const system = { ...job(), legacy: { ...job().legacy, found_in: 'etc/cron.d/billing:4' } };
    expect(legacyOffSteps(system).join('\n')).toContain('# 0 2 * * 1-5 billing /opt/billing/bin/extract.sh --full');
  });
});

describe('report dates', () => {
  it('a report name counts when its date is a real day, exactly as the schema judges dates (leap years, month ends)', () => {
    const names: string[] = [];
    for (const year of ['0000', '1900', '2000', '2024', '2026', '2100', '9999']) {
      for (let m = 0; m <= 13; m++) for (let d = 0; d <= 32; d++) names.push(`${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}.json`);
    }
    const expected = names.map((n) => n.slice(0, 10)).filter(isIsoDate).sort().reverse();
    expect(reportDates(names)).toEqual(expected);
    expect(expected).toContain('2024-02-29');
    expect(expected).not.toContain('2100-02-29');
  });
});

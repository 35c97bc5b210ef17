/**
 * The views' index of parity reports (src/edge/parity-index.ts): a later view reads only what
 * changed, and never takes a verdict or a listing from the index once the report or its folder
 * changed, however it was changed (a report edited in place with its size and modification time
 * kept, replaced, added, deleted), nor from an index that is damaged or not this user's.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../src/core/jobs/schema.js';
import { MARGIN_MS, ParityReports } from '../src/edge/parity-index.js';
import { ProjectReader } from '../src/edge/project/reader.js';
import { runCli, tempDir } from './helpers/cli.js';
import { daysBack, editInPlace, reportText, writeReport } from './helpers/parity-reports.js';

const job = (id: string, criterion = 10): Job =>
  ({ id, state: 'parallel', parity: { criterion_days: criterion } }) as unknown as Job;

/** A project folder with `jobs` jobs and 60 daily green reports each, ending on Friday 2026-12-04. */
function project(jobs = 3): { root: string; index: string; ids: string[] } {
  const root = tempDir();
  const ids = Array.from({ length: jobs }, (_, i) => `job-${i}`);
  for (const id of ids) for (const d of daysBack('2026-12-04', 60)) writeReport(root, id, d, 'green');
  return { root, index: path.join(tempDir(), 'parity'), ids };
}

/** One view: every job's streak through the index, `later` ms after now (the files' stamps are then old enough to record). */
function view(root: string, index: string, ids: string[], later = 2 * MARGIN_MS) {
  const files = ProjectReader.openReadOnly({ dir: root, manifest: 'optional' });
  const reports = new ParityReports(files, index, Date.now() + later);
  const streaks = new Map(ids.map((id) => [id, reports.evidence(job(id), []).streak]));
  reports.save();
  return { streaks, counts: reports.counts };
}

describe('the parity index of the views', () => {
  it('a second view takes the listings and verdicts from the index: no report read, no folder listed', () => {
    const { root, index, ids } = project();
    const first = view(root, index, ids);
    expect(first.counts).toMatchObject({ listed: 3, read: 3 * 12 });
    expect([...first.streaks.values()].every((s) => s.met && s.days === 10)).toBe(true);
    const second = view(root, index, ids);
    expect(second.counts).toMatchObject({ listed: 0, read: 0 });
    expect([...second.streaks.values()].map((s) => [s.days, s.met])).toEqual([...first.streaks.values()].map((s) => [s.days, s.met]));
  });

  it('sees a report edited by hand to red, though its inode, size and modification time are as they were', () => {
    const { root, index, ids } = project(1);
    expect(view(root, index, ids).streaks.get('job-0')).toMatchObject({ met: true });
    editInPlace(path.join(root, 'reports/parity/job-0/2026-12-02.json'), 'red');
    const after = view(root, index, ids);
    expect(after.streaks.get('job-0')).toMatchObject({ met: false, days: 2, lastRed: { date: '2026-12-02' } });
    // Only the edited report was read again: the others' stamps still hold.
    expect(after.counts).toMatchObject({ listed: 0, read: 1 });
    // And made green again by hand: the streak reaches back past it again.
    editInPlace(path.join(root, 'reports/parity/job-0/2026-12-02.json'), 'green');
    expect(view(root, index, ids).streaks.get('job-0')).toMatchObject({ met: true, days: 10 });
  });

  it('sees a report replaced, a new report, and a deleted one', () => {
    const { root, index, ids } = project(1);
    view(root, index, ids);
    // Replaced by a rename (as editors and the parity module write): a new inode, and the folder changes.
    const file = path.join(root, 'reports/parity/job-0/2026-11-30.json');
    writeFileSync(`${file}.tmp`, reportText('job-0', '2026-11-30', 'red'));
    renameSync(`${file}.tmp`, file);
    expect(view(root, index, ids).streaks.get('job-0')).toMatchObject({ met: false, days: 4, lastRed: { date: '2026-11-30' } });
    // A new day's report, red: it is the newest, and the streak is 0.
    writeReport(root, 'job-0', '2026-12-07', 'red');
    const added = view(root, index, ids);
    expect(added.streaks.get('job-0')).toMatchObject({ met: false, days: 0, newest: { date: '2026-12-07', verdict: 'red' } });
    expect(added.counts.listed).toBe(1);
    // Deleted (and the red one with it): a business day without a report breaks the streak.
    rmSync(path.join(root, 'reports/parity/job-0/2026-12-07.json'));
    rmSync(path.join(root, 'reports/parity/job-0/2026-12-01.json'));
    expect(view(root, index, ids).streaks.get('job-0')).toMatchObject({ met: false, days: 3, brokenBy: 'a business day without a report (2026-12-01)' });
  });

  it('lists the folder again when the streak reaches past the dates it kept', () => {
    const { root, index, ids } = project(1);
    const red = path.join(root, 'reports/parity/job-0/2026-12-03.json');
    editInPlace(red, 'red');
    const first = view(root, index, ids);
    expect(first.streaks.get('job-0')).toMatchObject({ days: 1, met: false });
    editInPlace(red, 'green');
    const after = view(root, index, ids);
    expect(after.streaks.get('job-0')).toMatchObject({ days: 10, met: true });
    expect(after.counts.listed).toBe(1);
  });

  it('records nothing made moments ago (a change in the same tick of the clock could hide behind it)', () => {
    const { root, index, ids } = project(1);
    const now = view(root, index, ids, 0);
    expect(now.counts.read).toBe(12);
    expect(existsSync(index) ? readdirSync(index).filter((f) => f.endsWith('.json')) : []).toHaveLength(0);
    expect(view(root, index, ids, 0).counts).toMatchObject({ listed: 1, read: 12 });
  });

  it('never answers from an index that is stale, damaged, or that others may write', () => {
    const { root, index, ids } = project(1);
    view(root, index, ids);
    const [name] = readdirSync(index).filter((f) => f.endsWith('.json'));
    const file = path.join(index, name!);
    const allGreen = readFileSync(file, 'utf8');
    editInPlace(path.join(root, 'reports/parity/job-0/2026-12-03.json'), 'red');
    expect(view(root, index, ids).streaks.get('job-0')).toMatchObject({ days: 1 });
    const withRed = readFileSync(file, 'utf8');
    expect(withRed).toContain('"r"');
    // The red verdict turned green in the index: its checksum line no longer holds, so it is not read.
    writeFileSync(file, withRed.replace('"r"', '"g"'));
    expect(view(root, index, ids)).toMatchObject({ counts: { listed: 1, read: 2 } });
    // The index of before the edit, whole and valid: the report's stamp is not the one it recorded.
    writeFileSync(file, allGreen);
    expect(view(root, index, ids).streaks.get('job-0')).toMatchObject({ days: 1, lastRed: { date: '2026-12-03' } });
    // A folder others may write into is not used at all.
    chmodSync(index, 0o777);
    expect(view(root, index, ids).counts).toMatchObject({ listed: 1, read: 2, fromIndex: 0 });
    chmodSync(index, 0o700);
  });

  it('keeps the indexes of the 1,000 projects written last', () => {
    const { root, index, ids } = project(1);
    mkdirSync(index, { recursive: true, mode: 0o700 });
    const old = Array.from({ length: 1000 }, (_, i) => path.join(index, `${i.toString(16).padStart(64, '0')}.json`));
    for (const [i, f] of old.entries()) {
      writeFileSync(f, '{}', { mode: 0o600 });
      utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    }
    view(root, index, ids);
    const left = readdirSync(index);
    expect(left).toHaveLength(1000);
    expect(left).not.toContain(path.basename(old[0]!));
    expect(left).toContain(path.basename(old[1]!));
    // The project's own index is among them, and answers the next view.
    expect(view(root, index, ids).counts).toMatchObject({ listed: 0, read: 0 });
  });

  it('status through the CLI: a report made red by hand after an earlier status is seen', async () => {
    const root = tempDir();
    const cache = tempDir();
    const env = { XDG_CACHE_HOME: cache };
    expect((await runCli(['.', '--yes', '--no-git'], { cwd: root, env })).code).toBe(0);
    const y = path.join(root, 'jobs.yaml');
    writeFileSync(
      y,
      `${readFileSync(y, 'utf8').replace(/jobs: \[\]\s*$/, '')}jobs:\n  - {id: nightly, state: parallel, workflow: nightly, cronjob: deploy/kubernetes/nightly-cronjob.yaml, legacy: {kind: cron, schedule: "0 2 * * *", command: x, found_in: "crontab:1"}, history: [{at: "2026-11-01T00:00:00Z", from: null, to: parallel, by: t, reason: r}]}\n`,
    );
    for (const d of daysBack('2026-12-04', 30)) writeReport(root, 'nightly', d, 'green');
    // Old enough for the index to record them (the margin against a coarse clock).
    await new Promise((r) => setTimeout(r, MARGIN_MS + 200));
    const green = await runCli(['status', '--json'], { cwd: root, env });
    expect(JSON.parse(green.stdout).jobs).toMatchObject({ green: 1, total: 1 });
    expect(readdirSync(path.join(cache, 'create-migration/parity'))).toHaveLength(1);
    editInPlace(path.join(root, 'reports/parity/nightly/2026-12-01.json'), 'red');
    const red = await runCli(['status', '--json'], { cwd: root, env });
    const jobs = JSON.parse(red.stdout).jobs;
    expect(jobs).toMatchObject({ green: 0, blockedOnParity: ['nightly'] });
    expect(jobs.rows[0].parity).toMatchObject({ days: 3, met: false, last_red: 'reports/parity/nightly/2026-12-01.json' });
  }, 60_000);
});

/**
 * fleet's record of a project's jobs (src/edge/jobs-fleet.ts): a later fleet takes the row's
 * jobs from it only while jobs.yaml, the report folders and every report the gate stood on are as
 * they were; a report rewritten in place (size and modification time kept), added, deleted or
 * replaced, a job moved, a folder turned into a link, are all seen; a link is refused as status
 * refuses it; a record made moments ago, damaged or not private is never used.
 */
import { chmodSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetJobsCounts, fleetJobsOf } from '../src/edge/jobs-fleet.js';
import { jobsSummaryOf } from '../src/edge/jobs-files.js';
import { MARGIN_MS } from '../src/edge/parity-index.js';
import { ProjectReader } from '../src/edge/project/reader.js';
import { runCli, tempDir } from './helpers/cli.js';
import { daysBack, editInPlace, writeReport } from './helpers/parity-reports.js';

const jobYaml = (id: string, state: string) => `  - id: ${id}
    title: Legacy ${id}
    owner: Platform Team
    state: ${state}
    legacy:
      kind: cron
      schedule: "0 2 * * 1-5"
      time_zone: null
      command: /opt/app/bin/${id}.sh
      script: null
      found_in: legacy/crontab:1
      host: null
      user: null
    workflow: legacy_${id.replace(/-/g, '_')}
    cronjob: deploy/kubernetes/legacy_${id.replace(/-/g, '_')}-cronjob.yaml
    time_limit_seconds: 3300
    parity:
      criterion_days: 10
    history:
      - {at: "2026-11-01T00:00:00Z", from: null, to: ${state}, by: t, reason: r}
`;

function writeJobs(root: string, jobs: [string, string][]): void {
  writeFileSync(path.join(root, 'jobs.yaml'), `version: 1\ncalendar:\n  holidays: []\njobs:\n${jobs.map(([id, st]) => jobYaml(id, st)).join('')}`);
}

/** A folder with jobs a, b, c in parallel (30 green days each, ending Friday 2026-12-04) and d switched. */
function project(): { root: string; record: string } {
  const root = tempDir();
  writeJobs(root, [
    ['job-a', 'parallel'],
    ['job-b', 'parallel'],
    ['job-c', 'parallel'],
    ['job-d', 'switched'],
  ]);
  for (const id of ['job-a', 'job-b', 'job-c', 'job-d']) for (const d of daysBack('2026-12-04', 30)) writeReport(root, id, d, 'green');
  return { root, record: path.join(tempDir(), 'fleet-jobs') };
}

/** One fleet look at the project's jobs, `later` ms after now (the stamps are then old enough to record), and how it came by them. */
async function look(root: string, record: string, later = 2 * MARGIN_MS) {
  const files = ProjectReader.openReadOnly({ dir: root, manifest: 'optional' });
  const before = { ...fleetJobsCounts };
  const jobs = await fleetJobsOf(files, record, Date.now() + later);
  return { jobs, fromRecord: fleetJobsCounts.fromRecord - before.fromRecord, worked: fleetJobsCounts.worked - before.worked };
}

const allGreen = { total: 4, green: 4, blocked: [], counts: { inventoried: 0, ported: 0, parallel: 3, switched: 1, legacy_off: 0, decommissioned: 0 } };

describe("fleet's record of a project's jobs", () => {
  it('answers a second fleet from the record, with what status would show', async () => {
    const { root, record } = project();
    const first = await look(root, record);
    expect(first).toMatchObject({ jobs: allGreen, worked: 1, fromRecord: 0 });
    const second = await look(root, record);
    expect(second).toMatchObject({ jobs: allGreen, worked: 0, fromRecord: 1 });
    const status = await jobsSummaryOf(ProjectReader.openReadOnly({ dir: root, manifest: 'optional' }), new Date());
    expect({ total: status!.total, green: status!.green, blocked: status!.blocked, counts: status!.counts }).toEqual(second.jobs);
  });

  it('sees a report the gate stood on rewritten in place to red, its inode, size and modification time kept', async () => {
    const { root, record } = project();
    await look(root, record);
    expect((await look(root, record)).fromRecord).toBe(1);
    const folder = statSync(path.join(root, 'reports/parity/job-b'));
    editInPlace(path.join(root, 'reports/parity/job-b/2026-11-25.json'), 'red');
    // The folder's own stamp did not move: only the report's change time tells.
    expect(statSync(path.join(root, 'reports/parity/job-b')).mtimeMs).toBe(folder.mtimeMs);
    const after = await look(root, record);
    expect(after).toMatchObject({ worked: 1, jobs: { green: 3, blocked: ['job-b'] } });
    // And the record made from it answers the next fleet with the red.
    expect(await look(root, record)).toMatchObject({ fromRecord: 1, jobs: { green: 3, blocked: ['job-b'] } });
    editInPlace(path.join(root, 'reports/parity/job-b/2026-11-25.json'), 'green');
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
  });

  it('sees a new report, a deleted one, one replaced by a rename, and a job moved', async () => {
    const { root, record } = project();
    await look(root, record);
    writeReport(root, 'job-a', '2026-12-07', 'red');
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: { blocked: ['job-a'] } });
    rmSync(path.join(root, 'reports/parity/job-a/2026-12-07.json'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
    // A day inside the streak deleted: a business day without a report.
    rmSync(path.join(root, 'reports/parity/job-c/2026-12-02.json'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: { blocked: ['job-c'] } });
    writeReport(root, 'job-c', '2026-12-02', 'green');
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
    // Replaced by a rename (what an editor's save, or the runner, does).
    const tmp = path.join(root, 'reports/parity/job-c/x.tmp');
    writeFileSync(tmp, JSON.stringify({ job: 'job-c', date: '2026-12-03', verdict: 'red' }));
    renameSync(tmp, path.join(root, 'reports/parity/job-c/2026-12-03.json'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: { blocked: ['job-c'] } });
    // jobs.yaml: job-a moved back to ported.
    writeFileSync(path.join(root, 'jobs.yaml'), readFileSync(path.join(root, 'jobs.yaml'), 'utf8').replace(/(id: job-a[\s\S]*?state: )parallel/, '$1ported'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: { counts: { ported: 1, parallel: 2 }, green: 2 } });
  });

  it('a report folder, or reports/, turned into a link: refused as status refuses it, nothing read through it', async () => {
    const { root, record } = project();
    await look(root, record);
    // Outside the project: a folder of red reports that must never count.
    const outside = tempDir();
    for (const d of daysBack('2026-12-04', 30)) writeReport(outside, 'job-a', d, 'red');
    rmSync(path.join(root, 'reports/parity/job-a'), { recursive: true });
    symlinkSync(path.join(outside, 'reports/parity/job-a'), path.join(root, 'reports/parity/job-a'));
    const files = ProjectReader.openReadOnly({ dir: root, manifest: 'optional' });
    await expect(fleetJobsOf(files, record, Date.now() + 2 * MARGIN_MS)).rejects.toThrow(/reports\/parity\/job-a: is a symbolic link/);
    await expect(jobsSummaryOf(files, new Date())).rejects.toThrow(/reports\/parity\/job-a: is a symbolic link/);
    // The same for a job past parallel (status looks at its folder for the latest report).
    rmSync(path.join(root, 'reports/parity/job-a'));
    for (const d of daysBack('2026-12-04', 30)) writeReport(root, 'job-a', d, 'green');
    expect(await look(root, record)).toMatchObject({ jobs: allGreen });
    expect((await look(root, record)).fromRecord).toBe(1);
    renameSync(path.join(root, 'reports/parity/job-d'), path.join(outside, 'job-d'));
    symlinkSync(path.join(outside, 'job-d'), path.join(root, 'reports/parity/job-d'));
    await expect(fleetJobsOf(files, record, Date.now() + 2 * MARGIN_MS)).rejects.toThrow(/reports\/parity\/job-d: is a symbolic link/);
    rmSync(path.join(root, 'reports/parity/job-d'));
    renameSync(path.join(outside, 'job-d'), path.join(root, 'reports/parity/job-d'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
    // jobs.yaml made a link to one outside (all its jobs switched): refused, not taken from the record.
    writeFileSync(path.join(outside, 'jobs.yaml'), readFileSync(path.join(root, 'jobs.yaml'), 'utf8').replace(/state: parallel/g, 'state: switched'));
    renameSync(path.join(root, 'jobs.yaml'), path.join(outside, 'ours.yaml'));
    symlinkSync(path.join(outside, 'jobs.yaml'), path.join(root, 'jobs.yaml'));
    await expect(fleetJobsOf(files, record, Date.now() + 2 * MARGIN_MS)).rejects.toThrow(/jobs\.yaml: is a symbolic link/);
    rmSync(path.join(root, 'jobs.yaml'));
    renameSync(path.join(outside, 'ours.yaml'), path.join(root, 'jobs.yaml'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
    // reports/ itself.
    renameSync(path.join(root, 'reports'), path.join(outside, 'moved'));
    symlinkSync(path.join(outside, 'moved'), path.join(root, 'reports'));
    await expect(fleetJobsOf(files, record, Date.now() + 2 * MARGIN_MS)).rejects.toThrow(/reports: is a symbolic link/);
  });

  it('records nothing made moments ago, and uses no record that is damaged or that others may write', async () => {
    const { root, record } = project();
    // Everything was written just now: nothing old enough to record.
    expect(await look(root, record, 0)).toMatchObject({ worked: 1, jobs: allGreen });
    expect(await look(root, record, 0)).toMatchObject({ worked: 1 });
    await look(root, record);
    const [name] = readdirSync(record);
    const file = path.join(record, name!);
    expect((await look(root, record)).fromRecord).toBe(1);
    // Damaged: a byte of the body changed (the seal no longer matches).
    writeFileSync(file, readFileSync(file, 'utf8').replace('"green":4', '"green":0'));
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
    expect((await look(root, record)).fromRecord).toBe(1);
    // Writable by others.
    chmodSync(file, 0o666);
    expect(await look(root, record)).toMatchObject({ worked: 1, jobs: allGreen });
  });

  it('a project without jobs.yaml: no jobs, and no record', async () => {
    const root = tempDir();
    const record = path.join(tempDir(), 'fleet-jobs');
    expect(await look(root, record)).toMatchObject({ jobs: undefined, worked: 0, fromRecord: 0 });
    expect(() => readdirSync(record)).toThrow();
  });

  it('fleet through the CLI: a report made red in place after an earlier fleet is seen', async () => {
    const root = tempDir();
    const cache = tempDir();
    const env = { XDG_CACHE_HOME: cache };
    expect((await runCli(['.', '--yes', '--no-git'], { cwd: root, env })).code).toBe(0);
    writeJobs(root, [['nightly', 'parallel']]);
    for (const d of daysBack('2026-12-04', 30)) writeReport(root, 'nightly', d, 'green');
    await new Promise((r) => setTimeout(r, MARGIN_MS + 200));
    const green = await runCli(['fleet', '--json', root], { cwd: root, env });
    expect(JSON.parse(green.stdout).projects[0].jobs).toMatchObject({ total: 1, green: 1, blockedOnParity: [] });
    expect(readdirSync(path.join(cache, 'create-migration/fleet-jobs'))).toHaveLength(1);
    editInPlace(path.join(root, 'reports/parity/nightly/2026-12-01.json'), 'red');
    const red = await runCli(['fleet', '--json', root], { cwd: root, env });
    expect(JSON.parse(red.stdout).projects[0].jobs).toMatchObject({ total: 1, green: 0, blockedOnParity: ['nightly'] });
  }, 60_000);
});

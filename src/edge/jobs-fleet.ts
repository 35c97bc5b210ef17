/**
 * A project's jobs as a fleet row shows them (the counts per state, how many are green, which
 * wait on parity), kept per project in the user's cache folder with the stamps of everything it
 * was worked out from, so that a fleet over projects whose jobs and reports did not change reads
 * no jobs.yaml, no inventory, no parity index and no report: it looks at each path the row stands
 * on (one lstat each) and hashes what it saw.
 *
 * What the row stands on: jobs.yaml (which jobs, their states, criteria and holidays), the
 * folders reports/ and reports/parity/, the report folder of each job in parallel or past it (its
 * listing: a report added, removed or renamed changes its stamp; so does the folder becoming a
 * link), and each report whose verdict the gate took (its content: an edit in place, even one
 * that keeps the size and the modification time, changes its change time, which no one can set
 * back). Nothing else: not the date (the gate counts back from the newest report, not from
 * today), not the parity index (a cache of those same reports). A stamp is device, inode, mode, size, modification and change times; a path that is not
 * there has the stamp of zeros. Each stamp is made before what it stands for is read, and the
 * summary is recorded only when every stamp was at least MARGIN_MS old (an edit in the same tick
 * of a coarse clock cannot hide behind one). The row is taken from the record only when every
 * stamp is as recorded; else the project is read as `status` reads it (./jobs-files.ts), through
 * the read-only session's rules, and the record made again.
 *
 * There is no cheaper proof: a report rewritten in place changes nothing but its own inode (not
 * its folder), so each report the gate stands on is looked at, every time.
 *
 * The record is a private sealed file of this user (./sealed-index.ts), keyed by the project's
 * real path and this package's version; a damaged or foreign one is ignored.
 */
import { createHash } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { STATES, JOBS_FILE, type JobsFile } from '../core/jobs/schema.js';
import type { JobsSummary } from '../core/jobs/summary.js';
import { needsEvidence } from '../core/jobs/summary.js';
import { VERSION } from '../core/version.js';
import { jobsSummaryWith, type ProjectFiles } from './jobs-files.js';
import { MARGIN_MS, parityIndexDir } from './parity-index.js';
import { readSealed, writeSealed } from './sealed-index.js';
import { templateCacheDir } from './template-cache.js';

const FORMAT = 1;

/** What a fleet row shows of a project's jobs. */
export type FleetJobs = Pick<JobsSummary, 'total' | 'counts' | 'green' | 'blocked'>;

export function fleetJobsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const templates = templateCacheDir(env);
  return templates && path.join(path.dirname(templates), 'fleet-jobs');
}

/** mode, dev, ino, size, mtimeMs, ctimeMs; all 0 for a path where nothing is. */
type Stamp = [number, number, number, number, number, number];

interface FleetRecord {
  format: number;
  key: string;
  root: string;
  yaml: Stamp;
  parents: [Stamp, Stamp];
  /** Per job in parallel or past it: its report folder's stamp and the dates of the reports the gate read. */
  folders: [id: string, stamp: Stamp, dates: string[]][];
  /** SHA-256 of those reports' stamps, in that order. */
  reports: string;
  summary: FleetJobs;
}

/** How a fleet run came by a project's jobs (for tests and the bench). */
export interface FleetJobsCounts {
  fromRecord: number;
  worked: number;
}
export const fleetJobsCounts: FleetJobsCounts = { fromRecord: 0, worked: 0 };

const ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const QUIET = Object.freeze({ throwIfNoEntry: false });

/** The path's lstat; null when nothing is there (or a parent is no folder); other errors thrown. */
function look(p: string): Stats | null {
  try {
    return lstatSync(p, QUIET) ?? null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR' || (e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const stampOf = (st: Stats | null): Stamp => (st ? [st.mode, st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs] : [0, 0, 0, 0, 0, 0]);

function same(a: unknown, st: Stats | null): boolean {
  if (!Array.isArray(a) || a.length !== 6) return false;
  if (!st) return a[0] === 0 && a[1] === 0 && a[2] === 0 && a[3] === 0 && a[4] === 0 && a[5] === 0;
  return a[0] === st.mode && a[1] === st.dev && a[2] === st.ino && a[3] === st.size && a[4] === st.mtimeMs && a[5] === st.ctimeMs;
}

/** The SHA-256 of stamps, as the record keeps it. */
function digest(values: Float64Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

function put(into: Float64Array, at: number, st: Stats | null): void {
  if (!st) return; // zeros already
  into[at] = st.mode;
  into[at + 1] = st.dev;
  into[at + 2] = st.ino;
  into[at + 3] = st.size;
  into[at + 4] = st.mtimeMs;
  into[at + 5] = st.ctimeMs;
}

/**
 * The jobs of a project (the session's real root) as fleet shows them, or undefined when it has
 * no jobs.yaml. Errors are those of reading the project (a bad jobs.yaml, a link where reports
 * are), as `status` reports them.
 */
export async function fleetJobsOf(files: ProjectFiles, dir: string | null = fleetJobsDir() ?? null, now = Date.now()): Promise<FleetJobs | undefined> {
  const root = files.root;
  if (!root || !dir) return pick((await jobsSummaryWith(files, new Date(now), parityIndexDir() ?? null))?.summary);
  // No jobs.yaml: no jobs (the session's read says the same, and so does anything it refuses, below).
  let yaml: Stats | null;
  try {
    yaml = look(`${root}/${JOBS_FILE}`);
  } catch {
    return pick((await jobsSummaryWith(files, new Date(now), parityIndexDir() ?? null))?.summary);
  }
  if (!yaml) return undefined;
  const key = createHash('sha256').update(`fleet-jobs\0${FORMAT}\0${VERSION}\0${root}`).digest('hex');
  const file = path.join(dir, `${key}.json`);
  const rec = readSealed(dir, file) as FleetRecord | undefined;
  if (rec && unchanged(rec, key, root, yaml)) {
    fleetJobsCounts.fromRecord++;
    return rec.summary;
  }
  fleetJobsCounts.worked++;
  return learn(files, root, yaml, dir, file, rec === undefined, now);
}

/** Whether every path the record stands on has the stamp recorded: each looked at once, a folder before what is in it. */
function unchanged(rec: FleetRecord, key: string, root: string, yaml: Stats): boolean {
  try {
    if (rec.format !== FORMAT || rec.key !== key || rec.root !== root || !Array.isArray(rec.folders) || !Array.isArray(rec.parents) || typeof rec.reports !== 'string' || !validSummary(rec.summary)) return false;
    if (!same(rec.yaml, yaml)) return false;
    const reports = `${root}/reports`;
    const parity = `${reports}/parity`;
    if (!same(rec.parents[0], look(reports)) || !same(rec.parents[1], look(parity))) return false;
    let n = 0;
    for (const f of rec.folders) {
      if (!Array.isArray(f) || !Array.isArray(f[2])) return false;
      n += f[2].length;
    }
    const seen = new Float64Array(n * 6);
    let at = 0;
    for (const [id, stamp, dates] of rec.folders) {
      if (typeof id !== 'string' || !ID.test(id)) return false;
      const folder = `${parity}/${id}`;
      // The folder as it was (a plain folder, or nothing) before anything in it is looked at.
      if (!same(stamp, look(folder))) return false;
      for (const d of dates) {
        if (typeof d !== 'string' || !DATE.test(d)) return false;
        put(seen, at, look(`${folder}/${d}.json`));
        at += 6;
      }
    }
    return digest(seen) === rec.reports;
  } catch {
    return false;
  }
}

function validSummary(s: unknown): s is FleetJobs {
  if (typeof s !== 'object' || s === null) return false;
  const x = s as FleetJobs;
  return Number.isInteger(x.total) && Number.isInteger(x.green) && Array.isArray(x.blocked) && x.blocked.every((b) => typeof b === 'string') && typeof x.counts === 'object' && x.counts !== null && STATES.every((st) => Number.isInteger(x.counts[st]));
}

const pick = (s: JobsSummary | undefined): FleetJobs | undefined => s && { total: s.total, counts: s.counts, green: s.green, blocked: s.blocked };

/** Reads the project's jobs as `status` does, with a stamp of each path before it is read; records them when all are old enough. */
async function learn(files: ProjectFiles, root: string, yaml: Stats, dir: string, file: string, fresh: boolean, now: number): Promise<FleetJobs | undefined> {
  const reports = `${root}/reports`;
  const parity = `${reports}/parity`;
  const parents: [Stats | null, Stats | null] = [look(reports), look(parity)];
  const folders: [id: string, st: Stats | null, dates: Map<string, Stats>][] = [];
  const byId = new Map<string, Map<string, Stats>>();
  let blind = false;
  const got = await jobsSummaryWith(files, new Date(now), parityIndexDir() ?? null, {
    beforeReports: (inv: JobsFile) => {
      for (const j of inv.jobs) {
        if (!needsEvidence(j.state) && STATES.indexOf(j.state) < STATES.indexOf('parallel')) continue;
        if (!ID.test(j.id)) blind = true;
        const dates = new Map<string, Stats>();
        byId.set(j.id, dates);
        folders.push([j.id, look(`${parity}/${j.id}`), dates]);
      }
    },
    onVerdict: (id, date, st) => {
      const dates = byId.get(id);
      // A verdict taken with no stamp made first (no index), or a report that is not a regular file: nothing to record.
      if (!dates || !st || !st.isFile() || !DATE.test(date)) {
        blind = true;
        return;
      }
      const before = dates.get(date);
      if (before && !same(stampOf(before), st)) blind = true;
      dates.set(date, st);
    },
  });
  const summary = pick(got?.summary);
  if (!summary || blind) return summary;
  const edge = now - MARGIN_MS;
  const old = (st: Stats | null) => !st || (st.mtimeMs < edge && st.ctimeMs < edge);
  if (!old(yaml) || !parents.every(old) || !folders.every(([, st, dates]) => old(st) && [...dates.values()].every(old))) return summary;
  let n = 0;
  for (const [, , dates] of folders) n += dates.size;
  const seen = new Float64Array(n * 6);
  let at = 0;
  for (const [, , dates] of folders) {
    for (const st of dates.values()) {
      put(seen, at, st);
      at += 6;
    }
  }
  const rec: FleetRecord = {
    format: FORMAT,
    key: path.basename(file, '.json'),
    root,
    yaml: stampOf(yaml),
    parents: [stampOf(parents[0]), stampOf(parents[1])],
    folders: folders.map(([id, st, dates]) => [id, stampOf(st), [...dates.keys()]]),
    reports: digest(seen),
    summary,
  };
  writeSealed(dir, file, rec, fresh);
  return summary;
}

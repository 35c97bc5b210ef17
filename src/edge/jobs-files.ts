/**
 * IO of the job inventory: jobs.yaml and the parity reports, read through whatever gives a
 * project's files (the project session, or fleet's read-only reader), and who makes a move.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pathProblem } from '../core/path-rules.js';
import { STATES } from '../core/jobs/schema.js';
import { needsEvidence, summarizeJobs, type Evidence, type JobsSummary } from '../core/jobs/summary.js';
import { locate, requireSafePath } from './project/guard.js';
import { cachedInventory } from './jobs-cache.js';
import { parityStreak, reportDates, verdictOf, type Streak } from '../core/jobs/gate.js';
import { JOBS_FILE, JOBS_LIMITS, parseJobs, type Job, type ParsedJobs } from '../core/jobs/schema.js';

/** What reading the inventory needs of a project: its plain files, never through a link. */
export interface ProjectFiles {
  read(rel: string, from?: string): Uint8Array | undefined;
  listFiles(dir: string, from?: string): string[];
}

/** A parity report larger than this is not read for its verdict (it counts as unreadable). */
const REPORT_BYTES = 64 * 1024 * 1024;

/** jobs.yaml parsed and validated, or undefined when the project has none. */
export function readJobs(files: ProjectFiles): ParsedJobs | undefined {
  const data = files.read(JOBS_FILE, 'jobs');
  if (!data) return undefined;
  if (data.length > JOBS_LIMITS.bytes) parseJobs('x'.repeat(JOBS_LIMITS.bytes + 1));
  return parseJobs(new TextDecoder().decode(data));
}

export const reportDir = (id: string) => `reports/parity/${id}/`;

export interface JobEvidence {
  streak: Streak;
  /** The newest human summary (.md) or report (.json), for a link. */
  latest?: string;
}

/**
 * A job's parity streak: the folder is listed once, and reports are read newest first only
 * until the streak is decided.
 */
export function readEvidence(files: ProjectFiles, job: Job, holidays: readonly string[]): JobEvidence {
  const dir = reportDir(job.id);
  const names = files.listFiles(dir.slice(0, -1), 'parity').map((p) => p.slice(dir.length));
  const dates = reportDates(names);
  const utf8 = new TextDecoder();
  const streak = parityStreak(
    dates,
    (d) => {
      const data = files.read(`${dir}${d}.json`, 'parity');
      return data && data.length <= REPORT_BYTES ? verdictOf(utf8.decode(data), job.id, d) : 'invalid';
    },
    holidays,
    job.parity.criterion_days,
    dir,
  );
  const newest = dates[0];
  const latest = newest ? (names.includes(`${newest}.md`) ? `${dir}${newest}.md` : `${dir}${newest}.json`) : undefined;
  return { streak, latest };
}

/** Who makes a move: --by, else git's user.name, else $USER. */
export function whoMoves(root: string, by: string | undefined): Promise<string> {
  if (by?.trim()) return Promise.resolve(by.trim());
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd: root, timeout: 5000 }, (err, out) => {
      const name = err ? '' : String(out).trim();
      resolve(name || process.env.USER || process.env.USERNAME || 'unknown');
    });
  });
}

/** The summary of a project's jobs, with only the parity reports the gate needs read. */
export function jobsSummaryOf(files: ProjectFiles, now: Date): JobsSummary | undefined {
  const data = files.read(JOBS_FILE, 'jobs');
  if (!data) return undefined;
  // A view needs the inventory only: unchanged since an earlier read, it comes from the cache.
  const inventory = cachedInventory(data, () => readJobs({ read: () => data, listFiles: () => [] })!.inventory);
  const evidence = new Map<string, Evidence>();
  for (const j of inventory.jobs) {
    if (needsEvidence(j.state)) evidence.set(j.id, readEvidence(files, j, inventory.holidays));
    else if (STATES.indexOf(j.state) > STATES.indexOf('parallel')) {
      const latest = latestReport(files, j.id);
      if (latest) evidence.set(j.id, { latest });
    }
  }
  return summarizeJobs(inventory, evidence, now);
}

/** The newest report of a job, from the folder's listing alone. */
function latestReport(files: ProjectFiles, id: string): string | undefined {
  const dir = reportDir(id);
  const names = files.listFiles(dir.slice(0, -1), 'parity').map((p) => p.slice(dir.length));
  const newest = reportDates(names)[0];
  if (!newest) return undefined;
  return names.includes(`${newest}.md`) ? `${dir}${newest}.md` : `${dir}${newest}.json`;
}

/** A project's files for a read-only look (fleet): the path rule and no link on the way, as the session. */
export function plainProjectFiles(root: string): ProjectFiles {
  return {
    read(rel, from = 'project') {
      requireSafePath(rel, from);
      const { full, st } = locate(root, rel, from);
      return st?.isFile() ? readFileSync(full) : undefined;
    },
    listFiles(dir, from = 'project') {
      requireSafePath(dir, from);
      const { full, st } = locate(root, dir, from);
      if (!st?.isDirectory()) return [];
      return readdirSync(full, { withFileTypes: true })
        .filter((e) => e.isFile() && !pathProblem(`${dir}/${e.name}`))
        .map((e) => `${dir}/${e.name}`)
        .sort();
    },
  };
}

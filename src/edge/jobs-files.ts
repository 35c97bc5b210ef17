/**
 * IO of the job inventory: jobs.yaml and the parity reports, read through a project session
 * (the writing one, or the read-only one of fleet and status), and who makes a move.
 */
import { execFile } from 'node:child_process';
import { ProjectError } from '../core/errors.js';
import { STATES } from '../core/jobs/schema.js';
import { needsEvidence, summarizeJobs, type Evidence, type JobsSummary } from '../core/jobs/summary.js';
import type { ProjectFiles } from './project/reader.js';
import { cachedInventory } from './jobs-cache.js';
import { parityStreak, reportDates, verdictOf, type Streak } from '../core/jobs/gate.js';
import { JOBS_FILE, JOBS_LIMITS, parseJobs, type Job, type ParsedJobs } from '../core/jobs/schema.js';

export type { ProjectFiles };

/** A parity report larger than this is not read for its verdict (it counts as unreadable). */
const REPORT_BYTES = 64 * 1024 * 1024;

/** jobs.yaml parsed and validated, or undefined when the project has none. */
export function readJobs(files: ProjectFiles): ParsedJobs | undefined {
  const data = readJobsBytes(files);
  return data ? parseJobs(new TextDecoder().decode(data)) : undefined;
}

/** jobs.yaml's bytes, bounded: too large is the parser's own words for it (an InputError naming the file). */
function readJobsBytes(files: ProjectFiles): Uint8Array | undefined {
  try {
    return files.read(JOBS_FILE, 'jobs', { maxBytes: JOBS_LIMITS.bytes });
  } catch (e) {
    if (e instanceof ProjectError && e.kind === 'too-large') parseJobs('x'.repeat(JOBS_LIMITS.bytes + 1));
    throw e;
  }
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
      let data: Uint8Array | undefined;
      try {
        data = files.read(`${dir}${d}.json`, 'parity', { maxBytes: REPORT_BYTES });
      } catch (e) {
        if (e instanceof ProjectError && e.kind === 'too-large') return 'invalid';
        throw e;
      }
      return data ? verdictOf(utf8.decode(data), job.id, d) : 'invalid';
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
  const data = readJobsBytes(files);
  if (!data) return undefined;
  // A view needs the inventory only: unchanged since an earlier read, it comes from the cache.
  const inventory = cachedInventory(data, () => parseJobs(new TextDecoder().decode(data)).inventory);
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

/**
 * IO of the job inventory: jobs.yaml and the parity reports, read through whatever gives a
 * project's files (the project session, or fleet's read-only reader), and who makes a move.
 */
import { execFile } from 'node:child_process';
import { parityStreak, REPORT_NAME, verdictOf, type Streak } from '../core/jobs/gate.js';
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
  const dates = names.flatMap((n) => REPORT_NAME.exec(n)?.[1] ?? []).sort().reverse();
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

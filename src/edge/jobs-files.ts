/**
 * IO of the job inventory: jobs.yaml and the parity reports, read through a project session
 * (the writing one, or the read-only one of fleet, status and jobs), and who makes a move.
 */
import { ProjectError } from '../core/errors.js';
import type { ParsedJobs } from '../core/jobs/parse.js';
import { checkJobsText, STATES } from '../core/jobs/schema.js';
import { needsEvidence, summarizeJobs, type Evidence, type JobsSummary } from '../core/jobs/summary.js';
import type { ProjectFiles } from './project/reader.js';
import { lookupInventory, storeInventory } from './jobs-cache.js';
import { ParityReports, parityIndexDir, reportDir, type JobEvidence } from './parity-index.js';
import { JOBS_FILE, JOBS_LIMITS, type Job, type JobsFile } from '../core/jobs/schema.js';

export type { ProjectFiles };

/** The parser, loaded (with the YAML library) only by what parses: a cached inventory needs neither. */
const parser = () => import('../core/jobs/parse.js');

/** jobs.yaml parsed and validated, or undefined when the project has none. */
export async function readJobs(files: ProjectFiles): Promise<ParsedJobs | undefined> {
  const data = readJobsBytes(files);
  return data ? parseBytes(data) : undefined;
}

/** These jobs.yaml bytes parsed and validated. */
export async function parseBytes(data: Uint8Array): Promise<ParsedJobs> {
  return (await parser()).parseJobs(new TextDecoder().decode(data));
}

/** jobs.yaml's bytes, bounded: too large is the validator's own words for it (an InputError naming the file). */
export function readJobsBytes(files: ProjectFiles): Uint8Array | undefined {
  try {
    return files.read(JOBS_FILE, 'jobs', { maxBytes: JOBS_LIMITS.bytes });
  } catch (e) {
    if (e instanceof ProjectError && e.kind === 'too-large') checkJobsText('x'.repeat(JOBS_LIMITS.bytes + 1));
    throw e;
  }
}

/** The validated inventory of these jobs.yaml bytes: from the cache when an earlier read left it there, else parsed (and cached). */
export async function inventoryOf(data: Uint8Array): Promise<JobsFile> {
  return lookupInventory(data) ?? storeInventory(data, (await parseBytes(data)).inventory);
}

export { reportDir, type JobEvidence };

/**
 * A job's parity streak for the gate of a move: the folder is listed once, and reports are read
 * newest first only until the streak is decided. A move reads the reports themselves, never the
 * views' index.
 */
export function readEvidence(files: ProjectFiles, job: Job, holidays: readonly string[]): JobEvidence {
  return new ParityReports(files, null).evidence(job, holidays);
}

/** Who makes a move: --by, else git's user.name, else $USER. */
export async function whoMoves(root: string, by: string | undefined): Promise<string> {
  if (by?.trim()) return by.trim();
  const fallback = () => process.env.USER || process.env.USERNAME || 'unknown';
  // Read from git's config files where that gives git's answer: no process to start.
  const { userNameFromFiles } = await import('./git/config-name.js');
  const fromFiles = userNameFromFiles(root);
  if (fromFiles !== undefined) return fromFiles || fallback();
  // Loaded here, not with this file: a look at the jobs (status, fleet, jobs) starts no process.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd: root, timeout: 5000 }, (err, out) => {
      const name = err ? '' : String(out).trim();
      resolve(name || fallback());
    });
  });
}

/**
 * The summary of a project's jobs, with only the parity reports the gate needs looked at: through
 * the views' index (./parity-index.ts) unless `indexDir` is null.
 */
export async function jobsSummaryOf(files: ProjectFiles, now: Date, indexDir: string | null = parityIndexDir() ?? null): Promise<JobsSummary | undefined> {
  return (await jobsSummaryWith(files, now, indexDir))?.summary;
}

/**
 * jobsSummaryOf, with the inventory it stands on. `beforeReports` is told the inventory before any
 * report folder is looked at; `onVerdict`, of each report whose verdict was taken (ParityReports.onVerdict).
 */
export async function jobsSummaryWith(
  files: ProjectFiles,
  now: Date,
  indexDir: string | null,
  hooks: { beforeReports?: (inventory: JobsFile) => void; onVerdict?: ParityReports['onVerdict'] } = {},
): Promise<{ summary: JobsSummary; inventory: JobsFile } | undefined> {
  const data = readJobsBytes(files);
  if (!data) return undefined;
  // A view needs the inventory only: unchanged since an earlier read, it comes from the cache.
  const inventory = await inventoryOf(data);
  hooks.beforeReports?.(inventory);
  const evidence = new Map<string, Evidence>();
  const reports = new ParityReports(files, indexDir);
  reports.onVerdict = hooks.onVerdict;
  for (const j of inventory.jobs) {
    if (needsEvidence(j.state)) evidence.set(j.id, reports.evidence(j, inventory.holidays));
    else if (STATES.indexOf(j.state) > STATES.indexOf('parallel')) {
      const latest = reports.latest(j.id);
      if (latest) evidence.set(j.id, { latest });
    }
  }
  reports.save();
  return { summary: summarizeJobs(inventory, evidence, now), inventory };
}

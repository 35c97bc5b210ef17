/**
 * One fleet row, from what was read of a project. Pure: facts in, row out.
 */
import { percent, projectStatus } from '../status/count.js';
import { compareVersions } from '../template/semver.js';
import { attention, repoRef, type UpdateRequest } from './forge.js';
import { STATES, type JobState } from '../jobs/schema.js';
import { emptyCounts, type JobsSummary } from '../jobs/summary.js';

export interface ProjectFacts {
  /** As given: a path, or a URL from --repos. */
  project: string;
  manifest?: { template: { name: string; version: string; source: string; commit?: string }; answers: Record<string, unknown>; skipped?: string[] };
  /** The template source's newest version (and its commit, for git sources). */
  newest?: { version: string; commit?: string };
  newestError?: string;
  checklists: ReadonlyMap<string, string>;
  unmerged: readonly string[];
  markers: readonly string[];
  lastSync?: string;
  /** The `origin` remote's URL (a local project), or the URL it was cloned from (--repos). */
  remote?: string;
  /** Its template-update pull (merge) request, or why it could not be read. */
  request?: UpdateRequest;
  error?: string;
  /** jobs.yaml's jobs, when the project has one (a broken one: jobsError): what a row shows of them. */
  jobs?: Pick<JobsSummary, 'total' | 'counts' | 'green' | 'blocked'>;
  jobsError?: string;
}

/** A project's jobs in a fleet row: per state, how many are green, which wait on parity. */
export interface FleetJobs {
  total: number;
  counts: Record<JobState, number>;
  green: number;
  blockedOnParity: string[];
  error?: string;
}

export interface FleetRow {
  project: string;
  template?: string;
  source?: string;
  version?: string;
  newest?: string;
  behind: boolean;
  /** The newest version, declined by the team (sync --skip). */
  skipped?: string;
  conflicts: string[];
  progress?: { percent: number; done: number; total: number; phasesDone: number; phases: number };
  targetDate?: string;
  daysLeft?: number;
  lastSync?: string;
  /** The repository's web page (https), when its remote names one. */
  repository?: string;
  request?: UpdateRequest;
  /** What the row needs, most urgent first (rank 0): for --sort attention. */
  attention?: { rank: number; reason: string };
  error?: string;
  jobs?: FleetJobs;
}

const DAY = 86_400_000;

/** Whole days from today (UTC) to an ISO date; negative when it has passed. */
export function daysUntil(date: string, today: Date): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return undefined;
  const d = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((t - d) / DAY);
}

export function fleetRow(f: ProjectFacts, today: Date): FleetRow {
  const conflicts = [...new Set([...f.unmerged, ...f.markers])].sort();
  const repository = f.remote ? repoRef(f.remote)?.web : undefined;
  if (f.error || !f.manifest) {
    const error = f.error ?? 'not a create-migration project';
    return { project: f.project, behind: false, conflicts, ...(repository ? { repository } : {}), attention: attention({ error, conflicts, behind: false }), error };
  }
  const m = f.manifest;
  const status = f.checklists.size ? projectStatus(f.checklists) : undefined;
  const target = typeof m.answers.target_date === 'string' ? m.answers.target_date : undefined;
  // A version the team declined (sync --skip) is not "behind"; a newer one is.
  const declined = f.newest !== undefined && (m.skipped ?? []).includes(f.newest.version);
  const newer = f.newest && !declined && (compareVersions(f.newest.version, m.template.version) > 0 || (f.newest.version === m.template.version && f.newest.commit !== undefined && m.template.commit !== undefined && f.newest.commit !== m.template.commit));
  return {
    project: f.project,
    template: m.template.name,
    source: m.template.source,
    version: m.template.version,
    newest: f.newest?.version,
    behind: Boolean(newer),
    ...(declined ? { skipped: f.newest!.version } : {}),
    conflicts,
    progress: status && { percent: percent(status.done, status.total), done: status.done, total: status.total, phasesDone: status.phasesDone, phases: status.phases.length },
    targetDate: target,
    daysLeft: target ? daysUntil(target, today) : undefined,
    lastSync: f.lastSync,
    ...(repository ? { repository } : {}),
    ...(f.request ? { request: f.request } : {}),
    attention: attention({ error: f.newestError, version: m.template.version, conflicts, behind: Boolean(newer), request: f.request }),
    error: f.newestError,
    ...(f.jobs ? { jobs: { total: f.jobs.total, counts: f.jobs.counts, green: f.jobs.green, blockedOnParity: f.jobs.blocked } } : {}),
    ...(f.jobsError ? { jobs: { total: 0, counts: emptyCounts(), green: 0, blockedOnParity: [], error: f.jobsError } } : {}),
  };
}

/** Rows with what needs a person first; within a rank, the nearer cutover first, then by name. */
export function byAttention(rows: readonly FleetRow[]): FleetRow[] {
  return [...rows].sort((a, b) => (a.attention?.rank ?? 6) - (b.attention?.rank ?? 6) || (a.daysLeft ?? 1e9) - (b.daysLeft ?? 1e9) || (a.project < b.project ? -1 : a.project > b.project ? 1 : 0));
}

export interface FleetTotals {
  projects: number;
  behind: number;
  inConflict: number;
  errors: number;
  current: number;
  /** Jobs across the projects: per state, green, and waiting on parity (project/job). */
  jobs: { total: number; counts: Record<JobState, number>; green: number; blockedOnParity: string[] };
}

export function totals(rows: readonly FleetRow[]): FleetTotals {
  const behind = rows.filter((r) => r.behind).length;
  const inConflict = rows.filter((r) => r.conflicts.length).length;
  const errors = rows.filter((r) => r.error).length;
  const jobs = { total: 0, counts: emptyCounts(), green: 0, blockedOnParity: [] as string[] };
  for (const r of rows) {
    if (!r.jobs) continue;
    jobs.total += r.jobs.total;
    jobs.green += r.jobs.green;
    for (const st of STATES) jobs.counts[st] += r.jobs.counts[st];
    jobs.blockedOnParity.push(...r.jobs.blockedOnParity.map((id) => `${r.project}/${id}`));
  }
  return { projects: rows.length, behind, inConflict, errors, current: rows.filter((r) => !r.behind && !r.conflicts.length && !r.error).length, jobs };
}

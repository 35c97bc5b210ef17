/**
 * Where the jobs stand: one row per job and the counts per state, for `jobs`, `status` and
 * `fleet`. Pure: the inventory and the parity evidence read for it in, rows out.
 */
import type { Streak } from './gate.js';
import { STATES, type JobState, type JobsFile } from './schema.js';

export interface JobRow {
  id: string;
  title: string;
  owner: string;
  state: JobState;
  schedule: string | null;
  time_zone: string | null;
  workflow: string;
  cronjob: string;
  found_in: string;
  /** Whole days since the move into this state (undefined when the history does not say). */
  days_in_state?: number;
  since?: string;
  /** Parity evidence: the streak for a job running in parallel; the latest report for it and the jobs after. */
  parity?: { days?: number; criterion?: number; met?: boolean; missing?: number; last_red?: string; latest?: string };
}

export interface JobsSummary {
  rows: JobRow[];
  counts: Record<JobState, number>;
  total: number;
  /** Jobs whose parity criterion holds, or that are past parallel. */
  green: number;
  /** Jobs in parallel whose criterion does not hold yet. */
  blocked: string[];
}

export interface Evidence {
  /** Read for jobs in parallel only (the gate's). */
  streak?: Streak;
  latest?: string;
}

const DAY = 86_400_000;

export function emptyCounts(): Record<JobState, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<JobState, number>;
}

export function summarizeJobs(inv: JobsFile, evidence: ReadonlyMap<string, Evidence>, now: Date): JobsSummary {
  const counts = emptyCounts();
  const blocked: string[] = [];
  let green = 0;
  const rows = inv.jobs.map((j): JobRow => {
    counts[j.state]++;
    const since = [...j.history].reverse().find((h) => h.to === j.state)?.at;
    const t = since ? Date.parse(since) : NaN;
    const e = evidence.get(j.id);
    const past = STATES.indexOf(j.state) > STATES.indexOf('parallel');
    if (past || e?.streak?.met) green++;
    if (j.state === 'parallel' && !e?.streak?.met) blocked.push(j.id);
    return {
      id: j.id,
      title: j.title,
      owner: j.owner,
      state: j.state,
      schedule: j.legacy.schedule,
      time_zone: j.legacy.time_zone,
      workflow: j.workflow,
      cronjob: j.cronjob,
      found_in: j.legacy.found_in,
      ...(Number.isNaN(t) ? {} : { days_in_state: Math.max(0, Math.floor((now.getTime() - t) / DAY)), since }),
      ...(e
        ? {
            parity: {
              ...(e.streak ? { days: e.streak.days, criterion: e.streak.criterion, met: e.streak.met, missing: e.streak.missing } : {}),
              ...(e.streak?.lastRed ? { last_red: e.streak.lastRed.path } : {}),
              ...(e.latest ? { latest: e.latest } : {}),
            },
          }
        : {}),
    };
  });
  return { rows, counts, total: inv.jobs.length, green, blocked };
}

/** Which jobs need their parity evidence read: those running in parallel (the gate's). */
export const needsEvidence = (state: JobState) => state === 'parallel';

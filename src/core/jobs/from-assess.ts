/**
 * Inventory entries from what assess found, matched against the jobs already there: a legacy job
 * is recognised by where it was read (file:line) or by its command, never added twice; a job that
 * was found before and is not found now is reported, never removed. Pure.
 */
import type { Schedule } from '../assess/types.js';
import { DEFAULT_CRITERION_DAYS, DEFAULT_TIME_LIMIT, type Job, type LegacySide } from './schema.js';

export const foundIn = (s: Schedule) => `${s.file}:${s.line}`;

const KIND: Record<Schedule['kind'], LegacySide['kind']> = { crontab: 'cron', 'system-crontab': 'cron', systemd: 'systemd_timer', jenkins: 'jenkins', kubernetes: 'kubernetes_cronjob' };

/** The legacy side of an entry, as assess read it. */
export function legacyOf(s: Schedule): LegacySide {
  return {
    kind: KIND[s.kind],
    schedule: s.cron ?? null,
    time_zone: s.timeZone ?? null,
    command: s.command,
    script: s.script ?? null,
    found_in: foundIn(s),
    host: null,
    user: s.user ?? null,
  };
}

/** The readiness assess gives a job (contract with issue 22), when it gives one that is well formed. */
export function readinessOf(s: Schedule): Job['readiness'] {
  const r = (s as Schedule & { readiness?: unknown }).readiness as Record<string, unknown> | undefined;
  if (!r || typeof r !== 'object') return undefined;
  const cls = r.class;
  if (cls !== 'ready' && cls !== 'ready_with_conditions' && cls !== 'needs_custom_node' && cls !== 'blocked') return undefined;
  const reasons = Array.isArray(r.reasons) ? r.reasons.filter((x): x is string => typeof x === 'string').slice(0, 100).map((x) => x.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 500)) : [];
  const confidence = typeof r.confidence === 'number' && r.confidence >= 0 && r.confidence <= 1 ? r.confidence : 0;
  const effort = typeof r.effort_days === 'number' && r.effort_days >= 0 && r.effort_days <= 10_000 ? r.effort_days : 0;
  return { class: cls, reasons, confidence, effort_days: effort };
}

export interface Matching {
  /** Schedules with a cron form and no entry yet. */
  fresh: Schedule[];
  /** Schedules already in the inventory, with the job that holds them. */
  known: { schedule: Schedule; job: string }[];
  /** Entries read from a legacy file before that were not found this time. */
  gone: Job[];
  /** New schedules with no cron form (@reboot, a systemd calendar cron cannot say): not added. */
  noCron: Schedule[];
}

export function matchSchedules(schedules: readonly Schedule[], jobs: readonly Job[]): Matching {
  const byPlace = new Map(jobs.filter((j) => j.legacy.found_in).map((j) => [j.legacy.found_in, j]));
  const byCommand = new Map(jobs.filter((j) => j.legacy.command.trim()).map((j) => [j.legacy.command.trim(), j]));
  const seen = new Set<string>();
  const fresh: Schedule[] = [];
  const noCron: Schedule[] = [];
  const known: Matching['known'] = [];
  for (const s of schedules) {
    const j = byPlace.get(foundIn(s)) ?? byCommand.get(s.command.trim());
    if (j) {
      seen.add(j.id);
      known.push({ schedule: s, job: j.id });
    } else if (s.cron) fresh.push(s);
    else noCron.push(s);
  }
  const gone = jobs.filter((j) => j.legacy.kind !== 'manual' && j.legacy.found_in && !seen.has(j.id));
  return { fresh, known, gone, noCron };
}

/** A unique job id and workflow module for a new entry, from assess's workflow name. */
export function namesFor(workflowBase: string, taken: { ids: Set<string>; workflows: Set<string> }): { id: string; workflow: string } {
  for (let k = 1; ; k++) {
    const workflow = (k === 1 ? workflowBase : `${workflowBase.slice(0, 56)}_${k}`).replace(/_+$/, '');
    const id = workflow.replace(/^legacy_/, '').replace(/_+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '') || `job-${k}`;
    if (!taken.ids.has(id) && !taken.workflows.has(workflow)) {
      taken.ids.add(id);
      taken.workflows.add(workflow);
      return { id, workflow };
    }
  }
}

export interface NewEntry {
  id: string;
  workflow: string;
  title: string;
  owner: string;
  cronjob: string;
  legacy: LegacySide;
  readiness?: Job['readiness'];
  at: string;
  by: string;
  reason: string;
}

export function newJob(e: NewEntry): Job {
  return {
    id: e.id,
    title: e.title,
    owner: e.owner,
    state: 'inventoried',
    legacy: e.legacy,
    workflow: e.workflow,
    cronjob: e.cronjob,
    time_limit_seconds: DEFAULT_TIME_LIMIT,
    ...(e.readiness ? { readiness: e.readiness } : {}),
    parity: { criterion_days: DEFAULT_CRITERION_DAYS },
    history: [{ at: e.at, from: null, to: 'inventoried', by: e.by, reason: e.reason }],
  };
}

/** The docstring's "From:" line of a workflow that replaces a legacy job. */
export function replacesLine(l: LegacySide): string {
  const line = l.kind === 'cron' ? `${l.schedule ?? ''} ${l.user ? `${l.user} ` : ''}${l.command}`.trim() : l.command;
  return `${l.found_in} (${l.kind === 'systemd_timer' ? 'systemd timer' : l.kind}): ${line}${l.script ? `; script ${l.script}` : ''}`;
}

/** What to do on the legacy host when a job goes legacy_off: the exact line, or the timer to disable. */
export function legacyOffSteps(j: Job): string[] {
  const l = j.legacy;
  const [file, line] = [l.found_in.replace(/:\d+$/, ''), /:(\d+)$/.exec(l.found_in)?.[1]];
  switch (l.kind) {
    case 'cron': {
      // A system crontab (/etc/crontab, /etc/cron.d/*) has the user between schedule and command.
      const system = /(^|\/)(etc\/crontab|cron\.d\/[^/]+)$/.test(file);
      const entry = `${l.schedule ?? '?'} ${system && l.user ? `${l.user} ` : ''}${l.command}`;
      const who = l.user ? ` (user ${l.user}${l.host ? ` on ${l.host}` : ''})` : l.host ? ` (on ${l.host})` : '';
      const how = system ? 'in that file' : `with \`crontab${l.user ? ` -u ${l.user}` : ''} -e\``;
      return [`Disable the crontab line ${line ? `${line} of ${file}` : `in ${file}`}${who}: comment it out ${how}:`, `  # ${entry}`];
    }
    case 'systemd_timer': {
      const unit = file.split('/').pop() ?? file;
      return [`Disable the systemd timer ${unit} (${l.found_in}${l.host ? `, on ${l.host}` : ''}):`, `  sudo systemctl disable --now ${unit}`];
    }
    case 'jenkins':
      return [`Disable the trigger of the Jenkins job defined in ${l.found_in}${l.host ? ` on ${l.host}` : ''} (remove its triggers block, or disable the job):`, `  ${l.command}`];
    case 'kubernetes_cronjob':
      // The legacy side is itself a CronJob (read from its manifest): suspend it where it was applied.
      return [`Suspend the legacy Kubernetes CronJob defined in ${l.found_in}${l.host ? ` (cluster ${l.host})` : ''}: set \`spec.suspend: true\` in that manifest and apply it, or:`, `  kubectl patch cronjob <its name> -p '{"spec":{"suspend":true}}'`];
    case 'manual':
      return [`Stop running it by hand${l.command ? `: ${l.command}` : ''}${l.found_in ? ` (${l.found_in})` : ''}; tell the people who did.`];
  }
}

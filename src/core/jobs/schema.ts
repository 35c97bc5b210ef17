/**
 * jobs.yaml, the project's inventory of legacy jobs: its types and the one validator (the parse
 * itself is ./parse.ts, apart so that a view or a move that finds the inventory cached never loads
 * the YAML library). Pure: values in, values out.
 * The file is the team's, and may come from any pull request: it is bounded in size and depth,
 * and every field is checked before anything acts on it. An error names the entry and field.
 */
import { InputError } from '../errors.js';
import { pathProblem } from '../path-rules.js';

export const JOBS_FILE = 'jobs.yaml';
export const STATES = ['inventoried', 'ported', 'parallel', 'switched', 'legacy_off', 'decommissioned'] as const;
export type JobState = (typeof STATES)[number];
export const LEGACY_KINDS = ['cron', 'systemd_timer', 'jenkins', 'kubernetes_cronjob', 'manual'] as const;
export const OUTPUT_FORMATS = ['csv', 'jsonl', 'json', 'table'] as const;
export const READINESS = ['ready', 'ready_with_conditions', 'needs_custom_node', 'blocked'] as const;
export const DEFAULT_TIME_LIMIT = 3300;
export const DEFAULT_CRITERION_DAYS = 10;
/** Bounds on a file anyone may have edited. */
export const JOBS_LIMITS = { bytes: 2 * 1024 * 1024, depth: 24, jobs: 5000, history: 1000 };

export interface LegacySide {
  kind: (typeof LEGACY_KINDS)[number];
  schedule: string | null;
  time_zone: string | null;
  command: string;
  script: string | null;
  found_in: string;
  host: string | null;
  user: string | null;
}

export interface HistoryEntry {
  at: string;
  from: JobState | null;
  to: JobState;
  by: string;
  reason: string;
  forced?: boolean;
}

export interface Job {
  id: string;
  title: string;
  owner: string;
  state: JobState;
  legacy: LegacySide;
  workflow: string;
  cronjob: string;
  time_limit_seconds: number;
  readiness?: { class: (typeof READINESS)[number]; reasons: string[]; confidence: number; effort_days: number };
  outputs?: Record<string, unknown>;
  parity: { criterion_days: number } & Record<string, unknown>;
  history: HistoryEntry[];
}

export interface JobsFile {
  version: 1;
  holidays: string[];
  jobs: Job[];
}

export const ID_RULE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MODULE_RULE = /^[a-z][a-z0-9_]{0,59}$/;
const DATE_RULE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether an ISO date names a real day. */
export function isIsoDate(s: string): boolean {
  if (!DATE_RULE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The deepest nesting of a plain value (lists and maps), stopping once past `limit`. */
function depthOf(v: unknown, limit: number, d = 0): number {
  if (d > limit || v === null || typeof v !== 'object') return d;
  let max = d;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    max = Math.max(max, depthOf(x, limit, d + 1));
    if (max > limit) break;
  }
  return max;
}

/**
 * A quick bound on nesting read from the text, before the YAML parser (which recurses) sees it:
 * flow brackets outside quotes, and block indentation.
 */
function textTooDeep(text: string, limit: number): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote || c === '\n') quote = '';
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > limit) return true;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return /^ {160,}\S/m.test(text);
}

class Checker {
  constructor(readonly file: string) {}
  fail(where: string, why: string): never {
    throw new InputError(`${this.file}: ${where}: ${why}`, this.file);
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** A line of text: no control characters but tab, bounded. */
function text(c: Checker, where: string, v: unknown, opts: { max?: number; empty?: boolean } = {}): string {
  if (typeof v !== 'string') c.fail(where, `must be text, not ${show(v)}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v)) c.fail(where, 'must be one line without control characters');
  if (v.length > (opts.max ?? 2000)) c.fail(where, `is longer than ${opts.max ?? 2000} characters`);
  if (!opts.empty && v.trim() === '') c.fail(where, 'is empty');
  return v;
}
const textOrNull = (c: Checker, where: string, v: unknown, max?: number) => (v === null || v === undefined ? null : text(c, where, v, { max }));

function int(c: Checker, where: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) c.fail(where, `must be a whole number from ${min} to ${max}, not ${show(v)}`);
  return v;
}

function state(c: Checker, where: string, v: unknown): JobState {
  if (!STATES.includes(v as JobState)) c.fail(where, `${show(v)} is not a state; one of ${STATES.join(', ')}`);
  return v as JobState;
}

/** A cron schedule as Kubernetes takes it: five fields of cron characters, or a macro. */
export function cronShapeProblem(s: string): string | undefined {
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(s)) return undefined;
  const parts = s.trim().split(/\s+/);
  if (parts.length !== 5) return 'must be five cron fields (minute hour day-of-month month day-of-week) or a macro like @daily';
  if (parts.some((p) => !/^[A-Za-z0-9*,/-]{1,64}$/.test(p))) return 'has a field with characters cron does not use';
  return undefined;
}

/** An IANA zone's shape (the zone database itself is not consulted here). */
export const ZONE_RULE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

function legacy(c: Checker, where: string, v: unknown): LegacySide {
  if (!isMap(v)) c.fail(where, 'must be a map (kind, schedule, time_zone, command, script, found_in, host, user)');
  const kind = v.kind;
  if (!LEGACY_KINDS.includes(kind as LegacySide['kind'])) c.fail(`${where}.kind`, `${show(kind)} is not one of ${LEGACY_KINDS.join(', ')}`);
  const schedule = textOrNull(c, `${where}.schedule`, v.schedule, 200);
  if (schedule !== null) {
    const p = cronShapeProblem(schedule);
    if (p) c.fail(`${where}.schedule`, `${show(schedule)} ${p}`);
  }
  const zone = textOrNull(c, `${where}.time_zone`, v.time_zone, 64);
  if (zone !== null && !ZONE_RULE.test(zone)) c.fail(`${where}.time_zone`, `${show(zone)} is not an IANA time zone name (like Europe/Berlin)`);
  return {
    kind: kind as LegacySide['kind'],
    schedule,
    time_zone: zone,
    command: text(c, `${where}.command`, v.command ?? '', { max: 4000, empty: true }),
    script: textOrNull(c, `${where}.script`, v.script, 1024),
    found_in: text(c, `${where}.found_in`, v.found_in ?? '', { max: 1100, empty: true }),
    host: textOrNull(c, `${where}.host`, v.host, 255),
    user: textOrNull(c, `${where}.user`, v.user, 255),
  };
}

/** A project path the tool may write (the one path rule), under `prefix`, ending in one of `ends`. */
function projectPath(c: Checker, where: string, v: unknown, prefix: string, ends: RegExp): string {
  const p = text(c, where, v, { max: 1024 });
  const problem = pathProblem(p);
  if (problem) c.fail(where, `${show(p)} ${problem.reason}`);
  if (!p.startsWith(prefix) || !ends.test(p)) c.fail(where, `${show(p)} must be a file under ${prefix} (${ends.source.replace(/\\/g, '').replace('$', '')})`);
  return p;
}

function history(c: Checker, where: string, v: unknown): HistoryEntry[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) c.fail(where, 'must be a list of moves');
  if (v.length > JOBS_LIMITS.history) c.fail(where, `has more than ${JOBS_LIMITS.history} entries`);
  return v.map((h, i) => {
    const w = `${where}[${i}]`;
    if (!isMap(h)) c.fail(w, 'must be a map (at, from, to, by, reason)');
    const at = text(c, `${w}.at`, h.at instanceof Date ? h.at.toISOString() : h.at, { max: 40 });
    if (Number.isNaN(Date.parse(at))) c.fail(`${w}.at`, `${show(at)} is not a date and time (like 2026-12-07T10:00:00Z)`);
    const entry: HistoryEntry = {
      at,
      from: h.from === null || h.from === undefined ? null : state(c, `${w}.from`, h.from),
      to: state(c, `${w}.to`, h.to),
      by: text(c, `${w}.by`, h.by ?? '', { max: 200, empty: true }),
      reason: text(c, `${w}.reason`, h.reason ?? '', { max: 2000, empty: true }),
    };
    if (h.forced !== undefined) {
      if (typeof h.forced !== 'boolean') c.fail(`${w}.forced`, 'must be true or false');
      entry.forced = h.forced;
    }
    return entry;
  });
}

function readiness(c: Checker, where: string, v: unknown): Job['readiness'] {
  if (v === undefined || v === null) return undefined;
  if (!isMap(v)) c.fail(where, 'must be a map (class, reasons, confidence, effort_days)');
  if (!READINESS.includes(v.class as never)) c.fail(`${where}.class`, `${show(v.class)} is not one of ${READINESS.join(', ')}`);
  const reasons = v.reasons ?? [];
  if (!Array.isArray(reasons) || reasons.length > 100) c.fail(`${where}.reasons`, 'must be a list of at most 100 texts');
  reasons.forEach((r, i) => text(c, `${where}.reasons[${i}]`, r, { max: 500 }));
  const confidence = v.confidence ?? 0;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) c.fail(`${where}.confidence`, `must be a number from 0 to 1, not ${show(confidence)}`);
  const effort = v.effort_days ?? 0;
  if (typeof effort !== 'number' || !(effort >= 0 && effort <= 10_000)) c.fail(`${where}.effort_days`, `must be a number of days from 0 to 10000, not ${show(effort)}`);
  return { class: v.class as never, reasons: reasons as string[], confidence, effort_days: effort };
}

function outputs(c: Checker, where: string, v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isMap(v)) c.fail(where, 'must be a map (legacy, new)');
  for (const side of ['legacy', 'new']) {
    const o = v[side];
    if (o === undefined || o === null) continue;
    const w = `${where}.${side}`;
    if (!isMap(o)) c.fail(w, 'must be a map (path, format, ...)');
    if (o.format !== undefined && !OUTPUT_FORMATS.includes(o.format as never)) c.fail(`${w}.format`, `${show(o.format)} is not one of ${OUTPUT_FORMATS.join(', ')}`);
    if (o.format === 'table') text(c, `${w}.query`, o.query, { max: 20_000 });
    else if (o.path !== undefined) text(c, `${w}.path`, o.path, { max: 4096 });
  }
  return v;
}

function parity(c: Checker, where: string, v: unknown): Job['parity'] {
  if (v === undefined || v === null) return { criterion_days: DEFAULT_CRITERION_DAYS };
  if (!isMap(v)) c.fail(where, 'must be a map (key, criterion_days, ignore, columns, ...)');
  const days = v.criterion_days === undefined ? DEFAULT_CRITERION_DAYS : int(c, `${where}.criterion_days`, v.criterion_days, 1, 365);
  for (const k of ['key', 'ignore', 'null_values']) {
    const list = v[k];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || list.length > 1000) c.fail(`${where}.${k}`, 'must be a list');
    list.forEach((x, i) => text(c, `${where}.${k}[${i}]`, x, { max: 500, empty: k === 'null_values' }));
  }
  if (v.columns !== undefined && v.columns !== null && !isMap(v.columns)) c.fail(`${where}.columns`, 'must be a map of column name to its rules');
  return { ...v, criterion_days: days };
}

function job(c: Checker, i: number, v: unknown, seen: Map<string, number>): Job {
  const at = `jobs[${i}]`;
  if (!isMap(v)) c.fail(at, 'must be a map with id, state, legacy, workflow, ...');
  if (typeof v.id !== 'string' || !ID_RULE.test(v.id)) {
    c.fail(`${at}.id`, `${show(v.id)} must be a slug: lowercase letters, digits and -, 1 to 63 characters, starting and ending with a letter or digit`);
  }
  const id = v.id;
  const where = `job ${id} (${at})`;
  if (seen.has(id)) c.fail(`${where}.id`, `the id ${id} is used twice (also jobs[${seen.get(id)}])`);
  seen.set(id, i);
  const workflow = text(c, `${where}.workflow`, v.workflow, { max: 60 });
  if (!MODULE_RULE.test(workflow)) c.fail(`${where}.workflow`, `${show(workflow)} must be a Python module name (lowercase letters, digits, _), the file src/<package>/workflows/<workflow>.py`);
  return {
    id,
    title: v.title === undefined || v.title === null ? id : text(c, `${where}.title`, v.title, { max: 200 }),
    owner: v.owner === undefined || v.owner === null ? '' : text(c, `${where}.owner`, v.owner, { max: 200, empty: true }),
    state: state(c, `${where}.state`, v.state),
    legacy: legacy(c, `${where}.legacy`, v.legacy),
    workflow,
    cronjob: projectPath(c, `${where}.cronjob`, v.cronjob, 'deploy/', /\.ya?ml$/),
    time_limit_seconds: v.time_limit_seconds === undefined ? DEFAULT_TIME_LIMIT : int(c, `${where}.time_limit_seconds`, v.time_limit_seconds, 1, 7 * 86_400),
    readiness: readiness(c, `${where}.readiness`, v.readiness),
    outputs: outputs(c, `${where}.outputs`, v.outputs),
    parity: parity(c, `${where}.parity`, v.parity),
    history: history(c, `${where}.history`, v.history),
  };
}

/** The bounds a jobs.yaml text must keep before the YAML parser sees it (size, nesting). */
export function checkJobsText(source: string, file = JOBS_FILE): void {
  const c = new Checker(file);
  if (source.length > JOBS_LIMITS.bytes) c.fail('the file', `is larger than ${JOBS_LIMITS.bytes} bytes`);
  if (textTooDeep(source, JOBS_LIMITS.depth)) c.fail('the file', `nests deeper than ${JOBS_LIMITS.depth} levels`);
}

/** A problem with the file as YAML, in the validator's words. */
export function jobsYamlError(why: string, file = JOBS_FILE): never {
  return new Checker(file).fail('YAML', why);
}

/** Validates the plain value of a parsed jobs.yaml; every problem is an InputError naming the entry and the field. */
export function jobsOfValue(value: unknown, file = JOBS_FILE): JobsFile {
  const c = new Checker(file);
  let raw = value;
  if (depthOf(raw, JOBS_LIMITS.depth) > JOBS_LIMITS.depth) c.fail('the file', `nests deeper than ${JOBS_LIMITS.depth} levels`);
  if (raw === null || raw === undefined) raw = {};
  if (!isMap(raw)) c.fail('the file', 'must be a map with version, calendar and jobs');
  const top = raw as Record<string, unknown>;
  if (top.version !== 1) c.fail('version', `${show(top.version)} is not a version this tool reads (1)`);
  const cal = (top.calendar ?? {}) as Record<string, unknown>;
  if (!isMap(cal)) c.fail('calendar', 'must be a map (holidays)');
  const hol = (cal.holidays ?? []) as unknown[];
  if (!Array.isArray(hol) || hol.length > 10_000) c.fail('calendar.holidays', 'must be a list of ISO dates (YYYY-MM-DD)');
  const holidays = hol.map((h: unknown, i: number) => {
    const s = h instanceof Date ? h.toISOString().slice(0, 10) : h;
    if (typeof s !== 'string' || !isIsoDate(s)) c.fail(`calendar.holidays[${i}]`, `${show(h)} is not an ISO date (YYYY-MM-DD)`);
    return s as string;
  });
  const list = (top.jobs ?? []) as unknown[];
  if (!Array.isArray(list)) c.fail('jobs', 'must be a list of jobs');
  if (list.length > JOBS_LIMITS.jobs) c.fail('jobs', `has more than ${JOBS_LIMITS.jobs} entries`);
  const seen = new Map<string, number>();
  const jobs = list.map((j: unknown, i: number) => job(c, i, j, seen));
  const workflows = new Map<string, string>();
  for (const j of jobs) {
    const other = workflows.get(j.workflow);
    if (other) c.fail(`job ${j.id}.workflow`, `${j.workflow} is already the workflow of job ${other}`);
    workflows.set(j.workflow, j.id);
  }
  return { version: 1, holidays, jobs };
}

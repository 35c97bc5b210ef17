import { InputError } from './errors.js';

/** The schedule a workflow's CronJob gets when none is given: every night at 02:00. */
export const DEFAULT_SCHEDULE = '0 2 * * *';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ');
const DAYS = 'SUN MON TUE WED THU FRI SAT'.split(' ');
// minute, hour, day of month, month, day of week: [min, max, names]
const FIELDS: [string, number, number, string[]][] = [
  ['minute', 0, 59, []],
  ['hour', 0, 23, []],
  ['day of month', 1, 31, []],
  ['month', 1, 12, MONTHS],
  ['day of week', 0, 7, DAYS],
];

function value(raw: string, [, min, max, names]: (typeof FIELDS)[number]): number | null {
  const named = names.indexOf(raw.toUpperCase());
  if (named >= 0) return named + (min === 1 ? 1 : 0);
  if (!/^\d{1,2}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

/** Why one cron field is invalid, or null when it is fine. */
function fieldProblem(text: string, field: (typeof FIELDS)[number]): string | null {
  for (const part of text.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') return `"${part}"`;
    if (step !== undefined && !/^[1-9]\d{0,1}$/.test(step)) return `step "${step}"`;
    if (range === '*') continue;
    const [from, to, more] = range.split('-');
    if (more !== undefined) return `"${range}"`;
    const a = value(from ?? '', field);
    const b = to === undefined ? a : value(to, field);
    if (a === null || b === null) return `"${range}" (allowed ${field[1]}-${field[2]}${field[3].length ? ' or names' : ''})`;
    if (b < a) return `"${range}" (range runs backwards)`;
  }
  return null;
}

/** A standard five-field cron expression (or a macro like @daily) as Kubernetes accepts it. */
export function cronSchedule(key: string, raw: unknown): string {
  const s = String(raw ?? '').trim();
  if (s === '') return DEFAULT_SCHEDULE;
  if (MACROS.has(s)) return s;
  const parts = s.split(/\s+/);
  if (parts.length !== 5) {
    throw new InputError(`${key}: "${s}" must be a cron expression of 5 fields (minute hour day-of-month month day-of-week, like "${DEFAULT_SCHEDULE}") or a macro like @daily.`);
  }
  parts.forEach((p, i) => {
    const problem = fieldProblem(p, FIELDS[i]!);
    if (problem) throw new InputError(`${key}: "${s}" has an invalid ${FIELDS[i]![0]} field: ${problem}.`);
  });
  return parts.join(' ');
}

/** An IANA time zone name (like Europe/Berlin), or '' for the cluster's default. */
export function timeZone(key: string, raw: unknown): string {
  const s = String(raw ?? '').trim();
  if (s === '') return '';
  const shaped = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(s) && s.length <= 64;
  let known = false;
  if (shaped) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: s });
      known = true;
    } catch {
      known = false;
    }
  }
  if (!known) throw new InputError(`${key}: "${s}" is not an IANA time zone name (like "Europe/Berlin" or "UTC"); leave it empty for the cluster's time zone.`);
  return s;
}

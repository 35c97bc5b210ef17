/**
 * Cron's five fields in words, read from the values each field selects (so steps, ranges, lists
 * and names all say what cron does): "every 10 minutes from 08:00 to 18:59", "at 05:00 on Monday
 * to Friday", "every day at 02:30 and 14:30". Pure.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Field {
  lo: number;
  hi: number;
  names?: string[];
  /** Offset of the first name (months start at 1). */
  base?: number;
}

const FIELDS: Field[] = [
  { lo: 0, hi: 59 },
  { lo: 0, hi: 23 },
  { lo: 1, hi: 31 },
  { lo: 1, hi: 12, names: MONTHS, base: 1 },
  { lo: 0, hi: 7, names: DAYS, base: 0 },
];

/** Cron's macros and the five fields each stands for (`@reboot` has none). */
export const MACROS: Record<string, string | undefined> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
  '@reboot': undefined,
};

function num(tok: string, f: Field): number | undefined {
  if (/^\d{1,2}$/.test(tok)) {
    const n = Number(tok);
    return n >= f.lo && n <= f.hi ? n : undefined;
  }
  const i = f.names?.indexOf(tok.toLowerCase()) ?? -1;
  return i >= 0 ? i + (f.base ?? 0) : undefined;
}

/** One part of a field (`8-18/2`) as start, end and step; undefined when it is not valid cron. */
function part(p: string, f: Field): { a: number; b: number; step: number; star: boolean } | undefined {
  const [range, stepText, extra] = p.split('/');
  if (extra !== undefined || !range) return undefined;
  const step = stepText === undefined ? 1 : /^\d{1,2}$/.test(stepText) && Number(stepText) > 0 ? Number(stepText) : undefined;
  if (step === undefined) return undefined;
  if (range === '*') return { a: f.lo, b: f.hi === 7 ? 6 : f.hi, step, star: true };
  const [x, y, more] = range.split('-');
  if (more !== undefined) return undefined;
  const a = num(x!, f);
  // `5/15` is cron's "from 5 to the end, every 15".
  const b = y !== undefined ? num(y, f) : stepText !== undefined ? (f.hi === 7 ? 6 : f.hi) : a;
  if (a === undefined || b === undefined || b < a) return undefined;
  return { a, b, step, star: false };
}

/** The sorted values a field selects (day of week 7 is Sunday, 0). */
function values(text: string, f: Field): number[] | undefined {
  const out = new Set<number>();
  for (const p of text.split(',')) {
    const r = part(p, f);
    if (!r) return undefined;
    for (let v = r.a; v <= r.b; v += r.step) out.add(f.hi === 7 && v === 7 ? 0 : v);
  }
  return [...out].sort((x, y) => x - y);
}

export function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (h: number, m: number) => `${pad(h)}:${pad(m)}`;
export const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;

/** Runs of consecutive values: [8..11, 13..17]. */
function runs(v: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const x of v) {
    const last = out[out.length - 1];
    if (last && last[1] === x - 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}

/** The step when the values are evenly spaced (at least three of them), else undefined. */
function stepOf(v: number[]): number | undefined {
  if (v.length < 3) return undefined;
  const d = v[1]! - v[0]!;
  return v.every((x, i) => i === 0 || x - v[i - 1]! === d) ? d : undefined;
}

function minutesPhrase(m: number[]): string {
  if (m.length === 60) return 'every minute';
  const d = stepOf(m);
  if (d && m[m.length - 1]! + d > 59) return `every ${d} minutes${m[0] ? ` from minute ${m[0]}` : ''}`;
  const r = runs(m);
  if (r.length === 1 && m.length > 2) return `every minute from minute ${r[0]![0]} to ${r[0]![1]}`;
  return `at minute${m.length > 1 ? 's' : ''} ${list(m.map(String))}`;
}

function timeOfDay(min: number[], hour: number[]): string {
  const dh = stepOf(hour);
  if (min.length === 1 && dh && dh > 1 && hour[0]! < dh && hour[hour.length - 1]! + dh > 23) return `every ${dh} hours at minute ${min[0]}`;
  // Few enough times to name each: "at 02:30 and 14:30".
  if (min.length * hour.length <= 6) return `at ${list(hour.flatMap((h) => min.map((m) => hhmm(h, m))))}`;
  if (min.length === 1) {
    const m = min[0]!;
    if (hour.length === 24) return m === 0 ? 'every hour, on the hour' : `every hour at minute ${m}`;
    const d = stepOf(hour);
    if (d === 1) return `every hour from ${hhmm(hour[0]!, m)} to ${hhmm(hour[hour.length - 1]!, m)}`;
    if (d && hour[0]! < d && hour[hour.length - 1]! + d > 23) return `every ${d} hours at minute ${m}`;
    if (d) return `every ${d} hours from ${hhmm(hour[0]!, m)} to ${hhmm(hour[hour.length - 1]!, m)}`;
    return `at minute ${m} of the hours ${list(hour.map(pad))}`;
  }
  const mins = minutesPhrase(min);
  if (hour.length === 24) return mins.startsWith('at ') ? `${mins} of every hour` : mins;
  const windows = runs(hour);
  if (windows.length <= 3) return `${mins} ${list(windows.map(([a, b]) => `from ${hhmm(a, 0)} to ${hhmm(b, 59)}`))}`;
  const d = stepOf(hour);
  if (d) return `${mins} in every ${ordinal(d)} hour from ${hhmm(hour[0]!, 0)} to ${hhmm(hour[hour.length - 1]!, 59)}`;
  return `${mins} in the hours ${list(hour.map(pad))}`;
}

/** Day of week and month parts: "Monday to Friday", "every 2nd month from March to December". */
function daysPhrase(text: string, f: Field, name: (n: number) => string, unit: string): string {
  return list(
    text.split(',').map((p) => {
      const r = part(p, f)!;
      if (r.step > 1) return `every ${ordinal(r.step)} ${unit}${r.star ? '' : ` from ${name(r.a)} to ${name(r.b)}`}`;
      return r.a === r.b ? name(r.a) : `${name(r.a)} to ${name(r.b)}`;
    }),
  );
}

/** Day of month: "on day 1 and 15 of the month", "on days 1 to 7 of the month", "on every 2nd day of the month". */
function domPhrase(text: string): string {
  const parts = text.split(',').map((p) => part(p, FIELDS[2]!)!);
  if (parts.some((r) => r.step > 1)) return `on ${daysPhrase(text, FIELDS[2]!, (n) => `day ${n}`, 'day of the month')}`;
  const many = parts.length > 1 || parts[0]!.a !== parts[0]!.b;
  return `on day${many ? 's' : ''} ${list(parts.map((r) => (r.a === r.b ? String(r.a) : `${r.a} to ${r.b}`)))} of the month`;
}

const dayName = (n: number) => DAY_NAMES[n % 7]!;
const monthName = (n: number) => MONTH_NAMES[n - 1]!;

/** "every day at 23:00", "every 10 minutes from 08:00 to 18:59", "at 05:00 on Monday to Friday". */
export function describeCron(expr: string): string {
  const macro = MACROS[expr.trim().toLowerCase()];
  if (macro) return describeCron(macro);
  if (expr.trim().toLowerCase() === '@reboot') return 'once, when the system starts';
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) return expr;
  const [min, hour, dom, mon, dow] = f as [string, string, string, string, string];
  if (f.some((x) => x.includes('H'))) return jenkinsWords(min, hour, dom, mon, dow);
  const sets = f.map((x, i) => values(x, FIELDS[i]!));
  if (sets.some((s) => !s)) return expr;
  const [mv, hv] = sets as number[][];
  const time = timeOfDay(mv!, hv!);
  const days: string[] = [];
  if (dom !== '*') days.push(domPhrase(dom));
  if (dow !== '*') days.push(`on ${daysPhrase(dow, FIELDS[4]!, dayName, 'day of the week')}`);
  const parts = [time];
  // Cron's rule: when both day fields are restricted, either one matching is enough.
  if (days.length === 2) parts.push(`${days[0]} or ${days[1]}`);
  else if (days.length === 1) parts.push(days[0]!);
  if (mon !== '*') parts.push(`in ${daysPhrase(mon, FIELDS[3]!, monthName, 'month')}`);
  const out = parts.join(' ');
  return !days.length && /^at \d/.test(time) ? `every day ${out}` : out;
}

function jenkinsWords(min: string, hour: string, dom: string, mon: string, dow: string): string {
  const h = hour === '*' ? 'every hour' : hour.startsWith('H') ? 'an hour Jenkins picks (H)' : `hour ${hour}`;
  const parts = [min.startsWith('H') || hour.startsWith('H') ? `at a minute Jenkins picks (H) in ${h}` : `at minute ${min} of ${h}`];
  if (dom.startsWith('H') || dow.startsWith('H')) parts.push('on a day Jenkins picks (H)');
  else {
    if (dom !== '*') parts.push(`on day ${dom} of the month`);
    if (dow !== '*') parts.push(`on ${dow}`);
  }
  if (mon !== '*' && !mon.startsWith('H')) parts.push(`in month ${mon}`);
  return parts.join(' ');
}

/** Minutes of a reference week (0 = Sunday 00:00) at which the cron fires; undefined when it cannot be read. */
export function weekMinutes(expr: string): { minutes: number[]; daysOfMonthOrMonths: boolean } | undefined {
  const f = (MACROS[expr.trim().toLowerCase()] ?? expr).trim().split(/\s+/);
  if (f.length !== 5 || f.some((x) => x.includes('H'))) return undefined;
  const sets = f.map((x, i) => values(x, FIELDS[i]!));
  if (sets.some((s) => !s)) return undefined;
  const [mv, hv, , , wv] = sets as number[][];
  const days = f[4] === '*' ? [0, 1, 2, 3, 4, 5, 6] : wv!;
  const out: number[] = [];
  for (const d of days) for (const h of hv!) for (const m of mv!) out.push(d * 1440 + h * 60 + m);
  return { minutes: out.sort((a, b) => a - b), daysOfMonthOrMonths: f[2] !== '*' || f[3] !== '*' };
}

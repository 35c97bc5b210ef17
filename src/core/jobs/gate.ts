/**
 * The parity gate: consecutive green business days, from the newest report back. Pure: the
 * report dates (newest first) and a reader of one report's verdict in, the streak out. The reader
 * is called only until the streak is decided, so a job with years of reports costs a handful of
 * reads (at most the criterion, plus the weekends and holidays among them).
 */

export type Verdict = 'green' | 'red' | 'invalid';

export interface Streak {
  /** Consecutive green business days ending at the newest report. */
  days: number;
  criterion: number;
  met: boolean;
  /** Days still needed (0 when met). */
  missing: number;
  /** The newest report. */
  newest?: { date: string; verdict: Verdict; path: string };
  /** The red report that ended the streak, when one did. */
  lastRed?: { date: string; path: string };
  /** What ended the streak short of the criterion, in words (a gap, a red or unreadable report). */
  brokenBy?: string;
  /** How many reports were read. */
  reads: number;
  /**
   * How many of the dates, newest first, the result depends on: the streak is the same for any
   * list that begins with these (so a reader may keep only that much of a long folder's listing).
   */
  used: number;
}

export const REPORT_NAME = /^(\d{4}-\d{2}-\d{2})\.json$/;

/** The dates of the report files among a folder's names, newest first; a name that is no real day is not one. */
export function reportDates(names: readonly string[]): string[] {
  return names.flatMap((n) => REPORT_NAME.exec(n)?.[1] ?? []).filter(realDay).sort().reverse();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** isIsoDate for a string already shaped dddd-dd-dd, by arithmetic (a year of reports for a hundred jobs is 36,500 of them). */
function realDay(d: string): boolean {
  const year = Number(d.slice(0, 4));
  const month = Number(d.slice(5, 7));
  const day = Number(d.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** Days since 1970-01-01 of a date shaped dddd-dd-dd, by arithmetic (no Date: the views walk thousands of them). */
function dayNumber(date: string): number {
  const m = Number(date.slice(5, 7));
  const y = Number(date.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + Number(date.slice(8, 10)) - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** The date (dddd-dd-dd) of a day number: dayNumber's inverse. */
function dateOfDay(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${String(yoe + era * 400 + (m <= 2 ? 1 : 0)).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** 0 Sunday ... 6 Saturday (1970-01-01 was a Thursday). */
const weekday = (n: number) => (((n + 4) % 7) + 7) % 7;

export function isBusinessDay(date: string, holidays: ReadonlySet<string>): boolean {
  const d = weekday(dayNumber(date));
  return d !== 0 && d !== 6 && !holidays.has(date);
}

/** The business day before `date`. */
export function previousBusinessDay(date: string, holidays: ReadonlySet<string>): string {
  let n = dayNumber(date);
  for (let i = 0; i < 3700; i++) {
    n--;
    const w = weekday(n);
    if (w === 0 || w === 6) continue;
    const d = dateOfDay(n);
    if (!holidays.has(d)) return d;
  }
  return '0000-01-01';
}

/**
 * The streak. `dates` are the report dates, newest first (one report a date); `read` gives a
 * report's verdict; `dir` is the folder, for the paths in the result.
 */
export function parityStreak(dates: readonly string[], read: (date: string) => Verdict, holidays: readonly string[], criterion: number, dir: string): Streak {
  const hol = new Set(holidays);
  const at = (d: string) => `${dir}${d}.json`;
  let days = 0;
  let reads = 0;
  let expected: string | undefined;
  let newest: Streak['newest'];
  let lastRed: Streak['lastRed'];
  let brokenBy: string | undefined;
  let used = dates.length;
  const verdict = (d: string): Verdict => {
    reads++;
    const v = read(d);
    newest ??= { date: d, verdict: v, path: at(d) };
    return v;
  };
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    if (days >= criterion) {
      used = i;
      break;
    }
    used = i + 1;
    const business = isBusinessDay(date, hol);
    if (business && expected !== undefined && date < expected) {
      brokenBy = `a business day without a report (${expected})`;
      break;
    }
    const v = verdict(date);
    if (v === 'red') {
      lastRed = { date, path: at(date) };
      brokenBy = `the red report of ${date}`;
      break;
    }
    if (v === 'invalid') {
      brokenBy = `the unreadable report ${at(date)}`;
      break;
    }
    // A green report on a weekend or holiday neither counts nor breaks the streak.
    if (!business) continue;
    days++;
    expected = previousBusinessDay(date, hol);
  }
  if (!dates.length) brokenBy = 'no reports yet';
  const met = days >= criterion;
  return { days: Math.min(days, criterion), criterion, met, missing: met ? 0 : criterion - days, newest, lastRed, brokenBy: met ? undefined : brokenBy, reads, used };
}

/** A report's verdict from its JSON text: green or red per the contract, anything else invalid. */
export function verdictOf(text: string, job: string, date: string): Verdict {
  try {
    const r = JSON.parse(text) as Record<string, unknown>;
    if (r === null || typeof r !== 'object') return 'invalid';
    if (r.date !== undefined && r.date !== date) return 'invalid';
    if (r.job !== undefined && r.job !== job) return 'invalid';
    return r.verdict === 'green' || r.verdict === 'red' ? r.verdict : 'invalid';
  } catch {
    return 'invalid';
  }
}

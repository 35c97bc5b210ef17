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

const dayOfWeek = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function isBusinessDay(date: string, holidays: ReadonlySet<string>): boolean {
  const d = dayOfWeek(date);
  return d !== 0 && d !== 6 && !holidays.has(date);
}

/** The business day before `date`. */
export function previousBusinessDay(date: string, holidays: ReadonlySet<string>): string {
  let t = Date.parse(`${date}T00:00:00Z`);
  for (let i = 0; i < 3700; i++) {
    t -= 86_400_000;
    const d = new Date(t).toISOString().slice(0, 10);
    if (isBusinessDay(d, holidays)) return d;
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
  const verdict = (d: string): Verdict => {
    reads++;
    const v = read(d);
    newest ??= { date: d, verdict: v, path: at(d) };
    return v;
  };
  for (const date of dates) {
    if (days >= criterion) break;
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
  return { days: Math.min(days, criterion), criterion, met, missing: met ? 0 : criterion - days, newest, lastRed, brokenBy: met ? undefined : brokenBy, reads };
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

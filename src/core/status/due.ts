/**
 * Target dates of the four phases, counted backwards from the cutover date (pure): the last phase
 * ends on the cutover date; each earlier one ends a fixed number of weeks before it, leaving the
 * implementation room for the parallel run, and the infrastructure for the implementation.
 */
const WEEKS_BEFORE_CUTOVER: Record<number, number> = { 4: 0, 3: 6, 2: 16, 1: 20 };

const DAY = 86_400_000;

export function phaseDue(phase: number, cutover: string): string | undefined {
  const weeks = WEEKS_BEFORE_CUTOVER[phase];
  const t = Date.parse(`${cutover}T00:00:00Z`);
  if (weeks === undefined || Number.isNaN(t)) return undefined;
  return new Date(t - weeks * 7 * DAY).toISOString().slice(0, 10);
}

/** "overdue by 3 days" when a date has passed and the work is not done; undefined otherwise. */
export function overdue(due: string, today: string, done: boolean): string | undefined {
  if (done) return undefined;
  const d = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / DAY);
  if (!(d > 0)) return undefined;
  return `overdue by ${d} day${d === 1 ? '' : 's'}`;
}

import { isPyKeyword } from '../python.js';
import type { AnswerValue, Question } from '../template/types.js';

const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_TEXT = 200;
const MAX_MULTILINE = 4000;

export type Checked = { ok: true; value: AnswerValue } | { ok: false; error: string };

const fail = (error: string): Checked => ({ ok: false, error });

function checkText(q: Question, v: string): Checked {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) return fail('must not contain control characters');
  if (!q.multiline && /[\r\n]/.test(v)) return fail('must be a single line');
  if (/[\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return fail('is not valid Unicode text');
  const max = q.max ?? (q.multiline ? MAX_MULTILINE : MAX_TEXT);
  if (v.length > max) return fail(`is ${v.length} characters long; the limit is ${max}`);
  if (q.required && v.trim() === '') return fail('must not be empty');
  return { ok: true, value: v };
}

function checkDate(v: string): Checked {
  const m = DATE.exec(v);
  if (!m) return fail(`"${v}" is not a date in the form YYYY-MM-DD`);
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  if (d.getUTCFullYear() !== +m[1]! || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!) {
    return fail(`"${v}" is not a real calendar date`);
  }
  return { ok: true, value: v };
}

/** Whether an ISO date (already checked) lies before today (also YYYY-MM-DD). */
export function isPastDate(value: string, today: string): boolean {
  return value < today;
}

/**
 * The last day of the month `months` after the month of `today` (YYYY-MM-DD): a deadline that is
 * always ahead and reads as a plan date (2026-12-07 plus 6 months is 2027-06-30).
 */
export function monthEndAfter(today: string, months: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  // Day 0 of the month after the target month is the target month's last day.
  const end = new Date(Date.UTC(y, m - 1 + months + 1, 0));
  return end.toISOString().slice(0, 10);
}

/** Today's date where the user is, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function listOf(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  if (typeof v === 'string') return v.trim() === '' ? [] : v.split(',').map((s) => s.trim());
  return undefined;
}

/**
 * Validates one answer and brings it to its canonical form (a `--set` string "a,b" becomes a list,
 * "42" becomes 42). The error text completes a sentence that starts with the key.
 */
export function checkAnswer(q: Question, raw: unknown, shown: { labels?: boolean } = {}): Checked {
  const values = q.choices?.map((c) => c.value) ?? [];
  // On a prompt the person saw the choices' labels, so a message names those; elsewhere, the values typed.
  const names = (shown.labels ? q.choices?.map((c) => c.label) : values)?.join(', ') ?? '';
  switch (q.type) {
    case 'slug': {
      if (typeof raw !== 'string') return fail('must be a string');
      if (!SLUG.test(raw)) {
        return fail(`"${raw}" must be lowercase letters, digits and single hyphens, starting with a letter (like "billing-etl")`);
      }
      if (raw.length > 64) return fail('must be at most 64 characters');
      // A keyword would make the derived Python package unimportable.
      if (isPyKeyword(raw.replace(/-/g, '_'), true)) return fail(`"${raw}" is a Python keyword and cannot name a package`);
      return { ok: true, value: raw };
    }
    case 'text':
      return typeof raw === 'string' ? checkText(q, raw) : fail('must be a string');
    case 'date':
      return typeof raw === 'string' ? checkDate(raw) : fail('must be a date string YYYY-MM-DD');
    case 'choice': {
      const v = typeof raw === 'number' ? String(raw) : raw;
      if (typeof v !== 'string' || !values.includes(v)) return fail(`"${String(raw)}" is not one of ${names}`);
      return { ok: true, value: v };
    }
    case 'multi': {
      const list = listOf(raw);
      if (!list) return fail(`must be a list of ${names}`);
      const unknown = list.filter((x) => !values.includes(x));
      if (unknown.length) return fail(`"${unknown.join(', ')}" is not one of ${names}`);
      const uniq = values.filter((x) => list.includes(x)); // canonical order: the template's
      if (q.min !== undefined && uniq.length < q.min) return fail(`needs at least ${q.min} of ${names}`);
      return { ok: true, value: uniq };
    }
    case 'number': {
      // Digits grouped as people write them: 2,000,000 or 2_000_000 (groups of three after commas).
      const text = typeof raw === 'string' ? raw.trim() : undefined;
      const plain = text !== undefined && /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text) ? text.replace(/,/g, '')
        : text !== undefined && /^[+-]?\d+(?:_\d+)+(?:\.\d+)?$/.test(text) ? text.replace(/_/g, '') : text;
      const n = plain !== undefined && plain !== '' ? Number(plain) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return fail(`"${String(raw)}" is not a number`);
      if (q.integer && !Number.isInteger(n)) return fail(`${n} must be a whole number`);
      if (q.min !== undefined && n < q.min) return fail(`${n} is below the minimum ${q.min}`);
      if (q.max !== undefined && n > q.max) return fail(`${n} is above the maximum ${q.max}`);
      return { ok: true, value: n };
    }
  }
}

import { list, MACROS } from './cron-words.js';
import { redact, redactValue } from './redact.js';
import type { Schedule } from './types.js';

/** Cron's time fields: parsing, validation and the schedule in words. Pure. */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export { MACROS };

const RANGES: [number, number, string[]?][] = [[0, 59], [0, 23], [1, 31], [1, 12, MONTHS], [0, 7, DAYS]];

function value(tok: string, field: number): number | undefined {
  const [lo, hi, names] = RANGES[field]!;
  let n: number;
  if (/^\d{1,2}$/.test(tok)) n = Number(tok);
  else if (names && names.includes(tok.toLowerCase())) n = names.indexOf(tok.toLowerCase()) + (field === 3 ? 1 : 0);
  else return undefined;
  return n >= lo && n <= hi ? n : undefined;
}

/** Is `tok` a valid cron field at position `field` (0 minute .. 4 day of week)? Jenkins' H when asked. */
export function validField(tok: string, field: number, jenkins = false): boolean {
  return tok.split(',').every((part) => {
    const [base, step, extra] = part.split('/');
    if (extra !== undefined || base === undefined || base === '') return false;
    if (step !== undefined && !/^\d{1,2}$/.test(step)) return false;
    if (base === '*') return true;
    if (jenkins && /^H(\(\d+-\d+\))?$/.test(base)) return true;
    const [a, b, more] = base.split('-');
    if (more !== undefined || value(a!, field) === undefined) return false;
    return b === undefined || value(b, field) !== undefined;
  });
}

export function validCron(fields: string[], jenkins = false): boolean {
  return fields.length === 5 && fields.every((f, i) => validField(f, i, jenkins));
}

// The words live in cron-words.ts (read from the values each field selects).
export { describeCron } from './cron-words.js';
import { describeCron } from './cron-words.js';

export interface CronOptions {
  /** /etc/crontab and cron.d: a user field comes before the command. */
  system: boolean;
  /** Only lines that read as cron entries are taken (cron lines quoted in other files). */
  strict?: boolean;
  /** Time fields may be placeholders filled in at deploy time (`${CRON_HOUR}`, `HOUR`, `{{ minute }}`). */
  placeholders?: boolean;
}

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];
const PLACEHOLDER = /^(?:\$\{?\w{1,40}\}?|\{\{\s*[\w.]{1,40}\s*\}\}|%\w{1,40}%|@\w{1,40}@|<\w{1,40}>|__\w{1,40}__|[A-Z][A-Z0-9_]{2,40})$/;

export interface CronEntry {
  expression: string;
  cron?: string;
  user?: string;
  command: string;
  words: string;
  placeholders?: string[];
}

/** One cron entry (`0 3 * * 1-5 /usr/local/bin/backup.sh`), or undefined when the line is not one. */
export function parseEntry(line: string, opts: CronOptions, tz?: string): CronEntry | undefined {
  const toks = line.trim().split(/\s+/);
  if (!toks[0]) return undefined;
  let expression: string;
  let cron: string | undefined;
  let rest: string[];
  let placeholders: string[] | undefined;
  if (toks[0].startsWith('@')) {
    const macro = toks[0].toLowerCase();
    if (!(macro in MACROS)) return undefined;
    expression = macro;
    cron = MACROS[macro];
    rest = toks.slice(1);
  } else {
    const fields = toks.slice(0, 5);
    if (validCron(fields)) {
      expression = fields.join(' ');
      cron = expression;
      rest = toks.slice(5);
    } else if (opts.placeholders && fields.length === 5 && fields.every((f, i) => validField(f, i) || PLACEHOLDER.test(f)) && fields.some((f) => PLACEHOLDER.test(f))) {
      expression = fields.join(' ');
      placeholders = fields.filter((f, i) => !validField(f, i));
      rest = toks.slice(5);
    } else if (opts.placeholders && /^\$\{?\w+\}?$/.test(toks[0])) {
      // One variable for all five fields: `${SCHEDULE} sh /app/backup.sh`.
      expression = toks[0];
      placeholders = [toks[0]];
      rest = toks.slice(1);
    } else return undefined;
  }
  let user: string | undefined;
  // A system crontab's sixth field is the user; a path there means the user was left out.
  const userLike = rest.length > 1 && /^[a-z_][a-z0-9_-]*\$?$/i.test(rest[0]!);
  if ((opts.system && userLike) || (rest[0] === 'root' && rest.length > 1)) user = rest.shift();
  else if (opts.system && rest.length < 2 && !/[/.]/.test(rest[0] ?? '')) return undefined;
  if (!rest.length) return undefined;
  // In a crontab an unescaped % ends the command (the rest is its stdin).
  const command = rest.join(' ').replace(/(?<!\\)%.*$/, '').replace(/\\%/g, '%').trim();
  if (!command) return undefined;
  let words: string;
  if (placeholders) {
    const fields = expression.split(/\s+/);
    const unknown = fields.length === 5 ? fields.map((f, i) => (PLACEHOLDER.test(f) && !validField(f, i) ? `${FIELD_NAMES[i]} ${f}` : '')).filter(Boolean) : [`all five fields (${expression})`];
    words = `set at deploy time: ${list(unknown)} not known from the scanned files`;
  } else words = cron === undefined ? 'once, when the system starts (@reboot)' : `${describeCron(cron)}${expression.startsWith('@') ? ` (${expression})` : ''}`;
  return {
    expression,
    ...(cron ? { cron } : {}),
    ...(user ? { user } : {}),
    command: redact(command.slice(0, 2000)),
    words: tz ? `${words} (${tz})` : words,
    ...(placeholders ? { placeholders } : {}),
  };
}

/** Schedules from a crontab's text: entries, macros, CRON_TZ/TZ, and the user field of system crontabs. */
export function parseCrontab(file: string, text: string, opts: CronOptions): { schedules: Schedule[]; env: { name: string; value: string; line: number }[] } {
  const schedules: Schedule[] = [];
  const env: { name: string; value: string; line: number }[] = [];
  let tz: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (assign && !opts.strict) {
      const v = assign[2]!.replace(/^(["'])(.*)\1$/, '$2');
      env.push({ name: assign[1]!, value: redactValue(assign[1]!, v), line: i + 1 });
      if (assign[1] === 'CRON_TZ' || assign[1] === 'TZ') tz = v || undefined;
      continue;
    }
    // Strict readers (cron lines quoted in .sql or .conf) take only what reads as an entry; a crontab may be a template.
    if (opts.strict && !/^(?:@\w|[\d*])/.test(line)) continue;
    const entry = parseEntry(line, { ...opts, placeholders: opts.placeholders ?? !opts.strict }, tz);
    if (!entry) continue;
    schedules.push({ file, line: i + 1, kind: opts.system ? 'system-crontab' : 'crontab', ...entry, ...(tz ? { timeZone: tz } : {}) });
  }
  return { schedules, env };
}

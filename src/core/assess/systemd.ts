import { describeCron } from './cron.js';
import type { Schedule, SystemdUnit } from './types.js';

/** systemd timers and services: read a unit file, and turn OnCalendar into cron where it has an exact cron form. */

export function parseUnit(file: string, text: string): SystemdUnit | undefined {
  const base = file.split('/').pop()!;
  const type = base.endsWith('.timer') ? 'timer' : base.endsWith('.service') ? 'service' : undefined;
  if (!type) return undefined;
  const unit: SystemdUnit = { file, line: 1, name: base, type, onCalendar: [] };
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const sec = /^\[(\w+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!;
      return;
    }
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!kv) return;
    const [, key, value] = kv as unknown as [string, string, string];
    if (section === 'Timer' && key === 'OnCalendar' && value) unit.onCalendar.push({ value, line: i + 1 });
    if (section === 'Timer' && key === 'Unit') unit.unit = value;
    if (section === 'Service' && key === 'ExecStart' && value && !unit.execStart) unit.execStart = { value: value.replace(/^[-@:+!]+/, ''), line: i + 1 };
  });
  return unit;
}

const SHORTHANDS: Record<string, string> = {
  minutely: '* * * * *',
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
  yearly: '0 0 1 1 *',
  annually: '0 0 1 1 *',
  quarterly: '0 0 1 1,4,7,10 *',
  semiannually: '0 0 1 1,7 *',
};

const DOW: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** One systemd calendar component (`0/2`, `1..5`, `08,20`, `*`) as a cron field, if it has one. */
function field(v: string, max: number): string | undefined {
  if (v === '*') return '*';
  const out = v.split(',').map((p) => {
    const step = /^(\d+)\/(\d+)$/.exec(p);
    if (step) return Number(step[1]) === 0 ? `*/${Number(step[2])}` : `${Number(step[1])}-${max}/${Number(step[2])}`;
    const range = /^(\d+)\.\.(\d+)$/.exec(p);
    if (range) return `${Number(range[1])}-${Number(range[2])}`;
    return /^\d+$/.test(p) ? String(Number(p)) : undefined;
  });
  return out.every((x) => x !== undefined) ? out.join(',') : undefined;
}

function weekdays(v: string): string | undefined {
  const out = v.split(',').map((p) => {
    const [a, b] = p.split(/\.\.|-/).map((d) => DOW[d.slice(0, 3).toLowerCase()]);
    if (a === undefined) return undefined;
    return b === undefined ? String(a) : `${a}-${b}`;
  });
  return out.every((x) => x !== undefined) ? out.join(',') : undefined;
}

/** OnCalendar=`Mon..Fri *-*-* 06:00:00 Europe/Paris` → cron `0 6 * * 1-5` and the zone; cron absent when it has none. */
export function calendarToCron(value: string): { cron?: string; timeZone?: string } {
  let toks = value.trim().split(/\s+/);
  let timeZone: string | undefined;
  const last = toks[toks.length - 1]!;
  if (toks.length > 1 && (/^[A-Z][A-Za-z_]+\/[A-Za-z_/+-]+$/.test(last) || last === 'UTC')) {
    timeZone = last;
    toks = toks.slice(0, -1);
  }
  if (toks.length === 1 && SHORTHANDS[toks[0]!.toLowerCase()]) return { cron: SHORTHANDS[toks[0]!.toLowerCase()], timeZone };
  let dow = '*';
  if (toks[0] && /^[A-Za-z]/.test(toks[0])) {
    const d = weekdays(toks.shift()!);
    if (!d) return { timeZone };
    dow = d;
  }
  let date = '*-*-*';
  if (toks[0] && toks[0].includes('-')) date = toks.shift()!;
  const time = toks.shift() ?? '00:00:00';
  if (toks.length) return { timeZone };
  const [y, mo, d] = date.split('-');
  const [h, mi, s] = time.split(':');
  if (y !== '*' || mo === undefined || d === undefined || h === undefined || mi === undefined) return { timeZone };
  if (s !== undefined && !/^0+$/.test(s)) return { timeZone };
  const parts = [field(mi, 59), field(h, 23), field(d, 31), field(mo, 12), dow];
  return parts.every((p) => p !== undefined) ? { cron: parts.join(' '), timeZone } : { timeZone };
}

/** A schedule per OnCalendar of each timer, with the command of the service it starts. */
export function timerSchedules(units: SystemdUnit[]): Schedule[] {
  const services = new Map(units.filter((u) => u.type === 'service').map((u) => [u.name, u]));
  const out: Schedule[] = [];
  for (const t of units.filter((u) => u.type === 'timer')) {
    const unitName = t.unit ?? t.name.replace(/\.timer$/, '.service');
    const service = services.get(unitName);
    for (const c of t.onCalendar) {
      const { cron, timeZone } = calendarToCron(c.value);
      const words = cron ? describeCron(cron) : `when systemd's calendar "${c.value}" matches`;
      out.push({
        file: t.file,
        line: c.line,
        kind: 'systemd',
        expression: c.value,
        ...(cron ? { cron } : {}),
        ...(timeZone ? { timeZone } : {}),
        command: service?.execStart?.value ?? `(service ${unitName} not found in the scanned folders)`,
        words: timeZone ? `${words} (${timeZone})` : words,
        unit: unitName,
      });
    }
  }
  return out;
}

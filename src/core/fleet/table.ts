/** The fleet as a text table. Pure. */
import type { FleetRow, FleetTotals } from './row.js';
import { STATES } from '../jobs/schema.js';

const HEAD = ['project', 'template', 'version', 'newest', 'behind', 'conflicts', 'progress', 'phases', 'jobs green', 'on parity', 'cutover', 'days', 'last sync', 'update request', 'checks', 'review', 'error'];

// A hostile name must not move the cursor or forge a line.
// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** The update request's three cells; without one, the first says why and the others are empty. */
export function requestCells(r: FleetRow): [string, string, string] {
  const q = r.request;
  if (!q) return ['-', '-', '-'];
  if (!q.state) return [`- (${q.why ?? 'none'})`, '-', '-'];
  return [`${q.state}${q.number !== undefined ? ` #${q.number}` : ''}`, q.checks ?? '-', q.review ?? '-'];
}

export function rowCells(r: FleetRow): string[] {
  return [
    r.project,
    r.template ?? '-',
    r.version ?? '-',
    r.newest ?? '-',
    r.error && !r.version ? '-' : r.behind ? 'yes' : 'no',
    r.conflicts.length ? String(r.conflicts.length) : r.version ? '0' : '-',
    r.progress ? `${r.progress.percent}%` : '-',
    r.progress ? `${r.progress.phasesDone}/${r.progress.phases}` : '-',
    r.jobs?.total ? `${r.jobs.green}/${r.jobs.total}` : r.jobs?.error ? 'bad jobs.yaml' : '-',
    r.jobs?.total ? String(r.jobs.blockedOnParity.length) : '-',
    r.targetDate ?? '-',
    r.daysLeft === undefined ? '-' : String(r.daysLeft),
    r.lastSync?.slice(0, 10) ?? '-',
    ...requestCells(r),
    r.error ?? '',
  ].map(clean);
}

export function fleetTable(rows: readonly FleetRow[], t: FleetTotals): string {
  const cells = [HEAD, ...rows.map(rowCells)];
  const widths = HEAD.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const lines = cells.map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd());
  // Where each project lives, below the table: a link a terminal can open.
  const links = rows.filter((r) => r.repository || r.request?.url);
  if (links.length) lines.push('', ...links.map((r) => clean(`${r.project}: ${[r.repository, r.request?.url].filter(Boolean).join('  ')}`)));
  lines.push('', `${t.projects} projects: ${t.current} current, ${t.behind} behind, ${t.inConflict} in conflict, ${t.errors} unreadable.`);
  if (t.jobs.total) {
    const per = STATES.filter((st) => t.jobs.counts[st]).map((st) => `${t.jobs.counts[st]} ${st}`).join(', ');
    lines.push(`${t.jobs.total} jobs: ${per}; ${t.jobs.green} green; ${t.jobs.blockedOnParity.length} waiting on parity${t.jobs.blockedOnParity.length ? ` (${t.jobs.blockedOnParity.slice(0, 10).map(clean).join(', ')}${t.jobs.blockedOnParity.length > 10 ? ', ...' : ''})` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}

import { STATES } from '../../core/jobs/schema.js';
import type { JobRow, JobsSummary } from '../../core/jobs/summary.js';
import { listJobs } from '../../flows/jobs.js';
import { bold, dim, out, print, printJson, say } from '../output.js';

// A hostile name in jobs.yaml must not move the cursor or forge a line.
// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

export interface JobsFlags {
  project?: string;
  json?: boolean;
}

export interface JobFlags extends JobsFlags {
  to: string;
  reason?: string;
  force?: boolean;
  by?: string;
}

/** The evidence cell of a row: the parity streak, for a job in parallel. */
export function evidenceWord(r: JobRow): string {
  const p = r.parity;
  if (!p) return '';
  if (p.days === undefined) return p.latest ? `latest report ${p.latest}` : '';
  return p.met ? `parity ${p.days}/${p.criterion} green` : `parity ${p.days}/${p.criterion}, ${p.missing} to go${p.last_red ? ` (last red ${p.last_red})` : ''}`;
}

/** The jobs as text lines, grouped by state (status prints them too). */
export function jobLines(s: JobsSummary): string[] {
  const lines: string[] = [];
  const w = Math.max(4, ...s.rows.map((r) => r.id.length));
  for (const state of STATES) {
    const rows = s.rows.filter((r) => r.state === state);
    if (!rows.length) continue;
    lines.push(`  ${state} (${rows.length})`);
    for (const r of rows) {
      const when = `${r.schedule ?? 'no schedule'}${r.time_zone ? ` ${r.time_zone}` : ''}`;
      const days = r.days_in_state === undefined ? '' : `${r.days_in_state}d in state`;
      lines.push(clean(`    ${r.id.padEnd(w)}  ${when.padEnd(24)}  ${(r.owner || '-').padEnd(16)}  ${days.padEnd(14)}  ${evidenceWord(r)}`).trimEnd());
    }
  }
  return lines;
}

export async function jobsCommand(flags: JobsFlags): Promise<number> {
  const { root, summary } = await listJobs({ dir: flags.project ?? '.' });
  if (flags.json) {
    printJson({ ok: true, command: 'jobs', dir: root, total: summary.total, counts: summary.counts, green: summary.green, blockedOnParity: summary.blocked, jobs: summary.rows });
    return 0;
  }
  const o = out();
  print(o.bold(`${summary.total} jobs: ${STATES.filter((st) => summary.counts[st]).map((st) => `${summary.counts[st]} ${st}`).join(', ') || 'none'}`));
  for (const l of jobLines(summary)) print(l);
  if (summary.blocked.length) print(o.dim(`  Waiting on parity: ${summary.blocked.map(clean).join(', ')}.`));
  return 0;
}

export async function jobCommand(id: string, flags: JobFlags): Promise<number> {
  // A move loads what writing needs (the journal, git) only when asked for.
  const { moveJob } = await import('../../flows/job-move.js');
  const r = await moveJob({ dir: flags.project ?? '.', id, to: flags.to, reason: flags.reason, force: flags.force, by: flags.by });
  if (flags.json) {
    printJson({ ok: true, command: 'job', dir: r.root, ...r });
    return 0;
  }
  say(`${bold('Moved')} job ${clean(r.id)}: ${r.from} -> ${r.to}${r.forced ? ' (forced; recorded in jobs.yaml)' : ''}.`);
  for (const s of r.skipped) say(dim(`  forced past: ${clean(s)}`));
  say(dim(`  Wrote ${r.written.map(clean).join(', ')}.`));
  for (const n of r.notes) say(dim(`  ${clean(n)}`));
  if (r.legacyOff) {
    // What to do on the legacy host is the command's report: on stdout, to copy.
    print('On the legacy host:');
    for (const l of r.legacyOff) print(clean(l));
  }
  return 0;
}

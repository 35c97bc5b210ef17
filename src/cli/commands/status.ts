import { isDone, NEXT_ITEMS, percent, stateWord, type ProjectStatus } from '../../core/status/count.js';
import { overdue, phaseDue } from '../../core/status/due.js';
import { daysLeft } from '../../core/status/html.js';
import { status as readStatus } from '../../flows/status.js';
import { dim, out, print, printJson, say } from '../output.js';
import { cutoverEvidence, itemEvidence } from '../../core/jobs/evidence.js';
import { STATES } from '../../core/jobs/schema.js';
import { jobLines } from './jobs.js';

export interface StatusFlags {
  json?: boolean;
  write?: boolean;
  html?: string;
}

const bar = (p: number, width = 20) => '█'.repeat(Math.round((p * width) / 100)).padEnd(width, '░');

function table(status: ProjectStatus, targetDate: string | undefined, today: string): string[] {
  const w = Math.max(...status.checklists.map((c) => c.title.length), 10);
  return status.checklists.map((c) => {
    const p = percent(c.done, c.total);
    const due = c.phase !== undefined && targetDate ? phaseDue(c.phase, targetDate) : undefined;
    const late = due ? overdue(due, today, isDone(c)) : undefined;
    const when = due ? `  due ${due}${late ? `, ${late}` : ''}` : '';
    return `  ${c.title.padEnd(w)}  ${bar(p)} ${`${c.done}/${c.total}`.padStart(7)} ${`${p}%`.padStart(4)}  ${stateWord(c).padEnd(11)}${when}`.trimEnd();
  });
}

export async function statusCommand(dir: string | undefined, flags: StatusFlags): Promise<number> {
  const { root, status, systemName, template, owner, targetDate, today, warnings, written, created: createdHtml, jobs } = await readStatus({ dir: dir ?? '.', write: flags.write, html: flags.html });
  // On stderr even with --json, which keeps stdout to its one object.
  for (const w of warnings) say(`warning: ${w}`);
  const overall = percent(status.done, status.total);
  if (flags.json) {
    printJson({
      ok: true,
      command: 'status',
      dir: root,
      template,
      overall: { done: status.done, total: status.total, percent: overall },
      phasesDone: status.phasesDone,
      phases: status.phases.length,
      checklists: status.checklists.map((c) => {
        const due = c.phase !== undefined && targetDate ? phaseDue(c.phase, targetDate) : undefined;
        return { path: c.path, title: c.title, phase: c.phase, done: c.done, total: c.total, percent: percent(c.done, c.total), complete: isDone(c), ...(due ? { due, overdue: overdue(due, today, isDone(c)) !== undefined } : {}) };
      }),
      next: status.current ? { checklist: status.current.path, items: status.current.items.filter((i) => !i.done).slice(0, NEXT_ITEMS).map((i) => i.text) } : null,
      ...(jobs ? { jobs: { total: jobs.total, counts: jobs.counts, green: jobs.green, blockedOnParity: jobs.blocked, evidence: cutoverEvidence(jobs), rows: jobs.rows } } : {}),
      written,
    });
    return 0;
  }
  const o = out();
  print(`${o.bold(systemName)} ${o.dim(`(template ${template})`)}`);
  const left = targetDate ? daysLeft(targetDate, today) : undefined;
  const plan = [owner ? `owner ${owner}` : '', targetDate ? `cutover by ${targetDate}${left ? ` (${left})` : ''}` : ''].filter(Boolean);
  if (plan.length) print(`  ${plan.join(' · ')}`);
  for (const line of table(status, targetDate, today)) print(line);
  const gates = status.checklists.filter((c) => !status.phases.includes(c));
  const scope = status.phases.length ? `items in the ${status.phases.length} phases` : 'items';
  print(`  ${o.bold(`${overall}% complete`)} (${status.done}/${status.total} ${scope}), ${status.phasesDone}/${status.phases.length} phases done`);
  if (status.phases.length && gates.length) {
    print(o.dim(`  Not in that count: ${gates.map((g) => g.title).join(', ')}: ${gates.reduce((n, c) => n + c.done, 0)}/${gates.reduce((n, c) => n + c.total, 0)} items.`));
  }
  if (status.current) {
    print(`Next in ${status.current.title}:`);
    for (const i of status.current.items.filter((x) => !x.done).slice(0, NEXT_ITEMS)) {
      const note = itemEvidence(i.text, jobs);
      print(`  - [ ] ${i.text}${note ? o.dim(` (${note})`) : ''}`);
    }
  }
  if (jobs?.total) {
    print(`Jobs: ${jobs.total} (${STATES.filter((st) => jobs.counts[st]).map((st) => `${jobs.counts[st]} ${st}`).join(', ')}); ${jobs.green}/${jobs.total} green`);
    for (const l of jobLines(jobs)) print(l);
    for (const e of cutoverEvidence(jobs)) print(o.dim(`  ${e.item}: ${e.evidence}`));
  }
  // A page that was not there before is "Created", one replaced "Updated".
  const created = written.filter((f) => createdHtml && f === flags.html);
  const updated = written.filter((f) => !created.includes(f));
  if (created.length) say(dim(`Created ${created.join(', ')}.`));
  if (updated.length) say(dim(`Updated ${updated.join(', ')}.`));
  return 0;
}

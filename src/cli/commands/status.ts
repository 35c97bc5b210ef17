import { isDone, percent, stateWord, type ProjectStatus } from '../../core/status/count.js';
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

function table(status: ProjectStatus): string[] {
  const w = Math.max(...status.checklists.map((c) => c.title.length), 10);
  return status.checklists.map((c) => {
    const p = percent(c.done, c.total);
    return `  ${c.title.padEnd(w)}  ${bar(p)} ${`${c.done}/${c.total}`.padStart(7)} ${`${p}%`.padStart(4)}  ${stateWord(c)}`;
  });
}

export async function statusCommand(dir: string | undefined, flags: StatusFlags): Promise<number> {
  const { root, status, systemName, template, owner, targetDate, today, warnings, written, jobs } = await readStatus({ dir: dir ?? '.', write: flags.write, html: flags.html });
  // On stderr even with --json, which keeps stdout to its one object.
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
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
      checklists: status.checklists.map((c) => ({ path: c.path, title: c.title, phase: c.phase, done: c.done, total: c.total, percent: percent(c.done, c.total), complete: isDone(c) })),
      next: status.current ? { checklist: status.current.path, items: status.current.items.filter((i) => !i.done).slice(0, 5).map((i) => i.text) } : null,
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
  for (const line of table(status)) print(line);
  const gates = status.checklists.filter((c) => !status.phases.includes(c));
  const scope = status.phases.length ? `items in the ${status.phases.length} phases` : 'items';
  print(`  ${o.bold(`${overall}% complete`)} (${status.done}/${status.total} ${scope}), ${status.phasesDone}/${status.phases.length} phases done`);
  if (status.phases.length && gates.length) {
    print(o.dim(`  Not in that count: ${gates.map((g) => g.title).join(', ')}: ${gates.reduce((n, c) => n + c.done, 0)}/${gates.reduce((n, c) => n + c.total, 0)} items.`));
  }
  if (status.current) {
    print(`Next in ${status.current.title}:`);
    for (const i of status.current.items.filter((x) => !x.done).slice(0, 5)) {
      const note = itemEvidence(i.text, jobs);
      print(`  - [ ] ${i.text}${note ? o.dim(` (${note})`) : ''}`);
    }
  }
  if (jobs?.total) {
    print(`Jobs: ${jobs.total} (${STATES.filter((st) => jobs.counts[st]).map((st) => `${jobs.counts[st]} ${st}`).join(', ')}); ${jobs.green}/${jobs.total} green`);
    for (const l of jobLines(jobs)) print(l);
    for (const e of cutoverEvidence(jobs)) print(o.dim(`  ${e.item}: ${e.evidence}`));
  }
  if (written.length) say(dim(`Updated ${written.join(', ')}.`));
  return 0;
}

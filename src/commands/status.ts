import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { ProjectSession } from '../project/session.js';
import { bold, dim, printJson, say } from '../output.js';
import { isDone, percent, projectStatus, stateWord, type ProjectStatus } from '../status/count.js';
import { statusHtml } from '../status/html.js';
import { updateReadme, updateTasks } from '../status/write.js';

export interface StatusFlags {
  json?: boolean;
  write?: boolean;
  html?: string;
}

/** Where checklists live: the four phases, and every other checklist (pre/post-migration, added ones). */
export const CHECKLIST_DIRS = ['docs/phases', 'docs/checklists'];

function readChecklists(session: ProjectSession): Map<string, string> {
  const files = new Map<string, string>();
  const utf8 = new TextDecoder();
  for (const dir of CHECKLIST_DIRS) {
    for (const p of session.listFiles(dir, 'status').filter((x) => x.endsWith('.md'))) {
      const data = session.read(p, 'status');
      if (data) files.set(p, utf8.decode(data));
    }
  }
  return files;
}

const bar = (p: number, width = 20) => '█'.repeat(Math.round((p * width) / 100)).padEnd(width, '░');

function table(status: ProjectStatus): string[] {
  const w = Math.max(...status.checklists.map((c) => c.title.length), 10);
  return status.checklists.map((c) => {
    const p = percent(c.done, c.total);
    return `  ${c.title.padEnd(w)}  ${bar(p)} ${`${c.done}/${c.total}`.padStart(7)} ${`${p}%`.padStart(4)}  ${stateWord(c)}`;
  });
}

/** The new text of a file when the edit changes it; nothing when it is absent or unchanged. */
function rewrite(session: ProjectSession, file: string, edit: (t: string) => string): { path: string; data: Uint8Array } | undefined {
  const data = session.read(file, 'status --write');
  if (!data) return undefined;
  const before = new TextDecoder().decode(data);
  const after = edit(before);
  return after === before ? undefined : { path: file, data: new TextEncoder().encode(after) };
}

export async function statusCommand(dir: string | undefined, flags: StatusFlags): Promise<number> {
  // --write edits two files: under the lock and the journal, like every other write.
  const session = await ProjectSession.open({ dir: dir ?? '.', write: flags.write === true, manifest: 'optional' });
  try {
    return await statusIn(session, dir, flags);
  } finally {
    session.close();
  }
}

async function statusIn(session: ProjectSession, dir: string | undefined, flags: StatusFlags): Promise<number> {
  const { root, manifest } = session;
  const files = readChecklists(session);
  if (!files.size) throw new UsageError(`${dir ?? '.'}: no checklists found under ${CHECKLIST_DIRS.join(' or ')}; is this a migration project?`);
  const status = projectStatus(files);
  const written: string[] = [];
  if (flags.write) {
    const edits = [rewrite(session, 'README.md', (t) => updateReadme(t, status)), rewrite(session, 'TASKS.md', (t) => updateTasks(t, status))].flatMap((e) => (e ? [e] : []));
    if (edits.length) await session.apply({ what: 'status --write', writes: edits });
    written.push(...edits.map((e) => e.path));
  }
  const systemName = typeof manifest?.answers.system_name === 'string' ? manifest.answers.system_name : path.basename(root);
  const template = manifest ? `${manifest.template.name} ${manifest.template.version}` : 'unknown';
  if (flags.html) {
    const html = statusHtml(status, { systemName, template, generatedAt: new Date().toISOString().slice(0, 16).replace('T', ' ') });
    writeFileSync(path.resolve(flags.html), html);
    written.push(flags.html);
  }
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
      written,
    });
    return 0;
  }
  say(`${bold(systemName)} ${dim(`(template ${template})`)}`);
  for (const line of table(status)) say(line);
  say(`  ${bold(`${overall}% complete`)} (${status.done}/${status.total} items), ${status.phasesDone}/${status.phases.length} phases done`);
  if (status.current) {
    say(`Next in ${status.current.title}:`);
    for (const i of status.current.items.filter((x) => !x.done).slice(0, 5)) say(`  - [ ] ${i.text}`);
  }
  if (written.length) say(dim(`Updated ${written.join(', ')}.`));
  return 0;
}

/**
 * Progress counted from Markdown task lists: `- [ ]` open, `- [x]` done. Pure: takes file
 * texts, returns numbers.
 */
import { conflictBlocks, type MarkerBlock } from '../merge/markers.js';

/** Where checklists live: the four phases, and every other checklist (pre/post-migration, added ones). */
export const CHECKLIST_DIRS = ['docs/phases', 'docs/checklists'];

export interface Item {
  text: string;
  done: boolean;
}

export interface ChecklistStats {
  path: string;
  title: string;
  /** 1-4 for the phase checklists, undefined for the others (pre-/post-migration, added ones). */
  phase?: number;
  done: number;
  total: number;
  items: Item[];
  /**
   * Unresolved conflict-marker blocks (0-based line indexes). Their boxes are not counted:
   * both sides of a conflict would count twice, and neither is the text the team settled on.
   */
  conflicts: MarkerBlock[];
}

export interface ProjectStatus {
  checklists: ChecklistStats[];
  phases: ChecklistStats[];
  done: number;
  total: number;
  phasesDone: number;
  current?: ChecklistStats;
}

const TASK = /^\s*[-*+]\s+\[([ xX])\]\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;

export function parseChecklist(path: string, text: string): ChecklistStats {
  const items: Item[] = [];
  let inFence = false;
  let title = path;
  let last = 'other' as 'item' | 'other';
  const lines = text.split(/\r?\n/);
  const conflicts = conflictBlocks(lines);
  let block = 0;
  for (const [i, line] of lines.entries()) {
    while (block < conflicts.length && conflicts[block]!.end < i) block++;
    if (block < conflicts.length && conflicts[block]!.start <= i) {
      last = 'other';
      continue;
    }
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) continue;
    const h = /^#\s+(.+?)\s*$/.exec(line);
    if (h && title === path) title = h[1]!;
    const m = TASK.exec(line);
    if (m) items.push({ done: m[1] !== ' ', text: m[2]!.replace(/\*\*/g, '').trim() });
    const continues: boolean = !m && last === 'item' && /^\s+\S/.test(line) && !/^\s*([-*+]|\d+\.)\s/.test(line);
    // A long item wrapped onto indented lines continues its text; a sub-list or a blank line ends it.
    if (continues) items[items.length - 1]!.text += ` ${line.trim()}`;
    last = m || continues ? 'item' : 'other';
  }
  const phase = /phase-(\d+)/.exec(path)?.[1];
  return { path, title, phase: phase ? Number(phase) : undefined, done: items.filter((i) => i.done).length, total: items.length, items, conflicts };
}

/**
 * A share in whole percent, rounded to the nearest (5/12 is 42%), but never 100% before the last
 * item nor 0% after the first: the number must not claim done, or nothing, when it is not so.
 */
export const percent = (done: number, total: number) => {
  if (total === 0) return 0;
  const p = Math.round((done * 100) / total);
  return done < total ? Math.max(done > 0 ? 1 : 0, Math.min(99, p)) : p;
};

/** How many open items of the current phase the terminal and the page list: the same number. */
export const NEXT_ITEMS = 5;
export const isDone = (c: ChecklistStats) => c.total > 0 && c.done === c.total;
export const stateWord = (c: ChecklistStats) => (isDone(c) ? 'Done' : c.done === 0 ? 'Not started' : 'In progress');

/**
 * Where a checklist stands in the migration: pre-migration gates before phase 1, the phases in
 * order, checklists added by the team after them, post-migration last.
 */
function stage(c: ChecklistStats): number {
  const name = c.path.slice(c.path.lastIndexOf('/') + 1);
  if (/^pre[-_]/i.test(name)) return 0;
  if (c.phase !== undefined) return c.phase;
  return /^post[-_]/i.test(name) ? 1000 : 500;
}

/** In the order the work is done (see stage), then by path. */
export function projectStatus(files: ReadonlyMap<string, string>): ProjectStatus {
  const checklists = [...files].map(([p, t]) => parseChecklist(p, t));
  checklists.sort((a, b) => stage(a) - stage(b) || (a.path < b.path ? -1 : 1));
  const phases = checklists.filter((c) => c.phase !== undefined);
  // Overall progress is the phases' (the other checklists are gates, shown on their own rows);
  // a template without phase checklists counts every checklist.
  const counted = phases.length ? phases : checklists;
  const done = counted.reduce((n, c) => n + c.done, 0);
  const total = counted.reduce((n, c) => n + c.total, 0);
  return {
    checklists,
    phases,
    done,
    total,
    phasesDone: phases.filter(isDone).length,
    current: phases.find((p) => !isDone(p)),
  };
}

/** One warning per checklist that still holds conflict markers, naming the file and the lines. */
export function conflictWarnings(status: ProjectStatus): string[] {
  return status.checklists
    .filter((c) => c.conflicts.length)
    .map((c) => {
      const where = c.conflicts.map((b) => `${b.start + 1}-${b.end + 1}`).join(', ');
      return `${c.path}: unresolved conflict markers (lines ${where}); the boxes inside them are not counted. Resolve them, then commit.`;
    });
}

import type { Answers } from '../template/types.js';

export interface SideLabels {
  ours: string;
  base: string;
  theirs: string;
}

const MAX_VALUE = 40;
const MAX_KEYS = 3;

// One short line: a label ends up in a conflict-marker line, so no line break may get in.
function show(value: unknown): string {
  const raw = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const flat = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > MAX_VALUE ? `${flat.slice(0, MAX_VALUE - 1)}…` : flat;
}

/** `key=value` for each answer that differs, the first few of them. */
function changedAnswers(before: Answers, after: Answers): string | undefined {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
  if (!keys.length) return undefined;
  const shown = keys.slice(0, MAX_KEYS).map((k) => `${k}=${after[k] === undefined ? '(unset)' : show(after[k])}`);
  if (keys.length > MAX_KEYS) shown.push(`+${keys.length - MAX_KEYS} more`);
  return shown.join(', ');
}

/**
 * The names of the three sides of a sync's conflicts. Base and theirs are the template at the
 * two versions; when those are the same version (an answer changed with `--set`, or the template
 * moved without a new version), the labels say what differs, so the two sides are never
 * labelled alike.
 */
export function syncLabels(side: {
  from: string;
  to: string;
  fromCommit?: string;
  toCommit?: string;
  answersBefore: Answers;
  answersAfter: Answers;
}): SideLabels {
  const base = `template ${side.from}`;
  const theirs = `template ${side.to}`;
  const answers = changedAnswers(side.answersBefore, side.answersAfter);
  if (side.from !== side.to) return { ours: 'yours', base, theirs: answers ? `${theirs} (${answers})` : theirs };
  if (answers) return { ours: 'yours', base: `${base} (answers before)`, theirs: `${theirs} (${answers})` };
  const short = (c?: string) => (c ? show(c).slice(0, 12) : 'unknown commit');
  if (side.fromCommit !== side.toCommit) return { ours: 'yours', base: `${base} (${short(side.fromCommit)})`, theirs: `${theirs} (${short(side.toCommit)})` };
  return { ours: 'yours', base, theirs };
}

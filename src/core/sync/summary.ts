/**
 * What a sync did, or would do, as Markdown: the body of a template-update pull request.
 * Pure: built from values sync already has, so the same data goes to --json and to the page.
 */
import { toolContext } from '../tool.js';
import { compareVersions } from '../template/semver.js';
import type { AnswerValue, Answers } from '../template/types.js';
import type { FileOutcome, FileStatus } from './plan.js';
import { migrationNotesPath, type Migration } from '../template/migrations.js';

export interface ReleaseNote {
  version: string;
  notes: string;
}

export interface AnswerChange {
  key: string;
  value: AnswerValue;
  /** set: given with --set; default: a question new in this version took its default; dropped: the version no longer asks it; migration: a template migration renamed or set it. */
  how: 'set' | 'default' | 'dropped' | 'migration';
}

export interface SummaryInput {
  project: string;
  template: string;
  from: string;
  to: string;
  mode: 'sync' | 'dry-run' | 'check';
  behind: boolean;
  outcomes: readonly FileOutcome[];
  notes: readonly ReleaseNote[];
  answers: readonly AnswerChange[];
  /** Template migrations crossed: their notes are instructions for whoever reviews the update. */
  migrations?: readonly Migration[];
  error?: string;
}

/** The changelog entries of the versions after `from` up to and including `to`, oldest first. */
export function crossedNotes(changelog: Readonly<Record<string, string>> | undefined, from: string, to: string): ReleaseNote[] {
  if (!changelog) return [];
  return Object.entries(changelog)
    .filter(([v]) => compareVersions(v, from) > 0 && compareVersions(v, to) <= 0)
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([version, notes]) => ({ version, notes }));
}

/** Answers the sync did not take from the manifest: new questions defaulted, --set values, dropped questions. */
export function answerChanges(recorded: Answers, resolved: Answers, set: Readonly<Record<string, unknown>>, migrated: Answers = recorded): AnswerChange[] {
  const out: AnswerChange[] = [];
  for (const [key, value] of Object.entries(resolved)) {
    if (Object.hasOwn(set, key)) out.push({ key, value, how: 'set' });
    else if (Object.hasOwn(migrated, key) && JSON.stringify(migrated[key]) !== JSON.stringify(recorded[key])) out.push({ key, value, how: 'migration' });
    else if (!Object.hasOwn(recorded, key)) out.push({ key, value, how: 'default' });
  }
  for (const [key, value] of Object.entries(recorded)) if (!Object.hasOwn(resolved, key)) out.push({ key, value, how: 'dropped' });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A code span that no path can break out of: control characters shown, fence longer than any backtick run. */
export function code(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

const GROUPS: [FileStatus, string][] = [
  ['conflict', 'In conflict (resolve before merging)'],
  ['updated', 'Updated'],
  ['merged', 'Merged with your changes'],
  ['added', 'Added'],
  ['removed', 'Removed'],
  ['renamed', 'Renamed'],
  ['kept', 'Kept as yours'],
  ['skipped', 'Skipped (project-owned, or in the ignore list)'],
];

const show = (v: AnswerValue) => (Array.isArray(v) ? v.join(', ') || '(none)' : v === null ? '(not asked)' : String(v));

export function conflictFiles(outcomes: readonly FileOutcome[]): string[] {
  return outcomes.filter((o) => o.status === 'conflict').map((o) => o.path);
}

export function summaryMarkdown(s: SummaryInput): string {
  const lines: string[] = [];
  const arrow = `${s.from} → ${s.to}`;
  lines.push(`## Template update: ${code(s.template)} ${arrow}`, '');
  if (s.error) {
    lines.push(`${code(s.project)}: sync failed: ${s.error.replace(/\s+/g, ' ')}`, '');
    return `${lines.join('\n')}\n`;
  }
  if (!s.behind) {
    lines.push(`${code(s.project)} is up to date with ${code(s.template)} ${s.to}.`, '');
    return `${lines.join('\n')}\n`;
  }
  const verb = s.mode === 'sync' ? 'brought' : 'would bring';
  lines.push(`\`create-migration sync\` ${verb} ${code(s.project)} from template version ${s.from} to ${s.to}.`);
  lines.push('', `To rerun it locally, or to preview it: \`npx ${toolContext().spec} sync --dry-run\` (this project's CI pins the same version).`);
  const conflicts = conflictFiles(s.outcomes);
  if (conflicts.length) {
    lines.push('', `**${conflicts.length} file(s) in conflict.** Both the project and the template changed the same lines, and the files carry conflict markers. Resolve each one before merging:`, '');
    for (const o of s.outcomes.filter((x) => x.status === 'conflict')) lines.push(`- [ ] ${code(o.path)}${o.note ? ` (${o.note.replace(/\s+/g, ' ')})` : ''}`);
  }
  const withNotes = (s.migrations ?? []).filter((m) => m.notes);
  if (withNotes.length) {
    lines.push('', '### Migration notes: to do for this update', '');
    for (const m of withNotes) lines.push(`#### ${m.version}`, '', m.notes!.trimEnd(), '', `(also in ${code(migrationNotesPath(m.version))})`, '');
  }
  lines.push('', '### Release notes', '');
  if (!s.notes.length) lines.push('The template has no release notes for these versions.');
  for (const n of s.notes) lines.push(`#### ${n.version}`, '', n.notes.trimEnd(), '');
  lines.push('', '### Files', '');
  const counted = s.outcomes.filter((o) => o.status !== 'unchanged');
  if (!counted.length) lines.push('No file changes: only the manifest records the new version.');
  for (const [status, title] of GROUPS) {
    const group = counted.filter((o) => o.status === status);
    if (!group.length || status === 'conflict') continue;
    lines.push(`<details${status === 'kept' || status === 'skipped' ? '' : ' open'}><summary>${title} (${group.length})</summary>`, '');
    for (const o of group) lines.push(`- ${o.from ? `${code(o.from)} → ` : ''}${code(o.path)}${o.note ? ` (${o.note.replace(/\s+/g, ' ')})` : ''}`);
    lines.push('', '</details>', '');
  }
  if (s.answers.length) {
    lines.push('', '### Answers', '', '| question | answer | how |', '| --- | --- | --- |');
    const how = { set: 'given with --set', default: 'new question: default taken', dropped: 'no longer asked', migration: 'by a template migration' };
    for (const a of s.answers) lines.push(`| ${code(a.key)} | ${code(show(a.value)).replace(/\|/g, '\\|')} | ${how[a.how]} |`);
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workflowGenerator, workflowSpec } from '../../flows/generators/workflow.js';
import { assessmentRegion, replaceRegion, REGION_END, REGION_START, textReport } from '../../core/assess/report.js';
import { buildInventory, type Inventory } from '../../core/assess/scan.js';
import { answersOf } from '../../core/assess/suggest.js';
import type { Access, Schedule } from '../../core/assess/types.js';
import { DEFAULT_LIMITS, walk } from '../../edge/assess-walk.js';
import { InputError } from '../../core/errors.js';
import { exitCodeOf } from '../exit.js';
import { atomicWriteSync } from '../../edge/apply.js';
import { MANIFEST_PATH, parseManifest } from '../../core/manifest.js';
import { bold, dim, printJson, say } from '../output.js';

export interface AssessFlags {
  json?: boolean;
  answersOut?: string;
  write?: boolean;
  workflows?: boolean;
  project?: string;
  maxFiles?: string;
}

const ASSESSMENT = 'docs/assessment.md';

/** Reads the legacy folders into an inventory (shared with `create-migration --assess`). */
export function assessFolders(dirs: string[], cwd: string, maxFiles = DEFAULT_LIMITS.maxFiles, flag = '<legacy-dir>'): Inventory & { truncated: boolean; skipped: Record<string, number> } {
  const progress = (n: number) => say(dim(`assess: ${n} files read...`));
  const w = walk(dirs, cwd, { ...DEFAULT_LIMITS, maxFiles }, progress, flag);
  const notes = [...w.notes];
  if (w.truncated) notes.unshift({ file: dirs.join(' '), note: `stopped after ${maxFiles} files (--max-files); the rest was not read` });
  return { ...buildInventory(w.sources, notes), truncated: w.truncated, skipped: w.skipped };
}

function projectRoot(flags: AssessFlags, cwd: string): { root: string; answers: Record<string, unknown> } {
  const root = path.resolve(cwd, flags.project ?? '.');
  let text: string;
  try {
    text = readFileSync(path.join(root, MANIFEST_PATH), 'utf8');
  } catch {
    const flag = flags.write ? '--write' : '--workflows';
    throw new InputError(`${flags.project ? '--project' : flag}: ${root} has no ${MANIFEST_PATH}; run assess ${flag} inside a project made by create-migration, or name it with --project.`);
  }
  return { root, answers: parseManifest(text).answers };
}

const SOURCE_OF: Record<Access['kind'], (a: Access) => string | undefined> = {
  database: () => 'database',
  http: () => 'rest_api',
  transfer: () => 'sftp',
  queue: () => 'queue',
  file: (a) => (/\.(xlsx?|ods)$/i.test(a.target ?? '') || a.client === 'spreadsheet' ? 'spreadsheet' : 'csv'),
  mail: () => undefined,
};

/** A module name for a scheduled job: its script's name, else its unit's or its command's first word. */
export function jobName(s: Schedule): string {
  const base = (s.script ?? s.unit ?? s.command.split(/[\s;|&]+/).find((t) => /[A-Za-z]/.test(t) && !/^(source|cd|sudo|nice|\.)$/.test(t)) ?? 'job').split('/').pop()!;
  let name = base.replace(/\.[A-Za-z0-9]+$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(name)) name = `job_${name}`;
  return `legacy_${name}`.slice(0, 60).replace(/_+$/, '');
}

async function scaffoldWorkflows(inv: Inventory, root: string, projectAnswers: Record<string, unknown>) {
  const known = new Set(workflowSpec.questions.map((q) => q.key));
  const patterns = Array.isArray(projectAnswers.patterns) ? (projectAnswers.patterns as string[]) : ['etl'];
  const used = new Map<string, number>();
  const results: { name: string; schedule: string; timeZone: string; script?: string; pattern: string; files: string[]; skipped?: string }[] = [];
  for (const s of inv.schedules) {
    if (!s.cron) continue;
    const base = jobName(s);
    const k = (used.get(base) ?? 0) + 1;
    used.set(base, k);
    const name = k === 1 ? base : `${base}_${k}`;
    const own = inv.accesses.filter((a) => a.file === (s.script ?? s.file) && (s.script || a.line === s.line));
    const wanted = own.some((a) => a.kind === 'mail' || a.client === 'spool') ? 'reporting' : own.some((a) => a.kind === 'http') ? 'api' : 'etl';
    const pattern = patterns.includes(wanted) ? wanted : patterns.includes('etl') ? 'etl' : patterns[0]!;
    const sources = [...new Set(own.map((a) => SOURCE_OF[a.kind](a)).filter((x): x is string => !!x))];
    const answers: Record<string, unknown> = { name, pattern, ...(sources.length ? { sources: sources.join(',') } : {}) };
    // CONTRACT with the workflow generator: `schedule` (five cron fields) and `time_zone` (IANA or
    // empty) become its deploy/kubernetes/<name>-cronjob.yaml. Passed where the generator asks them.
    if (known.has('schedule')) answers.schedule = s.cron;
    if (known.has('time_zone')) answers.time_zone = s.timeZone ?? '';
    const entry = { name, schedule: s.cron, timeZone: s.timeZone ?? '', ...(s.script ? { script: s.script } : {}), pattern, files: [] as string[] };
    try {
      const r = await workflowGenerator.run({ project: root, answers, yes: true }, { cwd: root });
      entry.files = r.changes.map((c) => c.path);
      results.push(entry);
    } catch (e) {
      if (exitCodeOf(e) !== 2) throw e;
      results.push({ ...entry, skipped: (e as Error).message });
    }
  }
  return { results, scheduleCarried: known.has('schedule') };
}

export async function assessCommand(dirs: string[], flags: AssessFlags): Promise<number> {
  const cwd = process.cwd();
  const maxFiles = flags.maxFiles === undefined ? DEFAULT_LIMITS.maxFiles : Number(flags.maxFiles);
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new InputError(`--max-files: "${flags.maxFiles}" must be a whole number of files, 1 or more.`);
  const project = flags.write || flags.workflows ? projectRoot(flags, cwd) : undefined;
  let answersOut: string | undefined;
  if (flags.answersOut) {
    answersOut = path.resolve(cwd, flags.answersOut);
    if (existsSync(answersOut)) throw new InputError(`--answers-out: ${flags.answersOut} already exists; assess never replaces a file. Give a new name.`);
    if (!statOrFalse(path.dirname(answersOut))) throw new InputError(`--answers-out: the folder of ${flags.answersOut} does not exist.`);
  }
  let assessmentText: string | undefined;
  if (project && flags.write) {
    try {
      assessmentText = readFileSync(path.join(project.root, ASSESSMENT), 'utf8');
    } catch {
      throw new InputError(`--write: ${path.join(project.root, ASSESSMENT)} cannot be read; the project has no assessment to fill.`);
    }
    if (replaceRegion(assessmentText, '') === undefined) {
      throw new InputError(`--write: ${ASSESSMENT} has no ${REGION_START} ... ${REGION_END} region; add those two lines where the inventory should go (\`create-migration sync\` to a template version that has them brings them too).`);
    }
  }

  const inv = assessFolders(dirs, cwd, maxFiles);
  const written: string[] = [];
  if (answersOut) {
    const answers = answersOf(inv.suggestions);
    const text = /\.ya?ml$/i.test(answersOut) ? `${(await import('yaml')).stringify(answers)}` : `${JSON.stringify(answers, null, 2)}\n`;
    writeFileSync(answersOut, text, { flag: 'wx' });
    written.push(path.relative(cwd, answersOut) || answersOut);
  }
  if (project && assessmentText !== undefined) {
    const docs = path.join(project.root, 'docs');
    const link = (file: string, line: number) => `${path.relative(docs, path.resolve(cwd, file)).split(path.sep).map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}#L${line}`;
    const after = replaceRegion(assessmentText, assessmentRegion(inv, link))!;
    if (after !== assessmentText) {
      const full = path.join(project.root, ASSESSMENT);
      atomicWriteSync(full, Buffer.from(after), statSync(full).mode & 0o7777);
      written.push(path.relative(cwd, full) || ASSESSMENT);
    }
  }
  const workflows = project && flags.workflows ? await scaffoldWorkflows(inv, project.root, project.answers) : undefined;

  if (flags.json) {
    printJson({ ok: true, command: 'assess', dirs, ...inv, answers: answersOf(inv.suggestions), written, ...(workflows ? { workflows: workflows.results } : {}) });
    return 0;
  }
  for (const line of textReport(inv)) process.stdout.write(`${line}\n`);
  say(`${bold('Assessed')} ${inv.files.length} files: ${inv.schedules.length} schedules, ${inv.accesses.length} sources and sinks, ${inv.rules.length} rule candidates.${inv.truncated ? ' Stopped at --max-files.' : ''}`);
  const sk = inv.skipped;
  if (sk.binary || sk.large || sk.unreadable || sk.links) say(dim(`Skipped: ${sk.binary} binary, ${sk.large} too large, ${sk.unreadable} unreadable, ${sk.links} symbolic links.`));
  if (workflows) {
    for (const w of workflows.results) say(w.skipped ? `  skipped  ${w.name}: ${w.skipped}` : `  added    ${w.name} (${w.schedule}${w.timeZone ? ` ${w.timeZone}` : ''}): ${w.files.join(', ')}`);
    if (!workflows.scheduleCarried) say(dim('  This version of the workflow generator takes no schedule: the legacy schedules are in the table above and in docs/assessment.md.'));
  }
  if (written.length) say(dim(`Wrote ${written.join(', ')}.`));
  return 0;
}

function statOrFalse(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

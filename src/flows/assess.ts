import path from 'node:path';
import { assessmentRegion, replaceRegion, REGION_END, REGION_START } from '../core/assess/report.js';
import { buildInventory, type Inventory } from '../core/assess/scan.js';
import { answersOf } from '../core/assess/suggest.js';
import type { Access, Schedule } from '../core/assess/types.js';
import { InputError, isBadInput } from '../core/errors.js';
import { MANIFEST_PATH, parseManifest } from '../core/manifest.js';
import { writeNewFileSync } from '../edge/apply.js';
import { DEFAULT_LIMITS, walk } from '../edge/assess-walk.js';
import { exists, isFolder, readText } from '../edge/inputs.js';
import { ProjectSession } from '../edge/project/session.js';
import { workflowGenerator, workflowSpec } from './generators/workflow.js';

export interface AssessRequest {
  dirs: string[];
  cwd: string;
  maxFiles?: number;
  /** Write the suggested answers here (JSON, or YAML for .yaml); never over a file. */
  answersOut?: string;
  /** Fill the assess region of the project's docs/assessment.md. */
  write?: boolean;
  /** Add one workflow per scheduled job to the project. */
  workflows?: boolean;
  /** The project for write and workflows (default: cwd). */
  project?: string;
  /** Told every so many files read. */
  onProgress?: (files: number) => void;
}

export type AssessedInventory = Inventory & { truncated: boolean; skipped: Record<string, number> };

export interface ScaffoldedWorkflow {
  name: string;
  schedule: string;
  timeZone: string;
  script?: string;
  pattern: string;
  files: string[];
  skipped?: string;
}

export interface AssessResult {
  inventory: AssessedInventory;
  answers: Record<string, unknown>;
  /** Files written, relative to cwd. */
  written: string[];
  workflows?: { results: ScaffoldedWorkflow[]; scheduleCarried: boolean };
}

const ASSESSMENT = 'docs/assessment.md';

/** Reads the legacy folders into an inventory (shared with `create-migration --assess`). */
export function assessFolders(dirs: string[], cwd: string, maxFiles = DEFAULT_LIMITS.maxFiles, flag = '<legacy-dir>', onProgress?: (n: number) => void): AssessedInventory {
  const w = walk(dirs, cwd, { ...DEFAULT_LIMITS, maxFiles }, (n: number) => onProgress?.(n), flag);
  const notes = [...w.notes];
  if (w.truncated) notes.unshift({ file: dirs.join(' '), note: `stopped after ${maxFiles} files (--max-files); the rest was not read` });
  return { ...buildInventory(w.sources, notes), truncated: w.truncated, skipped: w.skipped };
}

function projectRoot(req: AssessRequest): { root: string; answers: Record<string, unknown> } {
  const root = path.resolve(req.cwd, req.project ?? '.');
  const flag = req.write ? '--write' : '--workflows';
  const text = readText(path.join(root, MANIFEST_PATH), () =>
    new InputError(`${req.project ? '--project' : flag}: ${root} has no ${MANIFEST_PATH}; run assess ${flag} inside a project made by create-migration, or name it with --project.`, 'project'),
  );
  return { root, answers: parseManifest(text).answers };
}

const SOURCE_OF: Record<Access['kind'], (a: Access) => string | undefined> = {
  database: () => 'database',
  http: () => 'rest_api',
  transfer: () => 'sftp',
  queue: () => 'queue',
  file: (a) => (/\.(xlsx?|ods)$/i.test(a.target ?? '') || a.client === 'spreadsheet' ? 'spreadsheet' : a.client === 'csv' || a.client === 'spool' || a.client === 'LOAD DATA' ? 'csv' : undefined),
  mail: () => undefined,
  storage: () => undefined,
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
      if (!isBadInput(e)) throw e;
      results.push({ ...entry, skipped: (e as Error).message });
    }
  }
  return { results, scheduleCarried: known.has('schedule') };
}

/** Reads legacy schedules, scripts, SQL and configuration; suggests answers; fills the project's assessment. */
export async function assess(req: AssessRequest): Promise<AssessResult> {
  const { cwd } = req;
  const maxFiles = req.maxFiles ?? DEFAULT_LIMITS.maxFiles;
  const project = req.write || req.workflows ? projectRoot(req) : undefined;
  let answersOut: string | undefined;
  if (req.answersOut) {
    answersOut = path.resolve(cwd, req.answersOut);
    if (exists(answersOut)) throw new InputError(`--answers-out: ${req.answersOut} already exists; assess never replaces a file. Give a new name.`);
    if (!isFolder(path.dirname(answersOut))) throw new InputError(`--answers-out: the folder of ${req.answersOut} does not exist.`);
  }
  let assessmentText: string | undefined;
  if (project && req.write) {
    assessmentText = readAssessment(project.root);
    if (replaceRegion(assessmentText, '') === undefined) {
      throw new InputError(`--write: ${ASSESSMENT} has no ${REGION_START} ... ${REGION_END} region; add those two lines where the inventory should go (\`create-migration sync\` to a template version that has them brings them too).`);
    }
  }

  const inv = assessFolders(req.dirs, cwd, maxFiles, undefined, req.onProgress);
  const written: string[] = [];
  if (answersOut) {
    const answers = answersOf(inv.suggestions);
    const text = /\.ya?ml$/i.test(answersOut) ? `${(await import('yaml')).stringify(answers)}` : `${JSON.stringify(answers, null, 2)}\n`;
    writeNewFileSync(answersOut, new TextEncoder().encode(text));
    written.push(path.relative(cwd, answersOut) || answersOut);
  }
  if (project && assessmentText !== undefined) {
    const docs = path.join(project.root, 'docs');
    const link = (file: string, line: number) => `${path.relative(docs, path.resolve(cwd, file)).split(path.sep).map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}#L${line}`;
    const region = assessmentRegion(inv, link);
    // Through the project session: under its lock and journal, like every write into a project.
    const session = await ProjectSession.open({ dir: project.root, label: '--project', write: true, manifest: 'optional' });
    try {
      const now = session.read(ASSESSMENT, 'assess --write');
      const before = now ? new TextDecoder().decode(now) : assessmentText;
      const after = replaceRegion(before, region) ?? before;
      if (after !== before) {
        await session.apply({ what: 'assess --write', writes: [{ path: ASSESSMENT, data: new TextEncoder().encode(after) }] });
        written.push(path.relative(cwd, path.join(project.root, ASSESSMENT)) || ASSESSMENT);
      }
    } finally {
      session.close();
    }
  }
  const workflows = project && req.workflows ? await scaffoldWorkflows(inv, project.root, project.answers) : undefined;

  return { inventory: inv, answers: answersOf(inv.suggestions), written, workflows };
}

function readAssessment(root: string): string {
  return readText(path.join(root, ASSESSMENT), () => new InputError(`--write: ${path.join(root, ASSESSMENT)} cannot be read; the project has no assessment to fill.`, ASSESSMENT));
}

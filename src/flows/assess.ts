import path from 'node:path';
import { assessmentRegion, replaceRegion, REGION_END, REGION_START } from '../core/assess/report.js';
import { buildInventory, type Inventory } from '../core/assess/scan.js';
import { answersOf } from '../core/assess/suggest.js';
import { InputError } from '../core/errors.js';
import { MANIFEST_PATH, parseManifest } from '../core/manifest.js';
import { writeNewFileSync } from '../edge/apply.js';
import { DEFAULT_LIMITS, walk } from '../edge/assess-walk.js';
import { exists, isFolder, readText } from '../edge/inputs.js';
import { ProjectSession } from '../edge/project/session.js';
import { loadProjectTemplate } from './add.js';
import { planLegacyJobs } from './legacy-jobs.js';
import { whoMoves } from '../edge/jobs-files.js';

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
  /** Who adds the jobs (default: git user.name, else $USER). */
  by?: string;
  /** Told every so many files read. */
  onProgress?: (files: number) => void;
}

export type AssessedInventory = Inventory & { truncated: boolean; skipped: Record<string, number> };

export interface ScaffoldedWorkflow {
  id: string;
  found_in: string;
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
  /** Legacy jobs already in jobs.yaml, and jobs in it not found this time (kept). */
  jobs?: { known: { job: string; found_in: string }[]; gone: { job: string; found_in: string }[] };
}

/** docs/assessment.md with its assess region filled, links relative to the doc; undefined without the region. */
export function filledAssessment(inv: Inventory, root: string, cwd: string, text: string): string | undefined {
  const docs = path.join(root, 'docs');
  const link = (file: string, line: number) => `${path.relative(docs, path.resolve(cwd, file)).split(path.sep).map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}#L${line}`;
  return replaceRegion(text, assessmentRegion(inv, link));
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

/** Reads legacy schedules, scripts, SQL and configuration; suggests answers; fills the project's assessment. */
export async function assess(req: AssessRequest): Promise<AssessResult> {
  const { cwd } = req;
  const maxFiles = req.maxFiles ?? DEFAULT_LIMITS.maxFiles;
  const project = req.write || req.workflows ? projectRoot(req) : undefined;
  const written: string[] = [];
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
  if (answersOut) {
    const answers = answersOf(inv.suggestions);
    const text = /\.ya?ml$/i.test(answersOut) ? `${(await import('yaml')).stringify(answers)}` : `${JSON.stringify(answers, null, 2)}\n`;
    writeNewFileSync(answersOut, new TextEncoder().encode(text));
    written.push(path.relative(cwd, answersOut) || answersOut);
  }
  let workflows: AssessResult['workflows'];
  let jobs: AssessResult['jobs'];
  if (project) {
    // Through the project session: the assessment, the jobs and their files in one journaled write.
    const session = await ProjectSession.open({ dir: project.root, label: '--project', write: true, manifest: 'optional' });
    try {
      const writes: { path: string; data: Uint8Array }[] = [];
      if (assessmentText !== undefined) {
        const now = session.read(ASSESSMENT, 'assess --write');
        const before = now ? new TextDecoder().decode(now) : assessmentText;
        const after = filledAssessment(inv, project.root, cwd, before) ?? before;
        if (after !== before) writes.push({ path: ASSESSMENT, data: new TextEncoder().encode(after) });
      }
      const plan = session.manifest
        ? await planLegacyJobs(session, await loadProjectTemplate(session.manifest), inv, { by: await whoMoves(session.root, req.by), at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), cwd })
        : undefined;
      if (plan) writes.push(...plan.writes);
      if (writes.length) await session.apply({ what: 'assess --write', writes });
      written.push(...writes.map((w) => path.relative(cwd, path.join(project.root, w.path)) || w.path));
      if (plan) {
        workflows = { results: plan.results, scheduleCarried: true };
        jobs = { known: plan.known, gone: plan.gone };
      }
    } finally {
      session.close();
    }
  }

  return { inventory: inv, answers: answersOf(inv.suggestions), written, workflows, jobs };
}

function readAssessment(root: string): string {
  return readText(path.join(root, ASSESSMENT), () => new InputError(`--write: ${path.join(root, ASSESSMENT)} cannot be read; the project has no assessment to fill.`, ASSESSMENT));
}

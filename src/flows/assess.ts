import path from 'node:path';
import { planAssessment, type Assessment } from '../core/assess/plan.js';
import { assessmentRegion, replaceRegion, REGION_END, REGION_START } from '../core/assess/report.js';
import { parseRules, type Rule } from '../core/assess/rules.js';
import { buildInventory } from '../core/assess/scan.js';
import { answersOf } from '../core/assess/suggest.js';
import { InputError } from '../core/errors.js';
import { MANIFEST_PATH, parseManifest } from '../core/manifest.js';
import { writeNewFileSync } from '../edge/apply.js';
import { DEFAULT_LIMITS, walk } from '../edge/assess-walk.js';
import { exists, isFolder, readText } from '../edge/inputs.js';
import { ProjectSession } from '../edge/project/session.js';
import { loadProjectTemplate, type AddSpec } from './add.js';
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
  /** Rules files (`--rules FILE`, repeatable): patterns for in-house tools. */
  rules?: string[];
  /** Who adds the jobs (default: git user.name, else $USER). */
  by?: string;
  /** Told every so many files read. */
  onProgress?: (files: number) => void;
  /**
   * The generator each scheduled legacy job becomes (in a project): `add workflow`'s spec from
   * generators/, handed in by the CLI, since a flow never imports the floor above it.
   */
  workflow: AddSpec;
}

/** The rules file a project keeps at its root; assess picks it up in project mode (--write, --workflows, --project). */
export const PROJECT_RULES = 'assess-rules.yaml';

export type AssessedInventory = Assessment & { truncated: boolean; skipped: Record<string, number> };

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
export function filledAssessment(inv: Assessment, root: string, cwd: string, text: string): string | undefined {
  const docs = path.join(root, 'docs');
  // A link only to a file inside the project: a path out of it (`../../legacy/...`) is dead once the
  // project is pushed, so it is shown as text instead.
  const link = (file: string, line: number) => {
    const target = path.resolve(cwd, file);
    const inside = path.relative(root, target);
    if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
    return `${path.relative(docs, target).split(path.sep).map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}#L${line}`;
  };
  return replaceRegion(text, assessmentRegion(inv, link));
}

const ASSESSMENT = 'docs/assessment.md';

/** Reads the legacy folders into an inventory (shared with `create-migration --assess`). */
export function assessFolders(dirs: string[], cwd: string, maxFiles = DEFAULT_LIMITS.maxFiles, flag = '<legacy-dir>', onProgress?: (n: number) => void, rules: { custom: Rule[]; files: string[] } = { custom: [], files: [] }): AssessedInventory {
  const w = walk(dirs, cwd, { ...DEFAULT_LIMITS, maxFiles }, (n: number) => onProgress?.(n), flag);
  const notes = [...w.notes];
  if (w.truncated) notes.unshift({ file: dirs.join(' '), note: `stopped after ${maxFiles} files (--max-files); the rest was not read` });
  return { ...planAssessment(buildInventory(w.sources, notes), w.sources, rules), truncated: w.truncated, skipped: w.skipped };
}

/** Reads `--rules` files and the project's assess-rules.yaml; a malformed one is exit 2 naming the rule and the field. */
export function loadRules(files: readonly string[], cwd: string, projectRoot?: string): { custom: Rule[]; files: string[] } {
  const custom: Rule[] = [];
  const used: string[] = [];
  const take = (file: string, origin: string) => {
    const text = readText(file, (why) => new InputError(`${origin}: cannot be read (${why === 'ENOENT' ? 'no such file' : why}).`, 'rules'));
    for (const r of parseRules(text, origin)) {
      const twin = custom.find((c) => c.id === r.id);
      if (twin) throw new InputError(`${origin}: rule id "${r.id}" is also in ${twin.origin}; ids are unique across rules files.`, 'rules');
      custom.push(r);
    }
    used.push(path.relative(cwd, file) || file);
  };
  if (projectRoot && exists(path.join(projectRoot, PROJECT_RULES))) take(path.join(projectRoot, PROJECT_RULES), path.relative(cwd, path.join(projectRoot, PROJECT_RULES)) || PROJECT_RULES);
  for (const f of files) take(path.resolve(cwd, f), `--rules ${f}`);
  return { custom, files: used };
}

function projectRoot(req: AssessRequest): { root: string; answers: Record<string, unknown> } {
  const root = path.resolve(req.cwd, req.project ?? '.');
  const flag = req.write ? '--write' : '--workflows';
  const text = readText(path.join(root, MANIFEST_PATH), () =>
    new InputError(`${req.project ? '--project' : flag}: ${root} has no ${MANIFEST_PATH}; run assess ${flag} inside a project made by create-migration, or name it with --project.`, 'project'),
  );
  return { root, answers: parseManifest(text).answers };
}

export { jobName } from '../core/assess/jobs.js';

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

  const rules = loadRules(req.rules ?? [], cwd, project?.root);
  const inv = assessFolders(req.dirs, cwd, maxFiles, undefined, req.onProgress, rules);
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
        ? await planLegacyJobs(session, await loadProjectTemplate(session.manifest), inv, { by: await whoMoves(session.root, req.by), at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), cwd, workflow: req.workflow })
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

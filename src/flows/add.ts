import path from 'node:path';
import { resolveAnswers } from '../core/answers/resolve.js';
import { insertAfterMarker, registerRow, type MarkedLine, type Registration } from '../core/register.js';
import { InputError } from '../core/errors.js';
import type { GeneratorContext, GeneratorResult } from './types.js';
import { ProjectSession } from '../edge/project/session.js';
import { loadFromSource, openSource } from '../edge/template-source.js';
import type { Manifest } from '../core/manifest.js';
import type { Job } from '../core/jobs/schema.js';
import { jobRegistrationWrites } from './job-registration.js';
import { whoMoves } from '../edge/jobs-files.js';
import { prepareTemplate } from '../edge/parse-trees.js';
import { recordedToolVersion } from '../core/tool.js';
import { planRender } from '../core/template/plan.js';
import type { Answers, LoadedTemplate, Question, TemplateSpec } from '../core/template/types.js';

export interface AddOptions {
  /** The project folder (default: the current one). */
  project?: string;
  /** Answers given up front (`add workflow billing --pattern etl` gives name and pattern; a file, --set). */
  answers?: Record<string, unknown>;
  /** Where each of `answers` came from (a flag name), for messages. */
  origins?: Record<string, string>;
  yes?: boolean;
  dryRun?: boolean;
}

/** What an `add` generator declares: its questions, its folder in the template, and its registration. */
export interface AddSpec {
  name: string;
  description: string;
  questions: Question[];
  /** The folder under the template's generators/ to render, from the answers. */
  folder(answers: Answers): string;
  /** Extra render context (names derived from the answers); throws InputError for bad names. */
  derive(answers: Answers, project: Answers): Record<string, unknown>;
  register?(ctx: Record<string, unknown>): Registration;
  /** The job the piece is, for jobs.yaml (a workflow with its CronJob). */
  job?(ctx: Record<string, unknown>, project: Answers): { entry: Job } | undefined;
  /** Defaults of its questions taken from the project's answers (asked with these shown). */
  projectDefaults?(project: Answers): Record<string, Question['default']>;
  /** Lines the piece needs in existing project files (its console script, its dependency). */
  lines?(ctx: Record<string, unknown>, existing: (file: string) => string): MarkedLine[];
}

export async function loadProjectTemplate(manifest: Manifest) {
  const src = await openSource(manifest.template.source);
  try {
    const { template } = await loadFromSource(src, manifest.template.commit ?? manifest.template.ref);
    return template;
  } finally {
    await src.cleanup?.();
  }
}

async function generatorTemplate(t: LoadedTemplate, folder: string): Promise<LoadedTemplate> {
  const prefix = `${folder}/`;
  const files = new Map([...(t.generators ?? [])].filter(([p]) => p.startsWith(prefix)).map(([p, d]) => [p.slice(prefix.length), d]));
  if (!files.size) throw new InputError(`template ${t.spec.name}: has no generators/${folder}/ folder for this generator.`);
  // Its paths lost the folder prefix, so they are new texts to parse.
  return prepareTemplate({ spec: t.spec, files });
}

/** A generator's questions, with the defaults it takes from the project's answers. */
function questionsFor(spec: AddSpec, project: Answers): Question[] {
  const defaults = spec.projectDefaults?.(project) ?? {};
  return spec.questions.map((q) => (Object.hasOwn(defaults, q.key) ? { ...q, default: defaults[q.key] } : q));
}

/** A generator's answers, given in full (no terminal): validated as `add` validates them. */
export function resolveAddAnswers(template: LoadedTemplate, spec: AddSpec, provided: Record<string, unknown>, root: string, project: Answers = {}): Promise<Answers> {
  const genSpec: TemplateSpec = { ...template.spec, name: `add ${spec.name}`, questions: questionsFor(spec, project) };
  return resolveAnswers(genSpec, { provided, dirName: path.basename(root), useDefaults: true });
}

/** A generator's files for resolved answers (with extra render context), not yet written. */
export async function renderAddition(template: LoadedTemplate, spec: AddSpec, answers: Answers, projectAnswers: Answers, more: Record<string, unknown> = {}, toolVersion?: string) {
  const extra = { ...spec.derive(answers, projectAnswers), ...more };
  const planned = planRender(await generatorTemplate(template, spec.folder(answers)), projectAnswers, { ...extra, toolVersion });
  return { extra, planned };
}

/**
 * Runs an `add` generator: renders its files with the project's recorded answers plus its own,
 * refuses to replace anything, and writes everything (new files and the registration) atomically.
 */
export async function runAdd(spec: AddSpec, opts: AddOptions, ctx: GeneratorContext): Promise<GeneratorResult> {
  // add writes under the lock and the journal, as sync does: never beside a running sync, and
  // never over the journal of a killed one (which the session rolls back first).
  const session = await ProjectSession.open({ dir: path.resolve(ctx.cwd, opts.project ?? '.'), label: '--project', write: !opts.dryRun, manifest: 'required' });
  try {
    return await addIn(session, spec, opts, ctx);
  } finally {
    session.close();
  }
}

async function addIn(session: ProjectSession, spec: AddSpec, opts: AddOptions, ctx: GeneratorContext): Promise<GeneratorResult> {
  const { root } = session;
  const manifest = session.manifest!;
  const template = await loadProjectTemplate(manifest);
  const genSpec: TemplateSpec = { ...template.spec, name: `add ${spec.name}`, questions: questionsFor(spec, manifest.answers) };
  const answers = await resolveAnswers(genSpec, {
    provided: opts.answers ?? {},
    origins: opts.origins,
    dirName: path.basename(root),
    useDefaults: opts.yes === true,
    ask: opts.yes ? undefined : ctx.ask,
  });
  // Added files pin the tool version the project was made or last synced with, as its CI does.
  const { extra, planned } = await renderAddition(template, spec, answers, manifest.answers, {}, recordedToolVersion(manifest.generator));
  const existing: string[] = [];
  for (const f of planned) if (session.exists(f.path, `add ${spec.name}`)) existing.push(f.path);
  if (existing.length) {
    throw new InputError(`${spec.name}: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; add never replaces a file. Pick another name.`);
  }
  const writes = planned.map((f) => ({ path: f.path, data: f.data }));
  const changes: GeneratorResult['changes'] = planned.map((f) => ({ type: 'add', path: f.path, bytes: f.data.length }));
  const packageName = String(manifest.answers.project_name ?? '').replace(/-/g, '_');
  const reg = spec.register?.({ package_name: packageName, ...extra });
  if (reg) {
    const found = session.read(reg.file, `add ${spec.name}`);
    const before = found ? new TextDecoder().decode(found) : '';
    const after = new TextEncoder().encode(registerRow(before, reg));
    writes.push({ path: reg.file, data: after });
    changes.push({ type: before ? 'modify' : 'add', path: reg.file, bytes: after.length });
  }
  if (spec.job && extra.job_by === undefined) extra.job_by = await whoMoves(root, undefined);
  const job = spec.job?.(extra, manifest.answers);
  if (job) {
    // Every scheduled workflow has its entry in jobs.yaml, and its CronJob in the kustomization.
    for (const w of jobRegistrationWrites((p) => session.read(p, `add ${spec.name}`), [job.entry])) {
      writes.push(w);
      changes.push({ type: session.exists(w.path, `add ${spec.name}`) ? 'modify' : 'add', path: w.path, bytes: w.data.length });
    }
  }
  const readText = (file: string) => {
    const found = writes.find((w) => w.path === file)?.data ?? session.read(file, `add ${spec.name}`);
    return found ? new TextDecoder().decode(found) : '';
  };
  for (const marked of spec.lines?.({ package_name: packageName, ...manifest.answers, ...extra }, readText) ?? []) {
    const before = readText(marked.file);
    const after = insertAfterMarker(before, marked);
    if (after === before) continue;
    const data = new TextEncoder().encode(after);
    const i = writes.findIndex((w) => w.path === marked.file);
    if (i >= 0) writes[i] = { path: marked.file, data };
    else writes.push({ path: marked.file, data });
    if (!changes.some((c) => c.path === marked.file)) changes.push({ type: 'modify', path: marked.file, bytes: data.length });
    else changes.find((c) => c.path === marked.file)!.bytes = data.length;
  }
  if (!opts.dryRun) {
    await session.apply({ what: `add ${spec.name}`, writes });
  }
  return { dir: root, changes, dryRun: opts.dryRun === true, details: { generator: spec.name, answers } };
}

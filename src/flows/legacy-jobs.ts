/**
 * From what assess read to a working project: per legacy job with a schedule, one entry in
 * jobs.yaml, one workflow module (its docstring naming the line and script it replaces), its test
 * and one suspended CronJob with the legacy schedule and zone. Jobs already in the inventory are
 * matched, never added twice; a job no longer found is reported, never removed. The writes are
 * returned for the caller's one journaled apply.
 */
import path from 'node:path';
import type { Assessment } from '../core/assess/plan.js';
import type { Access, Schedule } from '../core/assess/types.js';
import { isBadInput } from '../core/errors.js';
import { foundIn, legacyOf, matchSchedules, namesFor, readinessOf, replacesLine } from '../core/jobs/from-assess.js';
import type { Job } from '../core/jobs/schema.js';
import { registerRow } from '../core/register.js';
import type { LoadedTemplate } from '../core/template/types.js';
import { readJobs, whoMoves } from '../edge/jobs-files.js';
import { commitPaths } from '../edge/git/worktree.js';
import { ProjectSession } from '../edge/project/session.js';
import { jobName } from '../core/assess/jobs.js';
import { recordedToolVersion } from '../core/tool.js';
import { loadProjectTemplate, renderAddition, resolveAddAnswers, type AddSpec } from './add.js';
import { filledAssessment } from './assess.js';
import { jobRegistrationWrites } from './job-registration.js';

const SOURCE_OF: Record<Access['kind'], (a: Access) => string | undefined> = {
  database: () => 'database',
  http: () => 'rest_api',
  transfer: () => 'sftp',
  queue: () => 'queue',
  file: (a) => (/\.(xlsx?|ods)$/i.test(a.target ?? '') || a.client === 'spreadsheet' ? 'spreadsheet' : a.client === 'csv' || a.client === 'spool' || a.client === 'LOAD DATA' ? 'csv' : undefined),
  mail: () => undefined,
  storage: () => undefined,
};

/** The samples of the template, by pattern: replaced by legacy jobs of that pattern. */
const SAMPLES: Record<string, string> = { etl: 'etl_pipeline', api: 'api_integration', reporting: 'report_generation' };

export { jobName };

export interface AddedJob {
  id: string;
  name: string;
  schedule: string;
  timeZone: string;
  script?: string;
  found_in: string;
  pattern: string;
  files: string[];
  skipped?: string;
}

export interface LegacyPlan {
  writes: { path: string; data: Uint8Array }[];
  deletes: string[];
  results: AddedJob[];
  known: { job: string; found_in: string }[];
  gone: { job: string; found_in: string }[];
  /** Sample CronJobs left out: a legacy job covers their pattern. */
  samplesDropped: string[];
}

export interface LegacyOptions {
  by: string;
  at: string;
  /** A new project: drop the sample CronJobs of patterns a legacy job covers. */
  dropSamples?: boolean;
  /** The folder assess's paths are relative to: found_in and script are written relative to the project. */
  cwd: string;
  /**
   * The generator each legacy job is rendered with: `add workflow`'s spec (generators/workflow.ts),
   * handed in by the caller, since a flow never imports generators/ (the floor above it).
   */
  workflow: AddSpec;
}

export async function planLegacyJobs(session: ProjectSession, template: LoadedTemplate, inv: Assessment, opts: LegacyOptions): Promise<LegacyPlan> {
  const workflowSpec = opts.workflow;
  const project = session.manifest?.answers ?? {};
  const pkg = String(project.project_name ?? '').replace(/-/g, '_');
  const patterns = Array.isArray(project.patterns) ? (project.patterns as string[]) : ['etl'];
  const existing = (await readJobs(session))?.inventory.jobs ?? [];
  // Places relative to the project, whatever folder assess ran in: a later run matches them.
  const rel = (f: string) => path.relative(session.root, path.resolve(opts.cwd, f)).split(path.sep).join('/') || f;
  const original = new Map<Schedule, Schedule>();
  const schedules = inv.schedules.map((s) => {
    const m = { ...s, file: rel(s.file), ...(s.script ? { script: rel(s.script) } : {}) };
    original.set(m, s);
    return m;
  });
  const match = matchSchedules(schedules, existing);
  const taken = { ids: new Set(existing.map((j) => j.id)), workflows: new Set(existing.map((j) => j.workflow)) };
  const utf8 = new TextDecoder();
  let mapping = (() => {
    const d = session.read('docs/kailash-mapping.md', 'assess');
    return d ? utf8.decode(d) : undefined;
  })();
  const mappingBefore = mapping;
  const writes: LegacyPlan['writes'] = [];
  const results: AddedJob[] = [];
  const jobs: Job[] = [];
  const covered = new Set<string>();
  const planned = new Set<string>();
  for (const s of match.fresh) {
    const o = original.get(s)!;
    const own = inv.accesses.filter((a) => a.file === (o.script ?? o.file) && (o.script || a.line === o.line));
    const wanted = own.some((a) => a.kind === 'mail' || a.client === 'spool') ? 'reporting' : own.some((a) => a.kind === 'http') ? 'api' : 'etl';
    const pattern = patterns.includes(wanted) ? wanted : patterns.includes('etl') ? 'etl' : patterns[0]!;
    const sources = [...new Set(own.map((a) => SOURCE_OF[a.kind](a)).filter((x): x is string => !!x))];
    // A module or CronJob already on disk (a workflow added by hand) is never replaced: next name.
    let names = namesFor(jobName(s), taken);
    while (session.exists(`src/${pkg}/workflows/${names.workflow}.py`, 'assess') || session.exists(`deploy/kubernetes/${names.workflow}-cronjob.yaml`, 'assess')) names = namesFor(jobName(s), taken);
    const legacy = legacyOf(s);
    const entry: AddedJob = { id: names.id, name: names.workflow, schedule: s.cron!, timeZone: s.timeZone ?? '', ...(s.script ? { script: s.script } : {}), found_in: foundIn(s), pattern, files: [] };
    try {
      const answers = await resolveAddAnswers(template, workflowSpec, { name: names.workflow, pattern, ...(sources.length ? { sources: sources.join(',') } : {}), schedule: s.cron, time_zone: s.timeZone ?? '' }, session.root, project);
      const readiness = readinessOf(s);
      const { extra, planned: files } = await renderAddition(template, workflowSpec, answers, project, {
        job_id: names.id,
        legacy_from: replacesLine(legacy),
        legacy,
        ...(readiness ? { readiness } : {}),
        job_at: opts.at,
        job_by: opts.by,
        job_reason: `found by assess in ${foundIn(s)}`,
      }, recordedToolVersion(session.manifest?.generator));
      const clash = files.find((f) => planned.has(f.path) || session.exists(f.path, 'assess'));
      if (clash) throw Object.assign(new Error(`${clash.path} already exists`), { bad: true });
      for (const f of files) {
        planned.add(f.path);
        writes.push({ path: f.path, data: f.data });
      }
      const reg = workflowSpec.register?.({ package_name: pkg, ...extra });
      if (reg && mapping !== undefined) mapping = registerRow(mapping, reg);
      jobs.push(workflowSpec.job!(extra, project)!.entry);
      entry.files = files.map((f) => f.path);
      covered.add(pattern);
      results.push(entry);
    } catch (e) {
      if (!isBadInput(e) && !(e as { bad?: boolean }).bad) throw e;
      taken.ids.delete(names.id);
      taken.workflows.delete(names.workflow);
      results.push({ ...entry, skipped: (e as Error).message });
    }
  }
  for (const s of match.noCron) {
    results.push({ id: '', name: jobName(s), schedule: '', timeZone: s.timeZone ?? '', found_in: foundIn(s), pattern: '', files: [], skipped: `its schedule "${s.expression}" has no cron form; add it by hand (\`create-migration add workflow --schedule ...\`)` });
  }
  for (const k of match.known) {
    const j = existing.find((x) => x.id === k.job)!;
    results.push({ id: j.id, name: j.workflow, schedule: k.schedule.cron ?? '', timeZone: k.schedule.timeZone ?? '', found_in: foundIn(k.schedule), pattern: '', files: [], skipped: `already in jobs.yaml (job ${j.id})` });
  }
  if (mapping !== undefined && mapping !== mappingBefore) writes.push({ path: 'docs/kailash-mapping.md', data: new TextEncoder().encode(mapping) });
  const deletes: string[] = [];
  const samplesDropped: string[] = [];
  if (opts.dropSamples) {
    for (const p of covered) {
      const sample = SAMPLES[p];
      const file = sample && `deploy/kubernetes/${sample}-cronjob.yaml`;
      if (file && session.exists(file, 'assess') && !existing.some((j) => j.cronjob === file)) {
        deletes.push(file);
        samplesDropped.push(file);
      }
    }
  }
  if (jobs.length) writes.push(...jobRegistrationWrites((p) => session.read(p, 'assess'), jobs, samplesDropped.map((f) => f.slice('deploy/kubernetes/'.length))));
  return {
    writes,
    deletes,
    results,
    known: match.known.map((k) => ({ job: k.job, found_in: foundIn(k.schedule) })),
    gone: match.gone.map((j) => ({ job: j.id, found_in: j.legacy.found_in })),
    samplesDropped,
  };
}

export interface NewProjectJobs {
  results: AddedJob[];
  samplesDropped: string[];
  written: string[];
  commit?: string;
}

/**
 * `create-migration <dir> --assess <legacy>`: the new project gets its legacy jobs, its filled
 * assessment and, when generate committed, a second commit with them. One journaled write.
 */
export async function addLegacyJobs(root: string, inv: Assessment, workflow: AddSpec, cwd: string, opts: { commit: boolean; by?: string }): Promise<NewProjectJobs> {
  const session = await ProjectSession.open({ dir: root, write: true, manifest: 'required' });
  try {
    const writes: { path: string; data: Uint8Array }[] = [];
    const doc = session.read('docs/assessment.md', '--assess');
    if (doc) {
      const before = new TextDecoder().decode(doc);
      const after = filledAssessment(inv, session.root, cwd, before);
      if (after !== undefined && after !== before) writes.push({ path: 'docs/assessment.md', data: new TextEncoder().encode(after) });
    }
    const template = await loadProjectTemplate(session.manifest!);
    const plan = await planLegacyJobs(session, template, inv, { by: await whoMoves(session.root, opts.by), at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), dropSamples: true, cwd, workflow });
    writes.push(...plan.writes);
    const paths = [...writes.map((w) => w.path), ...plan.deletes];
    let commit: string | undefined;
    if (writes.length || plan.deletes.length) {
      await session.apply({
        what: '--assess',
        writes,
        deletes: plan.deletes,
        git: opts.commit
          ? {
              touchesIndex: true,
              after: async () => {
                const added = plan.results.filter((r) => !r.skipped).length;
                commit = await commitPaths(session.root, paths, `Add the legacy jobs found by assess (${added})\n\njobs.yaml, one workflow and one suspended CronJob per scheduled legacy job, and docs/assessment.md filled in.`);
              },
            }
          : undefined,
      });
    }
    return { results: plan.results, samplesDropped: plan.samplesDropped, written: paths, ...(commit ? { commit } : {}) };
  } finally {
    session.close();
  }
}

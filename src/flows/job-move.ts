/**
 * `job <id> --to <state>`: a move through the cutover that edits jobs.yaml and the job's CronJob
 * in one journaled write (both files or neither). Apart from ./jobs.ts so that a look at the jobs
 * loads none of what a write needs (the lock, the journal, git). When the inventory of these very
 * jobs.yaml bytes is cached (edge/jobs-cache.ts) and the file is in the subset whose lines a move
 * can edit exactly (core/jobs/move-text.ts), and the CronJob's text edit applies, a move loads no
 * YAML library: anything else goes through the parsed document, as before.
 */
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { cronJobTextForState } from '../core/jobs/cronjob-text.js';
import { legacyOffSteps } from '../core/jobs/from-assess.js';
import { moveByText } from '../core/jobs/move-text.js';
import { decideMove } from '../core/jobs/moves.js';
import type { ParsedJobs } from '../core/jobs/parse.js';
import { JOBS_FILE, type Job, type JobState } from '../core/jobs/schema.js';
import { dnsName } from '../core/template/formats.js';
import { lookupInventory, storeInventory } from '../edge/jobs-cache.js';
import { parseBytes, readEvidence, readJobsBytes, whoMoves } from '../edge/jobs-files.js';
import { ProjectSession } from '../edge/project/session.js';

export interface MoveJobRequest {
  dir: string;
  id: string;
  to: string;
  reason?: string;
  force?: boolean;
  by?: string;
  now?: Date;
}

export interface MoveJobResult {
  root: string;
  id: string;
  from: JobState;
  to: JobState;
  forced: boolean;
  /** Gate problems a forced move skipped. */
  skipped: string[];
  written: string[];
  /** What to disable on the legacy host (moving to legacy_off). */
  legacyOff?: string[];
  notes: string[];
}

function packageOf(answers: Record<string, unknown> | undefined): string | undefined {
  const name = answers?.project_name;
  return typeof name === 'string' && /^[a-z][a-z0-9_-]*$/.test(name) ? name.replace(/-/g, '_') : undefined;
}

export async function moveJob(req: MoveJobRequest): Promise<MoveJobResult> {
  // Who moves: from git's config files, or git asked while the session opens and the YAML is read.
  const by = whoMoves(path.resolve(req.dir), req.by);
  const session = await ProjectSession.open({ dir: req.dir, label: '--project', write: true, manifest: 'optional' });
  try {
    const data = readJobsBytes(session);
    if (!data) throw new InputError(`${JOBS_FILE}: ${session.root} has none, so it has no job ${req.id}.`, JOBS_FILE);
    let parsed: ParsedJobs | undefined;
    const inventory = lookupInventory(data) ?? storeInventory(data, (parsed = await parseBytes(data)).inventory);
    const source = new TextDecoder().decode(data);
    const index = inventory.jobs.findIndex((j) => j.id === req.id);
    if (index < 0) {
      const ids = inventory.jobs.map((j) => j.id);
      throw new InputError(`<id>: no job "${req.id}" in ${JOBS_FILE}${ids.length ? `; its jobs are ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', ...' : ''}` : ' (it lists none)'}.`, 'id');
    }
    const job = inventory.jobs[index]!;
    const pkg = packageOf(session.manifest?.answers);
    const module = pkg ? `src/${pkg}/workflows/${job.workflow}.py` : undefined;
    const cronText = session.read(job.cronjob, JOBS_FILE);
    const to = req.to as JobState;
    const decision = decideMove(
      job,
      { to: req.to, reason: req.reason, force: req.force, by: await by, at: (req.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      {
        workflowExists: module ? session.exists(module, JOBS_FILE) : false,
        cronjobExists: cronText !== undefined,
        streak: to === 'switched' && job.state === 'parallel' ? readEvidence(session, job, inventory.holidays).streak : undefined,
      },
    );
    if (decision.skipped.length) decision.entry.reason = `${decision.entry.reason} (forced past: ${decision.skipped.join('; ')})`;
    let text = moveByText(source, inventory, index, decision.to, decision.entry);
    if (text === undefined) {
      const doc = (parsed ?? (await parseBytes(data))).doc;
      const { recordMove, jobsText } = await import('../core/jobs/edit.js');
      recordMove(doc, index, decision.to, decision.entry);
      text = jobsText(doc, source);
    }
    const utf8 = new TextEncoder();
    const writes = [{ path: JOBS_FILE, data: utf8.encode(text) }];
    const notes: string[] = [];
    if (cronText) {
      const moved: Job = { ...job, state: decision.to };
      const project = dnsName(String(session.manifest?.answers.project_name ?? ''));
      const before = new TextDecoder().decode(cronText);
      const label = project === 'workflow' ? '' : project;
      const after = cronJobTextForState(before, moved, label) ?? (await import('../core/jobs/cronjob.js')).cronJobForState(before, job.cronjob, moved, label);
      if (after !== before) writes.push({ path: job.cronjob, data: utf8.encode(after) });
    } else notes.push(`${job.cronjob} does not exist: no CronJob was changed.`);
    if (decision.to === 'decommissioned') notes.push(`${job.cronjob} is kept as it is (suspend it or delete it from the cluster and from deploy/kubernetes/kustomization.yaml when the team is ready).`);
    await session.apply({ what: `job ${job.id} --to ${decision.to}`, writes });
    return {
      root: session.root,
      id: job.id,
      from: decision.from,
      to: decision.to,
      forced: req.force === true,
      skipped: decision.skipped,
      written: writes.map((w) => w.path),
      ...(decision.to === 'legacy_off' ? { legacyOff: legacyOffSteps(job) } : {}),
      notes,
    };
  } finally {
    session.close();
  }
}

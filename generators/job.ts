/**
 * The job piece of `add workflow`: the jobs.yaml entry a scheduled workflow is (with its CronJob),
 * built from the workflow's answers. `add workflow` and the legacy jobs of assess both use it.
 */
import { newJob } from '../src/core/jobs/from-assess.js';
import type { Job, LegacySide } from '../src/core/jobs/schema.js';
import type { Answers } from '../src/core/template/types.js';

/** A job id from a workflow module name: billing_sync -> billing-sync. */
export const jobIdOf = (workflow: string) => workflow.replace(/_+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');

/** The inventory entry for a workflow's render context (assess adds the legacy side it found). */
export function workflowJob(x: Record<string, unknown>, project: Answers): { entry: Job } {
  const name = String(x.workflow_name);
  return {
    entry: newJob({
      id: String(x.job_id),
      workflow: name,
      title: String(x.workflow_title),
      owner: typeof project.owner === 'string' ? project.owner : '',
      cronjob: `deploy/kubernetes/${name}-cronjob.yaml`,
      legacy: (x.legacy as LegacySide | undefined) ?? {
        kind: 'manual',
        schedule: String(x.workflow_schedule),
        time_zone: x.workflow_time_zone ? String(x.workflow_time_zone) : null,
        command: '',
        script: null,
        found_in: '',
        host: null,
        user: null,
      },
      readiness: x.readiness as Job['readiness'],
      at: typeof x.job_at === 'string' ? x.job_at : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      by: typeof x.job_by === 'string' ? x.job_by : 'create-migration add workflow',
      reason: typeof x.job_reason === 'string' ? x.job_reason : 'added with `create-migration add workflow`',
    }),
  };
}

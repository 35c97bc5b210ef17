/**
 * New jobs in a project: their entries appended to jobs.yaml (comments kept; the file made when
 * the project has none) and their CronJobs listed in the kustomization. Returns the writes; the
 * caller puts them in its one journaled apply.
 */
import { InputError } from '../core/errors.js';
import { appendJobs, EMPTY_JOBS_FILE, jobsText } from '../core/jobs/edit.js';
import { addResource, KUSTOMIZATION, removeResource, resourceName } from '../core/jobs/kustomize.js';
import { parseJobs } from '../core/jobs/parse.js';
import { JOBS_FILE, type Job } from '../core/jobs/schema.js';

export function jobRegistrationWrites(read: (rel: string) => Uint8Array | undefined, jobs: readonly Job[], dropResources: readonly string[] = []): { path: string; data: Uint8Array }[] {
  const utf8 = new TextDecoder();
  const enc = new TextEncoder();
  const found = read(JOBS_FILE);
  const { doc, inventory, source } = parseJobs(found ? utf8.decode(found) : EMPTY_JOBS_FILE);
  const ids = new Set(inventory.jobs.map((j) => j.id));
  const workflows = new Set(inventory.jobs.map((j) => j.workflow));
  for (const j of jobs) {
    if (ids.has(j.id)) throw new InputError(`${JOBS_FILE}: already has a job ${j.id}; pick another name.`, JOBS_FILE);
    if (workflows.has(j.workflow)) throw new InputError(`${JOBS_FILE}: a job already runs the workflow ${j.workflow}; pick another name.`, JOBS_FILE);
    ids.add(j.id);
    workflows.add(j.workflow);
  }
  appendJobs(doc, jobs);
  const text = jobsText(doc, source);
  // What is written must read back: a job the tool made is a valid entry.
  parseJobs(text);
  const writes = [{ path: JOBS_FILE, data: enc.encode(text) }];
  const k = read(KUSTOMIZATION);
  if (k) {
    const before = utf8.decode(k);
    let after = before;
    for (const f of dropResources) after = removeResource(after, f);
    for (const j of jobs) {
      const r = resourceName(j.cronjob);
      if (r) after = addResource(after, r);
    }
    if (after !== before) writes.push({ path: KUSTOMIZATION, data: enc.encode(after) });
  }
  return writes;
}

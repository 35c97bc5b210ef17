/**
 * `jobs`: the inventory by state, with the parity evidence. A look only reads: the read-only
 * session (no lock, journal or git), as `status`. A move is ./job-move.ts.
 */
import { InputError } from '../core/errors.js';
import { JOBS_FILE } from '../core/jobs/schema.js';
import type { JobsSummary } from '../core/jobs/summary.js';
import { jobsSummaryOf } from '../edge/jobs-files.js';
import { ProjectReader } from '../edge/project/reader.js';

export { jobsSummaryOf };

export interface JobsListRequest {
  dir: string;
  now?: Date;
}

export async function listJobs(req: JobsListRequest): Promise<{ root: string; summary: JobsSummary }> {
  const session = ProjectReader.openReadOnly({ dir: req.dir, label: '--project', manifest: 'optional' });
  const summary = await jobsSummaryOf(session, req.now ?? new Date());
  if (!summary) throw new InputError(`${JOBS_FILE}: ${session.root} has none. \`create-migration assess <legacy-dir> --write\` fills it from the legacy system; \`create-migration add workflow\` adds one job.`, JOBS_FILE);
  return { root: session.root, summary };
}


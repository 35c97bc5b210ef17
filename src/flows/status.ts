import path from 'node:path';
import { InputError } from '../core/errors.js';
import { CHECKLIST_DIRS, conflictWarnings, projectStatus, type ProjectStatus } from '../core/status/count.js';
import { statusHtml } from '../core/status/html.js';
import { localStamp } from '../core/status/stamp.js';
import { localToday } from '../core/answers/validate.js';
import { updateReadme, updateTasks } from '../core/status/write.js';
import { atomicWriteSync } from '../edge/apply.js';
import { notAProject, ProjectSession } from '../edge/project/session.js';
import { ProjectReader } from '../edge/project/reader.js';
import { statOrNone } from '../edge/fs-quiet.js';
import { itemEvidence, jobsSectionHtml } from '../core/jobs/evidence.js';
import type { JobsSummary } from '../core/jobs/summary.js';
import { jobsSummaryOf } from './jobs.js';

export interface StatusRequest {
  dir: string;
  /** Update the progress lines of README.md and TASKS.md. */
  write?: boolean;
  /** Write a self-contained progress page here. */
  html?: string;
  now?: Date;
}

export interface StatusResult {
  root: string;
  status: ProjectStatus;
  systemName: string;
  /** `name version` of the recorded template, or "unknown". */
  template: string;
  owner?: string;
  targetDate?: string;
  /** Today's date where the user is (YYYY-MM-DD). */
  today: string;
  /** Checklists with conflict markers left in them: counted, but worth a warning. */
  warnings: string[];
  /** Files written (README.md, TASKS.md, the page), as given. */
  written: string[];
  /** Whether the page (--html) did not exist before this run. */
  created?: boolean;
  /** The jobs of jobs.yaml, by state, with the parity evidence of those running in parallel. */
  jobs?: JobsSummary;
}

function readChecklists(session: ProjectReader): Map<string, string> {
  const files = new Map<string, string>();
  const utf8 = new TextDecoder();
  for (const dir of CHECKLIST_DIRS) {
    for (const p of session.listFiles(dir, 'status').filter((x) => x.endsWith('.md'))) {
      const data = session.read(p, 'status');
      if (data) files.set(p, utf8.decode(data));
    }
  }
  return files;
}

/** The new text of a file when the edit changes it; nothing when it is absent or unchanged. */
function rewrite(session: ProjectReader, file: string, edit: (t: string) => string): { path: string; data: Uint8Array } | undefined {
  const data = session.read(file, 'status --write');
  if (!data) return undefined;
  const before = new TextDecoder().decode(data);
  const after = edit(before);
  return after === before ? undefined : { path: file, data: new TextEncoder().encode(after) };
}

/** Progress per phase, counted from the checklists' boxes; optionally written back and as a page. */
export async function status(req: StatusRequest): Promise<StatusResult> {
  // A look only reads: the read-only session (no lock, no journal, no git).
  if (!req.write) return statusIn(ProjectReader.openReadOnly({ dir: req.dir, manifest: 'optional' }), req);
  // --write edits two files: under the lock and the journal, like every other write.
  const session = await ProjectSession.open({ dir: req.dir, write: true, manifest: 'optional' });
  try {
    return await statusIn(session, req, session);
  } finally {
    session.close();
  }
}

async function statusIn(session: ProjectReader, req: StatusRequest, writer?: ProjectSession): Promise<StatusResult> {
  const { root, manifest } = session;
  const files = readChecklists(session);
  if (!files.size) {
    // No manifest and no checklists: most likely the wrong folder (the same words as sync's).
    if (!manifest) throw new InputError(notAProject(root), req.dir);
    throw new InputError(`${req.dir}: no checklists found under ${CHECKLIST_DIRS.join(' or ')}; is this a migration project?`, req.dir);
  }
  const status = projectStatus(files);
  const written: string[] = [];
  if (req.write) {
    const edits = [rewrite(session, 'README.md', (t) => updateReadme(t, status)), rewrite(session, 'TASKS.md', (t) => updateTasks(t, status))].flatMap((e) => (e ? [e] : []));
    if (edits.length) await writer!.apply({ what: 'status --write', writes: edits });
    written.push(...edits.map((e) => e.path));
  }
  const answers = manifest?.answers ?? {};
  const systemName = typeof answers.system_name === 'string' ? answers.system_name : path.basename(root);
  const template = manifest ? `${manifest.template.name} ${manifest.template.version}` : 'unknown';
  const owner = typeof answers.owner === 'string' && answers.owner.trim() ? answers.owner : undefined;
  const targetDate = typeof answers.target_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(answers.target_date) ? answers.target_date : undefined;
  const now = req.now ?? new Date();
  const warnings = conflictWarnings(status);
  let jobs: JobsSummary | undefined;
  try {
    jobs = await jobsSummaryOf(session, now);
  } catch (e) {
    // The checklists still count: a broken inventory is said, not fatal here (\`jobs\` exits 2 on it).
    if (!(e instanceof InputError)) throw e;
    warnings.push(e.message);
  }
  // The date alone needs no zone name: asking Intl for it costs a start-up's worth (about 13 ms).
  const today = localToday(now);
  let created = false;
  if (req.html) {
    // The page is the user's file, wherever they asked for it: written whole or not at all.
    const page = path.resolve(req.html);
    const linkBase = path.relative(path.dirname(page), root).split(path.sep).join('/');
    created = statOrNone(page) === undefined;
    atomicWriteSync(page, new TextEncoder().encode(statusHtml(status, { systemName, template, generatedAt: localStamp(now), owner, targetDate, today, linkBase, jobs: jobs && jobsSectionHtml(jobs, linkBase), itemNote: (t) => itemEvidence(t, jobs) })));
    written.push(req.html);
  }
  return { root, status, systemName, template, owner, targetDate, today, warnings, written, created, ...(jobs ? { jobs } : {}) };
}

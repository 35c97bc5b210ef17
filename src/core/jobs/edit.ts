/**
 * Rewrites of jobs.yaml that keep the team's comments and layout: edits go through the yaml
 * Document, never through a re-serialised plain value. Pure.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { HistoryEntry, Job, JobState } from './schema.js';

/** The file a project starts with: the schema in comments, no jobs yet. */
export const EMPTY_JOBS_FILE = `# The legacy jobs of this migration, one entry each: what runs today, what replaces it, where
# it stands in the cutover. The team owns this file (create-migration sync never touches it);
# \`create-migration job <id> --to <state>\` moves a job and keeps its CronJob in step.
# Schema and states: docs/jobs.md.
version: 1
calendar:
  # ISO dates the parity gate skips (weekends are always skipped).
  holidays: []
jobs: []
`;

const plain = (j: Job): Record<string, unknown> => {
  const o: Record<string, unknown> = {
    id: j.id,
    title: j.title,
    owner: j.owner,
    state: j.state,
    legacy: j.legacy,
    workflow: j.workflow,
    cronjob: j.cronjob,
    time_limit_seconds: j.time_limit_seconds,
  };
  if (j.readiness) o.readiness = j.readiness;
  if (j.outputs) o.outputs = j.outputs;
  o.parity = j.parity;
  o.history = j.history;
  return o;
};

/** Dates and cron fields in double quotes: every YAML reader (1.1 ones too) reads them as text. */
function quote(node: unknown): void {
  if (isScalar(node) && typeof node.value === 'string') node.type = 'QUOTE_DOUBLE';
}

function jobsSeq(doc: Document) {
  let seq = doc.get('jobs', true);
  if (!isSeq(seq)) {
    doc.set('jobs', doc.createNode([]));
    seq = doc.get('jobs', true);
  }
  if (isSeq(seq)) seq.flow = false;
  return seq;
}

/** Appends jobs (history entries and readiness written on one line each). */
export function appendJobs(doc: Document, jobs: readonly Job[]): void {
  const seq = jobsSeq(doc);
  if (!isSeq(seq)) return;
  for (const j of jobs) {
    const node = doc.createNode(plain(j));
    quote(node.getIn(['legacy', 'schedule'], true));
    for (const key of ['history', 'readiness']) {
      const v = node.get(key, true);
      if (isSeq(v)) for (const h of v.items) if (isMap(h)) {
        h.flow = true;
        quote(h.get('at', true));
      }
      if (isMap(v)) v.flow = true;
    }
    seq.items.push(node);
  }
}

/** Sets a job's state and appends the move to its history. */
export function recordMove(doc: Document, index: number, to: JobState, entry: HistoryEntry): void {
  doc.setIn(['jobs', index, 'state'], to);
  let hist = doc.getIn(['jobs', index, 'history'], true);
  if (!isSeq(hist)) {
    doc.setIn(['jobs', index, 'history'], doc.createNode([]));
    hist = doc.getIn(['jobs', index, 'history'], true);
  }
  if (!isSeq(hist)) return;
  hist.flow = false;
  const node = doc.createNode({ ...entry });
  node.flow = true;
  quote(node.get('at', true));
  hist.items.push(node);
}

/** The document's text, with the line endings the file had (a CRLF file stays CRLF). */
export function jobsText(doc: Document, original = ''): string {
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return original.includes('\r\n') ? text.replace(/\r?\n/g, '\r\n') : text;
}

/** A new jobs.yaml document (for a project made before the template shipped one). */
export const emptyJobsDocument = () => parseDocument(EMPTY_JOBS_FILE);

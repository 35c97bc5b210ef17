/**
 * jobs.yaml parsed with the YAML library and validated (./schema.ts), the Document kept so that a
 * rewrite keeps every comment (./edit.ts). Apart from the validator so that only what parses the
 * file loads the library: a view or a move that finds the inventory cached (edge/jobs-cache.ts)
 * never does. Pure: text in, values out.
 */
import { parseDocument, type Document } from 'yaml';
import { yamlProblem } from '../yaml-message.js';
import { InputError } from '../errors.js';
import { checkJobsText, JOBS_FILE, jobsOfValue, jobsYamlError, type JobsFile } from './schema.js';

export interface ParsedJobs {
  doc: Document;
  inventory: JobsFile;
  /** The text it was parsed from. */
  source: string;
}

/** Parses and validates jobs.yaml; every problem is an InputError naming the entry and the field. */
export function parseJobs(source: string, file = JOBS_FILE): ParsedJobs {
  checkJobsText(source, file);
  let doc: Document;
  let raw: unknown;
  try {
    doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length) jobsYamlError(yamlProblem(doc.errors[0]!), file);
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    if (e instanceof InputError) throw e;
    jobsYamlError(yamlProblem(e as Error), file);
  }
  return { doc: doc!, inventory: jobsOfValue(raw, file), source };
}

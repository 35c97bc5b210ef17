/**
 * deploy/kubernetes/kustomization.yaml: the one place the image is named, and the list of the
 * project's CronJobs. Edited in the YAML document so the team's comments stay. Pure.
 */
import { isSeq, parseDocument } from 'yaml';
import { InputError } from '../errors.js';

export const KUSTOMIZATION = 'deploy/kubernetes/kustomization.yaml';

function edit(text: string, change: (items: string[]) => string[]): string {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) throw new InputError(`${KUSTOMIZATION}: is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}).`, KUSTOMIZATION);
  const seq = doc.get('resources', true);
  const now = isSeq(seq) ? seq.items.map((i) => String((i as { value?: unknown }).value ?? i)) : [];
  const next = change(now);
  if (next.length === now.length && next.every((x, i) => x === now[i])) return text;
  if (isSeq(seq)) {
    const keep = seq.items.filter((i) => next.includes(String((i as { value?: unknown }).value ?? i)));
    seq.items = keep;
    for (const n of next) if (!now.includes(n)) seq.items.push(doc.createNode(n));
    if (seq.items.length) seq.flow = false;
  } else doc.set('resources', doc.createNode(next));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Adds a file (relative to deploy/kubernetes/) to the resources, once. */
export const addResource = (text: string, file: string) => edit(text, (items) => (items.includes(file) ? items : [...items, file]));

/** Removes a file from the resources. */
export const removeResource = (text: string, file: string) => edit(text, (items) => items.filter((i) => i !== file));

/** A CronJob path in the project as a kustomization resource, when it is beside the kustomization. */
export function resourceName(cronjob: string): string | undefined {
  const dir = 'deploy/kubernetes/';
  return cronjob.startsWith(dir) && !cronjob.slice(dir.length).includes('/') ? cronjob.slice(dir.length) : undefined;
}

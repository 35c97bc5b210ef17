/**
 * The deployment in step with a job's state: its CronJob's suspend flag, mode and time limit,
 * edited in the YAML document (comments kept), and the rules a batch/v1 CronJob must follow to be
 * applied. Pure: text in, text out.
 */
import { isMap, isSeq, parseDocument, YAMLMap, type Document } from 'yaml';
import { InputError } from '../errors.js';
import { cronJobTextForState, deploymentOf, DEADLINE_MARGIN } from './cronjob-text.js';
import type { Job, JobState } from './schema.js';

export { deploymentOf, DEADLINE_MARGIN };

function containerOf(doc: Document, file: string, workflow: string): YAMLMap {
  const containers = doc.getIn(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers']);
  if (!isSeq(containers) || !containers.items.length) throw new InputError(`${file}: has no spec.jobTemplate.spec.template.spec.containers list; is it the job's CronJob?`, file);
  const maps = containers.items.filter((c): c is YAMLMap => isMap(c));
  const own = maps.find((c) => JSON.stringify(c.toJSON()?.command ?? '').includes(`.workflows.${workflow}"`)) ?? maps[0];
  if (!own) throw new InputError(`${file}: its containers are not maps.`, file);
  return own;
}

function setEnv(doc: Document, container: YAMLMap, name: string, value: string): void {
  let env = container.get('env', true);
  if (!isSeq(env)) {
    container.set('env', doc.createNode([]));
    env = container.get('env', true);
  }
  if (!isSeq(env)) return;
  const found = env.items.find((e) => isMap(e) && e.get('name') === name);
  if (isMap(found)) {
    found.set('value', value);
    found.delete('valueFrom');
  } else env.items.push(doc.createNode({ name, value }));
}

/**
 * The CronJob's text for a job in `state`: unchanged for decommissioned (kept, documented). A
 * manifest as the template writes it is edited on its lines (./cronjob-text.ts), any other through
 * the YAML document.
 */
export function cronJobForState(text: string, file: string, job: Job, project: string, state: JobState = job.state): string {
  return cronJobTextForState(text, job, project, state) ?? cronJobByDocument(text, file, job, project, state);
}

/** cronJobForState through the YAML document, whatever the layout (exported for the tests). */
export function cronJobByDocument(text: string, file: string, job: Job, project: string, state: JobState = job.state): string {
  const d = deploymentOf(state);
  if (!d) return text;
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) throw new InputError(`${file}: is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); fix it, then move the job.`, file);
  if (doc.get('kind') !== 'CronJob') throw new InputError(`${file}: is not a CronJob (kind: ${String(doc.get('kind'))}); jobs.yaml's cronjob of job ${job.id} must name the job's CronJob.`, file);
  doc.setIn(['spec', 'suspend'], d.suspend);
  doc.setIn(['spec', 'jobTemplate', 'spec', 'activeDeadlineSeconds'], job.time_limit_seconds + DEADLINE_MARGIN);
  doc.setIn(['metadata', 'labels', 'kailash-migration/job'], job.id);
  if (project) doc.setIn(['metadata', 'labels', 'app.kubernetes.io/part-of'], project);
  const c = containerOf(doc, file, job.workflow);
  setEnv(doc, c, 'JOB_ID', job.id);
  setEnv(doc, c, 'JOB_MODE', d.mode);
  setEnv(doc, c, 'RUN_TIME_LIMIT_SECONDS', String(job.time_limit_seconds));
  const out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return text.includes('\r\n') ? out.replace(/\r?\n/g, '\r\n') : out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Whether a label key and value are ones Kubernetes takes. */
function labelProblems(where: string, labels: unknown): string[] {
  if (labels === undefined) return [];
  if (labels === null || typeof labels !== 'object') return [`${where} must be a map`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const [prefix, name] = k.includes('/') ? [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)] : [undefined, k];
    if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) out.push(`${where} key ${k}: bad prefix`);
    if (name.length > 63 || !LABEL_KEY_NAME.test(name)) out.push(`${where} key ${k}: bad name`);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push(`${where}.${k}: ${JSON.stringify(v)} is not a label value`);
  }
  return out;
}

/**
 * What keeps a parsed manifest from being a batch/v1 CronJob the API server accepts: the required
 * fields, and the name rules (a CronJob's name is at most 52 characters, as its Jobs add 11).
 */
export function cronJobProblems(o: unknown): string[] {
  const out: string[] = [];
  const m = (o ?? {}) as Record<string, any>;
  if (m.apiVersion !== 'batch/v1') out.push('apiVersion must be batch/v1');
  if (m.kind !== 'CronJob') out.push('kind must be CronJob');
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name.length > 52 || !DNS_SUBDOMAIN.test(name)) out.push(`metadata.name ${JSON.stringify(name)} must be a DNS-1123 name of at most 52 characters`);
  out.push(...labelProblems('metadata.labels', m.metadata?.labels));
  const spec = m.spec ?? {};
  if (typeof spec.schedule !== 'string' || !spec.schedule.trim()) out.push('spec.schedule is required');
  if (spec.timeZone !== undefined && (typeof spec.timeZone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\/-]*$/.test(spec.timeZone))) out.push('spec.timeZone must be an IANA zone name');
  if (spec.suspend !== undefined && typeof spec.suspend !== 'boolean') out.push('spec.suspend must be true or false');
  if (spec.concurrencyPolicy !== undefined && !['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy)) out.push('spec.concurrencyPolicy must be Allow, Forbid or Replace');
  const job = spec.jobTemplate?.spec;
  if (!job) out.push('spec.jobTemplate.spec is required');
  const deadline = job?.activeDeadlineSeconds;
  if (deadline !== undefined && (!Number.isInteger(deadline) || deadline < 1)) out.push('activeDeadlineSeconds must be a positive whole number');
  const pod = job?.template?.spec;
  if (!pod) out.push('spec.jobTemplate.spec.template.spec is required');
  out.push(...labelProblems('template.metadata.labels', job?.template?.metadata?.labels));
  if (pod && !['OnFailure', 'Never'].includes(pod.restartPolicy)) out.push('restartPolicy must be OnFailure or Never for a Job');
  const containers = pod?.containers;
  if (!Array.isArray(containers) || !containers.length) out.push('containers must be a non-empty list');
  for (const [i, c] of (Array.isArray(containers) ? containers : []).entries()) {
    if (typeof c?.name !== 'string' || c.name.length > 63 || !DNS_LABEL.test(c.name)) out.push(`containers[${i}].name ${JSON.stringify(c?.name)} must be a DNS-1123 label`);
    if (typeof c?.image !== 'string' || !c.image.trim() || /\s/.test(c.image)) out.push(`containers[${i}].image is required`);
    for (const [j, e] of (Array.isArray(c?.env) ? c.env : []).entries()) {
      if (typeof e?.name !== 'string' || !ENV_NAME.test(e.name)) out.push(`containers[${i}].env[${j}].name is not an environment variable name`);
      if (e?.value !== undefined && typeof e.value !== 'string') out.push(`containers[${i}].env[${j}].value must be a string`);
    }
    for (const [j, f] of (Array.isArray(c?.envFrom) ? c.envFrom : []).entries()) {
      const ref = f?.secretRef?.name ?? f?.configMapRef?.name;
      if (typeof ref !== 'string' || ref.length > 253 || !DNS_SUBDOMAIN.test(ref)) out.push(`containers[${i}].envFrom[${j}] names no valid secret or config map`);
    }
  }
  return out;
}

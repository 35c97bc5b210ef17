import type { Generator, GeneratorResult } from '../types.js';
import { runAdd, type AddOptions, type AddSpec } from '../add.js';
import type { MarkedLine } from '../../core/register.js';
import { moduleName, question, titleOf } from '../../core/names.js';
import { cronSchedule, DEFAULT_SCHEDULE, timeZone } from '../../core/schedule.js';
import { newJob } from '../../core/jobs/from-assess.js';
import type { Job, LegacySide } from '../../core/jobs/schema.js';

/** A job id from a workflow module name: billing_sync -> billing-sync. */
export const jobIdOf = (workflow: string) => workflow.replace(/_+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');

// The labels the project's own data_sources question shows.
const SOURCES = [
  { value: 'csv', label: 'CSV files' },
  { value: 'database', label: 'Database' },
  { value: 'rest_api', label: 'REST APIs' },
  { value: 'sftp', label: 'SFTP drops' },
  { value: 'queue', label: 'Message queue' },
  { value: 'spreadsheet', label: 'Spreadsheets' },
  { value: 'other', label: 'Another source (a node of your own)' },
];

export const workflowSpec: AddSpec = {
  name: 'workflow',
  description: 'A Kailash workflow module and its pytest test, registered in docs/kailash-mapping.md',
  questions: [
    question('name', 'text', 'Workflow name (module name, like billing_sync)'),
    question('pattern', 'choice', 'Pattern', {
      choices: [
        { value: 'etl', label: 'ETL pipeline' },
        { value: 'api', label: 'API integration' },
        { value: 'reporting', label: 'Report generation' },
      ],
    }),
    question('sources', 'multi', 'Data sources it reads', { choices: SOURCES, default: ['csv'], min: 1 }),
    // Its Kubernetes CronJob (deploy/kubernetes/<name>-cronjob.yaml).
    question('schedule', 'text', 'Schedule (cron expression)', { default: DEFAULT_SCHEDULE, required: false }),
    question('time_zone', 'text', 'Time zone of the schedule (IANA name; empty: the cluster\'s)', { default: '', required: false }),
  ],
  folder: (a) => `workflow/${String(a.pattern)}`,
  derive(a, project) {
    const name = moduleName('name', a.name);
    const sources = Array.isArray(a.sources) && a.sources.length ? a.sources : (project.data_sources as string[]);
    return {
      workflow_name: name,
      workflow_title: titleOf(name),
      workflow_pattern: a.pattern,
      workflow_sources: sources,
      workflow_schedule: cronSchedule('schedule', a.schedule),
      workflow_time_zone: timeZone('time_zone', a.time_zone),
      job_id: jobIdOf(name),
      legacy_from: '',
    };
  },
  job(x, project) {
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
  },
  lines: pyprojectLines,
  register: (x) => ({
    file: 'docs/kailash-mapping.md',
    marker: 'workflows',
    heading: '## Workflows',
    tableHeader: ['| Workflow | Pattern | Module | Test |', '|---|---|---|---|'],
    row: `| ${String(x.workflow_title)} | ${String(x.workflow_pattern)} | \`src/${String(x.package_name)}/workflows/${String(x.workflow_name)}.py\` | \`tests/test_${String(x.workflow_name)}.py\` |`,
  }),
};

// The marker comments of the template's pyproject.toml (files/pyproject.toml) that `add`
// writes after; a project without them (made by an older template) is left as it is.
const SCRIPTS_MARKER = '`create-migration add workflow` adds its own below.';
const DEPENDENCIES_MARKER = '`create-migration add workflow --pattern reporting`';
// The LLM step's package, pinned where the marker comment names it (the template moves the pin).
const KAIZEN_PIN = /"(kailash-kaizen==[^"\s]+)"/;

/** The workflow's console script, and for an LLM workflow the kaizen pin, in pyproject.toml. */
function pyprojectLines(x: Record<string, unknown>, existing: (file: string) => string): MarkedLine[] {
  const name = String(x.workflow_name);
  const script = `${String(x.project_name)}-${name.replace(/_/g, '-')} = "${String(x.package_name)}.workflows.${name}:main"`;
  const lines: MarkedLine[] = [{ file: 'pyproject.toml', marker: SCRIPTS_MARKER, line: script, present: (t) => t.includes(`.workflows.${name}:main"`) }];
  if (x.workflow_pattern !== 'reporting') return lines;
  // The marker comment is two lines; the second names the pin, and the dependency goes after it.
  const text = existing('pyproject.toml').split('\n');
  const at = text.findIndex((l) => l.includes(DEPENDENCIES_MARKER));
  const named = at < 0 ? undefined : text.slice(at, at + 2).find((l) => KAIZEN_PIN.test(l));
  const pin = named && KAIZEN_PIN.exec(named)![1];
  if (named && pin) {
    lines.push({ file: 'pyproject.toml', marker: named.trim(), line: `"${pin}",`, present: (t) => /^\s*"kailash-kaizen[=<>~!\[\s"]/m.test(t) });
  }
  return lines;
}

export const workflowGenerator: Generator<AddOptions> = {
  name: 'workflow',
  description: workflowSpec.description,
  run: (opts, ctx): Promise<GeneratorResult> => runAdd(workflowSpec, opts, ctx),
};

import type { Generator, GeneratorResult } from '../src/flows/types.js';
import { runAdd, type AddOptions, type AddSpec } from '../src/flows/add.js';
import type { MarkedLine } from '../src/core/register.js';
import { moduleName, question, titleOf } from '../src/core/names.js';
import { cronSchedule, DEFAULT_SCHEDULE, timeZone } from '../src/core/schedule.js';
import { jobIdOf, workflowJob } from './job.js';
import { InputError } from '../src/core/errors.js';

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

// The choices of the project's delivery_target question.
const DELIVERY_TARGETS = [
  { value: 'api', label: 'The target API (HTTP POST to the gateway)' },
  { value: 'sftp', label: "A partner's SFTP server (one file per batch)" },
];

/**
 * Where an API workflow delivers: the answer given, else the project's own delivery_target.
 * SFTP needs what a project delivering to SFTP was made with (its SFTPDeliveryNode, paramiko, the
 * partner server its tests deliver to), so a project made without it is refused, naming the key.
 */
function deliveryOf(a: Record<string, unknown>, project: Record<string, unknown>): string | undefined {
  const projects = project.delivery_target === 'sftp' ? 'sftp' : 'api';
  if (a.pattern !== 'api') return undefined;
  const chosen = a.delivery_target === undefined || a.delivery_target === '' ? projects : String(a.delivery_target);
  if (chosen === 'sftp' && projects !== 'sftp') {
    throw new InputError(
      "delivery_target: sftp needs the SFTP delivery this project was not made with (its node " +
        "src/<package>/nodes/sftp_target.py, paramiko, the partner server its tests deliver to); " +
        'a project answering delivery_target=sftp has them, and this one did not: use delivery_target=api.',
    );
  }
  return chosen;
}

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
    // The project's delivery_target question, for an API workflow; unanswered, the project's own.
    question('delivery_target', 'choice', 'Where does it deliver its batches?', {
      when: { pattern: 'api' },
      choices: DELIVERY_TARGETS,
      default: 'api',
    }),
    // Its Kubernetes CronJob (deploy/kubernetes/<name>-cronjob.yaml).
    question('schedule', 'text', 'Schedule (cron expression)', { default: DEFAULT_SCHEDULE, required: false }),
    question('time_zone', 'text', 'Time zone of the schedule (IANA name; empty: the cluster\'s)', { default: '', required: false }),
  ],
  projectDefaults: (project) => ({ delivery_target: project.delivery_target === 'sftp' ? 'sftp' : 'api' }),
  folder: (a) => `workflow/${String(a.pattern)}`,
  derive(a, project) {
    const name = moduleName('name', a.name);
    const sources = Array.isArray(a.sources) && a.sources.length ? a.sources : (project.data_sources as string[]);
    return {
      workflow_name: name,
      workflow_title: titleOf(name),
      workflow_pattern: a.pattern,
      workflow_sources: sources,
      workflow_delivery: deliveryOf(a, project),
      workflow_schedule: cronSchedule('schedule', a.schedule),
      workflow_time_zone: timeZone('time_zone', a.time_zone),
      job_id: jobIdOf(name),
      legacy_from: '',
    };
  },
  job: workflowJob,
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

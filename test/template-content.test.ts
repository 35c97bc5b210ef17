/**
 * The built-in template's content: what a generated migration project contains for a range of
 * answers. Renders with the real planner, writes the files to a temp dir and checks them with the
 * tools their formats belong to (Python for .py/.yml/.toml), plus the contracts other commands rely
 * on: the status table and progress block counts, the workflows registry, and the seed plan's
 * checklist items. The Python checks are skipped where no python3 (with tomllib) is installed.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkAnswer } from '../src/core/answers/validate.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { planRender, type PlannedFile } from '../src/core/template/plan.js';
import type { Answers, LoadedTemplate } from '../src/core/template/types.js';
import { asRendered, oneLine } from './helpers/markdown.js';
import { pythonRun } from './helpers/python.js';

const TEMPLATE_DIR = fileURLToPath(new URL('../templates/kailash-migration', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The seed planning document (shared/seeds/migration-tasks.md): every checklist item must have a
// home, word for word, in the generated project.
// ---------------------------------------------------------------------------------------------

const SEED_PHASES: { file: string; title: string; groups: Record<string, string[]> }[] = [
  {
    file: 'docs/phases/phase-1-assessment.md',
    title: 'Phase 1: Assessment & Planning',
    groups: {
      'System Analysis': [
        'Document existing architecture and data flows',
        'Identify integration points and dependencies',
        'Assess data volumes and performance requirements',
        'Catalog business logic and transformation rules',
      ],
      'Kailash Mapping': [
        'Map existing components to Kailash nodes',
        'Identify custom node requirements',
        'Plan workflow architecture and connections',
        'Design error handling and monitoring strategy',
      ],
    },
  },
  {
    file: 'docs/phases/phase-2-infrastructure.md',
    title: 'Phase 2: Infrastructure Preparation',
    groups: {
      'Environment Setup': [
        'Install Kailash SDK and dependencies',
        'Configure development and testing environments',
        'Set up CI/CD pipelines for solution deployment',
        'Establish monitoring and logging infrastructure',
      ],
      'Data Migration Strategy': [
        'Plan data extraction and transformation processes',
        'Design validation and rollback procedures',
        'Set up parallel running capabilities',
        'Create data quality validation rules',
      ],
    },
  },
  {
    file: 'docs/phases/phase-3-implementation.md',
    title: 'Phase 3: Implementation & Testing',
    groups: {
      'Core Workflow Development': [
        'Implement primary business workflows using Kailash',
        'Create custom nodes for specialized logic',
        'Integrate with external systems and APIs',
        'Implement error handling and retry logic',
      ],
      'Validation & Testing': [
        'Unit test all workflow components',
        'Integration test with real data samples',
        'Performance test with production-like volumes',
        'Security test authentication and authorization',
      ],
    },
  },
  {
    file: 'docs/phases/phase-4-deployment.md',
    title: 'Phase 4: Deployment & Cutover',
    groups: {
      'Production Deployment': [
        'Deploy Kailash solution to production environment',
        'Configure monitoring and alerting systems',
        'Set up backup and disaster recovery procedures',
        'Train operations team on new system',
      ],
      'Gradual Cutover': [
        'Run legacy and Kailash systems in parallel',
        'Gradually migrate traffic to new system',
        'Monitor performance and error rates',
        'Complete cutover when validation passes',
      ],
    },
  },
];

const SEED_CHECKLISTS: Record<string, string[]> = {
  'docs/checklists/pre-migration.md': [
    'Business requirements documented',
    'Current system architecture mapped',
    'Data flow diagrams created',
    'Integration points identified',
    'Performance baselines established',
    'Security requirements defined',
    'Compliance requirements verified',
    'Rollback procedures planned',
  ],
  'docs/checklists/post-migration.md': [
    'All business functions verified',
    'Performance meets or exceeds baselines',
    'Error rates within acceptable limits',
    'Security controls functioning',
    'Monitoring and alerting operational',
    'Documentation updated',
    'Team training completed',
    'Stakeholder sign-off obtained',
  ],
};

/** Everything else in the seed, and the file that must carry it. */
const SEED_ELSEWHERE: Record<string, string[]> = {
  'docs/migration-patterns.md': [
    'ETL Pipeline Migration',
    'API Integration Migration',
    'Report Generation Migration',
    'cron jobs + shell scripts + manual processes',
    'automated Kailash workflows with monitoring',
    'point-to-point custom integrations',
    'standardized API gateway patterns',
    'static report templates',
    'dynamic, AI-powered insights',
    'Add data source nodes',
    'Add transformation logic',
    'Add error handling',
    'Add monitoring',
    'Use RESTClientNode for external APIs',
    'Add authentication and rate limiting',
    'Implement retry and fallback logic',
    'Add data aggregation',
    'Add LLM analysis nodes',
    'Add automated distribution',
    '3-5x faster development cycles',
    'standardized patterns and documentation',
    'built-in error handling and monitoring',
    'cloud-native deployment patterns',
    'Use transformation nodes and validation',
    'Create custom nodes for specialized logic',
    'Use API nodes with proper error handling',
    'Implement async patterns and optimization',
  ],
  'docs/risk-register.md': [
    '**Data loss**',
    'Mitigated by parallel running and validation',
    '**Downtime**',
    'Minimized by gradual cutover strategy',
    '**Performance issues**',
    'Addressed by load testing and optimization',
    '**Integration failures**',
    'Handled by comprehensive testing and fallbacks',
    '**Legacy data formats**',
    '**Complex business logic**',
    '**integration dependencies**',
    '**performance requirements**',
    'Rollback procedures (documented for each migration phase)',
    'Support escalation',
    'Clear escalation paths for issues',
    'Communication plan',
    'Stakeholder updates and status reporting',
    'Resource allocation',
    'Dedicated team members for migration support',
  ],
  'TASKS.md': ['# Migration Tasks - Active Development', '## Current Migration Project', '## Next Session Priorities'],
};

// ---------------------------------------------------------------------------------------------
// Answer sets
// ---------------------------------------------------------------------------------------------

const DEFAULTS: Answers = {
  project_name: 'billing-etl',
  system_name: 'Legacy System',
  description: '',
  owner: 'Platform Team',
  legacy_stack: ['cron_shell'],
  data_sources: ['csv'],
  database_kind: null,
  database_other: null,
  data_source_other: null,
  daily_volume: 10000,
  patterns: ['etl'],
  delivery_target: null,
  llm_provider: null,
  compliance: [],
  cutover: 'parallel_run',
  target_date: '2027-06-30',
  python_version: '3.11',
  deployment: 'one_host',
  ci: 'github',
};

// U+2028 and U+0085 end a line for PyYAML and for Python's str.splitlines(): they must stay
// escaped in comments, not only in string literals.
const HOSTILE_NAME = 'R&D "Ops" <legacy> \\ {{x}} ünï 🚀\u2028sep\u0085nel\ttab';
const HOSTILE_OWNER = `it's a 'quoted' """docstring""" breaker \\`;
const HOSTILE_DESCRIPTION = 'Line one with "quotes", <b>tags</b> & {{x}}\nline two\r\n| a | table |\n\t# not a heading\\';

const SETS: Record<string, Answers> = {
  defaults: DEFAULTS,
  everything: {
    ...DEFAULTS,
    project_name: 'all-in',
    legacy_stack: ['cron_shell', 'point_to_point', 'static_reports', 'stored_procedures', 'message_queue', 'manual_process'],
    data_sources: ['csv', 'database', 'rest_api', 'sftp', 'queue', 'spreadsheet'],
    database_kind: 'oracle',
    daily_volume: 1_000_000_000_000,
    patterns: ['etl', 'api', 'reporting'],
    delivery_target: 'sftp',
    llm_provider: 'anthropic',
    compliance: ['gdpr', 'hipaa', 'sox', 'pci_dss'],
    cutover: 'phased',
    ci: 'gitlab',
    python_version: '3.13',
  },
  hostile: {
    ...DEFAULTS,
    project_name: 'r-d-ops',
    system_name: HOSTILE_NAME,
    owner: HOSTILE_OWNER,
    description: HOSTILE_DESCRIPTION,
    data_sources: ['database', 'sftp'],
    database_kind: 'sqlserver',
    patterns: ['api', 'reporting'],
    delivery_target: 'api',
    llm_provider: 'openai',
    compliance: ['pci_dss'],
    cutover: 'big_bang',
    ci: 'github',
    daily_volume: 0,
  },
  reportsOnly: {
    ...DEFAULTS,
    project_name: 'monthly-reports',
    ci: 'none',
    legacy_stack: ['static_reports', 'manual_process'],
    data_sources: ['spreadsheet', 'queue'],
    patterns: ['reporting'],
    deployment: 'kubernetes',
    llm_provider: 'ollama',
    compliance: ['gdpr'],
  },
  ...Object.fromEntries(
    ['postgresql', 'mysql', 'sqlite'].map((kind, i) => [
      `db-${kind}`,
      {
        ...DEFAULTS,
        project_name: `db-${kind}`,
        system_name: i === 0 ? HOSTILE_NAME : DEFAULTS.system_name,
        owner: i === 0 ? HOSTILE_OWNER : DEFAULTS.owner,
        data_sources: ['database', 'rest_api'],
        database_kind: kind,
        patterns: ['etl', 'api'],
        delivery_target: 'api',
        compliance: ['sox', 'hipaa'],
        ci: i === 0 ? 'gitlab' : 'github',
      },
    ]),
  ),
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const text = (f: PlannedFile) => new TextDecoder().decode(f.data);
const CHECKBOX = /^\s*- \[[ xX]\] /;
const countBoxes = (s: string) => s.split('\n').filter((l) => CHECKBOX.test(l)).length;
const includes = (a: Answers, key: string, v: string) => Array.isArray(a[key]) && (a[key] as string[]).includes(v);
const between = (s: string, begin: string, end: string) => {
  const i = s.indexOf(begin);
  const j = s.indexOf(end);
  expect(i, `marker ${begin}`).toBeGreaterThanOrEqual(0);
  expect(j, `marker ${end}`).toBeGreaterThan(i);
  expect(s.indexOf(begin, i + 1), `marker ${begin} appears once`).toBe(-1);
  return s.slice(i + begin.length, j);
};
const hasPython = pythonAvailable();

/**
 * py_compile for every .py, yaml.safe_load for every .yml/.yaml, tomllib for every .toml, in one
 * Python process. Returns one line per failure. (Byte code goes to a temp dir: Python 3.11
 * refuses /dev/null as cfile.)
 */
function pythonCheck(dir: string, files: string[]): string[] {
  const script = `
import json, os, py_compile, sys, tempfile, tomllib
import yaml
root, files = sys.argv[1], sys.argv[2:]
bad = []
with tempfile.TemporaryDirectory() as tmp:
    for rel in files:
        p = os.path.join(root, rel)
        try:
            if rel.endswith(".py"):
                py_compile.compile(p, cfile=os.path.join(tmp, "x.pyc"), doraise=True)
            elif rel.endswith((".yml", ".yaml")):
                with open(p, encoding="utf-8") as f:
                    yaml.safe_load(f)
            elif rel.endswith(".toml"):
                with open(p, "rb") as f:
                    tomllib.load(f)
        except Exception as e:
            bad.append(f"{rel}: {type(e).__name__}: {e}")
print(json.dumps(bad))
`;
  const checked = files.filter((f) => /\.(py|ya?ml|toml)$/.test(f));
  return JSON.parse(pythonRun(`import sys; sys.argv = ${JSON.stringify(['-', dir, ...checked])}\n${script}`, '')) as string[];
}

function pythonAvailable(): boolean {
  try {
    pythonRun('import tomllib, py_compile, yaml', '');
    return true;
  } catch {
    return false;
  }
}

interface CronJob {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    schedule: string;
    timeZone?: string;
    concurrencyPolicy: string;
    suspend?: boolean;
    jobTemplate: { spec: { template: { spec: { restartPolicy: string; containers: { command: string[]; image: string; envFrom: unknown[]; resources: { requests: Record<string, string> } }[] } } } };
  };
}

interface Rendered {
  answers: Answers;
  files: Map<string, string>;
  dir: string;
}

let template: LoadedTemplate;
const rendered = new Map<string, Rendered>();
const root = mkdtempSync(path.join(tmpdir(), 'template-content-'));

beforeAll(async () => {
  template = await loadTemplateDir(TEMPLATE_DIR);
  for (const [name, answers] of Object.entries(SETS)) {
    for (const q of template.spec.questions) {
      if (answers[q.key] === null || (q.key === 'description' && answers[q.key] === '')) continue;
      const checked = checkAnswer(q, answers[q.key]);
      expect(checked, `answer set ${name}: ${q.key}`).toMatchObject({ ok: true });
    }
    const planned = planRender(template, answers);
    const dir = path.join(root, name);
    const files = new Map<string, string>();
    for (const f of planned) {
      files.set(f.path, text(f));
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.data);
    }
    rendered.set(name, { answers, files, dir });
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (name: string) => rendered.get(name)!;
const file = (r: Rendered, p: string) => {
  const s = r.files.get(p);
  expect(s, `${p} is generated`).toBeDefined();
  return s!;
};

// ---------------------------------------------------------------------------------------------

describe.each(Object.keys(SETS))('generated project (%s)', (name) => {
  it('has the files its answers call for, and only those', () => {
    const r = get(name);
    const a = r.answers;
    const pkg = String(a.project_name).replace(/-/g, '_');
    const expectFile = (p: string, present: boolean) => expect(r.files.has(p), `${p} ${present ? 'present' : 'absent'}`).toBe(present);
    for (const p of [
      'README.md',
      'TASKS.md',
      'pyproject.toml',
      '.gitignore',
      '.env.example',
      'docs/assessment.md',
      'docs/kailash-mapping.md',
      'docs/data-migration.md',
      'docs/risk-register.md',
      'docs/cutover-plan.md',
      'docs/migration-patterns.md',
      ...SEED_PHASES.map((p) => p.file),
      ...Object.keys(SEED_CHECKLISTS),
      `src/${pkg}/__init__.py`,
      `src/${pkg}/settings.py`,
      `src/${pkg}/sources.py`,
      `src/${pkg}/rules.py`,
      `src/${pkg}/observability.py`,
      `src/${pkg}/workflows/__init__.py`,
      `src/${pkg}/nodes/__init__.py`,
      `src/${pkg}/nodes/legacy_adapter.py`,
      'tests/conftest.py',
      'tests/test_import_no_io.py',
      'tests/test_nodes.py',
      'tests/test_rules.py',
      'tests/test_settings.py',
      'tests/test_workflows_build.py',
      'tests/test_retry.py',
      'tests/e2e/test_failure_paths.py',
      'tests/integration/test_database_source.py',
      'tests/integration/test_http_retries.py',
      `src/${pkg}/retry.py`,
      `src/${pkg}/runner.py`,
      `src/${pkg}/nodes/http_client.py`,
      `src/${pkg}/nodes/outcome_writer.py`,
      'Dockerfile',
      '.dockerignore',
      'docs/parity.md',
      `src/${pkg}/shadow.py`,
      ...['__init__', '__main__', 'check', 'engine', 'inputs', 'inventory', 'partitions', 'report', 'rules', 'stats', 'yamlite'].map(
        (m) => `src/${pkg}/parity/${m}.py`,
      ),
      'scripts/parity_bench.py',
      'tests/test_parity.py',
      'tests/e2e/test_shadow_run.py',
    ]) {
      expectFile(p, true);
    }
    for (const [pattern, mod] of [['etl', 'etl_pipeline'], ['api', 'api_integration'], ['reporting', 'report_generation']] as const) {
      expectFile(`src/${pkg}/workflows/${mod}.py`, includes(a, 'patterns', pattern));
      expectFile(`tests/test_${mod}.py`, includes(a, 'patterns', pattern));
      expectFile(`deploy/kubernetes/${mod}-cronjob.yaml`, includes(a, 'patterns', pattern));
    }
    expectFile('tests/integration/test_llm_provider.py', includes(a, 'patterns', 'reporting'));
    expectFile(`src/${pkg}/scheduler.py`, a.deployment === 'one_host');
    expectFile('tests/test_scheduler.py', a.deployment === 'one_host');
    expectFile(`deploy/one-host/${String(a.project_name)}-scheduler.service`, a.deployment === 'one_host');
    const realDb = a.database_kind === 'postgresql' || a.database_kind === 'mysql';
    expectFile('compose.yaml', realDb);
    expectFile('tests/integration/test_real_database.py', realDb);
    expectFile(`src/${pkg}/nodes/sftp_source.py`, includes(a, 'data_sources', 'sftp'));
    expectFile(`src/${pkg}/nodes/queue_source.py`, includes(a, 'data_sources', 'queue'));
    for (const p of [`src/${pkg}/nodes/sftp_target.py`, 'tests/test_sftp_target.py', 'tests/sftp_partner.py', 'tests/e2e/test_sftp_delivery.py']) {
      expectFile(p, a.delivery_target === 'sftp');
    }
    expectFile('data/sample/legacy_extract.csv', includes(a, 'data_sources', 'csv'));
    expectFile('data/sample/spreadsheet_export.csv', includes(a, 'data_sources', 'spreadsheet'));
    expectFile('data/sample/queue_capture.jsonl', includes(a, 'data_sources', 'queue'));
    expectFile('.github/workflows/ci.yml', a.ci === 'github');
    expectFile('.gitlab-ci.yml', a.ci === 'gitlab');
    expectFile('.migration-template.json', false); // the engine writes the manifest, never the template
    expect([...r.files.keys()].filter((p) => p.includes('{{') || p.split('/').some((s) => s.startsWith('dot_')))).toEqual([]);
  });

  it('keeps every checklist item of the seed plan, word for word, as a checkbox', () => {
    const r = get(name);
    for (const phase of SEED_PHASES) {
      const s = file(r, phase.file);
      expect(s.split('\n')[0]).toBe(`# ${phase.title}`);
      for (const [group, items] of Object.entries(phase.groups)) {
        const start = s.indexOf(`\n## ${group}\n`);
        expect(start, `${phase.file}: group ${group}`).toBeGreaterThan(0);
        const next = s.indexOf('\n## ', start + 1);
        const section = s.slice(start, next < 0 ? undefined : next);
        for (const item of items) expect(section.split('\n'), `${phase.file}: ${item}`).toContain(`- [ ] ${item}`);
      }
    }
    for (const [p, items] of Object.entries(SEED_CHECKLISTS)) {
      const lines = file(r, p).split('\n');
      for (const item of items) expect(lines, `${p}: ${item}`).toContain(`- [ ] ${item}`);
    }
    for (const [p, phrases] of Object.entries(SEED_ELSEWHERE)) {
      const s = file(r, p);
      for (const phrase of phrases) expect(s, `${p}: ${phrase}`).toContain(phrase);
    }
  });

  it('states in the README status table the real number of boxes of every checklist', () => {
    const r = get(name);
    const table = between(file(r, 'README.md'), '<!-- status:begin -->', '<!-- status:end -->').trim().split('\n');
    expect(table[0]).toBe('| Phase | Progress | Status |');
    expect(table[1]).toBe('|---|---|---|');
    const rows = table.slice(2).map((row) => {
      const m = /^\| \[(.+?)\]\((.+?)\) \| 0\/(\d+) \(0%\) \| Not started \|$/.exec(row);
      expect(m, `status row: ${row}`).not.toBeNull();
      return { label: m![1]!, path: m![2]!, n: Number(m![3]) };
    });
    expect(rows.map((x) => x.path)).toEqual([...SEED_PHASES.map((p) => p.file), ...Object.keys(SEED_CHECKLISTS)]);
    for (const row of rows) expect(row.n, `${row.path}`).toBe(countBoxes(file(r, row.path)));
    for (const [i, phase] of SEED_PHASES.entries()) expect(rows[i]!.label).toBe(phase.title.replace(/^Phase (\d): /, '$1. '));
  });

  it('states in the TASKS.md progress block the real number of boxes of every phase', () => {
    const r = get(name);
    const lines = between(file(r, 'TASKS.md'), '<!-- progress:begin -->', '<!-- progress:end -->').trim().split('\n');
    expect(lines).toHaveLength(SEED_PHASES.length + 1);
    let total = 0;
    for (const [i, phase] of SEED_PHASES.entries()) {
      const n = countBoxes(file(r, phase.file));
      total += n;
      expect(lines[i]).toBe(`- ${phase.title} — 0/${n} (0%)`);
    }
    expect(lines[SEED_PHASES.length]).toBe(`- Overall — 0/${total} (0%), 0/4 phases done`);
  });

  it('lists every generated workflow, and only those, in the workflows registry', () => {
    const r = get(name);
    const pkg = String(r.answers.project_name).replace(/-/g, '_');
    const table = between(file(r, 'docs/kailash-mapping.md'), '<!-- workflows:begin -->', '<!-- workflows:end -->').trim().split('\n');
    expect(table.slice(0, 2)).toEqual(['| Workflow | Pattern | Module | Test |', '|---|---|---|---|']);
    const modules = [...r.files.keys()].filter((p) => new RegExp(`^src/${pkg}/workflows/(?!_)[a-z_]+\\.py$`).test(p));
    const rows = table.slice(2).map((row) => row.split('|').map((c) => c.trim().replace(/^`|`$/g, '')));
    expect(rows.map((c) => c[3]).sort()).toEqual(modules.sort());
    for (const c of rows) {
      expect((r.answers.patterns as string[]).includes(c[2]!), `pattern ${c[2]}`).toBe(true);
      expect(r.files.has(c[4]!), `test ${c[4]}`).toBe(true);
    }
  });

  it('writes valid Python, YAML and TOML', () => {
    const r = get(name);
    for (const [p, s] of r.files) {
      if (/\.ya?ml$/.test(p)) expect(() => parseYaml(s), p).not.toThrow();
    }
    if (!hasPython) return;
    expect(pythonCheck(r.dir, [...r.files.keys()])).toEqual([]);
    const pyproject = JSON.parse(
      pythonRun('import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))', file(r, 'pyproject.toml')),
    ) as { project: { name: string; description: string; 'requires-python': string; dependencies: string[] } };
    expect(pyproject.project.name).toBe(r.answers.project_name);
    expect(pyproject.project.description).toBe(r.answers.system_name);
    expect(pyproject.project['requires-python']).toBe(`>=${r.answers.python_version}`);
    const deps = pyproject.project.dependencies;
    // The SDK pinned exactly (kailash-py does not follow semver), every extra at the same pin.
    expect(deps).toContain('kailash==2.63.0');
    expect(deps.filter((d) => /^kailash(\[|[<>=~!]|$)/.test(d)).every((d) => d.endsWith('==2.63.0')), deps.join(' ')).toBe(true);
    const rest = includes(r.answers, 'patterns', 'api') || includes(r.answers, 'data_sources', 'rest_api');
    expect(deps.includes('kailash[http-client]==2.63.0') && deps.includes('aiohttp>=3.12.4')).toBe(rest);
    expect(deps.includes('kailash-kaizen==2.46.0')).toBe(includes(r.answers, 'patterns', 'reporting'));
    expect(deps.includes('kailash[scheduler]==2.63.0')).toBe(r.answers.deployment === 'one_host');
    expect(deps.includes('paramiko>=3.4')).toBe(includes(r.answers, 'data_sources', 'sftp') || r.answers.delivery_target === 'sftp');
  }, 60_000);

  it('keeps answers intact in every format', () => {
    const r = get(name);
    const a = r.answers;
    const readme = file(r, 'README.md');
    expect(asRendered(readme.split('\n')[0]!)).toBe(`# ${oneLine(a.system_name)} → Kailash SDK migration`);
    const row = readme.split('\n').find((l) => l.startsWith('| **Legacy system** |'))!;
    expect(asRendered(row.replace(/^\| \*\*Legacy system\*\* \| | \|$/g, ''))).toBe(oneLine(a.system_name));
    expect(asRendered(readme)).toContain(oneLine(a.owner));
    if (a.description) expect(asRendered(readme)).toContain(String(a.description).split('\n')[0]!.trim());
    // Nothing of an answer reaches the Markdown as raw HTML, which GitHub would strip.
    for (const v of [a.system_name, a.owner, a.description]) {
      for (const tag of String(v).match(/<[^>]*>/g) ?? []) expect(readme, tag).not.toMatch(new RegExp(`(?<!\\\\)${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    // Comments outside Python show the answer as typed, not Python-escaped.
    for (const p of ['.env.example', '.github/workflows/ci.yml', '.gitlab-ci.yml', 'Dockerfile']) {
      if (!r.files.has(p)) continue;
      const first = file(r, p).split('\n')[0]!;
      expect(first, p).toContain(String(a.system_name).replace(/[\r\n\u0085\u2028\u2029]/g, ' '));
    }
    if (a.ci === 'github') {
      const ci = parseYaml(file(r, '.github/workflows/ci.yml')) as { jobs: { test: { steps: { with?: Record<string, unknown> }[] } } };
      expect(ci.jobs.test.steps.find((s) => s.with?.['python-version'])?.with?.['python-version']).toBe(a.python_version);
    }
    if (a.ci === 'gitlab') {
      const ci = parseYaml(file(r, '.gitlab-ci.yml')) as { test: { image: string } };
      expect(ci.test.image).toBe(`python:${a.python_version}-slim`);
    }
    if (!hasPython) return;
    const pkg = String(a.project_name).replace(/-/g, '_');
    const out = pythonRun(
      `import json, sys; sys.path.insert(0, ${JSON.stringify(path.join(r.dir, 'src'))}); import ${pkg}.settings as s
print(json.dumps([s.SYSTEM_NAME, s.OWNER, s.TARGET_DATE, s.DAILY_VOLUME]))`,
      '',
    );
    expect(JSON.parse(out)).toEqual([a.system_name, a.owner, a.target_date, a.daily_volume]);
  }, 60_000);

  it('writes a container image and, per workflow, a CronJob that runs it on a schedule without overlap', () => {
    const r = get(name);
    const a = r.answers;
    const pkg = String(a.project_name).replace(/-/g, '_');
    const docker = file(r, 'Dockerfile').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(docker[0]).toBe(`FROM python:${a.python_version}-slim`);
    const INSTRUCTION = /^(FROM|ENV|WORKDIR|COPY|RUN|USER|CMD|ARG|LABEL|EXPOSE|ENTRYPOINT)\s/;
    docker.forEach((l, i) => {
      if (!docker[i - 1]?.endsWith('\\')) expect(l, 'Dockerfile instruction').toMatch(INSTRUCTION);
    });
    expect(file(r, '.dockerignore').split('\n')).toContain('.env');
    const jobs = [...r.files.keys()].filter((p) => p.startsWith('deploy/kubernetes/') && p.endsWith('-cronjob.yaml'));
    expect(jobs.length).toBe((a.patterns as string[]).length);
    // The image is named once: the kustomization lists every CronJob and maps the plain name to a registry and tag.
    const kustomization = file(r, 'deploy/kubernetes/kustomization.yaml');
    for (const p of jobs) expect(kustomization).toContain(`  - ${p.slice('deploy/kubernetes/'.length)}\n`);
    expect(kustomization).toContain(`  - name: ${a.project_name}\n    # <registry>`);
    if (!hasPython) return;
    for (const p of jobs) {
      const mod = p.slice('deploy/kubernetes/'.length, -'-cronjob.yaml'.length);
      const doc = JSON.parse(pythonRun('import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))', file(r, p))) as CronJob;
      expect(doc.apiVersion).toBe('batch/v1');
      expect(doc.kind).toBe('CronJob');
      expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/);
      expect(doc.spec.schedule).toBe('0 2 * * *');
      expect(doc.spec.timeZone).toBeUndefined();
      expect(doc.spec.concurrencyPolicy).toBe('Forbid');
      const pod = doc.spec.jobTemplate.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      const [c] = pod.containers;
      expect(c!.command).toEqual(['python', '-m', `${pkg}.workflows.${mod}`]);
      expect(c!.image).toBe(`${a.project_name}`);
      // A sample waits, suspended, until a job's CronJob is moved to parallel (docs/jobs.md).
      expect(doc.spec.suspend).toBe(true);
      expect(c!.envFrom).toEqual([{ secretRef: { name: `${a.project_name}-env` } }]);
      expect(file(r, p)).toContain(`kubectl create secret generic ${a.project_name}-env --from-env-file=.env`);
      expect(c!.resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
    }
  }, 60_000);

  it('leaves no template syntax behind, and .env.example is KEY=value lines', () => {
    const r = get(name);
    if (r.answers.system_name !== HOSTILE_NAME) {
      // GitHub Actions expressions (`${{ github.token }}`, `${{ a || b }}`) are the workflow's own syntax.
      for (const [p, s] of r.files) expect((p.startsWith('.github/workflows/') ? s.replace(/\$\{\{ [^{}]+ \}\}/g, '') : s).includes('{{'), p).toBe(false);
    }
    for (const line of file(r, '.env.example').split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      expect(line, '.env.example').toMatch(/^[A-Z][A-Z0-9_]*=/);
    }
  });
});

describe('answer-specific content', () => {
  it('follows the cutover strategy', () => {
    expect(file(get('defaults'), 'docs/cutover-plan.md')).toContain('**Parallel run, then switch.**');
    expect(file(get('everything'), 'docs/cutover-plan.md')).toContain('| 1 | 10% |');
    expect(file(get('hostile'), 'docs/cutover-plan.md')).toContain('**Big bang, on one date.**');
  });

  it('adds the controls of each compliance regime, and none when none applies', () => {
    const all = get('everything');
    for (const id of ['C-GDPR', 'C-HIPAA', 'C-SOX', 'C-PCI']) expect(file(all, 'docs/risk-register.md')).toContain(`| ${id} |`);
    expect(file(get('defaults'), 'docs/risk-register.md')).not.toContain('| C-');
    expect(file(get('defaults'), 'docs/phases/phase-1-assessment.md')).toContain('no compliance regime was declared');
  });

  it('delivers to a partner SFTP server only when asked, every setting named in .env.example and the README', () => {
    const sftp = get('everything');
    const pkg = 'all_in';
    const workflow = file(sftp, `src/${pkg}/workflows/api_integration.py`);
    expect(workflow).toContain('"SFTPDeliveryNode"');
    expect(workflow).toContain('DELIVERY_NODE = "upload"');
    expect(workflow).not.toContain('"ResilientHTTPNode"');
    expect(file(sftp, `src/${pkg}/nodes/__init__.py`)).toContain('from .sftp_target import SFTPDeliveryNode');
    // Every SFTP_TARGET_* setting settings.py reads is explained in .env.example and named in the README.
    const fields = [...file(sftp, `src/${pkg}/settings.py`).matchAll(/^ {4}(sftp_target_[a-z_]+):/gm)].map((m) => m[1]!.toUpperCase());
    expect(fields).toEqual(expect.arrayContaining(['SFTP_TARGET_HOST', 'SFTP_TARGET_KNOWN_HOSTS', 'SFTP_TARGET_TIMEOUT', 'SFTP_TARGET_DEADLINE']));
    const env = file(sftp, '.env.example');
    for (const v of fields) expect(env, v).toMatch(new RegExp(`^${v}=`, 'm'));
    const readme = file(sftp, 'README.md');
    for (const v of ['SFTP_TARGET_HOST', 'SFTP_TARGET_KNOWN_HOSTS', 'SFTP_TARGET_TIMEOUT', 'SFTP_TARGET_DEADLINE']) expect(readme, v).toContain(v);
    expect(file(sftp, 'docs/kailash-mapping.md')).toContain('`SFTPDeliveryNode`');
    expect(file(sftp, 'docs/phases/phase-2-infrastructure.md')).toContain('SFTP_TARGET_KNOWN_HOSTS');
    expect(file(sftp, 'tests/conftest.py')).toContain('def sftp_partner(');

    for (const name of ['hostile', 'defaults', 'db-sqlite']) {
      const r = get(name);
      const p = String(r.answers.project_name).replace(/-/g, '_');
      expect(file(r, '.env.example'), name).not.toContain('SFTP_TARGET_');
      expect(file(r, 'docs/kailash-mapping.md'), name).not.toContain('SFTPDeliveryNode');
      expect(file(r, 'tests/conftest.py'), name).not.toContain('sftp_partner(');
      if (includes(r.answers, 'patterns', 'api')) {
        const api = file(r, `src/${p}/workflows/api_integration.py`);
        expect(api).toContain('"ResilientHTTPNode"');
        expect(api).not.toContain('SFTPDeliveryNode');
      }
    }
  });

  it('writes database-specific settings and notes for each kind', () => {
    const urls: Record<string, string> = {
      postgresql: 'postgresql+psycopg://',
      mysql: 'mysql+pymysql://',
      sqlite: 'sqlite:///',
      oracle: 'oracle+oracledb://',
      sqlserver: 'mssql+pyodbc://',
    };
    for (const r of rendered.values()) {
      const kind = r.answers.database_kind as string | null;
      const env = file(r, '.env.example');
      for (const [k, url] of Object.entries(urls)) expect(env.includes(`DATABASE_URL=${url}`), `${k} url`).toBe(k === kind);
    }
  });
});

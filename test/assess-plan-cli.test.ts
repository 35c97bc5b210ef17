import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, snapshot, tempDir } from './helpers/cli.js';
import { validate } from './helpers/json-schema.js';

const BILLING = path.join(ROOT, 'test/fixtures/assess-plan/billing');
const FIXTURES = path.join(ROOT, 'test/fixtures/assess');

/** The JSON Schema docs/assess.md publishes for `assess --json`. */
function documentedSchema(): Record<string, unknown> {
  const doc = readFileSync(path.join(ROOT, 'docs/assess.md'), 'utf8');
  const at = doc.indexOf('<!-- assess-json-schema -->');
  expect(at, 'docs/assess.md has the schema marker').toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)\n```/.exec(doc.slice(at))!;
  return JSON.parse(block[1]!);
}

const RULES = `# Site rules of the billing team
version: 1
rules:
  - id: billdb
    kind: database
    pattern: billdb-cli
    label: Billing DB client
    database: oracle
  - id: mf-transfer
    kind: transfer
    match: regex
    pattern: '\\bmfxfer\\s+send\\s+(?<host>[\\w.-]+):'
    direction: write
    label: Mainframe transfer (mfxfer)
`;

/** A legacy system using an in-house database client and a mainframe transfer tool. */
function siteLegacy(dir: string) {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'site.crontab'), '0 4 * * 1-5 /opt/site/bin/nightly.sh\n');
  writeFileSync(path.join(dir, 'bin/nightly.sh'), '#!/bin/sh\nbilldb-cli -f /opt/site/sql/close_day.sql > /srv/site/out/day.dat\nmfxfer send MVS1.corp.example:SITE.DAILY < /srv/site/out/day.dat\n');
  return dir;
}

async function project(parent: string, name = 'proj') {
  const r = await runCli([name, '--yes', '--no-git'], { cwd: parent });
  expect(r.code, r.stderr).toBe(0);
  return path.join(parent, name);
}

describe('assess: readiness, dependencies, waves (issue 22)', () => {
  it('--json follows the schema docs/assess.md documents, on the billing chain and on the real fixtures', async () => {
    const schema = documentedSchema();
    for (const dir of [BILLING, FIXTURES]) {
      const r = await runCli(['assess', '.', '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(validate(schema, out)).toEqual([]);
      expect(out.schedules.length).toBeGreaterThan(0);
    }
    // The checker is not a rubber stamp: a readiness class outside the contract is refused.
    const bad = JSON.parse((await runCli(['assess', '.', '--json'], { cwd: BILLING })).stdout);
    bad.schedules[0].readiness.class = 'unknown';
    delete bad.waves;
    expect(validate(schema, bad)).toEqual(['$: "waves" is missing', '$.schedules[0].readiness.class: "unknown" is not one of ["ready","ready_with_conditions","needs_custom_node","blocked"]']);
  });

  it('the billing chain: readiness per job, the lucky-timing link, the waves, the secrets by name', async () => {
    const r = await runCli(['assess', '.', '--json'], { cwd: BILLING });
    const out = JSON.parse(r.stdout);
    const jobs = Object.fromEntries(out.schedules.map((s: { job: string }) => [s.job, s]));
    expect(Object.keys(jobs)).toEqual(['legacy_fetch_ack', 'legacy_load_ack', 'legacy_extract_invoices', 'legacy_send_to_bank', 'legacy_monthly_report']);
    expect(jobs.legacy_monthly_report.readiness).toMatchObject({ class: 'needs_custom_node' });
    expect(jobs.legacy_monthly_report.readiness.reasons[0]).toMatch(/mailx.*no mail node/);
    expect(jobs.legacy_extract_invoices.readiness).toMatchObject({ class: 'ready_with_conditions', reasons: expect.arrayContaining(['secrets to provision: PGPASSWORD']) });
    const edges = Object.fromEntries(out.dependencies.edges.map((e: { from: string; to: string }) => [`${e.from} -> ${e.to}`, e]));
    expect(edges['legacy_extract_invoices -> legacy_send_to_bank']).toMatchObject({ via: [{ kind: 'file', key: '/srv/billing/out/invoices_*.csv', match: 'exact' }], gap_minutes: 20, explicit: false, lucky_timing: true });
    // load_ack.py tests that the file exists before reading it: the order does not rest on the clock.
    expect(edges['legacy_fetch_ack -> legacy_load_ack']).toMatchObject({ via: [{ kind: 'file', key: '/srv/billing/in/ack.csv' }], gap_minutes: 0, explicit: true, lucky_timing: false });
    expect(edges['legacy_load_ack -> legacy_monthly_report']).toMatchObject({ via: [{ kind: 'table', key: 'invoices' }], note: 'approximate: days of the month and months are not counted' });
    expect(out.waves).toEqual([
      { wave: 1, jobs: ['legacy_fetch_ack'] },
      { wave: 2, jobs: ['legacy_load_ack'] },
      { wave: 3, jobs: ['legacy_extract_invoices', 'legacy_monthly_report'] },
      { wave: 4, jobs: ['legacy_send_to_bank'] },
    ]);
    expect(out.secrets.map((s: { name: string }) => s.name)).toEqual(['PGPASSWORD', 'BILLING_DB_PASSWORD']);

    const text = await runCli(['assess', '.'], { cwd: BILLING });
    expect(text.stdout).toContain('cron/billing.crontab:7  */15 6-9 * * 1-5: every 15 minutes from 06:00 to 09:59 on Monday to Friday (Europe/Berlin)');
    expect(text.stdout).toContain('cron/billing.crontab:13  @monthly: at 00:00 on day 1 of the month (Europe/Berlin)');
    expect(text.stdout).toContain('      job legacy_monthly_report, wave 3: needs a custom node (confidence 0.9, about 3 days)');
    expect(text.stdout).toContain('  legacy_extract_invoices -> legacy_send_to_bank: file /srv/billing/out/invoices_*.csv, starts 20 min after it\n      LUCKY TIMING');
    expect(text.stdout).toContain('  wave 1: legacy_fetch_ack (4 depend on it)');
    expect(text.stdout).toContain('Secrets to provision (2)\n  bin/extract_invoices.sh:5  PGPASSWORD\n  bin/load_ack.py:15  BILLING_DB_PASSWORD');
  });

  it('--rules: a new database client and a new transfer tool are found and judged; the built-in rules work without it', async () => {
    const tmp = tempDir();
    const legacyDir = siteLegacy(path.join(tmp, 'legacy'));
    writeFileSync(path.join(tmp, 'site-rules.yaml'), RULES);
    const without = JSON.parse((await runCli(['assess', 'legacy', '--json'], { cwd: tmp })).stdout);
    expect(without.accesses.filter((a: { rule?: string }) => a.rule)).toEqual([]);
    const r = await runCli(['assess', 'legacy', '--rules', 'site-rules.yaml', '--json'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.accesses.filter((a: { rule?: string }) => a.rule).map((a: Record<string, unknown>) => [a.line, a.kind, a.client, a.rule, a.database ?? a.host])).toEqual([
      [2, 'database', 'Billing DB client', 'billdb', 'oracle'],
      [3, 'transfer', 'Mainframe transfer (mfxfer)', 'mf-transfer', 'MVS1.corp.example'],
    ]);
    expect(out.rules_applied).toMatchObject({ files: ['site-rules.yaml'], custom: 2 });
    expect(out.answers).toMatchObject({ data_sources: expect.arrayContaining(['database', 'sftp']), database_kind: 'oracle' });
    expect(out.schedules[0].readiness.class).toBe('needs_custom_node');
    expect(out.schedules[0].readiness.reasons.join('\n')).toMatch(/Mainframe transfer \(mfxfer\) \(line 3, rule mf-transfer\)/);
    const text = await runCli(['assess', 'legacy', '--rules', 'site-rules.yaml'], { cwd: tmp });
    expect(text.stdout).toContain('    line 2: oracle via Billing DB client');
    expect(text.stderr).toContain('Rules: 2 from site-rules.yaml.');
    expect(legacyDir).toBeTruthy();
  });

  it.each([
    ['a nested quantifier', RULES.replace("'\\bmfxfer\\s+send\\s+(?<host>[\\w.-]+):'", "'(mfxfer\\s+)+x'"), '--rules bad.yaml: rule 2 (id "mf-transfer"), field "pattern": the regex repeats a group that holds a quantifier'],
    ['an unknown kind', RULES.replace('kind: database', 'kind: mainframe'), '--rules bad.yaml: rule 1 (id "billdb"), field "kind": is "mainframe"; one of database, transfer, http'],
    ['a missing id', RULES.replace('  - id: billdb\n', '  - label_only: x\n'), '--rules bad.yaml: rule 1, field "label_only": is not a rule field'],
    ['YAML that does not parse', 'rules: [ {id: a\n', '--rules bad.yaml: YAML:'],
  ])('a malformed rules file (%s) is exit 2 naming the rule and field, with nothing written', async (_n, yaml, message) => {
    const tmp = tempDir();
    siteLegacy(path.join(tmp, 'legacy'));
    writeFileSync(path.join(tmp, 'bad.yaml'), yaml);
    const before = snapshot(tmp);
    const r = await runCli(['assess', 'legacy', '--rules', 'bad.yaml', '--answers-out', 'answers.json'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(snapshot(tmp)).toEqual(before);
    const json = await runCli(['assess', 'legacy', '--rules', 'bad.yaml', '--json'], { cwd: tmp });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining(message) });
  });

  it('--rules naming a missing file is exit 2', async () => {
    const tmp = tempDir();
    siteLegacy(path.join(tmp, 'legacy'));
    const r = await runCli(['assess', 'legacy', '--rules', 'nope.yaml'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rules nope.yaml: cannot be read (no such file).');
  });

  it("--write in a project: its assess-rules.yaml is picked up; the region has readiness, the Mermaid graph, waves and secrets, and links only inside the repository", async () => {
    const tmp = tempDir();
    const proj = await project(tmp);
    cpSync(BILLING, path.join(proj, 'legacy/billing'), { recursive: true });
    siteLegacy(path.join(tmp, 'site'));
    writeFileSync(path.join(proj, 'assess-rules.yaml'), RULES);
    const r = await runCli(['assess', 'legacy', '../site', '--write'], { cwd: proj });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Rules: 2 from assess-rules.yaml.');
    const doc = readFileSync(path.join(proj, 'docs/assessment.md'), 'utf8');
    const region = doc.slice(doc.indexOf('<!-- assess:start -->'), doc.indexOf('<!-- assess:end -->'));
    // Inside the project: a link relative to docs/. Outside (../site): the path as text, never a link out of the repository.
    expect(region).toContain('[legacy/billing/cron/billing.crontab:13](../legacy/billing/cron/billing.crontab#L13)');
    expect(region).toContain('`../site/site.crontab:1`');
    for (const m of region.matchAll(/\]\(([^)]+)\)/g)) expect(path.resolve(proj, 'docs', decodeURI(m[1]!.replace(/#L\d+$/, ''))).startsWith(`${proj}${path.sep}`), m[1]).toBe(true);
    expect(region).toContain('| `legacy_monthly_report` | needs a custom node | 0.9 | 3 days | 3 |');
    expect(region).toContain('| `legacy_nightly` | needs a custom node |');
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(region)![1]!;
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('-.->|"file invoices_*.csv, 20 min, lucky timing"|');
    expect(region).toContain('1. `legacy_fetch_ack` (4 depend on it), `legacy_nightly`');
    expect(region).toContain('| `BILLING_DB_PASSWORD` | env |');
    // A malformed project rules file stops --write before anything changes.
    writeFileSync(path.join(proj, 'assess-rules.yaml'), 'rules:\n  - {id: x, kind: database, match: regex, pattern: "(a|b)+"}\n');
    const before = readFileSync(path.join(proj, 'docs/assessment.md'), 'utf8');
    const bad = await runCli(['assess', 'legacy', '--write'], { cwd: proj });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('assess-rules.yaml: rule 1 (id "x"), field "pattern": the regex repeats a group that holds an alternation');
    expect(readFileSync(path.join(proj, 'docs/assessment.md'), 'utf8')).toBe(before);
    expect(existsSync(path.join(proj, 'docs/assessment.md'))).toBe(true);
  });
});

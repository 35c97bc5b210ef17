/**
 * The parity check a generated project ships (src/<package>/parity/, Python standard library only):
 * its own pytest tests run with plain python3 (no Kailash SDK), and the command run end to end as a
 * team runs it before installing anything, `PYTHONPATH=src python3 -m <package>.parity ...`, with its
 * exit codes and report files. The inventory it reads is written here the way create-migration writes
 * jobs.yaml (the `yaml` package's Document API), so the two readers are held to one contract.
 * Skipped where python3 has no pytest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import { runCli, tempDir } from './helpers/cli.js';

const hasPytest = spawnSync('python3', ['-c', 'import pytest'], { encoding: 'utf8' }).status === 0;

const HEADER = 'invoice_id,customer,amount,exported_at';
const LEGACY = [HEADER, '1,ACME,10.00,a', '2,Globex,20.50,a', '3,Initech,30.25,a'].join('\n') + '\n';

describe.skipIf(!hasPytest)('the parity module of a generated project', () => {
  let dir = '';
  beforeAll(async () => {
    const parent = tempDir();
    const r = await runCli(['billing', '--yes', '--no-git'], { cwd: parent });
    expect(r.code, r.stderr).toBe(0);
    dir = path.join(parent, 'billing');
  }, 60_000);

  const parity = (args: string[], cwd = dir) =>
    spawnSync('python3', ['-m', 'billing.parity', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: path.join(dir, 'src') },
      timeout: 120_000,
    });
  const report = (job: string, day: string, base = dir) =>
    JSON.parse(readFileSync(path.join(base, 'reports/parity', job, `${day}.json`), 'utf8')) as {
      schema: string;
      job: string;
      date: string;
      verdict: string;
      differences: { total: number; missing_keys: number; values: Record<string, number> };
      rules: { key: string[]; columns: Record<string, unknown> };
    };

  it("passes its own tests with python3 and pytest, no SDK needed", () => {
    const r = spawnSync('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_parity.py'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed/);
    expect(r.stdout).not.toMatch(/failed|error/);
  }, 300_000);

  it('runs from a plain checkout: exit 0 green, 1 red, 2 bad input with nothing written', () => {
    // Its own folder: a jobs.yaml the project may have does not apply to this one-off run.
    const work = path.join(dir, 'one-off');
    mkdirSync(work);
    writeFileSync(path.join(work, 'legacy.csv'), LEGACY);
    // The same records, rows and columns in another order, CRLF line ends.
    writeFileSync(path.join(work, 'new.csv'), ['amount,invoice_id,customer', '30.25,3,Initech', '10.00,1,ACME', '20.50,2,Globex'].join('\r\n') + '\r\n');
    const base = ['--legacy', 'legacy.csv', '--new', 'new.csv', '--key', 'invoice_id', '--ignore', 'exported_at'];

    const green = parity(['invoices', ...base, '--date', '2026-12-07'], work);
    expect(green.status, green.stderr).toBe(0);
    expect(green.stdout).toContain('invoices 2026-12-07: green');
    expect(report('invoices', '2026-12-07', work)).toMatchObject({ schema: 'parity-report/1', job: 'invoices', date: '2026-12-07', verdict: 'green' });
    const folder = path.join(work, 'reports/parity/invoices');
    expect(readdirSync(folder).sort()).toEqual(['2026-12-07.json', '2026-12-07.md', 'latest.json']);

    writeFileSync(path.join(work, 'new.csv'), ['invoice_id,customer,amount', '1,ACME,10.00', '2,Globex,20.99'].join('\n') + '\n');
    const red = parity(['invoices', ...base, '--date', '2026-12-08', '--tolerance', 'amount=0.01'], work);
    expect(red.status, red.stderr).toBe(1);
    const r = report('invoices', '2026-12-08', work);
    expect(r.verdict).toBe('red');
    expect(r.differences).toMatchObject({ total: 2, missing_keys: 1, values: { amount: 1 } });
    expect(JSON.parse(readFileSync(path.join(folder, 'latest.json'), 'utf8')).date).toBe('2026-12-08');
    expect(readFileSync(path.join(folder, '2026-12-08.md'), 'utf8')).toContain('invoice_id=3');

    const bad = parity(['invoices', '--legacy', 'legacy.csv', '--new', 'new.csv', '--key', 'order_no', '--date', '2026-12-09'], work);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("'order_no'");
    expect(existsSync(path.join(folder, '2026-12-09.json'))).toBe(false);
  }, 120_000);

  it('reads its rules from a jobs.yaml written by the yaml package, as the inventory is', () => {
    const inventory = {
      version: 1,
      calendar: { holidays: ['2026-12-25', '2027-01-01'] },
      jobs: [
        {
          id: 'billing-extract',
          title: 'Nightly billing extract: "full" # not a comment',
          owner: 'Billing team',
          state: 'parallel',
          legacy: {
            kind: 'cron',
            schedule: '0 2 * * 1-5',
            time_zone: 'Europe/Berlin',
            command: `/opt/billing/bin/extract.sh --full --out /srv/billing/out/invoices.csv ${'--flag '.repeat(12)}--last`,
            script: null,
            found_in: 'crontab:3',
          },
          outputs: {
            legacy: { path: 'legacy.csv', format: 'csv', encoding: 'utf-8', delimiter: ',' },
            new: { path: 'new.csv', format: 'csv' },
          },
          parity: {
            key: ['invoice_id'],
            criterion_days: 10,
            ignore: ['exported_at'],
            null_values: ['', 'NULL', '\\N'],
            columns: { amount: { abs: 0.5 }, customer: { trim: true, case: 'insensitive' } },
          },
          history: [{ at: '2026-12-07T10:00:00Z', from: null, to: 'inventoried', by: 'Jane', reason: 'found by assess: line 3\nand line 4' }],
        },
      ],
    };
    const doc = new Document(inventory);
    doc.commentBefore = ' The job inventory: see docs/parity.md';
    const text = doc.toString();
    writeFileSync(path.join(dir, 'jobs.yaml'), text);
    const parsed = spawnSync(
      'python3',
      ['-c', 'import json, sys; from billing.parity import yamlite; print(json.dumps(yamlite.load(open("jobs.yaml", encoding="utf-8").read())))'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: path.join(dir, 'src') } },
    );
    expect(parsed.status, parsed.stderr).toBe(0);
    expect(JSON.parse(parsed.stdout)).toEqual(inventory);

    writeFileSync(path.join(dir, 'legacy.csv'), LEGACY);
    writeFileSync(path.join(dir, 'new.csv'), ['invoice_id,customer,amount', '1, acme ,10.40', '2,GLOBEX,20.50', '3,Initech,30.25'].join('\n') + '\n');
    const green = parity(['billing-extract', '--date', '2026-12-07']);
    expect(green.status, green.stderr).toBe(0);
    expect(report('billing-extract', '2026-12-07').rules).toMatchObject({ key: ['invoice_id'], columns: { amount: { abs: '0.5' } } });
    const overridden = parity(['billing-extract', '--date', '2026-12-08', '--tolerance', 'amount=0.1']);
    expect(overridden.status, overridden.stderr).toBe(1);
  }, 120_000);
});

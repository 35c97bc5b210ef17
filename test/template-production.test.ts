/**
 * What a generated project needs to run in production (issue 23), checked without the Kailash SDK:
 * `add workflow` writes its console script and, for an LLM workflow, the pinned kailash-kaizen into
 * pyproject.toml (once, and never into a project without the template's markers); the generated
 * Python, built-in and added workflows alike, is `ruff check`- and `ruff format`-clean (Ruff's
 * WebAssembly build, with the settings of the project's own pyproject.toml); the SQL Server image
 * installs its ODBC driver.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { describe, expect, it } from 'vitest';
import { insertAfterMarker } from '../src/core/register.js';
import { runCli, tempDir } from './helpers/cli.js';
import { pythonRun } from './helpers/python.js';

async function generate(name: string, sets: string[]): Promise<string> {
  const parent = tempDir();
  const r = await runCli([name, '--yes', '--no-git', ...sets.flatMap((s) => ['--set', s])], { cwd: parent });
  expect(r.code, r.stderr).toBe(0);
  return path.join(parent, name);
}

async function add(dir: string, ...args: string[]) {
  const r = await runCli(['add', ...args, '--yes'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const toml = (file: string) =>
  JSON.parse(pythonRun('import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))', readFileSync(file, 'utf8'))) as {
    project: { dependencies: string[]; scripts: Record<string, string> };
    tool: { ruff: { 'line-length': number; lint: { select: string[]; ignore: string[]; isort: Record<string, string[]> } } };
  };

describe('insertAfterMarker', () => {
  const m = { file: 'f', marker: '# add below', line: '"x==1",', present: (t: string) => t.includes('"x==1"') };
  it.each([
    ['after the marker line, with its indentation', 'deps = [\n    # add below\n]\n', 'deps = [\n    # add below\n    "x==1",\n]\n'],
    ['keeping CRLF line ends', 'a\r\n  # add below\r\nb\r\n', 'a\r\n  # add below\r\n  "x==1",\r\nb\r\n'],
    ['not twice', 'deps = [\n    # add below\n    "x==1",\n]\n', 'deps = [\n    # add below\n    "x==1",\n]\n'],
    ['not at all without the marker', 'deps = [\n]\n', 'deps = [\n]\n'],
    ['at the end of a file without a final newline', '# add below', '# add below\n"x==1",\n'],
  ])('inserts %s', (_, before, after) => {
    expect(insertAfterMarker(before, m)).toBe(after);
  });
});

describe('add workflow and pyproject.toml', () => {
  it('adds the console script of each workflow, and kailash-kaizen at its pin once for LLM workflows', async () => {
    const dir = await generate('plain', ['patterns=etl']);
    const file = path.join(dir, 'pyproject.toml');
    expect(toml(file).project.dependencies.some((d) => d.startsWith('kailash-kaizen'))).toBe(false);
    const r = await add(dir, 'workflow', 'monthly_kpis', '--pattern', 'reporting', '--source', 'csv');
    expect(r.stdout + r.stderr).toContain('pyproject.toml');
    await add(dir, 'workflow', 'quarter_kpis', '--pattern', 'reporting', '--source', 'csv');
    await add(dir, 'workflow', 'partner_feed', '--pattern', 'api', '--source', 'csv');
    const project = toml(file).project;
    expect(project.dependencies.filter((d) => d.startsWith('kailash-kaizen'))).toEqual(['kailash-kaizen==2.46.0']);
    expect(project.scripts).toMatchObject({
      'plain-etl': 'plain.workflows.etl_pipeline:main',
      'plain-monthly-kpis': 'plain.workflows.monthly_kpis:main',
      'plain-quarter-kpis': 'plain.workflows.quarter_kpis:main',
      'plain-partner-feed': 'plain.workflows.partner_feed:main',
    });
  }, 120_000);

  it('leaves a pyproject.toml without the template markers as it is, and a dry run writes nothing', async () => {
    const dir = await generate('older', ['patterns=etl']);
    const file = path.join(dir, 'pyproject.toml');
    const older = readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('create-migration add')).join('\n');
    writeFileSync(file, older);
    await add(dir, 'workflow', 'monthly_kpis', '--pattern', 'reporting', '--source', 'csv');
    expect(readFileSync(file, 'utf8')).toBe(older);

    const fresh = await generate('fresh', ['patterns=etl']);
    const before = readFileSync(path.join(fresh, 'pyproject.toml'), 'utf8');
    await add(fresh, 'workflow', 'monthly_kpis', '--pattern', 'reporting', '--source', 'csv', '--dry-run');
    expect(readFileSync(path.join(fresh, 'pyproject.toml'), 'utf8')).toBe(before);
  }, 120_000);
});

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pythonFiles(p));
    else if (name.endsWith('.py')) out.push(p);
  }
  return out;
}

describe('the generated Python is ruff-clean', () => {
  it('passes `ruff check` and `ruff format --check` for every choice, added workflows included', async () => {
    const sets = [
      ['data_sources=csv,database,rest_api,sftp,queue,spreadsheet', 'database_kind=postgresql', 'patterns=etl,api,reporting', 'delivery_target=sftp', 'llm_provider=anthropic'],
      ['data_sources=csv', 'patterns=etl', 'deployment=kubernetes', 'ci=none'],
      ['data_sources=database,queue', 'database_kind=mysql', 'patterns=api,reporting', 'llm_provider=ollama', 'ci=gitlab'],
      ['data_sources=sftp,spreadsheet,database', 'database_kind=sqlserver', 'patterns=reporting'],
      ['data_sources=database', 'database_kind=sqlite', 'patterns=etl,api'],
      ['data_sources=rest_api', 'database_kind=oracle', 'patterns=api', 'python_version=3.13'],
    ];
    const problems: string[] = [];
    for (const [i, set] of sets.entries()) {
      const name = `proj${i}`;
      const dir = await generate(name, set);
      // A project delivering to SFTP: an added API workflow delivers there too.
      if (i === 0) await add(dir, 'workflow', 'partner_drop', '--pattern', 'api', '--source', 'csv');
      if (i === 1) {
        await add(dir, 'workflow', 'monthly_kpis', '--pattern', 'reporting', '--source', 'csv');
        await add(dir, 'workflow', 'partner_feed', '--pattern', 'api', '--source', 'csv,rest_api');
        await add(dir, 'workflow', 'night_load', '--pattern', 'etl', '--source', 'queue');
        await add(dir, 'node', 'CobolFileReader');
      }
      // The settings of the project's own pyproject.toml; the package is first-party as `src` says.
      const ruff = toml(path.join(dir, 'pyproject.toml')).tool.ruff;
      const ws = new Workspace(
        {
          'line-length': ruff['line-length'],
          lint: { select: ruff.lint.select, ignore: ruff.lint.ignore, isort: { ...ruff.lint.isort, 'known-first-party': [name] } },
        },
        PositionEncoding.Utf16,
      );
      for (const file of pythonFiles(dir)) {
        const source = readFileSync(file, 'utf8');
        const where = `${set.join(' ')}: ${path.relative(dir, file)}`;
        if (ws.format(source) !== source) problems.push(`${where}: not ruff-formatted`);
        for (const d of ws.check(source) as { code: string; message: string; start_location: { row: number } }[]) {
          problems.push(`${where}:${d.start_location.row}: ${d.code} ${d.message}`);
        }
      }
      ws.free();
    }
    expect(problems).toEqual([]);
  }, 300_000);
});

// A Python with pytest but without the project's dependencies: a newcomer's first `pytest`.
const BARE_PYTHON = process.env.BARE_PYTHON || 'python3';
const bare =
  spawnSync(BARE_PYTHON, ['-c', 'import pytest\ntry:\n    import kailash\nexcept ImportError:\n    raise SystemExit(0)\nraise SystemExit(1)'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!bare)('pytest without the dependencies installed', () => {
  it('stops before the first test with one message naming what is missing and how to install it', async () => {
    const dir = await generate('newcomer', ['patterns=etl,reporting', 'llm_provider=openai']);
    const r = spawnSync(BARE_PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(4);
    expect(out).toContain('kailash==2.63.0: cannot import kailash');
    expect(out).toContain('kailash-kaizen==2.46.0: cannot import kaizen');
    expect(out).toContain('Install them with: python -m pip install -e ".[dev]"');
    expect(out).not.toMatch(/\d+ (passed|skipped)/);
  }, 120_000);
});

describe('the container image', () => {
  it('installs unixODBC and Microsoft ODBC Driver 18 for SQL Server, and only there', async () => {
    const mssql = readFileSync(path.join(await generate('mssql', ['data_sources=database', 'database_kind=sqlserver']), 'Dockerfile'), 'utf8');
    expect(mssql).toMatch(/apt-get install [^\n]*unixodbc/);
    expect(mssql).toContain('ACCEPT_EULA=Y apt-get install -y --no-install-recommends msodbcsql18');
    const pg = readFileSync(path.join(await generate('pg', ['data_sources=database', 'database_kind=postgresql']), 'Dockerfile'), 'utf8');
    expect(pg).not.toContain('msodbcsql18');
  }, 120_000);
});

import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, tempDir, testEnv } from './helpers/cli.js';
import { builtinTemplateRepo, edit, gitIn } from './helpers/git.js';

/** A template repository whose v1.1.0 tag forgot to bump template.yaml (it still says 1.0.0). */
function forgetfulTemplate(dir: string): string {
  cpSync(path.join(ROOT, 'templates/kailash-migration'), dir, { recursive: true });
  edit(path.join(dir, 'template.yaml'), (t) => t.replace(/^version: .*$/m, 'version: 1.0.0'));
  gitIn(dir, 'init', '-q');
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-qm', 'v1.0.0');
  gitIn(dir, 'tag', 'v1.0.0');
  edit(path.join(dir, 'files/docs/kailash-mapping.md'), (t) => `${t}\nA note added in 1.1.0.\n`);
  gitIn(dir, 'commit', '-qam', 'v1.1.0');
  gitIn(dir, 'tag', 'v1.1.0');
  return dir;
}

describe('sync --check names versions so that a person can tell them apart', () => {
  it('a tag whose template.yaml says another version: both are named, never "1.0.0 -> 1.0.0"', async () => {
    const tpl = forgetfulTemplate(tempDir('cm-tpl-'));
    const root = tempDir();
    for (const name of ['a', 'b']) {
      const g = await runCli([name, '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
      expect(g.code, g.stderr).toBe(0);
    }
    const r = await runCli(['sync', '--check', 'a', 'b'], { cwd: root });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^a: behind \(1\.0\.0 -> tag v1\.1\.0 declaring 1\.0\.0\)/m);
    expect(r.stdout + r.stderr).not.toMatch(/(\d+\.\d+\.\d+) -> \1(?![\d.])/);
  });
});

const hasScript = spawnSync('which', ['script']).status === 0;

/** Runs the built CLI on a real terminal (util-linux `script`), returning the raw bytes it drew. */
function onTerminal(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env: testEnv({ NO_COLOR: '', ...env }), encoding: 'utf8', timeout: 60_000 });
  return r.stdout;
}

describe('colour and order of what sync shows', () => {
  async function behindProject(): Promise<string> {
    const tpl = builtinTemplateRepo(tempDir('cm-tpl-'), (repo) => edit(path.join(repo, 'files/docs/kailash-mapping.md'), (t) => `${t}\nTemplate 1.1.0 note on mapping.\n`));
    const root = tempDir();
    const g = await runCli(['proj', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
    expect(g.code, g.stderr).toBe(0);
    return path.join(root, 'proj');
  }

  it.skipIf(!hasScript)('a dry run on a terminal colours its diff, and shows the manifest last', async () => {
    const dir = await behindProject();
    const raw = onTerminal(dir, ['sync', '--dry-run']);
    expect(raw).toMatch(/\x1b\[32m\+Template 1\.1\.0 note on mapping\./);
    expect(raw).toMatch(/\x1b\[31m-\s*"version": "1\.0\.0"/);
    const plain = raw.replace(/\x1b\[[0-9;]*m/g, '');
    const headers = [...plain.matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]);
    expect(headers).toContain('docs/kailash-mapping.md');
    expect(headers.indexOf('.migration-template.json')).toBe(headers.length - 1);
    expect(headers.at(-1)).toBe('.migration-template.json');
    expect(onTerminal(dir, ['sync', '--dry-run'], { NO_COLOR: '1' })).not.toMatch(/\x1b\[3[12]m/);
  });

  it('piped, the same diff has no colour and still applies; FORCE_COLOR colours a pipe too', async () => {
    const dir = await behindProject();
    const r = await runCli(['sync', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout.indexOf('+++ b/docs/kailash-mapping.md')).toBeLessThan(r.stdout.indexOf('+++ b/.migration-template.json'));
    writeFileSync(path.join(dir, '..', 'dry.patch'), r.stdout);
    expect(spawnSync('git', ['apply', '--check', '../dry.patch'], { cwd: dir }).status).toBe(0);

    const forced = await runCli(['status'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[1m');
    const off = await runCli(['status'], { cwd: dir, env: { FORCE_COLOR: '0', NO_COLOR: '' } });
    expect(off.stdout).not.toContain('\x1b[');
  });
});

describe('sync over many projects', () => {
  async function fleet(): Promise<string> {
    const tpl = builtinTemplateRepo(tempDir('cm-tpl-'), (repo) => edit(path.join(repo, 'files/docs/kailash-mapping.md'), (t) => `${t}\nTemplate 1.1.0 note on mapping.\n`));
    const root = tempDir();
    for (const name of ['alpha', 'bravo', 'charlie', 'delta']) {
      const g = await runCli([name, '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: root });
      expect(g.code, g.stderr).toBe(0);
    }
    // charlie's team wrote where the template writes: a conflict. delta is not a project at all.
    edit(path.join(root, 'charlie/docs/kailash-mapping.md'), (t) => `${t}\nOur own closing note.\n`);
    gitIn(path.join(root, 'charlie'), 'commit', '-qam', 'our note');
    rmSync(path.join(root, 'delta/.migration-template.json'));
    gitIn(path.join(root, 'delta'), 'commit', '-qam', 'unlinked');
    return root;
  }
  const projects = ['alpha', 'bravo', 'charlie', 'delta'];

  it('sums up the ones that need a person first, failures then conflicts, each with why', async () => {
    const root = await fleet();
    const r = await runCli(['sync', ...projects], { cwd: root });
    expect(r.code).toBe(2);
    const table = r.stdout.slice(r.stdout.lastIndexOf('\nproject '));
    const rows = table.split('\n').filter((l) => /^(alpha|bravo|charlie|delta)\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['delta', 'charlie', 'alpha', 'bravo']);
    expect(rows[0]).toMatch(/failed \(exit 2\)\s+.*has no \.migration-template\.json/);
    expect(rows[1]).toMatch(/1 conflict\(s\)\s+resolve docs\/kailash-mapping\.md/);
    expect(rows[2]).toMatch(/1\.0\.0 -> 1\.1\.0\s+synced/);
    // Piped, there is no progress drawn on stderr.
    expect(r.stderr).not.toMatch(/syncing \[|\d\/4/);
  });

  it.skipIf(!hasScript)('shows a bar and a count on a terminal while it works', async () => {
    const root = await fleet();
    const raw = onTerminal(root, ['sync', '--check', ...projects]);
    for (let n = 0; n <= 4; n++) expect(raw).toMatch(new RegExp(`checking \\[[#-]+\\] ${n}/4`));
    // The line is cleared before the report: no bar is left inside it.
    expect(raw).toMatch(/\r\x1b\[K/);
  });
});

/**
 * The read-only project session (src/edge/project/reader.ts): what fleet and status read a
 * project with. The same rules as the writing session's reads, a bound on every read, and no
 * lock, journal or git: a look never waits on a running sync and never undoes its journal.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectReader } from '../src/edge/project/reader.js';
import { runCli, tempDir } from './helpers/cli.js';

function folder(files: Record<string, string>): string {
  const dir = tempDir('cm-reader-');
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

describe('ProjectReader', () => {
  it('reads a regular file, answers undefined for nothing or a folder, and lists plain files only', () => {
    const dir = folder({ 'docs/a.md': 'a\n', 'docs/sub/b.md': 'b\n' });
    const r = ProjectReader.openReadOnly({ dir, manifest: 'optional' });
    expect(new TextDecoder().decode(r.read('docs/a.md'))).toBe('a\n');
    expect(r.read('docs/none.md')).toBeUndefined();
    expect(r.read('docs/sub')).toBeUndefined();
    expect(r.listFiles('docs')).toEqual(['docs/a.md']);
    expect(r.manifest).toBeUndefined();
  });

  it('refuses a file over its bound without reading it, naming the file and the caller', () => {
    const dir = folder({ 'big.txt': 'x'.repeat(11) });
    const r = ProjectReader.openReadOnly({ dir, manifest: 'optional' });
    expect(() => r.read('big.txt', 'fleet', { maxBytes: 10 })).toThrow(/fleet: big\.txt: is 11 bytes, more than the 10 bytes/);
    expect(r.read('big.txt', 'fleet', { maxBytes: 11 })?.length).toBe(11);
  });

  it('never reads through a link on the way or at the path, nor a path the rule refuses', () => {
    const dir = folder({ 'docs/a.md': 'a\n' });
    const outside = folder({ 'secret.md': 'hunter2\n' });
    symlinkSync(outside, path.join(dir, 'linked'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'docs/s.md'));
    const r = ProjectReader.openReadOnly({ dir, manifest: 'optional' });
    expect(() => r.read('linked/secret.md', 'status')).toThrow(/linked: is a symbolic link in the project/);
    expect(() => r.read('docs/s.md', 'status')).toThrow(/docs\/s\.md: is a symbolic link/);
    expect(() => r.listFiles('linked', 'status')).toThrow(/symbolic link/);
    expect(() => r.read('../outside.md', 'status')).toThrow(/path "\.\.\/outside\.md"/);
    expect(() => r.read('.git/config', 'status')).toThrow(/\.git/);
  });

  it('never opens a FIFO', () => {
    const dir = folder({});
    if (spawnSync('mkfifo', [path.join(dir, 'pipe.md')]).status !== 0) return;
    const r = ProjectReader.openReadOnly({ dir, manifest: 'optional' });
    expect(() => r.read('pipe.md', 'fleet')).toThrow(/pipe\.md: is a FIFO/);
  });

  it('a required manifest that is missing: the not-a-project message', () => {
    const dir = folder({ 'README.md': 'x\n' });
    expect(() => ProjectReader.openReadOnly({ dir, manifest: 'required' })).toThrow(/is not a migration project/);
  });
});

describe('status and fleet read through it: no lock, no journal', () => {
  it('status and fleet run while another run holds the lock, and leave a killed run\'s journal for the next writer', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    // Another create-migration (this test process) holds the lock; a killed run left a journal.
    writeFileSync(path.join(dir, '.git/create-migration.lock'), String(process.pid));
    const journal = path.join(dir, '.git/create-migration-journal.json');
    writeFileSync(journal, '{"not":"touched"}');
    const s = await runCli(['status', '--json'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).checklists.length).toBeGreaterThan(4);
    const f = await runCli(['fleet', dir, '--json'], { cwd: tmp });
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(f.stdout).projects[0].error).toBeUndefined();
    expect(readFileSync(journal, 'utf8')).toBe('{"not":"touched"}');
    // A writer still waits for the lock.
    const w = await runCli(['status', '--write'], { cwd: dir });
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/another create-migration \(pid \d+\) is working on it/);
  });

  it('fleet does not read checklists through a linked folder: the row says so', async () => {
    const tmp = tempDir();
    expect((await runCli(['p', '--yes', '--no-git'], { cwd: tmp })).code).toBe(0);
    const dir = path.join(tmp, 'p');
    const outside = path.join(tmp, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.md'), '# Secret\n\n- [x] hunter2\n');
    spawnSync('mv', [path.join(dir, 'docs/checklists'), path.join(tmp, 'moved')]);
    symlinkSync(outside, path.join(dir, 'docs/checklists'));
    const f = await runCli(['fleet', dir, '--json'], { cwd: tmp });
    const row = JSON.parse(f.stdout).projects[0];
    expect(row.error).toMatch(/docs\/checklists: is a symbolic link in the project/);
    expect(f.stdout).not.toContain('hunter2');
  });
});

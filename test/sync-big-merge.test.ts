import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { gitIn } from './helpers/git.js';

// A sync whose template rewrote a big file the team rewrote too: the new pristine file is
// deflated on node's thread pool while the merge runs (deflateAhead), and each side's git id is
// computed once and remembered (src/edge/git/object-id.ts). What it records must be exactly
// what git and the manifest's own hash say, from the template cache or not.

const LINES = 30_000;
const codeLine = (i: number, tag: string) => (i % 7 === 0 ? '' : i % 7 === 6 ? '  }' : `  const value${i} = compute(${tag}, ${i});`);
const textOf = (tag: string, rewrites: (i: number) => boolean) => Array.from({ length: LINES }, (_, i) => `${codeLine(i, rewrites(i) ? tag : 'base')}\n`).join('');

describe('a sync merging a big file both the template and the team rewrote', () => {
  let tpl: string;
  let project: string;
  const theirs = textOf('theirs', (i) => (i + 2) % 5 < 3);
  const ours = textOf('ours', (i) => i % 5 < 3);
  const base = textOf('base', () => false);

  beforeAll(async () => {
    const tmp = tempDir('cm-big-merge-');
    tpl = path.join(tmp, 'tpl');
    mkdirSync(path.join(tpl, 'files/src'), { recursive: true });
    writeFileSync(path.join(tpl, 'template.yaml'), 'name: merge\nversion: 1.0.0\nquestions:\n  - { key: project_name, type: slug, default: "{{dir_name}}" }\n');
    writeFileSync(path.join(tpl, 'files/src/big.py'), base);
    gitIn(tpl, 'init', '-q');
    gitIn(tpl, 'add', '-A');
    gitIn(tpl, 'commit', '-qm', 'v1');
    gitIn(tpl, 'tag', 'v1.0.0');
    writeFileSync(path.join(tpl, 'template.yaml'), readFileSync(path.join(tpl, 'template.yaml'), 'utf8').replace('version: 1.0.0', 'version: 1.1.0'));
    writeFileSync(path.join(tpl, 'files/src/big.py'), theirs);
    gitIn(tpl, 'add', '-A');
    gitIn(tpl, 'commit', '-qm', 'v2');
    gitIn(tpl, 'tag', 'v1.1.0');
    const made = await runCli(['p', '--template', `${tpl}#v1.0.0`, '--yes'], { cwd: tmp });
    expect(made.code, made.stderr).toBe(0);
    project = path.join(tmp, 'p');
    writeFileSync(path.join(project, 'src/big.py'), ours);
    gitIn(project, 'commit', '-qam', 'team edit');
  }, 120_000);

  it('records git’s ids for the three stages, the template’s own blob on the pristine branch, and the manifest hash of the new file; the same again from the template cache', async () => {
    const blobOf = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest('hex');
    const results: string[] = [];
    for (const run of ['first (fills the cache)', 'second (from the cache)']) {
      const dir = path.join(tempDir('cm-big-merge-run-'), 'p');
      cpSync(project, dir, { recursive: true });
      const r = await runCli(['sync'], { cwd: dir });
      expect(r.code, `${run}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toMatch(/conflict\s+src\/big\.py/);
      // The conflict's stages: base, ours, theirs, as git hashes them.
      expect(gitIn(dir, 'ls-files', '-s', 'src/big.py').trim().split('\n').map((l) => l.split(/\s+/).slice(1, 3).join(' '))).toEqual([`${blobOf(base)} 1`, `${blobOf(ours)} 2`, `${blobOf(theirs)} 3`]);
      // The pristine branch holds the template's file: the very blob the template repository has.
      expect(gitIn(dir, 'rev-parse', 'migration-template:src/big.py').trim()).toBe(gitIn(tpl, 'rev-parse', 'v1.1.0:files/src/big.py').trim());
      expect(gitIn(dir, 'cat-file', 'blob', 'migration-template:src/big.py')).toBe(theirs);
      const manifest = JSON.parse(readFileSync(path.join(dir, '.migration-template.json'), 'utf8')) as { files: Record<string, string> };
      expect(manifest.files['src/big.py']).toBe(createHash('sha256').update(theirs).digest('hex'));
      expect(gitIn(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
      results.push(gitIn(dir, 'rev-parse', 'migration-template^{tree}'), readFileSync(path.join(dir, 'src/big.py'), 'utf8'));
    }
    expect(results[2]).toBe(results[0]);
    expect(results[3]).toBe(results[1]);
  }, 120_000);
});

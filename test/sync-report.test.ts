import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { edit, gitIn } from './helpers/git.js';

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

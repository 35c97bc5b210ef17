import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.js';
import { writeTree } from './helpers/template-repo.js';

// `template check` hands a template's Python and TOML to python3 to compile and parse. A template
// is untrusted: the modules it ships (json.py, tomllib.py, sitecustomize.py, ...) must never be
// imported by that python3, wherever they sit and whatever the environment says.

const SPEC = `name: planted
version: 1.0.0
questions:
  - { key: project_name, type: slug, default: "{{dir_name}}" }
`;

/** A module that, if imported, leaves a file named after itself in `marks`. */
const planted = (marks: string, name: string) =>
  `import os\nopen(os.path.join(${JSON.stringify(marks)}, ${JSON.stringify(name)}), "w").write("ran")\n`;

interface Attack {
  what: string;
  /** Files of the template folder, beside template.yaml. */
  tree: (marks: string) => Record<string, string>;
  /** Where the check is started, relative to the template folder. */
  cwd: string;
  env?: (tpl: string, home: string) => Record<string, string>;
  /** Files under the fake home. */
  home?: (marks: string) => Record<string, string>;
}

const ATTACKS: Attack[] = [
  { what: 'json.py beside template.yaml, run from the template folder', cwd: '.', tree: (m) => ({ 'json.py': planted(m, 'json') }) },
  { what: 'tomllib.py beside template.yaml, run from the template folder', cwd: '.', tree: (m) => ({ 'tomllib.py': planted(m, 'tomllib') }) },
  { what: 'json.py and yaml.py under files/, run from files/', cwd: 'files', tree: (m) => ({ 'files/json.py': planted(m, 'files-json'), 'files/yaml.py': planted(m, 'files-yaml') }) },
  { what: 'sitecustomize.py on PYTHONPATH', cwd: '.', tree: (m) => ({ 'lib/sitecustomize.py': planted(m, 'sitecustomize') }), env: (tpl) => ({ PYTHONPATH: path.join(tpl, 'lib') }) },
  { what: 'json.py on PYTHONPATH', cwd: '..', tree: (m) => ({ 'lib/json.py': planted(m, 'pythonpath-json') }), env: (tpl) => ({ PYTHONPATH: path.join(tpl, 'lib') }) },
  {
    what: 'usercustomize.py in the user site of HOME',
    cwd: '.',
    tree: () => ({}),
    env: (_tpl, home) => ({ HOME: home, PYTHONUSERBASE: path.join(home, '.local') }),
    home: (m) => Object.fromEntries(['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14'].map((v) => [`.local/lib/python${v}/site-packages/usercustomize.py`, planted(m, `user-${v}`)])),
  },
  { what: 'PYTHONSTARTUP with PYTHONINSPECT', cwd: '.', tree: (m) => ({ 'startup.py': planted(m, 'startup') }), env: (tpl) => ({ PYTHONSTARTUP: path.join(tpl, 'startup.py'), PYTHONINSPECT: '1' }) },
];

describe('template check runs no code from the template', () => {
  for (const a of ATTACKS) {
    it(`${a.what}: never imported; a broken file is still reported`, async () => {
      const dir = tempDir('cm-iso-');
      const marks = path.join(dir, 'marks');
      mkdirSync(marks);
      const tpl = path.join(dir, 'tpl');
      const home = path.join(dir, 'home');
      writeTree(tpl, {
        'template.yaml': SPEC,
        'files/src/ok.py': 'VALUE = 1\n',
        'files/src/broken.py': 'def broken(:\n',
        'files/settings.toml': '[tool]\nname = \n',
        ...a.tree(marks),
      });
      writeTree(home, a.home?.(marks) ?? {});
      const cwd = path.resolve(tpl, a.cwd);
      const r = await runCli(['template', 'check', path.relative(cwd, tpl) || '.', '--json'], { cwd, env: a.env?.(tpl, home), timeoutMs: 60_000 });
      expect(readdirSync(marks)).toEqual([]);
      expect(r.code, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout) as { findings: { file: string; message: string }[]; notes?: string[] };
      expect(out.findings.find((f) => f.file === 'src/broken.py')?.message).toMatch(/Python: .*line 1/);
      expect(out.findings.find((f) => f.file === 'settings.toml')?.message).toMatch(/TOML/);
      expect(out.findings.some((f) => f.file === 'src/ok.py')).toBe(false);
    }, 60_000);
  }
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ExternalItem } from '../core/template-check/check.js';
import { boundMs } from './bounds.js';

/**
 * Compiles the Python and parses the TOML in one python3 process (one start for hundreds of
 * files). The texts are only compiled, never run.
 */
const CHECKER = `
import json, sys
try:
    import tomllib
except ImportError:
    tomllib = None
errors = {}
for item in json.loads(sys.stdin.buffer.read().decode("utf-8")):
    try:
        if item["kind"] == "python":
            compile(item["text"], item["name"], "exec", dont_inherit=True)
        elif tomllib is not None:
            tomllib.loads(item["text"])
    except SyntaxError as e:
        errors[item["id"]] = f"Python: {e.msg} (line {e.lineno})"
    except Exception as e:
        errors[item["id"]] = f"{'TOML' if item['kind'] == 'toml' else 'Python'}: {e}"
sys.stdout.write(json.dumps({"errors": errors, "toml": tomllib is not None}))
`;
import { tmpDir } from './os-lazy.js';

/**
 * How python3 is started: isolated (-I: no script folder or current folder on sys.path, no
 * PYTHON* variables, no user site) and without the site module (-S: no sitecustomize or
 * usercustomize anywhere), in an empty folder of its own, with an environment of PATH alone.
 * A template that ships json.py, tomllib.py or sitecustomize.py is data to it, never code.
 */
export function isolatedPython(): { args: string[]; cwd: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const cwd = mkdtempSync(path.join(tmpDir(), 'cm-python-'));
  return {
    args: ['-I', '-S', '-B'],
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' },
    cleanup: () => rmSync(cwd, { recursive: true, force: true }),
  };
}

export function externalCheck(items: ExternalItem[]): { errors: Map<number, string>; skipped?: string } {
  if (!items.length) return { errors: new Map() };
  const py = isolatedPython();
  try {
    const r = spawnSync('python3', [...py.args, '-c', CHECKER], {
      cwd: py.cwd,
      env: py.env,
      input: JSON.stringify(items),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: boundMs('python'),
      killSignal: 'SIGKILL',
    });
    if (r.error || r.status !== 0) {
      const why = r.error?.message ?? (r.signal ? `stopped after ${boundMs('python') / 1000} s` : r.stderr.trim().split('\n').at(-1));
      return { errors: new Map(), skipped: `python3 could not run (${why}): Python and TOML files were not checked` };
    }
    const out = JSON.parse(r.stdout) as { errors: Record<string, string>; toml: boolean };
    return {
      errors: new Map(Object.entries(out.errors).map(([k, v]) => [Number(k), v])),
      skipped: out.toml ? undefined : 'this python3 has no tomllib (3.11+): TOML files were not checked',
    };
  } finally {
    py.cleanup();
  }
}

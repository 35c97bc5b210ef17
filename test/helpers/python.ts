import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Checks generated files with Python in one process: .py compile, YAML and TOML parse, JSON
 * loads. Returns one line per failure (empty when all pass).
 */
export function pythonCheck(dir: string, files: string[]): string[] {
  const script = `
import json, sys, tomllib
try:
    import yaml
except ImportError:
    yaml = None
root = sys.argv[1]
bad = []
for rel in sys.argv[2:]:
    p = root + "/" + rel
    try:
        if rel.endswith(".py"):
            compile(open(p, "rb").read(), p, "exec", dont_inherit=True)
        elif rel.endswith((".yml", ".yaml")):
            if yaml is None:
                raise RuntimeError("PyYAML missing")
            yaml.safe_load(open(p, encoding="utf-8"))
        elif rel.endswith(".toml"):
            tomllib.load(open(p, "rb"))
        elif rel.endswith(".json"):
            json.load(open(p, encoding="utf-8"))
    except Exception as e:
        bad.append(f"{rel}: {type(e).__name__}: {e}")
print(json.dumps(bad))
`;
  const checked = files.filter((f) => /\.(py|ya?ml|toml|json)$/.test(f));
  const r = spawnSync('python3', ['-c', script, dir, ...checked], { encoding: 'utf8' });
  if (r.status !== 0) return [`python3 failed: ${r.stderr}`];
  return JSON.parse(r.stdout) as string[];
}

/** Evaluates Python literal expressions and returns their values as JSON. */
export function pythonLiteralEval(literals: string[]): unknown[] {
  const script = `
import ast, json, sys
print(json.dumps([ast.literal_eval(s) for s in json.load(sys.stdin)]))
`;
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(literals), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as unknown[];
}

export function pythonRun(script: string, input: string): string {
  const r = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

export const rel = (root: string, p: string) => path.relative(root, p).split(path.sep).join('/');

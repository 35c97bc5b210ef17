import { spawnSync } from 'node:child_process';
import type { ExternalItem } from '../core/template-check/check.js';

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
for item in json.load(sys.stdin):
    try:
        if item["kind"] == "python":
            compile(item["text"], item["name"], "exec", dont_inherit=True)
        elif tomllib is not None:
            tomllib.loads(item["text"])
    except SyntaxError as e:
        errors[item["id"]] = f"Python: {e.msg} (line {e.lineno})"
    except Exception as e:
        errors[item["id"]] = f"{'TOML' if item['kind'] == 'toml' else 'Python'}: {e}"
print(json.dumps({"errors": errors, "toml": tomllib is not None}))
`;

export function externalCheck(items: ExternalItem[]): { errors: Map<number, string>; skipped?: string } {
  if (!items.length) return { errors: new Map() };
  const r = spawnSync('python3', ['-c', CHECKER], { input: JSON.stringify(items), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) return { errors: new Map(), skipped: `python3 could not run (${r.error?.message ?? r.stderr.trim().split('\n').at(-1)}): Python and TOML files were not checked` };
  const out = JSON.parse(r.stdout) as { errors: Record<string, string>; toml: boolean };
  return {
    errors: new Map(Object.entries(out.errors).map(([k, v]) => [Number(k), v])),
    skipped: out.toml ? undefined : 'this python3 has no tomllib (3.11+): TOML files were not checked',
  };
}

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { gitBytes, isRepoRoot, listTags } from '../../edge/git.js';
import { loadTemplateDir } from '../../edge/template-dir.js';
import { bold, dim, printJson, say } from '../output.js';
import { findings as collect, planCheck, tagFindings, type ExternalItem, type Finding } from '../../core/template-check/check.js';
import { semverTags } from '../../core/template/semver.js';

export interface TemplateCheckFlags {
  json?: boolean;
}

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

function externalCheck(items: ExternalItem[]): { errors: Map<number, string>; skipped?: string } {
  if (!items.length) return { errors: new Map() };
  const r = spawnSync('python3', ['-c', CHECKER], { input: JSON.stringify(items), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) return { errors: new Map(), skipped: `python3 could not run (${r.error?.message ?? r.stderr.trim().split('\n').at(-1)}): Python and TOML files were not checked` };
  const out = JSON.parse(r.stdout) as { errors: Record<string, string>; toml: boolean };
  return {
    errors: new Map(Object.entries(out.errors).map(([k, v]) => [Number(k), v])),
    skipped: out.toml ? undefined : 'this python3 has no tomllib (3.11+): TOML files were not checked',
  };
}

/** Each semver tag's template.yaml version, read in one git cat-file. */
async function tagVersions(dir: string): Promise<{ tag: string; version?: string }[]> {
  const tags = semverTags(await listTags(dir));
  if (!tags.length) return [];
  const input = new TextEncoder().encode(tags.map((t) => `refs/tags/${t}:template.yaml\n`).join(''));
  const out = await gitBytes(dir, ['cat-file', '--batch'], input);
  const { parse } = await import('yaml');
  const result: { tag: string; version?: string }[] = [];
  let at = 0;
  for (const tag of tags) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString('utf8');
    at = nl + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (!size) {
      result.push({ tag }); // "<name> missing": the tag has no template.yaml
      continue;
    }
    const text = out.subarray(at, at + Number(size)).toString('utf8');
    at += Number(size) + 1;
    let version: string | undefined;
    try {
      const doc = parse(text, { maxAliasCount: 50 }) as { version?: unknown } | null;
      if (typeof doc?.version === 'string' || typeof doc?.version === 'number') version = String(doc.version);
    } catch {
      // unreadable: reported as such
    }
    result.push({ tag, version });
  }
  return result;
}

const showAnswers = (a: Finding['answers']) =>
  a && Object.keys(a).length ? Object.entries(a)
        .map(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? `${k} includes ${v.includes}` : `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : JSON.stringify(v)}`))
        .join(', ') : 'every combination';

export async function templateCheckCommand(dir: string | undefined, flags: TemplateCheckFlags): Promise<number> {
  const root = path.resolve(dir ?? '.');
  if (!existsSync(path.join(root, 'template.yaml'))) throw new InputError(`${dir ?? '.'}: has no template.yaml; give the folder of a template (template.yaml and files/).`);
  const found: Finding[] = [];
  const notes: string[] = [];
  let combos = 0;
  let files = 0;
  let template: { name: string; version: string } | undefined;
  try {
    const tpl = await loadTemplateDir(root);
    template = { name: tpl.spec.name, version: tpl.spec.version };
    const plan = planCheck(tpl);
    combos = plan.combos.length;
    files = tpl.files.size;
    const ext = externalCheck(plan.external);
    if (ext.skipped) notes.push(ext.skipped);
    found.push(...collect(plan, ext.errors));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    found.push({ kind: 'spec', file: 'template.yaml', message: e.message });
  }
  if (await isRepoRoot(root)) found.push(...tagFindings(await tagVersions(root)));
  const exitCode = found.length ? 1 : 0;
  if (flags.json) {
    printJson({ ok: exitCode === 0, command: 'template check', exitCode, dir: root, template, combinations: combos, files, findings: found, notes });
    return exitCode;
  }
  for (const f of found) {
    say(`${bold(f.kind)} ${f.file ?? ''}: ${f.message}`);
    if (f.answers) say(dim(`  with ${showAnswers(f.answers)}${f.failing !== undefined ? ` (${f.failing} of ${f.rendering} combinations that render it)` : ''}`));
  }
  for (const n of notes) say(`note: ${n}`);
  say(
    found.length
      ? `${found.length} finding(s) in ${template ? `${template.name} ${template.version}` : root}.`
      : `${template!.name} ${template!.version}: ${files} files rendered with ${combos} answer combinations; every file parses, every link resolves.`,
  );
  return exitCode;
}

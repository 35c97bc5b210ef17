import path from 'node:path';
import { InputError, isBadInput } from '../core/errors.js';
import { findings as collect, planCheck, tagFindings, type Finding } from '../core/template-check/check.js';
import { isRepoRoot } from '../edge/git/repo.js';
import { exists } from '../edge/inputs.js';
import { externalCheck } from '../edge/python-check.js';
import { loadTemplateDir } from '../edge/template-dir.js';
import { tagVersions } from '../edge/template-tags.js';

export interface TemplateCheckResult {
  root: string;
  template?: { name: string; version: string };
  combos: number;
  files: number;
  findings: Finding[];
  notes: string[];
}

/** Renders a covering set of answers of the template in `dir`: every output must parse, every link resolve. */
export async function checkTemplate(dir: string): Promise<TemplateCheckResult> {
  const root = path.resolve(dir);
  if (!exists(path.join(root, 'template.yaml'))) throw new InputError(`${dir}: has no template.yaml; give the folder of a template (template.yaml and files/).`);
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
    if (!isBadInput(e)) throw e;
    found.push({ kind: 'spec', file: 'template.yaml', message: e.message });
  }
  if (await isRepoRoot(root)) found.push(...tagFindings(await tagVersions(root)));
  return { root, template, combos, files, findings: found, notes };
}

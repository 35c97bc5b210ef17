import { checkTemplate } from '../../flows/template-check.js';
import type { Finding } from '../../core/template-check/check.js';
import { bold, dim, printJson, say } from '../output.js';

export interface TemplateCheckFlags {
  json?: boolean;
}

const showAnswers = (a: Finding['answers']) =>
  a && Object.keys(a).length ? Object.entries(a)
        .map(([k, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? `${k} includes ${v.includes}` : `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : JSON.stringify(v)}`))
        .join(', ') : 'every combination';

export async function templateCheckCommand(dir: string | undefined, flags: TemplateCheckFlags): Promise<number> {
  const { root, template, combos, files, findings: found, notes } = await checkTemplate(dir ?? '.');
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

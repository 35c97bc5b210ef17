import path from 'node:path';
import { MANIFEST_PATH } from '../../core/manifest.js';
import { adopt, type Comparison } from '../../flows/adopt.js';
import { readProvidedAnswers } from '../answers-input.js';
import { askerFor } from '../ask.js';
import { selfCommand } from '../invocation.js';
import { dim, out, print, printJson, say } from '../output.js';

export interface AdoptFlags {
  template?: string;
  answers?: string;
  set: string[];
  yes?: boolean;
  addMissing?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export async function adoptCommand(dir: string | undefined, flags: AdoptFlags): Promise<number> {
  const provided = await readProvidedAnswers(flags.answers, flags.set);
  const r = await adopt({
    dir: dir ?? '.',
    template: flags.template,
    answers: provided.values,
    origins: provided.origins,
    yes: flags.yes,
    addMissing: flags.addMissing,
    dryRun: flags.dryRun,
    ask: await askerFor(flags.yes),
  });
  if (flags.json) {
    printJson({ ok: true, command: 'adopt', dir: r.dir, dryRun: r.dryRun, template: r.template, files: r.files, added: flags.addMissing ? r.missing : [], base: r.base });
    return 0;
  }
  const counts = (s: Comparison) => r.files.filter((c) => c.state === s).length;
  for (const c of r.files) {
    if (c.state === 'identical') continue;
    print(`  ${c.state === 'edited' ? 'edited ' : flags.addMissing && !flags.dryRun ? 'added  ' : 'missing'} ${c.path}`);
  }
  print(`${out().bold(flags.dryRun ? 'Would adopt' : 'Adopted')} ${path.relative(process.cwd(), r.dir) || '.'} to ${r.template.name} ${r.template.version}: ${counts('identical')} identical, ${counts('edited')} edited (kept as your changes), ${counts('missing')} missing${flags.addMissing ? ' (added)' : ''}.`);
  if (!flags.dryRun) {
    say(dim(`  sync base: ${r.base}`));
    if (r.missing.length && !flags.addMissing) say(dim('  Missing template files stay missing; rerun adopt elsewhere or add them with --add-missing.'));
    say(dim(`  Commit ${MANIFEST_PATH}${flags.addMissing && r.missing.length ? ' and the added files' : ''}; from then on \`${selfCommand()} sync\` works.`));
  }
  return 0;
}

import path from 'node:path';
import { addGenerators } from '../../../generators/index.js';
import { InputError } from '../../core/errors.js';
import { bold, dim, print, printJson, say } from '../output.js';
import { readProvidedAnswers } from '../answers-input.js';
import { askerFor } from '../ask.js';

export interface AddFlags {
  project?: string;
  pattern?: string;
  source: string[];
  title?: string;
  schedule?: string;
  timeZone?: string;
  deliveryTarget?: string;
  answers?: string;
  set: string[];
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export async function addCommand(kind: string, name: string | undefined, flags: AddFlags): Promise<number> {
  const entry = addGenerators[kind];
  if (!entry) throw new InputError(`<generator>: "${kind}" is not one of ${Object.keys(addGenerators).join(', ')}.`);
  const given: Record<string, unknown> = {};
  if (name !== undefined) given.name = name;
  if (flags.pattern !== undefined) given.pattern = flags.pattern;
  if (flags.source.length) given.sources = flags.source.join(',');
  if (flags.title !== undefined) given.title = flags.title;
  if (flags.schedule !== undefined) given.schedule = flags.schedule;
  if (flags.timeZone !== undefined) given.time_zone = flags.timeZone;
  if (flags.deliveryTarget !== undefined) given.delivery_target = flags.deliveryTarget;
  const origins = { name: '[name]', pattern: '--pattern', sources: '--source', title: '--title', schedule: '--schedule', time_zone: '--time-zone', delivery_target: '--delivery-target' };
  const known = new Set(entry.spec.questions.map((q) => q.key));
  for (const [flag, key] of [['--pattern', 'pattern'], ['--source', 'sources'], ['--title', 'title'], ['--schedule', 'schedule'], ['--time-zone', 'time_zone'], ['--delivery-target', 'delivery_target']] as const) {
    if (given[key] !== undefined && !known.has(key)) throw new InputError(`${flag}: add ${kind} takes no ${flag}.`);
  }
  if (given.delivery_target !== undefined && given.pattern !== undefined && given.pattern !== 'api') {
    throw new InputError(`--delivery-target: only an api workflow (--pattern api) delivers batches, not --pattern ${String(given.pattern)}.`);
  }
  const ask = await askerFor(flags.yes);
  const provided = await readProvidedAnswers(flags.answers, flags.set);
  const result = await entry.generator.run(
    { project: flags.project, answers: { ...given, ...provided.values }, origins: { ...origins, ...provided.origins }, yes: flags.yes, dryRun: flags.dryRun },
    { cwd: process.cwd(), ask },
  );
  if (flags.json) {
    printJson({ ok: true, command: `add ${kind}`, ...result });
    return 0;
  }
  const rel = path.relative(process.cwd(), result.dir) || '.';
  for (const c of result.changes) {
    if (result.dryRun) print(`${c.type} ${c.path} (${c.bytes} bytes)`);
    else print(`  ${c.type === 'add' ? 'added   ' : 'modified'} ${c.path}`);
  }
  say(result.dryRun ? dim(`Dry run: nothing was written (project: ${rel}).`) : `${bold('Added')} ${kind} (project: ${rel}).`);
  return 0;
}

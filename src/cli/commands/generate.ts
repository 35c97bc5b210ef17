import path from 'node:path';
import { projectGenerator, type ProjectOptions } from '../../flows/generate.js';
import { readProvidedAnswers } from '../answers-input.js';
import { askerFor } from '../ask.js';
import { pythonFor, selfCommand, shellQuote } from '../invocation.js';
import { bold, dim, print as printLine, printJson, say } from '../output.js';
import type { GenerateFlags } from '../../boot/generate-args.js';

// The flags, declared beside the launcher's reading of the plain form (src/boot/generate-args.ts).
export type { GenerateFlags } from '../../boot/generate-args.js';

export async function generateCommand(dir: string | undefined, flags: GenerateFlags): Promise<number> {
  const ask = await askerFor(flags.yes);
  const opts: ProjectOptions = {
    // On a terminal the answers are shown, to confirm or go back, before anything is written.
    review: ask ? (await import('../prompt.js')).reviewAnswers : undefined,
    dir,
    template: flags.template,
    yes: flags.yes,
    git: flags.git,
    force: flags.force,
    dryRun: flags.dryRun,
  };
  if (flags.assess?.length) {
    const { assessFolders } = await import('../../flows/assess.js');
    const inv = assessFolders(flags.assess, process.cwd(), undefined, '--assess', (n) => say(dim(`assess: ${n} files read...`)));
    opts.suggested = inv.suggestions;
    // Each scheduled legacy job is rendered by the `add workflow` generator.
    const { workflowSpec } = await import('../../../generators/index.js');
    opts.assessed = { inventory: inv, workflow: workflowSpec };
    for (const [key, s] of Object.entries(opts.suggested)) {
      say(dim(`assess suggests ${key} = ${Array.isArray(s.value) ? s.value.join(', ') : s.value} (${s.evidence[0]?.file}:${s.evidence[0]?.line})`));
    }
  }
  const provided = await readProvidedAnswers(flags.answers, flags.set);
  const result = await projectGenerator.run({ ...opts, answers: provided.values, origins: provided.origins }, { cwd: process.cwd(), ask });
  if (flags.json) {
    printJson({ ok: true, command: 'generate', ...result });
    return 0;
  }
  const rel = path.relative(process.cwd(), result.dir) || '.';
  if (result.dryRun) {
    // The plan is the output of a dry run, so it goes to stdout.
    for (const c of result.changes) printLine(`${c.type} ${c.path} (${c.bytes} bytes)`);
    say(dim(`Dry run: ${result.changes.length} files would be written to ${rel}; nothing was written.`));
    const found = opts.assessed?.inventory.schedules.filter((s) => s.cron).length ?? 0;
    if (found) say(dim(`With them: ${found} legacy jobs from --assess, each a jobs.yaml entry, a workflow, its test and a suspended CronJob.`));
    return 0;
  }
  const answers = (result.details.answers ?? {}) as Record<string, unknown>;
  for (const w of (result.details.warnings ?? []) as string[]) say(`Warning: ${w}`);
  for (const key of (result.details.pastDates ?? []) as string[]) {
    say(`Warning: ${key} ${String(answers[key])} is in the past; the plan counts down to it. Change it with \`${selfCommand()} sync --set ${key}=YYYY-MM-DD\`.`);
  }
  const commit = typeof result.details.commit === 'string' ? `, initial commit ${result.details.commit.slice(0, 7)}` : '';
  say(`${bold('Created')} ${rel}: ${result.changes.length} files${commit}.`);
  say('Next:');
  // Each line pasted as it stands works: quoted path, the Python the project asked for, npx if needed.
  if (rel !== '.') say(`  cd ${shellQuote(rel)}`);
  say(`  ${pythonFor(answers.python_version)} -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]"`);
  say('  pytest');
  const jobs = result.details.jobs as { results: { id: string; name: string; schedule: string; timeZone: string; found_in: string; skipped?: string }[]; samplesDropped: string[] } | undefined;
  if (jobs && flags.assess?.length) {
    const added = jobs.results.filter((j) => !j.skipped);
    const inv = opts.assessed!.inventory;
    say(`  Read ${inv.files.length} files in ${flags.assess.join(', ')}: ${inv.schedules.length} schedules, ${inv.accesses.length} sources and sinks, ${inv.rules.length} rule candidates (docs/assessment.md).`);
    say(`  ${added.length} legacy jobs in jobs.yaml, each with a workflow and a suspended CronJob (deploy/kubernetes/):`);
    for (const j of added.slice(0, 20)) say(`    ${j.id}  ${j.schedule}${j.timeZone ? ` ${j.timeZone}` : ''}  from ${j.found_in}`);
    for (const j of jobs.results.filter((x) => x.skipped)) say(`    not added: ${j.found_in}: ${j.skipped}`);
    if (jobs.samplesDropped.length) say(dim(`    Left out the sample CronJobs their jobs replace: ${jobs.samplesDropped.join(', ')}.`));
    say('  Check each entry against its legacy line (owner, outputs, parity key), then port the workflow and');
    say(`  \`${selfCommand()} job <id> --to ported\`; \`${selfCommand()} jobs\` shows where each stands.`);
  }
  say(dim(`  Start with docs/phases/phase-1-assessment.md; \`${selfCommand()} status\` shows progress.`));
  return 0;
}

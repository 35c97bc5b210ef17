import { redactDeep } from '../../core/assess/redact.js';
import { textReport } from '../../core/assess/report.js';
import { InputError } from '../../core/errors.js';
import { enableLinearRegex } from '../../edge/linear-regex.js';
import { assess } from '../../flows/assess.js';
import { workflowSpec } from '../../../generators/index.js';
import { bold, dim, printJson, say } from '../output.js';

export interface AssessFlags {
  json?: boolean;
  answersOut?: string;
  write?: boolean;
  workflows?: boolean;
  project?: string;
  maxFiles?: string;
  rules?: string[];
}

export async function assessCommand(dirs: string[], flags: AssessFlags): Promise<number> {
  const maxFiles = flags.maxFiles === undefined ? undefined : Number(flags.maxFiles);
  if (maxFiles !== undefined && (!Number.isInteger(maxFiles) || maxFiles < 1)) throw new InputError(`--max-files: "${flags.maxFiles}" must be a whole number of files, 1 or more.`);
  // Patterns from rules files run on V8's linear-time engine when this Node has it.
  enableLinearRegex();
  const { inventory: inv, answers, written, workflows, jobs } = await assess({
    dirs,
    cwd: process.cwd(),
    maxFiles,
    answersOut: flags.answersOut,
    write: flags.write,
    workflows: flags.workflows,
    project: flags.project,
    rules: flags.rules ?? [],
    onProgress: (n) => say(dim(`assess: ${n} files read...`)),
    workflow: workflowSpec,
  });
  if (flags.json) {
    printJson(redactDeep({ ok: true, command: 'assess', dirs, ...inv, answers, written, ...(workflows ? { workflows: workflows.results } : {}), ...(jobs ? { jobs } : {}) }));
    return 0;
  }
  for (const line of textReport(inv)) process.stdout.write(`${line}\n`);
  say(`${bold('Assessed')} ${inv.files.length} files: ${inv.schedules.length} schedules, ${inv.accesses.length} sources and sinks, ${inv.rules.length} rule candidates, ${inv.dependencies.edges.length} dependencies between jobs.${inv.truncated ? ' Stopped at --max-files.' : ''}`);
  if (inv.rules_applied.files.length) say(dim(`Rules: ${inv.rules_applied.custom} from ${inv.rules_applied.files.join(', ')}.`));
  const sk = inv.skipped;
  if (sk.binary || sk.large || sk.unreadable || sk.links) say(dim(`Skipped: ${sk.binary} binary, ${sk.large} too large, ${sk.unreadable} unreadable, ${sk.links} symbolic links.`));
  if (workflows) {
    for (const w of workflows.results) say(w.skipped ? `  skipped  ${w.name}: ${w.skipped}` : `  added    ${w.name} (${w.schedule}${w.timeZone ? ` ${w.timeZone}` : ''}): ${w.files.join(', ')}`);
    if (!workflows.scheduleCarried) say(dim('  This version of the workflow generator takes no schedule: the legacy schedules are in the table above and in docs/assessment.md.'));
  }
  for (const g of jobs?.gone ?? []) say(`  not found ${g.job}: ${g.found_in} was not found in this scan; the job stays in jobs.yaml (remove it there if it is really gone).`);
  const added = workflows?.results.filter((w) => !w.skipped) ?? [];
  if (added.length) {
    say('Next:');
    say(`  Check each new entry of jobs.yaml (owner, outputs, parity key) against the legacy line it names; \`create-migration jobs\` lists them.`);
    say(`  Port each workflow (its docstring names the line and script it replaces), then \`create-migration job <id> --to ported\`.`);
  }
  if (written.length) say(dim(`Wrote ${written.join(', ')}.`));
  return 0;
}

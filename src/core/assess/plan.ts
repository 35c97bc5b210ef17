import { builtinRules } from './builtin-rules.js';
import { datasetsOf, type Dataset } from './datasets.js';
import { dependencies, type Dependencies, type JobNode } from './dependencies.js';
import { indexFacts, jobFacts, jobNames } from './jobs.js';
import type { Language } from './language.js';
import { interactiveLines, isDynamic, judge, type Readiness } from './readiness.js';
import { applyRules, type Rule, type RuleAccess } from './rules.js';
import { indexByName, resolveScript, type Inventory, type SourceFile } from './scan.js';
import { findSecrets, type Secret } from './secrets.js';
import { suggestAnswers } from './suggest.js';
import type { Access, Schedule } from './types.js';

/**
 * From the inventory to a plan: the rules' findings added, then per scheduled job its name and
 * readiness, the secrets to provision, the dependencies between jobs and the migration waves.
 * Pure: the inventory, the files' texts and the rules in, the assessment out.
 */

export type PlannedSchedule = Schedule & {
  /** The job's name: the workflow `assess --workflows` makes for it. */
  job: string;
  readiness: Readiness;
  /** The migration wave it belongs to (1 first). */
  wave: number;
  /** The id of the rule that found it, when a rule did. */
  rule?: string;
};

export interface Assessment extends Omit<Inventory, 'schedules' | 'accesses'> {
  schedules: PlannedSchedule[];
  accesses: (Access & { rule?: string })[];
  secrets: Secret[];
  /** Which job reads what another writes, with the gap between their starts. */
  dependencies: Omit<Dependencies, 'waves'>;
  /** Suggested migration waves, first to last. */
  waves: Dependencies['waves'];
  /** The rules applied: how many built in, and the files a team gave. */
  rules_applied: { builtin: number; files: string[]; custom: number };
}

export function planAssessment(inv: Inventory, sources: readonly SourceFile[], rules: { custom: Rule[]; files: string[] } = { custom: [], files: [] }): Assessment {
  const languageOf = new Map<string, Language>(inv.files.map((f) => [f.file, f.language]));
  const textOf = new Map(sources.map((s) => [s.file, s.text]));
  const all = [...builtinRules(), ...rules.custom];

  // What the rules find, unless the scanners found the same thing on the same line.
  const taken = new Set(inv.accesses.map((a) => `${a.file}\0${a.line}\0${a.kind}`));
  const found: RuleAccess[] = [];
  const ruleSchedules: (Schedule & { rule: string })[] = [];
  for (const src of sources) {
    const lang = languageOf.get(src.file);
    if (!lang) continue;
    const r = applyRules(all, src.file, lang, src.text);
    for (const a of r.accesses) {
      const key = `${a.file}\0${a.line}\0${a.kind}`;
      if (taken.has(key)) continue;
      taken.add(key);
      found.push(a);
    }
    ruleSchedules.push(...r.schedules);
  }
  if (ruleSchedules.length) {
    const index = indexByName(inv.files.map((f) => f.file));
    for (const s of ruleSchedules) {
      const r = resolveScript(s.command, index);
      if (r) s.script = r.script;
    }
  }
  const accesses: (Access & { rule?: string })[] = [...inv.accesses, ...found];
  const schedules: Schedule[] = [...inv.schedules, ...ruleSchedules];
  const suggestions = found.length || ruleSchedules.length ? suggestAnswers({ files: inv.files, schedules, accesses, artifacts: inv.artifacts }) : inv.suggestions;
  const secrets = findSecrets(inv.config, accesses, schedules);

  const names = jobNames(schedules);
  const facts = indexFacts({ accesses, artifacts: inv.artifacts, rules: inv.rules, config: inv.config });
  const datasetCache = new Map<string, Dataset[]>();
  const datasetsOfFile = (file: string): Dataset[] => {
    let d = datasetCache.get(file);
    if (!d) {
      const text = textOf.get(file);
      d = text === undefined ? [] : datasetsOf(languageOf.get(file) ?? 'config', text, facts.get(file)?.accesses ?? []);
      datasetCache.set(file, d);
    }
    return d;
  };
  const judged = schedules.map((s, i) => {
    const own = jobFacts(s, facts);
    const text = s.script ? textOf.get(s.script) ?? '' : s.command;
    const mine = findSecrets(own.config, own.accesses, [s]);
    const readiness = judge({ schedule: s, facts: own, secrets: mine, interactive: s.script ? interactiveLines(text) : [], dynamic: s.script ? isDynamic(text) : false });
    const node: JobNode = {
      job: names[i]!,
      ...(s.cron ? { cron: s.cron } : {}),
      ...(s.timeZone ? { timeZone: s.timeZone } : {}),
      // The command's own redirections count too: `0 2 * * * /opt/x.sh > /data/out/x.csv`.
      datasets: [...(s.script ? datasetsOfFile(s.script) : []), ...datasetsOf('shell', s.command).map((d) => ({ ...d, line: s.line }))],
      text: `${text}\n${s.command}`,
      ...(s.script ? { script: s.script } : {}),
    };
    return { s, readiness, node };
  });
  const deps = dependencies(judged.map((j) => j.node));
  const waveOf = new Map(deps.waves.flatMap((w) => w.jobs.map((j) => [j, w.wave] as const)));
  const planned: PlannedSchedule[] = judged.map(({ s, readiness }, i) => ({ ...s, job: names[i]!, readiness, wave: waveOf.get(names[i]!) ?? 1 }));
  return {
    ...inv,
    schedules: planned,
    accesses,
    suggestions,
    secrets,
    dependencies: { edges: deps.edges, dependents: deps.dependents, cycles: deps.cycles },
    waves: deps.waves,
    rules_applied: { builtin: builtinRules().length, files: rules.files, custom: rules.custom.length },
  };
}

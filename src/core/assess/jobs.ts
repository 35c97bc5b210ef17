import type { Access, Artifact, ConfigItem, RuleCandidate, Schedule } from './types.js';

/** Scheduled jobs: their names, and the facts that belong to each. Pure. */

const RUNNERS = /^(sh|bash|ksh|zsh|python[\d.]*|perl|php|ruby|node|java|sqlplus|psql)$/;
const WRAPPERS = /^(sudo|nice|nohup|ionice|time|exec|env|flock|timeout|su|runuser|chronic|cronic)$/;

/** The word of a command that names what it runs: past `cd dir`, `source file`, `sudo -u x`, `VAR=1`, runners and their flags. */
export function commandWord(command: string): string | undefined {
  const tokens = command.split(/[\s;|&()<>]+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.replace(/^['"]|['"]$/g, '');
    const b = t.split('/').pop()!;
    if (/^(cd|source|\.|export)$/.test(t)) {
      i++;
      continue;
    }
    if (t.startsWith('-') || /^[A-Za-z_]\w*=/.test(t) || /^\d+[smh]?$/.test(t) || WRAPPERS.test(b) || RUNNERS.test(b) || /^\.[\w-]*(profile|rc|env)$/.test(b) || /^[<>]/.test(t)) {
      // A flag's value (`sudo -u apache`, `timeout -s 9`): skip it too.
      if (/^-[a-z]$/.test(t) && i + 1 < tokens.length && !tokens[i + 1]!.includes('/')) i++;
      continue;
    }
    if (/[A-Za-z]/.test(b)) return t;
  }
  return undefined;
}

/** A module name for a scheduled job: its script's name, else its unit's or its command's main word. */
export function jobName(s: Schedule): string {
  const base = (s.script ?? s.unit ?? commandWord(s.command) ?? 'job').split('/').pop()!;
  let name = base.replace(/\.[A-Za-z0-9]+$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(name)) name = `job_${name}`;
  return `legacy_${name}`.slice(0, 60).replace(/_+$/, '');
}

/** One name per schedule, in order: `legacy_<script>`, then `_2`, `_3` for further schedules of one script. */
export function jobNames(schedules: readonly Schedule[]): string[] {
  const used = new Map<string, number>();
  return schedules.map((s) => {
    const base = jobName(s);
    const k = (used.get(base) ?? 0) + 1;
    used.set(base, k);
    return k === 1 ? base : `${base}_${k}`;
  });
}

export interface JobFacts {
  accesses: Access[];
  artifacts: Artifact[];
  rules: RuleCandidate[];
  config: ConfigItem[];
}

type Located = { file: string; line: number };

/** The facts grouped by file, so each job finds its own without reading every fact. */
export function indexFacts(all: JobFacts): Map<string, JobFacts> {
  const index = new Map<string, JobFacts>();
  for (const key of ['accesses', 'artifacts', 'rules', 'config'] as const) {
    for (const x of all[key] as Located[]) {
      let entry = index.get(x.file);
      if (!entry) index.set(x.file, (entry = { accesses: [], artifacts: [], rules: [], config: [] }));
      (entry[key] as Located[]).push(x);
    }
  }
  return index;
}

const NONE: JobFacts = { accesses: [], artifacts: [], rules: [], config: [] };

/** The facts of the job's script, or of its own line when it runs a command directly. */
export function jobFacts(s: Schedule, index: Map<string, JobFacts>): JobFacts {
  if (s.script) return index.get(s.script) ?? NONE;
  const f = index.get(s.file) ?? NONE;
  const own = <T extends Located>(list: T[]) => list.filter((x) => x.line === s.line);
  return { accesses: own(f.accesses), artifacts: own(f.artifacts), rules: own(f.rules), config: own(f.config) };
}

import { describeCron, parseCrontab, validCron } from './cron.js';
import { jenkinsSchedules } from './jenkins.js';
import { languageOf, type Language } from './language.js';
import { REDACTED, redact, redactDeep } from './redact.js';
import { scanScript } from './script.js';
import { suggestAnswers, type Suggestions } from './suggest.js';
import { parseUnit, timerSchedules } from './systemd.js';
import { emptyFacts, type Access, type Artifact, type ConfigItem, type FileFacts, type RuleCandidate, type Schedule } from './types.js';

/** One file as the walker read it: its display path and its text. */
export interface SourceFile {
  file: string;
  text: string;
  /** The folder it was found under, as given (display form). */
  root?: string;
}

export interface FileNote {
  file: string;
  note: string;
}

export interface Inventory {
  files: { file: string; language: Language }[];
  schedules: Schedule[];
  accesses: Access[];
  rules: RuleCandidate[];
  config: ConfigItem[];
  artifacts: Artifact[];
  notes: FileNote[];
  suggestions: Suggestions;
}

const SCRIPTS = new Set<Language>(['shell', 'python', 'perl', 'php', 'ruby', 'node', 'sql']);

/** Kubernetes CronJobs: each `schedule:` with its `timeZone:` and the container's command and args. */
function cronJobSchedules(file: string, text: string): Schedule[] {
  const out: Schedule[] = [];
  const lines = text.split(/\r?\n/);
  const docs: number[][] = [[]];
  lines.forEach((l, i) => (/^---\s*$/.test(l) ? docs.push([]) : docs[docs.length - 1]!.push(i)));
  for (const doc of docs) {
    if (!doc.some((i) => /^\s*kind:\s*CronJob\b/.test(lines[i]!))) continue;
    const field = (name: string) => doc.map((i) => [i, new RegExp(`^\\s*${name}:\\s*['"]?([^'"#]*?)['"]?\\s*(?:#.*)?$`).exec(lines[i]!)?.[1]] as const).find(([, v]) => v !== undefined);
    const sched = field('schedule');
    if (!sched || !sched[1]) continue;
    const expr = sched[1].trim();
    const cron = validCron(expr.split(/\s+/)) ? expr.split(/\s+/).join(' ') : undefined;
    const tz = field('timeZone')?.[1]?.trim() || undefined;
    const parts = ['command', 'args'].flatMap((k) => {
      const v = doc.map((i) => new RegExp(`^\\s*(?:-\\s*)?${k}:\\s*(.{0,2000})$`).exec(lines[i]!)?.[1]).find((x) => x !== undefined) ?? '';
      return [...v.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
    });
    const command = redact(parts.filter((p) => p !== '-c').join(' ').slice(0, 2000)) || `(CronJob in ${file})`;
    const words = cron ? describeCron(cron) : `when the CronJob schedule "${expr}" matches`;
    out.push({ file, line: sched[0] + 1, kind: 'kubernetes', expression: expr, ...(cron ? { cron } : {}), ...(tz ? { timeZone: tz } : {}), command, words: tz ? `${words} (${tz})` : words });
  }
  return out;
}

/** The facts of one file. Pure. */
export function scanFile(file: string, text: string): { language: Language; facts: FileFacts } {
  let language = languageOf(file, text.slice(0, 200).split('\n')[0] ?? '');
  // A .js file is a Node script when it requires modules or reads its process; otherwise it is web code.
  if (language === 'node' && !/\brequire\(|^\s*import\s[^;\n]{0,200}\sfrom\s|\bprocess\.(?:argv|env|exit)\b/m.test(text.slice(0, 50_000))) language = 'config';
  let facts = emptyFacts();
  if (language === 'crontab' || language === 'system-crontab') {
    const { schedules, env } = parseCrontab(file, text, { system: language === 'system-crontab' });
    facts.schedules = schedules;
    facts.config = env.map((e) => ({ file, line: e.line, kind: 'env' as const, name: e.name, value: e.value }));
  } else if (language === 'systemd') {
    const unit = parseUnit(file, text);
    if (unit) facts.units.push(unit);
    text.split(/\r?\n/).forEach((l, i) => {
      const env = /^\s*Environment(File)?\s*=\s*(.+)$/.exec(l);
      if (env) facts.config.push({ file, line: i + 1, kind: 'env', name: env[1] ? 'EnvironmentFile' : env[2]!.split('=')[0]!.replace(/^"/, ''), value: redact(env[2]!) });
    });
  } else if (language === 'jenkins') {
    facts.schedules = jenkinsSchedules(file, text);
  } else if (language === 'report') {
    facts.artifacts.push({ file, line: 1, kind: 'report-template', name: file.split('/').pop()! });
  } else {
    facts = scanScript(file, language, text);
    if (language === 'config' && /\.ya?ml$/i.test(file) && /^\s*kind:\s*CronJob\b/m.test(text)) facts.schedules.push(...cronJobSchedules(file, text));
    if (language === 'config' || language === 'sql') {
      // Cron entries quoted in other files (a crontab kept as .sql or .conf): only lines that read as entries.
      if (!/\.(md|markdown|rst|html?|adoc)$/i.test(file)) facts.schedules.push(...parseCrontab(file, text, { system: false, strict: true }).schedules);
    }
    if (SCRIPTS.has(language) && /report|rpt/i.test(file.split('/').pop()!) && /\.(sql|html?|j2|jinja|tmpl|ftl|xslt?|mustache)$/i.test(file)) {
      facts.artifacts.push({ file, line: 1, kind: 'report-template', name: file.split('/').pop()! });
    }
  }
  return { language, facts };
}

const SCRIPT_EXT = /\.(sh|bash|ksh|zsh|py|pl|sql|rb|php|js)$/i;
const RUNNERS = new Set(['sh', 'bash', 'ksh', 'zsh', 'python', 'python2', 'python3', 'perl', 'php', 'ruby', 'node', 'sqlplus', 'psql']);

/** Tokens of a command that may name a script, best first. */
function candidates(command: string): { token: string; index: number }[] {
  const tokens = command.split(/[\s;|&()]+/).map((t) => t.replace(/^[<>0-9]*>+|^['"`]+|['"`]+$/g, '').replace(/^@/, '')).filter(Boolean);
  const out: { token: string; index: number; score: number }[] = [];
  tokens.forEach((t, i) => {
    if (t.startsWith('-') || t.includes('=')) return;
    const prev = tokens[i - 1]?.split('/').pop() ?? '';
    if (prev === '-m' && /^[\w.]+$/.test(t)) out.push({ token: `${t.replace(/\./g, '/')}.py`, index: i, score: 2 });
    else if (SCRIPT_EXT.test(t)) out.push({ token: t, index: i, score: 3 });
    else if (RUNNERS.has(prev) && !t.startsWith('-')) out.push({ token: t, index: i, score: 2 });
    else if (t.includes('/') && !/^\/(dev|tmp|var\/log)\//.test(t) && !/\.(log|out|txt|gz|lock|pid)$/.test(t) && !/(^|\/)\.[\w-]*(profile|bashrc|env)$/.test(t)) out.push({ token: t, index: i, score: 1 });
  });
  return out.sort((a, b) => b.score - a.score);
}

function suffixScore(file: string, token: string): number {
  const a = file.split('/');
  const b = token.replace(/\$\{?\w+\}?/g, '').split('/').filter(Boolean);
  let k = 0;
  while (k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

export function indexByName(files: string[]): Map<string, string[]> {
  const byBase = new Map<string, string[]>();
  for (const f of files) {
    const base = f.slice(f.lastIndexOf('/') + 1);
    const list = byBase.get(base);
    if (list) list.push(f);
    else byBase.set(base, [f]);
  }
  return byBase;
}

/** The scanned file a command runs, if exactly one fits best; with the argument index where its arguments start. */
/**
 * `near` vets a match by file name alone (no folder in common): `run.sh` in another system's folder is not this job's script.
 */
export function resolveScript(command: string, files: string[] | Map<string, string[]>, near?: (file: string) => boolean): { script: string; argsFrom: number; tokens: string[] } | undefined {
  const tokens = command.split(/[\s;|&()]+/).map((t) => t.replace(/^[<>0-9]*>+|^['"`]+|['"`]+$/g, '').replace(/^@/, '')).filter(Boolean);
  const byBase = files instanceof Map ? files : indexByName(files);
  for (const c of candidates(command)) {
    const base = c.token.split('/').pop()!;
    const found = byBase.get(base) ?? [];
    if (!found.length) continue;
    const scored = found.map((f) => ({ f, s: suffixScore(f, c.token) })).sort((x, y) => y.s - x.s);
    if (scored.length > 1 && scored[0]!.s === scored[1]!.s) continue;
    if (scored[0]!.s < 2 && near && !near(scored[0]!.f)) continue;
    return { script: scored[0]!.f, argsFrom: c.index + 1, tokens };
  }
  return undefined;
}

/** Every file's facts, joined: timers with their services, schedules with their scripts, secrets scrubbed everywhere. */
export function buildInventory(sources: SourceFile[], notes: FileNote[] = []): Inventory {
  const per = sources.map((s) => ({ file: s.file, ...scanFile(s.file, s.text) }));
  const all = (k: keyof Omit<FileFacts, 'secretArgs'>) => per.flatMap((p) => p.facts[k] as unknown[]);
  const schedules = [...(all('schedules') as Schedule[]), ...timerSchedules(per.flatMap((p) => p.facts.units))];
  const files = indexByName(per.map((p) => p.file));
  const secretArgsOf = new Map(per.map((p) => [p.file, p.facts.secretArgs]));
  const anySecretArgs = [...new Set(per.flatMap((p) => p.facts.secretArgs))];
  const known = new Set<string>();
  const rootOf = new Map(sources.map((x) => [x.file, x.root ?? '']));
  // Two files are of one system when they were given as different folders, or when one sits at the
  // top of its folder, or when both are under the same first sub-folder.
  const top = (f: string) => {
    const root = rootOf.get(f) ?? '';
    const rest = root && root !== '.' && f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f;
    return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : undefined;
  };
  const nearby = (a: string, b: string) => rootOf.get(a) !== rootOf.get(b) || top(a) === undefined || top(a) === top(b);
  // A PHP script that includes its connection (include 'db_connect.php') talks to that connection's database.
  const kindsOf = new Map<string, Set<string>>();
  for (const p of per) for (const a of p.facts.accesses) if (a.kind === 'database' && a.database) (kindsOf.get(p.file) ?? kindsOf.set(p.file, new Set()).get(p.file)!).add(a.database);
  for (const p of per) {
    if (!p.facts.includes?.length) continue;
    const dir = p.file.includes('/') ? p.file.slice(0, p.file.lastIndexOf('/') + 1) : '';
    const kinds = new Set<string>();
    for (const inc of p.facts.includes) {
      const base = inc.split('/').pop()!;
      const found = (files.get(base) ?? []).filter((f) => f !== p.file && nearby(p.file, f));
      const pick = found.find((f) => f === `${dir}${inc}`) ?? (found.length === 1 ? found[0] : undefined);
      for (const k of (pick && kindsOf.get(pick)) ?? []) kinds.add(k);
    }
    if (kinds.size === 1) for (const a of p.facts.accesses) if (a.kind === 'database' && !a.database) a.database = [...kinds][0] as Access['database'];
  }
  for (const s of schedules) {
    const r = resolveScript(s.command, files, (f) => nearby(s.file, f));
    if (r) s.script = r.script;
    // Positional passwords: `report.sh scott tiger ORCL` where report.sh reads pass="$2".
    const positions = r ? secretArgsOf.get(r.script) ?? [] : anySecretArgs;
    if (positions.length) {
      const tokens = s.command.split(/\s+/);
      const start = r ? tokens.findIndex((t) => t.endsWith(r.script.split('/').pop()!)) + 1 : tokens.findIndex((t) => SCRIPT_EXT.test(t)) + 1;
      if (start > 0) for (const p of positions) {
        const t = tokens[start + p - 1];
        if (t && !t.startsWith('$') && !/[<>&|;]/.test(t) && t !== REDACTED) {
          known.add(t);
          tokens[start + p - 1] = REDACTED;
        }
      }
      s.command = tokens.join(' ');
    }
  }
  const scrub = (t: string) => (known.size ? redact(t, [...known]) : t);
  for (const s of schedules) s.command = scrub(s.command);
  // What a crontab line runs directly (`0 2 * * * pg_dump db > x.sql`) is a source or sink too.
  const direct = schedules.filter((s) => !s.script).flatMap((s) => scanScript(s.file, 'shell', s.command).accesses.map((a) => ({ ...a, line: s.line })));
  const accesses = [...(all('accesses') as Access[]), ...direct].map((a) => ({ ...a, text: scrub(a.text) }));
  const rules = (all('rules') as RuleCandidate[]).map((r) => ({ ...r, text: scrub(r.text) }));
  const config = (all('config') as ConfigItem[]).map((c) => ({ ...c, value: scrub(c.value) }));
  const artifacts = all('artifacts') as Artifact[];
  const inv = { files: per.map((p) => ({ file: p.file, language: p.language })), schedules, accesses, rules, config, artifacts, notes };
  // The one pass every output goes through (text, --json, docs/assessment.md): every string of the inventory.
  return redactDeep({ ...inv, suggestions: suggestAnswers(inv) }, [...known]);
}

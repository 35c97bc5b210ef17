import type { JobFacts } from './jobs.js';
import type { Secret } from './secrets.js';
import type { Access, Schedule } from './types.js';

/**
 * A readiness judgement per scheduled job, as migration planning tools present it (Konveyor's
 * issues and effort, Azure Migrate's "Ready / Ready with conditions / Not ready"): a class, the
 * reasons, a confidence and an effort estimate in days, each derived from what the scan found.
 * The rules are documented in docs/assess.md ("Readiness"). Pure.
 */

export type ReadinessClass = 'ready' | 'ready_with_conditions' | 'needs_custom_node' | 'blocked';

export interface Readiness {
  class: ReadinessClass;
  reasons: string[];
  /** 0..1: how much of the job the scan could see (its script read, hosts and kinds literal). */
  confidence: number;
  /** Working days to port, test and run it in parallel, rounded to half days. */
  effort_days: number;
}

export interface JobSignals {
  schedule: Schedule;
  facts: JobFacts;
  secrets: readonly Secret[];
  /** Lines of the script that wait for a person (read from a terminal, a password prompt). */
  interactive: { line: number; text: string }[];
  /** The script builds commands at run time (eval, a command in a variable). */
  dynamic: boolean;
}

/** Database kinds the Kailash SQL nodes the template uses connect to (AsyncSQLDatabaseNode). */
const SQL_NODE_KINDS = new Set(['postgresql', 'mysql', 'sqlite']);

const ORDER: ReadinessClass[] = ['ready', 'ready_with_conditions', 'needs_custom_node', 'blocked'];
const worst = (a: ReadinessClass, b: ReadinessClass) => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

/** Why an access has no node in the generated project, or undefined when it has one. */
function customNodeFor(a: Access & { rule?: string }): string | undefined {
  if (a.rule) return `${a.client} (line ${a.line}, rule ${a.rule}): an in-house or uncommon tool; wrap it in a custom node`;
  switch (a.kind) {
    case 'database':
      if (!a.database) return undefined;
      return SQL_NODE_KINDS.has(a.database) ? undefined : `${a.database} via ${a.client} (line ${a.line}): the Kailash SQL nodes connect to PostgreSQL, MySQL and SQLite; ${a.database} needs a custom node (or the legacy_adapter node around a driver)`;
    case 'mail':
      return `mail sent with ${a.client} (line ${a.line}): the SDK has no mail node; add one (smtplib) or hand the mail to a notification service`;
    case 'transfer':
      return a.direction === 'write' ? `${a.client} upload (line ${a.line}): the template's sftp_source node reads; an upload needs a sink node` : undefined;
    case 'queue':
      return a.direction === 'write' ? `queue publish via ${a.client} (line ${a.line}): the template's queue_source node consumes; publishing needs a node` : undefined;
    default:
      return undefined;
  }
}

const round = (n: number, step: number) => Math.round(n / step) * step;

export function judge(sig: JobSignals): Readiness {
  const { schedule: s, facts } = sig;
  let cls: ReadinessClass = 'ready';
  const reasons: string[] = [];
  let confidence = 0.9;
  let effort = 1;
  const flag = (c: ReadinessClass, why: string) => {
    cls = worst(cls, c);
    reasons.push(why);
  };

  // Blocked: something only a person can decide or do.
  if (!s.cron) {
    if (/^@reboot$/i.test(s.expression)) flag('blocked', 'runs once when the host starts (@reboot): no schedule to carry over; decide what starts it in the new system');
    else flag('blocked', `the schedule "${s.expression}" has no five-field cron form (a field is unknown or not expressible); settle the schedule first`);
    confidence -= 0.2;
  }
  for (const i of sig.interactive.slice(0, 3)) flag('blocked', `waits for a person at line ${i.line} (${i.text.slice(0, 60)}): a scheduled workflow has no terminal; replace the prompt with configuration`);
  if (sig.interactive.length) effort += 1;

  // Needs a custom node: a source or sink the generated project has no node for.
  const custom = [...new Set(facts.accesses.map(customNodeFor).filter((x): x is string => !!x))];
  for (const c of custom.slice(0, 5)) flag('needs_custom_node', c);
  if (custom.length > 5) reasons.push(`+${custom.length - 5} more sources or sinks without a node`);
  effort += Math.min(custom.length, 4) * 1;

  // Ready with conditions: work the team does before the first run.
  if (!s.script && s.kind !== 'jenkins' && facts.accesses.length === 0 && /\//.test(s.command)) {
    flag('ready_with_conditions', 'its script is not in the scanned folders: read it (or add its folder to assess) before porting');
    confidence -= 0.4;
  }
  if (sig.secrets.length) {
    const names = [...new Set(sig.secrets.map((x) => x.name))];
    flag('ready_with_conditions', `secrets to provision: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` +${names.length - 5} more` : ''}`);
    effort += 0.5;
  }
  const procs = facts.artifacts.filter((a) => a.kind !== 'report-template');
  if (procs.length) {
    flag('ready_with_conditions', `stored procedures: ${[...new Set(procs.map((p) => p.name))].slice(0, 5).join(', ')}; keep calling them or port their logic`);
    effort += Math.min(procs.length, 6) * 0.5;
  }
  const unknownDb = facts.accesses.filter((a) => a.kind === 'database' && !a.database && !(a as { rule?: string }).rule);
  if (unknownDb.length) {
    flag('ready_with_conditions', `database kind unknown at line ${unknownDb.map((a) => a.line).slice(0, 3).join(', ')}: confirm which database it is`);
    confidence -= 0.1;
  }
  const undirected = facts.accesses.filter((a) => a.kind === 'transfer' && !a.direction && !(a as { rule?: string }).rule);
  if (undirected.length) flag('ready_with_conditions', `${undirected[0]!.client} at line ${undirected.map((a) => a.line).slice(0, 3).join(', ')}: whether it fetches or sends is not written plainly; the template's sftp_source node fetches, a send needs a sink node`);
  const hostless = facts.accesses.filter((a) => (a.kind === 'http' || a.kind === 'transfer') && !a.host);
  if (hostless.length) {
    flag('ready_with_conditions', `host not written in the script at line ${hostless.map((a) => a.line).slice(0, 3).join(', ')}: find where it comes from`);
    confidence -= 0.1;
  }
  if (sig.dynamic) {
    reasons.push('builds commands at run time (eval or a command in a variable): the scan may miss what they do');
    confidence -= 0.15;
  }
  const [, , dom, , dow] = s.cron?.split(' ') ?? [];
  if (dom && dow && dom !== '*' && dow !== '*') {
    reasons.push('both day of month and day of week are set: cron runs when either matches; check the CronJob does the same');
  }

  // Effort: one day to port and test a plain job, more for each kind of source or sink and for logic to carry over.
  const kinds = new Set(facts.accesses.map((a) => `${a.kind}:${a.direction ?? ''}`));
  effort += Math.max(0, kinds.size - 1) * 0.5;
  effort += Math.min(facts.rules.length * 0.25, 3);
  if (facts.rules.length) reasons.push(`${facts.rules.length} business-rule candidate${facts.rules.length === 1 ? '' : 's'} (awk, sed, SQL WHERE/CASE) to carry over and test`);
  if (!reasons.length) reasons.push(facts.accesses.length ? 'every source and sink it uses has a node in the generated project' : 'no source, sink or secret found: a plain scheduled command');
  return { class: cls, reasons, confidence: Math.max(0.1, Math.round(confidence * 100) / 100), effort_days: Math.max(0.5, round(effort, 0.5)) };
}

/** Lines of a script that wait for a person at a terminal. */
export function interactiveLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const re = /(?:^|[\s;&|(])read\s+(?:-\w*[ps]\w*\s)|<\s*\/dev\/tty\b|(?:^|[\s;&|(])(?:select\s+\w+\s+in\b|dialog\s+--|whiptail\s+--)|\b(?:raw_)?input\s*\(\s*['"f]|\bgetpass\.getpass\s*\(|<STDIN>|\bReadKey\b|\bread\s+-p\b/;
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    if (/^\s*#/.test(l) || l.length > 2000) return;
    if (re.test(l)) out.push({ line: i + 1, text: l.trim() });
  });
  return out;
}

/** Does the script build commands at run time? */
export const isDynamic = (text: string) => /(?:^|[\s;&|(])eval\s|^\s*\$\{?[A-Za-z_]\w*\}?\s+[-\w"$]/m.test(text);

import { formatGap, mermaidGraph } from './dependencies.js';
import { planAssessment, type Assessment, type PlannedSchedule } from './plan.js';
import type { Inventory } from './scan.js';
import type { Evidence } from './suggest.js';
import type { ReadinessClass } from './readiness.js';
import { terminalSafe } from '../terminal-text.js';
import type { Access } from './types.js';

/** The inventory as text for a terminal, and as the Markdown region of docs/assessment.md. Pure. */

const at = (f: { file: string; line: number }) => `${f.file}:${f.line}`;

export function accessLabel(a: Access): string {
  switch (a.kind) {
    case 'database':
      return `${a.database ?? 'database (kind unknown)'} via ${a.client}${a.host ? ` at ${a.host}` : ''}${a.direction ? `, ${a.direction}` : ''}`;
    case 'http':
      return `HTTP ${a.method ?? ''} ${a.host ?? '(host not literal)'} via ${a.client}`.replace(/\s+/g, ' ');
    case 'transfer':
      return `${a.client}${a.host ? ` ${a.direction === 'read' ? 'from' : a.direction === 'write' ? 'to' : 'with'} ${a.host}` : ''}${a.direction ? `, ${a.direction}` : ''}`;
    case 'storage':
      return `cloud storage via ${a.client}${a.target ? ` ${a.direction === 'read' ? 'from' : a.direction === 'write' ? 'to' : 'at'} ${a.target}` : ''}${a.direction ? `, ${a.direction}` : ''}`;
    case 'file':
      return `${a.client === 'spool' ? 'spooled file' : a.client} ${a.target ?? ''}${a.direction ? ` (${a.direction})` : ''}`;
    case 'mail':
      return `mail sent with ${a.client}`;
    case 'queue':
      return `queue via ${a.client}${a.direction ? ` (${a.direction})` : ''}`;
  }
}

/** Evidence and reason lists stop here, with "+N more". */
export const LIST_LIMIT = 8;

export const CLASS_WORDS: Record<ReadinessClass, string> = {
  ready: 'ready',
  ready_with_conditions: 'ready with conditions',
  needs_custom_node: 'needs a custom node',
  blocked: 'blocked',
};

/** The schedule in words without its macro repeated: `@monthly` is shown once, as the expression. */
export function scheduleWords(s: { expression: string; words: string }): string {
  return s.expression.startsWith('@') ? s.words.replace(` (${s.expression})`, '') : s.words;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** The first `limit` items, and "+N more" when there are more. */
export function capped<T>(items: readonly T[], show: (t: T) => string, limit = LIST_LIMIT): string[] {
  const out = items.slice(0, limit).map(show);
  if (items.length > limit) out.push(`+${items.length - limit} more`);
  return out;
}

/** An inventory not planned yet is planned from its facts alone (no file texts: no datasets beyond commands). */
const planned = (inv: Inventory | Assessment): Assessment => ('dependencies' in inv ? inv : planAssessment(inv, []));

export function textReport(given: Inventory | Assessment): string[] {
  const inv = planned(given);
  const out: string[] = [];
  const head = (t: string, n: number) => out.push('', `${t} (${n})`);
  head('Schedules', inv.schedules.length);
  for (const s of inv.schedules) {
    out.push(`  ${at(s)}  ${s.expression}${s.user ? ` as ${s.user}` : ''}: ${scheduleWords(s)}`);
    out.push(`      runs ${s.command}${s.script ? `\n      script ${s.script}` : ''}`);
    const r = s.readiness;
    out.push(`      job ${s.job}, wave ${s.wave}: ${CLASS_WORDS[r.class]} (confidence ${r.confidence}, about ${days(r.effort_days)})`);
    for (const line of capped(r.reasons, (x) => x)) out.push(`        - ${line}`);
  }
  if (inv.schedules.length) {
    const counts = (Object.keys(CLASS_WORDS) as ReadinessClass[]).map((c) => [c, inv.schedules.filter((s) => s.readiness.class === c).length] as const).filter(([, n]) => n);
    const total = inv.schedules.reduce((n, s) => n + s.readiness.effort_days, 0);
    out.push('', `Readiness: ${counts.map(([c, n]) => `${n} ${CLASS_WORDS[c]}`).join(', ')}; about ${days(total)} of work in all`);
  }
  const deps = inv.dependencies;
  head('Dependencies between jobs', deps.edges.length);
  for (const e of deps.edges) {
    const via = e.via.map((v) => `${v.kind} ${v.key}${v.match === 'name' ? ' (same name)' : ''}`).join(', ');
    const gap = e.gap_minutes === null ? (e.note ? ` (gap unknown: ${e.note})` : '') : `, starts ${formatGap(e.gap_minutes)} after it${e.note ? ` (${e.note})` : ''}`;
    out.push(`  ${e.from} -> ${e.to}: ${via}${gap}`);
    if (e.lucky_timing) out.push('      LUCKY TIMING: nothing in the reader waits for the data; if the writer runs late it reads old or half-written data');
  }
  if (deps.edges.length || inv.schedules.length) {
    head('Migration waves', inv.waves.length);
    for (const w of inv.waves) out.push(`  wave ${w.wave}: ${capped(w.jobs, (j) => `${j}${deps.dependents[j] ? ` (${deps.dependents[j]} ${deps.dependents[j] === 1 ? 'depends' : 'depend'} on it)` : ''}`, 20).join(', ')}`);
    for (const c of deps.cycles) out.push(`  cycle, migrate together: ${c.join(', ')}`);
  }
  head('Secrets to provision', inv.secrets.length);
  for (const x of inv.secrets) out.push(`  ${at(x)}  ${x.name}`);
  const byFile = new Map<string, Access[]>();
  for (const a of inv.accesses) {
    const list = byFile.get(a.file);
    if (list) list.push(a);
    else byFile.set(a.file, [a]);
  }
  head('Sources and sinks', inv.accesses.length);
  for (const [file, list] of byFile) {
    out.push(`  ${file}`);
    for (const a of list) out.push(`    line ${a.line}: ${accessLabel(a)}`);
  }
  head('Business-rule candidates', inv.rules.length);
  for (const r of inv.rules) out.push(`  ${at(r)}  [${r.tool}] ${r.text}`);
  head('Configuration', inv.config.length);
  for (const c of inv.config) out.push(`  ${at(c)}  ${c.kind === 'env' ? c.name : `connection (${c.name})`} = ${c.value}`);
  head('Stored procedures and report templates', inv.artifacts.length);
  for (const a of inv.artifacts) out.push(`  ${at(a)}  ${a.kind === 'procedure' ? 'defines procedure' : a.kind === 'procedure-call' ? 'calls procedure' : 'report template'} ${a.name}`);
  out.push('', 'Suggested answers');
  const s = inv.suggestions;
  for (const [key, sug] of Object.entries(s)) {
    if (!sug) continue;
    out.push(`  ${key}: ${Array.isArray(sug.value) ? sug.value.join(', ') : sug.value}`);
    for (const e of capped(sug.evidence as Evidence[], (x) => `${at(x)}  ${x.why}`)) out.push(`      ${e}`);
  }
  if (!Object.keys(s).length) out.push('  none: nothing in these folders answers a question');
  if (inv.notes.length) {
    head('Notes', inv.notes.length);
    for (const n of inv.notes.slice(0, 50)) out.push(`  ${n.file}: ${n.note}`);
    if (inv.notes.length > 50) out.push(`  ... and ${inv.notes.length - 50} more (see --json)`);
  }
  // Everything here came from the legacy tree: shown with its control characters escaped (the line breaks above are ours).
  return out.slice(1).map((l) => l.split('\n').map((x) => terminalSafe(x)).join('\n'));
}

export const REGION_START = '<!-- assess:start -->';
export const REGION_END = '<!-- assess:end -->';

/** Markdown-safe cell text: pipes escaped, code spans kept on one line. */
const cell = (t: string) => t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const code = (t: string) => {
  const text = cell(t);
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks === '``' ? ' ' : ''}${text}${ticks === '``' ? ' ' : ''}${ticks}`;
};

/** The region's body. `link` turns a fact's file and line into a link target relative to docs/. */
export function assessmentRegion(given: Inventory | Assessment, link: (file: string, line: number) => string | undefined): string {
  const inv = planned(given);
  // A file outside the project has no link that works once the project is pushed: its path is shown as text.
  const ref = (f: { file: string; line: number }) => {
    const target = link(f.file, f.line);
    return target ? `[${cell(f.file)}:${f.line}](${target})` : code(`${f.file}:${f.line}`);
  };
  const out: string[] = [];
  out.push('_Filled by `create-migration assess` from the legacy code; re-running it replaces only this region._', '');
  out.push('### Components found', '');
  if (inv.schedules.length) {
    out.push('| Job | Scheduled by | Schedule | Runs | Script | Evidence |', '|---|---|---|---|---|---|');
    for (const s of inv.schedules) {
      const script = s.script ? (link(s.script, 1) ? `[${cell(s.script)}](${link(s.script, 1)})` : code(s.script)) : 'not in the scanned folders';
      out.push(`| ${code(s.job)} | ${cell(s.kind)}${s.user ? ` (${cell(s.user)})` : ''} | ${code(s.expression)}: ${cell(scheduleWords(s))} | ${code(s.command.slice(0, 160))} | ${script} | ${ref(s)} |`);
    }
    out.push(...readinessSection(inv.schedules));
  } else out.push('No schedule was found in the scanned folders.');
  out.push(...dependencySection(inv));
  out.push('', '### Secrets to provision', '');
  if (inv.secrets.length) {
    out.push('Each is named, never its value: provide it in the secret store before the first run.', '', '| Secret | Kind | Evidence |', '|---|---|---|');
    for (const x of inv.secrets) out.push(`| ${code(x.name)} | ${x.kind} | ${ref(x)} |`);
  } else out.push('No password, token or key was found.');
  const procs = inv.artifacts.filter((a) => a.kind !== 'report-template');
  const reports = inv.artifacts.filter((a) => a.kind === 'report-template');
  if (procs.length || reports.length) {
    out.push('', '| Stored procedure or report template | Kind | Evidence |', '|---|---|---|');
    for (const a of [...procs, ...reports]) out.push(`| ${code(a.name)} | ${a.kind === 'procedure' ? 'defined' : a.kind === 'procedure-call' ? 'called' : 'report template'} | ${ref(a)} |`);
  }
  out.push('', '### Data flows found', '');
  const flows = inv.accesses.filter((a) => a.kind === 'database' || a.kind === 'file' || a.kind === 'queue');
  if (flows.length) {
    // Which schedule runs each script: the trigger column of the flows.
    const runBy = new Map<string, string[]>();
    for (const s of inv.schedules) {
      const key = s.script ?? s.file;
      const list = runBy.get(key) ?? [];
      list.push(`${code(s.expression)} (${ref(s)})`);
      runBy.set(key, list);
    }
    out.push('| Script | Reads or writes | Run by | Evidence |', '|---|---|---|---|');
    for (const a of flows) {
      const by = runBy.get(a.file) ?? [];
      out.push(`| ${cell(a.file)} | ${cell(accessLabel(a))} | ${by.length ? capped(by, (x) => x, 3).join(', ') : 'no schedule found'} | ${ref(a)} |`);
    }
  } else out.push('No database, file or queue access was found.');
  out.push('', '### Integration points found', '');
  const points = inv.accesses.filter((a) => a.kind === 'http' || a.kind === 'transfer' || a.kind === 'mail' || (a.kind === 'database' && a.host));
  if (points.length) {
    out.push('| Integration | Script | Evidence |', '|---|---|---|');
    for (const a of points) out.push(`| ${cell(accessLabel(a))} | ${cell(a.file)} | ${ref(a)} |`);
  } else out.push('No HTTP call, file transfer or mail was found.');
  out.push('', '### Business-rule candidates', '', 'Each is a row to move into the rules catalogue (section 6) once its meaning is confirmed.', '');
  if (inv.rules.length) {
    out.push('| ID | Candidate | Kind | Evidence |', '|---|---|---|---|');
    inv.rules.forEach((r, i) => out.push(`| RC-${String(i + 1).padStart(3, '0')} | ${code(r.text)} | ${r.tool} | ${ref(r)} |`));
  } else out.push('No awk, sed, sort or join expression and no SQL WHERE or CASE was found.');
  return `${out.join('\n')}\n`;
}

function readinessSection(schedules: readonly PlannedSchedule[]): string[] {
  const out = ['', '### Readiness', '', 'Per job, as migration planning tools grade it: the class, why, how sure the scan is, and the work in days (docs/assess.md of create-migration explains each rule).', ''];
  out.push('| Job | Readiness | Confidence | Effort | Wave | Reasons |', '|---|---|---|---|---|---|');
  for (const s of schedules) {
    const r = s.readiness;
    out.push(`| ${code(s.job)} | ${CLASS_WORDS[r.class]} | ${r.confidence} | ${days(r.effort_days)} | ${s.wave} | ${capped(r.reasons, cell).join('; ')} |`);
  }
  return out;
}

function dependencySection(inv: Assessment): string[] {
  const deps = inv.dependencies;
  const out = ['', '### Dependencies between jobs', ''];
  if (!deps.edges.length) out.push('No job was found reading a file, table or bucket another job writes.');
  else {
    out.push('An arrow goes from the job that writes to the job that reads; a dashed arrow is a chain that works because of lucky timing (a short gap, and nothing in the reader waits for the data).', '');
    out.push('```mermaid', mermaidGraph(deps.edges), '```', '');
    out.push('| Writes | Reads | Through | Gap | Lucky timing |', '|---|---|---|---|---|');
    for (const e of deps.edges) {
      const via = capped(e.via, (v) => `${v.kind} ${code(v.key)}${v.match === 'name' ? ' (same name)' : ''}`, 3).join(', ');
      const gap = e.gap_minutes === null ? `unknown${e.note ? ` (${cell(e.note)})` : ''}` : `${formatGap(e.gap_minutes)}${e.note ? ` (${cell(e.note)})` : ''}`;
      out.push(`| ${code(e.from)} | ${code(e.to)} | ${via} | ${gap} | ${e.lucky_timing ? '**yes**' : e.explicit ? 'no: it waits for the data' : 'no'} |`);
    }
  }
  if (inv.schedules.length) {
    out.push('', '### Migration waves', '', 'A job comes after the jobs it reads from; in a wave, the jobs more others depend on come first.', '');
    for (const w of inv.waves) out.push(`${w.wave}. ${capped(w.jobs, (j) => `${code(j)}${deps.dependents[j] ? ` (${deps.dependents[j]} ${deps.dependents[j] === 1 ? 'depends' : 'depend'} on it)` : ''}`, 20).join(', ')}`);
    for (const c of deps.cycles) out.push('', `Cycle, to migrate together: ${c.map(code).join(', ')}`);
  }
  return out;
}

/** Replaces what is between the markers; undefined when the markers are missing. CRLF files stay CRLF. */
export function replaceRegion(text: string, body: string): string | undefined {
  const start = text.indexOf(REGION_START);
  const end = text.indexOf(REGION_END, start);
  if (start < 0 || end < 0) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const inner = `${eol}${body.replace(/\n/g, eol)}`;
  return text.slice(0, start + REGION_START.length) + inner + text.slice(end);
}

import type { Inventory } from './scan.js';
import { escapeControl } from './terminal.js';
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

export function textReport(inv: Inventory): string[] {
  const out: string[] = [];
  const head = (t: string, n: number) => out.push('', `${t} (${n})`);
  head('Schedules', inv.schedules.length);
  for (const s of inv.schedules) {
    out.push(`  ${at(s)}  ${s.expression}${s.user ? ` as ${s.user}` : ''}: ${s.words}`);
    out.push(`      runs ${s.command}${s.script ? `\n      script ${s.script}` : ''}`);
  }
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
    for (const e of sug.evidence.slice(0, 8)) out.push(`      ${at(e)}  ${e.why}`);
  }
  if (!Object.keys(s).length) out.push('  none: nothing in these folders answers a question');
  if (inv.notes.length) {
    head('Notes', inv.notes.length);
    for (const n of inv.notes.slice(0, 50)) out.push(`  ${n.file}: ${n.note}`);
    if (inv.notes.length > 50) out.push(`  ... and ${inv.notes.length - 50} more (see --json)`);
  }
  // Everything here came from the legacy tree: shown with its control characters escaped (the line breaks above are ours).
  return out.slice(1).map((l) => l.split('\n').map(escapeControl).join('\n'));
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
export function assessmentRegion(inv: Inventory, link: (file: string, line: number) => string): string {
  const ref = (f: { file: string; line: number }) => `[${cell(f.file)}:${f.line}](${link(f.file, f.line)})`;
  const out: string[] = [];
  out.push('_Filled by `create-migration assess` from the legacy code; re-running it replaces only this region._', '');
  out.push('### Components found', '');
  if (inv.schedules.length) {
    out.push('| Scheduled job | Schedule | Runs | Script | Evidence |', '|---|---|---|---|---|');
    for (const s of inv.schedules) out.push(`| ${cell(s.kind)}${s.user ? ` (${cell(s.user)})` : ''} | ${code(s.expression)}: ${cell(s.words)} | ${code(s.command.slice(0, 160))} | ${s.script ? `[${cell(s.script)}](${link(s.script, 1)})` : 'not in the scanned folders'} | ${ref(s)} |`);
  } else out.push('No schedule was found in the scanned folders.');
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
      out.push(`| ${cell(a.file)} | ${cell(accessLabel(a))} | ${by.length ? by.slice(0, 3).join(', ') + (by.length > 3 ? ` and ${by.length - 3} more` : '') : 'no schedule found'} | ${ref(a)} |`);
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

/** Replaces what is between the markers; undefined when the markers are missing. CRLF files stay CRLF. */
export function replaceRegion(text: string, body: string): string | undefined {
  const start = text.indexOf(REGION_START);
  const end = text.indexOf(REGION_END, start);
  if (start < 0 || end < 0) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const inner = `${eol}${body.replace(/\n/g, eol)}`;
  return text.slice(0, start + REGION_START.length) + inner + text.slice(end);
}

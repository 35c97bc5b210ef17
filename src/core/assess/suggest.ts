import type { Access, Artifact, DbKind, Schedule, Where } from './types.js';
import type { Language } from './language.js';

/** Suggested answers to the template's questions, each value with the facts it rests on. Pure. */

export interface Evidence extends Where {
  why: string;
}

export interface Suggested<T> {
  value: T;
  evidence: Evidence[];
}

export interface Suggestions {
  legacy_stack?: Suggested<string[]>;
  data_sources?: Suggested<string[]>;
  database_kind?: Suggested<DbKind>;
  patterns?: Suggested<string[]>;
}

interface Facts {
  files: { file: string; language: Language }[];
  schedules: Schedule[];
  accesses: Access[];
  artifacts: Artifact[];
}

const MAX_EVIDENCE = 5;

function multi(groups: [string, Evidence[]][]): Suggested<string[]> | undefined {
  const present = groups.filter(([, ev]) => ev.length);
  if (!present.length) return undefined;
  return { value: present.map(([v]) => v), evidence: present.flatMap(([v, ev]) => ev.slice(0, MAX_EVIDENCE).map((e) => ({ ...e, why: `${v}: ${e.why}` }))) };
}

const ev = (w: Where, why: string): Evidence => ({ file: w.file, line: w.line, why });

export function suggestAnswers(f: Facts): Suggestions {
  const of = (kind: Access['kind'], pred: (a: Access) => boolean = () => true) => f.accesses.filter((a) => a.kind === kind && pred(a));
  const reports = [
    ...f.artifacts.filter((a) => a.kind === 'report-template').map((a) => ev(a, `report template ${a.name}`)),
    ...of('mail').map((a) => ev(a, `mails its output (${a.client})`)),
    ...of('file', (a) => a.client === 'spool' || (a.direction === 'write' && a.client === 'spreadsheet')).map((a) => ev(a, `writes ${a.target}`)),
  ];
  const shell = f.files.filter((x) => x.language === 'shell').map((x) => ({ file: x.file, line: 1, why: 'shell script' }));
  const legacy = multi([
    ['cron_shell', [...f.schedules.map((s) => ev(s, `scheduled ${s.words}`)), ...shell]],
    ['point_to_point', [...of('http').map((a) => ev(a, `${a.method ?? ''} ${a.host ?? 'HTTP'} (${a.client})`.trim())), ...of('transfer').map((a) => ev(a, `${a.client}${a.host ? ` to ${a.host}` : ''}`))]],
    ['static_reports', reports],
    ['stored_procedures', f.artifacts.filter((a) => a.kind !== 'report-template').map((a) => ev(a, `${a.kind === 'procedure' ? 'defines' : 'calls'} ${a.name}`))],
    ['message_queue', of('queue').map((a) => ev(a, a.client))],
  ]);
  const data = multi([
    ['csv', of('file', (a) => a.client === 'csv').map((a) => ev(a, `${a.direction ?? 'names'} ${a.target}`))],
    ['database', of('database').map((a) => ev(a, `${a.client}${a.database ? ` (${a.database})` : ''}`))],
    ['rest_api', of('http').map((a) => ev(a, `${a.method ?? ''} ${a.host ?? ''} (${a.client})`.replace(/\s+/g, ' ').trim()))],
    ['sftp', of('transfer').map((a) => ev(a, `${a.client}${a.host ? ` ${a.host}` : ''}`))],
    ['queue', of('queue').map((a) => ev(a, a.client))],
    ['spreadsheet', of('file', (a) => a.client === 'spreadsheet' || (a.client === 'spool' && /\.(xlsx?|ods)$/i.test(a.target ?? ''))).map((a) => ev(a, `${a.direction ?? 'names'} ${a.target}`))],
  ]);
  const out: Suggestions = {};
  if (legacy) out.legacy_stack = legacy;
  if (data) out.data_sources = data;
  const kinds = new Map<DbKind, Access[]>();
  for (const a of of('database')) {
    if (!a.database) continue;
    const list = kinds.get(a.database);
    if (list) list.push(a);
    else kinds.set(a.database, [a]);
  }
  if (kinds.size) {
    // The kind seen in most files wins; the others are named in its evidence.
    const ranked = [...kinds].map(([k, list]) => ({ k, list, files: new Set(list.map((a) => a.file)).size })).sort((a, b) => b.files - a.files || b.list.length - a.list.length);
    const top = ranked[0]!;
    out.database_kind = {
      value: top.k,
      evidence: [
        ...top.list.slice(0, MAX_EVIDENCE).map((a) => ev(a, `${a.client} (${top.k})`)),
        ...ranked.slice(1).map((r) => ev(r.list[0]!, `also ${r.k} in ${r.files} file${r.files === 1 ? '' : 's'}`)),
      ],
    };
  }
  const stack = new Set(legacy?.value ?? []);
  const patterns = multi([
    ['etl', ['cron_shell', 'stored_procedures', 'message_queue'].some((s) => stack.has(s)) ? (legacy?.evidence ?? []).filter((e) => /^(cron_shell|stored_procedures|message_queue):/.test(e.why)).slice(0, MAX_EVIDENCE) : []],
    ['api', of('http').map((a) => ev(a, `calls ${a.host ?? 'an HTTP API'}`))],
    ['reporting', reports],
  ]);
  if (patterns) out.patterns = patterns;
  return out;
}

/** The answers alone, as `--answers` reads them. */
export function answersOf(s: Suggestions): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (s.legacy_stack) out.legacy_stack = s.legacy_stack.value;
  if (s.data_sources) out.data_sources = s.data_sources.value;
  if (s.database_kind && s.data_sources?.value.includes('database')) out.database_kind = s.database_kind.value;
  if (s.patterns) out.patterns = s.patterns.value;
  return out;
}

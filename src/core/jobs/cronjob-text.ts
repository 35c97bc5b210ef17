/**
 * A move's CronJob edit without the YAML library, for a manifest laid out exactly as the template
 * (and the yaml library's own printer) writes one: two-space block maps and sequences, full-line
 * comments right above what they describe, plain words, whole numbers, double-quoted strings
 * without escapes and one-line lists of such strings. On such a file the edits a move makes
 * (spec.suspend, the JOB_MODE value) are made on the lines themselves, and the result is the text
 * the full parse and print (./cronjob.ts) gives; test/jobs-core.test.ts compares the two on every
 * state and on variants of the layout. Anything else (another layout, a field that would have to
 * be added, a value in another form) returns undefined: the caller parses and prints. Pure.
 */
import type { Job, JobState } from './schema.js';

/** Seconds a CronJob's run may take beyond the workflow's own time limit (start-up, the summary line). */
export const DEADLINE_MARGIN = 300;

/** Per state: suspended, and the mode it runs in (contract: shadow mode). */
export function deploymentOf(state: JobState): { suspend: boolean; mode: 'shadow' | 'live' } | undefined {
  switch (state) {
    case 'inventoried':
    case 'ported':
      return { suspend: true, mode: 'shadow' };
    case 'parallel':
      return { suspend: false, mode: 'shadow' };
    case 'switched':
    case 'legacy_off':
      return { suspend: false, mode: 'live' };
    case 'decommissioned':
      return undefined;
  }
}

/** A move's CronJob on its lines: the text after it, or undefined when only the YAML document can say (./cronjob.ts). */
export function cronJobTextForState(text: string, job: Job, project: string, state: JobState = job.state): string | undefined {
  const d = deploymentOf(state);
  if (!d) return text;
  return cronJobTextEdit(text, { id: job.id, workflow: job.workflow, timeLimit: job.time_limit_seconds, deadline: job.time_limit_seconds + DEADLINE_MARGIN, project, ...d });
}

type Node = Scalar | Flow | MapNode | SeqNode;
interface Scalar {
  kind: 'scalar';
  line: number;
  col: number;
  raw: string;
  value: string | number | boolean;
}
interface Flow {
  kind: 'flow';
  items: string[];
}
interface MapNode {
  kind: 'map';
  entries: Map<string, Node>;
}
interface SeqNode {
  kind: 'seq';
  items: Node[];
}

interface Line {
  /** The line's number in the file, its indent and what follows the indent. */
  line: number;
  indent: number;
  rest: string;
}

const KEY = /^([A-Za-z][A-Za-z0-9_./-]*):(?: (.*))?$/;
/** Words a YAML 1.2 reader takes for something else than the word, or prints otherwise. */
const RESERVED = /^(?:true|false|null|True|False|TRUE|FALSE|Null|NULL|y|Y|n|N|yes|no|Yes|No|YES|NO|on|off|On|Off|ON|OFF)$/;
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const QUOTED = /^"([\x20\x21\x23-\x5b\x5d-\x7e]*)"$/;
const FLOW = /^\[(?:"[\x20\x21\x23-\x5b\x5d-\x7e]*"(?:, "[\x20\x21\x23-\x5b\x5d-\x7e]*")*)?\]$/;

function scalarOf(raw: string, line: number, col: number): Scalar | Flow | undefined {
  const q = QUOTED.exec(raw);
  if (q) return { kind: 'scalar', line, col, raw, value: q[1]! };
  if (raw === 'true' || raw === 'false') return { kind: 'scalar', line, col, raw, value: raw === 'true' };
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(raw)) return { kind: 'scalar', line, col, raw, value: Number(raw) };
  // Kubernetes quantities (250m, 512Mi): text to YAML, printed as written.
  if (/^[1-9][0-9]{0,14}(?:m|k|Ki|Mi|Gi|Ti|M|G|T)$/.test(raw)) return { kind: 'scalar', line, col, raw, value: raw };
  if (PLAIN_WORD.test(raw) && !RESERVED.test(raw)) return { kind: 'scalar', line, col, raw, value: raw };
  if (FLOW.test(raw)) return { kind: 'flow', items: raw === '[]' ? [] : raw.slice(2, -2).split('", "') };
  return undefined;
}

class Doubt extends Error {}
const doubt = (): never => {
  throw new Doubt();
};

/** The lines of the file as the subset reads them, or undefined when the file is outside it. */
function linesOf(text: string): Line[] | undefined {
  if (!text.endsWith('\n') || /[\r\t]/.test(text)) return undefined;
  const raw = text.slice(0, -1).split('\n');
  const out: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    const indent = s.length - s.trimStart().length;
    const body = s.slice(indent);
    if (!body || s.endsWith(' ')) return undefined;
    if (body.startsWith('#')) {
      // A comment belongs to the line under it, at that line's indent.
      const next = raw[i + 1];
      if (next === undefined || next.length - next.trimStart().length !== indent) return undefined;
      continue;
    }
    out.push({ line: i, indent, rest: body });
  }
  return out;
}

/**
 * The CronJob's text after a move, or undefined when the file is not in the subset or the move
 * would do more than change spec.suspend and JOB_MODE's value (a missing field, another value).
 */
export function cronJobTextEdit(text: string, want: { id: string; workflow: string; timeLimit: number; deadline: number; project: string; suspend: boolean; mode: 'shadow' | 'live' }): string | undefined {
  const lines = linesOf(text);
  if (!lines || !lines.length) return undefined;
  let pos = 0;

  const valueAt = (l: Line, raw: string, col: number, indent: number): Node => {
    if (raw !== '') return scalarOf(raw, l.line, col) ?? doubt();
    const next = lines[pos];
    if (!next || next.indent !== indent + 2) return doubt();
    return next.rest.startsWith('- ') ? seqAt(indent + 2) : mapAt(indent + 2);
  };
  const mapAt = (indent: number, first?: { l: Line; body: string; col: number }): MapNode => {
    const entries = new Map<string, Node>();
    const entry = (l: Line, body: string, col: number) => {
      const m = KEY.exec(body) ?? doubt();
      const key = m[1]!;
      if (RESERVED.test(key) || entries.has(key)) doubt();
      const raw = m[2] ?? '';
      if (m[2] !== undefined && raw === '') doubt();
      entries.set(key, valueAt(l, raw, col + key.length + 2, indent));
    };
    if (first) entry(first.l, first.body, first.col);
    while (pos < lines.length && lines[pos]!.indent >= indent) {
      const l = lines[pos]!;
      if (l.indent !== indent || l.rest.startsWith('- ')) doubt();
      pos++;
      entry(l, l.rest, l.indent);
    }
    return { kind: 'map', entries };
  };
  const seqAt = (indent: number): SeqNode => {
    const items: Node[] = [];
    while (pos < lines.length && lines[pos]!.indent >= indent) {
      const l = lines[pos]!;
      if (l.indent !== indent || !l.rest.startsWith('- ')) doubt();
      pos++;
      const body = l.rest.slice(2);
      if (!body || body.startsWith(' ') || body.startsWith('-')) doubt();
      if (KEY.test(body)) items.push(mapAt(indent + 2, { l, body, col: indent + 2 }));
      else items.push(scalarOf(body, l.line, indent + 2) ?? doubt());
    }
    return { kind: 'seq', items };
  };

  let root: MapNode;
  try {
    if (lines[0]!.indent !== 0) return undefined;
    root = mapAt(0);
    if (pos !== lines.length) return undefined;
  } catch (e) {
    if (e instanceof Doubt) return undefined;
    throw e;
  }

  const at = (n: Node | undefined, ...keys: string[]): Node | undefined => {
    for (const k of keys) n = n?.kind === 'map' ? n.entries.get(k) : undefined;
    return n;
  };
  const scalar = (n: Node | undefined) => (n?.kind === 'scalar' ? n : undefined);
  const edits: { s: Scalar; raw: string }[] = [];

  if (scalar(at(root, 'kind'))?.value !== 'CronJob') return undefined;
  const suspend = scalar(at(root, 'spec', 'suspend'));
  if (typeof suspend?.value !== 'boolean') return undefined;
  if (suspend.value !== want.suspend) edits.push({ s: suspend, raw: String(want.suspend) });
  if (scalar(at(root, 'spec', 'jobTemplate', 'spec', 'activeDeadlineSeconds'))?.value !== want.deadline) return undefined;
  if (scalar(at(root, 'metadata', 'labels', 'kailash-migration/job'))?.value !== want.id) return undefined;
  if (want.project && scalar(at(root, 'metadata', 'labels', 'app.kubernetes.io/part-of'))?.value !== want.project) return undefined;

  const containers = at(root, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers');
  if (containers?.kind !== 'seq' || !containers.items.length || containers.items.some((c) => c.kind !== 'map')) return undefined;
  const maps = containers.items as MapNode[];
  if (maps.some((c) => c.entries.has('command') && c.entries.get('command')!.kind !== 'flow')) return undefined;
  const own = maps.find((c) => (at(c, 'command') as Flow | undefined)?.items.some((s) => s.endsWith(`.workflows.${want.workflow}`))) ?? maps[0]!;
  const env = at(own, 'env');
  if (env?.kind !== 'seq' || env.items.some((e) => e.kind !== 'map')) return undefined;
  const valueOf = (name: string): Scalar | undefined => {
    const item = (env.items as MapNode[]).find((e) => scalar(e.entries.get('name'))?.value === name);
    if (!item || item.entries.has('valueFrom')) return undefined;
    return scalar(item.entries.get('value'));
  };
  if (valueOf('JOB_ID')?.value !== want.id) return undefined;
  if (valueOf('RUN_TIME_LIMIT_SECONDS')?.value !== String(want.timeLimit)) return undefined;
  const mode = valueOf('JOB_MODE');
  if (mode?.value !== 'shadow' && mode?.value !== 'live') return undefined;
  if (mode.value !== want.mode) edits.push({ s: mode, raw: mode.raw.startsWith('"') ? `"${want.mode}"` : want.mode });

  if (!edits.length) return text;
  const out = text.slice(0, -1).split('\n');
  for (const { s, raw } of edits) out[s.line] = out[s.line]!.slice(0, s.col) + raw;
  return `${out.join('\n')}\n`;
}

/**
 * A move's edit of jobs.yaml on its lines: the job's `state:` line set and one history line
 * added, every other byte kept, with no YAML library (`job <id> --to` starts without it when the
 * inventory of these very bytes is known, see edge/jobs-cache.ts).
 *
 * Exact or nothing: the whole file must be in a strict subset of YAML whose block structure this
 * reader knows for certain (block maps and sequences, each scalar or flow collection on its own
 * line; no block scalar, multi-line scalar or flow, anchor, alias, tag, directive, tab or CR),
 * the jobs it finds must be the validated inventory's (the same ids in the same order, the job's
 * state and number of history entries), and the new entry's strings must print as the YAML
 * library prints them. Anything else returns undefined: the caller edits the YAML document
 * (./edit.ts), which the tests hold this edit's output to. Pure.
 */
import type { HistoryEntry, JobState, JobsFile } from './schema.js';

interface Entry {
  line: number;
  /** Column where the value starts (after `key: `). */
  col: number;
  /** The value as written on the key's line ('' when it is a block below). */
  raw: string;
  child?: Block;
}
interface MapBlock {
  kind: 'map';
  entries: Map<string, Entry>;
}
interface SeqBlock {
  kind: 'seq';
  indent: number;
  /** Per item: its line, and its map when the item is one (else its one-line value). */
  items: { line: number; map?: MapBlock; raw?: string }[];
}
type Block = MapBlock | SeqBlock;

interface Line {
  line: number;
  indent: number;
  body: string;
}

class Doubt extends Error {}
const doubt = (): never => {
  throw new Doubt();
};

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
const DOUBLE = /^"(?:[^"\\]|\\.)*"(?: +#.*)?$/;
const SINGLE = /^'(?:[^']|'')*'(?: +#.*)?$/;

/** Whether a flow collection opens and closes on this text (quotes honoured; a comment inside: no). */
function oneLineFlow(raw: string): boolean {
  let depth = 0;
  let i = 0;
  let start = true; // at the start of a scalar, where a quote opens a quoted one
  for (; i < raw.length; i++) {
    const c = raw[i]!;
    if (start && (c === '"' || c === "'")) {
      const end = c === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(raw.slice(i)) : /^'(?:[^']|'')*'/.exec(raw.slice(i));
      if (!end) return false;
      i += end[0].length - 1;
      start = false;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) break;
      if (depth < 0) return false;
    } else if (c === '#' && raw[i - 1] === ' ') return false;
    if (c === '[' || c === '{' || c === ',' || (c === ':' && raw[i + 1] === ' ')) start = true;
    else if (c !== ' ') start = false;
  }
  if (depth !== 0 || i >= raw.length) return false;
  return /^(?: +#.*)?$/.test(raw.slice(i + 1));
}

/** A value written on its key's (or dash's) line, checked to end on that line. */
function oneLineValue(raw: string): string {
  if (raw === '' || raw.startsWith(' ')) return doubt();
  const c = raw[0]!;
  if (c === '"') return DOUBLE.test(raw) ? raw : doubt();
  if (c === "'") return SINGLE.test(raw) ? raw : doubt();
  if (c === '[' || c === '{') return oneLineFlow(raw) ? raw : doubt();
  // Block scalars, anchors, aliases, tags, complex keys and the reserved indicators.
  if ('|>&*!%@`?#-:,]}'.includes(c)) return doubt();
  return raw;
}

function linesOf(text: string): Line[] | undefined {
  // Only LF line breaks, and indentation of spaces alone (a reader of YAML 1.1 breaks lines at NEL, LS and PS too).
  if (!text.endsWith('\n') || /[\r\t\uFEFF\u0085\u2028\u2029]/.test(text)) return undefined;
  const out: Line[] = [];
  const raw = text.slice(0, -1).split('\n');
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    const body = s.replace(/^ +/, '');
    if (!body || body.startsWith('#')) continue;
    if (s.endsWith(' ') || /^(?:---|\.\.\.|%)/.test(s)) return undefined;
    out.push({ line: i, indent: s.length - body.length, body });
  }
  return out;
}

function blockStructure(lines: Line[]): MapBlock {
  let pos = 0;
  const below = (indent: number): Block | undefined => {
    const next = lines[pos];
    if (!next || next.indent <= indent) return undefined;
    return next.body.startsWith('- ') ? seqAt(next.indent) : mapAt(next.indent);
  };
  const mapAt = (indent: number, first?: Line & { col: number }): MapBlock => {
    const entries = new Map<string, Entry>();
    const entry = (l: Line, body: string, col: number) => {
      const m = KEY.exec(body) ?? doubt();
      if (entries.has(m[1]!)) doubt();
      if (m[2] === undefined) {
        // A block below (a key with nothing under it is null: not in the subset).
        entries.set(m[1]!, { line: l.line, col: col + m[1]!.length + 1, raw: '', child: below(indent) ?? doubt() });
      } else {
        entries.set(m[1]!, { line: l.line, col: col + m[1]!.length + 2, raw: oneLineValue(m[2]) });
        // A deeper line under a one-line value would continue it: not in the subset.
        if (lines[pos] && lines[pos]!.indent > indent) doubt();
      }
    };
    if (first) entry(first, first.body, first.col);
    while (pos < lines.length && lines[pos]!.indent >= indent) {
      const l = lines[pos]!;
      if (l.indent !== indent || l.body.startsWith('- ') || l.body === '-') doubt();
      pos++;
      entry(l, l.body, l.indent);
    }
    return { kind: 'map', entries };
  };
  const seqAt = (indent: number): SeqBlock => {
    const items: SeqBlock['items'] = [];
    while (pos < lines.length && lines[pos]!.indent >= indent) {
      const l = lines[pos]!;
      if (l.indent !== indent || !l.body.startsWith('- ')) doubt();
      pos++;
      const body = l.body.slice(2);
      if (KEY.test(body)) items.push({ line: l.line, map: mapAt(indent + 2, { ...l, body, col: indent + 2 }) });
      else {
        items.push({ line: l.line, raw: oneLineValue(body) });
        if (lines[pos] && lines[pos]!.indent > indent) doubt();
      }
    }
    return { kind: 'seq', indent, items };
  };
  if (!lines.length || lines[0]!.indent !== 0) doubt();
  const root = mapAt(0);
  if (pos !== lines.length) doubt();
  return root;
}

/** Words a YAML 1.2 reader takes for something other than the text. */
const RESERVED = /^(?:true|false|null|True|False|TRUE|FALSE|Null|NULL)$/;

/** A string inside a flow map as the YAML library prints it (plain, else double-quoted), or undefined when unsure. */
export function flowString(s: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9 _./()'+=:;-]*$/.test(s) && !/[ :]$/.test(s) && !s.includes(': ') && !RESERVED.test(s)) return s;
  // Text that can never be plain: the library double-quotes it (printable ASCII without a quote or backslash only).
  const mustQuote = s === '' || RESERVED.test(s) || /[,[\]{}]/.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':') || /^ | $/.test(s);
  if (mustQuote && /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  return undefined;
}

/** jobs.yaml's text after moving job `index` (of `inventory`, validated from this very text) to `to`, or undefined. */
export function moveByText(text: string, inventory: JobsFile, index: number, to: JobState, entry: HistoryEntry): string | undefined {
  const job = inventory.jobs[index];
  if (!job) return undefined;
  const by = flowString(entry.by);
  const reason = flowString(entry.reason);
  if (by === undefined || reason === undefined || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$/.test(entry.at)) return undefined;
  const lines = linesOf(text);
  if (!lines) return undefined;
  let root: MapBlock;
  try {
    root = blockStructure(lines);
  } catch (e) {
    if (e instanceof Doubt) return undefined;
    throw e;
  }
  // The jobs the subset reads must be the inventory's, one for one.
  const seq = root.entries.get('jobs')?.child;
  if (seq?.kind !== 'seq' || seq.items.length !== inventory.jobs.length) return undefined;
  if (seq.items.some((it, i) => it.map?.entries.get('id')?.raw !== inventory.jobs[i]!.id)) return undefined;
  const map = seq.items[index]!.map!;
  const state = map.entries.get('state');
  const history = map.entries.get('history');
  if (!state || state.raw !== job.state || !history) return undefined;
  const out = text.slice(0, -1).split('\n');
  const line = `{at: "${entry.at}", from: ${entry.from ?? 'null'}, to: ${to}, by: ${by}, reason: ${reason}${entry.forced ? ', forced: true' : ''}}`;
  const historyIndent = out[history.line]!.length - out[history.line]!.trimStart().length;
  let insertAt: number;
  let itemIndent: number;
  if (history.child?.kind === 'seq') {
    const items = history.child.items;
    if (items.length !== job.history.length || items.some((it) => !it.raw?.startsWith('{'))) return undefined;
    insertAt = items[items.length - 1]!.line + 1;
    itemIndent = history.child.indent;
  } else if (history.raw === '[]' && job.history.length === 0) {
    out[history.line] = out[history.line]!.slice(0, history.col - 1);
    insertAt = history.line + 1;
    itemIndent = historyIndent + 2;
  } else return undefined;
  out[state.line] = out[state.line]!.slice(0, state.col) + to;
  out.splice(insertAt, 0, `${' '.repeat(itemIndent)}- ${line}`);
  return `${out.join('\n')}\n`;
}

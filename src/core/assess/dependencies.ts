import { weekMinutes } from './cron-words.js';
import type { Dataset } from './datasets.js';

/**
 * Dependencies between scheduled jobs: one writes a file, table or bucket another reads. Each edge
 * carries the time from the writer's start to the reader's next start, and is flagged when that
 * is short and nothing in the reader waits for the data (the chain works because of lucky
 * timing). The graph becomes migration waves: a job comes after every job it reads from, and in
 * a wave the jobs more others depend on come first. Pure.
 */

export interface JobNode {
  job: string;
  /** Five cron fields, when the schedule has them. */
  cron?: string;
  timeZone?: string;
  datasets: Dataset[];
  /** The job's script text (or its command), to see whether it waits for a file or calls another job. */
  text: string;
  /** The script's file name, to see whether another job's script calls this one. */
  script?: string;
}

export interface DependencyEdge {
  from: string;
  to: string;
  /** What is shared: `file /data/out/sales.csv`, `table billing.invoices`. */
  via: { kind: Dataset['kind']; key: string; match: 'exact' | 'name' }[];
  /** Minutes from a start of `from` to the next start of `to` (the smallest over a week); null when it cannot be computed. */
  gap_minutes: number | null;
  /** The reader waits for the data or the writer starts the reader: the order does not rest on the clock. */
  explicit: boolean;
  /** A short gap and nothing explicit: if the writer runs late, the reader reads old or half-written data. */
  lucky_timing: boolean;
  /** Why the gap is approximate or unknown, when it is. */
  note?: string;
}

export interface Wave {
  wave: number;
  jobs: string[];
}

export interface Dependencies {
  edges: DependencyEdge[];
  /** Per job: how many jobs depend on it, directly or through others. */
  dependents: Record<string, number>;
  waves: Wave[];
  /** Jobs that depend on each other in a cycle: migrate them together. */
  cycles: string[][];
}

/** A gap under this many minutes, with no explicit wait, is flagged as lucky timing. */
export const LUCKY_GAP_MINUTES = 60;
/** A dataset more jobs than this write is shared, not handed off: it makes no edges. */
export const MAX_WRITERS = 5;

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** Two names of one dataset: the same key, or for files the same name when a folder is unknown. */
function sameData(w: Dataset, r: Dataset): 'exact' | 'name' | undefined {
  if (w.kind !== r.kind) return undefined;
  if (w.key === r.key) return 'exact';
  if (w.kind === 'file') {
    if (base(w.key) !== base(r.key) || base(w.key) === '*' || !/[A-Za-z]/.test(base(w.key))) return undefined;
    const dw = dir(w.key);
    const dr = dir(r.key);
    return dw === '' || dr === '' || dw.includes('*') || dr.includes('*') || !dw.startsWith('/') || !dr.startsWith('/') ? 'name' : undefined;
  }
  if (w.kind === 'table') {
    const tw = w.key.split('.').pop();
    const tr = r.key.split('.').pop();
    return tw === tr && (!w.key.includes('.') || !r.key.includes('.')) ? 'name' : undefined;
  }
  if (w.kind === 'bucket') return w.key.startsWith(r.key) || r.key.startsWith(w.key) ? 'name' : undefined;
  return undefined;
}

const WEEK = 7 * 1440;

/** The smallest time from a start of `a` to the next start of `b`, over a week. */
export function gapMinutes(a: string, b: string): { gap: number; approximate: boolean } | undefined {
  const wa = weekMinutes(a);
  const wb = weekMinutes(b);
  if (!wa || !wb || !wa.minutes.length || !wb.minutes.length) return undefined;
  const next = wb.minutes;
  let best = Infinity;
  for (const t of wa.minutes) {
    // Binary search for the first start of b at or after t (wrapping into next week).
    let lo = 0;
    let hi = next.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (next[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    const n = lo < next.length ? next[lo]! : next[0]! + WEEK;
    best = Math.min(best, n - t);
    if (best === 0) break;
  }
  return { gap: best, approximate: wa.daysOfMonthOrMonths || wb.daysOfMonthOrMonths };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const EXISTS_TEST = /\[\[?\s*!?\s*-[efs]\s|\btest\s+-[efs]\s|os\.path\.(?:exists|isfile|getsize)\s*\(|\.exists\(\)|\bif\s*\(\s*-[efs]\s|\binotifywait\b/;

/**
 * Does the order rest on more than the clock? The writer starts the reader (names its script),
 * or the reader names the shared file and tests that a file exists before it reads (a done flag,
 * `[ -f ... ]`, os.path.exists, inotifywait).
 */
function isExplicit(writer: JobNode, reader: JobNode, via: DependencyEdge['via']): boolean {
  if (reader.script && new RegExp(`(^|[\\s/;&|'"])${escapeRe(base(reader.script))}(?=$|[\\s;&|'"])`, 'm').test(writer.text)) return true;
  if (!EXISTS_TEST.test(reader.text)) return false;
  return via.some((v) => v.kind === 'file' && base(v.key).split('*').filter((p) => p.length >= 3).some((p) => reader.text.includes(p)));
}

/** The name a dataset is looked up by: a file's base name, a table's last part, a bucket's scheme and name. */
const lookupKey = (d: Dataset) => (d.kind === 'file' ? `f ${base(d.key)}` : d.kind === 'table' ? `t ${d.key.split('.').pop()}` : `b ${/^[a-z0-9]+:\/\/[^/]*/.exec(d.key)?.[0] ?? d.key}`);

export function dependencies(jobs: readonly JobNode[]): Dependencies {
  const edges: DependencyEdge[] = [];
  // Writers indexed by lookup key, so a thousand jobs are not compared pairwise.
  const writers = new Map<string, { job: number; d: Dataset }[]>();
  jobs.forEach((j, i) => {
    for (const d of j.datasets) {
      if (d.direction !== 'write') continue;
      const k = lookupKey(d);
      const list = writers.get(k) ?? [];
      list.push({ job: i, d });
      writers.set(k, list);
    }
  });
  // A file many jobs write (a shared status or log file) is not a hand-off between two of them:
  // it is left out, and the graph stays linear in the number of jobs.
  for (const [k, list] of writers) if (new Set(list.map((w) => w.job)).size > MAX_WRITERS) writers.delete(k);
  const pairs = new Map<string, DependencyEdge['via']>();
  jobs.forEach((r, ri) => {
    for (const d of r.datasets) {
      if (d.direction !== 'read') continue;
      for (const w of writers.get(lookupKey(d)) ?? []) {
        // Two schedules of one script share its files with themselves: not a dependency.
        if (w.job === ri || (r.script !== undefined && jobs[w.job]!.script === r.script)) continue;
        const match = sameData(w.d, d);
        if (!match) continue;
        const pk = `${w.job} ${ri}`;
        const via = pairs.get(pk) ?? [];
        if (!via.some((v) => v.kind === w.d.kind && v.key === w.d.key)) via.push({ kind: w.d.kind, key: w.d.key, match });
        pairs.set(pk, via);
      }
    }
  });
  for (const [pk, via] of pairs) {
    const [wi, ri] = pk.split(' ').map(Number) as [number, number];
    const w = jobs[wi]!;
    const r = jobs[ri]!;
    via.sort((a, b) => (a.match === b.match ? 0 : a.match === 'exact' ? -1 : 1));
    let gap: number | null = null;
    let note: string | undefined;
    if (!w.cron || !r.cron) note = 'one of the two has no cron form';
    else if ((w.timeZone ?? '') !== (r.timeZone ?? '')) note = `time zones differ (${w.timeZone ?? 'host zone'}, ${r.timeZone ?? 'host zone'})`;
    else {
      const g = gapMinutes(w.cron, r.cron);
      if (!g) note = 'a schedule could not be read';
      else {
        gap = g.gap;
        if (g.approximate) note = 'approximate: days of the month and months are not counted';
      }
    }
    const explicit = isExplicit(w, r, via);
    edges.push({ from: w.job, to: r.job, via: via.slice(0, 8), gap_minutes: gap, explicit, lucky_timing: !explicit && gap !== null && gap < LUCKY_GAP_MINUTES, ...(note ? { note } : {}) });
  }
  const { waves, dependents, cycles } = planWaves(
    jobs.map((j) => j.job),
    edges,
  );
  return { edges, dependents, waves, cycles };
}

/**
 * Waves from the graph: cycles are collapsed (their jobs move together); a job's wave is one more
 * than the latest wave of the jobs it reads from; in a wave, jobs with more dependents come first.
 */
export function planWaves(jobs: readonly string[], edges: readonly { from: string; to: string }[]): { waves: Wave[]; dependents: Record<string, number>; cycles: string[][] } {
  const index = new Map(jobs.map((j, i) => [j, i]));
  const out: number[][] = jobs.map(() => []);
  for (const e of edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a !== undefined && b !== undefined && a !== b && !out[a]!.includes(b)) out[a]!.push(b);
  }
  // Tarjan's strongly connected components, iteratively (a long chain must not overflow the stack).
  const comp = new Array<number>(jobs.length).fill(-1);
  const low = new Array<number>(jobs.length).fill(0);
  const num = new Array<number>(jobs.length).fill(-1);
  const onStack = new Array<boolean>(jobs.length).fill(false);
  const stack: number[] = [];
  let counter = 0;
  let comps = 0;
  for (let s = 0; s < jobs.length; s++) {
    if (num[s] !== -1) continue;
    const work: [number, number][] = [[s, 0]];
    num[s] = low[s] = counter++;
    stack.push(s);
    onStack[s] = true;
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      if (i < out[v]!.length) {
        top[1]++;
        const w = out[v]![i]!;
        if (num[w] === -1) {
          num[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, num[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const p = work[work.length - 1]![0];
        low[p] = Math.min(low[p]!, low[v]!);
      }
      if (low[v] === num[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp[w] = comps;
        } while (w !== v);
        comps++;
      }
    }
  }
  const members: number[][] = Array.from({ length: comps }, () => []);
  jobs.forEach((_, i) => members[comp[i]!]!.push(i));
  const cout: Set<number>[] = Array.from({ length: comps }, () => new Set());
  const cin: Set<number>[] = Array.from({ length: comps }, () => new Set());
  out.forEach((list, a) => list.forEach((b) => {
    if (comp[a] !== comp[b]) {
      cout[comp[a]!]!.add(comp[b]!);
      cin[comp[b]!]!.add(comp[a]!);
    }
  }));
  // Tarjan numbers components in reverse topological order: walk from the last to the first.
  const level = new Array<number>(comps).fill(0);
  for (let c = comps - 1; c >= 0; c--) for (const p of cin[c]!) level[c] = Math.max(level[c]!, level[p]! + 1);
  // Dependents: every job reachable downstream, outside its own cycle.
  const reach: Set<number>[] = Array.from({ length: comps }, () => new Set());
  for (let c = 0; c < comps; c++) for (const d of cout[c]!) {
    reach[c]!.add(d);
    for (const x of reach[d]!) reach[c]!.add(x);
  }
  const dependents: Record<string, number> = {};
  jobs.forEach((j, i) => {
    let n = members[comp[i]!]!.length - 1;
    for (const c of reach[comp[i]!]!) n += members[c]!.length;
    dependents[j] = n;
  });
  const byWave = new Map<number, string[]>();
  jobs.forEach((j, i) => {
    const w = level[comp[i]!]!;
    const list = byWave.get(w) ?? [];
    list.push(j);
    byWave.set(w, list);
  });
  const waves = [...byWave.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([w, list]) => ({ wave: w + 1, jobs: list.sort((a, b) => dependents[b]! - dependents[a]! || (a < b ? -1 : a > b ? 1 : 0)) }));
  const cycles = members.filter((m) => m.length > 1).map((m) => m.map((i) => jobs[i]!));
  return { waves, dependents, cycles };
}

/** Mermaid text safe in a label: quotes, brackets, pipes, `#` and markup as Mermaid's entity codes. */
export function mermaidLabel(t: string): string {
  return t
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/`/g, '#96;')
    .replace(/[[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`)
    .replace(/&(?!#)/g, '#38;')
    .slice(0, 200);
}

/** The graph as a Mermaid flowchart (left to right): one node per job that has an edge, lucky-timing edges dashed and marked. */
export function mermaidGraph(edges: readonly DependencyEdge[], label: (job: string) => string = (j) => j): string {
  const used = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const id = new Map(used.map((j, i) => [j, `j${i + 1}`]));
  const lines = ['flowchart LR'];
  for (const j of used) lines.push(`  ${id.get(j)}["${mermaidLabel(label(j))}"]`);
  for (const e of edges) {
    const what = e.via[0] ? `${e.via[0].kind} ${base(e.via[0].key) || e.via[0].key}${e.via.length > 1 ? ` +${e.via.length - 1}` : ''}` : '';
    const gap = e.gap_minutes === null ? '' : `, ${formatGap(e.gap_minutes)}`;
    const text = mermaidLabel(`${what}${gap}${e.lucky_timing ? ', lucky timing' : ''}`);
    lines.push(`  ${id.get(e.from)} ${e.lucky_timing ? '-.->' : '-->'}|"${text}"| ${id.get(e.to)}`);
  }
  return lines.join('\n');
}

export function formatGap(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

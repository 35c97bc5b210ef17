import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { cachedClone } from '../../edge/fleet-clone.js';
import { fleetHtml } from '../../core/fleet/html.js';
import { readProject } from '../../edge/fleet-read.js';
import { parseReposFile, redactUrl } from '../../core/fleet/repos-file.js';
import { fleetRow, totals, type FleetRow, type ProjectFacts } from '../../core/fleet/row.js';
import { fleetTable } from '../../core/fleet/table.js';
import { loadFromSource, openSource, type TemplateSource } from '../../edge/template-source.js';
import { printJson } from '../output.js';

export interface FleetFlags {
  repos?: string;
  json?: boolean;
  html?: string;
}

interface Target {
  label: string;
  dir?: string;
  url?: string;
  error?: string;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function targetsFrom(dirs: string[], reposFile: string | undefined): Target[] {
  const targets: Target[] = dirs.map((d) => ({ label: d, dir: d }));
  if (reposFile) {
    let text: string;
    try {
      text = readFileSync(reposFile, 'utf8');
    } catch (e) {
      throw new InputError(`--repos: cannot read ${reposFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    const base = path.dirname(path.resolve(reposFile));
    for (const l of parseReposFile(text)) {
      const label = l.kind === 'url' ? redactUrl(l.text) : l.text;
      if (l.problem) targets.push({ label, error: `${reposFile} line ${l.line}: ${l.problem}` });
      else if (l.kind === 'url') targets.push({ label, url: l.text });
      else targets.push({ label, dir: path.resolve(base, l.text) });
    }
  }
  return targets.length ? targets : [{ label: '.', dir: '.' }];
}

export async function fleetCommand(dirs: string[], flags: FleetFlags): Promise<number> {
  const targets = targetsFrom(dirs, flags.repos);
  const today = new Date();
  // Each template source is opened and its newest version read once for the whole fleet.
  const sources = new Map<string, Promise<{ version: string; commit?: string }>>();
  const opened: TemplateSource[] = [];
  const newestOf = (source: string) => {
    let p = sources.get(source);
    if (!p) {
      p = (async () => {
        const src = await openSource(source);
        opened.push(src);
        const { ref } = await loadFromSource(src);
        return { version: ref.version, commit: ref.commit };
      })();
      sources.set(source, p);
    }
    return p;
  };
  const progress = process.stderr.isTTY && targets.length > 1;
  let done = 0;
  try {
    const rows = await mapLimited(targets, 4, async (t): Promise<FleetRow> => {
      let facts: ProjectFacts;
      if (t.error) facts = { project: t.label, checklists: new Map(), unmerged: [], markers: [], error: t.error };
      else {
        let dir = t.dir;
        let cloneError: string | undefined;
        if (t.url) {
          try {
            dir = await cachedClone(t.url);
          } catch (e) {
            cloneError = `cannot clone: ${(e as Error).message}`;
          }
        }
        facts = cloneError ? { project: t.label, checklists: new Map(), unmerged: [], markers: [], error: cloneError } : await readProject(dir!, t.label, newestOf);
      }
      done++;
      if (progress) process.stderr.write(`\rfleet: ${done}/${targets.length}`);
      return fleetRow(facts, today);
    });
    if (progress) process.stderr.write('\r\x1b[K');
    const sum = totals(rows);
    const exitCode = sum.behind || sum.inConflict || sum.errors ? 1 : 0;
    if (flags.html) writeFileSync(path.resolve(flags.html), fleetHtml(rows, sum, today.toISOString().slice(0, 16).replace('T', ' ')));
    if (flags.json) printJson({ ok: exitCode === 0, command: 'fleet', exitCode, totals: sum, projects: rows });
    else process.stdout.write(fleetTable(rows, sum));
    return exitCode;
  } finally {
    for (const s of opened) await s.cleanup?.();
  }
}

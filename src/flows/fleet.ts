import path from 'node:path';
import { InputError } from '../core/errors.js';
import { fleetHtml } from '../core/fleet/html.js';
import { parseReposFile, redactUrl } from '../core/fleet/repos-file.js';
import { byAttention, fleetRow, totals, type FleetRow, type FleetTotals, type ProjectFacts } from '../core/fleet/row.js';
import { atomicWriteSync } from '../edge/apply.js';
import { BUILTIN_SOURCE } from '../edge/builtin.js';
import { builtinVersion } from '../edge/fleet-builtin.js';
import { cachedClone } from '../edge/fleet-clone.js';
import { readProject } from '../edge/fleet-read.js';
import { updateRequestOf } from '../edge/fleet-requests.js';
import { readText } from '../edge/inputs.js';
import { loadFromSource, openSource, type TemplateSource } from '../edge/template-source.js';
import { mapLimited } from '../core/map-limited.js';
import { hideCredentialsDeep, secretsOf } from '../core/credentials.js';

export interface FleetRequest {
  dirs: string[];
  /** A file of git URLs or paths, one a line. */
  repos?: string;
  /** Write the sortable page here. */
  html?: string;
  /** Told after each project is read (for a progress count). */
  onProgress?: (done: number, total: number) => void;
  now?: Date;
  /** Read each project's template-update request from its forge (gh, GitLab's API); default true. */
  requests?: boolean;
  /** `attention`: rows that need a person first; default: as given. */
  sort?: 'attention' | 'given';
}

export interface FleetResult {
  rows: FleetRow[];
  totals: FleetTotals;
  /** 1 when a project is behind, in conflict or unreadable. */
  exitCode: number;
}

interface Target {
  label: string;
  dir?: string;
  url?: string;
  error?: string;
}

function targetsFrom(dirs: string[], reposFile: string | undefined): Target[] {
  const targets: Target[] = dirs.map((d) => ({ label: d, dir: d }));
  if (reposFile) {
    const text = readText(reposFile, (why) => new InputError(`--repos: cannot read ${reposFile} (${why}).`, 'repos'));
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

/** One row per project: version, behind, conflicts, progress, cutover date. */
export async function fleet(req: FleetRequest): Promise<FleetResult> {
  const targets = targetsFrom(req.dirs, req.repos);
  // Every string of every row is cleared of credentials, whatever produced it (git's messages too).
  const secrets = [...new Set(targets.flatMap((t) => (t.url ? secretsOf(t.url) : [])))];
  const today = req.now ?? new Date();
  // Each template source is opened and its newest version read once for the whole fleet.
  const sources = new Map<string, Promise<{ version: string; commit?: string }>>();
  const opened: TemplateSource[] = [];
  const newestOf = (source: string) => {
    let p = sources.get(source);
    if (!p) {
      p = (async () => {
        // The built-in template: its version from the head of its bundle (no files loaded).
        const builtin = source === BUILTIN_SOURCE || !source ? builtinVersion() : undefined;
        if (builtin) return { version: builtin.version };
        const src = await openSource(source);
        opened.push(src);
        const { ref } = await loadFromSource(src);
        return { version: ref.version, commit: ref.commit };
      })();
      sources.set(source, p);
    }
    return p;
  };
  let done = 0;
  try {
    const found = await mapLimited(targets, 4, async (t): Promise<FleetRow> => {
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
        if (t.url) facts.remote = t.url;
        if (facts.manifest && req.requests !== false) facts.request = await updateRequestOf(facts.remote);
        else if (facts.manifest) facts.request = { why: 'not asked (--no-requests)' };
      }
      req.onProgress?.(++done, targets.length);
      return fleetRow(facts, today);
    });
    const rows = hideCredentialsDeep(found, secrets);
    if (req.sort === 'attention') rows.splice(0, rows.length, ...byAttention(rows));
    const sum = totals(rows);
    if (req.html) {
      const page = path.resolve(req.html);
      // Each project's name links to it: its web address (https), or its folder from the page's.
      const links = new Map<string, string>();
      for (const t of targets) {
        if (t.url && /^https:\/\//i.test(t.url)) {
          // Never a credential in a page: the address without its user part.
          const u = new URL(t.url);
          u.username = '';
          u.password = '';
          links.set(t.label, u.href.replace(/\.git$/, ''));
        }
        else if (t.dir && !t.error) links.set(t.label, `${path.relative(path.dirname(page), t.dir).split(path.sep).map(encodeURIComponent).join('/') || '.'}/`);
      }
      atomicWriteSync(page, new TextEncoder().encode(fleetHtml(rows, sum, today.toISOString().slice(0, 16).replace('T', ' '), links)));
    }
    return { rows, totals: sum, exitCode: sum.behind || sum.inConflict || sum.errors ? 1 : 0 };
  } finally {
    for (const s of opened) await s.cleanup?.();
  }
}

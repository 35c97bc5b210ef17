/**
 * IO edge of `fleet`: reads what a row needs from one project folder, with as few git
 * processes as it can (the index and refs are read from git's files; one `git log` for the
 * date of the last sync). Never throws for a bad project: the problem becomes the row's error.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from './fs-quiet.js';
import { ProjectReader } from './project/reader.js';
import { ProjectError } from '../core/errors.js';
import { readBranchRefs, readRepoAt } from './git/files.js';
import { MANIFEST_PATH } from '../core/manifest.js';
import { IGNORE_FILE, isIgnoredByProject, parseIgnoreList } from '../core/sync/ignore-list.js';
import { unsafePathReason } from '../core/template/paths.js';
import { hasConflictMarkers, unmergedPaths } from '../core/fleet/git-index.js';
import { originUrl } from '../core/fleet/forge.js';
import type { ProjectFacts } from '../core/fleet/row.js';
import { CHECKLIST_DIRS } from '../core/status/count.js';
import { fleetJobsOf } from './jobs-fleet.js';
import { MarkerIndex } from './marker-index.js';

function gitOut(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', () => resolve(''));
    child.on('close', (code) => resolve(code === 0 ? out : ''));
  });
}

const utf8 = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('utf8');

function readChecklists(project: ProjectReader): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of CHECKLIST_DIRS) {
    for (const p of project.listFiles(dir, 'fleet').filter((x) => x.endsWith('.md'))) {
      const data = project.read(p, 'fleet');
      if (data) files.set(p, utf8(data));
    }
  }
  return files;
}

/** A file sync may have left conflict markers in is read up to this size; a larger one is skipped. */
const MARKER_SCAN_BYTES = 5 * 1024 * 1024;

/**
 * Files the template manages (where sync writes markers) that hold conflict markers. A file an
 * earlier run read and found clean, unchanged since (./marker-index.ts), is not read again.
 */
export function markerFiles(project: Pick<ProjectReader, "read">, paths: string[], index: MarkerIndex): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (unsafePathReason(p) || p.split('/').some((s) => s.toLowerCase() === '.git')) continue;
    const stamp = index.stamp(p);
    if (index.knownClean(p, stamp)) continue;
    let data: Uint8Array | undefined;
    try {
      data = project.read(p, 'fleet', { maxBytes: MARKER_SCAN_BYTES });
    } catch (e) {
      // A link, a FIFO, a path the rule refuses or a file too large: never read, so no markers.
      if (e instanceof ProjectError) continue;
      throw e;
    }
    if (!data || data.includes(0) || !Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes('<<<<<<<')) {
      if (data) index.learntClean(p, stamp);
      continue;
    }
    if (hasConflictMarkers(utf8(data))) out.push(p);
    else index.learntClean(p, stamp);
  }
  index.save();
  return out;
}

/** The body line of every pristine commit sync makes (src/flows/sync.ts). */
const SYNC_MARK = 'Pristine render for create-migration sync.';

/** The project's `origin` remote URL as git config has it, read from the config file (no git). */
function readRemote(root: string): string | undefined {
  const repo = readRepoAt(root);
  if (!repo) return undefined;
  const common = readFileSafe(path.join(repo.gitDir, 'commondir'))?.toString('utf8').trim();
  const config = readFileSafe(path.join(common ? path.resolve(repo.gitDir, common) : repo.gitDir, 'config'))?.toString('utf8');
  return config ? originUrl(config) : undefined;
}

export async function readProject(dir: string, label: string, newestOf: (source: string) => Promise<{ version: string; commit?: string }>): Promise<ProjectFacts> {
  const root = path.resolve(dir);
  const facts: ProjectFacts = { project: label, checklists: new Map(), unmerged: [], markers: [] };
  try {
    if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) return { ...facts, error: 'is not a folder' };
    // The read-only project session: the path rule, no link on the way, regular files only, sizes
    // bounded; no lock and no journal, so a fleet run never waits on (or disturbs) a running sync.
    const project = ProjectReader.openReadOnly({ dir: root, label: 'fleet', manifest: 'optional' });
    const manifest = project.manifest;
    if (!manifest) {
      return { ...facts, error: project.exists(MANIFEST_PATH, 'fleet') ? `${MANIFEST_PATH}: is a folder, not a file` : `not a create-migration project (no ${MANIFEST_PATH})` };
    }
    facts.manifest = manifest;
    facts.checklists = readChecklists(project);
    // The project's ignore list: what sync leaves alone is not the template's conflict either.
    const ignoreFile = project.read(IGNORE_FILE, 'fleet');
    const ignored = ignoreFile ? parseIgnoreList(utf8(ignoreFile)) : [];
    facts.markers = markerFiles(project, Object.keys(manifest.files).filter((p) => !isIgnoredByProject(p, ignored)), new MarkerIndex(project.root));
    try {
      facts.jobs = await fleetJobsOf(project);
    } catch (e) {
      facts.jobsError = (e as Error).message;
    }
    const newest = newestOf(manifest.template.source).then(
      (n) => (facts.newest = n),
      (e: Error) => (facts.newestError = `template source: ${e.message.replace(/^--template: /, '')}`),
    );
    const repo = readRepoAt(root);
    if (repo !== null) {
      const index = repo ? readFileSafe(path.join(repo.gitDir, 'index')) : undefined;
      const fromFile = index ? unmergedPaths(index) : [];
      facts.unmerged =
        fromFile ??
        [...new Set((await gitOut(root, ['ls-files', '-u', '-z'])).split('\0').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1)))].sort();
      // "Last sync" is the newest pristine commit sync made: generate and adopt make the first
      // one, and a project never synced has none (no date, rather than the generation's).
      // Where sync itself last moved the local branch, its reflog line says when (no git needed).
      const refs = repo ? readBranchRefs(repo.gitDir, 'migration-template') : undefined;
      const local = refs?.find(([name]) => name === 'refs/heads/migration-template')?.[1];
      facts.lastSync = repo && local ? reflogDate(repo.gitDir, local) : undefined;
      if (!facts.lastSync) {
        const tips = refs?.map(([, sha]) => sha);
        if (tips?.length) facts.lastSync = (await gitOut(root, ['log', '-1', '--format=%cI', '--fixed-strings', `--grep=${SYNC_MARK}`, ...tips, '--'])).trim() || undefined;
      }
    }
    facts.remote = readRemote(root);
    await newest;
    return facts;
  } catch (e) {
    return { ...facts, manifest: undefined, error: (e as Error).message.replace(/^[^:]*\.migration-template\.json: /, `${MANIFEST_PATH}: `) };
  }
}

/**
 * When the last reflog line of the local pristine branch is sync's own (git fast-import, which
 * generate and sync write the pristine commit with) and ends at the branch's tip, its time is the
 * commit's. A fetch or reset moved it otherwise: undefined, and git is asked.
 */
function reflogDate(gitDir: string, tip: string): string | undefined {
  const common = readFileSafe(path.join(gitDir, 'commondir'))?.toString('utf8').trim();
  const log = readFileSafe(path.join(common ? path.resolve(gitDir, common) : gitDir, 'logs/refs/heads/migration-template'));
  if (!log) return undefined;
  const text = log.toString('utf8').trimEnd();
  // One line: the branch as generate (or adopt) made it, never moved by a sync; git decides.
  if (!text.includes('\n')) return undefined;
  const last = text.slice(text.lastIndexOf('\n') + 1);
  const m = /^[0-9a-f]+ ([0-9a-f]+) .* (\d+) ([+-])(\d\d)(\d\d)\tfast-import$/.exec(last);
  if (!m || m[1] !== tip) return undefined;
  return new Date(Number(m[2]) * 1000).toISOString().replace('.000Z', 'Z');
}

function readFileSafe(p: string): Buffer | undefined {
  try {
    return readRegularFile(p);
  } catch {
    return undefined;
  }
}

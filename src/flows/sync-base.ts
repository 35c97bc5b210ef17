import { hashContent, MANIFEST_PATH, parseManifest, serializeManifest, type Manifest } from '../core/manifest.js';
import { readCommitPaths } from '../edge/git/objects.js';
import { generatedCommits } from '../edge/git/refs.js';
import { loadFromSource, type TemplateSource } from '../edge/template-source.js';
import { recordedToolVersion } from '../core/tool.js';
import { planRender } from '../core/template/plan.js';
import { parseVersion } from '../core/template/semver.js';

export type BaseKind = 'pristine-branch' | 'history' | 'rendered' | 'none' | 'recopy' | 'as-rendered';

export interface Base {
  kind: BaseKind;
  files: Map<string, Uint8Array> | null;
  /** Where it came from, for the user: a commit, or a template ref. */
  detail: string;
  /** The commit whose tree it is, when it came from git history. */
  commit?: string;
  /** Its executable files (from its manifest, or its render); empty when it recorded none. */
  executable: Set<string>;
  /**
   * From a commit (the pristine branch, history): the render keys its manifest records for the
   * files whose content the project still has as last rendered (see fromCommit), the keys a
   * render skip may trust (see trustedKeys).
   */
  keys?: Record<string, string>;
}

function sameAnswers(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A commit holds the base when its manifest records the same version and answers as the project's.
 * `asRendered` holds the project's files whose content still has the project manifest's hash: where
 * the commit's manifest records the same hash for a path, its file is that content (the hash is
 * sha256), so only the manifest and the other files are read from git, in one batch when few.
 */
async function fromCommit(
  root: string,
  commit: string,
  recorded: Manifest,
  asRendered: ReadonlyMap<string, Uint8Array>,
): Promise<{ files: Map<string, Uint8Array>; executable: Set<string>; keys: Record<string, string> } | undefined> {
  const same = (m: Manifest, p: string) => asRendered.has(p) && m.files[p] === recorded.files[p];
  // The files the project's manifest lists are, when this commit is the base, the files it has:
  // read them with the manifest in one go, and only then what else its own manifest lists.
  const files: Map<string, Uint8Array> = await readCommitPaths(root, commit, [MANIFEST_PATH, ...Object.keys(recorded.files).filter((p) => !asRendered.has(p))]);
  const raw = files.get(MANIFEST_PATH);
  if (!raw) return undefined;
  let m: Manifest;
  try {
    const text = new TextDecoder().decode(raw);
    // The commit's manifest is most often the project's, as this tool wrote it: already checked.
    m = text === serializeManifest(recorded) ? recorded : parseManifest(text);
  } catch {
    return undefined;
  }
  if (m.template.version !== recorded.template.version || !sameAnswers(m.answers, recorded.answers)) return undefined;
  for (const p of Object.keys(m.files)) if (!files.has(p) && same(m, p)) files.set(p, asRendered.get(p)!);
  const more = Object.keys(m.files).filter((p) => !files.has(p));
  for (const [p, d] of await readCommitPaths(root, commit, more)) files.set(p, d);
  for (const p of [...files.keys()]) if (!Object.hasOwn(m.files, p) && p !== MANIFEST_PATH) files.delete(p);
  files.delete(MANIFEST_PATH);
  const keys: Record<string, string> = {};
  for (const [p, k] of Object.entries(m.renderKeys ?? {})) if (same(m, p)) keys[p] = k;
  return { files, executable: new Set(m.executable ?? []), keys };
}

/**
 * The project manifest's render keys that its base vouches for: where the base's commit records
 * the same key and the same hash for a file the project still has as rendered. A project's
 * manifest comes with every pull request: a key written there alone could make a sync keep a
 * file's old content as the new version's render; the pristine branch (or the generated commit)
 * is what the project's manifest is checked against, as for the hashes (fromCommit). A base
 * that is not a commit (a fresh render, none, --check's files as rendered) vouches for none.
 */
export function trustedKeys(base: Base, recorded: Manifest): Record<string, string> {
  const out: Record<string, string> = {};
  if (!base.keys) return out;
  for (const [p, k] of Object.entries(recorded.renderKeys ?? {})) if (base.keys[p] === k) out[p] = k;
  return out;
}

/**
 * The project's files whose content still has the manifest's hash: each is its own base, whatever
 * commit or render the base would come from (each of those records the same hash for it).
 */
export function filesAsRendered(ours: ReadonlyMap<string, Uint8Array>, recorded: Manifest): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  for (const [p, hash] of Object.entries(recorded.files)) {
    const data = ours.get(p);
    if (data && hashContent(data) === hash) found.set(p, data);
  }
  return found;
}

/**
 * The merge base: the template as last applied, rendered with the answers then recorded.
 * In order: the pristine branch (kept by generate and every sync, and there after a clone as a
 * remote branch), the generated first commit in history, a fresh render of the recorded
 * version from the template source, and else none (two-way mode).
 */
export async function findBase(
  root: string,
  tips: string[] | undefined,
  recorded: Manifest,
  src: TemplateSource,
  history = true,
  /** See filesAsRendered; `whole`: when it holds every file the manifest lists, it is the base, with nothing read (--check). */
  asRendered: { files: ReadonlyMap<string, Uint8Array>; whole?: boolean } = { files: new Map() },
): Promise<Base> {
  const known = asRendered.files;
  if (asRendered.whole && Object.keys(recorded.files).every((p) => known.has(p))) {
    return { kind: 'as-rendered', files: new Map(known), executable: new Set(recorded.executable ?? []), detail: `${known.size} files` };
  }
  if (tips) {
    for (const tip of tips) {
      const found = await fromCommit(root, tip, recorded, known);
      if (found) return { kind: 'pristine-branch', ...found, detail: tip.slice(0, 7), commit: tip };
    }
    for (const c of history ? await generatedCommits(root) : []) {
      const found = await fromCommit(root, c, recorded, known);
      if (found) return { kind: 'history', ...found, detail: c.slice(0, 7), commit: c };
    }
  }
  const refs = src.kind === 'git' ? [recorded.template.commit, recorded.template.ref, `v${recorded.template.version}`, recorded.template.version] : [undefined];
  for (const ref of refs) {
    if (src.kind === 'git' && (!ref || (ref === 'HEAD' && !recorded.template.commit))) continue;
    if (src.kind === 'git' && ref === recorded.template.version && !parseVersion(ref)) continue;
    try {
      const { template, ref: got } = await loadFromSource(src, ref);
      if (template.spec.version !== recorded.template.version) continue;
      // The base is what the recorded tool rendered: its version is pinned in the generated CI.
      const rendered = planRender(template, recorded.answers, { toolVersion: recordedToolVersion(recorded.generator) });
      const files = new Map(rendered.map((f) => [f.path, f.data]));
      const executable = new Set(rendered.filter((f) => f.executable).map((f) => f.path));
      return { kind: 'rendered', files, executable, detail: `${got.source === 'builtin' ? 'built-in template' : got.source}@${got.ref ?? got.version}` };
    } catch {
      // That ref is not in the source (any more): try the next way.
    }
  }
  return { kind: 'none', files: null, executable: new Set(recorded.executable ?? []), detail: 'no base: only files unchanged since the last render are updated' };
}

/**
 * recopy's base, file by file, from nothing it cannot check against the manifest's hashes: the
 * team's own file where it is still exactly as last rendered (so it takes the new version), else
 * a fresh render of the recorded version where that matches the hash, else no common version (a
 * file both sides have is merged as git merges one both added). A file the team deleted stays
 * deleted. The pristine branch and history are not read: they are what may be broken.
 */
export function recopyBase(rendered: Base, ours: ReadonlyMap<string, Uint8Array>, recorded: Manifest, theirs: ReadonlyMap<string, Uint8Array>): Base {
  const files = new Map<string, Uint8Array>();
  let fromRender = 0;
  for (const [p, hash] of Object.entries(recorded.files)) {
    const mine = ours.get(p);
    const old = rendered.files?.get(p);
    if (mine && hashContent(mine) === hash) files.set(p, mine);
    else if (old && hashContent(old) === hash) {
      files.set(p, old);
      fromRender++;
    } else if (!mine) files.set(p, old ?? theirs.get(p) ?? new Uint8Array());
  }
  const detail = rendered.kind === 'rendered' ? `your files as last rendered, and ${rendered.detail} for ${fromRender} you changed` : 'your files as last rendered; the others merged as added on both sides';
  return { kind: 'recopy', files, executable: new Set(recorded.executable ?? []), detail };
}

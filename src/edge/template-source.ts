import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { statOrNone } from './fs-quiet.js';
import { onInterrupt } from './cleanup.js';
import { hideCredentials, secretsOf } from '../core/credentials.js';
import { InputError } from '../core/errors.js';
import { BUILTIN_SOURCE } from './builtin.js';
import { loadBuiltin } from './builtin-bundle.js';
import type { TemplateRef } from '../core/manifest.js';
import { prepareTemplate } from './parse-trees.js';
import { newestTag, semverTags } from '../core/template/semver.js';
import type { LoadedTemplate } from '../core/template/types.js';
import { askedOnce, readCachedTemplate, treeIdOf, writeCachedTemplate } from './template-cache.js';
import { BlobTooLargeError, listTree, readBlobs, type TreeEntry } from './git/objects.js';
import { listTags, resolveCommit } from './git/refs.js';
import { readBlobAt, readCommitTree, readRepoAt, type RepoAt } from './git/files.js';
import { cloneBare, isRepoRoot } from './git/repo.js';
import { TEMPLATE_LIMITS, loadTemplateDir } from './template-dir.js';
import { tmpDir } from './os-lazy.js';

/**
 * Where templates come from: the built-in one, a plain folder, or a git repo (path or URL) whose
 * semver tags are its versions. `src#ref` pins a tag, branch or commit.
 */
export interface TemplateSource {
  kind: 'builtin' | 'dir' | 'git';
  /** As recorded in the manifest: "builtin", an absolute path, or a URL. */
  location: string;
  ref?: string;
  /** For git: the repo to read (a local repo, or a bare clone of a URL). */
  repo?: string;
  cleanup?: () => Promise<void>;
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[^/\s]+@[^:\s]+:/.test(s);

export async function openSource(spec: string | undefined): Promise<TemplateSource> {
  if (!spec || spec === BUILTIN_SOURCE) return { kind: 'builtin', location: BUILTIN_SOURCE };
  const hash = spec.lastIndexOf('#');
  const base = hash > 0 ? spec.slice(0, hash) : spec;
  const ref = hash > 0 ? spec.slice(hash + 1) : undefined;
  if (isUrl(base)) {
    const tmp = mkdtempSync(path.join(tmpDir(), 'create-migration-tpl-'));
    // Ctrl-C while it is cloned or read: the copy goes too.
    const unregister = onInterrupt(() => rmSync(tmp, { recursive: true, force: true }));
    const cleanup = async () => {
      unregister();
      rmSync(tmp, { recursive: true, force: true });
    };
    try {
      await cloneBare(base, tmp);
    } catch (e) {
      await cleanup();
      const secrets = secretsOf(base);
      throw new InputError(hideCredentials(`--template: cannot clone ${base}: ${(e as Error).message}`, secrets));
    }
    return { kind: 'git', location: base, ref, repo: tmp, cleanup };
  }
  const abs = path.resolve(base);
  const st = statOrNone(abs);
  if (!st?.isDirectory()) throw new InputError(`--template: ${base} is not a folder, a git repo or a URL.`);
  if (await askedOnce(`repo-root\0${abs}`, async () => Boolean(await repoAt(abs)) || isRepoRoot(abs))) return { kind: 'git', location: abs, ref, repo: abs };
  if (ref) throw new InputError(`--template: ${base} is not a git repo, so "#${ref}" cannot be resolved.`);
  return { kind: 'dir', location: abs };
}

/**
 * Where a template repository's git folder is (git/files.ts readRepoAt), looked up once as what
 * git says about it is (askedOnce): its tags, the commit a tag names, that commit's tree and its
 * blobs are each read from its files, and each would look it up again.
 */
const repoAt = (repo: string): Promise<RepoAt> => askedOnce(`repo-at\0${repo}`, async () => readRepoAt(repo));

/** The versions a source offers, oldest first (git semver tags; a folder offers only itself). */
export async function sourceVersions(src: TemplateSource): Promise<string[]> {
  return src.kind === 'git' ? semverTags(await askedOnce(`tags\0${src.repo}`, async () => listTags(src.repo!, await repoAt(src.repo!)))) : [];
}

// A sync of many projects made from one template reads each of its versions once.
const byCommit = new Map<string, Promise<LoadedTemplate>>();

async function loadGitTemplate(src: TemplateSource, ref: string): Promise<{ template: LoadedTemplate; commit: string }> {
  const repo = src.repo!;
  const commit = await askedOnce(`commit\0${repo}\0${ref}`, async () => resolveCommit(repo, ref, await repoAt(repo)));
  if (!commit) throw new InputError(`--template: ${src.location} has no tag, branch or commit "${ref}".`);
  const key = `${src.location}\0${commit}`;
  let template = byCommit.get(key);
  if (!template) {
    template = readGitTemplate(src, ref, commit);
    byCommit.set(key, template);
    template.catch(() => byCommit.delete(key));
  }
  return { template: await template, commit };
}

/** The files/ paths a template's tree ships executable (mode 100755). */
const executableIn = (entries: { path: string; mode: string }[]) =>
  new Set(entries.filter((e) => e.mode === '100755' && e.path.startsWith('files/')).map((e) => e.path.slice('files/'.length)));

/**
 * Whether a listing is the one git gives for the commit (see template-cache.ts): from the object
 * files where it can (then `fromFiles` is called), else from git.
 */
async function isCommitListing(repo: string, at: RepoAt, commit: string, listing: TreeEntry[], fromFiles: () => void = () => undefined): Promise<boolean> {
  const tree = readCommitTree(repo, commit, process.env, at);
  if (tree) fromFiles();
  if (tree) return treeIdOf(listing) === tree;
  const listed = await listTree(repo, commit);
  const line = (e: TreeEntry) => `${e.mode} ${e.type} ${e.sha}\t${e.path}`;
  return listed.length === listing.length && listed.every((e, i) => line(e) === line(listing[i]!));
}

async function readGitTemplate(src: TemplateSource, ref: string, commit: string): Promise<LoadedTemplate> {
  const repo = src.repo!;
  // A template read before at this commit comes parsed from the user's cache, with the commit's
  // tree listing, both proved against the repository (see template-cache.ts).
  // Where the commit's tree was read from the object files, a cached file whose bytes fail their
  // check can be read from them too: the cache checks each file at its first use, not all now.
  let objectsRead = false;
  const at = await repoAt(repo);
  const cached = await readCachedTemplate(
    src.location,
    commit,
    (listing) => isCommitListing(repo, at, commit, listing, () => (objectsRead = true)),
    undefined,
    () => (objectsRead ? (sha) => readBlobAt(repo, sha, TEMPLATE_LIMITS.fileBytes, process.env, at) : undefined),
  );
  const entries = cached?.listing ?? (await listTree(repo, commit));
  const specEntry = entries.find((e) => e.path === 'template.yaml');
  if (!specEntry) throw new InputError(`--template: ${src.location}@${ref} has no template.yaml at its root.`);
  const fileEntries = entries.filter((e) => e.path.startsWith('files/') || e.path.startsWith('generators/'));
  for (const e of fileEntries) {
    if (e.mode === '120000') throw new InputError(`template file ${e.path}: is a symbolic link; templates may not contain links.`);
    if (e.type !== 'blob') throw new InputError(`template file ${e.path}: is a ${e.type}, not a file.`);
  }
  if (fileEntries.length > TEMPLATE_LIMITS.files) {
    throw new InputError(`--template: ${src.location}@${ref} has ${fileEntries.length} files; the limit is ${TEMPLATE_LIMITS.files}.`);
  }
  // Modes come from the proved listing, never from the pack.
  if (cached) return { ...cached.template, executable: executableIn(fileEntries) };
  // Each size is checked from cat-file's header, before the blob is read: a small repository
  // may hold a 400 MB blob of zeros.
  const pathOf = new Map([specEntry, ...fileEntries].map((e) => [e.sha, e.path]));
  const blobs = await readBlobs(repo, [specEntry.sha, ...fileEntries.map((e) => e.sha)], {
    each: TEMPLATE_LIMITS.fileBytes,
    total: TEMPLATE_LIMITS.bytes,
    describe: (sha, size) => `template file ${pathOf.get(sha) ?? sha}: ${size} bytes is over the ${TEMPLATE_LIMITS.fileBytes}-byte limit for one file (${TEMPLATE_LIMITS.bytes} in all)`,
  }).catch((e: unknown) => {
    if (e instanceof BlobTooLargeError) throw new InputError(`${e.message}; nothing was written.`);
    throw e;
  });
  const files = new Map<string, Uint8Array>();
  const generators = new Map<string, Uint8Array>();
  const executable = executableIn(fileEntries);
  let total = 0;
  for (const e of fileEntries) {
    const data = blobs.get(e.sha)!;
    total += data.length;
    if (data.length > TEMPLATE_LIMITS.fileBytes || total > TEMPLATE_LIMITS.bytes) {
      throw new InputError(`template file ${e.path}: the template is over the size limit (${TEMPLATE_LIMITS.fileBytes} bytes a file, ${TEMPLATE_LIMITS.bytes} in all).`);
    }
    if (e.path.startsWith('files/')) files.set(e.path.slice('files/'.length), data);
    else generators.set(e.path.slice('generators/'.length), data);
  }
  const { parseTemplateSpec } = await import('../core/template/spec.js');
  const spec = parseTemplateSpec(blobs.get(specEntry.sha)!.toString('utf8'), `${src.location}@${ref}:template.yaml`);
  const prepared = await prepareTemplate({ spec, files, generators, executable });
  writeCachedTemplate(src.location, commit, entries, prepared);
  return prepared;
}

/**
 * Loads the template at a version. For git sources the default is the newest semver tag that is
 * a release (pre-releases too with `prereleases`, or for a `current` version that is one), else
 * HEAD; `ref` (from --to or #ref) overrides it.
 */
export async function loadFromSource(
  src: TemplateSource,
  ref?: string,
  pick: { prereleases?: boolean; current?: string } = {},
): Promise<{ template: LoadedTemplate; ref: TemplateRef }> {
  if (src.kind !== 'git') {
    const template = src.kind === 'builtin' ? await loadBuiltin() : await loadTemplateDir(src.location);
    const { name, version } = template.spec;
    return { template, ref: { name, version, source: src.location } };
  }
  const wanted = ref ?? src.ref ?? newestTag(await sourceVersions(src), pick) ?? 'HEAD';
  const { template, commit } = await loadGitTemplate(src, wanted);
  const { name, version } = template.spec;
  return { template, ref: { name, version, source: src.location, ref: wanted, commit } };
}

/**
 * A cache of templates read from git, parsed: the template as one pack (./template-pack.ts: the
 * validated spec, each text's Handlebars tree in compact form, the file rules each path matches,
 * and the files' bytes), so that a CI job syncing one project does not load YAML and Handlebars
 * and parse the whole template on every run, nor read the template's tree from git. Entries live
 * in the user's cache folder, keyed by the template's location and commit (and this package's
 * version).
 *
 * An entry is used only when all of these hold, and is otherwise ignored (and rewritten):
 * - the file and its folder belong to this user and no one else can write them;
 * - its first line is the SHA-256 of its pack's header (a truncated or edited header fails);
 * - its key, commit and format are the ones asked for;
 * - the listing of the commit's tree it carries (every path, mode and blob id) is the commit's:
 *   the tree ids it makes up to its top equal the tree the commit names (or, where the commit is
 *   not read from the files, the listing equals what git lists);
 * - it holds exactly the listing's files/ and generators/ files, and its spec came from the
 *   listing's template.yaml;
 * - every file's bytes have the blob id that listing gives its path: checked when the bytes are
 *   first used (read from the template's maps, or decoded to render), once per process, so that
 *   a sync pays only for the files it renders or copies, not for those a render skip takes from
 *   the project. Bytes that fail are never used: the file is read from the repository's object
 *   files by its id instead (checked against it), and the entry is removed, to be stored again
 *   from git by the next load. Where the commit's tree was not read from the repository's
 *   object files (git/object-files.ts: SHA-256, extensions, alternates; a bare clone of a URL),
 *   every file is checked as the entry is read, and an entry with one
 *   that fails is not used (the template is read from git and stored again). Should an object
 *   the reader could open still not be read, the command stops with an error before anything
 *   is written.
 * So the texts are checked against the repository itself. Parse trees, the spec, the rule
 * matches and the render keys' digests and names (deps) cannot be checked without the parsing
 * the cache saves; they sit in the header, under its SHA-256, and are trusted on the first
 * three grounds only, and rendering treats any tree as data anyway.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedTrees } from './parse-trees.js';
import { packHeader, packTemplate, unpackTemplate } from './template-pack.js';
import type { LoadedTemplate } from '../core/template/types.js';
import type { TreeEntry } from './git/objects.js';
import { VERSION } from '../core/version.js';
import { digestOf, sha256Hex } from '../core/sha256.js';
import { objectId } from './git/object-id.js';
import { plainTreePath } from './git/tree-path.js';
import { homeDir } from './os-lazy.js';

// 4: one pack (./template-pack.ts, its trees apart from its header) with the commit's whole tree listing.
// 5: the pack carries each rendering text's digest and root names (render keys, src/core/template/deps.ts).
// 6: each file's rule matches and deps in its row of the pack's header (template-pack.ts), not in objects keyed by path.
// 7: a copied file's row carries its digest and its path's names too (its render key without its bytes).
const FORMAT = 7;
/** Entries kept: the newest written; older ones (old commits, old package versions) are removed. */
const KEEP = 40;

export type { TreeEntry };

/** `<the user's cache>/create-migration/<name>`: $XDG_CACHE_HOME when absolute, else ~/.cache. */
export function userCacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(homeDir(), '.cache');
  return path.join(base, 'create-migration', name);
}

export function templateCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.CREATE_MIGRATION_NO_CACHE ? undefined : userCacheDir('templates', env);
}

// One-shot hashes (src/core/sha256.ts): no Hash object, whose first use in a process costs more than the hashing.
const keyOf = (location: string, commit: string) => sha256Hex(`${FORMAT}\0${VERSION}\0${location}\0${commit}`);

/** git's id of a blob: the hash of "blob <size>\0" and the bytes (SHA-1, or SHA-256 repositories). */
export function blobId(data: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return objectId('blob', data, algorithm);
}

/**
 * The id of the tree a full listing (`git ls-tree -r`) makes: each folder's tree object built as
 * git builds it (entries by name, a folder's name compared as if it ended in "/"), hashed up to
 * the top. Undefined for a listing git could not have printed (a path used both as file and
 * folder, an empty or odd name).
 */
export function treeIdOf(listing: readonly TreeEntry[], algorithm: 'sha1' | 'sha256' = 'sha1'): string | undefined {
  const quick = treeIdInOrder(listing, algorithm);
  return quick === NOT_IN_ORDER ? treeIdAnyOrder(listing, algorithm) : quick;
}

const NOT_IN_ORDER = Symbol('not in order');

/**
 * treeIdOf for the listing git prints (`ls-tree -r`, and the cache stores): paths in git's order,
 * which for a full listing is the paths' byte order (a folder's entries follow one another, where
 * the folder's name with "/" sorts among its siblings), ASCII names. One pass, each folder's tree
 * object made as a latin1 string while its entries come and hashed when the next path leaves it:
 * no sort, no per-entry buffer (a sync proves a ~100-entry listing with it: ~0.8 ms where the
 * general one takes ~2 ms, in code that runs once). NOT_IN_ORDER for anything else, which the
 * general one decides.
 */
function treeIdInOrder(listing: readonly TreeEntry[], algorithm: 'sha1' | 'sha256'): string | undefined | typeof NOT_IN_ORDER {
  const idBytes = algorithm === 'sha1' ? 20 : 32;
  let hex = '';
  for (const e of listing) {
    if (e.sha.length !== idBytes * 2) return NOT_IN_ORDER;
    hex += e.sha;
  }
  if (!/^[0-9a-f]*$/.test(hex)) return NOT_IN_ORDER;
  // Each id's raw bytes as latin1 characters: sliced into the tree objects as they are made.
  const ids = Buffer.from(hex, 'hex').toString('latin1');
  // The folders open on the way to the current path (names[0] is the top) and each one's object
  // so far; the files' paths (a folder of a file's path would make two entries of one name).
  const names = [''];
  const bodies = [''];
  const files = new Set<string>();
  const close = (): string => {
    const body = bodies.pop()!;
    names.pop();
    const object = Buffer.from(`tree ${body.length}\0${body}`, 'latin1');
    return digestOf(algorithm, object, 'binary');
  };
  const closeTo = (depth: number) => {
    while (names.length - 1 > depth) {
      const name = names[names.length - 1]!;
      const id = close();
      bodies[bodies.length - 1] += `40000 ${name}\0${id}`;
    }
  };
  let prev = '';
  for (let k = 0; k < listing.length; k++) {
    const { path: p, mode } = listing[k]!;
    // Strictly after the path before it (so no path twice), printable ASCII, each name plain.
    if (!(p > prev) || !/^[\x20-\x7e]+$/.test(p) || !plainTreePath(p)) return NOT_IN_ORDER;
    if (mode !== '100644' && mode !== '100755' && mode !== '120000' && mode !== '160000') return NOT_IN_ORDER;
    const parts = p.split('/');
    const last = parts.length - 1;
    let keep = 0;
    while (keep < names.length - 1 && keep < last && names[keep + 1] === parts[keep]) keep++;
    closeTo(keep);
    for (let i = keep; i < last; i++) {
      if (files.has(parts.slice(0, i + 1).join('/'))) return NOT_IN_ORDER;
      names.push(parts[i]!);
      bodies.push('');
    }
    bodies[last] += `${mode} ${parts[last]!}\0${ids.slice(k * idBytes, (k + 1) * idBytes)}`;
    files.add(p);
    prev = p;
  }
  closeTo(0);
  return Buffer.from(close(), 'latin1').toString('hex');
}

function treeIdAnyOrder(listing: readonly TreeEntry[], algorithm: 'sha1' | 'sha256'): string | undefined {
  interface Folder {
    files: Map<string, { mode: string; sha: string }>;
    folders: Map<string, Folder>;
  }
  const top: Folder = { files: new Map(), folders: new Map() };
  const hexLength = algorithm === 'sha1' ? 40 : 64;
  for (const e of listing) {
    const parts = e.path.split('/');
    if (e.sha.length !== hexLength || !/^[0-9a-f]+$/.test(e.sha) || !/^(100644|100755|120000|160000)$/.test(e.mode)) return undefined;
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
    let at = top;
    for (const p of parts.slice(0, -1)) {
      if (at.files.has(p)) return undefined;
      let next = at.folders.get(p);
      if (!next) at.folders.set(p, (next = { files: new Map(), folders: new Map() }));
      at = next;
    }
    const name = parts[parts.length - 1]!;
    if (at.files.has(name) || at.folders.has(name)) return undefined;
    at.files.set(name, { mode: e.mode, sha: e.sha });
  }
  // A name with no surrogate pair sorts as its UTF-8 bytes do: compared as a string, with no buffer made.
  const bytesOrder = (a: string, b: string) => (/[\ud800-\udfff]/.test(a + b) ? Buffer.compare(Buffer.from(a), Buffer.from(b)) : a < b ? -1 : a > b ? 1 : 0);
  const idOf = (f: Folder): string => {
    const items: { key: string; name: string; mode: string; sha: string }[] = [];
    for (const [name, file] of f.files) items.push({ key: name, name, ...file });
    for (const [name, sub] of f.folders) items.push({ key: `${name}/`, name, mode: '40000', sha: idOf(sub) });
    items.sort((a, b) => bytesOrder(a.key, b.key));
    // The tree object's body in one buffer, hashed in one call: "<mode> <name>\0" and the raw id, per entry.
    const ids = Buffer.from(items.map((i) => i.sha).join(''), 'hex');
    const names = items.map((i) => Buffer.from(`${i.mode} ${i.name}\0`));
    let size = 0;
    for (const n of names) size += n.length + hexLength / 2;
    const body = Buffer.allocUnsafe(size);
    let at = 0;
    names.forEach((n, k) => {
      body.set(n, at);
      at += n.length;
      body.set(ids.subarray((k * hexLength) / 2, ((k + 1) * hexLength) / 2), at);
      at += hexLength / 2;
    });
    return objectId('tree', body, algorithm);
  };
  return idOf(top);
}

/** Only this user may have written it: owned by us, not writable by group or others. */
export function private_(p: string): boolean {
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink()) return false;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
  return (st.mode & 0o022) === 0;
}

const isTemplateFile = (p: string) => p.startsWith('files/') || p.startsWith('generators/');

/** A cached file's bytes did not have their blob id and the repository's could not be read in their place. */
export class TemplateCacheError extends Error {}

/**
 * The cached template for this commit and the commit's tree listing it carries, once `prove`
 * has accepted that listing as the commit's (see the module comment); undefined on any doubt.
 * `reread`, asked once the listing is proved, gives what reads a blob's bytes from the
 * repository by id (checked against it; undefined when it cannot): what a file whose cached
 * bytes fail their check is read from, each file then checked at its first use. Without one,
 * every file is checked now.
 */
export async function readCachedTemplate(
  location: string,
  commit: string,
  prove: (listing: TreeEntry[]) => boolean | Promise<boolean>,
  dir = templateCacheDir(),
  rereadFrom?: () => ((sha: string) => Uint8Array | undefined) | undefined,
): Promise<{ template: LoadedTemplate; listing: TreeEntry[] } | undefined> {
  if (!dir) return undefined;
  const key = keyOf(location, commit);
  const file = path.join(dir, `${key}.pack`);
  try {
    if (!private_(dir) || !private_(file)) return undefined;
    const raw = readFileSync(file);
    if (raw.length < 65 || raw[64] !== 0x0a) return undefined;
    const pack = raw.subarray(65);
    const found = packHeader(pack);
    if (!found || sha256Hex(pack.subarray(0, found.dataAt)) !== raw.toString('latin1', 0, 64)) return undefined;
    const { header } = found;
    if (header.format !== FORMAT || header.key !== key || header.commit !== commit || !Array.isArray(header.listing)) return undefined;
    // Plain loops over the entries, each run once in a process (cold), making nothing more than what is kept.
    const listing: TreeEntry[] = [];
    for (const l of header.listing as unknown[]) {
      const e: unknown[] = Array.isArray(l) ? l : [];
      listing.push({ path: String(e[0]), mode: String(e[1]), type: String(e[2]), sha: String(e[3]) });
    }
    if (!(await prove(listing))) return undefined;
    const reread = rereadFrom?.();
    const wanted = new Map<string, string>();
    let spec: TreeEntry | undefined;
    for (const e of listing) {
      if (isTemplateFile(e.path)) wanted.set(e.path, e.sha);
      else if (!spec && e.path === 'template.yaml') spec = e;
    }
    if (!spec || header.specSha !== spec.sha || header.files.length !== wanted.size) return undefined;
    const seen = new Set<string>();
    const template = unpackTemplate(
      pack,
      found,
      (tree, p, data) => {
        const at = `${tree}/${p}`;
        const sha = wanted.get(at);
        if (!sha || seen.has(at)) return false;
        seen.add(at);
        // Without a way to read a failed file from the repository, each is checked now, as the entry is read.
        return reread ? true : blobId(data, sha.length === 64 ? 'sha256' : 'sha1') === sha;
      },
      reread && ((tree, p, data) => {
        const at = `${tree}/${p}`;
        const sha = wanted.get(at)!;
        if (blobId(data, sha.length === 64 ? 'sha256' : 'sha1') === sha) return data;
        try {
          rmSync(file, { force: true });
        } catch {
          // Not removed: the next load checks the same bytes and fails the same way.
        }
        let good: Uint8Array | undefined;
        try {
          good = reread(sha);
        } catch {
          good = undefined;
        }
        if (good && blobId(good, sha.length === 64 ? 'sha256' : 'sha1') === sha) return good;
        throw new TemplateCacheError(`template file ${at}: its copy in the template cache (${file}) is not the repository's (${location} at ${commit}); the cached copy was removed and nothing was written: run the command again.`);
      }),
    );
    return template && { template, listing };
  } catch {
    return undefined;
  }
}

/**
 * Stores a prepared template (its texts already parsed) with the commit's whole tree listing; a
 * template with a text that does not parse is not stored.
 */
export function writeCachedTemplate(location: string, commit: string, listing: readonly TreeEntry[], template: LoadedTemplate, dir = templateCacheDir()): void {
  if (!dir) return;
  const key = keyOf(location, commit);
  const file = path.join(dir, `${key}.pack`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const specSha = listing.find((e) => e.path === 'template.yaml')?.sha;
    if (!specSha) return;
    const trees = template.trees ?? sharedTrees;
    const meta = { format: FORMAT, key, commit, specSha, listing: listing.map((e) => [e.path, e.mode, e.type, e.sha]) };
    const pack = packTemplate(template, (text) => trees.get(text), meta);
    const found = packHeader(pack)!;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!private_(dir)) return;
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${sha256Hex(pack.subarray(0, found.dataAt))}\n`), pack]), { mode: 0o600 });
    renameSync(tmp, file);
    prune(dir);
  } catch {
    // A cache that cannot be written is no cache: the template was read all the same.
    rmSync(tmp, { force: true });
  }
}

function prune(dir: string): void {
  const names = readdirSync(dir);
  // Entries of an older format (.json) are never read again.
  for (const f of names) if (/^[0-9a-f]{64}\.json$/.test(f)) rmSync(path.join(dir, f), { force: true });
  const entries = names.filter((f) => /^[0-9a-f]{64}\.pack$/.test(f));
  if (entries.length <= KEEP) return;
  const aged = entries.map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of aged.slice(KEEP)) rmSync(path.join(dir, f), { force: true });
}

const asked = new Map<string, { at: number; answer: Promise<unknown> }>();
/** Long enough for one command over a thousand projects; short enough for a long-lived program to see a new tag. */
const ASKED_FOR_MS = 60_000;

/**
 * What git says about a template repository (is it one, its tags, what a ref resolves to) is
 * asked once per command: a sync or fleet over a thousand projects made from one template
 * would otherwise start the same three git processes for each of them.
 */
export function askedOnce<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const known = asked.get(key);
  if (known && now - known.at < ASKED_FOR_MS) return known.answer as Promise<T>;
  const answer = ask();
  asked.set(key, { at: now, answer });
  answer.catch(() => asked.delete(key));
  return answer;
}

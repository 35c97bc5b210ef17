/**
 * A cache of templates read from git, parsed: the validated spec and each text's Handlebars
 * tree in the compact form the built-in template ships in (src/boot/compact.ts), so that a
 * CI job syncing one project does not load YAML and Handlebars and parse the whole template on
 * every run. Entries live in the user's cache folder, keyed by the template's location and
 * commit (and this package's version).
 *
 * An entry is used only when all of these hold, and is otherwise ignored (and rewritten):
 * - the file and its folder belong to this user and no one else can write them;
 * - its first line is the SHA-256 of the rest (a truncated or edited entry fails);
 * - its key, commit and format are the ones asked for;
 * - every file it holds has the git blob id the repository's tree lists for that path, and it
 *   holds exactly the tree's files: the texts are checked against the repository itself.
 * Parse trees and the spec cannot be checked without the parsing the cache saves; they are
 * trusted on the first three grounds only, and rendering treats any tree as data anyway.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packProgram, unpackProgram } from '../core/template/compact.js';
import { sharedTrees } from './parse-trees.js';
import type { LoadedTemplate, TemplateSpec } from '../core/template/types.js';
import { VERSION } from '../core/version.js';

// 2: specs carry `migrations`.
const FORMAT = 2;
/** Entries kept: the newest written; older ones (old commits, old package versions) are removed. */
const KEEP = 40;

interface Entry {
  format: number;
  key: string;
  commit: string;
  /** The blob id of the template.yaml the spec was read from. */
  specSha: string;
  spec: TemplateSpec;
  /** [tree, path, text, packed tree | null] for text, [tree, path, null, base64] for binary files. */
  files: [('files' | 'generators'), string, string | null, unknown][];
  paths: [string, unknown[]][];
}

export interface TreeFile {
  path: string;
  sha: string;
}

export function templateCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CREATE_MIGRATION_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'create-migration', 'templates');
}

const keyOf = (location: string, commit: string) => createHash('sha256').update(`${FORMAT}\0${VERSION}\0${location}\0${commit}`).digest('hex');

/** git's id of a blob: the hash of "blob <size>\0" and the bytes (SHA-1, or SHA-256 repositories). */
export function blobId(data: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** Only this user may have written it: owned by us, not writable by group or others. */
export function private_(p: string): boolean {
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink()) return false;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
  return (st.mode & 0o022) === 0;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The cached template for this commit, verified against the tree's blob ids; undefined on any doubt. */
export function readCachedTemplate(location: string, commit: string, specSha: string, tree: readonly TreeFile[], dir = templateCacheDir()): LoadedTemplate | undefined {
  if (!dir) return undefined;
  const key = keyOf(location, commit);
  const file = path.join(dir, `${key}.json`);
  try {
    if (!private_(dir) || !private_(file)) return undefined;
    const raw = readFileSync(file, 'utf8');
    const nl = raw.indexOf('\n');
    const body = raw.slice(nl + 1);
    if (nl !== 64 || createHash('sha256').update(body).digest('hex') !== raw.slice(0, 64)) return undefined;
    const entry = JSON.parse(body) as Entry;
    if (entry.format !== FORMAT || entry.key !== key || entry.commit !== commit || entry.specSha !== specSha || !Array.isArray(entry.files) || !Array.isArray(entry.paths)) return undefined;
    const wanted = new Map(tree.map((t) => [t.path, t.sha]));
    if (entry.files.length !== tree.length) return undefined;
    const files = new Map<string, Uint8Array>();
    const generators = new Map<string, Uint8Array>();
    const primes: [string, unknown[]][] = [];
    for (const [where, p, text, extra] of entry.files) {
      if (where !== 'files' && where !== 'generators') return undefined;
      const data = text === null ? Buffer.from(String(extra), 'base64') : Buffer.from(text, 'utf8');
      const sha = wanted.get(`${where}/${p}`);
      if (!sha || blobId(data, sha.length === 64 ? 'sha256' : 'sha1') !== sha) return undefined;
      (where === 'files' ? files : generators).set(p, data);
      if (text !== null && extra) primes.push([text, extra as unknown[]]);
    }
    // Only a fully verified entry primes the parser.
    for (const [text, packed] of [...primes, ...entry.paths]) sharedTrees.add(text, unpackProgram(packed, text));
    return { spec: entry.spec, files, generators, trees: sharedTrees };
  } catch {
    return undefined;
  }
}

/** Stores a prepared template (its texts already parsed); a template with a text that does not parse is not stored. */
export function writeCachedTemplate(location: string, commit: string, specSha: string, template: LoadedTemplate, dir = templateCacheDir()): void {
  if (!dir) return;
  try {
    const files: Entry['files'] = [];
    const paths: Entry['paths'] = [];
    for (const [where, map] of [['files', template.files], ['generators', template.generators ?? new Map<string, Uint8Array>()]] as const) {
      for (const [p, data] of map) {
        if (p.includes('{{')) paths.push([p, packProgram((template.trees ?? sharedTrees).get(p), p)]);
        let text: string | undefined;
        try {
          text = data.includes(0) ? undefined : decoder.decode(data);
        } catch {
          text = undefined;
        }
        if (text === undefined) files.push([where, p, null, Buffer.from(data).toString('base64')]);
        else files.push([where, p, text, text.includes('{{') ? packProgram((template.trees ?? sharedTrees).get(text), text) : null]);
      }
    }
    const key = keyOf(location, commit);
    const body = JSON.stringify({ format: FORMAT, key, commit, specSha, spec: template.spec, files, paths } satisfies Entry);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!private_(dir)) return;
    const file = path.join(dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${createHash('sha256').update(body).digest('hex')}\n${body}`, { mode: 0o600 });
    renameSync(tmp, file);
    prune(dir);
  } catch {
    // A cache that cannot be written is no cache: the template was read all the same.
    rmSync(path.join(dir, `${keyOf(location, commit)}.json.${process.pid}.tmp`), { force: true });
  }
}

function prune(dir: string): void {
  const entries = readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
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

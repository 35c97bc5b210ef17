import { isAscii } from 'node:buffer';
import { packProgram, unpackProgram } from '../core/template/compact.js';
import { fileMatches, rememberKind, rememberText, type FileMatches } from '../core/template/plan.js';
import { isBinary } from '../core/merge/binary.js';
import { namesOf, sourceDigest, unionNames, type FileDeps } from '../core/template/deps.js';
import type { LoadedTemplate, TemplateSpec } from '../core/template/types.js';
import { sharedTrees } from './parse-trees.js';

/**
 * A prepared template as one buffer, the form the build ships the built-in template in
 * (dist/builtin.pack) and the parsed-template cache keeps a template read from git in:
 *
 *   4 bytes, big-endian: the header's length; the header (JSON, ASCII only); the texts' parse
 *   trees (JSON, ASCII only, back to back: `trees` bytes, as the header says); the files' bytes,
 *   back to back.
 *
 * The header holds the validated spec, each file's place in the bytes and what it is (binary;
 * text that holds no `{{` and so renders to itself; or text with a parse tree, packed as
 * src/core/template/compact.ts packs it, whose place among the trees it gives), the parse trees
 * of path expressions, the files shipped executable, and which file rules (conditional, verbatim)
 * each path matches. Loading it parses only the header: a file's bytes are a view of the buffer,
 * and a text is decoded, and its tree parsed, only when it renders (a sync renders neither the
 * generators nor the files its answers leave out). The JSON form this replaces made node
 * decode, parse and encode again every byte of every file on every start.
 */

/** [tree, path, start, end, kind, treeStart, treeEnd]: kind 0 binary, 1 text without `{{`, 2 text with its packed tree at [treeStart, treeEnd) of the trees. */
type PackedFile = [('files' | 'generators'), string, number, number, 0 | 1 | 2, number?, number?];

export interface PackHeader {
  spec: TemplateSpec;
  files: PackedFile[];
  /** Packed parse trees of the path expressions (`src/{{package_name}}/...`). */
  paths: [string, unknown[]][];
  executable?: string[];
  /** For each files/ path: the indexes of the conditional rules its path matches, and whether a verbatim glob does (1). */
  matches?: Record<string, [number[], 0 | 1]>;
  /**
   * For each files/ text that renders: the digest of its bytes and the root names it and its
   * path template read (src/core/template/deps.ts), for render keys without unpacking its tree.
   */
  deps?: Record<string, [string, string[]]>;
  /** The length in bytes of the texts' trees, between the header and the files' bytes. */
  trees?: number;
  /** Anything the holder adds (the cache's key and commit): kept as given. */
  [more: string]: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A file's text: ASCII (most template files) copied as Latin-1, the same characters without UTF-8 decoding. */
function decode(buf: Buffer, data: Uint8Array): string {
  const start = data.byteOffset - buf.byteOffset;
  return buf.toString(typeof isAscii === 'function' && isAscii(data) ? 'latin1' : 'utf8', start, start + data.length);
}

/** Bytes that are not a view of the pack (a guard's replacement), decoded as decode does. */
function decodeAny(data: Uint8Array): string {
  const b = Buffer.from(data.buffer, data.byteOffset, data.length);
  return b.toString(typeof isAscii === 'function' && isAscii(data) ? 'latin1' : 'utf8');
}

/**
 * A template's files whose bytes pass `use` when first read through the map (get, iteration),
 * not when it is loaded: the template cache checks each file against git's blob id only where
 * it is used, and a sync that takes a file from the project (a render skip) never reads it.
 * Paths and sizes are read without it.
 */
class GuardedFiles extends Map<string, Uint8Array> {
  constructor(private readonly use: (path: string, data: Uint8Array) => Uint8Array) {
    super();
  }
  override get(p: string): Uint8Array | undefined {
    const data = super.get(p);
    return data && this.use(p, data);
  }
  override *entries(): MapIterator<[string, Uint8Array]> {
    for (const p of super.keys()) yield [p, this.get(p)!];
  }
  override *values(): MapIterator<Uint8Array> {
    for (const p of super.keys()) yield this.get(p)!;
  }
  override [Symbol.iterator](): MapIterator<[string, Uint8Array]> {
    return this.entries();
  }
  override forEach(each: (value: Uint8Array, key: string, map: Map<string, Uint8Array>) => void, self?: unknown): void {
    for (const [p, data] of this.entries()) each.call(self, data, p, this);
  }
}

/** JSON with every character past ASCII as a \u escape: its length in bytes is its length in characters. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Packs a template; `treeOf` gives the parse tree of a text or path expression that holds `{{`
 * (the loader's trees, or the build's parser). `meta` is kept in the header as it is.
 */
export function packTemplate(t: LoadedTemplate, treeOf: (source: string) => hbs.AST.Program, meta: Record<string, unknown> = {}): Buffer {
  const files: PackedFile[] = [];
  const paths: PackHeader['paths'] = [];
  const chunks: Uint8Array[] = [];
  const trees: string[] = [];
  const deps: NonNullable<PackHeader['deps']> = {};
  let at = 0;
  let treesAt = 0;
  for (const [tree, map] of [['files', t.files], ['generators', t.generators ?? new Map<string, Uint8Array>()]] as const) {
    for (const [p, data] of map) {
      if (p.includes('{{')) paths.push([p, packProgram(treeOf(p), p)]);
      const text = isBinary(data) ? undefined : utf8.decode(data);
      if (text?.includes('{{')) {
        const program = treeOf(text);
        const json = asciiJson(packProgram(program, text));
        if (tree === 'files') deps[p] = [sourceDigest(data), unionNames(namesOf(program), p.includes('{{') ? namesOf(treeOf(p)) : [])];
        files.push([tree, p, at, at + data.length, 2, treesAt, treesAt + json.length]);
        trees.push(json);
        treesAt += json.length;
      } else files.push([tree, p, at, at + data.length, text === undefined ? 0 : 1]);
      chunks.push(data);
      at += data.length;
    }
  }
  const matches: NonNullable<PackHeader['matches']> = {};
  for (const p of t.files.keys()) {
    const m = fileMatches(t.spec, p);
    matches[p] = [m.rules, m.verbatim ? 1 : 0];
  }
  const header: PackHeader = { ...meta, spec: t.spec, files, paths, executable: [...(t.executable ?? [])].sort(), matches, deps, trees: treesAt };
  const json = Buffer.from(asciiJson(header), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(json.length);
  return Buffer.concat([size, json, Buffer.from(trees.join(''), 'latin1'), ...chunks]);
}

/**
 * The header of a pack, where its trees start and its files' bytes start (`dataAt`: what comes
 * before is the header and the trees), or undefined when the buffer is not one (too short, its
 * header or trees cut, or not JSON).
 */
export function packHeader(buf: Buffer): { header: PackHeader; treesAt: number; dataAt: number } | undefined {
  if (buf.length < 4) return undefined;
  const size = buf.readUInt32BE(0);
  if (4 + size > buf.length) return undefined;
  let header: PackHeader;
  try {
    header = JSON.parse(buf.toString('latin1', 4, 4 + size)) as PackHeader;
  } catch {
    return undefined;
  }
  if (!header || typeof header !== 'object' || !Array.isArray(header.files) || !Array.isArray(header.paths)) return undefined;
  const trees = header.trees ?? 0;
  if (!Number.isInteger(trees) || trees < 0 || 4 + size + trees > buf.length) return undefined;
  return { header, treesAt: 4 + size, dataAt: 4 + size + trees };
}

/**
 * The template a pack holds, its trees added to the process's store (sharedTrees). Each file's
 * bytes are a view of `buf`; undefined when a file's place lies outside the bytes. `check` may
 * refuse a file's bytes (the cache checks each against git's blob id): then undefined too, and
 * no tree of the pack is added.
 */
export function unpackTemplate(
  buf: Buffer,
  found = packHeader(buf),
  check?: (tree: 'files' | 'generators', path: string, data: Uint8Array) => boolean,
  guard?: (tree: 'files' | 'generators', path: string, data: Uint8Array) => Uint8Array,
): LoadedTemplate | undefined {
  if (!found) return undefined;
  const { header, treesAt, dataAt } = found;
  // With a guard, a file's bytes pass it once, when first used (see GuardedFiles).
  const passed = new WeakMap<Uint8Array, Uint8Array>();
  const use = guard && ((tree: 'files' | 'generators', p: string, data: Uint8Array) => {
    let ok = passed.get(data);
    if (!ok) passed.set(data, (ok = guard(tree, p, data)));
    return ok;
  });
  const files = use ? new GuardedFiles((p, data) => use('files', p, data)) : new Map<string, Uint8Array>();
  const generators = use ? new GuardedFiles((p, data) => use('generators', p, data)) : new Map<string, Uint8Array>();
  const rendering: Set<string> = new Set();
  const texts: [Uint8Array, number, number, 'files' | 'generators', string][] = [];
  const kinds: [Uint8Array, boolean][] = [];
  const inTrees = (a: unknown, b: unknown) => Number.isInteger(a) && Number.isInteger(b) && (a as number) >= 0 && (a as number) <= (b as number) && treesAt + (b as number) <= dataAt;
  for (const f of header.files) {
    const tree = f[0], p = f[1], start = f[2], end = f[3], kind = f[4], treeStart = f[5], treeEnd = f[6];
    if ((tree !== 'files' && tree !== 'generators') || typeof p !== 'string' || !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && dataAt + end <= buf.length)) return undefined;
    if (kind !== 0 && kind !== 1 && !(kind === 2 && inTrees(treeStart, treeEnd))) return undefined;
    const data = buf.subarray(dataAt + start, dataAt + end);
    if (check && !check(tree, p, data)) return undefined;
    (tree === 'files' ? files : generators).set(p, data);
    if (kind === 2) {
      texts.push([data, treeStart!, treeEnd!, tree, p]);
      if (tree === 'files') rendering.add(p);
    }
    else kinds.push([data, kind === 0]);
  }
  for (const [data, binary] of kinds) rememberKind(data, binary);
  for (const [data, treeStart, treeEnd, where, p] of texts) {
    // Decoded and parsed when first rendered; one tree for the renderer (given with the file)
    // and the store (looked up by text only on a miss). A guarded text is decoded from the
    // bytes its guard passed.
    let text: string | undefined;
    const textOf = () => (text ??= use ? decodeAny(use(where, p, data)) : decode(buf, data));
    let made: hbs.AST.Program | undefined;
    const tree = () => (made ??= unpackProgram(JSON.parse(buf.toString('latin1', treesAt + treeStart, treesAt + treeEnd)) as unknown[], textOf()));
    rememberText(data, textOf, tree);
    sharedTrees.addDeferred(textOf, tree);
  }
  for (const [source, packed] of header.paths) sharedTrees.addLazy(source, () => unpackProgram(packed, source));
  const template: LoadedTemplate = { spec: header.spec, files, generators, executable: new Set(header.executable ?? []), trees: sharedTrees };
  if (header.matches) template.matches = matchesFrom(header.spec, header.matches);
  const deps = depsFrom(header.deps, rendering);
  if (deps) template.deps = deps;
  return template;
}

/**
 * The header's deps, for files/ texts with a tree (kind 2) it holds: a file with deps is one
 * that renders, so a skip (src/core/template/plan.ts) can take it from the project without
 * reading its bytes. Undefined (keys worked out from the trees) when any is malformed.
 */
function depsFrom(d: unknown, texts: ReadonlySet<string>): Map<string, FileDeps> | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const out = new Map<string, FileDeps>();
  for (const p of Object.keys(d)) {
    const v = (d as Record<string, unknown>)[p];
    if (!texts.has(p) || !Array.isArray(v) || typeof v[0] !== 'string' || !/^[0-9a-f]{32}$/.test(v[0]) || !Array.isArray(v[1]) || !v[1].every((n) => typeof n === 'string')) return undefined;
    out.set(p, { digest: v[0], names: v[1] as string[] });
  }
  return out;
}

function matchesFrom(spec: TemplateSpec, m: NonNullable<PackHeader['matches']>): LoadedTemplate['matches'] {
  const files = new Map<string, FileMatches>();
  for (const p of Object.keys(m)) {
    const [rules, verbatim] = m[p]!;
    files.set(p, { rules, verbatim: verbatim === 1 });
  }
  return { conditional: spec.files.conditional.map((c) => c.path), verbatim: spec.files.verbatim, files };
}

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

/**
 * [tree, path, start, end, kind, treeStart, treeEnd, rules, verbatim, digest, names]: kind 0
 * binary, 1 text without `{{`, 2 text with its packed tree at [treeStart, treeEnd) of the trees
 * (0, 0 for the others). A files/ row goes on with the file rules its path matches (the indexes
 * of the conditional ones, and 1 when a verbatim glob does), the digest of its bytes and the root
 * names it (a text that renders) and its path template read (src/core/template/deps.ts), for
 * render keys without unpacking its tree or reading a copied file. In the row, not in objects
 * keyed by path: a header read once per process parses faster as rows than as objects with a
 * hundred different keys.
 */
type PackedFile = [('files' | 'generators'), string, number, number, 0 | 1 | 2, number, number, number[]?, (0 | 1)?, string?, string[]?];

export interface PackHeader {
  spec: TemplateSpec;
  files: PackedFile[];
  /** Packed parse trees of the path expressions (`src/{{package_name}}/...`). */
  paths: [string, unknown[]][];
  executable?: string[];
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
  let at = 0;
  let treesAt = 0;
  for (const [tree, map] of [['files', t.files], ['generators', t.generators ?? new Map<string, Uint8Array>()]] as const) {
    for (const [p, data] of map) {
      if (p.includes('{{')) paths.push([p, packProgram(treeOf(p), p)]);
      const text = isBinary(data) ? undefined : utf8.decode(data);
      const pathNames = p.includes('{{') ? namesOf(treeOf(p)) : [];
      let row: PackedFile;
      let names = pathNames;
      if (text?.includes('{{')) {
        const program = treeOf(text);
        const json = asciiJson(packProgram(program, text));
        row = [tree, p, at, at + data.length, 2, treesAt, treesAt + json.length];
        names = unionNames(namesOf(program), pathNames);
        trees.push(json);
        treesAt += json.length;
      } else row = [tree, p, at, at + data.length, text === undefined ? 0 : 1, 0, 0];
      if (tree === 'files') {
        const m = fileMatches(t.spec, p);
        row.push(m.rules, m.verbatim ? 1 : 0, sourceDigest(data), names);
      }
      files.push(row);
      chunks.push(data);
      at += data.length;
    }
  }
  const header: PackHeader = { ...meta, spec: t.spec, files, paths, executable: [...(t.executable ?? [])].sort(), trees: treesAt };
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
  // The rows' rule matches and deps: used only when every files/ row has its matches, and no deps are malformed.
  const matched = new Map<string, FileMatches>();
  let allMatched = true;
  let deps: Map<string, FileDeps> | undefined = new Map();
  let copies: Map<string, FileDeps> | undefined = new Map();
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
    if (kind === 2) texts.push([data, treeStart, treeEnd, tree, p]);
    else kinds.push([data, kind === 0]);
    if (tree !== 'files') continue;
    const rules = f[7], verbatim = f[8];
    if (Array.isArray(rules) && (verbatim === 0 || verbatim === 1)) matched.set(p, { rules, verbatim: verbatim === 1 });
    else allMatched = false;
    // With its deps a skip (src/core/template/plan.ts) can take a file from the project without
    // reading its bytes: one that renders (kind 2) or one copied as it is. Any malformed, none
    // of its kind are used (keys are worked out from the trees and bytes).
    if (f.length <= 9) continue;
    if (kind === 2) {
      if (deps) deps = isDeps(f[9], f[10]) ? deps.set(p, { digest: f[9], names: f[10] as string[] }) : undefined;
    } else if (copies) copies = isDeps(f[9], f[10]) ? copies.set(p, { digest: f[9], names: f[10] as string[] }) : undefined;
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
  if (allMatched) template.matches = { conditional: header.spec.files.conditional.map((c) => c.path), verbatim: header.spec.files.verbatim, files: matched };
  if (deps) template.deps = deps;
  if (copies) template.copies = copies;
  return template;
}

const isDeps = (digest: unknown, names: unknown): digest is string =>
  typeof digest === 'string' && /^[0-9a-f]{32}$/.test(digest) && Array.isArray(names) && names.every((n) => typeof n === 'string');

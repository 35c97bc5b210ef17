import { packProgram, unpackProgram } from '../core/template/compact.js';
import { fileMatches, rememberKind, rememberText, type FileMatches } from '../core/template/plan.js';
import { isBinary } from '../core/merge/binary.js';
import type { LoadedTemplate, TemplateSpec } from '../core/template/types.js';
import { sharedTrees } from './parse-trees.js';

/**
 * A prepared template as one buffer, the form the build ships the built-in template in
 * (dist/builtin.pack) and the parsed-template cache keeps a template read from git in:
 *
 *   4 bytes, big-endian: the header's length; the header (JSON, ASCII only); the files' bytes,
 *   back to back.
 *
 * The header holds the validated spec, each file's place in the bytes and what it is (binary;
 * text that holds no `{{` and so renders to itself; or text with its parse tree, packed as
 * src/core/template/compact.ts packs it), the parse trees of path expressions, the files shipped
 * executable, and which file rules (conditional, verbatim) each path matches. Loading it parses
 * only the header: a file's bytes are a view of the buffer, and only the texts that render are
 * decoded. The JSON form this replaces made node decode, parse and encode again every byte of
 * every file on every start.
 */

/** [tree, path, start, end, kind]: kind 0 binary, 1 text without `{{`, else the text's packed tree. */
type PackedFile = [('files' | 'generators'), string, number, number, 0 | 1 | unknown[]];

export interface PackHeader {
  spec: TemplateSpec;
  files: PackedFile[];
  /** Packed parse trees of the path expressions (`src/{{package_name}}/...`). */
  paths: [string, unknown[]][];
  executable?: string[];
  /** For each files/ path: the indexes of the conditional rules its path matches, and whether a verbatim glob does (1). */
  matches?: Record<string, [number[], 0 | 1]>;
  /** Anything the holder adds (the cache's key and commit): kept as given. */
  [more: string]: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Packs a template; `treeOf` gives the parse tree of a text or path expression that holds `{{`
 * (the loader's trees, or the build's parser). `meta` is kept in the header as it is.
 */
export function packTemplate(t: LoadedTemplate, treeOf: (source: string) => hbs.AST.Program, meta: Record<string, unknown> = {}): Buffer {
  const files: PackedFile[] = [];
  const paths: PackHeader['paths'] = [];
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const [tree, map] of [['files', t.files], ['generators', t.generators ?? new Map<string, Uint8Array>()]] as const) {
    for (const [p, data] of map) {
      if (p.includes('{{')) paths.push([p, packProgram(treeOf(p), p)]);
      let kind: PackedFile[4] = 0;
      if (!isBinary(data)) {
        const text = utf8.decode(data);
        kind = text.includes('{{') ? packProgram(treeOf(text), text) : 1;
      }
      files.push([tree, p, at, at + data.length, kind]);
      chunks.push(data);
      at += data.length;
    }
  }
  const matches: NonNullable<PackHeader['matches']> = {};
  for (const p of t.files.keys()) {
    const m = fileMatches(t.spec, p);
    matches[p] = [m.rules, m.verbatim ? 1 : 0];
  }
  const header: PackHeader = { ...meta, spec: t.spec, files, paths, executable: [...(t.executable ?? [])].sort(), matches };
  // ASCII only (other characters as \u escapes): the header's length in bytes is its length in characters.
  const json = Buffer.from(JSON.stringify(header).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(json.length);
  return Buffer.concat([size, json, ...chunks]);
}

/** The header of a pack, or undefined when the buffer is not one (too short, its header cut or not JSON). */
export function packHeader(buf: Buffer): { header: PackHeader; dataAt: number } | undefined {
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
  return { header, dataAt: 4 + size };
}

/**
 * The template a pack holds, its trees added to the process's store (sharedTrees). Each file's
 * bytes are a view of `buf`; undefined when a file's place lies outside the bytes. `check` may
 * refuse a file's bytes (the cache checks each against git's blob id): then undefined too, and
 * no tree of the pack is added.
 */
export function unpackTemplate(buf: Buffer, found = packHeader(buf), check?: (tree: 'files' | 'generators', path: string, data: Uint8Array) => boolean): LoadedTemplate | undefined {
  if (!found) return undefined;
  const { header, dataAt } = found;
  const files = new Map<string, Uint8Array>();
  const generators = new Map<string, Uint8Array>();
  const texts: [Uint8Array, string, unknown[]][] = [];
  const kinds: [Uint8Array, boolean][] = [];
  for (const [tree, p, start, end, kind] of header.files) {
    if ((tree !== 'files' && tree !== 'generators') || typeof p !== 'string' || !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && dataAt + end <= buf.length)) return undefined;
    const data = buf.subarray(dataAt + start, dataAt + end);
    if (check && !check(tree, p, data)) return undefined;
    (tree === 'files' ? files : generators).set(p, data);
    if (Array.isArray(kind)) texts.push([data, buf.toString('utf8', dataAt + start, dataAt + end), kind]);
    else kinds.push([data, kind === 0]);
  }
  for (const [data, binary] of kinds) rememberKind(data, binary);
  for (const [data, text, packed] of texts) {
    // One tree for the renderer (given with the file) and the store (looked up by text only on a miss).
    let made: hbs.AST.Program | undefined;
    const tree = () => (made ??= unpackProgram(packed, text));
    rememberText(data, text, tree);
    sharedTrees.addDeferred(text, tree);
  }
  for (const [source, packed] of header.paths) sharedTrees.addLazy(source, () => unpackProgram(packed, source));
  const template: LoadedTemplate = { spec: header.spec, files, generators, executable: new Set(header.executable ?? []), trees: sharedTrees };
  if (header.matches) template.matches = matchesFrom(header.spec, header.matches);
  return template;
}

function matchesFrom(spec: TemplateSpec, m: NonNullable<PackHeader['matches']>): LoadedTemplate['matches'] {
  const files = new Map<string, FileMatches>();
  for (const [p, [rules, verbatim]] of Object.entries(m)) files.set(p, { rules, verbatim: verbatim === 1 });
  return { conditional: spec.files.conditional.map((c) => c.path), verbatim: spec.files.verbatim, files };
}

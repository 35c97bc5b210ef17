// Handlebars' AST types are declared globally, as hbs.AST, by its type definitions.
import type {} from 'handlebars';
import { sha256Hex as sha256 } from '../sha256.js';
import { VERSION } from '../version.js';
import { helpersFor } from './render.js';
import type { TemplateSpec } from './types.js';

/**
 * What a template file's output depends on, so that a sync can tell, without parsing or
 * rendering the file, that its output cannot differ from the render the manifest recorded
 * (see renderKey). Pure: no IO.
 *
 * A render reads the context (answers and the values buildContext adds) only through path
 * expressions. Each path either starts at the context's top (a root name: `title`,
 * `template.version`, `../x` from one #each/#with deep), or at a frame an #each/#with made from
 * its argument, whose names are counted where that argument is written. Helpers are plain
 * functions of their arguments (`label`/`labels` also read the spec's questions, counted
 * apart), so the root names of every path in the text and its path template, with the helper
 * set's version, decide the output. Anything that reaches the whole context (`{{this}}` at
 * the top, `@root`, an unknown data name, a node the interpreter does not evaluate) is `*`:
 * every value counts.
 */

/** Everything: the whole context counts. */
export const ALL = '*';

/**
 * The render engine's version: bump it whenever the interpreter, a helper, a format, the small
 * parser or the packed trees (src/core/template/{interpret,render,formats,parse,compact}.ts)
 * may give different output for the same text and values. test/render-skip.test.ts holds a
 * digest of those sources, so a change there fails until someone decides. The tool's version
 * counts too, so every release re-renders once.
 */
export const RENDER_ENGINE = 1;

const BLOCKS_WITH_FRAME = new Set(['each', 'with']);
const BLOCKS = new Set(['if', 'unless', 'each', 'with']);
/**
 * The helpers' names: a simple name in a call's head that is one calls it (the interpreter looks
 * helpers up first) and reads no value. `label` and `labels` stay as names: they read the spec.
 */
let helperNames: Set<string> | undefined;
const isHelper = (name: string) =>
  (helperNames ??= new Set(Object.keys(helpersFor({ questions: [] } as unknown as TemplateSpec)).filter((n) => n !== 'label' && n !== 'labels'))).has(name);

/** The root names a parse tree reads, sorted and without repeats; [ALL] when it may read anything. */
export function namesOf(program: hbs.AST.Program): string[] {
  const names = new Set<string>();
  let all = false;
  const path = (p: hbs.AST.PathExpression, level: number) => {
    const parts = Array.isArray(p.parts) ? p.parts : [];
    if (p.data) {
      // @index, @key, @first, @last come from the loop (its argument is counted); @root and
      // any other data name: everything.
      if (!(level > 0 && ['index', 'key', 'first', 'last'].includes(String(parts[0])))) all = true;
      return;
    }
    const depth = typeof p.depth === 'number' && p.depth >= 0 ? p.depth : 0;
    if (level - depth > 0) return; // a frame an #each/#with made: its argument is counted
    if (!parts.length || typeof parts[0] !== 'string') all = true; // `this` at the top
    else names.add(parts[0]);
  };
  const expr = (e: hbs.AST.Expression | undefined, level: number): void => {
    if (!e) return;
    switch (e.type) {
      case 'PathExpression':
        return path(e as hbs.AST.PathExpression, level);
      case 'SubExpression': {
        const s = e as hbs.AST.SubExpression;
        return call(s.path, s.params, s.hash, level);
      }
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
      case 'NullLiteral':
      case 'UndefinedLiteral':
        return;
      default:
        all = true;
    }
  };
  const call = (p: hbs.AST.Expression, params: hbs.AST.Expression[] | undefined, hash: hbs.AST.Hash | undefined, level: number, block = false) => {
    const head = p as hbs.AST.PathExpression;
    const simple = head.type === 'PathExpression' && !head.data && !head.depth && head.parts?.length === 1 ? head.parts[0]! : undefined;
    // A helper's (or block helper's) name reads no value; any other head is looked up.
    if (simple === undefined || !(isHelper(simple) || (block && BLOCKS.has(simple)))) expr(p, level);
    for (const a of params ?? []) expr(a, level);
    for (const h of hash?.pairs ?? []) expr(h.value, level);
  };
  const statements = (p: hbs.AST.Program | undefined, level: number): void => {
    for (const s of p?.body ?? []) {
      switch (s.type) {
        case 'ContentStatement':
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const m = s as hbs.AST.MustacheStatement;
          call(m.path as hbs.AST.Expression, m.params, m.hash, level);
          break;
        }
        case 'BlockStatement': {
          const b = s as hbs.AST.BlockStatement;
          call(b.path as hbs.AST.Expression, b.params, b.hash, level, true);
          const head = b.path as hbs.AST.PathExpression;
          const framed = head.type === 'PathExpression' && !head.data && head.parts?.length === 1 && BLOCKS_WITH_FRAME.has(head.parts[0]!);
          statements(b.program, framed ? level + 1 : level);
          statements(b.inverse, level);
          break;
        }
        default:
          // Partials, decorators and anything else the interpreter refuses: count everything.
          all = true;
      }
    }
  };
  statements(program, 0);
  return all ? [ALL] : [...names].sort();
}

/** The union of name lists (each as namesOf gives them). */
export function unionNames(...lists: readonly (readonly string[])[]): string[] {
  const all = new Set<string>();
  for (const l of lists) for (const n of l) all.add(n);
  return all.has(ALL) ? [ALL] : [...all].sort();
}

/** A short digest of a template file's bytes, as the key takes it (and a pack records it). */
export function sourceDigest(data: Uint8Array): string {
  return sha256(data).slice(0, 32);
}


/** What one file's key is made from. */
export interface FileDeps {
  /** sourceDigest of its bytes. */
  digest: string;
  /** The root names its text and its path template read (namesOf), or [ALL]. */
  names: readonly string[];
}

/**
 * Makes render keys for one render (one context): a key is 16 hex characters of a SHA-256 over
 * the engine and tool versions, the file's path under files/ (its path template), the digest
 * of its bytes, and the value of every root name it reads (absent apart from null), with the
 * spec's questions where it uses `label`/`labels`. The same key means the same output.
 */
export function renderKeys(context: Record<string, unknown>, questions: unknown, engine: string = `${RENDER_ENGINE}/${VERSION}`): (templatePath: string, deps: FileDeps) => string {
  const values = new Map<string, string>();
  let whole: string | undefined;
  let labels: string | undefined;
  // A long value (the whole context, the questions, a long answer) goes in as its digest, made
  // once per render: each key then hashes a short text.
  const short = (json: string) => (json.length > 64 ? `#${sha256(json)}` : json);
  const valueOf = (name: string): string => {
    let v = values.get(name);
    if (v === undefined) {
      v = name === ALL ? (whole ??= short(JSON.stringify(context))) : Object.hasOwn(context, name) ? `=${short(JSON.stringify(context[name]) ?? 'undefined')}` : '!';
      values.set(name, v);
    }
    return v;
  };
  return (templatePath, deps) => {
    let text = `${engine}\0${templatePath}\0${deps.digest}`;
    for (const n of deps.names) text += `\0${JSON.stringify(n)}${valueOf(n)}`;
    if (deps.names.includes(ALL) || deps.names.includes('label') || deps.names.includes('labels')) text += `\0?${(labels ??= short(JSON.stringify(questions)))}`;
    return sha256(text).slice(0, 16);
  };
}

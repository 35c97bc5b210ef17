/**
 * Handlebars parse trees, by source text. Parsing is the costly part of rendering, and the
 * Handlebars library itself takes a while to load, so a store of trees is filled once per text:
 * from trees made ahead (the build's bundle of the built-in template, the parsed-template cache),
 * by the small parser below for plain substitutions, and only then by Handlebars' parser, which
 * the edge hands in once it has loaded it (src/edge/parse-trees.ts). Pure: no IO, no module state.
 */
import { MAX_NESTING, nestingProblem } from './nesting.js';

export type Parser = (source: string) => hbs.AST.Program;

export class ParseTrees {
  /** A tree, or how to make it (a packed tree is unpacked when first asked for). */
  private readonly trees = new Map<string, hbs.AST.Program | (() => hbs.AST.Program)>();
  /** Trees added with addDeferred, not yet in `trees`. */
  private deferred: [string | (() => string), () => hbs.AST.Program][] = [];

  constructor(private parser?: Parser) {}

  /** Gives the store Handlebars' parser, for the texts the small parser cannot read. */
  useParser(parser: Parser): void {
    this.parser ??= parser;
  }

  get hasParser(): boolean {
    return this.parser !== undefined;
  }

  has(source: string): boolean {
    if (this.trees.has(source)) return true;
    this.settle();
    return this.trees.has(source);
  }

  /**
   * Adds a tree made only when first asked for: a template's packed trees are many, and a sync
   * renders only some of its texts (not the generators', nor the files its answers leave out).
   */
  addLazy(source: string, make: () => hbs.AST.Program): void {
    this.add(source, make);
  }

  /**
   * As addLazy, for a whole file's text that is mostly reached another way (a packed template
   * hands its renderer each file's tree with the file, see rememberText): it joins the store only
   * when a lookup misses, so that a run which never looks it up never hashes the text as a key.
   */
  addDeferred(source: string | (() => string), make: () => hbs.AST.Program): void {
    this.deferred.push([source, make]);
    if (this.deferred.length > 20_000) this.settle();
  }

  /**
   * The deferred trees, into the store where it has none for their text yet: a text's trees,
   * whoever made them, render alike, so the first one known is kept.
   */
  private settle(): void {
    if (!this.deferred.length) return;
    const waiting = this.deferred;
    this.deferred = [];
    for (const [text, make] of waiting) {
      const source = typeof text === 'string' ? text : text();
      if (!this.trees.has(source)) this.add(source, make);
    }
  }

  add(source: string, program: hbs.AST.Program | (() => hbs.AST.Program)): void {
    // A long-lived program renders many templates: forget old trees rather than grow forever.
    if (this.trees.size > 20_000) this.trees.clear();
    this.trees.set(source, program);
  }

  /** The tree of `source`: known, or parsed now (throws on a text that does not parse). */
  get(source: string): hbs.AST.Program {
    let known = this.trees.get(source);
    if (known === undefined && this.deferred.length) {
      this.settle();
      known = this.trees.get(source);
    }
    if (typeof known === 'function') {
      try {
        const made = known();
        this.trees.set(source, made);
        return made;
      } catch {
        // A packed tree that does not unpack: the text is parsed as if none had been given.
        this.trees.delete(source);
      }
    }
    let program = typeof known === 'function' ? undefined : known;
    if (!program) {
      program = parseSimple(source);
      if (!program && !this.parser) throw new Error('the template parser is not loaded (call prepareTemplate first)');
      if (!program) {
        // Handlebars' parser slows with nesting times size: too deep a text is refused unparsed.
        const deep = nestingProblem(source);
        if (deep) throw new Error(`nested ${deep.depth} levels deep at line ${deep.line} (blocks, else-if chains and subexpressions); at most ${MAX_NESTING} are allowed`);
      }
      program ??= this.parser!(source);
      this.add(source, program);
    }
    return program;
  }
}

const SIMPLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/y;
const LITERALS = new Set(['this', 'else', 'true', 'false', 'null', 'undefined']);

/**
 * Most template files only substitute values (`{{title}}`, `{{project.name}}`). Their tree is
 * content and plain lookups, with no whitespace control to apply, so it is built directly,
 * without Handlebars. Anything else (blocks, helpers, comments, escapes) returns undefined and
 * goes to Handlebars' parser. Tests check both give the same output.
 */
export function parseSimple(source: string): hbs.AST.Program | undefined {
  const body: hbs.AST.Statement[] = [];
  let at = 0;
  for (let open = source.indexOf('{{'); open >= 0; open = source.indexOf('{{', at)) {
    if (source[open - 1] === '\\' || source[open + 2] === '{') return undefined;
    SIMPLE.lastIndex = open;
    const m = SIMPLE.exec(source);
    if (!m || m[1]!.split('.').some((p) => LITERALS.has(p))) return undefined;
    if (open > at) body.push({ type: 'ContentStatement', value: source.slice(at, open), original: source.slice(at, open) } as unknown as hbs.AST.ContentStatement);
    const path = { type: 'PathExpression', data: false, depth: 0, parts: m[1]!.split('.'), original: m[1]! };
    body.push({ type: 'MustacheStatement', path, params: [], escaped: true } as unknown as hbs.AST.MustacheStatement);
    at = SIMPLE.lastIndex;
  }
  if (at < source.length) body.push({ type: 'ContentStatement', value: source.slice(at), original: source.slice(at) } as unknown as hbs.AST.ContentStatement);
  return { type: 'Program', body, blockParams: [] } as unknown as hbs.AST.Program;
}

import type { LoadedTemplate } from './types.js';

/**
 * Handlebars parse trees, by source text. Parsing is the costly part of rendering, and the
 * Handlebars library itself takes a while to load, so both happen only when a template brings
 * text that has not been parsed yet: the built-in template arrives with its trees made by the
 * build (see io/builtin-bundle.ts), and a sync of many projects parses each file once.
 */
type Parser = { parse(source: string): hbs.AST.Program };

const parsed = new Map<string, hbs.AST.Program>();
let parser: Parser | undefined;

export function primeParsed(source: string, program: hbs.AST.Program): void {
  parsed.set(source, program);
}

/** Loads Handlebars' parser (an isolated instance); renderers need it only for unparsed text. */
export async function loadParser(): Promise<void> {
  if (parser) return;
  const { default: Handlebars } = await import('handlebars');
  parser = Handlebars.create();
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

export function parse(source: string): hbs.AST.Program {
  let program = parsed.get(source);
  if (!program) {
    program = parseSimple(source);
    if (!program && !parser) throw new Error('the template parser is not loaded (call prepareTemplate first)');
    program ??= parser!.parse(source);
    if (parsed.size > 20_000) parsed.clear();
    parsed.set(source, program);
  }
  return program;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Parses every text and path expression of a template that is not parsed yet (IO edge). */
export async function prepareTemplate(t: LoadedTemplate): Promise<LoadedTemplate> {
  const sources: string[] = [];
  for (const map of [t.files, t.generators ?? new Map<string, Uint8Array>()]) {
    for (const [path, data] of map) {
      if (path.includes('{{')) sources.push(path);
      if (!data.includes(0)) sources.push(decoder.decode(data));
    }
  }
  const missing = sources.filter((s) => s.includes('{{') && !parsed.has(s));
  const simple = missing.filter((s) => {
    const program = parseSimple(s);
    if (program) parsed.set(s, program);
    return program !== undefined;
  });
  if (missing.length > simple.length) {
    await loadParser();
    for (const s of missing) {
      try {
        parse(s);
      } catch {
        // A template error is reported, with the file's name, when that file is rendered.
      }
    }
  }
  return t;
}

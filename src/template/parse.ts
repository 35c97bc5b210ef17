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

export function parse(source: string): hbs.AST.Program {
  let program = parsed.get(source);
  if (!program) {
    if (!parser) throw new Error('the template parser is not loaded (call prepareTemplate first)');
    program = parser.parse(source);
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
  if (missing.length) {
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

import { ParseTrees, parseSimple } from '../core/template/parse.js';
import type { LoadedTemplate } from '../core/template/types.js';

/**
 * The process's one store of parse trees: templates loaded in this run share it, so a sync of
 * many projects parses each text once, and the built-in template arrives with its trees made
 * by the build (see src/edge/builtin-bundle.ts).
 */
export const sharedTrees = new ParseTrees();

/** Loads Handlebars' parser (an isolated instance); renderers need it only for unparsed text. */
export async function loadParser(): Promise<void> {
  if (sharedTrees.hasParser) return;
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  sharedTrees.useParser((source) => hb.parse(source));
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
  const missing = sources.filter((s) => s.includes('{{') && !sharedTrees.has(s));
  const simple = missing.filter((s) => {
    const program = parseSimple(s);
    if (program) sharedTrees.add(s, program);
    return program !== undefined;
  });
  if (missing.length > simple.length) {
    await loadParser();
    for (const s of missing) {
      try {
        sharedTrees.get(s);
      } catch {
        // A template error is reported, with the file's name, when that file is rendered.
      }
    }
  }
  t.trees = sharedTrees;
  return t;
}

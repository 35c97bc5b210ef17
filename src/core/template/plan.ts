import { isBinary } from '../merge/binary.js';
import { InputError } from '../errors.js';
import { evaluate } from './conditions.js';
import { matchesAny, matchesGlob } from './glob.js';
import { toOutputPath, unsafePathReason } from './paths.js';
import { createRenderer, type Renderer } from './render.js';
import type { Answers, LoadedTemplate } from './types.js';

export interface PlannedFile {
  /** Where it goes in the project, '/'-separated. */
  path: string;
  /** Where it came from under the template's files/. */
  templatePath: string;
  data: Uint8Array;
  binary: boolean;
  /** The template ships it executable. */
  executable: boolean;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();

/**
 * What a template file is, worked out once per file a process holds: every render of the same
 * template (each project of a `sync --check` over many, and a sync's base and target) reuses it.
 * `text` is the file decoded (the same string each time, so that its parse tree is found at once),
 * or undefined for binary content (see isBinary).
 */
const known = new WeakMap<Uint8Array, { text: string | undefined }>();

function templateText(raw: Uint8Array): string | undefined {
  let k = known.get(raw);
  if (!k) {
    let text: string | undefined;
    if (!isBinary(raw)) text = utf8.decode(raw);
    known.set(raw, (k = { text }));
  }
  return k.text;
}

/**
 * Tells the renderer a template file's text, where the loader has it already (the built-in
 * template's bundle holds each file as text): not decoded again, and its parse tree, kept under
 * that same string, is found without comparing the text.
 */
export function rememberText(raw: Uint8Array, text: string): void {
  known.set(raw, { text });
}

/** Text without a single `{{` renders to itself: it is copied, not parsed. */
function renderText(renderer: Renderer, raw: Uint8Array, source: string, file: string): Uint8Array {
  return source.includes('{{') ? encoder.encode(renderer.render(source, file)) : raw;
}

/**
 * Renders a template with answers into the list of files it makes: pure, deterministic, in
 * memory. Conditional files are left out, paths are rendered and checked, text is rendered,
 * binary and verbatim files are copied as they are.
 */
export function planRender(tpl: LoadedTemplate, answers: Answers, extra: Record<string, unknown> = {}): PlannedFile[] {
  const { spec } = tpl;
  const renderer = createRenderer(spec, answers, extra, tpl.trees);
  const out: PlannedFile[] = [];
  const seen = new Map<string, string>();
  const paths = [...tpl.files.keys()].sort();
  for (const templatePath of paths) {
    const rules = spec.files.conditional.filter((c) => matchesGlob(templatePath, c.path));
    if (!rules.every((c) => evaluate(c.when, answers))) continue;
    const rendered = templatePath.includes('{{') ? renderer.render(templatePath, `path ${templatePath}`) : templatePath;
    const path = toOutputPath(rendered);
    const why = unsafePathReason(path);
    if (why) throw new InputError(`template file ${templatePath}: its output path "${path}" ${why}.`, templatePath);
    if (seen.has(path)) throw new InputError(`template files ${seen.get(path)} and ${templatePath} both write ${path}.`, templatePath);
    seen.set(path, templatePath);
    const raw = tpl.files.get(templatePath)!;
    const text = templateText(raw);
    const binary = text === undefined;
    const data = binary || matchesAny(templatePath, spec.files.verbatim) ? raw : renderText(renderer, raw, text, templatePath);
    out.push({ path, templatePath, data, binary, executable: tpl.executable?.has(templatePath) === true });
  }
  return out;
}

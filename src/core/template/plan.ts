import { isBinary } from '../merge/binary.js';
import { InputError } from '../errors.js';
import { evaluate } from './conditions.js';
import { matchesAny, matchesGlob } from './glob.js';
import { toOutputPath, unsafePathReason } from './paths.js';
import { createRenderer } from './render.js';
import { ALL, namesOf, renderKeys, sourceDigest, unionNames, type FileDeps } from './deps.js';
import { ParseTrees } from './parse.js';
import type { Answers, LoadedTemplate, TemplateSpec } from './types.js';

export interface PlannedFile {
  /** Where it goes in the project, '/'-separated. */
  path: string;
  /** Where it came from under the template's files/. */
  templatePath: string;
  data: Uint8Array;
  binary: boolean;
  /** The template ships it executable. */
  executable: boolean;
  /** Its render key (see ./deps.ts), for a text that renders: the manifest records it. */
  key?: string;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();

/**
 * What a template file is, worked out once per file a process holds: every render of the same
 * template (each project of a `sync --check` over many, and a sync's base and target) reuses it.
 * `text` is the file decoded (the same string each time, so that its parse tree is found at once)
 * when it holds a `{{`; a binary file (see isBinary), or a text without one, is copied as it is.
 */
interface Kind {
  binary: boolean;
  text?: string;
  /** The text's parse tree, where the loader has it for this very file (a packed template). */
  tree?: () => hbs.AST.Program;
}
const known = new WeakMap<Uint8Array, Kind>();

function kindOf(raw: Uint8Array): Kind {
  let k = known.get(raw);
  if (!k) {
    const binary = isBinary(raw);
    const text = binary ? undefined : utf8.decode(raw);
    known.set(raw, (k = { binary, text: text?.includes('{{') ? text : undefined }));
  }
  return k;
}

/**
 * Tells the renderer a template file's text, where the loader has it already (a packed
 * template holds each text that renders, or decodes it on first use: `text` a function): not
 * decoded again. `tree`, its parse tree as
 * the loader has it, is rendered without looking the text up in the store of trees (which
 * would hash every text as a key).
 */
export function rememberText(raw: Uint8Array, text: string | (() => string), tree?: () => hbs.AST.Program): void {
  if (typeof text === 'function') {
    // A text the loader knows renders (it holds `{{`), decoded when first asked for.
    known.set(raw, {
      binary: false,
      tree,
      get text() {
        return text();
      },
    });
    return;
  }
  const renders = text.includes('{{');
  known.set(raw, { binary: false, text: renders ? text : undefined, tree: renders ? tree : undefined });
}

/**
 * Tells the renderer that a template file is binary, or text without a `{{` (it renders to
 * itself), as the loader knows it from the packed template: nothing to decode or test.
 */
export function rememberKind(raw: Uint8Array, binary: boolean): void {
  known.set(raw, { binary });
}

/** Which of a spec's file rules a files/ path matches: the conditional ones (by index), and whether a verbatim glob does. */
export interface FileMatches {
  rules: number[];
  verbatim: boolean;
}

export function fileMatches(spec: TemplateSpec, templatePath: string): FileMatches {
  const rules: number[] = [];
  spec.files.conditional.forEach((c, i) => {
    if (matchesGlob(templatePath, c.path)) rules.push(i);
  });
  return { rules, verbatim: matchesAny(templatePath, spec.files.verbatim) };
}

/** The matches a loader worked out ahead (see LoadedTemplate.matches), when they are for these very rules. */
function matchesAhead(tpl: LoadedTemplate): ReadonlyMap<string, FileMatches> | undefined {
  const m = tpl.matches;
  const { conditional, verbatim } = tpl.spec.files;
  if (!m || m.conditional.length !== conditional.length || m.verbatim.length !== verbatim.length) return undefined;
  if (conditional.some((c, i) => c.path !== m.conditional[i]) || verbatim.some((v, i) => v !== m.verbatim[i])) return undefined;
  return m.files;
}

/**
 * A sync's render skip: a file whose render key is the one the manifest recorded for its
 * output path renders to what was rendered then, so where the project's file still has the
 * hash recorded for that render (`asRendered`, see filesAsRendered), its bytes are the render.
 */
export interface RenderSkip {
  keys: Readonly<Record<string, string>>;
  asRendered: ReadonlyMap<string, Uint8Array>;
}

/** A text's digest and names, for a template whose loader did not work them out (a folder): from its tree. */
const textDeps = new WeakMap<Uint8Array, FileDeps>();

function depsNow(trees: ParseTrees, templatePath: string, raw: Uint8Array, text: string, tree: (() => hbs.AST.Program) | undefined): FileDeps | undefined {
  try {
    let d = textDeps.get(raw);
    if (!d) {
      let program: hbs.AST.Program | undefined;
      try {
        program = tree?.();
      } catch {
        program = undefined;
      }
      textDeps.set(raw, (d = { digest: sourceDigest(raw), names: namesOf(program ?? trees.get(text)) }));
    }
    return templatePath.includes('{{') ? { digest: d.digest, names: unionNames(d.names, namesOf(trees.get(templatePath))) } : d;
  } catch {
    // A text that does not parse has no key: its render reports the error.
    return undefined;
  }
}

/** A copied file's digest and the names its path template reads, for a loader that did not work them out. */
function copyDeps(trees: ParseTrees, templatePath: string, raw: Uint8Array): FileDeps {
  let names: readonly string[] = [];
  try {
    if (templatePath.includes('{{')) names = namesOf(trees.get(templatePath));
  } catch {
    names = [ALL];
  }
  return { digest: sourceDigest(raw), names };
}

/**
 * Renders a template with answers into the list of files it makes: pure, deterministic, in
 * memory. Conditional files are left out, paths are rendered and checked, text is rendered,
 * binary and verbatim files are copied as they are. With `keys`, each rendered text gets its
 * render key (for the manifest); with `skip`, a text whose key and project file say it renders
 * as before is not rendered.
 */
export function planRender(tpl: LoadedTemplate, answers: Answers, extra: Record<string, unknown> = {}, opts: { skip?: RenderSkip; keys?: boolean } = {}): PlannedFile[] {
  const { spec } = tpl;
  const { skip } = opts;
  const trees = tpl.trees ?? new ParseTrees();
  const renderer = createRenderer(spec, answers, extra, trees);
  // Keys for a render whose manifest is written (`keys`), or to compare (`skip`).
  const keyOf = opts.keys || skip ? renderKeys(renderer.context, spec.questions) : undefined;
  const out: PlannedFile[] = [];
  const seen = new Map<string, string>();
  const paths = [...tpl.files.keys()].sort();
  const ahead = matchesAhead(tpl);
  for (const templatePath of paths) {
    const matches = ahead?.get(templatePath) ?? fileMatches(spec, templatePath);
    if (!matches.rules.every((i) => evaluate(spec.files.conditional[i]!.when, answers))) continue;
    const rendered = templatePath.includes('{{') ? renderer.render(templatePath, `path ${templatePath}`) : templatePath;
    const path = toOutputPath(rendered);
    const why = unsafePathReason(path);
    if (why) throw new InputError(`template file ${templatePath}: its output path "${path}" ${why}.`, templatePath);
    if (seen.has(path)) throw new InputError(`template files ${seen.get(path)} and ${templatePath} both write ${path}.`, templatePath);
    seen.set(path, templatePath);
    const executable = tpl.executable?.has(templatePath) === true;
    // A text the loader knows renders (deps are given only for those): its key from what the
    // loader worked out, without decoding it; skipped, its bytes are not even read (a loader may
    // check a file's bytes when they are first read, see src/edge/template-cache.ts).
    const known = !matches.verbatim ? tpl.deps?.get(templatePath) : undefined;
    const knownKey = known && keyOf?.(templatePath, known);
    if (knownKey !== undefined && skip?.keys[path] === knownKey) {
      const mine = skip.asRendered.get(path);
      if (mine) {
        out.push({ path, templatePath, data: mine, binary: false, executable, key: knownKey });
        continue;
      }
    }
    // A file the loader knows is copied as it is: the same, from its digest and path.
    const copy = !known && !matches.verbatim ? tpl.copies?.get(templatePath) : undefined;
    const copyKey = copy && keyOf?.(templatePath, copy);
    if (copyKey !== undefined && skip?.keys[path] === copyKey) {
      const mine = skip.asRendered.get(path);
      if (mine) {
        out.push({ path, templatePath, data: mine, binary: isBinary(mine), executable, key: copyKey });
        continue;
      }
    }
    const raw = tpl.files.get(templatePath)!;
    const kind = kindOf(raw);
    const { binary, text, tree } = kind;
    // Text without a single `{{` renders to itself: it is copied, not parsed. Its key, like a
    // render's, is made from its digest and path (the same bytes never both render and are
    // copied: only a text with `{{` renders); a verbatim file has none (a rule decides that it
    // is copied, not its bytes).
    if (binary || text === undefined || matches.verbatim) {
      const key = matches.verbatim || !keyOf ? undefined : (copyKey ?? keyOf(templatePath, copy ?? copyDeps(trees, templatePath, raw)));
      const mine = skip && key !== undefined && skip.keys[path] === key ? skip.asRendered.get(path) : undefined;
      out.push({ path, templatePath, data: mine ?? raw, binary, executable, ...(key !== undefined ? { key } : {}) });
      continue;
    }
    const deps = known || !keyOf ? undefined : depsNow(trees, templatePath, raw, text, tree);
    const key = knownKey ?? (deps && keyOf?.(templatePath, deps));
    const mine = skip && key !== undefined && skip.keys[path] === key ? skip.asRendered.get(path) : undefined;
    const data = mine ?? encoder.encode(renderer.render(text, templatePath, tree));
    out.push({ path, templatePath, data, binary, executable, ...(key !== undefined ? { key } : {}) });
  }
  return out;
}

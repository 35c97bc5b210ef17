import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TEMPLATE_DIR } from './builtin.js';
import { unpackProgram } from '../core/template/compact.js';
import { rememberText } from '../core/template/plan.js';
import { sharedTrees } from './parse-trees.js';
import type { LoadedTemplate, TemplateSpec } from '../core/template/types.js';
import { loadTemplateDir } from './template-dir.js';

/**
 * The built-in template as the build prepared it (dist/builtin.json): the validated spec and
 * each text file with its parse tree, as data. Loading it skips YAML and Handlebars parsing,
 * which were most of what generating cost. Without the bundle (running from src/), the
 * template folder is read as any other template.
 */
export interface BuiltinBundle {
  spec: TemplateSpec;
  /** [tree, path, text, packed tree or null] for text files, [tree, path, null, base64] for binary ones. */
  files: [('files' | 'generators'), string, string | null, unknown][];
  /** Parse trees of the path expressions (`src/{{package_name}}/...`). */
  paths: [string, unknown[]][];
  /** The files/ paths the template ships executable. */
  executable?: string[];
}

const BUNDLE = fileURLToPath(new URL('./builtin.json', import.meta.url));

let loaded: Promise<LoadedTemplate> | undefined;

/** The built-in template, read once per process (a sync of many projects asks for it for each). */
export function loadBuiltin(): Promise<LoadedTemplate> {
  loaded ??= readBuiltin();
  return loaded;
}

async function readBuiltin(): Promise<LoadedTemplate> {
  if (!existsSync(BUNDLE)) return loadTemplateDir(BUILTIN_TEMPLATE_DIR);
  const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as BuiltinBundle;
  const files = new Map<string, Uint8Array>();
  const generators = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  for (const [tree, path, text, extra] of bundle.files) {
    const data = text === null ? Buffer.from(extra as string, 'base64') : encoder.encode(text);
    // The build kept as text only what decodes as UTF-8; one with a NUL early on is binary to the renderer.
    if (text !== null && !data.subarray(0, 8000).includes(0)) rememberText(data, text);
    if (text !== null && extra) sharedTrees.add(text, unpackProgram(extra as unknown[], text));
    (tree === 'files' ? files : generators).set(path, data);
  }
  for (const [source, packed] of bundle.paths) sharedTrees.add(source, unpackProgram(packed, source));
  return { spec: bundle.spec, files, generators, executable: new Set(bundle.executable ?? []), trees: sharedTrees };
}

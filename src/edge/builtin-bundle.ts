import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TEMPLATE_DIR } from './builtin.js';
import type { LoadedTemplate } from '../core/template/types.js';
import { loadTemplateDir } from './template-dir.js';
import { unpackTemplate } from './template-pack.js';

/**
 * The built-in template as the build prepared it (dist/builtin.pack, see ./template-pack.ts):
 * the validated spec, each text file with its parse tree, and the file rules each path matches,
 * as data. Loading it skips YAML and Handlebars parsing, which were most of what generating
 * cost, and decodes only the texts that render. Without the bundle (running from src/), the
 * template folder is read as any other template.
 */
const BUNDLE = fileURLToPath(new URL('./builtin.pack', import.meta.url));

let loaded: Promise<LoadedTemplate> | undefined;

/** The built-in template, read once per process (a sync of many projects asks for it for each). */
export function loadBuiltin(): Promise<LoadedTemplate> {
  loaded ??= readBuiltin();
  return loaded;
}

async function readBuiltin(): Promise<LoadedTemplate> {
  if (!existsSync(BUNDLE)) return loadTemplateDir(BUILTIN_TEMPLATE_DIR);
  const template = unpackTemplate(readFileSync(BUNDLE));
  if (!template) throw new Error(`${BUNDLE}: is not a template pack; the package is damaged, install it again.`);
  return template;
}

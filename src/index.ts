/** The library entry: the pure core and the generators, for programs that drive create-migration. */
export { parseTemplateSpec } from './template/spec.js';
export { planRender, type PlannedFile } from './template/plan.js';
export { resolveAnswers, slugify } from './answers/resolve.js';
export { checkAnswer } from './answers/validate.js';
export { buildManifest, parseManifest, MANIFEST_PATH, type Manifest } from './manifest.js';
export { projectGenerator } from '../generators/project.js';
export type { Answers, LoadedTemplate, TemplateSpec, Question } from './template/types.js';
export { UsageError, CancelledError, CliError } from './errors.js';

// For the build, which bundles the built-in template as data (see src/io/builtin-bundle.ts).
export { loadTemplateDir } from './io/template-dir.js';
export { BUILTIN_TEMPLATE_DIR } from './builtin.js';
export { packProgram } from './template/compact.js';

/** The library entry: the pure core and the generators, for programs that drive create-migration. */
export { parseTemplateSpec } from './core/template/spec.js';
export { planRender, type PlannedFile } from './core/template/plan.js';
export { resolveAnswers, slugify } from './core/answers/resolve.js';
export { checkAnswer } from './core/answers/validate.js';
export { buildManifest, parseManifest, MANIFEST_PATH, type Manifest } from './core/manifest.js';
export { projectGenerator } from './flows/generate.js';
export type { Answers, LoadedTemplate, TemplateSpec, Question } from './core/template/types.js';
export { DomainError, InputError, CancelledError, ProjectError, MissingAnswersError, type ErrorKind } from './core/errors.js';

// For the build, which bundles the built-in template as data (see src/edge/builtin-bundle.ts).
export { loadTemplateDir } from './edge/template-dir.js';
export { BUILTIN_TEMPLATE_DIR } from './edge/builtin.js';
export { packProgram } from './core/template/compact.js';
export { packTemplate } from './edge/template-pack.js';

import { parseTemplateSpec } from '../../core/template/spec.js';
import type { Question } from '../../core/template/types.js';
import { BUILTIN_TEMPLATE_DIR } from '../../edge/builtin.js';
import { readText } from '../../edge/inputs.js';
import type { Generator } from '../types.js';
import type { AddOptions, AddSpec } from '../add.js';
import { checklistGenerator, checklistSpec } from './checklist.js';
import { nodeGenerator, nodeSpec } from './node.js';
import { projectGenerator } from '../generate.js';
import { workflowGenerator, workflowSpec } from './workflow.js';

export { projectGenerator };

/** The `add` generators by name, as the CLI and plopfile.ts both run them. */
export const addGenerators: Record<string, { spec: AddSpec; generator: Generator<AddOptions> }> = {
  workflow: { spec: workflowSpec, generator: workflowGenerator },
  node: { spec: nodeSpec, generator: nodeGenerator },
  checklist: { spec: checklistSpec, generator: checklistGenerator },
};

/** The built-in template's questions, read now (plop registers its generators synchronously). */
export function projectQuestions(): Question[] {
  return parseTemplateSpec(readText(`${BUILTIN_TEMPLATE_DIR}template.yaml`, (why) => new Error(`the built-in template cannot be read (${why})`))).questions;
}

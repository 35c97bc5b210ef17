/**
 * The generators, as plop projects keep them: plopfile.ts registers every one with plop, and the
 * CLI runs the same objects (`create-migration` is the project generator, `add <name>` the rest).
 * A generator here declares (its questions, its folder under the template's generators/, what it
 * registers); the flows in src/flows run it. Flows never import this folder: one that needs a
 * generator (assess turning legacy jobs into workflows) is handed its spec by the CLI.
 */
import type { Generator } from '../src/flows/types.js';
import type { AddOptions, AddSpec } from '../src/flows/add.js';
import { builtinQuestions, projectGenerator } from '../src/flows/generate.js';
import { checklistGenerator, checklistSpec } from './checklist.js';
import { nodeGenerator, nodeSpec } from './node.js';
import { workflowGenerator, workflowSpec } from './workflow.js';

export { projectGenerator, workflowSpec };

/** The `add` generators by name, as the CLI and plopfile.ts both run them. */
export const addGenerators: Record<string, { spec: AddSpec; generator: Generator<AddOptions> }> = {
  workflow: { spec: workflowSpec, generator: workflowGenerator },
  node: { spec: nodeSpec, generator: nodeGenerator },
  checklist: { spec: checklistSpec, generator: checklistGenerator },
};

/** The built-in template's questions, read now (plop registers its generators synchronously). */
export const projectQuestions = builtinQuestions;

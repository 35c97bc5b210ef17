import type { Generator } from '../src/generator.js';
import { projectGenerator } from './project.js';

/** Every generator, as plopfile.ts registers them and the CLI runs them. */
export const generators: Generator<never>[] = [projectGenerator as Generator<never>];

import type { Asker } from '../core/answers/resolve.js';

/** One change a generator made (or would make, in a dry run). */
export interface Change {
  type: 'add' | 'modify';
  path: string;
  bytes: number;
}

export interface GeneratorResult {
  /** The folder the changes are relative to. */
  dir: string;
  changes: Change[];
  dryRun: boolean;
  /** Anything else worth reporting in --json (commit, template version...). */
  details: Record<string, unknown>;
}

/** What every generator gets besides its own options: where to work and how to ask. */
export interface GeneratorContext {
  cwd: string;
  /** Present when a terminal can be asked; absent in CI and with --yes. */
  ask?: Asker;
}

/**
 * A generator as the CLI and plopfile.ts both run it: `run` takes literal options, so tests call
 * it directly and the callers own prompts, output and exit codes.
 */
export interface Generator<O> {
  name: string;
  description: string;
  run(options: O, ctx: GeneratorContext): Promise<GeneratorResult>;
}

import { endRun } from './output.js';

/**
 * What dist/generate.js does not carry was reached (see scripts/build.mjs, which makes the
 * modules of generate --assess throw this when they are loaded). It is thrown before anything is
 * printed or written, so dist/generate.js can hand the same arguments to dist/main.js, which
 * answers them.
 */
export class NotInThisBundle extends Error {
  constructor() {
    super('this command is answered by dist/main.js');
  }
}

/** A bundle's entry: dist/main.js's, here. */
export type Entry = { run(argv: string[]): Promise<void> };

/**
 * Hands the run to dist/main.js (`full`, given by dist/cli.js), taking this bundle's Ctrl-C
 * handlers off first: main.js undoes what it writes itself, and this bundle registered nothing to
 * undo. Without `full` (the bundle run by itself) it fails, naming what to run instead.
 */
export function handToMain(argv: string[], full: (() => Entry) | undefined, stopUndoing: () => void): Promise<void> | void {
  if (!full) {
    process.stderr.write('create-migration: failed: this command needs dist/main.js; run dist/cli.js\n');
    return endRun(3);
  }
  stopUndoing();
  return full().run(argv);
}

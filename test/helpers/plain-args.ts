import type { Command } from 'commander';
import { expect, it } from 'vitest';

/**
 * The two tests that hold a launcher's reading of a command's plain form (read without the
 * argument parser, src/boot/*-args.ts) to the parser: every form in `accepted` is read, and read
 * as the parser reads it; every one in `leftToParser` is left to the parser.
 */
export function heldToParser<T>(read: (args: string[]) => T | undefined, parsed: (args: string[]) => Promise<T | string>, accepted: string[][], leftToParser: string[][]): void {
  it('reads the plain form as the parser does', async () => {
    for (const args of accepted) {
      const quick = read(args);
      expect(quick, args.join(' ')).toBeDefined();
      expect(quick, args.join(' ')).toEqual(await parsed(args));
    }
  });

  it('leaves everything else to the parser (which answers help, refuses or accepts it)', () => {
    for (const args of leftToParser) expect(read(args), args.join(' ')).toBeUndefined();
  });
}

/**
 * What `cli` makes of `args` (`create-migration <args>`), with nothing printed: what its action
 * handed `got` to keep, the error code it stopped with, or 'no action'.
 */
export async function parsedBy<T>(cli: Command, args: string[], got: () => T | undefined): Promise<T | string> {
  for (const c of [cli, ...cli.commands]) c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    await cli.parseAsync(['node', 'create-migration', ...args]);
  } catch (e) {
    return (e as { code: string }).code;
  }
  return got() ?? 'no action';
}

import { InputError, MissingAnswersError } from '../core/errors.js';

/** How a user gives one answer on the command line: each command says, for its own flags. */
export interface FlagNaming {
  /** The answer as the user knows it: the key for --set, the flag or argument otherwise. */
  label(key: string): string;
  usage(key: string): string;
}

export const setFlag: FlagNaming = { label: (k) => k, usage: (k) => `--set ${k}=<value>` };

/** Missing answers, named as this command's flags: the core knows keys, not flags. */
export async function namingFlags(naming: FlagNaming, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof MissingAnswersError)) throw e;
    throw new InputError(
      `Missing answers for: ${e.keys.map(naming.label).join(', ')}. There is no terminal to ask on, so give them with ${e.keys.map(naming.usage).join(' ')} (or all at once with --answers FILE), or pass --yes to take the defaults.`,
    );
  }
}

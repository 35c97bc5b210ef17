import { isatty } from 'node:tty';
import type { Asker } from '../core/answers/resolve.js';

/** Interactive only when a person is there to answer: never hang waiting on a pipe. */
export function canPrompt(yes: boolean | undefined): boolean {
  // isatty on the descriptors: reading process.stdin would open a stream on it just to ask.
  return !yes && isatty(0) && isatty(2);
}

/** The terminal's asker when one can be asked (the prompts are loaded only then), else none. */
export async function askerFor(yes: boolean | undefined): Promise<Asker | undefined> {
  return canPrompt(yes) ? (await import('./prompt.js')).terminalAsker : undefined;
}

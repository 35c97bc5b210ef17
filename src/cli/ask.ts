import type { Asker } from '../core/answers/resolve.js';
import { isTerminalFd } from './output.js';

/** Interactive only when a person is there to answer: never hang waiting on a pipe. */
export function canPrompt(yes: boolean | undefined): boolean {
  // The descriptors themselves: reading process.stdin would open a stream on it just to ask
  // (stderr first: in a pipe it is known without loading node's tty module).
  return !yes && isTerminalFd(2) && isTerminalFd(0);
}

/** The terminal's asker when one can be asked (the prompts are loaded only then), else none. */
export async function askerFor(yes: boolean | undefined): Promise<Asker | undefined> {
  return canPrompt(yes) ? (await import('./prompt.js')).terminalAsker : undefined;
}

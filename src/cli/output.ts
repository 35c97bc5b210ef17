import { jsonSafe, terminalSafe } from '../core/terminal-text.js';

// Every line printed passes terminalSafe: much of it came from outside (checklists, a template's
// changelog, file names, git's messages), and its control characters must not reach a terminal.

/** Human messages and progress go to stderr; a command's report (what a user pipes or greps) to stdout. */
export function say(line = ''): void {
  process.stderr.write(`${terminalSafe(line, { styles: colorOn(process.stderr) })}\n`);
}

/** Report text on stdout, as it is (several lines, its own newlines), made safe for a terminal. */
export function write(text: string): void {
  process.stdout.write(terminalSafe(text, { styles: colorOn(process.stdout) }));
}

/**
 * A reader that stops early (`status | head -3`) closes the pipe: the rest of the report has
 * nowhere to go, and the command still finishes what it was doing (a sync mid-write must not die).
 */
export function tolerateClosedStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

/** One line of a command's report, on stdout. */
export function print(line = ''): void {
  write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${jsonSafe(JSON.stringify(value, null, 2))}\n`);
}

/**
 * Colour on a terminal, never in a pipe; FORCE_COLOR (any value but 0/false) turns it on anywhere
 * and wins over NO_COLOR, as it does for node itself; NO_COLOR (any non-empty value) turns it off.
 */
export function colorOn(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}

const SGR = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof SGR;
export type Painter = Record<Style, (s: string) => string>;

/** The styles for text written to one stream: plain where that stream gets no colour. */
export function painter(stream: { isTTY?: boolean }): Painter {
  const on = colorOn(stream);
  const entries = Object.entries(SGR).map(([k, [a, b]]) => [k, (s: string) => (on ? `\x1b[${a}m${s}\x1b[${b}m` : s)]);
  return Object.fromEntries(entries) as Painter;
}

// Styles for messages (stderr), and for reports (stdout).
export const bold = (s: string) => painter(process.stderr).bold(s);
export const dim = (s: string) => painter(process.stderr).dim(s);
export const out = (): Painter => painter(process.stdout);

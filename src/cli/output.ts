import { fstatSync, statSync, writeSync } from 'node:fs';
import { jsonSafe, terminalSafe } from '../core/terminal-text.js';

// Every line printed passes terminalSafe: much of it came from outside (checklists, a template's
// changelog, file names, git's messages), and its control characters must not reach a terminal.

/**
 * stdout or stderr, as the CLI writes its report and messages. Into a pipe or a file (how
 * scripts, CI and the update job run the CLI) the text goes straight to the descriptor, one
 * write(2) for each: `process.stdout` would first build a stream (node's net and stream
 * modules, ~2 ms of every start). A terminal is written through node's stream, as before (it
 * converts for a Windows console), and so is a descriptor that refuses a write for now (EAGAIN:
 * made non-blocking by someone else): node's stream queues the rest and retries. A reader that
 * has gone (EPIPE: `status | head -1`) gets nothing more, and the command finishes what it was
 * doing (see tolerateClosedStdout).
 */
export class Output {
  private viaStream = false;
  private gone = false;

  constructor(
    readonly fd: 1 | 2,
    private readonly stream: () => NodeJS.WriteStream,
  ) {}

  /** A terminal: decided from the descriptor (node's tty module is loaded only for a character device). */
  get isTTY(): boolean {
    return isTerminal(this.fd) === true;
  }

  get columns(): number | undefined {
    return this.isTTY ? this.stream().columns : undefined;
  }

  write(text: string): void {
    if (this.gone || !text) return;
    // Once node's stream exists (made for a terminal, or by whatever wrote through it), it takes
    // everything after: a stream that writes asynchronously (a pipe on macOS) keeps its order.
    if (this.viaStream || made.has(this.fd) || isTerminal(this.fd) !== false) {
      this.stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        this.gone = true;
        return;
      }
      if (code !== 'EAGAIN') throw e;
      this.viaStream = true;
      this.stream().write(bytes.subarray(at));
    }
  }
}

/** The descriptors whose node stream exists (see tolerateClosedStdout): written through it. */
const made = new Set<number>();

/**
 * Ends a bundle's run (dist/main.js, sync.js, jobs.js) with its exit code. The run awaits every
 * write, process and clean-up it starts, so when everything printed went straight to its
 * descriptor the process ends here, rather than let node take its heap down piece by piece
 * first (~2 ms a start); 'exit' listeners still run. When a node stream for stdout or stderr
 * exists (a prompt, a terminal, an EAGAIN) it may hold text still to be written (on macOS a
 * pipe's stream writes later): node then ends at its own pace.
 */
export function endRun(code: number): void {
  process.exitCode = code;
  if (made.size === 0) process.exit();
}
const ttys = new Map<number, boolean | undefined>();

/** true: a terminal; false: a pipe, a file or /dev/null; undefined: not known (written through node's stream). */
function isTerminal(fd: number): boolean | undefined {
  if (!ttys.has(fd)) {
    let answer: boolean | undefined;
    try {
      // Only a character device can be a terminal: a pipe or file is known without the tty
      // module, and so is /dev/null (`>/dev/null` in a cron line), the character device most
      // often there that is none.
      const st = fstatSync(fd);
      answer = st.isCharacterDevice() && !isNullDevice(st.rdev) ? ttyModule()?.isatty(fd) : false;
    } catch {
      answer = undefined;
    }
    ttys.set(fd, answer);
  }
  return ttys.get(fd);
}

/** Whether a character device is the one at /dev/null (the same device number), where there is one. */
function isNullDevice(rdev: number): boolean {
  return statSync('/dev/null', { throwIfNoEntry: false })?.rdev === rdev;
}

/** node's tty module, loaded on first use: the bundle is CommonJS; the sources (under test) ask node for it. */
function ttyModule(): typeof import('node:tty') | undefined {
  if (typeof require === 'function') return require('node:tty') as typeof import('node:tty');
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return getBuiltin?.('node:tty') as typeof import('node:tty') | undefined;
}

/** Whether a descriptor is a terminal (ask.ts: is a person there to answer?). */
export const isTerminalFd = (fd: number): boolean => isTerminal(fd) === true;

export const stdout = new Output(1, () => process.stdout);
export const stderr = new Output(2, () => process.stderr);

/** While report() runs, what say and print write is held here and written in as few writes as the order allows. */
let held: { to: Output; text: string }[] | undefined;

function emit(to: Output, text: string): void {
  if (!held) return to.write(text);
  const last = held[held.length - 1];
  if (last?.to === to) last.text += text;
  else held.push({ to, text });
}

/**
 * Runs `f` with its output held, then writes it: each run of lines to one stream in one write
 * (a sync's report with its release notes is some 60 lines), stdout and stderr in the order
 * they were printed.
 */
export function batched<T>(f: () => T): T {
  if (held) return f();
  held = [];
  try {
    return f();
  } finally {
    const chunks = held;
    held = undefined;
    for (const c of chunks) c.to.write(c.text);
  }
}

/** Human messages and progress go to stderr; a command's report (what a user pipes or greps) to stdout. */
export function say(line = ''): void {
  emit(stderr, `${terminalSafe(line, { styles: colorOn(stderr) })}\n`);
}

/** Report text on stdout, as it is (several lines, its own newlines), made safe for a terminal. */
export function write(text: string): void {
  emit(stdout, terminalSafe(text, { styles: colorOn(stdout) }));
}

/**
 * A reader that stops early (`status | head -3`) closes the pipe: the rest of the report has
 * nowhere to go, and the command still finishes what it was doing (a sync mid-write must not die).
 * The CLI's own lines go through `stdout` (above), which stops writing there; whatever writes
 * `process.stdout` itself (the argument parser's help, a completion script) gets the same
 * tolerance when node makes that stream, and not before: making it costs every start ~2 ms.
 */
export function tolerateClosedStdout(): void {
  const tolerate = (s: NodeJS.WriteStream) => {
    if (s.listenerCount('error') > 0) return;
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  };
  for (const [name, fd] of [['stdout', 1], ['stderr', 2]] as const) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    if (!d?.get || !d.configurable) {
      // Not node's lazy getter (a host that made the streams already): use them as they are.
      made.add(fd);
      if (fd === 1) tolerate(process.stdout);
      continue;
    }
    const make = d.get;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: d.enumerable,
      get() {
        const s = make.call(process) as NodeJS.WriteStream;
        made.add(fd);
        if (fd === 1) tolerate(s);
        return s;
      },
    });
  }
}

/** One line of a command's report, on stdout. */
export function print(line = ''): void {
  write(`${line}\n`);
}

export function printJson(value: unknown): void {
  emit(stdout, `${jsonSafe(JSON.stringify(value, null, 2))}\n`);
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
export const bold = (s: string) => painter(stderr).bold(s);
export const dim = (s: string) => painter(stderr).dim(s);
export const out = (): Painter => painter(stdout);

/**
 * Progress of long work over many items (sync over many projects, fleet), drawn on one line of
 * stderr while a person watches: a bar and a count on a terminal, nothing at all in a pipe or a
 * log, so captured output stays the report alone.
 */
import { terminalSafe } from '../core/terminal-text.js';
import { stderr } from './output.js';

export interface Progress {
  /** One item finished; `label` names it (the project). */
  step(label?: string): void;
  /** Clears the line: the report that follows starts on a clean one. */
  done(): void;
}

/** The line as drawn: pure, so its look is tested with plain values. */
export function progressLine(doneCount: number, total: number, what: string, label: string, columns: number): string {
  const count = `${doneCount}/${total}`;
  const width = Math.max(10, Math.min(30, columns - what.length - count.length - 20));
  const filled = total === 0 ? width : Math.round((doneCount * width) / total);
  const head = `${what} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count}`;
  const room = columns - head.length - 2;
  // A long name is cut from the left: its end tells projects apart.
  const name = room < 4 || !label ? '' : label.length > room ? `…${label.slice(label.length - room + 1)}` : label;
  return name ? `${head}  ${name}` : head;
}

interface Terminalish {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const silent: Progress = { step() {}, done() {} };

/** A progress line on `stream` for `total` items; silent where the stream is not a terminal. */
export function startProgress(what: string, total: number, stream: Terminalish = stderr): Progress {
  if (!stream.isTTY || total < 2) return silent;
  let count = 0;
  // The label names a project (a folder or URL from a list): its control characters are escaped.
  const draw = (label: string) => stream.write(`\r${progressLine(count, total, what, terminalSafe(label), stream.columns ?? 80)}\x1b[K`);
  draw('');
  return {
    step(label = '') {
      count++;
      draw(label);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}

import type { ChildProcess } from 'node:child_process';

/**
 * Undo work registered while a command writes. If the process is interrupted (Ctrl-C, SIGTERM),
 * the CLI entry stops the git processes it started, waits for them to end, and only then runs
 * these synchronously before it exits: a git still writing the staging folder or moving a branch
 * would otherwise redo, after the undo, what the undo had just put back.
 */
type Undo = () => void;
const pending = new Set<Undo>();
const children = new Set<ChildProcess>();
let interrupted = false;

export function onInterrupt(undo: Undo): () => void {
  pending.add(undo);
  return () => pending.delete(undo);
}

/** Tracks a child process until it exits, so that an interrupt can stop it first. */
export function trackChild(child: ChildProcess): void {
  if (interrupted) child.kill('SIGTERM');
  children.add(child);
  child.once('close', () => children.delete(child));
}

/** Whether the process is being interrupted: no new git work may start. */
export function isInterrupted(): boolean {
  return interrupted;
}

export function runInterruptCleanups(): void {
  for (const undo of [...pending].reverse()) {
    try {
      undo();
    } catch {
      // Best effort: keep undoing the rest; the process is exiting anyway.
    }
  }
  pending.clear();
}

/**
 * Stops every child (SIGTERM lets git remove its own lock files), waits until they have exited
 * (SIGKILL after `graceMs`), then runs the undo steps.
 */
export async function interrupt(graceMs = 5000): Promise<void> {
  interrupted = true;
  const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  const exited = alive.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve())));
  for (const c of alive) c.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const c of alive) c.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([Promise.all(exited), late]);
  if (timer) clearTimeout(timer);
  // A child SIGKILLed after the grace period still gets a moment to be reaped.
  runInterruptCleanups();
}

/**
 * Undo work registered while a command writes. If the process is interrupted (Ctrl-C, SIGTERM),
 * the CLI entry runs these synchronously before it exits, so nothing half-made is left behind.
 */
type Undo = () => void;
const pending = new Set<Undo>();

export function onInterrupt(undo: Undo): () => void {
  pending.add(undo);
  return () => pending.delete(undo);
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

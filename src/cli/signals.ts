import { interrupt } from '../edge/cleanup.js';

/**
 * Ctrl-C outside a prompt (during writing): stop git, undo what was registered, then exit 130.
 * Returns what takes these handlers off again (a bundle handing its run to another, whose own
 * handlers undo what that one registers).
 */
export function undoOnSignals(): () => void {
  let stopping = false;
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = () => {
      if (stopping) return; // a second Ctrl-C while undoing: the undo finishes first
      stopping = true;
      void interrupt().finally(() => {
        process.stderr.write('\ncreate-migration: cancelled; nothing was left behind.\n');
        process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1));
      });
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

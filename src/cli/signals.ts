import { interrupt } from '../edge/cleanup.js';

/** Ctrl-C outside a prompt (during writing): stop git, undo what was registered, then exit 130. */
export function undoOnSignals(): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return; // a second Ctrl-C while undoing: the undo finishes first
      stopping = true;
      void interrupt().finally(() => {
        process.stderr.write('\ncreate-migration: cancelled; nothing was left behind.\n');
        process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGTERM' ? 15 : 1));
      });
    });
  }
}

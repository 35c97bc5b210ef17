import path from 'node:path';
import { atomicWriteSync } from '../../edge/apply.js';
import type { ProjectSyncResult } from '../../flows/sync.js';
import { summaryMarkdown } from '../../core/sync/summary.js';

interface Outcome {
  dir: string;
  result?: ProjectSyncResult;
  error?: string;
}

/** Writes sync's Markdown summary (one section per project), atomically, beside nothing else. */
export function writeSummary(file: string, outcomes: Outcome[], flags: { check?: boolean; dryRun?: boolean }): void {
  const mode = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'sync';
  const text = outcomes
    .map((o) =>
      summaryMarkdown({
        project: path.relative(process.cwd(), o.dir) || path.basename(o.dir),
        template: o.result?.template ?? 'template',
        from: o.result?.from ?? '?',
        to: o.result?.to ?? '?',
        mode,
        behind: o.result?.behind ?? false,
        outcomes: o.result?.outcomes ?? [],
        notes: o.result?.notes ?? [],
        migrations: o.result?.migrations ?? [],
        answers: o.result?.answerChanges ?? [],
        error: o.error,
      }),
    )
    .join('\n');
  atomicWriteSync(path.resolve(file), new TextEncoder().encode(text));
}

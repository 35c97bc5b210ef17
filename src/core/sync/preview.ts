import { isBinary } from '../merge/binary.js';
import { unifiedDiff } from '../merge/diff.js';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * What `sync --dry-run` prints: the plan's writes and deletes as a unified diff against the
 * project's files, mode changes and binary files shown as git shows them.
 */
export function renderDiff(
  ours: ReadonlyMap<string, Uint8Array>,
  writes: { path: string; data: Uint8Array; executable?: boolean }[],
  deletes: string[],
  oursExecutable: ReadonlySet<string> = new Set(),
): string {
  const parts: string[] = [];
  const show = (p: string, before: Uint8Array | undefined, after: Uint8Array | undefined, executable?: boolean) => {
    // A mode change is shown as git shows one.
    if (before && executable !== undefined && executable !== oursExecutable.has(p)) {
      parts.push(`old mode ${executable ? '100644' : '100755'} ${p}\nnew mode ${executable ? '100755' : '100644'} ${p}\n`);
    }
    if ((before && isBinary(before)) || (after && isBinary(after))) {
      parts.push(`Binary file ${p} ${!before ? 'added' : !after ? 'removed' : 'changed'}\n`);
      return;
    }
    parts.push(
      unifiedDiff(before ? decoder.decode(before) : '', after ? decoder.decode(after) : '', {
        oldLabel: before ? `a/${p}` : '/dev/null',
        newLabel: after ? `b/${p}` : '/dev/null',
      }),
    );
  };
  for (const w of [...writes].sort((a, b) => (a.path < b.path ? -1 : 1))) show(w.path, ours.get(w.path), w.data, w.executable);
  for (const d of [...deletes].sort()) show(d, ours.get(d), undefined);
  return parts.join('');
}

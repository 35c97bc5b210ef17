import { lstatSync } from 'node:fs';
import { readRegularFile } from '../fs-quiet.js';
import path from 'node:path';
import { isBinary } from '../../core/merge/binary.js';
import { splitLines } from '../../core/merge/lines.js';
import { conflictBlocks } from '../../core/merge/markers.js';
import { unsafePathReason } from '../../core/template/paths.js';

/** A project file that still holds conflict-marker blocks; `lines` lists them, 1-based (`3-9, 20-31`). */
export interface UnresolvedFile {
  path: string;
  lines: string;
}

// Bigger files are not scanned: sync writes markers only into files it merged as text.
const MAX_SCAN_BYTES = 64 << 20;

/**
 * For `sync --check`: the given project files (the template's, as the manifest lists them)
 * that still hold conflict markers. The paths come from the manifest, so each one is checked
 * to stay inside the project with no symbolic link or `.git` on the way before it is read.
 */
export function filesWithMarkers(root: string, paths: Iterable<string>): UnresolvedFile[] {
  const out: UnresolvedFile[] = [];
  for (const p of [...paths].sort()) {
    if (unsafePathReason(p) || p.split('/').some((s) => s.toLowerCase() === '.git')) continue;
    const data = readPlainFile(root, p);
    if (!data || isBinary(data)) continue;
    const blocks = conflictBlocks(splitLines(new TextDecoder().decode(data)));
    if (blocks.length) out.push({ path: p, lines: blocks.map((b) => `${b.start + 1}-${b.end + 1}`).join(', ') });
  }
  return out;
}

function readPlainFile(root: string, p: string): Uint8Array | undefined {
  const segments = p.split('/');
  let at = root;
  for (const [i, s] of segments.entries()) {
    at = path.join(at, s);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return undefined;
    if (i < segments.length - 1 ? !st.isDirectory() : !st.isFile() || st.size > MAX_SCAN_BYTES) return undefined;
  }
  return readRegularFile(at);
}

/** Marks a `--check` result failed (exit 1) when any of the project's template files holds markers. */
export function flagUnresolved(result: { unresolved?: UnresolvedFile[]; exitCode: number }, root: string, paths: Iterable<string>): void {
  const found = filesWithMarkers(root, paths);
  if (!found.length) return;
  result.unresolved = found;
  result.exitCode = Math.max(result.exitCode, 1);
}

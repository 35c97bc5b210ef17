import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { NotRegularFile } from '../fs-quiet.js';
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
export function filesWithMarkers(root: string, paths: Iterable<string>, known: ReadonlyMap<string, Uint8Array> = new Map()): UnresolvedFile[] {
  const out: UnresolvedFile[] = [];
  // Folders already found plain in this scan (it writes nothing): each is looked at once.
  const folders = new Set<string>();
  for (const p of [...paths].sort()) {
    if (unsafePathReason(p) || p.split('/').some((s) => s.toLowerCase() === '.git')) continue;
    const had = known.get(p);
    const data = had ? (had.length > MAX_SCAN_BYTES ? undefined : had) : readPlainFile(root, p, folders);
    // A block opens with seven '<' at the start of a line: a file without them has none.
    if (!data || Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(OPENING) < 0 || isBinary(data)) continue;
    const blocks = conflictBlocks(splitLines(new TextDecoder().decode(data)));
    if (blocks.length) out.push({ path: p, lines: blocks.map((b) => `${b.start + 1}-${b.end + 1}`).join(', ') });
  }
  return out;
}

const OPENING = Buffer.from('<<<<<<<');

/**
 * A regular file's bytes, never through a link: each folder on the way and the file itself are
 * lstat-ed, and the file is opened without following a link or blocking and checked to be the
 * one lstat saw. Undefined when anything else is there.
 */
function readPlainFile(root: string, p: string, folders: Set<string>): Buffer | undefined {
  const segments = p.split('/');
  let at = root;
  let seen;
  for (const [i, s] of segments.entries()) {
    at = path.join(at, s);
    const last = i === segments.length - 1;
    if (!last && folders.has(at)) continue;
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return undefined;
    if (!last) {
      if (!st.isDirectory()) return undefined;
      folders.add(at);
    } else if (!st.isFile() || st.size > MAX_SCAN_BYTES) return undefined;
    seen = st;
  }
  const fd = openSync(at, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const now = fstatSync(fd);
    if (!now.isFile() || now.ino !== seen!.ino || now.dev !== seen!.dev) throw new NotRegularFile(at, 'changed while it was read');
    if (now.size > MAX_SCAN_BYTES) return undefined;
    const data = Buffer.allocUnsafe(now.size);
    let got = 0;
    while (got < now.size) {
      const n = readSync(fd, data, got, now.size - got, null);
      if (n === 0) break;
      got += n;
    }
    return data.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * Marks a `--check` result failed (exit 1) when any of the project's template files holds markers.
 * `known`: files this run already read as regular files, never through a link (not read again).
 */
export function flagUnresolved(result: { unresolved?: UnresolvedFile[]; exitCode: number }, root: string, paths: Iterable<string>, known?: ReadonlyMap<string, Uint8Array>): void {
  const found = filesWithMarkers(root, paths, known);
  if (!found.length) return;
  result.unresolved = found;
  result.exitCode = Math.max(result.exitCode, 1);
}

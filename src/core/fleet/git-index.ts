/**
 * Unmerged entries (stage 1-3) in git's index file, read without starting git. Pure: takes the
 * file's bytes. Versions 2 and 3 are read; for version 4 (prefix-compressed paths) or anything
 * unexpected it returns undefined and the caller asks git.
 */
export function unmergedPaths(index: Uint8Array): string[] | undefined {
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  if (index.length < 12 || view.getUint32(0) !== 0x44495243 /* DIRC */) return undefined;
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) return undefined;
  const count = view.getUint32(8);
  const out = new Set<string>();
  const decoder = new TextDecoder();
  let at = 12;
  for (let i = 0; i < count; i++) {
    // ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), then the object id.
    const fixed = at + 40;
    if (fixed + 22 > index.length) return undefined;
    // The id is 20 bytes (SHA-1); a SHA-256 repository is left to git.
    const flags = view.getUint16(fixed + 20);
    let pathStart = fixed + 22;
    if (flags & 0x4000) {
      if (version < 3) return undefined;
      pathStart += 2;
    }
    const end = index.indexOf(0, pathStart);
    if (end < 0) return undefined;
    if ((flags >> 12) & 3) out.add(decoder.decode(index.subarray(pathStart, end)));
    // Entries are NUL-padded to a multiple of 8 bytes from their start.
    const len = end - at + 1;
    at += Math.ceil(len / 8) * 8;
  }
  return [...out].sort();
}

/** Conflict markers as sync and git write them, each at the start of a line. */
export function hasConflictMarkers(text: string): boolean {
  return /^<{7}(?: |$)/m.test(text) && /^>{7}(?: |$)/m.test(text) && /^={7}\r?$/m.test(text);
}

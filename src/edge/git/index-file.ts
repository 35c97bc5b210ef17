import { closeSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { objectId } from './object-id.js';

/**
 * Writes git's index for files just written to a new work tree, as `git reset` would after the
 * commit that holds them: version 2, one stage-0 entry per file with its id and the stat data
 * the file has now, sorted as git sorts them. Generate writes each file once and then this, where
 * `git reset --hard` was a further git process that wrote every file again.
 */

/** A blob's id: SHA-1 of "blob <size>\0" and the bytes, as git computes it. */
export function blobId(data: Uint8Array): string {
  return objectId('blob', data);
}

export interface IndexFile {
  path: string;
  /** The blob id of the bytes written. */
  id: string;
  executable?: boolean;
}

const compareBytes = (a: Buffer, b: Buffer) => Buffer.compare(a, b);

/**
 * The index of `gitDir` for `files` under `root`, written through index.lock as git does (a lock
 * held by another git is an error, and nothing is replaced). Every file must be a regular file.
 */
export function writeIndex(gitDir: string, root: string, files: readonly IndexFile[]): void {
  const entries = files.map((f) => ({ ...f, name: Buffer.from(f.path, 'utf8') })).sort((a, b) => compareBytes(a.name, b.name));
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries.length, 8);
  parts.push(header);
  for (const e of entries) {
    const st = lstatSync(path.join(root, e.path), { bigint: true });
    if (!st.isFile()) throw new Error(`${e.path}: not a regular file; the index was not written`);
    // 62 bytes of fixed fields, the name, and 1 to 8 NULs to a multiple of 8.
    const size = (62 + e.name.length + 8) & ~7;
    const b = Buffer.alloc(size);
    const u32 = (v: bigint) => Number(v & 0xffffffffn);
    b.writeUInt32BE(u32(st.ctimeNs / 1_000_000_000n), 0);
    b.writeUInt32BE(Number(st.ctimeNs % 1_000_000_000n), 4);
    b.writeUInt32BE(u32(st.mtimeNs / 1_000_000_000n), 8);
    b.writeUInt32BE(Number(st.mtimeNs % 1_000_000_000n), 12);
    b.writeUInt32BE(u32(st.dev), 16);
    b.writeUInt32BE(u32(st.ino), 20);
    b.writeUInt32BE(e.executable ? 0o100755 : 0o100644, 24);
    b.writeUInt32BE(u32(st.uid), 28);
    b.writeUInt32BE(u32(st.gid), 32);
    b.writeUInt32BE(u32(st.size), 36);
    b.write(e.id, 40, 'hex');
    b.writeUInt16BE(Math.min(e.name.length, 0xfff), 60);
    e.name.copy(b, 62);
    parts.push(b);
  }
  const body = Buffer.concat(parts);
  const data = Buffer.concat([body, createHash('sha1').update(body).digest()]);
  const lock = path.join(gitDir, 'index.lock');
  const fd = openSync(lock, 'wx', 0o644);
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
  } catch (e) {
    closeSync(fd);
    rmSync(lock, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(lock, path.join(gitDir, 'index'));
}

import { createHash, hash } from 'node:crypto';

/**
 * A git object's id: the hash of "<type> <size>\0" and the body (SHA-1, or SHA-256 in such
 * repositories). A small body is hashed in one call of node's one-shot hash (no Hash object: a
 * sync hashes a hundred files, each call run cold); a big one is streamed, so that it is never
 * copied to put the header before it.
 *
 * A big blob's id is remembered for the bytes object it was computed from (by identity, not by
 * content): a sync merging a big file hashes each side once where it hashed it two or three
 * times (ours to prove the work tree clean, then for the conflict's stage; theirs to check the
 * template cache, then for the pristine commit). File contents are never changed in place
 * here once read or made; a buffer that were written to after it was hashed would need
 * `forgetId`.
 */
const ONE_SHOT_MAX = 1 << 20;

/** Blobs this big have their ids remembered (a small one costs less to hash than to look up). */
const REMEMBER_MIN = 64 << 10;
const remembered = new WeakMap<Uint8Array, { sha1?: string; sha256?: string }>();

export function objectId(type: string, body: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  const remember = type === 'blob' && body.length >= REMEMBER_MIN;
  const known = remember ? remembered.get(body) : undefined;
  const had = known?.[algorithm];
  if (had !== undefined) return had;
  const id = computeId(type, body, algorithm);
  if (remember) remembered.set(body, { ...known, [algorithm]: id });
  return id;
}

/** Forgets a remembered id: for a buffer whose bytes are about to change. */
export function forgetId(body: Uint8Array): void {
  remembered.delete(body);
}

/**
 * Where header and body are put together for the one-shot hash: one buffer kept for the process
 * and grown as needed (to ONE_SHOT_MAX at most), not a new one for every object: a sync hashes a
 * hundred files, and each new buffer is memory to fault in and collect. The hash is synchronous
 * and keeps nothing of its input, so the next call may write over it.
 */
let scratch: Buffer | undefined;

function computeId(type: string, body: Uint8Array, algorithm: 'sha1' | 'sha256'): string {
  const header = `${type} ${body.length}\0`;
  if (body.length <= ONE_SHOT_MAX && typeof hash === 'function') {
    const need = header.length + body.length;
    if (!scratch || scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, Math.min(2 * (scratch?.length ?? 2048), ONE_SHOT_MAX + 64)));
    scratch.write(header, 0, 'latin1');
    scratch.set(body, header.length);
    return hash(algorithm, scratch.subarray(0, need), 'hex');
  }
  return createHash(algorithm).update(header).update(body).digest('hex');
}

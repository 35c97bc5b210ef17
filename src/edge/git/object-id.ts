import { createHash, hash } from 'node:crypto';

/**
 * A git object's id: the hash of "<type> <size>\0" and the body (SHA-1, or SHA-256 in such
 * repositories). A small body is hashed in one call of node's one-shot hash (no Hash object: a
 * sync hashes a hundred files, each call run cold); a big one is streamed, so that it is never
 * copied to put the header before it.
 */
const ONE_SHOT_MAX = 1 << 20;

export function objectId(type: string, body: Uint8Array, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  const header = `${type} ${body.length}\0`;
  if (body.length <= ONE_SHOT_MAX && typeof hash === 'function') {
    const whole = Buffer.allocUnsafe(header.length + body.length);
    whole.write(header, 0, 'latin1');
    whole.set(body, header.length);
    return hash(algorithm, whole, 'hex');
  }
  return createHash(algorithm).update(header).update(body).digest('hex');
}

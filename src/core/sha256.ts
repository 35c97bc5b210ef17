import { createHash, hash } from 'node:crypto';

/**
 * SHA-256 as hex, in one call of node's one-shot hash where there is one (node 20.12 on): each
 * createHash object costs more than hashing a short text, and a sync hashes every file cold.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return hashHex('sha256', data);
}

/** The same for either hash git uses (an index's or a pack's checksum). */
export function hashHex(algorithm: 'sha1' | 'sha256', data: string | Uint8Array): string {
  return digestOf(algorithm, data, 'hex');
}

/** The digest as hex, or as a latin1 string of its bytes ('binary': a tree object's raw ids). */
export function digestOf(algorithm: 'sha1' | 'sha256', data: string | Uint8Array, encoding: 'hex' | 'binary'): string {
  return typeof hash === 'function' ? hash(algorithm, data, encoding) : createHash(algorithm).update(data).digest(encoding);
}

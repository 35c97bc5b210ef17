import { createHash, hash } from 'node:crypto';

/**
 * SHA-256 as hex, in one call of node's one-shot hash where there is one (node 20.12 on): each
 * createHash object costs more than hashing a short text, and a sync hashes every file cold.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return typeof hash === 'function' ? hash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

import { rememberContentHash } from '../core/manifest.js';

/**
 * The manifest's hash (SHA-256) of a big file computed on node's thread pool (WebCrypto's digest)
 * while the main thread does other work: a sync hashes its new render for the manifest only once
 * the merge is done, and a 3 MB file costs the main thread ~5 ms of SHA-256. Once `hashesReady`
 * has been awaited, hashContent gives the result instead of hashing again. The bytes must not
 * change after this call (file contents never are, here); a digest that fails is left to
 * hashContent.
 */
const AHEAD_MIN = 256 << 10;
const pending = new WeakMap<Uint8Array, Promise<void>>();

export function contentHashAhead(data: Uint8Array): void {
  if (data.length < AHEAD_MIN || pending.has(data)) return;
  pending.set(
    data,
    globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>).then(
      (digest) => rememberContentHash(data, Buffer.from(digest).toString('hex')),
      () => undefined,
    ),
  );
}

/** Waits for the hashes started ahead for any of `datas`. */
export async function hashesReady(datas: Iterable<Uint8Array>): Promise<void> {
  const waiting: Promise<void>[] = [];
  for (const d of datas) {
    const p = pending.get(d);
    if (p) waiting.push(p);
  }
  await Promise.all(waiting);
}

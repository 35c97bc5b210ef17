import { isUtf8 } from 'node:buffer';

const SNIFF_BYTES = 8000;


/**
 * Whether content must be handled as opaque bytes rather than merged as text.
 * A NUL byte in the first 8000 bytes is git's heuristic; invalid UTF-8 counts
 * too, because a string merge would decode it lossily and corrupt the file.
 */
export function isBinary(data: Uint8Array): boolean {
  if (data.subarray(0, SNIFF_BYTES).includes(0)) return true;
  // Validated without decoding (what a fatal TextDecoder accepts, several times faster): a merge
  // of a big file tests each of its three versions before decoding them.
  return !isUtf8(data);
}

const SNIFF_BYTES = 8000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether content must be handled as opaque bytes rather than merged as text.
 * A NUL byte in the first 8000 bytes is git's heuristic; invalid UTF-8 counts
 * too, because a string merge would decode it lossily and corrupt the file.
 */
export function isBinary(data: Uint8Array): boolean {
  if (data.subarray(0, SNIFF_BYTES).includes(0)) return true;
  try {
    utf8.decode(data);
    return false;
  } catch {
    return true;
  }
}

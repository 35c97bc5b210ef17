/**
 * The built-in template's name and version for `fleet`, which compares each project's version
 * with the newest and needs nothing else of the template: read from the head of the pack the
 * build wrote (dist/builtin.pack: a 4-byte header length, then the header, which starts
 * `{"spec":{"name":...,"version":...`; see template-pack.ts), not by loading its files and
 * parse trees. Undefined when the pack is absent (running from src/) or starts otherwise: the
 * caller loads the template as sync would.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLE = fileURLToPath(new URL('./builtin.pack', import.meta.url));
const STRING = '"((?:[^"\\\\\\x00-\\x1f]|\\\\.)*)"';
const HEAD = new RegExp(`^\\{"spec":\\{"name":${STRING},"version":${STRING}[,}]`);

export function builtinVersion(file = BUNDLE): { name: string; version: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n < 4) return undefined;
    const headerLength = buf.readUInt32BE(0);
    const m = HEAD.exec(buf.subarray(4, Math.min(n, 4 + headerLength)).toString('utf8'));
    if (!m) return undefined;
    const name = JSON.parse(`"${m[1]}"`) as string;
    const version = JSON.parse(`"${m[2]}"`) as string;
    return name && version ? { name, version } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

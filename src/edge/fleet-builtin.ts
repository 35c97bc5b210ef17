/**
 * The built-in template's name and version for `fleet`, which compares each project's version
 * with the newest and needs nothing else of the template: read from the head of the bundle the
 * build wrote (dist/builtin.json starts `{"spec":{"name":...,"version":...`), not by loading its
 * files and parse trees. Undefined when the bundle is absent (running from src/) or starts
 * otherwise: the caller loads the template as sync would.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLE = fileURLToPath(new URL('./builtin.json', import.meta.url));
const STRING = '"((?:[^"\\\\\\x00-\\x1f]|\\\\.)*)"';
const HEAD = new RegExp(`^\\{"spec":\\{"name":${STRING},"version":${STRING}[,}]`);

export function builtinVersion(file = BUNDLE): { name: string; version: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const m = HEAD.exec(buf.subarray(0, n).toString('utf8'));
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

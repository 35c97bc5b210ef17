/**
 * The sealed index files kept beside the template cache (parity-index.ts, marker-index.ts):
 * `<sha256 of the body>\n<JSON body>`, mode 0600 in a private folder, written through a temp
 * file and a rename. A file whose seal does not match its body, or that is not private to the
 * user, is never trusted: the caller reads the project instead.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { private_ } from './template-cache.js';

/** How many indexes a folder keeps: the most recently written. */
const KEEP = 1000;

/** The body of the sealed file, parsed; undefined when absent, not private, or its seal does not match. */
export function readSealed(dir: string, file: string): unknown {
  try {
    if (!private_(dir) || !private_(file)) return undefined;
    const raw = readFileSync(file, 'utf8');
    const nl = raw.indexOf('\n');
    const body = raw.slice(nl + 1);
    if (nl !== 64 || createHash('sha256').update(body).digest('hex') !== raw.slice(0, 64)) return undefined;
    return JSON.parse(body) as unknown;
  } catch {
    return undefined; // none, or one not to trust
  }
}

/**
 * Writes `value` sealed into `file` in `dir` (made private if new); `fresh` (the file was not
 * there before) prunes the folder to its KEEP newest. A failure writes nothing: it only costs
 * the next run a read.
 */
export function writeSealed(dir: string, file: string, value: unknown, fresh: boolean): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!private_(dir)) return;
    const body = JSON.stringify(value);
    writeFileSync(tmp, `${createHash('sha256').update(body).digest('hex')}\n${body}`, { mode: 0o600 });
    renameSync(tmp, file);
    if (fresh) prune(dir);
  } catch {
    rmSync(tmp, { force: true });
  }
}

function prune(dir: string): void {
  const names = readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
  if (names.length <= KEEP) return;
  const mtime = (f: string) => {
    try {
      return lstatSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    } catch {
      return 0;
    }
  };
  const aged = names.map((f) => ({ f, t: mtime(f) })).sort((a, b) => b.t - a.t);
  for (const { f } of aged.slice(KEEP)) rmSync(path.join(dir, f), { force: true });
}

/**
 * Which of a project's template-managed files `fleet` has read and found without conflict
 * markers, kept in the user's cache folder so that the next `fleet` looks at each such file
 * (one lstat) instead of reading it through the project session.
 *
 * An entry answers "no markers" only while the file's stamp (device, inode, size, change and
 * modification times) is the one recorded when it was read: writing to the file changes its
 * change time, which no one can set back, and replacing it changes the inode. The stamp is taken
 * before the read and recorded only when it was at least MARGIN_MS old (an edit in the same
 * tick of the file system's clock cannot hide behind it). A file with markers, or any doubt, is
 * read as before. The index is a private file of this user, keyed by the project's real path and
 * this package's version (as ./parity-index.ts); a damaged or foreign one is ignored.
 */
import { createHash } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../core/version.js';
import { MARGIN_MS } from './parity-index.js';
import { readSealed, writeSealed } from './sealed-index.js';
import { templateCacheDir } from './template-cache.js';

const FORMAT = 1;

type Stamp = [dev: number, ino: number, size: number, mtime: number, ctime: number];

export function markerIndexDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const templates = templateCacheDir(env);
  return templates && path.join(path.dirname(templates), 'markers');
}

export class MarkerIndex {
  private clean: Record<string, Stamp> = Object.create(null) as Record<string, Stamp>;
  private readonly next: Record<string, Stamp> = Object.create(null) as Record<string, Stamp>;
  private changed = false;
  private had = false;
  private readonly file?: string;
  private readonly key?: string;

  constructor(
    private readonly root: string,
    private readonly dir: string | null = markerIndexDir() ?? null,
    private readonly now = Date.now(),
  ) {
    if (!dir) return;
    this.key = createHash('sha256').update(`${FORMAT}\0${VERSION}\0${root}`).digest('hex');
    this.file = path.join(dir, `${this.key}.json`);
    const loaded = this.load();
    this.had = loaded !== undefined;
    if (loaded) this.clean = loaded;
  }

  /** The file's stamp now (undefined: not a regular file, or none), to pass to `known` and `learnt`. */
  stamp(rel: string): Stamp | undefined {
    if (!this.file) return undefined;
    let st: Stats | undefined;
    try {
      st = lstatSync(path.join(this.root, rel), { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    return st?.isFile() ? [st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs] : undefined;
  }

  /** Whether the file was read with this very stamp and had no markers. */
  knownClean(rel: string, stamp: Stamp | undefined): boolean {
    const old = this.clean[rel];
    const yes = !!stamp && Array.isArray(old) && old.length === 5 && old.every((x, i) => x === stamp[i]);
    if (yes) this.next[rel] = stamp!;
    return yes;
  }

  /** Records a file read (at `stamp`, taken before the read) and found without markers. */
  learntClean(rel: string, stamp: Stamp | undefined): void {
    if (!stamp || stamp[3] >= this.now - MARGIN_MS || stamp[4] >= this.now - MARGIN_MS) return;
    this.next[rel] = stamp;
    this.changed = true;
  }

  /** Writes what this run found (only the files still clean); a failure costs the next run a read. */
  save(): void {
    if (!this.file || !this.dir) return;
    if (!this.changed && Object.keys(this.next).length === Object.keys(this.clean).length) return;
    writeSealed(this.dir, this.file, { format: FORMAT, key: this.key, root: this.root, clean: this.next }, !this.had);
  }

  private load(): Record<string, Stamp> | undefined {
    const index = readSealed(this.dir!, this.file!) as { format: number; key: string; root: string; clean: Record<string, Stamp> } | undefined;
    if (!index || index.format !== FORMAT || index.key !== this.key || index.root !== this.root || typeof index.clean !== 'object' || index.clean === null) return undefined;
    return Object.assign(Object.create(null) as Record<string, Stamp>, index.clean);
  }
}

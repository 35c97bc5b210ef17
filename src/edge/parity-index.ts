/**
 * The parity reports as the views read them (`status`, `fleet`, `jobs`): per job folder, the
 * newest report dates and the verdicts the gate needs, with an index in the user's cache folder
 * so that a project with a year of daily reports per job costs a look at each folder and at the
 * few reports the streak stands on, not a listing of every folder and a read of every report.
 *
 * The index never decides a verdict on its own. A folder's listing is taken from it only while
 * the folder's own stamp (device, inode, change and modification times) is the one recorded, and
 * adding, deleting or renaming a report changes that stamp. A report's verdict is taken from it
 * only while the report's stamp (inode, size, change and modification times) is the one recorded:
 * an edit in place, by hand or by a tool, changes the change time, which no one can set back. A
 * stamp is recorded only when it was at least MARGIN_MS old when read, so an edit in the same
 * tick of the file system's clock cannot hide behind it (git's "racy" case). Anything else is
 * read from the project, through the read-only session's rules.
 *
 * The index is a private file of this user (as ./jobs-cache.ts), keyed by the project's real path
 * and this package's version; a damaged or foreign one is ignored and written again.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ProjectError } from '../core/errors.js';
import { parityStreak, reportDates, verdictOf, type Streak, type Verdict } from '../core/jobs/gate.js';
import type { Job } from '../core/jobs/schema.js';
import { VERSION } from '../core/version.js';
import { requireSafePath } from './project/guard.js';
import type { ProjectFiles } from './project/reader.js';
import { readSealed, writeSealed } from './sealed-index.js';
import { templateCacheDir } from './template-cache.js';

const FORMAT = 1;
/** A stamp younger than this when read is not recorded (coarse file-system clocks, 1-2 s on some). */
export const MARGIN_MS = 3000;
/** A parity report larger than this is not read for its verdict (it counts as unreadable). */
const REPORT_BYTES = 64 * 1024 * 1024;
/** Only names of this shape are reports or their summaries: digits and dashes, nothing to check further. */
const REPORT_FILE = /^\d{4}-\d{2}-\d{2}\.(?:json|md)$/;

export const reportDir = (id: string) => `reports/parity/${id}/`;

export function parityIndexDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const templates = templateCacheDir(env);
  return templates && path.join(path.dirname(templates), 'parity');
}

export interface JobEvidence {
  streak: Streak;
  /** The newest human summary (.md) or report (.json), for a link. */
  latest?: string;
}

type DirStamp = [dev: number, ino: number, mtime: number, ctime: number];
type FileStamp = [ino: number, size: number, mtime: number, ctime: number, verdict: 'g' | 'r' | 'i'];

interface FolderEntry {
  dir: DirStamp;
  /** How many report dates the folder holds. */
  count: number;
  /** The newest dates, newest first: as many as the streak used (and one more). */
  dates: string[];
  /** Whether the newest date has its .md summary. */
  md: boolean;
  /** Verdicts of the reports read, by date, with the stamp they were read at. */
  v: Record<string, FileStamp>;
}

interface Listing {
  dates: string[];
  count: number;
  md: boolean;
  /** Set when the listing came from the project (a stamp to record, unless too young). */
  stamp?: DirStamp;
  entry?: FolderEntry;
}

const VERDICT_CODE = { green: 'g', red: 'r', invalid: 'i' } as const;
const CODE_VERDICT = { g: 'green', r: 'red', i: 'invalid' } as const;

/** How many folder looks, listings and report reads a view made (for tests and the bench). */
export interface ParityCounts {
  listed: number;
  read: number;
  fromIndex: number;
}

export class ParityReports {
  private entries: Record<string, FolderEntry> = Object.create(null) as Record<string, FolderEntry>;
  private changed = false;
  /** Whether this project had an index (a new one may push the oldest out). */
  private had = false;
  private readonly file?: string;
  private readonly key?: string;
  /** Whether reports/ and reports/parity are plain folders (undefined: not looked at yet). */
  private parents?: boolean;
  readonly counts: ParityCounts = { listed: 0, read: 0, fromIndex: 0 };
  /**
   * Told of every report whose verdict this view took, with the report's own lstat made before
   * its verdict was taken (undefined: none was made, as without an index): what fleet's summary
   * of the project stands on (./jobs-fleet.ts).
   */
  onVerdict?: (id: string, date: string, st: Stats | null | undefined) => void;

  constructor(
    private readonly files: ProjectFiles,
    /** Where the index is kept; null: none (every folder listed, every report read). */
    private readonly dir: string | null,
    /** The wall clock, for the margin (never a view's "today"). */
    private readonly now = Date.now(),
  ) {
    if (!files.root || !dir) return;
    this.key = createHash('sha256').update(`${FORMAT}\0${VERSION}\0${files.root}`).digest('hex');
    this.file = path.join(dir, `${this.key}.json`);
    const loaded = this.load();
    this.had = loaded !== undefined;
    this.entries = loaded ?? this.entries;
  }

  /** The streak of a job in parallel: the folder looked at once, reports read only until the streak is decided. */
  evidence(job: Job, holidays: readonly string[]): JobEvidence {
    const dir = reportDir(job.id);
    let listing = this.listing(job.id);
    const read = (d: string) => this.verdict(job.id, d, listing.entry);
    let streak = parityStreak(listing.dates, read, holidays, job.parity.criterion_days, dir);
    if (streak.used >= listing.dates.length && listing.dates.length < listing.count) {
      // The kept dates ran out before the streak was decided (a report made green again, a longer criterion): list the folder.
      listing = this.listing(job.id, true);
      streak = parityStreak(listing.dates, read, holidays, job.parity.criterion_days, dir);
    }
    this.keep(job.id, listing, streak.used + 1);
    return { streak, latest: this.latestOf(dir, listing) };
  }

  /** The newest report of a job, from the folder's listing alone. */
  latest(id: string): string | undefined {
    const listing = this.listing(id);
    this.keep(id, listing, 1);
    return this.latestOf(reportDir(id), listing);
  }

  /** Writes the index when this view learnt something; a failure only costs the next view a listing. */
  save(): void {
    if (!this.changed || !this.file || !this.dir) return;
    writeSealed(this.dir, this.file, { format: FORMAT, key: this.key, root: this.files.root, jobs: this.entries }, !this.had);
  }

  private latestOf(dir: string, l: Listing): string | undefined {
    const newest = l.dates[0];
    return newest ? `${dir}${newest}${l.md ? '.md' : '.json'}` : undefined;
  }

  private load(): Record<string, FolderEntry> | undefined {
    const index = readSealed(this.dir!, this.file!) as { format: number; key: string; root: string; jobs: Record<string, FolderEntry> } | undefined;
    if (!index || index.format !== FORMAT || index.key !== this.key || index.root !== this.files.root || typeof index.jobs !== 'object' || index.jobs === null) return undefined;
    return Object.assign(Object.create(null) as Record<string, FolderEntry>, index.jobs);
  }

  /** Whether reports/ and reports/parity/ are folders (not links) under the root: looked at once per view. */
  private parentsOk(): boolean {
    if (this.parents === undefined) {
      const a = lstatOrNone(path.join(this.files.root!, 'reports'));
      const b = a?.isDirectory() ? lstatOrNone(path.join(this.files.root!, 'reports', 'parity')) : undefined;
      this.parents = !!b?.isDirectory();
    }
    return this.parents;
  }

  /** A job folder's newest dates: from the index while the folder is as recorded, else listed. */
  private listing(id: string, full = false): Listing {
    const dir = reportDir(id).slice(0, -1);
    if (!this.files.root || !this.parentsOk()) {
      // Files that are no folder's, or an odd folder on the way (which the session's own listing refuses or skips).
      this.counts.listed++;
      const names = this.files.listFiles(dir, 'parity').map((p) => p.slice(dir.length + 1));
      return this.fromNames(names);
    }
    requireSafePath(dir, 'parity');
    const full_ = path.join(this.files.root!, dir);
    const st = lstatOrNone(full_);
    if (!st?.isDirectory()) {
      if (st?.isSymbolicLink()) this.files.listFiles(dir, 'parity'); // the session's words for it
      return { dates: [], count: 0, md: false };
    }
    const stamp: DirStamp = [st.dev, st.ino, st.mtimeMs, st.ctimeMs];
    const entry = this.entries[id];
    if (!full && this.file && entry && sameStamp(entry.dir, stamp) && Array.isArray(entry.dates)) {
      this.counts.fromIndex++;
      return { dates: entry.dates, count: entry.count, md: entry.md, entry };
    }
    this.counts.listed++;
    const names: string[] = [];
    for (const e of readdirSync(full_, { withFileTypes: true })) if (REPORT_FILE.test(e.name) && e.isFile()) names.push(e.name);
    const l = this.fromNames(names);
    // The verdicts recorded stay good for the files still there: each is checked by its own stamp.
    return { ...l, stamp, entry: entry && typeof entry.v === 'object' ? entry : undefined };
  }

  private fromNames(names: readonly string[]): Listing {
    const dates = reportDates(names);
    const newest = dates[0];
    return { dates, count: dates.length, md: newest !== undefined && names.includes(`${newest}.md`) };
  }

  /** A report's verdict: the recorded one while the report's stamp is unchanged, else read. */
  private verdict(id: string, date: string, entry: FolderEntry | undefined): Verdict {
    const rel = `${reportDir(id)}${date}.json`;
    let st: Stats | undefined;
    if (this.file && this.parents) {
      // rel passed the path rule (an id of jobs.yaml's slug and a date): joined as it is.
      st = lstatOrNone(`${this.files.root!}/${rel}`);
      this.onVerdict?.(id, date, st ?? null);
      const known = entry?.v?.[date];
      const code = known?.[4];
      if (st?.isFile() && known && known[0] === st.ino && known[1] === st.size && known[2] === st.mtimeMs && known[3] === st.ctimeMs && (code === 'g' || code === 'r' || code === 'i')) {
        this.counts.fromIndex++;
        return CODE_VERDICT[code];
      }
    } else this.onVerdict?.(id, date, undefined);
    this.counts.read++;
    let v: Verdict;
    try {
      const data = this.files.read(rel, 'parity', { maxBytes: REPORT_BYTES });
      v = data ? verdictOf(new TextDecoder().decode(data), id, date) : 'invalid';
    } catch (e) {
      if (!(e instanceof ProjectError && e.kind === 'too-large')) throw e;
      v = 'invalid';
    }
    if (st?.isFile() && st.ctimeMs < this.now - MARGIN_MS && st.mtimeMs < this.now - MARGIN_MS) {
      this.pending.set(`${id}\0${date}`, [st.ino, st.size, st.mtimeMs, st.ctimeMs, VERDICT_CODE[v]]);
    }
    return v;
  }

  /** Verdicts read in this view, waiting for their folder's entry. */
  private readonly pending = new Map<string, FileStamp>();

  /** Records what this view learnt about a folder: its newest `keep` dates and the verdicts among them. */
  private keep(id: string, l: Listing, keep: number): void {
    if (!this.file) return;
    const old = this.entries[id];
    const fresh = l.stamp !== undefined;
    // A listing through the session (no index for this folder): nothing to record.
    if (!fresh && !l.entry) return;
    if (fresh && (l.stamp![2] >= this.now - MARGIN_MS || l.stamp![3] >= this.now - MARGIN_MS)) {
      // A folder changed moments ago: nothing recorded for it (the next view lists it again).
      if (old) {
        delete this.entries[id];
        this.changed = true;
      }
      return;
    }
    const dates = l.dates.slice(0, Math.max(keep, 1));
    let learnt = fresh || !old || old !== l.entry || dates.length !== l.entry.dates.length;
    // Nothing read in this view and the entry as it was (a view through a warm index): nothing to record.
    if (!learnt && this.pending.size === 0) return;
    const v: Record<string, FileStamp> = {};
    for (const d of dates) {
      const read = this.pending.get(`${id}\0${d}`);
      if (read) learnt = true;
      const got = read ?? l.entry?.v?.[d];
      if (got) v[d] = got;
    }
    if (!learnt) return;
    this.entries[id] = { dir: fresh ? l.stamp! : l.entry!.dir, count: l.count, dates, md: l.md, v };
    this.changed = true;
  }
}

function lstatOrNone(p: string): Stats | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

const sameStamp = (a: unknown, b: DirStamp) => Array.isArray(a) && a.length === 4 && a.every((x, i) => x === b[i]);

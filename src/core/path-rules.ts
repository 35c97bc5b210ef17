/**
 * The one rule for every path a command reads, writes, renames or deletes inside a project,
 * whoever named it: a template, a manifest, a journal, a base commit. Pure: it looks only at the
 * string. What is on disk (symlinks on the way) is checked by ./guard.ts with these results.
 */

/** The tool's own files in a project: no template or manifest entry may name them. */
export const MANIFEST_FILE = '.migration-template.json';
export const LOCAL_JOURNAL = '.migration-template.journal';
export const LOCAL_LOCK = '.migration-template.lock';
/** The project's own list of paths sync leaves alone (the team writes it; no template may). */
export const IGNORE_FILE = '.migration-template.ignore';
/** Every name the tool keeps for itself starts with this (lock pid files among them). */
const RESERVED_PREFIX = '.migration-template.';
/** Temp files live beside their target under this suffix until they are renamed into place. */
export const TEMP_SUFFIX = '.cm-tmp';

/** Byte limits that every common file system (ext4, APFS, NTFS) takes. */
export const LIMITS = { segmentBytes: 255, pathBytes: 1024 };

export type PathProblemKind = 'empty' | 'character' | 'absolute' | 'parent' | 'segment' | 'git' | 'reserved' | 'length';

export interface PathProblem {
  kind: PathProblemKind;
  /** Finishes "path X …": written for a person. */
  reason: string;
}

// Code points HFS+ ignores in names, so ".g\u200cit" is ".git" there (git refuses them too).
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8 = new TextEncoder();

/**
 * Whether a path segment is, on some file system git runs on, the `.git` folder: any letter
 * case (macOS and Windows disks fold case), HFS+'s ignored code points, NTFS's trailing dots and
 * spaces, an NTFS stream suffix (`.git::$INDEX_ALLOCATION`) and its 8.3 short name `git~1`.
 */
export function isDotGit(segment: string): boolean {
  let s = segment.replace(HFS_IGNORED, '').normalize('NFC').toLowerCase();
  const colon = s.indexOf(':');
  if (colon >= 0) s = s.slice(0, colon);
  s = s.replace(/[. ]+$/, '');
  return s === '.git' || s === 'git~1';
}

/** Whether a segment is one of the tool's own names (manifest, journal, lock, temp files). */
export function isReservedName(segment: string): boolean {
  const s = segment.toLowerCase();
  return s.startsWith(RESERVED_PREFIX) || s.endsWith(TEMP_SUFFIX);
}

export interface PathRuleOptions {
  /** The tool's own files at the root: its manifest, and the project's ignore list it reads. */
  manifest?: boolean;
}

/**
 * Segments of ASCII letters, digits, `_`, `-` and `.`, none starting with a dot: no rule below can
 * refuse such a path but the lengths and the temp-file suffix, so it is answered without the rest
 * (a status over a year of reports checks tens of thousands of names).
 */
const PLAIN_PATH = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;
const TEMP_SEGMENT = new RegExp(`${TEMP_SUFFIX.replace('.', '\\.')}(?:/|$)`, 'i');

function plainAndFine(rel: string): boolean {
  if (rel.length > LIMITS.pathBytes || !PLAIN_PATH.test(rel) || TEMP_SEGMENT.test(rel)) return false;
  for (let start = 0; start <= rel.length; ) {
    let end = rel.indexOf('/', start);
    if (end < 0) end = rel.length;
    if (end - start > LIMITS.segmentBytes) return false;
    start = end + 1;
  }
  return true;
}

/** Why `rel` may not be used as a project path; undefined when it may. */
export function pathProblem(rel: string, opts: PathRuleOptions = {}): PathProblem | undefined {
  if (typeof rel === 'string' && plainAndFine(rel)) return undefined;
  return fullPathProblem(rel, opts);
}

/** pathProblem without its shortcut for plain paths (which must answer as this does: a test compares them). */
export function fullPathProblem(rel: string, opts: PathRuleOptions = {}): PathProblem | undefined {
  if (typeof rel !== 'string' || rel === '') return { kind: 'empty', reason: 'is empty' };
  if (/[\u0000-\u001f\u007f\\]/.test(rel)) return { kind: 'character', reason: 'contains a control character or a backslash' };
  if (LONE_SURROGATE.test(rel)) return { kind: 'character', reason: 'is not valid unicode (a lone surrogate)' };
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return { kind: 'absolute', reason: 'is absolute' };
  if (utf8.encode(rel).length > LIMITS.pathBytes) return { kind: 'length', reason: `is longer than ${LIMITS.pathBytes} bytes` };
  const segments = rel.split('/');
  if (segments.includes('..')) return { kind: 'parent', reason: 'leaves the project folder (..)' };
  if (segments.some((s) => s === '' || s === '.')) return { kind: 'segment', reason: 'has an empty or "." segment' };
  for (const s of segments) {
    if (isDotGit(s)) return { kind: 'git', reason: `writes inside git's own folder (segment "${s}")` };
    if (utf8.encode(s).length > LIMITS.segmentBytes) return { kind: 'length', reason: `has a name longer than ${LIMITS.segmentBytes} bytes` };
  }
  if (opts.manifest && (rel === MANIFEST_FILE || rel === IGNORE_FILE)) return undefined;
  const reserved = segments.find(isReservedName);
  if (reserved !== undefined) return { kind: 'reserved', reason: `uses "${reserved}", a name create-migration keeps for its own files` };
  return undefined;
}

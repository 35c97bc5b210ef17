import { type Dirent, closeSync, openSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { FileNote, SourceFile } from '../core/assess/scan.js';
import { readUpTo } from './fs-quiet.js';

/**
 * The one place assess touches the file system: reads the given folders, never following a link,
 * never reading more than the limits, never running anything. Problems with a file become notes;
 * only a folder argument that is wrong is an error.
 */

export interface WalkLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: WalkLimits = { maxFiles: 50_000, maxBytes: 1024 * 1024 };

const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.idea']);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

export interface WalkResult {
  sources: SourceFile[];
  notes: FileNote[];
  skipped: { binary: number; large: number; unreadable: number; links: number };
  truncated: boolean;
}

function readHead(full: string, size: number): Buffer {
  const fd = openSync(full, 'r');
  try {
    return readUpTo(fd, size);
  } finally {
    closeSync(fd);
  }
}

/** Display paths are relative to the working folder, as the user typed them. */
export function walk(roots: string[], cwd: string, limits: WalkLimits, progress?: (files: number) => void, flag = '<legacy-dir>'): WalkResult {
  const result: WalkResult = { sources: [], notes: [], skipped: { binary: 0, large: 0, unreadable: 0, links: 0 }, truncated: false };
  const checked = roots.map((r) => {
    const full = path.resolve(cwd, r);
    let st;
    try {
      st = statSync(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`${flag}: ${r} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}.`);
    }
    if (!st.isDirectory()) throw new InputError(`${flag}: ${r} is not a folder; give the folder that holds the legacy scripts and configuration.`);
    return realpathSync(full);
  });
  const note = (file: string, text: string) => {
    if (result.notes.length < 1000) result.notes.push({ file, note: text });
  };
  let count = 0;
  const seen = new Set<string>();
  for (const root of checked) {
    if (seen.has(root)) continue;
    seen.add(root);
    const stack = [root];
    const rootShown = display(cwd, root);
    while (stack.length) {
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        result.skipped.unreadable++;
        note(display(cwd, dir), `folder not read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      for (const ent of entries) {
        const full = path.join(dir, ent.name);
        if (ent.isSymbolicLink()) {
          // A link may point anywhere: never followed, even inside the folder.
          result.skipped.links++;
          note(display(cwd, full), 'symbolic link, not followed');
          continue;
        }
        if (ent.isDirectory()) {
          if (!SKIP_DIRS.has(ent.name)) subdirs.push(full);
          continue;
        }
        if (!ent.isFile()) continue;
        if (count >= limits.maxFiles) {
          result.truncated = true;
          stack.length = 0;
          break;
        }
        count++;
        if (progress && count % 2000 === 0) progress(count);
        const shown = display(cwd, full);
        let buf: Buffer;
        try {
          const size = statSync(full).size;
          if (size > limits.maxBytes) {
            result.skipped.large++;
            note(shown, `larger than ${Math.round(limits.maxBytes / 1024)} KB (${Math.round(size / 1024)} KB), not read`);
            continue;
          }
          buf = readHead(full, size);
        } catch (e) {
          result.skipped.unreadable++;
          note(shown, `not readable (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
          continue;
        }
        if (buf.subarray(0, 8000).includes(0)) {
          result.skipped.binary++;
          continue;
        }
        let text: string;
        try {
          text = utf8.decode(buf);
        } catch {
          text = latin1.decode(buf);
          note(shown, 'not UTF-8: read as Latin-1');
        }
        result.sources.push({ file: shown, text, root: rootShown });
      }
      // Popped in name order: the report lists folders as `ls -R` would.
      stack.push(...subdirs.reverse());
    }
  }
  return result;
}

function display(cwd: string, full: string): string {
  const rel = path.relative(cwd, full);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

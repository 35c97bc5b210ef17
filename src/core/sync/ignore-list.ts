/**
 * The project's own list of paths sync leaves alone (cruft's `skip`, actions-template-sync's
 * `.templatesyncignore`): `.migration-template.ignore` at the project root, one glob a line,
 * `#` comments. The name is one the tool keeps for itself, so no template can ship, change or
 * remove it: the list is the team's alone. Pure: text in, globs out.
 */
import { InputError } from '../errors.js';
import { IGNORE_FILE } from '../path-rules.js';
import { matchesAny } from '../template/glob.js';

export { IGNORE_FILE };

/** A list longer than this is not a list a person keeps. */
export const IGNORE_LIMITS = { lines: 1000, lineChars: 500 };

/**
 * The globs of an ignore file. Globs are relative to the project root (`docs/**`, `**\/*.lock`,
 * `config/settings.yml`); a line ending in `/` means everything under that folder. A line that
 * could never name a project path (absolute, `..`, a backslash) is bad input naming the line.
 */
export function parseIgnoreList(text: string, file = IGNORE_FILE): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  if (lines.length > IGNORE_LIMITS.lines) throw new InputError(`${file}: has ${lines.length} lines; the limit is ${IGNORE_LIMITS.lines}.`, file);
  const globs: string[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const where = `${file}, line ${i + 1}`;
    if (line.length > IGNORE_LIMITS.lineChars) throw new InputError(`${where}: is ${line.length} characters long; the limit is ${IGNORE_LIMITS.lineChars}.`, file);
    if (/[\u0000-\u001f\u007f\\]/.test(line)) throw new InputError(`${where}: "${line}" contains a control character or a backslash; write paths with /.`, file);
    if (line.startsWith('/') && line.length > 1 && !line.startsWith('//')) {
      // "/docs" as in .gitignore: anchored at the root, which every glob here already is.
    } else if (line.startsWith('/') || /^[A-Za-z]:/.test(line)) {
      throw new InputError(`${where}: "${line}" is absolute; write a path relative to the project root.`, file);
    }
    if (line.startsWith('!')) throw new InputError(`${where}: "${line}": negation (!) is not supported; list only the paths sync leaves alone.`, file);
    const glob = line.replace(/^\//, '');
    if (glob.split('/').includes('..')) throw new InputError(`${where}: "${line}" leaves the project folder (..).`, file);
    globs.push(glob.endsWith('/') ? `${glob}**` : glob);
    // A folder named without a trailing slash covers what is in it too.
    if (!glob.endsWith('/') && !glob.endsWith('**')) globs.push(`${glob}/**`);
  }
  return globs;
}

/** Whether sync leaves this path alone because the project's ignore list names it. */
export function isIgnoredByProject(path: string, globs: readonly string[]): boolean {
  return globs.length > 0 && matchesAny(path, globs);
}

/**
 * Output paths: dotfiles ship as `dot_name` (npm drops some dotfiles from published packages) and
 * get their dot back on write. Every rendered path is checked to stay inside the project.
 */
export const DOT_PREFIX = 'dot_';

export function outputSegment(segment: string): string {
  return segment.startsWith(DOT_PREFIX) ? `.${segment.slice(DOT_PREFIX.length)}` : segment;
}

export function toOutputPath(templatePath: string): string {
  return templatePath.split('/').map(outputSegment).join('/');
}

/** Why a relative path could escape or confuse the project folder; undefined when it is safe. */
export function unsafePathReason(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (/[\u0000-\u001f\\]/.test(path)) return 'contains a control character or a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return 'leaves the project folder (..)';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  if (segments[0] === '.git') return 'writes inside .git';
  if (path.length > 1024) return 'is too long';
  return undefined;
}

import { pathProblem } from '../project/path-rules.js';

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

/** Why a rendered path could escape or confuse the project folder; undefined when it is safe. */
export function unsafePathReason(path: string): string | undefined {
  return pathProblem(path)?.reason;
}

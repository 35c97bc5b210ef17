import { percent, stateWord, type ProjectStatus } from './count.js';

/**
 * Rewrites only the progress lines of the README status table and the active task file,
 * between their markers; every other byte stays as the team wrote it.
 */

function between(text: string, begin: string, end: string, edit: (line: string) => string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start);
  if (start < 0 || stop < 0) return text;
  const head = text.slice(0, start + begin.length);
  const body = text.slice(start + begin.length, stop);
  // Split keeping each line's own ending so CRLF files stay CRLF.
  const lines = body.split(/(?<=\n)/);
  return head + lines.map((l) => {
    const eol = /\r?\n$/.exec(l)?.[0] ?? '';
    return edit(l.slice(0, l.length - eol.length)) + eol;
  }).join('') + text.slice(stop);
}

/** `| [Name](docs/phases/phase-1-x.md) | 3/10 (30%) | In progress |`: the last two cells follow the file. */
export function updateReadme(text: string, status: ProjectStatus): string {
  return between(text, '<!-- status:begin -->', '<!-- status:end -->', (line) => {
    const m = /^(\|\s*\[[^\]]*\]\(([^)]+)\)\s*\|)([^|]*)\|([^|]*)\|\s*$/.exec(line);
    if (!m) return line;
    const c = status.checklists.find((x) => x.path === m[2]);
    if (!c) return line;
    return `${m[1]} ${c.done}/${c.total} (${percent(c.done, c.total)}%) | ${stateWord(c)} |`;
  });
}

/** `- Phase 1: Name — 3/10 (30%)` and `- Overall — 40/114 (35%), 1/4 phases done`. */
export function updateTasks(text: string, status: ProjectStatus): string {
  return between(text, '<!-- progress:begin -->', '<!-- progress:end -->', (line) => {
    const phase = /^(- Phase (\d+):.*? — )\d+\/\d+ \(\d+%\)(.*)$/.exec(line);
    if (phase) {
      const c = status.phases.find((p) => p.phase === Number(phase[2]));
      return c ? `${phase[1]}${c.done}/${c.total} (${percent(c.done, c.total)}%)${phase[3]}` : line;
    }
    const overall = /^(- Overall — )\d+\/\d+ \(\d+%\), \d+\/\d+ phases done(.*)$/.exec(line);
    if (overall) {
      return `${overall[1]}${status.done}/${status.total} (${percent(status.done, status.total)}%), ${status.phasesDone}/${status.phases.length} phases done${overall[2]}`;
    }
    return line;
  });
}

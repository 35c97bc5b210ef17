/**
 * The summary after syncing many projects: the ones that need a person first (failed, then
 * conflicted), each with why, then the rest. Pure: outcomes in, rows out.
 */

export interface SummaryInput {
  name: string;
  error?: string;
  exitCode: number;
  version: string;
  behind: boolean;
  conflictPaths: string[];
}

export interface SummaryRow {
  name: string;
  version: string;
  result: string;
  why: string;
}

const RANK = { failed: 0, conflicts: 1, behind: 2, current: 3 } as const;

function rank(p: SummaryInput): number {
  if (p.error !== undefined) return RANK.failed;
  if (p.conflictPaths.length) return RANK.conflicts;
  return p.behind ? RANK.behind : RANK.current;
}

function listed(paths: string[], max = 3): string {
  return paths.length <= max ? paths.join(', ') : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;
}

/** Rows in the order a person should read them; `behindWord` is "behind", "would sync" or "synced". */
export function summaryRows(projects: SummaryInput[], behindWord: string): SummaryRow[] {
  return projects
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => {
      if (p.error !== undefined) {
        const first = p.error.split('\n')[0]!;
        return { name: p.name, version: p.version, result: `failed (exit ${p.exitCode})`, why: first.length > 120 ? `${first.slice(0, 117)}...` : first };
      }
      if (p.conflictPaths.length) {
        return { name: p.name, version: p.version, result: `${p.conflictPaths.length} conflict(s)`, why: `resolve ${listed(p.conflictPaths)}` };
      }
      return { name: p.name, version: p.version, result: p.behind ? behindWord : 'up to date', why: '' };
    });
}

/**
 * Where a project lives and what its template-update request says, for fleet's rows: the
 * repository a remote URL names (its forge, path and web page), the request's state, checks and
 * review read from the forge's answer, and what in a row needs a person first. Pure.
 */

export type Forge = 'github' | 'gitlab';

export interface RepoRef {
  forge?: Forge;
  host: string;
  /** owner/repo (GitLab: group/subgroup/project), without .git. */
  path: string;
  /** The repository's web page (https), for a link. */
  web: string;
}

/** The update request of a project, as fleet shows it; `why` says why the columns are empty. */
export interface UpdateRequest {
  state?: 'open' | 'draft' | 'merged' | 'closed';
  number?: number;
  url?: string;
  branch?: string;
  checks?: 'passing' | 'failing' | 'pending' | 'none';
  review?: 'approved' | 'changes requested' | 'review required' | 'none';
  why?: string;
}

export const UPDATE_BRANCH_PREFIX = 'template-update/';

/** The `origin` remote's URL in a git config file's text. */
export function originUrl(config: string): string | undefined {
  let inOrigin = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    else if (inOrigin) {
      const m = /^url\s*=\s*(.+)$/.exec(line);
      if (m) return m[1]!.replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * The repository a remote URL names: https (credentials dropped), ssh, or scp-like
 * (`git@host:owner/repo.git`). A local path or file:// URL names none. `hosts` says which forge
 * a host other than github.com / gitlab.* is (GitHub Enterprise, a self-managed GitLab).
 */
export function repoRef(url: string, hosts: { github?: string[]; gitlab?: string[] } = {}): RepoRef | undefined {
  let host: string;
  let p: string;
  const scp = /^[^/@\s]+@([^:/\s]+):(.+)$/.exec(url);
  if (scp) {
    host = scp[1]!;
    p = scp[2]!;
  } else {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol) || !u.hostname) return undefined;
    host = u.hostname;
    p = decodeURIComponent(u.pathname);
  }
  p = p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  const parts = p.split('/');
  if (parts.length < 2 || !parts.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) return undefined;
  host = host.toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(host)) return undefined;
  const forge: Forge | undefined =
    host === 'github.com' || hosts.github?.includes(host) ? 'github' : host.startsWith('gitlab.') || hosts.gitlab?.includes(host) ? 'gitlab' : undefined;
  if (forge === 'github' && parts.length !== 2) return { host, path: p, web: `https://${host}/${p}` };
  return { forge, host, path: p, web: `https://${host}/${p}` };
}

type GhCheck = { conclusion?: string | null; state?: string | null; status?: string | null };

/** The newest template-update pull request among `gh pr list --json …` rows (newest first). */
export function fromGithub(rows: unknown): UpdateRequest {
  if (!Array.isArray(rows)) return { why: 'gh gave an answer that is not a list' };
  const pr = rows.find((r) => typeof r?.headRefName === 'string' && r.headRefName.startsWith(UPDATE_BRANCH_PREFIX));
  if (!pr) return { why: 'no template-update pull request' };
  const state = pr.state === 'MERGED' ? 'merged' : pr.state === 'CLOSED' ? 'closed' : pr.isDraft ? 'draft' : 'open';
  const checks: GhCheck[] = Array.isArray(pr.statusCheckRollup) ? pr.statusCheckRollup : [];
  const word = (c: GhCheck) => String(c.conclusion || c.state || c.status || '').toUpperCase();
  const failing = checks.some((c) => ['FAILURE', 'ERROR', 'CANCELLED', 'TIMED_OUT', 'ACTION_REQUIRED', 'STARTUP_FAILURE'].includes(word(c)));
  const pending = checks.some((c) => ['', 'PENDING', 'QUEUED', 'IN_PROGRESS', 'EXPECTED', 'WAITING'].includes(word(c)));
  const review = pr.reviewDecision === 'APPROVED' ? 'approved' : pr.reviewDecision === 'CHANGES_REQUESTED' ? 'changes requested' : pr.reviewDecision === 'REVIEW_REQUIRED' ? 'review required' : 'none';
  return {
    state,
    number: Number.isInteger(pr.number) ? pr.number : undefined,
    url: typeof pr.url === 'string' && /^https:\/\//.test(pr.url) ? pr.url : undefined,
    branch: pr.headRefName,
    checks: !checks.length ? 'none' : failing ? 'failing' : pending ? 'pending' : 'passing',
    review,
  };
}

/** The newest template-update merge request among GitLab's list, with its pipeline and approvals when read. */
export function fromGitlab(rows: unknown, detail?: { head_pipeline?: { status?: string } | null }, approvals?: { approved?: boolean }): UpdateRequest {
  if (!Array.isArray(rows)) return { why: 'GitLab gave an answer that is not a list' };
  const mr = rows.find((r) => typeof r?.source_branch === 'string' && r.source_branch.startsWith(UPDATE_BRANCH_PREFIX));
  if (!mr) return { why: 'no template-update merge request' };
  const state = mr.state === 'merged' ? 'merged' : mr.state === 'closed' ? 'closed' : mr.draft || mr.work_in_progress ? 'draft' : 'open';
  const status = detail?.head_pipeline?.status;
  const checks = !status ? 'none' : status === 'success' ? 'passing' : ['failed', 'canceled'].includes(status) ? 'failing' : 'pending';
  const review = approvals?.approved === true ? 'approved' : mr.detailed_merge_status === 'not_approved' ? 'review required' : 'none';
  return {
    state,
    number: Number.isInteger(mr.iid) ? mr.iid : undefined,
    url: typeof mr.web_url === 'string' && /^https?:\/\//.test(mr.web_url) ? mr.web_url : undefined,
    branch: mr.source_branch,
    checks,
    review,
  };
}

/** What a row needs, most urgent first (rank 0), with the reason in words. */
export function attention(r: { error?: string; version?: string; conflicts: readonly string[]; behind: boolean; request?: UpdateRequest }): { rank: number; reason: string } {
  const req = r.request;
  const live = req?.state === 'open' || req?.state === 'draft';
  if (r.error && !r.version) return { rank: 0, reason: 'unreadable' };
  if (r.conflicts.length) return { rank: 1, reason: 'conflicts to resolve' };
  if (live && (req.checks === 'failing' || req.review === 'changes requested')) return { rank: 2, reason: req.checks === 'failing' ? 'update request: checks failing' : 'update request: changes requested' };
  if (r.error) return { rank: 2, reason: 'error' };
  if (r.behind && !live) return { rank: 3, reason: 'behind, no open update request' };
  if (live && req.state === 'open' && req.review === 'approved' && req.checks !== 'pending' && req.checks !== 'failing') return { rank: 4, reason: 'update request ready to merge' };
  if (live) return { rank: 5, reason: `update request ${req.state === 'draft' ? 'draft' : 'waiting for review or checks'}` };
  if (r.behind) return { rank: 3, reason: 'behind' };
  return { rank: 6, reason: 'current' };
}

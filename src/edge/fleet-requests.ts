/**
 * A project's template-update pull (merge) request, read from its forge for fleet: GitHub through
 * the `gh` CLI (its own login), GitLab through its API with a token from the environment
 * (GITLAB_TOKEN; GITLAB_API_URL for a self-managed instance). Never fails a row: when the request
 * cannot be read, `why` says why the columns are empty.
 */
import { spawn } from 'node:child_process';
import { fromGithub, fromGitlab, repoRef, type UpdateRequest } from '../core/fleet/forge.js';

const hostsOf = (v: string | undefined) => (v ? v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean) : []);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string; missing?: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, out, err: e.message, missing: e.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const firstLine = (s: string) => s.trim().split('\n')[0]!.slice(0, 200);

async function github(host: string, repo: string, env: NodeJS.ProcessEnv): Promise<UpdateRequest> {
  const args = ['pr', 'list', '--repo', `${host}/${repo}`, '--state', 'all', '--limit', '30', '--json', 'number,url,state,isDraft,headRefName,reviewDecision,statusCheckRollup'];
  const r = await run('gh', args, { ...env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' });
  if (r.missing) return { why: 'gh is not installed: install GitHub CLI and log in (gh auth login) to see update pull requests' };
  if (r.code !== 0) return { why: `gh: ${firstLine(r.err) || `exit ${r.code}`}` };
  try {
    return fromGithub(JSON.parse(r.out));
  } catch {
    return { why: 'gh gave an answer that is not JSON' };
  }
}

async function gitlab(host: string, project: string, env: NodeJS.ProcessEnv): Promise<UpdateRequest> {
  const token = env.GITLAB_TOKEN;
  if (!token) return { why: 'GITLAB_TOKEN is not set: give fleet a token that can read merge requests to see them' };
  const api = (env.GITLAB_API_URL || `https://${host}/api/v4`).replace(/\/+$/, '');
  const base = `${api}/projects/${encodeURIComponent(project)}/merge_requests`;
  const get = async (url: string): Promise<unknown> => {
    const res = await fetch(url, { headers: { 'PRIVATE-TOKEN': token }, signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`GitLab API: HTTP ${res.status}`);
    return res.json();
  };
  try {
    const rows = await get(`${base}?state=all&per_page=30&order_by=created_at&sort=desc`);
    const first = fromGitlab(rows);
    if (first.why || first.number === undefined) return first;
    const [detail, approvals] = await Promise.all([get(`${base}/${first.number}`), get(`${base}/${first.number}/approvals`).catch(() => undefined)]);
    return fromGitlab(rows, detail as never, approvals as never);
  } catch (e) {
    return { why: firstLine((e as Error).message) };
  }
}

/** The update request behind a remote URL (or why there is none to show). */
export async function updateRequestOf(remote: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<UpdateRequest> {
  if (!remote) return { why: 'no origin remote' };
  const ref = repoRef(remote, { github: hostsOf(env.GH_HOST), gitlab: [...hostsOf(env.GITLAB_HOST), ...(env.GITLAB_API_URL ? hostsOf(safeHost(env.GITLAB_API_URL)) : [])] });
  if (!ref) return { why: 'the origin remote is not a repository on a forge' };
  if (ref.forge === 'github') return github(ref.host, ref.path, env);
  if (ref.forge === 'gitlab') return gitlab(ref.host, ref.path, env);
  return { why: `${ref.host} is not known as GitHub or GitLab (set GH_HOST or GITLAB_HOST)` };
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

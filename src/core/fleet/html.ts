/**
 * The fleet as a self-contained page for a platform lead's screen: counts at the top, one row
 * per project with a progress bar, sortable by any column (a few lines of inline script; no
 * external resources, opens from disk). Pure: rows in, HTML out.
 */
import type { FleetRow, FleetTotals } from './row.js';
import { STATES } from '../jobs/schema.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function state(r: FleetRow): [string, string] {
  if (r.error && !r.version) return ['error', r.error.startsWith('not a create-migration project') ? 'Not a project' : 'Unreadable'];
  if (r.conflicts.length) return ['conflict', 'In conflict'];
  if (r.behind) return ['behind', 'Behind'];
  if (r.error) return ['error', 'Error'];
  return ['current', 'Current'];
}

function cell(text: string, sort: string | number = text, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''} data-sort="${esc(String(sort))}">${text}</td>`;
}

/** A link's target, as given by the flow (a project folder relative to the page, or its https URL), else its repository. */
function projectCell(r: FleetRow, href: string | undefined): string {
  const name = esc(r.project);
  // Its repository on the forge when known (a page a whole team can open), else what the flow gave.
  const target = r.repository ?? href;
  return cell(target ? `<a href="${esc(target)}">${name}</a>` : name, r.project, 'project');
}

/** The update request, linked to its page, with its checks and review; without one, why the cell is empty. */
function requestCell(r: FleetRow): string {
  const q = r.request;
  if (!q?.state) return cell(`<span class="why">${esc(q?.why ?? '-')}</span>`, '');
  const text = `${q.state}${q.number !== undefined ? ` #${q.number}` : ''}`;
  const link = q.url ? `<a href="${esc(q.url)}">${esc(text)}</a>` : esc(text);
  const more = [q.checks ? `checks: ${esc(q.checks)}` : '', q.review ? `review: ${esc(q.review)}` : ''].filter(Boolean).join('<br>');
  return cell(`${link}${more ? `<span class="files">${more}</span>` : ''}`, text, 'request');
}

function row(r: FleetRow, href?: string): string {
  const [cls, word] = state(r);
  const p = r.progress?.percent;
  const bar =
    p === undefined
      ? '-'
      : `<div class="bar" role="progressbar" aria-valuenow="${p}" aria-valuemin="0" aria-valuemax="100" title="${r.progress!.done}/${r.progress!.total} items"><span style="width:${p}%"></span></div> <span class="pct">${p}%</span>`;
  const conflicts = r.conflicts.length ? `<span class="n">${r.conflicts.length}</span> <span class="files">${r.conflicts.slice(0, 5).map(esc).join(', ')}${r.conflicts.length > 5 ? ', …' : ''}</span>` : '0';
  return `<tr class="${cls}">
${projectCell(r, href)}${cell(r.template ? `${esc(r.template)} <span class="ver">${esc(r.version ?? '-')}</span>` : '-', `${r.template ?? ''} ${r.version ?? ''}`, 'tpl')}${cell(esc(r.newest ?? '-'))}
${cell(`<span class="badge ${cls}">${word}</span>`, word)}${cell(conflicts, r.conflicts.length, 'num')}
${cell(bar, p ?? -1)}${cell(r.progress ? `${r.progress.phasesDone}/${r.progress.phases}` : '-', r.progress?.phasesDone ?? -1, 'num')}
${cell(jobsCell(r), r.jobs?.total ? r.jobs.green / r.jobs.total : -1, 'jobs')}
${cell(esc(r.targetDate ?? '-'))}${cell(r.daysLeft === undefined ? '-' : String(r.daysLeft), r.daysLeft ?? 1e9, `num${r.daysLeft !== undefined && r.daysLeft < 0 ? ' late' : ''}`)}
${cell(esc(r.lastSync?.slice(0, 10) ?? '-'))}${requestCell(r)}
${cell(esc(r.attention?.reason ?? ''), r.attention?.rank ?? 6, 'num')}${cell(esc(r.error ?? ''), r.error ?? '', 'err')}
</tr>`;
}

/** Clicking a header sorts by it (again: the other way); numbers sort as numbers. */
const SORT_SCRIPT = `
document.querySelectorAll('th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () {
    var col = +th.dataset.col, body = document.querySelector('tbody');
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    document.querySelectorAll('th[data-col]').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = !isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y ? nx - ny : x.localeCompare(y);
      return c * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});`;

// Few enough columns to show whole at 1200 px: the template cell carries its version, the update
// request's cell its checks and review.
const HEADS = ['Project', 'Template', 'Newest', 'State', 'Conflicts', 'Progress', 'Phases', 'Jobs', 'Cutover', 'Days left', 'Last sync', 'Update request', 'Needs', 'Error'];

/** A project's jobs: green of total, the states they are in, and those waiting on parity. */
function jobsCell(r: FleetRow): string {
  const j = r.jobs;
  if (!j) return '-';
  if (j.error) return `<span class="err">${esc(j.error)}</span>`;
  if (!j.total) return '0';
  const per = STATES.filter((st) => j.counts[st]).map((st) => `${j.counts[st]} ${st.replace('_', ' ')}`).join(', ');
  const blocked = j.blockedOnParity.length ? `<span class="files">waiting on parity: ${j.blockedOnParity.slice(0, 5).map(esc).join(', ')}${j.blockedOnParity.length > 5 ? ', …' : ''}</span>` : '';
  return `<strong>${j.green}/${j.total}</strong> green <span class="files">${per}</span>${blocked}`;
}

export function fleetHtml(rows: readonly FleetRow[], t: FleetTotals, generatedAt: string, links: ReadonlyMap<string, string> = new Map()): string {
  const head = HEADS.map((h, i) => `<th scope="col" data-col="${i}" tabindex="0">${h}</th>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Migration fleet: ${t.projects} projects</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}
h1{font-size:1.5rem;margin:0 0 .2rem}.meta{color:#57606a;margin:0 0 1rem}
.counts{display:flex;flex-wrap:wrap;gap:.75rem 1rem;margin:0 0 1.2rem;padding:0;list-style:none}
.counts li{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;min-width:7rem}
.counts strong{display:block;font-size:1.8rem;line-height:1.1}
.counts .behind strong{color:#9a6700}.counts .conflict strong{color:#cf222e}.counts .error strong{color:#6e7781}.counts .current strong{color:#1a7f37}
table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:middle}
th{cursor:pointer;user-select:none;background:#f6f8fa;position:sticky;top:0}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.num{text-align:right;font-variant-numeric:tabular-nums}.late{color:#cf222e;font-weight:600}
.bar{display:inline-block;vertical-align:middle;background:#eaeef2;border-radius:4px;height:10px;width:120px;overflow:hidden}
.bar span{display:block;height:100%;background:#2da44e}.pct{font-variant-numeric:tabular-nums}
.badge{border-radius:1rem;padding:.05rem .55rem;font-size:.85em;font-weight:600;white-space:nowrap}
.badge.current{background:#dafbe1;color:#1a7f37}.badge.behind{background:#fff8c5;color:#9a6700}.badge.conflict{background:#ffebe9;color:#cf222e}.badge.error{background:#eaeef2;color:#57606a}
td{white-space:nowrap}.files{color:#57606a;font-size:.85em;white-space:normal}.jobs .files{display:block}.request .files{display:block}.tpl{white-space:normal}.ver{white-space:nowrap}.why{color:#57606a;font-size:.85em;white-space:normal}.err{color:#cf222e;min-width:10rem;max-width:22rem;white-space:normal;overflow-wrap:anywhere}.project{font-family:ui-monospace,monospace;font-size:.9em;white-space:normal;overflow-wrap:anywhere;min-width:8rem;max-width:16rem}
a,a:visited{color:inherit}
/* The table scrolls inside its own box when the window is narrower than it: no column is cut. */
.scroll{overflow-x:auto;max-width:100%;border:1px solid #d0d7de;border-radius:6px}.scroll table{margin:0}
@media (max-width:1300px){
body{margin:1rem;font-size:13px}th,td{padding:.3rem .35rem}.bar{width:56px}.err{min-width:8rem}.project{max-width:12rem}
}
@media (max-width:700px){
body{margin:1rem .6rem}h1{font-size:1.3rem}
.counts li{flex:1 1 40%;min-width:0;padding:.45rem .7rem}.counts strong{font-size:1.4rem}
th,td{padding:.3rem .4rem}.bar{width:60px}
/* The project's name stays in view while the other columns scroll past it. */
td.project{position:sticky;left:0;background:#fff;z-index:1;box-shadow:1px 0 0 #d0d7de}th:first-child{left:0;z-index:2}
}
</style></head>
<body>
<h1>Migration fleet</h1>
<p class="meta">${t.projects} projects · generated ${esc(generatedAt)}</p>
<ul class="counts">
<li class="current" id="count-current"><strong>${t.current}</strong>current</li>
<li class="behind" id="count-behind"><strong>${t.behind}</strong>behind the template</li>
<li class="conflict" id="count-conflict"><strong>${t.inConflict}</strong>in conflict</li>
<li class="error" id="count-error"><strong>${t.errors}</strong>unreadable</li>
</ul>
${t.jobs.total ? `<ul class="counts jobs" id="jobs-by-state">${STATES.map((st) => `<li><strong>${t.jobs.counts[st]}</strong>${st.replace('_', ' ')}</li>`).join('')}<li class="conflict"><strong>${t.jobs.blockedOnParity.length}</strong>waiting on parity</li></ul>` : ''}
<div class="scroll"><table><thead><tr>${head}</tr></thead>
<tbody>
${rows.map((r) => row(r, links.get(r.project))).join('\n')}
</tbody></table></div>
<script>${SORT_SCRIPT}
</script>
</body></html>
`;
}

/**
 * The jobs as evidence for the checklists and the status page: the phase-4 items about the
 * parallel run and the cutover show how many jobs got there, and the page has a table of jobs by
 * state with each one's latest parity report. Pure.
 */
import { STATES } from './schema.js';
import type { JobsSummary } from './summary.js';

const PARALLEL_ITEM = /run legacy and kailash systems in parallel/i;
const CUTOVER_ITEM = /complete cutover when validation passes/i;

const reached = (s: JobsSummary, from: (typeof STATES)[number]) => STATES.slice(STATES.indexOf(from)).reduce((n, st) => n + s.counts[st], 0);

/** The evidence of a checklist item, when it is one the jobs speak to. */
export function itemEvidence(text: string, s: JobsSummary | undefined): string | undefined {
  if (!s || !s.total) return undefined;
  if (PARALLEL_ITEM.test(text)) return `${reached(s, 'parallel')}/${s.total} jobs running in parallel or beyond; ${s.green}/${s.total} jobs green`;
  if (CUTOVER_ITEM.test(text)) return `${s.green}/${s.total} jobs green; ${reached(s, 'switched')}/${s.total} jobs switched`;
  return undefined;
}

/** The two cutover items with their evidence, for a summary line. */
export function cutoverEvidence(s: JobsSummary): { item: string; evidence: string }[] {
  return [
    { item: 'Run legacy and Kailash systems in parallel', evidence: itemEvidence('Run legacy and Kailash systems in parallel', s)! },
    { item: 'Complete cutover when validation passes', evidence: itemEvidence('Complete cutover when validation passes', s)! },
  ].filter((e) => e.evidence);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A relative link to a project file: each segment encoded, so a hostile name stays one path. */
function href(base: string, file: string): string {
  const rel = [...(base ? base.split('/') : []), ...file.split('/')].filter((x) => x !== '');
  return rel.map((x) => (x === '..' ? x : encodeURIComponent(x))).join('/');
}

/** The jobs section of the status page (its own styles; no script). */
export function jobsSectionHtml(s: JobsSummary, linkBase: string): string {
  if (!s.total) {
    return `<section id="jobs"><h2>Jobs</h2><p class="note" style="color:#57606a">No job in <a href="${esc(href(linkBase, 'jobs.yaml'))}">jobs.yaml</a> yet: <code>create-migration assess &lt;legacy-dir&gt; --write</code> adds the legacy jobs, <code>create-migration add workflow</code> one.</p></section>`;
  }
  const counts = STATES.filter((st) => s.counts[st]).map((st) => `<li class="st-${st}"><strong>${s.counts[st]}</strong> ${st.replace('_', ' ')}</li>`).join('');
  const rows = STATES.flatMap((st) => s.rows.filter((r) => r.state === st)).map((r) => {
    const p = r.parity;
    const parts: string[] = [];
    if (p?.days !== undefined) parts.push(`<span class="${p.met ? 'ok' : 'short'}">${p.days}/${p.criterion} green days</span>`);
    if (p?.last_red) parts.push(`last red <a href="${esc(href(linkBase, p.last_red))}">${esc(p.last_red.split('/').pop()!)}</a>`);
    if (p?.latest) parts.push(`<a href="${esc(href(linkBase, p.latest))}">latest report</a>`);
    const parity = parts.length ? parts.join(' · ') : '-';
    const when = `${r.schedule ? esc(r.schedule) : '-'}${r.time_zone ? ` <span class="tz">${esc(r.time_zone)}</span>` : ''}`;
    return `<tr><th scope="row"><code>${esc(r.id)}</code><span class="title">${esc(r.title)}</span></th><td data-label="State"><span class="state st-${r.state}">${r.state.replace('_', ' ')}</span></td><td data-label="Owner">${esc(r.owner || '-')}</td><td class="sched" data-label="Schedule">${when}</td><td class="num" data-label="Days in state">${r.days_in_state ?? '-'}</td><td class="parity" data-label="Parity">${parity}</td></tr>`;
  });
  const evidence = cutoverEvidence(s).map((e) => `<li>${esc(e.item)}: <strong>${esc(e.evidence)}</strong></li>`).join('');
  return `<section id="jobs">
<style>
#jobs ul.states{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.4rem 0}
#jobs ul.states li{border:1px solid #d0d7de;border-radius:6px;padding:.2rem .6rem}
#jobs .note{color:#57606a}
@media (max-width:600px){
#jobs table,#jobs tbody,#jobs tr,#jobs th,#jobs td{display:block;width:auto}#jobs thead{display:none}
#jobs tr{border-bottom:1px solid #d0d7de;padding:.35rem 0}#jobs th,#jobs td{border:0;padding:.1rem .25rem;text-align:left}
#jobs td[data-label]::before{content:attr(data-label) ": ";color:#57606a;font-family:system-ui,sans-serif}
}
#jobs th .title{display:block;font-weight:normal;font-size:.85rem;color:#57606a}
#jobs .state{border-radius:1rem;padding:.05rem .5rem;font-size:.85em;font-weight:600;white-space:nowrap;background:#eaeef2}
#jobs .st-parallel{background:#fff8c5;color:#7d4e00}#jobs .st-switched,#jobs .st-legacy_off{background:#dafbe1;color:#1a7f37}#jobs .st-decommissioned{background:#eaeef2;color:#57606a}
#jobs .sched{font-family:ui-monospace,monospace;font-size:.85rem;white-space:nowrap}#jobs .tz{color:#57606a}
#jobs .ok{color:#1a7f37;font-weight:600}#jobs .parity{font-size:.9rem}
</style>
<h2>Jobs (${s.total})</h2>
<ul class="states">${counts}</ul>
${evidence ? `<ul class="evidence">${evidence}</ul>` : ''}
<table><thead><tr><th>Job</th><th>State</th><th>Owner</th><th>Schedule</th><th class="num">Days in state</th><th>Parity</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

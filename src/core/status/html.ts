import { isDone, NEXT_ITEMS, percent, stateWord, type ProjectStatus } from './count.js';
import { overdue, phaseDue } from './due.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageInfo {
  systemName: string;
  template: string;
  /** When the page was made, as a person reads it, with its time zone. */
  generatedAt: string;
  owner?: string;
  /** The cutover target, YYYY-MM-DD, and today's date in the same form (for the days left). */
  targetDate?: string;
  today?: string;
  /** The project folder as seen from the page's folder ('' when the page is in the project). */
  linkBase?: string;
  /** The jobs section (core/jobs/evidence.ts), and the evidence the jobs give a checklist item. */
  jobs?: string;
  itemNote?: (text: string) => string | undefined;
}

const DAY = 86_400_000;

/** "120 days left", "due today", "15 days past": whole calendar days between two ISO dates. */
export function daysLeft(target: string, today: string): string | undefined {
  const t = Date.parse(`${target}T00:00:00Z`);
  const n = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(t) || Number.isNaN(n)) return undefined;
  const d = Math.round((t - n) / DAY);
  if (d === 0) return 'due today';
  const days = `${Math.abs(d)} day${Math.abs(d) === 1 ? '' : 's'}`;
  return d > 0 ? `${days} left` : `${days} past`;
}

/** A relative link to a project file: each segment encoded, so a hostile name stays one path. */
function href(base: string, file: string): string {
  const rel = [...(base ? base.split('/') : []), ...file.split('/')].filter((s) => s !== '');
  return rel.map((s) => (s === '..' ? s : encodeURIComponent(s))).join('/');
}

/** A self-contained progress page: no scripts, no external resources, opens from disk. */
export function statusHtml(status: ProjectStatus, info: PageInfo): string {
  const overall = percent(status.done, status.total);
  const gates = status.checklists.filter((c) => !status.phases.includes(c));
  const rows = status.checklists
    .map((c) => {
      const p = percent(c.done, c.total);
      const kind = c.phase !== undefined ? `Phase ${c.phase}` : status.phases.length ? 'Gate' : '';
      const due = c.phase !== undefined && info.targetDate ? phaseDue(c.phase, info.targetDate) : undefined;
      const late = due && info.today ? overdue(due, info.today, isDone(c)) : undefined;
      const dueCell = due ? `${esc(due)}${late ? `<span class="late">${late}</span>` : ''}` : '';
      return `<tr class="${isDone(c) ? 'done' : ''}"><th scope="row"><a href="${esc(href(info.linkBase ?? '', c.path))}">${esc(c.title)}</a>${kind ? `<span class="kind">${kind}</span>` : ''}</th>
<td class="progress"><div class="bar" role="progressbar" aria-valuenow="${p}" aria-valuemin="0" aria-valuemax="100"><span style="width:${p}%"></span></div></td>
<td class="num">${c.done}/${c.total}</td><td class="num pct">${p}%</td><td class="state">${stateWord(c)}</td><td class="due">${dueCell}</td></tr>`;
    })
    .join('\n');
  const current = status.current;
  const open = current
    ? `<h2>Next in <a href="${esc(href(info.linkBase ?? '', current.path))}">${esc(current.title)}</a></h2>\n<ul class="open">${current.items
        .filter((i) => !i.done)
        .slice(0, NEXT_ITEMS)
        .map((i) => {
          const note = info.itemNote?.(i.text);
          return `<li>${esc(i.text)}${note ? ` <span class="evidence">(${esc(note)})</span>` : ''}</li>`;
        })
        .join('')}</ul>`
    : '<h2>All phases done</h2>';
  const left = info.targetDate && info.today ? daysLeft(info.targetDate, info.today) : undefined;
  const meta = [
    info.owner ? `Owner <strong>${esc(info.owner)}</strong>` : '',
    info.targetDate ? `Cutover by <strong>${esc(info.targetDate)}</strong>${left ? ` <span class="${left.endsWith('past') ? 'late' : ''}">(${left})</span>` : ''}` : '',
  ].filter(Boolean);
  const gatesDone = gates.reduce((n, c) => n + c.done, 0);
  const gatesTotal = gates.reduce((n, c) => n + c.total, 0);
  // The headline counts the phases only; say so, and give the gates' own count beside it.
  const scope = status.phases.length ? `of the ${status.phases.length} phase checklists` : 'of all checklists';
  const gateNote =
    status.phases.length && gates.length
      ? `<p class="note" id="gates">Not in that count: ${gates.map((g) => esc(g.title)).join(', ')} (gates before and after the phases): ${gatesDone}/${gatesTotal} items, on their own rows below.</p>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Migration progress: ${esc(info.systemName)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem;margin-bottom:.2rem;overflow-wrap:anywhere}.meta{color:#57606a;margin:.2rem 0}
.late{color:#cf222e;font-weight:600}td.due{white-space:nowrap;font-variant-numeric:tabular-nums}td.due .late{display:block;font-size:.8rem;white-space:normal}.stamp{white-space:nowrap}
.summary{font-size:1.2rem;margin:1rem 0 .2rem}.note{color:#57606a;margin:0 0 1rem}
table{border-collapse:collapse;width:100%}th,td{padding:.4rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:middle}
a,a:visited{color:inherit}th .kind{display:block;font-weight:normal;font-size:.8rem;color:#57606a}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.progress{width:30%}
.bar{background:#eaeef2;border-radius:4px;height:12px;min-width:3rem;overflow:hidden}
.bar span{display:block;height:100%;background:#2da44e}
tr.done th,tr.done th a{color:#1a7f37}
ul.open li{margin:.2rem 0}
@media (max-width:600px){
body{margin:1rem auto;padding:0 .6rem;font-size:14px}h1{font-size:1.3rem}.summary{font-size:1.05rem}
th,td{padding:.35rem .25rem}td.progress{width:18%}.bar{min-width:1.5rem}td.state,td.due{font-size:.8rem}
/* On a phone the bar gives way to the number: the due dates and what is overdue need the room. */
td.progress,th.progress{display:none}td.due{white-space:normal;min-width:4.7rem}td.due .late{font-size:.72rem}
}
</style></head>
<body>
<h1>Migration progress: ${esc(info.systemName)}</h1>
${meta.length ? `<p class="meta" id="plan">${meta.join(' · ')}</p>\n` : ''}<p class="meta">Template ${esc(info.template)} · generated <span class="stamp">${esc(info.generatedAt)}</span></p>
<p class="summary" id="overall"><strong>${overall}%</strong> ${scope} (${status.done}/${status.total} items) · <strong>${status.phasesDone}/${status.phases.length}</strong> phases done</p>
${gateNote}
<table><thead><tr><th>Checklist</th><th class="progress">Progress</th><th class="num">Items</th><th class="num pct">%</th><th>Status</th><th>Due</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${open}
${info.jobs ?? ''}
</body></html>
`;
}

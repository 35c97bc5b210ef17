import { isDone, percent, stateWord, type ProjectStatus } from './count.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageInfo {
  systemName: string;
  template: string;
  generatedAt: string;
}

/** A self-contained progress page: no scripts, no external resources, opens from disk. */
export function statusHtml(status: ProjectStatus, info: PageInfo): string {
  const overall = percent(status.done, status.total);
  const rows = status.checklists
    .map((c) => {
      const p = percent(c.done, c.total);
      return `<tr class="${isDone(c) ? 'done' : ''}"><th scope="row">${esc(c.title)}</th>
<td><div class="bar" role="progressbar" aria-valuenow="${p}" aria-valuemin="0" aria-valuemax="100"><span style="width:${p}%"></span></div></td>
<td class="num">${c.done}/${c.total}</td><td class="num">${p}%</td><td>${stateWord(c)}</td></tr>`;
    })
    .join('\n');
  const current = status.current;
  const open = current
    ? `<h2>Next in ${esc(current.title)}</h2>\n<ul class="open">${current.items
        .filter((i) => !i.done)
        .slice(0, 10)
        .map((i) => `<li>${esc(i.text)}</li>`)
        .join('')}</ul>`
    : '<h2>All phases done</h2>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Migration progress: ${esc(info.systemName)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem;margin-bottom:.2rem}.meta{color:#57606a;margin-top:0}
.summary{font-size:1.2rem;margin:1rem 0}
table{border-collapse:collapse;width:100%}th,td{padding:.4rem .5rem;border-bottom:1px solid #d0d7de;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eaeef2;border-radius:4px;height:12px;min-width:160px;overflow:hidden}
.bar span{display:block;height:100%;background:#2da44e}
tr.done th{color:#1a7f37}
ul.open li{margin:.2rem 0}
</style></head>
<body>
<h1>Migration progress: ${esc(info.systemName)}</h1>
<p class="meta">Template ${esc(info.template)} · generated ${esc(info.generatedAt)}</p>
<p class="summary" id="overall"><strong>${overall}%</strong> overall (${status.done}/${status.total} items) · <strong>${status.phasesDone}/${status.phases.length}</strong> phases done</p>
<table><thead><tr><th>Checklist</th><th>Progress</th><th class="num">Items</th><th class="num">%</th><th>Status</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${open}
</body></html>
`;
}

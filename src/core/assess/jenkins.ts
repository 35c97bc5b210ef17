import { describeCron, MACROS, validCron } from './cron.js';
import { redact } from './redact.js';
import type { Schedule } from './types.js';

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** `triggers { cron('H 2 * * *') }` in a Jenkinsfile: each spec line a schedule, with the pipeline's first sh step as its command. */
export function jenkinsSchedules(file: string, text: string): Schedule[] {
  const sh = /\bsh\s*\(?\s*(?:script\s*:\s*)?('''|"""|'|")([\s\S]*?)\1/.exec(text);
  const command = sh ? redact(sh[2]!.split('\n').map((l) => l.trim()).filter(Boolean).join('; ')) : `(Jenkins pipeline ${file})`;
  const out: Schedule[] = [];
  for (const m of text.matchAll(/\bcron\s*\(\s*(?:spec\s*:\s*)?('''|"""|'|")([\s\S]*?)\1\s*\)/g)) {
    let tz: string | undefined;
    const base = lineAt(text, m.index! + m[0].indexOf(m[2]!));
    m[2]!.split('\n').forEach((raw, i) => {
      const spec = raw.replace(/#.*$/, '').trim();
      if (!spec) return;
      const zone = /^TZ=(\S+)$/.exec(spec);
      if (zone) {
        tz = zone[1];
        return;
      }
      const macro = spec.toLowerCase();
      let cron: string | undefined;
      if (macro in MACROS) cron = MACROS[macro];
      else if (validCron(spec.split(/\s+/), true)) cron = spec.split(/\s+/).join(' ');
      else return;
      if (!cron) return;
      // Jenkins' H spreads jobs by a hash: a scheduler without H runs at the start of its range.
      const plain = cron.split(' ').map((f) => f.replace(/^H\((\d+)-\d+\)/, '$1').replace(/^H(?=\/)/, '*').replace(/^H$/, '0')).join(' ');
      const words = `${describeCron(cron)}${macro in MACROS ? ` (${macro})` : ''}`;
      out.push({ file, line: base + i, kind: 'jenkins', expression: spec, cron: plain, ...(tz ? { timeZone: tz } : {}), command, words: tz ? `${words} (${tz})` : words });
    });
  }
  return out;
}

import { describeCron, MACROS, validCron } from './cron.js';
import { redact } from './redact.js';
import type { Schedule } from './types.js';

/**
 * The quoted argument after each match of `start` (whose group 1 is the quote), closed by the same
 * quote (and followed by `after`). The next quote is looked up once and remembered, so a file of
 * unclosed quotes is read once, not once per opening.
 */
function* quotedArgs(text: string, start: RegExp, after?: RegExp): Generator<{ at: number; body: string }> {
  const next = new Map<string, number>();
  for (const m of text.matchAll(start)) {
    const q = m[1]!;
    const from = m.index! + m[0].length;
    let close = next.get(q);
    if (close === undefined || (close >= 0 && close < from)) {
      close = text.indexOf(q, from);
      next.set(q, close);
    }
    if (close < 0) continue;
    if (close - from > 4000 || (after && !after.test(text.slice(close + q.length, close + q.length + 50)))) continue;
    yield { at: from, body: text.slice(from, close) };
  }
}

/** Line numbers of offsets, from one pass over the text (a file of many triggers stays linear). */
function lineIndex(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** `triggers { cron('H 2 * * *') }` in a Jenkinsfile: each spec line a schedule, with the pipeline's first sh step as its command. */
export function jenkinsSchedules(file: string, text: string): Schedule[] {
  const sh: { at: number; body: string } | undefined = quotedArgs(text, /\bsh\s*\(?\s*(?:script\s*:\s*)?('''|"""|'|")/g).next().value ?? undefined;
  const command = sh ? redact(sh.body.split('\n').map((l: string) => l.trim()).filter(Boolean).join('; ')) : `(Jenkins pipeline ${file})`;
  const out: Schedule[] = [];
  const lineAt = lineIndex(text);
  for (const m of quotedArgs(text, /\bcron\s*\(\s*(?:spec\s*:\s*)?('''|"""|'|")/g, /^\s*\)/)) {
    let tz: string | undefined;
    const base = lineAt(m.at);
    m.body.split('\n').forEach((raw, i) => {
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

import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../src/core/answers/resolve.js';
import { BUILTIN_TEMPLATE_DIR } from '../src/edge/builtin.js';
import { loadTemplateDir } from '../src/edge/template-dir.js';
import { hashContent } from '../src/core/manifest.js';
import { diff, splitLines } from '../src/core/merge/index.js';
import { planSync } from '../src/core/sync/plan.js';
import { planRender } from '../src/core/template/plan.js';

/**
 * The merge under fuzzing, on real generated files: random edit scripts on both sides (the
 * template's next version, and the team's edits) of every file the built-in template renders for
 * several answer sets. The rule: no line the team added or changed is dropped, except into a
 * conflict block (which is still in the file), and no file the team changed is deleted.
 * `FUZZ_ROUNDS=50 npx vitest run test/merge-fuzz.test.ts` runs longer.
 */
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 3);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random edit script: a few inserts, deletes and replacements, as a person or a template release makes. */
function edit(lines: string[], r: () => number, tag: string): string[] {
  const out = [...lines];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (out.length + 1));
    const kind = r();
    if (kind < 0.4) out.splice(at, 0, `${tag} added ${i} ${Math.floor(r() * 1e6)}\n`);
    else if (kind < 0.7 && out.length) out.splice(Math.min(at, out.length - 1), 1);
    else if (out.length) out[Math.min(at, out.length - 1)] = `${tag} changed ${i} ${Math.floor(r() * 1e6)}\n`;
  }
  return out;
}

/** Lines of `after` that are not in `before` (added or changed), by a line diff. */
function addedLines(before: string[], after: string[]): string[] {
  return diff(before, after).flatMap((h) => after.slice(h.bStart, h.bEnd));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('the merge under fuzzing, on generated files', () => {
  it(`keeps every team line across ${ROUNDS} rounds of random edits on both sides of every generated file`, async () => {
    const template = await loadTemplateDir(BUILTIN_TEMPLATE_DIR);
    const sets = [
      {},
      { patterns: ['etl', 'api', 'reporting'], data_sources: ['csv', 'database', 'rest_api', 'sftp', 'queue', 'spreadsheet'], database_kind: 'mysql', llm_provider: 'openai', ci: 'gitlab', compliance: ['gdpr', 'sox'] },
      { legacy_stack: ['static_reports'], patterns: ['reporting'], ci: 'none', cutover: 'big_bang' },
      { legacy_stack: ['point_to_point'], patterns: ['api'], data_sources: ['rest_api'], compliance: ['hipaa', 'pci_dss'] },
    ];
    let files = 0;
    let teamEdited = 0;
    let conflicts = 0;
    let merged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, provided] of sets.entries()) {
        const r = rng(1000 * round + i + 1);
        const answers = await resolveAnswers(template.spec, { provided, dirName: 'fuzz', useDefaults: true });
        const base = new Map(planRender(template, answers).filter((f) => !f.binary).map((f) => [f.path, f.data]));
        const theirs = new Map<string, Uint8Array>();
        const ours = new Map<string, Uint8Array>();
        const teamLines = new Map<string, string[]>();
        for (const [path, data] of base) {
          const lines = splitLines(dec.decode(data));
          theirs.set(path, enc.encode(edit(lines, r, 'template').join('')));
          if (r() < 0.8) {
            const mine = edit(lines, r, 'team');
            ours.set(path, enc.encode(mine.join('')));
            teamLines.set(path, addedLines(lines, mine));
          } else ours.set(path, data);
        }
        const plan = planSync({
          base,
          theirs,
          ours,
          recorded: Object.fromEntries([...base].map(([p, d]) => [p, hashContent(d)])),
          projectOwned: [],
          renames: [],
          conflictStyle: 'inline',
          labels: { ours: 'yours', base: 'template 1', theirs: 'template 2' },
        });
        const written = new Map(plan.writes.map((w) => [w.path, dec.decode(w.data)]));
        for (const [path, lines] of teamLines) {
          expect(plan.deletes, path).not.toContain(path);
          const result = written.get(path) ?? dec.decode(ours.get(path)!);
          for (const line of lines) expect(result, `${path}: a team line was dropped`).toContain(line);
          if (lines.length) teamEdited++;
        }
        files += base.size;
        conflicts += plan.outcomes.filter((o) => o.status === 'conflict').length;
        merged += plan.outcomes.filter((o) => o.status === 'merged').length;
      }
    }
    console.info(`merge fuzz: ${files} generated files, ${teamEdited} edited by the team, ${merged} merged cleanly, ${conflicts} conflicts; no team line lost`);
    expect(files).toBeGreaterThan(100 * ROUNDS);
    expect(merged).toBeGreaterThan(0);
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);
});
